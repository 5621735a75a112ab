// EngineTimers trades a little lateness for far fewer wake-ups of the engine
// thread. The contract a liveness deadline relies on: never early, and late
// by at most 5 % of its delay (never more than kMaxSlack).

#include "enginetimers.h"
#include "manualclock.h"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QTest>
#include <QThread>

#include <atomic>
#include <random>

using namespace kw;
using namespace std::chrono;

class TestEngineTimers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void coalescedIsNeverEarlyAndBoundedLate_data()
    {
        QTest::addColumn<qint64>("delayMs");
        QTest::newRow("now") << qint64(0);
        QTest::newRow("1 ms") << qint64(1);
        QTest::newRow("20 ms") << qint64(20);
        QTest::newRow("100 ms") << qint64(100);
        QTest::newRow("1 s") << qint64(1000);
        QTest::newRow("5 s") << qint64(5000);
        QTest::newRow("2 min") << qint64(120000);
    }

    void coalescedIsNeverEarlyAndBoundedLate()
    {
        QFETCH(qint64, delayMs);
        std::mt19937_64 random(42);
        std::uniform_int_distribution<std::int64_t> offsetUs(0, 10'000'000);
        for (int i = 0; i < 2000; ++i) {
            const TimePoint now = TimePoint{} + hours(24) + microseconds(offsetUs(random));
            const TimePoint when = now + milliseconds(delayMs);
            const TimePoint runs = EngineTimers::coalesced(when, now);
            QVERIFY2(runs >= when, "a deadline never runs early");
            const auto slack = std::min<Duration>(milliseconds(delayMs) / 20, EngineTimers::kMaxSlack);
            QVERIFY2(runs - when <= slack,
                     qPrintable(QString::number(duration_cast<microseconds>(runs - when).count())));
        }
    }

    void deadlinesWithTheSameSlackShareAGridPoint()
    {
        // Two 5 s deadlines asked for 1 ms apart run at the same instant.
        const TimePoint now = TimePoint{} + hours(24);
        const TimePoint a = EngineTimers::coalesced(now + milliseconds(5000), now);
        const TimePoint b = EngineTimers::coalesced(now + milliseconds(5001), now + milliseconds(1));
        QCOMPARE(a, b);
    }

    void onGridRoundsUpToAPowerOfTwo()
    {
        const TimePoint base = TimePoint{} + hours(24);
        const TimePoint onGrid = EngineTimers::onGrid(base + milliseconds(1), milliseconds(1000));
        QVERIFY(onGrid >= base + milliseconds(1));
        // 512 ms is the largest power of two <= 1000 ms.
        QCOMPARE(duration_cast<milliseconds>(onGrid.time_since_epoch()).count() % 512, 0);
        QCOMPARE(EngineTimers::onGrid(onGrid, milliseconds(1000)), onGrid);
    }

    void realTimersFireInOrderAndNeverEarly()
    {
        SteadyClock clock;
        EngineTimers timers(clock);
        QElapsedTimer elapsed;
        elapsed.start();
        QList<int> order;
        QList<qint64> lateness;
        const TimePoint start = clock.now();
        for (int delay : {300, 30, 120, 0, 60}) {
            timers.at(start + milliseconds(delay), [&, delay] {
                order.append(delay);
                lateness.append(duration_cast<milliseconds>(clock.now() - start).count() - delay);
            });
        }
        EngineTimers::TimerId cancelled = timers.after(milliseconds(90), [&] { order.append(-1); });
        timers.cancel(cancelled);
        QCOMPARE(cancelled, EngineTimers::kNoTimer);
        QTRY_COMPARE(order.size(), 5);
        QCOMPARE(order, (QList<int>{0, 30, 60, 120, 300}));
        for (qint64 late : lateness)
            QVERIFY2(late >= 0, "fired early");
        QCOMPARE(timers.pending(), std::size_t(0));
    }

    void callbacksMayScheduleAndCancel()
    {
        SteadyClock clock;
        EngineTimers timers(clock);
        int ticks = 0;
        EngineTimers::TimerId victim = timers.after(milliseconds(200), [&] { ticks += 100; });
        std::function<void()> tick = [&] {
            if (++ticks < 5)
                timers.after(milliseconds(10), tick);
            else
                timers.cancel(victim);
        };
        timers.after(milliseconds(10), tick);
        QTRY_COMPARE(ticks, 5);
        QTest::qWait(300);
        QCOMPARE(ticks, 5);
    }

    void manualClockRunsDueDeadlinesWhenItJumps()
    {
        test::ManualClock clock;
        EngineTimers timers(clock);
        QList<int> fired;
        for (int delay : {100, 300, 200})
            timers.after(milliseconds(delay), [&fired, delay] { fired.append(delay); });
        clock.advance(milliseconds(99));
        QCOMPARE(fired, QList<int>{});
        clock.advance(milliseconds(1)); // on the timers' thread: run before advance() returns
        QCOMPARE(fired, QList<int>{100});
        clock.advance(milliseconds(250));
        QCOMPARE(fired, (QList<int>{100, 200, 300}));
        QCOMPARE(timers.pending(), std::size_t(0));
        // Real time alone moves nothing.
        timers.after(milliseconds(20), [&fired] { fired.append(-1); });
        QTest::qWait(60);
        QCOMPARE(fired.size(), 3);
    }

    void spreadSendsKeepASmallSlack()
    {
        // A 5 s deadline may run up to 128 ms late when coalesced, a phase-grid send at most
        // kSpreadSlack: sends spread over the interval must not be gathered into bursts again.
        test::ManualClock clock;
        EngineTimers timers(clock);
        const TimePoint asked = clock.now() + milliseconds(5000) + milliseconds(1);
        TimePoint coarseRan{};
        TimePoint spreadRan{};
        timers.at(asked, [&] { coarseRan = clock.now(); });
        timers.atSpread(asked, [&] { spreadRan = clock.now(); });
        while (timers.pending() > 0)
            clock.advance(milliseconds(1));
        QVERIFY(spreadRan >= asked);
        QVERIFY(spreadRan - asked < EngineTimers::kSpreadSlack);
        QVERIFY(coarseRan >= spreadRan); // the 128 ms grid point is never sooner
        QVERIFY(coarseRan - asked < milliseconds(128));
        QCOMPARE(EngineTimers::onGrid(spreadRan, EngineTimers::kSpreadSlack), spreadRan);
    }

    void longWorkRunsBetweenTheSendsGridPoints()
    {
        // Publishing must not follow a grid point's sends in the same wake-up, wherever it is
        // asked for: on a send grid point, just after one, or on the 128 ms grid the coarse
        // deadlines use, which is a send grid point too.
        test::ManualClock clock;
        EngineTimers timers(clock);
        // Whole milliseconds from here on, so each callback runs at its deadline exactly.
        clock.advance(EngineTimers::onGrid(clock.now(), milliseconds(128)) - clock.now());
        for (const milliseconds offset : {0ms, 1ms, 7ms, 8ms, 9ms, 15ms, 16ms, 128ms}) {
            const TimePoint base = EngineTimers::onGrid(clock.now() + milliseconds(1000), milliseconds(128));
            const TimePoint asked = base + offset;
            TimePoint sendRan{};
            TimePoint longRan{};
            timers.atSpread(asked, [&] { sendRan = clock.now(); });
            timers.betweenSends(asked, [&] { longRan = clock.now(); });
            while (timers.pending() > 0)
                clock.advance(milliseconds(1));
            QVERIFY2(longRan >= asked, qPrintable(QString::number(offset.count())));
            QVERIFY2(longRan - asked <= EngineTimers::kSpreadSlack + EngineTimers::kSpreadSlack / 2,
                     qPrintable(QString::number(offset.count())));
            // Midway between the sends' grid points: never one of them, so never the sends' wake-up.
            QCOMPARE(EngineTimers::onGrid(longRan, EngineTimers::kSpreadSlack) - longRan,
                     duration_cast<Duration>(EngineTimers::kSpreadSlack / 2));
            QVERIFY(longRan != sendRan);
        }
    }

    void manualClockWaitsForTimersOnAnotherThread()
    {
        test::ManualClock clock;
        QThread engineThread;
        auto *timers = new EngineTimers(clock);
        timers->moveToThread(&engineThread);
        engineThread.start();
        const auto tearDown = [&] {
            QMetaObject::invokeMethod(
                timers, [timers] { delete timers; }, Qt::BlockingQueuedConnection);
            engineThread.quit();
            engineThread.wait();
        };
        auto tearDownOnFailure = qScopeGuard(tearDown);
        std::atomic<int> fired = 0;
        // 512 ms is on the coalescing grid, so the deadline is exactly there.
        QMetaObject::invokeMethod(
            timers, [&] { timers->after(milliseconds(512), [&fired] { ++fired; }); },
            Qt::BlockingQueuedConnection);
        clock.advance(milliseconds(511));
        QCOMPARE(fired.load(), 0);
        clock.advance(milliseconds(1));
        QCOMPARE(fired.load(), 1); // ran on the engine thread before advance() returned
        tearDownOnFailure.dismiss();
        tearDown();
        clock.advance(milliseconds(1)); // nobody listens any more
    }

    // --- the engine's own lateness ---

    void latenessBucketsHoldTheirSamples()
    {
        for (const Duration d :
             {Duration(nanoseconds(0)), Duration(nanoseconds(1023)), Duration(nanoseconds(1024)),
              Duration(microseconds(100)), Duration(microseconds(1234)), Duration(milliseconds(2)),
              Duration(milliseconds(250)), Duration(seconds(7)), Duration(minutes(10))}) {
            const int bucket = LatenessSummary::bucketOf(d);
            QVERIFY2(LatenessSummary::upperEdge(bucket) >= d, qPrintable(QString::number(bucket)));
            if (bucket > 0)
                QVERIFY(LatenessSummary::upperEdge(bucket - 1) < d);
            // Buckets are about 19 % wide: a quantile overstates by less than a quarter.
            if (d >= microseconds(1))
                QVERIFY(LatenessSummary::upperEdge(bucket) <= d * 5 / 4);
        }
        QCOMPARE(LatenessSummary::bucketOf(-milliseconds(5)), 0);
        QCOMPARE(LatenessSummary::bucketOf(hours(100)), LatenessSummary::kBuckets - 1);
    }

    void latenessSummaryQuantiles()
    {
        const TimePoint t = TimePoint{} + hours(24);
        LatenessSummary summary;
        QCOMPARE(summary.figures(t).count, std::uint64_t(0));
        for (int i = 0; i < 98; ++i)
            summary.note(milliseconds(1), t + milliseconds(i));
        summary.note(milliseconds(50), t + milliseconds(100));
        summary.note(milliseconds(200), t + milliseconds(101));
        const LatenessFigures f = summary.figures(t + seconds(1));
        QCOMPARE(f.count, std::uint64_t(100));
        QCOMPARE(f.max, Duration(milliseconds(200)));
        QVERIFY(f.p50 >= milliseconds(1) && f.p50 < microseconds(1200));
        QVERIFY2(f.p99 >= milliseconds(50) && f.p99 < milliseconds(60),
                 qPrintable(QString::number(duration_cast<microseconds>(f.p99).count())));
        QCOMPARE(summary.totalCount(), std::uint64_t(100));
        QVERIFY(qAbs(summary.totalSeconds() - 0.348) < 1e-9);
        // One sample: every quantile is that sample, exactly (clamped to the maximum).
        LatenessSummary one;
        one.note(microseconds(700), t);
        QCOMPARE(one.figures(t).p99, Duration(microseconds(700)));
        QCOMPARE(one.figures(t).p50, Duration(microseconds(700)));
    }

    void latenessWindowForgetsOldSamples()
    {
        const TimePoint t = TimePoint{} + hours(24); // a slot boundary
        LatenessSummary summary;
        summary.note(milliseconds(900), t);
        summary.note(milliseconds(3), t + seconds(25));
        LatenessFigures f = summary.figures(t + seconds(30));
        QCOMPARE(f.count, std::uint64_t(2));
        QCOMPARE(f.max, Duration(milliseconds(900)));
        // 60 s on, the first slot has left the window; the second is still in it.
        f = summary.figures(t + seconds(60));
        QCOMPARE(f.count, std::uint64_t(1));
        QCOMPARE(f.max, Duration(milliseconds(3)));
        // A slot is reused for a new stretch of time: it starts empty.
        summary.note(milliseconds(1), t + seconds(61));
        f = summary.figures(t + seconds(61));
        QCOMPARE(f.count, std::uint64_t(2));
        QCOMPARE(f.max, Duration(milliseconds(3)));
        f = summary.figures(t + minutes(10));
        QCOMPARE(f.count, std::uint64_t(0));
        QCOMPARE(f.p99, Duration{});
        QCOMPARE(summary.totalCount(), std::uint64_t(3)); // the running totals keep everything
    }

    void timerLatenessIsMeasuredBeyondCoalescing()
    {
        test::ManualClock clock;
        EngineTimers timers(clock);
        QVERIFY(!timers.onSystemClock());
        // 512 ms lies on the coalescing grid, so both deadlines are exactly there.
        int ran = 0;
        timers.after(milliseconds(512), [&] {
            ++ran;
            clock.advance(milliseconds(30)); // this callback's work delays the next one
        });
        timers.after(milliseconds(512), [&] { ++ran; });
        clock.advance(milliseconds(700)); // the engine woke 188 ms after the deadline
        QCOMPARE(ran, 2);
        const LatenessFigures f = timers.timerLateness().figures(clock.now());
        QCOMPARE(f.count, std::uint64_t(2));
        QCOMPARE(f.max, Duration(milliseconds(218)));
        QVERIFY(f.p50 >= milliseconds(188) && f.p50 <= milliseconds(218));
        // A deadline met on time is no lateness at all, and coalescing's own delay is not counted.
        const TimePoint due = EngineTimers::coalesced(clock.now() + milliseconds(1000), clock.now());
        QVERIFY(due > clock.now() + milliseconds(1000)); // rounded up onto the grid
        timers.after(milliseconds(1000), [&] { ++ran; });
        clock.set(due - nanoseconds(1));
        QCOMPARE(ran, 2);
        clock.set(due);
        QCOMPARE(ran, 3);
        QCOMPARE(timers.timerLateness().figures(clock.now()).count, std::uint64_t(3));
        QVERIFY(qFuzzyCompare(timers.timerLateness().totalSeconds(), 0.188 + 0.218));

        SteadyClock steady;
        QVERIFY(EngineTimers(steady).onSystemClock());
    }
};

QTEST_GUILESS_MAIN(TestEngineTimers)
#include "tst_enginetimers.moc"
