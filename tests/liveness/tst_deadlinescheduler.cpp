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
    void callbackCancelsMostOfItsOwnDeadline();
    void deadlineEmptiedAndRefilled();
    void fifoAcrossCancelsInTheMiddle();
    void distinctDeadlines();
    void deadlineSeenAgainAfterManyOthers();
    void armedDuringRunWaitsForNextCall();
};

// Many timers share a deadline (EngineTimers coalesces them): one of them cancels most of the rest
// and re-arms at the same deadline while they are being run.
void TestDeadlineScheduler::callbackCancelsMostOfItsOwnDeadline()
{
    const TimePoint when = TimePoint{} + 1h;
    DeadlineScheduler scheduler;
    std::vector<int> ran;
    std::vector<DeadlineScheduler::TimerId> ids;
    for (int i = 0; i < 500; ++i) {
        ids.push_back(scheduler.schedule(when, [&, i] {
            ran.push_back(i);
            if (i != 10)
                return;
            QVERIFY(!scheduler.cancel(ids[10])); // running: no longer scheduled
            QVERIFY(!scheduler.cancel(ids[3]));  // ran already
            for (int k = 11; k < 500; ++k) {
                if (k % 2 == 1 || k == 498)
                    QVERIFY(scheduler.cancel(ids[std::size_t(k)]));
            }
            ids.push_back(scheduler.schedule(when, [&ran] { ran.push_back(1000); }));
        }));
    }
    std::vector<int> expected;
    for (int i = 0; i < 500; ++i) {
        if (i <= 10 || (i % 2 == 0 && i != 498))
            expected.push_back(i);
    }
    QCOMPARE(scheduler.runDue(when), expected.size());
    QCOMPARE(ran, expected);
    QCOMPARE(scheduler.size(), std::size_t(1));
    QCOMPARE(scheduler.nextDeadline(), when);
    QCOMPARE(scheduler.deadlineOf(ids.back()), when);
    QCOMPARE(scheduler.runDue(when), std::size_t(1));
    QCOMPARE(ran.back(), 1000);
    QVERIFY(scheduler.isEmpty());
    QVERIFY(!scheduler.nextDeadline());
}

void TestDeadlineScheduler::deadlineEmptiedAndRefilled()
{
    const TimePoint when = TimePoint{} + 1h;
    DeadlineScheduler scheduler;
    std::vector<int> ran;
    scheduler.schedule(when + 1ms, [&ran] { ran.push_back(100); });
    std::vector<DeadlineScheduler::TimerId> ids;
    for (int i = 0; i < 20; ++i)
        ids.push_back(scheduler.schedule(when, [&ran, i] { ran.push_back(i); }));
    for (const DeadlineScheduler::TimerId id : ids)
        QVERIFY(scheduler.cancel(id));
    // Emptied by cancels: the deadline no longer shows.
    QCOMPARE(scheduler.nextDeadline(), when + 1ms);
    QCOMPARE(scheduler.size(), std::size_t(1));
    for (int i = 20; i < 25; ++i)
        scheduler.schedule(when, [&ran, i] { ran.push_back(i); });
    QCOMPARE(scheduler.nextDeadline(), when);
    QCOMPARE(scheduler.runDue(when), std::size_t(5));
    QCOMPARE(ran, (std::vector<int>{20, 21, 22, 23, 24}));
    // Emptied by running, refilled from outside and from its own last callback.
    scheduler.schedule(when, [&] {
        ran.push_back(25);
        scheduler.schedule(when, [&ran] { ran.push_back(26); });
    });
    QCOMPARE(scheduler.nextDeadline(), when);
    QCOMPARE(scheduler.runDue(when), std::size_t(1));
    QCOMPARE(scheduler.nextDeadline(), when);
    QCOMPARE(scheduler.runDue(when + 1ms), std::size_t(2));
    QCOMPARE(ran, (std::vector<int>{20, 21, 22, 23, 24, 25, 26, 100}));
    QVERIFY(scheduler.isEmpty());

    // Emptied by its own first callback, which arms it again and arms other deadlines; the timer
    // armed again cancelled before it runs: nothing is left at that deadline.
    ran.clear();
    ids.clear();
    DeadlineScheduler::TimerId again = DeadlineScheduler::kInvalidTimer;
    for (int i = 0; i < 10; ++i) {
        ids.push_back(scheduler.schedule(when, [&, i] {
            ran.push_back(i);
            for (std::size_t k = 1; k < 10; ++k)
                QVERIFY(scheduler.cancel(ids[k]));
            again = scheduler.schedule(when, [&ran] { ran.push_back(50); });
            for (int k = 1; k <= 3; ++k)
                scheduler.schedule(when + std::chrono::milliseconds(k), [&ran, k] { ran.push_back(50 + k); });
        }));
    }
    QCOMPARE(scheduler.runDue(when), std::size_t(1));
    QCOMPARE(scheduler.size(), std::size_t(4));
    QCOMPARE(scheduler.nextDeadline(), when);
    QVERIFY(scheduler.cancel(again));
    QCOMPARE(scheduler.nextDeadline(), when + 1ms);
    scheduler.schedule(when + 4ms, [&ran] { ran.push_back(54); });
    scheduler.schedule(when + 5ms, [&ran] { ran.push_back(55); });
    QCOMPARE(scheduler.runDue(when + 1h), std::size_t(5));
    QCOMPARE(ran, (std::vector<int>{0, 51, 52, 53, 54, 55}));
    QVERIFY(scheduler.isEmpty());
}

void TestDeadlineScheduler::fifoAcrossCancelsInTheMiddle()
{
    const TimePoint when = TimePoint{} + 1h;
    DeadlineScheduler scheduler;
    std::vector<char> ran;
    const auto arm = [&](char name) {
        return scheduler.schedule(when, [&ran, name] { ran.push_back(name); });
    };
    const auto a = arm('a');
    arm('b');
    const auto c = arm('c');
    arm('d');
    const auto e = arm('e');
    QVERIFY(scheduler.cancel(c)); // the middle
    arm('f');                     // after the rest
    QVERIFY(scheduler.cancel(a)); // the first
    arm('g');                     // takes a freed slot, still runs last
    QVERIFY(scheduler.cancel(e));
    QVERIFY(!scheduler.isScheduled(c));
    QCOMPARE(scheduler.size(), std::size_t(4));
    QCOMPARE(scheduler.runDue(when), std::size_t(4));
    QCOMPARE(ran, (std::vector<char>{'b', 'd', 'f', 'g'}));
}

void TestDeadlineScheduler::distinctDeadlines()
{
    constexpr int kTimers = 5000;
    const TimePoint base = TimePoint{} + 1h;
    std::mt19937 rng(11);
    std::vector<int> offsets(kTimers); // microseconds, all different
    for (int i = 0; i < kTimers; ++i)
        offsets[std::size_t(i)] = i * 7 + 3;
    std::shuffle(offsets.begin(), offsets.end(), rng);

    DeadlineScheduler scheduler;
    std::vector<int> ran;
    std::vector<DeadlineScheduler::TimerId> ids;
    for (const int offset : offsets)
        ids.push_back(scheduler.schedule(base + std::chrono::microseconds(offset),
                                         [&ran, offset] { ran.push_back(offset); }));
    std::vector<int> expected;
    for (std::size_t i = 0; i < offsets.size(); ++i) {
        if (i % 3 == 0)
            QVERIFY(scheduler.cancel(ids[i]));
        else
            expected.push_back(offsets[i]);
    }
    std::sort(expected.begin(), expected.end());
    QCOMPARE(scheduler.nextDeadline(), base + std::chrono::microseconds(expected.front()));
    // In slices: what is left starts at the first deadline not run yet.
    std::size_t done = 0;
    for (int until = 0; until <= kTimers * 7 + 3; until += 997) {
        done += scheduler.runDue(base + std::chrono::microseconds(until));
        QCOMPARE(ran.size(), done);
        if (done < expected.size())
            QCOMPARE(scheduler.nextDeadline(), base + std::chrono::microseconds(expected[done]));
    }
    done += scheduler.runDue(base + 1s);
    QCOMPARE(ran, expected);
    QVERIFY(scheduler.isEmpty());
}

// A deadline armed again after thousands of other deadlines (which may have taken its place in
// any look-up the scheduler keeps) still runs its timers in arming order, among the others in
// deadline order.
void TestDeadlineScheduler::deadlineSeenAgainAfterManyOthers()
{
    const TimePoint shared = TimePoint{} + 1h + 500ms;
    DeadlineScheduler scheduler;
    std::vector<std::pair<TimePoint, int>> ran;
    std::vector<std::pair<TimePoint, int>> expected;
    int serial = 0;
    const auto arm = [&](TimePoint when) {
        const int n = serial++;
        return scheduler.schedule(when, [&ran, when, n] { ran.emplace_back(when, n); });
    };
    for (int round = 0; round < 20; ++round) {
        const auto sharedId = arm(shared);
        if (round % 4 == 3)
            QVERIFY(scheduler.cancel(sharedId));
        else
            expected.emplace_back(shared, serial - 1);
        for (int k = 0; k < 2000; ++k) {
            const TimePoint when = TimePoint{} + 1h + std::chrono::microseconds(round * 2000 + k);
            arm(when);
            expected.emplace_back(when, serial - 1);
        }
    }
    std::stable_sort(expected.begin(), expected.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    QCOMPARE(scheduler.runDue(shared + 1h), expected.size());
    QCOMPARE(ran, expected);
}

// The deferred-to-next-call rule with timers armed into the deadline being run, into an earlier
// one, into a later due one that still holds older timers, and at `now`; beforeEach() is told
// every deadline, in order.
void TestDeadlineScheduler::armedDuringRunWaitsForNextCall()
{
    const TimePoint now = TimePoint{} + 1h;
    const TimePoint d0 = now - 30ms;
    const TimePoint d1 = now - 20ms;
    const TimePoint d2 = now - 10ms;
    DeadlineScheduler scheduler;
    std::vector<int> ran;
    std::vector<TimePoint> told;
    const auto note = [&ran](int n) { return [&ran, n] { ran.push_back(n); }; };
    DeadlineScheduler::TimerId early = DeadlineScheduler::kInvalidTimer;
    DeadlineScheduler::TimerId dropped = DeadlineScheduler::kInvalidTimer;
    scheduler.schedule(d1, [&] {
        ran.push_back(1);
        scheduler.schedule(d1, note(11));
        early = scheduler.schedule(d0, note(10));
        dropped = scheduler.schedule(d0 - 1ms, note(9));
        scheduler.schedule(d2, note(12));
        scheduler.schedule(now, note(13));
    });
    scheduler.schedule(d1, note(2));
    scheduler.schedule(d2, [&] {
        ran.push_back(3);
        // Both earlier than this deadline, so passed over already: waiting, and still known.
        QCOMPARE(scheduler.deadlineOf(early), d0);
        QCOMPARE(scheduler.deadlineOf(dropped), d0 - 1ms);
        QVERIFY(scheduler.cancel(dropped));
    });
    scheduler.schedule(now + 1ms, note(4));
    const auto tell = [&told](TimePoint deadline) { told.push_back(deadline); };
    QCOMPARE(scheduler.runDue(now, tell), std::size_t(3));
    QCOMPARE(ran, (std::vector<int>{1, 2, 3}));
    QCOMPARE(told, (std::vector<TimePoint>{d1, d1, d2}));
    QCOMPARE(scheduler.size(), std::size_t(5));
    QVERIFY(!scheduler.isScheduled(dropped));
    QCOMPARE(scheduler.nextDeadline(), d0);
    QCOMPARE(scheduler.runDue(now, tell), std::size_t(4));
    QCOMPARE(ran, (std::vector<int>{1, 2, 3, 10, 11, 12, 13}));
    QCOMPARE(told, (std::vector<TimePoint>{d1, d1, d2, d0, d1, d2, now}));
    QCOMPARE(scheduler.nextDeadline(), now + 1ms);
    QCOMPARE(scheduler.runDue(now + 1ms), std::size_t(1));
    QVERIFY(scheduler.isEmpty());
}

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
