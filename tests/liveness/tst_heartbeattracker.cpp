#include "heartbeattracker.h"
#include "phasegrid.h"

#include <QStringList>
#include <QTest>

#include <algorithm>
#include <chrono>
#include <map>

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;
using kw::Duration;
using kw::HeartbeatParams;
using kw::HeartbeatStatus;
using kw::HeartbeatTracker;
using kw::TimePoint;

namespace {

const TimePoint kStart = TimePoint{} + 1h;

TimePoint at(const QString &ms)
{
    return kStart + std::chrono::milliseconds(ms.toLongLong());
}

qint64 msSinceStart(TimePoint t)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(t - kStart).count();
}

} // namespace

class TestHeartbeatTracker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sequences_data();
    void sequences();
    void schedule();
    void sendsKeepToTheGrid();
    void phasesAreStableAndSpread();
    void phaseGridArithmetic();
    void boundFormula_data();
    void boundFormula();
    void memoryStaysBounded();
};

// Each step is one of
//   "s T"              heartbeat sent at T ms
//   "r T RTT" / "r T -" reply at T; expected round trip, or none (stray)
//   "p T M D O"        poll at T: missedInARow M, dead D (0/1), overdue O (0/1)
//   "d T" / "d -"      nextDeadline() is T / none
//   "x T" / "x -"      deadAt() is T / none
//   "o N M"            N heartbeats outstanding, M of them past their reply window
//   "restart T"
void TestHeartbeatTracker::sequences_data()
{
    QTest::addColumn<qint64>("interval");
    QTest::addColumn<int>("misses");
    QTest::addColumn<qint64>("timeout");
    QTest::addColumn<QStringList>("steps");

    QTest::newRow("every reply on time")
        << qint64(1000) << 3 << qint64(0)
        << QStringList{u"s 0"_s,    u"d 1000"_s,     u"r 40 40"_s, u"d -"_s,         u"p 1000 0 0 0"_s,
                       u"s 1000"_s, u"r 1900 900"_s, u"s 2000"_s,  u"p 3000 1 0 1"_s};
    QTest::newRow("three misses in a row are dead")
        << qint64(1000) << 3 << qint64(0)
        << QStringList{u"s 0"_s,    u"p 999 0 0 0"_s,  u"p 1000 1 0 1"_s, u"s 1000"_s,      u"p 2000 2 0 1"_s,
                       u"s 2000"_s, u"p 2999 2 0 1"_s, u"p 3000 3 1 0"_s, u"p 9000 3 1 0"_s};
    QTest::newRow("a reply on time clears earlier misses")
        << qint64(1000) << 3 << qint64(0)
        << QStringList{u"s 0"_s, u"p 1000 1 0 1"_s, u"s 1000"_s, u"p 2000 2 0 1"_s, u"s 2000"_s,
                       // both late replies pair with their own heartbeats and do not undo the misses
                       u"r 2100 2100"_s, u"p 2100 2 0 1"_s, u"r 2200 1200"_s, u"p 2200 2 0 1"_s,
                       // this one answers the heartbeat sent at 2000, on time
                       u"r 2300 300"_s, u"p 2300 0 0 0"_s};
    QTest::newRow("late reply is not taken for the next heartbeat's")
        << qint64(1000) << 3 << qint64(0)
        << QStringList{u"s 0"_s,    u"p 1000 1 0 1"_s, u"s 1000"_s,      u"r 1200 1200"_s,
                       u"d 2000"_s, u"p 1500 1 0 1"_s, u"p 2000 2 0 1"_s};
    QTest::newRow("a miss seen only through its late reply counts once")
        << qint64(1000) << 3 << qint64(0)
        << QStringList{u"s 0"_s, u"r 1500 1500"_s, u"p 1600 1 0 1"_s, u"p 5000 1 0 1"_s};
    // Bound 2 × 1 s + 0.3 s after the last reply (at 1250): two late heartbeats are Suspect, the
    // silence reaching 2.3 s is Down.
    QTest::newRow("explicit timeout shorter than the interval")
        << qint64(1000) << 2 << qint64(300)
        << QStringList{u"s 0"_s,          u"d 300"_s,        u"p 299 0 0 0"_s, u"p 300 1 0 1"_s,
                       u"r 350 350"_s,    u"p 350 1 0 1"_s,  u"s 1000"_s,      u"d 1300"_s,
                       u"r 1250 250"_s,   u"p 1300 0 0 0"_s, u"s 2000"_s,      u"p 2300 1 0 1"_s,
                       u"s 3000"_s,       u"p 3300 2 0 1"_s, u"x 3550"_s,      u"p 3549 2 0 1"_s,
                       u"p 3550 2 1 0"_s, u"o 2 2"_s};
    QTest::newRow("timeout longer than the interval keeps several in flight")
        << qint64(1000) << 2 << qint64(2500)
        << QStringList{u"s 0"_s,         u"s 1000"_s, u"s 2000"_s,       u"d 2500"_s,      u"p 2400 0 0 0"_s,
                       u"r 2400 2400"_s, u"d 3500"_s, u"p 3500 1 0 1"_s, u"r 3600 2600"_s, u"p 3600 1 0 1"_s};
    QTest::newRow("stray reply") << qint64(1000) << 3 << qint64(0)
                                 << QStringList{u"r 10 -"_s, u"s 100"_s, u"r 150 50"_s, u"r 160 -"_s,
                                                u"p 5000 0 0 0"_s};
    QTest::newRow("dead stays dead until restart")
        << qint64(1000) << 1 << qint64(0)
        << QStringList{u"s 0"_s,         u"p 1000 1 0 1"_s, u"s 1000"_s,       u"p 2000 2 1 0"_s,
                       u"r 2100 2100"_s, u"p 2200 2 1 0"_s, u"restart 3000"_s, u"p 3000 0 0 0"_s,
                       u"d -"_s,         u"x -"_s};
    // Issue #12: heartbeat 1 s × 3, the peer paused right after answering at 10 ms. Down 3 s after
    // that reply (it used to be the third miss, 4 intervals after the reply: 3.99 s), with the
    // third heartbeat of the silence just sent.
    QTest::newRow("paused right after answering: down at interval x misses")
        << qint64(1000) << 3 << qint64(0)
        << QStringList{u"s 0"_s,          u"r 10 10"_s, u"x -"_s,          u"s 1000"_s,
                       u"x 3010"_s,       u"s 2000"_s,  u"p 2000 1 0 1"_s, u"s 3000"_s,
                       u"p 3009 2 0 1"_s, u"o 3 2"_s,   u"p 3010 2 1 0"_s};
    QTest::newRow("no reply at all: down at interval x misses after the first heartbeat")
        << qint64(1000) << 3 << qint64(0)
        << QStringList{u"s 0"_s, u"x 3000"_s, u"s 1000"_s, u"s 2000"_s, u"p 2999 2 0 1"_s, u"p 3000 3 1 0"_s};
    // Every reply 2.5 s after its heartbeat, every heartbeat past its 1 s window: late, Suspect, but
    // never 3 s without a reply, so never Down.
    QTest::newRow("slow but live peer below the bound")
        << qint64(1000) << 3 << qint64(0)
        << QStringList{u"s 0"_s,          u"s 1000"_s,       u"p 1000 1 0 1"_s, u"s 2000"_s,
                       u"p 2000 2 0 1"_s, u"r 2500 2500"_s,  u"x 5500"_s,       u"s 3000"_s,
                       u"p 3000 3 0 1"_s, u"r 3500 2500"_s,  u"s 4000"_s,       u"r 4500 2500"_s,
                       u"s 5000"_s,       u"r 5500 2500"_s,  u"s 6000"_s,       u"p 6400 6 0 1"_s,
                       u"r 6500 2500"_s,  u"p 9000 7 0 1"_s, u"o 2 2"_s};
    QTest::newRow("round trip above the bound is down")
        << qint64(1000) << 3 << qint64(0)
        << QStringList{u"s 0"_s,          u"s 1000"_s,      u"s 2000"_s,      u"p 2999 2 0 1"_s,
                       u"p 3000 3 1 0"_s, u"r 3200 3200"_s, u"p 3200 3 1 0"_s};
    QTest::newRow("explicit timeout adds to the bound")
        << qint64(1000) << 3 << qint64(500)
        << QStringList{u"s 0"_s,    u"r 20 20"_s,      u"s 1000"_s, u"p 1500 1 0 1"_s, u"s 2000"_s,
                       u"s 3000"_s, u"p 3500 3 0 1"_s, u"x 3520"_s, u"p 3519 3 0 1"_s, u"p 3520 3 1 0"_s};
    // One interval of silence would be Down as the next heartbeat leaves: it gets its own interval.
    QTest::newRow("misses 1 without a timeout waits for the next heartbeat's reply")
        << qint64(1000) << 1 << qint64(0)
        << QStringList{u"s 0"_s,          u"r 10 10"_s,      u"s 1000"_s,      u"x 2010"_s,
                       u"p 1999 0 0 0"_s, u"r 1990 990"_s,   u"s 2000"_s,      u"x 3990"_s,
                       u"p 3000 1 0 1"_s, u"p 3989 1 0 1"_s, u"p 3990 1 1 0"_s};
    // The engine stalled and sent nothing for 9 s: the silence is its own, not the peer's.
    QTest::newRow("a stalled engine does not blame the peer")
        << qint64(1000) << 3 << qint64(0) << QStringList{u"s 0"_s,     u"r 10 10"_s,      u"s 9000"_s,
                                                         u"x 10000"_s, u"p 9000 0 0 0"_s, u"p 10000 1 1 0"_s};
}

void TestHeartbeatTracker::sequences()
{
    QFETCH(qint64, interval);
    QFETCH(int, misses);
    QFETCH(qint64, timeout);
    QFETCH(QStringList, steps);

    HeartbeatTracker tracker(
        HeartbeatParams{std::chrono::milliseconds(interval), misses, std::chrono::milliseconds(timeout)},
        kStart);
    for (const QString &step : steps) {
        const QStringList parts = step.split(u' ');
        const QString &op = parts.at(0);
        if (op == u"s") {
            tracker.noteSent(at(parts.at(1)));
        } else if (op == u"restart") {
            tracker.restart(at(parts.at(1)));
        } else if (op == u"r") {
            const auto rtt = tracker.noteReply(at(parts.at(1)));
            const QString got =
                rtt ? QString::number(std::chrono::duration_cast<std::chrono::milliseconds>(*rtt).count())
                    : u"-"_s;
            QVERIFY2(got == parts.at(2), qPrintable(step + u" got "_s + got));
        } else if (op == u"p") {
            const HeartbeatStatus status = tracker.poll(at(parts.at(1)));
            const QString got = QString::number(status.missedInARow) + u' ' +
                                QString::number(int(status.dead)) + u' ' +
                                QString::number(int(status.overdue));
            QVERIFY2(got == parts.mid(2).join(u' '), qPrintable(step + u" got "_s + got));
        } else if (op == u"d" || op == u"x") {
            const auto deadline = op == u"d" ? tracker.nextDeadline() : tracker.deadAt();
            const QString got = deadline ? QString::number(msSinceStart(*deadline)) : u"-"_s;
            QVERIFY2(got == parts.at(1), qPrintable(step + u" got "_s + got));
        } else if (op == u"o") {
            const QString got =
                QString::number(tracker.outstanding()) + u' ' + QString::number(tracker.outstandingMissed());
            QVERIFY2(got == parts.mid(1).join(u' '), qPrintable(step + u" got "_s + got));
        } else {
            QFAIL(qPrintable(u"bad step "_s + step));
        }
    }
}

void TestHeartbeatTracker::schedule()
{
    HeartbeatTracker tracker(HeartbeatParams{5000ms, 3, 0ms}, kStart);
    QCOMPARE(tracker.nextSendAt(), kStart); // the first heartbeat goes out at once
    tracker.noteSent(kStart + 10ms);
    // Then the grid (phase 0 here: kStart is a multiple of 5 s), not "sent + interval".
    QCOMPARE(tracker.nextSendAt(), kStart + 5000ms);
    QCOMPARE(tracker.nextWakeup(), kStart + 5000ms);
    QCOMPARE(tracker.replyDeadline(kStart + 10ms), kStart + 5010ms);
    QCOMPARE(tracker.noteReply(kStart + 30ms), std::optional<std::chrono::microseconds>(20ms));
    QCOMPARE(tracker.lastRtt(), std::optional<std::chrono::microseconds>(20ms));
    tracker.noteSent(kStart + 5010ms); // 10 ms late: the next one is not
    QCOMPARE(tracker.nextWakeup(), kStart + 10000ms);
    HeartbeatTracker quick(HeartbeatParams{5000ms, 3, 200ms}, kStart);
    quick.noteSent(kStart);
    QCOMPARE(quick.nextWakeup(), kStart + 200ms); // the reply deadline comes before the next send
    tracker.poll(kStart + 10010ms);
    QCOMPARE(tracker.sentCount(), 2u);
    QCOMPARE(tracker.replyCount(), 1u);
    QCOMPARE(tracker.missCount(), 1u);
    QCOMPARE(tracker.noteReply(kStart + 10020ms), std::optional<std::chrono::microseconds>(5010ms));
    QCOMPARE(tracker.lateReplyCount(), 1u);
}

void TestHeartbeatTracker::sendsKeepToTheGrid()
{
    // 5 s heartbeats whose sends the engine runs up to 128 ms late (one coalescing grid step): the
    // next send is always the next grid point, so 1,000 of them take exactly 1,000 intervals.
    const auto phase = 1234567us;
    HeartbeatTracker tracker(HeartbeatParams{5000ms, 3, 0ms, phase}, kStart);
    TimePoint t = tracker.nextSendAt();
    QCOMPARE(t, kStart);
    tracker.noteSent(t);
    const TimePoint firstOnGrid = tracker.nextSendAt();
    // The last grid point within one interval of the immediate first heartbeat.
    QVERIFY(firstOnGrid > kStart && firstOnGrid <= kStart + 5000ms);
    QCOMPARE((firstOnGrid.time_since_epoch() - phase) % 5000ms, Duration::zero());
    TimePoint due = firstOnGrid;
    for (int i = 0; i < 1000; ++i) {
        const auto late = std::chrono::milliseconds((i * 37) % 129);
        tracker.noteSent(due + late);
        tracker.noteReply(due + late + 1ms);
        const TimePoint next = tracker.nextSendAt();
        QCOMPARE(next - due, Duration(5000ms));
        due = next;
    }
    QCOMPARE(due - firstOnGrid, Duration(5000s));
    // A send the engine ran 3 s late: the next one is still the next grid point, 2 s later.
    tracker.noteSent(due + 3000ms);
    QCOMPARE(tracker.nextSendAt() - due, Duration(5000ms));
    // One stalled past a whole interval: the point within an interval of the send, none skipped twice.
    tracker.noteSent(due + 5000ms + 7000ms);
    QCOMPARE(tracker.nextSendAt() - due, Duration(15000ms));
}

void TestHeartbeatTracker::phasesAreStableAndSpread()
{
    using kw::PhaseGrid;
    QCOMPARE(PhaseGrid::forName("db-primary", 5s), PhaseGrid::forName("db-primary", 5s));
    QVERIFY(PhaseGrid::forName("db-primary", 5s).phase != PhaseGrid::forName("db-replica", 5s).phase);
    // Fixed forever: a phase that changed between versions would move every endpoint's heartbeats.
    QCOMPARE(PhaseGrid::seedOf(""), PhaseGrid::seedOf(std::string_view()));
    QCOMPARE(PhaseGrid::seedOf("ep-00000"), PhaseGrid::seedOf("ep-00000"));

    // Issue #12's scale run: 10,000 endpoints named in sequence, heartbeat 5 s, all started in the
    // same second. Their sends, coalesced onto the engine's 128 ms grid (5 % of 5 s, rounded down to
    // a power of two), fill the interval: no 100 ms window holds more than 1.5 × the mean.
    constexpr int kEndpoints = 10000;
    const auto interval = 5000ms;
    std::map<qint64, int> perWindow; // 100 ms window -> sends in it
    std::map<qint64, int> perPhase;  // 100 ms of phase -> endpoints
    for (int i = 0; i < kEndpoints; ++i) {
        const std::string name = QStringLiteral("ep-%1").arg(i, 5, 10, QLatin1Char('0')).toStdString();
        const PhaseGrid grid = PhaseGrid::forName(name, interval);
        QVERIFY(grid.phase >= Duration::zero() && grid.phase < Duration(interval));
        ++perPhase[std::chrono::duration_cast<std::chrono::milliseconds>(grid.phase).count() / 100];
        const TimePoint send = grid.atOrAfter(kStart + 1h);
        // EngineTimers::coalesced: up onto the 128 ms grid.
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(send.time_since_epoch()).count();
        const qint64 coalesced = (ms + 127) / 128 * 128;
        ++perWindow[coalesced / 100];
    }
    const double mean = double(kEndpoints) / double(interval / 100ms);
    const auto busiest = [](const std::map<qint64, int> &m) {
        return std::max_element(m.begin(), m.end(), [](auto a, auto b) { return a.second < b.second; })
            ->second;
    };
    QVERIFY2(perPhase.size() == 50, qPrintable(QString::number(perPhase.size())));
    QVERIFY2(busiest(perPhase) <= 1.3 * mean, qPrintable(QString::number(busiest(perPhase))));
    QVERIFY2(busiest(perWindow) <= 1.5 * mean, qPrintable(QString::number(busiest(perWindow))));
}

void TestHeartbeatTracker::phaseGridArithmetic()
{
    using kw::PhaseGrid;
    const PhaseGrid grid{1000ms, 250ms};
    const TimePoint epoch{};
    QCOMPARE(grid.atOrAfter(epoch + 250ms), epoch + 250ms);
    QCOMPARE(grid.atOrAfter(epoch + 251ms), epoch + 1250ms);
    QCOMPARE(grid.atOrBefore(epoch + 1249ms), epoch + 250ms);
    QCOMPARE(grid.atOrBefore(epoch + 1250ms), epoch + 1250ms);
    // Before the epoch (a clock whose epoch is near now) the grid continues.
    QCOMPARE(grid.atOrBefore(epoch + 100ms), epoch - 750ms);
    QCOMPARE(grid.atOrAfter(epoch - 1000ms), epoch - 750ms);
    const PhaseGrid odd = PhaseGrid::forSeed(~std::uint64_t(0), 1ms);
    QVERIFY(odd.phase >= Duration::zero() && odd.phase < Duration(1ms));
}

// deadAfter() is what the session shows as the heartbeat's bound and what poll() implements.
void TestHeartbeatTracker::boundFormula_data()
{
    QTest::addColumn<qint64>("interval");
    QTest::addColumn<int>("misses");
    QTest::addColumn<qint64>("timeout");
    QTest::addColumn<qint64>("bound");
    QTest::newRow("1 s x 3") << qint64(1000) << 3 << qint64(0) << qint64(3000);
    QTest::newRow("5 s x 3 + 2 s") << qint64(5000) << 3 << qint64(2000) << qint64(17000);
    QTest::newRow("1 s x 1") << qint64(1000) << 1 << qint64(0) << qint64(2000);
    QTest::newRow("1 s x 1 + 0.3 s") << qint64(1000) << 1 << qint64(300) << qint64(1300);
}

void TestHeartbeatTracker::boundFormula()
{
    QFETCH(qint64, interval);
    QFETCH(int, misses);
    QFETCH(qint64, timeout);
    QFETCH(qint64, bound);
    const HeartbeatParams params{std::chrono::milliseconds(interval), misses,
                                 std::chrono::milliseconds(timeout)};
    QCOMPARE(params.deadAfter().count(), bound);
    // A peer that never answers is dead exactly `bound` after the first heartbeat, never earlier.
    HeartbeatTracker tracker(params, kStart);
    for (TimePoint t = kStart; t <= kStart + std::chrono::milliseconds(bound); t += 1ms) {
        if (t == tracker.nextSendAt())
            tracker.noteSent(t);
        const bool dead = tracker.poll(t).dead;
        QVERIFY2(dead == (t >= kStart + std::chrono::milliseconds(bound)),
                 qPrintable(QString::number(msSinceStart(t))));
    }
}

void TestHeartbeatTracker::memoryStaysBounded()
{
    // A peer that never answers while the engine keeps sending (e.g. dead is
    // ignored by the caller): the pending list must not grow without bound.
    HeartbeatTracker tracker(HeartbeatParams{1000ms, 3, 0ms}, kStart);
    TimePoint t = kStart;
    for (int i = 0; i < 10000; ++i) {
        tracker.noteSent(t);
        t += 1000ms;
        tracker.poll(t);
    }
    QVERIFY(tracker.outstanding() <= 8);
    QVERIFY(sizeof(HeartbeatTracker) <= 200);
    QCOMPARE(tracker.missCount(), 10000u);
    QVERIFY(tracker.status().dead);
}

QTEST_GUILESS_MAIN(TestHeartbeatTracker)
#include "tst_heartbeattracker.moc"
