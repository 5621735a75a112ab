#include "event.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QDateTime at(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

// 2026-11-21T18:00:00.123Z
const qint64 kT0 = 1795284000123;

} // namespace

class TestEvent : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonLine_data();
    void jsonLine();
    void fromJsonInverts_data();
    void fromJsonInverts();
    void fromJsonRejects_data();
    void fromJsonRejects();
    void timestamps_data();
    void timestamps();
    void factories();
};

void TestEvent::jsonLine_data()
{
    QTest::addColumn<kw::Event>("event");
    QTest::addColumn<QByteArray>("line");

    kw::Event down;
    down.ts = at(kT0);
    down.endpoint = u"db"_s;
    down.kind = u"state"_s;
    down.state = u"down"_s;
    down.cause = u"reset"_s;
    down.detail = u"connection reset by peer"_s;
    QTest::newRow("state") << down
                           << QByteArray(
                                  R"({"ts":"2026-11-21T18:00:00.123Z","endpoint":"db","kind":"state",)"
                                  R"("state":"down","cause":"reset","detail":"connection reset by peer"})");

    kw::Event rtt;
    rtt.ts = at(kT0);
    rtt.endpoint = u"db"_s;
    rtt.kind = u"rtt"_s;
    rtt.rttMs = 0.1 + 0.32; // 0.42000000000000004
    rtt.source = u"connect"_s;
    QTest::newRow("rtt rounded")
        << rtt
        << QByteArray(
               R"({"ts":"2026-11-21T18:00:00.123Z","endpoint":"db","kind":"rtt","rtt_ms":0.42,"source":"connect"})");

    kw::Event precise = rtt;
    precise.rttMs = 12.34567;
    QTest::newRow("rtt three decimals")
        << precise
        << QByteArray(R"({"ts":"2026-11-21T18:00:00.123Z","endpoint":"db","kind":"rtt",)"
                      R"("rtt_ms":12.346,"source":"connect"})");
    kw::Event whole = rtt;
    whole.rttMs = 3.0;
    QTest::newRow("rtt whole") << whole
                               << QByteArray(
                                      R"({"ts":"2026-11-21T18:00:00.123Z","endpoint":"db","kind":"rtt",)"
                                      R"("rtt_ms":3,"source":"connect"})");

    kw::Event data;
    data.ts = at(kT0);
    data.endpoint = u"db"_s;
    data.kind = u"tcpinfo"_s;
    data.data =
        QJsonObject{{u"zeta"_s, 1}, {u"alpha"_s, QJsonArray{1, 2}}, {u"probes"_s, 0}, {u"ts"_s, u"shadow"_s}};
    QTest::newRow("data keys sorted after fields, reserved ones skipped")
        << data
        << QByteArray(R"({"ts":"2026-11-21T18:00:00.123Z","endpoint":"db","kind":"tcpinfo","alpha":[1,2],)"
                      R"("probes":0,"zeta":1})");

    kw::Event escaping;
    escaping.ts = at(kT0);
    escaping.endpoint = u"plc \"3\""_s;
    escaping.kind = u"info"_s;
    escaping.detail = u"line1\nline2\ttab \\ ünï ✓ \u0001"_s;
    QTest::newRow("escaping")
        << escaping
        << QByteArray(R"({"ts":"2026-11-21T18:00:00.123Z","endpoint":"plc \"3\"","kind":"info",)"
                      R"("detail":"line1\nline2\ttab \\ )") +
               QByteArray("\xc3\xbcn\xc3\xaf \xe2\x9c\x93 ") + QByteArray(R"(\u0001"})");

    kw::Event empty;
    QTest::newRow("nothing set") << empty << QByteArray("{}");
}

void TestEvent::jsonLine()
{
    QFETCH(kw::Event, event);
    QFETCH(QByteArray, line);
    QCOMPARE(event.toJsonLine(), line);
    QVERIFY(!line.contains('\n'));
    // The line is valid JSON carrying the same object as toJson().
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(doc.object(), event.toJson());
}

void TestEvent::fromJsonInverts_data()
{
    QTest::addColumn<kw::Event>("event");

    kw::Event full;
    full.ts = at(kT0);
    full.endpoint = u"broker"_s;
    full.kind = u"state"_s;
    full.state = u"down"_s;
    full.cause = u"mqtt-refused:bad-credentials"_s;
    full.detail = u"CONNACK 0x86, \"quoted\", comma"_s;
    full.rttMs = 17.125;
    full.source = u"mqtt-ping"_s;
    full.data = QJsonObject{{u"bound_ms"_s, 45000}, {u"nested"_s, QJsonObject{{u"a"_s, true}}}};
    QTest::newRow("every field") << full;
    QTest::newRow("state factory") << kw::Event::stateChange(u"db"_s, u"up"_s);
    QTest::newRow("rtt factory") << kw::Event::rtt(u"db"_s, 0.5, u"heartbeat"_s);
}

void TestEvent::fromJsonInverts()
{
    QFETCH(kw::Event, event);
    const std::optional<kw::Event> fromObject = kw::Event::fromJson(event.toJson());
    QVERIFY(fromObject);
    QCOMPARE(*fromObject, event);
    const std::optional<kw::Event> fromLine =
        kw::Event::fromJson(QJsonDocument::fromJson(event.toJsonLine()).object());
    QVERIFY(fromLine);
    QCOMPARE(*fromLine, event);
}

void TestEvent::fromJsonRejects_data()
{
    QTest::addColumn<QByteArray>("json");

    QTest::newRow("no ts") << QByteArray(R"({"endpoint":"db","kind":"state"})");
    QTest::newRow("bad ts") << QByteArray(R"({"ts":"yesterday","endpoint":"db"})");
    QTest::newRow("ts number") << QByteArray(R"({"ts":1795284000123})");
    QTest::newRow("endpoint number") << QByteArray(R"({"ts":"2026-11-21T18:00:00.123Z","endpoint":5})");
    QTest::newRow("rtt string") << QByteArray(R"({"ts":"2026-11-21T18:00:00.123Z","rtt_ms":"1"})");
}

void TestEvent::fromJsonRejects()
{
    QFETCH(QByteArray, json);
    QVERIFY(!kw::Event::fromJson(QJsonDocument::fromJson(json).object()));
}

void TestEvent::timestamps_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ms"); // -1: invalid

    QTest::newRow("utc ms") << u"2026-11-21T18:00:00.123Z"_s << kT0;
    QTest::newRow("no ms") << u"2026-11-21T18:00:00Z"_s << kT0 - 123;
    QTest::newRow("offset") << u"2026-11-21T20:00:00.123+02:00"_s << kT0;
    QTest::newRow("no zone is utc") << u"2026-11-21T18:00:00.123"_s << kT0;
    QTest::newRow("garbage") << u"21/11/2026"_s << qint64(-1);
    QTest::newRow("empty") << QString() << qint64(-1);
}

void TestEvent::timestamps()
{
    QFETCH(QString, text);
    QFETCH(qint64, ms);
    const std::optional<QDateTime> ts = kw::parseTimestamp(text);
    if (ms < 0) {
        QVERIFY(!ts);
        return;
    }
    QVERIFY(ts);
    QCOMPARE(ts->toMSecsSinceEpoch(), ms);
    QCOMPARE(ts->timeSpec(), Qt::UTC);
}

void TestEvent::factories()
{
    QCOMPARE(kw::formatTimestamp(at(kT0)), u"2026-11-21T18:00:00.123Z"_s);
    QCOMPARE(kw::formatTimestamp(at(kT0).toOffsetFromUtc(3600)), u"2026-11-21T18:00:00.123Z"_s);
    QCOMPARE(kw::formatTimestamp(at(0)), u"1970-01-01T00:00:00.000Z"_s);
    QCOMPARE(kw::formatTimestamp(QDateTime()), QString());

    const QDateTime before = QDateTime::currentDateTimeUtc();
    const kw::Event down = kw::Event::stateChange(u"db"_s, u"down"_s, u"refused"_s, u"port closed"_s);
    QCOMPARE(down.kind, u"state"_s);
    QCOMPARE(down.state, u"down"_s);
    QCOMPARE(down.cause, u"refused"_s);
    QCOMPARE(down.detail, u"port closed"_s);
    QVERIFY(down.ts >= before);
    QCOMPARE(down.ts.timeSpec(), Qt::UTC);

    const kw::Event rtt = kw::Event::rtt(u"db"_s, 1.25, u"connect"_s);
    QCOMPARE(rtt.kind, u"rtt"_s);
    QCOMPARE(rtt.rttMs, 1.25);
    QCOMPARE(rtt.source, u"connect"_s);
}

QTEST_GUILESS_MAIN(TestEvent)
#include "tst_event.moc"
