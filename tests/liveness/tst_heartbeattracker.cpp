#include "heartbeattracker.h"

#include <QStringList>
#include <QTest>

#include <chrono>

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;
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
    void memoryStaysBounded();
};

// Each step is one of
//   "s T"              heartbeat sent at T ms
//   "r T RTT" / "r T -" reply at T; expected round trip, or none (stray)
//   "p T M D O"        poll at T: missedInARow M, dead D (0/1), overdue O (0/1)
//   "d T" / "d -"      nextDeadline() is T / none
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
    QTest::newRow("explicit timeout shorter than the interval")
        << qint64(1000) << 2 << qint64(300)
        << QStringList{u"s 0"_s,        u"d 300"_s,        u"p 299 0 0 0"_s, u"p 300 1 0 1"_s,
                       u"r 350 350"_s,  u"p 350 1 0 1"_s,  u"s 1000"_s,      u"d 1300"_s,
                       u"r 1250 250"_s, u"p 1300 0 0 0"_s, u"s 2000"_s,      u"p 2300 1 0 1"_s,
                       u"s 3000"_s,     u"p 3300 2 1 0"_s};
    QTest::newRow("timeout longer than the interval keeps several in flight")
        << qint64(1000) << 2 << qint64(2500)
        << QStringList{u"s 0"_s,         u"s 1000"_s, u"s 2000"_s,       u"d 2500"_s,      u"p 2400 0 0 0"_s,
                       u"r 2400 2400"_s, u"d 3500"_s, u"p 3500 1 0 1"_s, u"r 3600 2600"_s, u"p 3600 1 0 1"_s};
    QTest::newRow("stray reply") << qint64(1000) << 3 << qint64(0)
                                 << QStringList{u"r 10 -"_s, u"s 100"_s, u"r 150 50"_s, u"r 160 -"_s,
                                                u"p 5000 0 0 0"_s};
    QTest::newRow("dead stays dead until restart")
        << qint64(1000) << 1 << qint64(0)
        << QStringList{u"s 0"_s,          u"p 1000 1 1 0"_s, u"s 1000"_s,       u"r 1100 1100"_s,
                       u"p 1200 1 1 0"_s, u"restart 2000"_s, u"p 2000 0 0 0"_s, u"d -"_s};
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
        } else if (op == u"d") {
            const auto deadline = tracker.nextDeadline();
            const QString got = deadline ? QString::number(msSinceStart(*deadline)) : u"-"_s;
            QVERIFY2(got == parts.at(1), qPrintable(step + u" got "_s + got));
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
    QCOMPARE(tracker.nextSendAt(), kStart + 5010ms);
    QCOMPARE(tracker.nextWakeup(), kStart + 5010ms);
    QCOMPARE(tracker.replyDeadline(kStart + 10ms), kStart + 5010ms);
    QCOMPARE(tracker.noteReply(kStart + 30ms), std::optional<std::chrono::microseconds>(20ms));
    QCOMPARE(tracker.lastRtt(), std::optional<std::chrono::microseconds>(20ms));
    tracker.noteSent(kStart + 5010ms);
    QCOMPARE(tracker.nextWakeup(), kStart + 10010ms);
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
    QCOMPARE(tracker.missCount(), 10000u);
    QVERIFY(tracker.status().dead);
}

QTEST_GUILESS_MAIN(TestHeartbeatTracker)
#include "tst_heartbeattracker.moc"
