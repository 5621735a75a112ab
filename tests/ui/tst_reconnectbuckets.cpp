#include "eventlog.h"
#include "reconnectbuckets.h"

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <memory>

using namespace kw;
using namespace std::chrono_literals;

namespace {
const QDateTime kNow = QDateTime(QDate(2026, 11, 21), QTime(18, 5), Qt::UTC);
// 15-minute buckets, four of them: 17:15, 17:30, 17:45 and 18:00 (the one holding kNow).
const QDateTime kFirst = QDateTime(QDate(2026, 11, 21), QTime(17, 15), Qt::UTC);

Event downAt(const QString &endpoint, const QDateTime &ts, const Cause &cause)
{
    Event e = Event::stateChange(endpoint, EndpointState::Down, cause, u"test"_qs);
    e.ts = ts;
    return e;
}

QDateTime at(int minutesAfterFirst, int seconds = 0)
{
    return kFirst.addSecs(minutesAfterFirst * 60 + seconds);
}

using Counts = QList<ReconnectBuckets::CauseCount>;
} // namespace

class TestReconnectBuckets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bucketsAreAligned();
    void countsByCauseFromTheLog();
    void onlyDropsCount_data();
    void onlyDropsCount();
    void advanceSlidesTheRange();
    void countingStopsWhenCancelled();
};

void TestReconnectBuckets::bucketsAreAligned()
{
    const ReconnectBuckets b(kNow, 15min, 4);
    QCOMPARE(b.size(), 4);
    QCOMPARE(b.since(), kFirst);
    QCOMPARE(b.until(), kFirst.addSecs(60 * 60));
    QCOMPARE(b.bucketStart(3), QDateTime(QDate(2026, 11, 21), QTime(18, 0), Qt::UTC));
    QCOMPARE(b.indexOf(kFirst), 0);
    QCOMPARE(b.indexOf(kFirst.addMSecs(-1)), -1);
    QCOMPARE(b.indexOf(at(15).addMSecs(-1)), 0);
    QCOMPARE(b.indexOf(at(15)), 1);
    QCOMPARE(b.indexOf(b.until()), -1);
    QVERIFY(b.isEmpty());
    QVERIFY(!b.latest().isValid());
}

void TestReconnectBuckets::countsByCauseFromTheLog()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString error;
    std::unique_ptr<EventLog> log = EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));

    QList<Event> events = {
        // Before the range and at its end: not counted.
        downAt(u"a"_qs, kFirst.addSecs(-1), CauseCode::Reset),
        downAt(u"a"_qs, kFirst.addSecs(3600), CauseCode::Reset),
        // Bucket 0: two keepalive timeouts on a and b, a reset on a.
        downAt(u"a"_qs, at(0), CauseCode::KeepaliveTimeout),
        downAt(u"b"_qs, at(3), CauseCode::KeepaliveTimeout),
        downAt(u"a"_qs, at(14, 59), CauseCode::Reset),
        // Bucket 2: c refused twice, d closed with a WebSocket code.
        downAt(u"c"_qs, at(31), CauseCode::Refused),
        downAt(u"c"_qs, at(32), CauseCode::Refused),
        downAt(u"d"_qs, at(40), Cause(CauseCode::WsClose, "1006")),
        // Bucket 3: a drop naming no cause.
        downAt(u"e"_qs, at(47), Cause()),
        // Not reconnects: stopped by the user, back up, a sample, a device.
        downAt(u"a"_qs, at(5), CauseCode::Stopped),
    };
    Event up = Event::stateChange(u"a"_qs, EndpointState::Up);
    up.ts = at(1);
    Event rtt = Event::rtt(u"a"_qs, 1.5, u"connect"_qs);
    rtt.ts = at(1);
    Event device = Event::deviceChange(u"m"_qs, EndpointState::Down, CauseCode::DeviceSilent, u"quiet"_qs,
                                       QJsonObject{{u"device"_qs, u"t/1"_qs}});
    device.ts = at(2);
    events += {up, rtt, device};
    QVERIFY2(log->append(events, &error), qPrintable(error));

    ReconnectBuckets b(kNow, 15min, 4);
    std::atomic_bool cancelled{false};
    QVERIFY2(b.countLog(*log, cancelled, &error), qPrintable(error));

    QCOMPARE(b.total(), 7);
    QCOMPARE(b.total(0), 3);
    QCOMPARE(b.total(1), 0);
    QCOMPARE(b.total(2), 3);
    QCOMPARE(b.total(3), 1);
    QCOMPARE(b.maxTotal(), 3);
    QCOMPARE(b.count(0, u"keepalive-timeout"_qs), 2);
    QCOMPARE(b.count(0, u"reset"_qs), 1);
    QCOMPARE(b.count(2, u"refused"_qs), 2);
    QCOMPARE(b.count(2, u"ws-close:1006"_qs), 1);
    QCOMPARE(b.count(3, QString()), 1);
    QCOMPARE(b.count(1, u"reset"_qs), 0);

    QCOMPARE(b.endpoints(0), (QStringList{u"a"_qs, u"b"_qs}));
    QCOMPARE(b.endpoints(0, u"keepalive-timeout"_qs), (QStringList{u"a"_qs, u"b"_qs}));
    QCOMPARE(b.endpoints(0, u"reset"_qs), QStringList{u"a"_qs});
    QCOMPARE(b.endpoints(2, u"refused"_qs), QStringList{u"c"_qs}); // twice, listed once
    QCOMPARE(b.endpoints(2), (QStringList{u"c"_qs, u"d"_qs}));
    QCOMPARE(b.endpoints(1), QStringList());
    QCOMPARE(b.endpointCount(), 5);

    QCOMPARE(b.causes(), (Counts{{u"keepalive-timeout"_qs, 2},
                                 {u"refused"_qs, 2},
                                 {QString(), 1},
                                 {u"reset"_qs, 1},
                                 {u"ws-close:1006"_qs, 1}}));
    QCOMPARE(b.causes(2), (Counts{{u"refused"_qs, 2}, {u"ws-close:1006"_qs, 1}}));
    QCOMPARE(b.latest(), at(47));
}

void TestReconnectBuckets::onlyDropsCount_data()
{
    QTest::addColumn<Event>("event");
    QTest::addColumn<bool>("counted");
    QTest::newRow("down") << downAt(u"a"_qs, at(1), CauseCode::Reset) << true;
    QTest::newRow("down without cause") << downAt(u"a"_qs, at(1), Cause()) << true;
    QTest::newRow("listen peer down") << downAt(u"in/peer-1"_qs, at(1), CauseCode::HeartbeatTimeout) << true;
    QTest::newRow("stopped by the user") << downAt(u"a"_qs, at(1), CauseCode::Stopped) << false;
    Event waiting = Event::stateChange(u"a"_qs, EndpointState::Waiting, CauseCode::Reset);
    waiting.ts = at(1);
    QTest::newRow("waiting") << waiting << false;
    Event suspect = Event::stateChange(u"a"_qs, EndpointState::Suspect);
    suspect.ts = at(1);
    QTest::newRow("suspect") << suspect << false;
    Event info = Event::info(u"a"_qs, u"hello"_qs);
    info.ts = at(1);
    QTest::newRow("info") << info << false;
    QTest::newRow("too old") << downAt(u"a"_qs, kFirst.addSecs(-60), CauseCode::Reset) << false;
}

void TestReconnectBuckets::onlyDropsCount()
{
    QFETCH(Event, event);
    QFETCH(bool, counted);
    ReconnectBuckets b(kNow, 15min, 4);
    QCOMPARE(b.add(event), counted);
    QCOMPARE(b.total(), counted ? 1 : 0);
    QCOMPARE(b.total(0), counted ? 1 : 0);
}

void TestReconnectBuckets::advanceSlidesTheRange()
{
    ReconnectBuckets b(kNow, 15min, 4);
    QVERIFY(b.add(downAt(u"a"_qs, at(1), CauseCode::Reset)));    // bucket 0
    QVERIFY(b.add(downAt(u"b"_qs, at(50), CauseCode::Refused))); // bucket 3
    QVERIFY(!b.advanceTo(kNow.addSecs(60)));                     // same last bucket
    QVERIFY(!b.advanceTo(kNow.addSecs(-3600)));                  // never back
    QCOMPARE(b.total(), 2);

    // 18:16: bucket 0 (17:15) falls out, the refused drop is now in bucket 2.
    QVERIFY(b.advanceTo(kNow.addSecs(11 * 60)));
    QCOMPARE(b.since(), at(15));
    QCOMPARE(b.size(), 4);
    QCOMPARE(b.total(), 1);
    QCOMPARE(b.total(2), 1);
    QCOMPARE(b.endpoints(2, u"refused"_qs), QStringList{u"b"_qs});
    QCOMPARE(b.total(3), 0);
    QVERIFY(b.add(downAt(u"c"_qs, kNow.addSecs(12 * 60), CauseCode::Reset)));
    QCOMPARE(b.total(3), 1);

    // A day later nothing is left.
    QVERIFY(b.advanceTo(kNow.addDays(1)));
    QCOMPARE(b.size(), 4);
    QCOMPARE(b.total(), 0);
    QVERIFY(b.isEmpty());
    QCOMPARE(b.maxTotal(), 0);
}

void TestReconnectBuckets::countingStopsWhenCancelled()
{
    QTemporaryDir dir;
    QString error;
    std::unique_ptr<EventLog> log = EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    QList<Event> events;
    for (int i = 0; i < 2000; ++i)
        events.append(downAt(u"a"_qs, kFirst.addMSecs(i), CauseCode::Reset));
    QVERIFY2(log->append(events, &error), qPrintable(error));

    ReconnectBuckets all(kNow, 15min, 4);
    std::atomic_bool no{false};
    QVERIFY(all.countLog(*log, no, &error));
    QCOMPARE(all.total(), 2000);

    // Cancelled before it starts: it stops at the first check and keeps what it counted.
    ReconnectBuckets some(kNow, 15min, 4);
    std::atomic_bool yes{true};
    QVERIFY(some.countLog(*log, yes, &error));
    QCOMPARE(some.total(), 512);
}

QTEST_GUILESS_MAIN(TestReconnectBuckets)
#include "tst_reconnectbuckets.moc"
