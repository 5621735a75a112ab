#include "deadlinescheduler.h"
#include "manualclock.h"

#include <QTest>

#include <algorithm>
#include <chrono>
#include <random>
#include <vector>

using namespace std::chrono_literals;
using kw::DeadlineScheduler;
using kw::TimePoint;
using kw::test::ManualClock;

class TestDeadlineScheduler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void runsInDeadlineOrder_data();
    void runsInDeadlineOrder();
    void equalDeadlinesRunFifo();
    void onlyDueTimersRun();
    void cancel();
    void callbackSchedulesAndCancels();
    void selfRearmingTimerDoesNotSpin();
    void drivenByManualClock();
    void manyTimersWithCancellations();
    void cancelAndRearmInTheMiddle();
    void staleIdDoesNotCancelReusedSlot();
    void manyAtOneDeadlineRunInArmingOrder();
    void callbackArmsAndCancelsOthers();
};

void TestDeadlineScheduler::cancelAndRearmInTheMiddle()
{
    const TimePoint base = TimePoint{} + 1h;
    DeadlineScheduler scheduler;
    std::vector<int> ran;
    std::vector<DeadlineScheduler::TimerId> ids;
    for (int i = 0; i < 200; ++i)
        ids.push_back(
            scheduler.schedule(base + std::chrono::milliseconds(i), [&ran, i] { ran.push_back(i); }));
    // Cancel every third one from the middle of the heap, re-arm others later and earlier.
    for (int i = 1; i < 199; i += 3)
        QVERIFY(scheduler.cancel(ids[std::size_t(i)]));
    QVERIFY(scheduler.cancel(ids[100]) == false); // 100 = 1 + 3*33 already cancelled
    QVERIFY(scheduler.cancel(ids[150]));
    ids[150] = scheduler.schedule(base - 1ms, [&ran] { ran.push_back(-150); });
    QVERIFY(scheduler.cancel(ids[0]));
    ids[0] = scheduler.schedule(base + 500ms, [&ran] { ran.push_back(1000); });
    QCOMPARE(scheduler.nextDeadline(), base - 1ms);
    QCOMPARE(scheduler.deadlineOf(ids[0]), base + 500ms);
    std::vector<int> expected{-150};
    for (int i = 1; i < 200; ++i) {
        if (((i - 1) % 3 != 0 || i >= 199) && i != 150)
            expected.push_back(i);
    }
    expected.push_back(1000);
    QCOMPARE(scheduler.size(), expected.size());
    QCOMPARE(scheduler.runDue(base + 1h), expected.size());
    QCOMPARE(ran, expected);
    QVERIFY(scheduler.isEmpty());
}

void TestDeadlineScheduler::staleIdDoesNotCancelReusedSlot()
{
    const TimePoint base = TimePoint{} + 1h;
    DeadlineScheduler scheduler;
    int ran = 0;
    const DeadlineScheduler::TimerId old = scheduler.schedule(base, [&ran] { ran += 100; });
    QVERIFY(scheduler.cancel(old));
    const DeadlineScheduler::TimerId reused = scheduler.schedule(base, [&ran] { ++ran; });
    QVERIFY(reused != old);
    QVERIFY(!scheduler.isScheduled(old));
    QVERIFY(!scheduler.cancel(old));
    QVERIFY(!scheduler.deadlineOf(old));
    QVERIFY(scheduler.isScheduled(reused));
    QCOMPARE(scheduler.runDue(base), std::size_t(1));
    QCOMPARE(ran, 1);
    // An id that ran is stale too, also once its slot serves another timer.
    const DeadlineScheduler::TimerId next = scheduler.schedule(base + 1s, [&ran] { ++ran; });
    QVERIFY(!scheduler.cancel(reused));
    QVERIFY(scheduler.isScheduled(next));
    scheduler.clear();
    QVERIFY(!scheduler.cancel(next));
    QVERIFY(scheduler.isEmpty());
}

void TestDeadlineScheduler::manyAtOneDeadlineRunInArmingOrder()
{
    const TimePoint base = TimePoint{} + 1h;
    DeadlineScheduler scheduler;
    std::vector<int> ran;
    std::vector<DeadlineScheduler::TimerId> ids;
    for (int i = 0; i < 1000; ++i)
        ids.push_back(scheduler.schedule(base, [&ran, i] { ran.push_back(i); }));
    for (int i = 0; i < 1000; i += 7)
        scheduler.cancel(ids[std::size_t(i)]);
    std::vector<int> expected;
    for (int i = 0; i < 1000; ++i) {
        if (i % 7 != 0)
            expected.push_back(i);
    }
    QCOMPARE(scheduler.runDue(base), expected.size());
    QCOMPARE(ran, expected);
}

void TestDeadlineScheduler::callbackArmsAndCancelsOthers()
{
    const TimePoint base = TimePoint{} + 1h;
    DeadlineScheduler scheduler;
    std::vector<int> ran;
    DeadlineScheduler::TimerId later = 0;
    DeadlineScheduler::TimerId armed = 0;
    scheduler.schedule(base, [&] {
        ran.push_back(1);
        QVERIFY(scheduler.cancel(later)); // due in this pass, never runs
        // Reuses the cancelled slot, due now: waits for the next pass.
        armed = scheduler.schedule(base, [&ran] { ran.push_back(3); });
        scheduler.schedule(base + 1ms, [&ran] { ran.push_back(4); });
    });
    later = scheduler.schedule(base + 1ms, [&ran] { ran.push_back(2); });
    DeadlineScheduler::TimerId dropped = 0;
    scheduler.schedule(base + 1ms, [&] {
        ran.push_back(5);
        dropped = scheduler.schedule(base, [&ran] { ran.push_back(6); });
        QVERIFY(scheduler.cancel(dropped)); // deferred, then cancelled: must not come back
    });
    QCOMPARE(scheduler.runDue(base + 1ms), std::size_t(2));
    QCOMPARE(ran, (std::vector<int>{1, 5}));
    QVERIFY(scheduler.isScheduled(armed));
    QVERIFY(!scheduler.isScheduled(dropped));
    QCOMPARE(scheduler.size(), std::size_t(2));
    QCOMPARE(scheduler.runDue(base + 1ms), std::size_t(2));
    QCOMPARE(ran, (std::vector<int>{1, 5, 3, 4}));
    QVERIFY(scheduler.isEmpty());
}

void TestDeadlineScheduler::runsInDeadlineOrder_data()
{
    QTest::addColumn<QList<int>>("offsetsMs");

    QTest::newRow("already sorted") << QList<int>{1, 2, 3, 4, 5};
    QTest::newRow("reversed") << QList<int>{50, 40, 30, 20, 10, 0};
    QTest::newRow("mixed with past deadlines") << QList<int>{7, -3, 12, 0, -100, 5, 5, 1};
}

void TestDeadlineScheduler::runsInDeadlineOrder()
{
    QFETCH(QList<int>, offsetsMs);

    const TimePoint base = TimePoint{} + 1h;
    DeadlineScheduler scheduler;
    std::vector<std::pair<int, int>> ran; // (offset, insertion index)
    for (int i = 0; i < offsetsMs.size(); ++i) {
        const int offset = offsetsMs.at(i);
        scheduler.schedule(base + std::chrono::milliseconds(offset),
                           [&ran, offset, i] { ran.emplace_back(offset, i); });
    }
    QCOMPARE(scheduler.size(), std::size_t(offsetsMs.size()));
    QCOMPARE(scheduler.nextDeadline(),
             base + std::chrono::milliseconds(*std::min_element(offsetsMs.begin(), offsetsMs.end())));
    QCOMPARE(scheduler.runDue(base + 1h), std::size_t(offsetsMs.size()));
    QVERIFY(std::is_sorted(ran.begin(), ran.end()));
    QVERIFY(scheduler.isEmpty());
    QVERIFY(!scheduler.nextDeadline());
}

void TestDeadlineScheduler::equalDeadlinesRunFifo()
{
    const TimePoint when = TimePoint{} + 1h;
    DeadlineScheduler scheduler;
    QList<int> ran;
    for (int i = 0; i < 100; ++i)
        scheduler.schedule(when, [&ran, i] { ran << i; });
    scheduler.runDue(when);
    QList<int> expected;
    for (int i = 0; i < 100; ++i)
        expected << i;
    QCOMPARE(ran, expected);
}

void TestDeadlineScheduler::onlyDueTimersRun()
{
    const TimePoint base = TimePoint{} + 1h;
    DeadlineScheduler scheduler;
    QList<int> ran;
    scheduler.schedule(base + 10ms, [&ran] { ran << 10; });
    scheduler.schedule(base + 20ms, [&ran] { ran << 20; });
    scheduler.schedule(base + 30ms, [&ran] { ran << 30; });
    QCOMPARE(scheduler.runDue(base + 9ms), std::size_t(0));
    QCOMPARE(scheduler.runDue(base + 20ms), std::size_t(2)); // "at or before now"
    QCOMPARE(ran, (QList<int>{10, 20}));
    QCOMPARE(scheduler.nextDeadline(), base + 30ms);
    QCOMPARE(scheduler.size(), std::size_t(1));
}

void TestDeadlineScheduler::cancel()
{
    const TimePoint base = TimePoint{} + 1h;
    DeadlineScheduler scheduler;
    QList<int> ran;
    const auto first = scheduler.schedule(base + 10ms, [&ran] { ran << 1; });
    const auto second = scheduler.schedule(base + 20ms, [&ran] { ran << 2; });
    QVERIFY(first != DeadlineScheduler::kInvalidTimer);
    QVERIFY(first != second);
    QVERIFY(scheduler.isScheduled(first));
    QCOMPARE(scheduler.deadlineOf(first), base + 10ms);

    QVERIFY(scheduler.cancel(first));
    QVERIFY(!scheduler.cancel(first)); // twice
    QVERIFY(!scheduler.cancel(DeadlineScheduler::kInvalidTimer));
    QVERIFY(!scheduler.isScheduled(first));
    QVERIFY(!scheduler.deadlineOf(first));
    QCOMPARE(scheduler.size(), std::size_t(1));
    QCOMPARE(scheduler.nextDeadline(), base + 20ms); // the cancelled one no longer shows

    QCOMPARE(scheduler.runDue(base + 1h), std::size_t(1));
    QCOMPARE(ran, QList<int>{2});
    QVERIFY(!scheduler.cancel(second)); // already ran
    QVERIFY(!scheduler.nextDeadline());
}

void TestDeadlineScheduler::callbackSchedulesAndCancels()
{
    const TimePoint base = TimePoint{} + 1h;
    DeadlineScheduler scheduler;
    QList<int> ran;
    DeadlineScheduler::TimerId victim = 0;
    scheduler.schedule(base + 1ms, [&] {
        ran << 1;
        QVERIFY(scheduler.cancel(victim));                      // due in this same run
        scheduler.schedule(base + 5ms, [&ran] { ran << 5; });   // due, but new: next run
        scheduler.schedule(base + 50ms, [&ran] { ran << 50; }); // not due
    });
    victim = scheduler.schedule(base + 2ms, [&ran] { ran << 2; });
    scheduler.schedule(base + 3ms, [&ran] { ran << 3; });

    QCOMPARE(scheduler.runDue(base + 10ms), std::size_t(2));
    QCOMPARE(ran, (QList<int>{1, 3}));
    QCOMPARE(scheduler.size(), std::size_t(2));
    QCOMPARE(scheduler.nextDeadline(), base + 5ms); // tells the engine to come back at once
    QCOMPARE(scheduler.runDue(base + 10ms), std::size_t(1));
    QCOMPARE(ran, (QList<int>{1, 3, 5}));
    QCOMPARE(scheduler.nextDeadline(), base + 50ms);
}

void TestDeadlineScheduler::selfRearmingTimerDoesNotSpin()
{
    const TimePoint now = TimePoint{} + 1h;
    DeadlineScheduler scheduler;
    int runs = 0;
    std::function<void()> rearm = [&] {
        ++runs;
        scheduler.schedule(now, rearm);
    };
    scheduler.schedule(now, rearm);
    QCOMPARE(scheduler.runDue(now), std::size_t(1));
    QCOMPARE(scheduler.runDue(now), std::size_t(1));
    QCOMPARE(runs, 2);
    QCOMPARE(scheduler.size(), std::size_t(1));
}

void TestDeadlineScheduler::drivenByManualClock()
{
    // The engine loop in miniature: arm for nextDeadline(), advance, run.
    ManualClock clock;
    DeadlineScheduler scheduler;
    QList<qint64> firedAt;
    int beats = 0;
    const TimePoint origin = clock.now();
    std::function<void()> heartbeat = [&] {
        firedAt << std::chrono::duration_cast<std::chrono::milliseconds>(clock.now() - origin).count();
        if (++beats < 5)
            scheduler.schedule(clock.now() + 1000ms, heartbeat);
    };
    scheduler.schedule(clock.now() + 1000ms, heartbeat);
    scheduler.schedule(clock.now() + 2500ms, [&] { firedAt << -1; });
    while (auto next = scheduler.nextDeadline()) {
        clock.set(*next);
        scheduler.runDue(clock.now());
    }
    QCOMPARE(firedAt, (QList<qint64>{1000, 2000, -1, 3000, 4000, 5000}));
}

void TestDeadlineScheduler::manyTimersWithCancellations()
{
    constexpr int kTimers = 100000;
    const TimePoint base = TimePoint{} + 1h;
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> offset(0, 60000); // many equal deadlines too

    DeadlineScheduler scheduler;
    std::vector<TimePoint> deadlines(kTimers);
    std::vector<DeadlineScheduler::TimerId> ids(kTimers);
    std::vector<int> order;
    order.reserve(kTimers);
    for (int i = 0; i < kTimers; ++i) {
        deadlines[i] = base + std::chrono::milliseconds(offset(rng));
        ids[i] = scheduler.schedule(deadlines[i], [&order, i] { order.push_back(i); });
    }
    // Cancel 90 % so compaction kicks in, in random order.
    std::vector<int> victims(kTimers);
    for (int i = 0; i < kTimers; ++i)
        victims[i] = i;
    std::shuffle(victims.begin(), victims.end(), rng);
    std::vector<bool> cancelled(kTimers, false);
    for (int k = 0; k < kTimers * 9 / 10; ++k) {
        QVERIFY(scheduler.cancel(ids[victims[k]]));
        cancelled[victims[k]] = true;
    }
    QCOMPARE(scheduler.size(), std::size_t(kTimers / 10));

    TimePoint earliest = TimePoint::max();
    for (int i = 0; i < kTimers; ++i) {
        if (!cancelled[i])
            earliest = std::min(earliest, deadlines[i]);
    }
    QCOMPARE(scheduler.nextDeadline(), earliest);

    // Run in slices, as the engine would.
    for (TimePoint now = base; now <= base + 60s; now += 7s)
        scheduler.runDue(now);
    scheduler.runDue(base + 61s);

    QCOMPARE(order.size(), std::size_t(kTimers / 10));
    for (std::size_t k = 0; k < order.size(); ++k) {
        QVERIFY(!cancelled[order[k]]);
        if (k > 0) {
            const int a = order[k - 1];
            const int b = order[k];
            QVERIFY(deadlines[a] < deadlines[b] || (deadlines[a] == deadlines[b] && a < b));
        }
    }
    QVERIFY(scheduler.isEmpty());
}

QTEST_GUILESS_MAIN(TestDeadlineScheduler)
#include "tst_deadlinescheduler.moc"
