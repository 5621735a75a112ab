#include "event.h"

#include "eventtostring.h"

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

// A tcpinfo event as OutboundSession::pollTcpInfo() makes it.
kw::Event tcpInfoEvent()
{
    kw::Event e;
    e.ts = at(kT0);
    e.endpoint = u"db"_s;
    e.kind = kw::EventKind::TcpInfo;
    e.rttMs = 0.25;
    e.source = u"tcpinfo"_s;
    kw::TcpInfoSample &s = e.tcpInfo.emplace();
    s.set(kw::TcpInfoSample::Probes, 0u);
    s.set(kw::TcpInfoSample::Retransmits, 2u);
    s.set(kw::TcpInfoSample::Unacked, 1u);
    s.set(kw::TcpInfoSample::TotalRetrans, 7u);
    s.set(kw::TcpInfoSample::RttVarUs, 125u);
    s.set(kw::TcpInfoSample::LastAckRecvMs, 4000000000u);
    s.tcpState = kw::TcpInfoSample::stateText("ESTABLISHED");
    return e;
}

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
    void kindNames_data();
    void kindNames();
    void unknownKindNames_data();
    void unknownKindNames();
    void fromJsonLineNamesTheProblem_data();
    void fromJsonLineNamesTheProblem();
    void unknownCauseIsKept_data();
    void unknownCauseIsKept();
    void timestamps_data();
    void timestamps();
    void factories();
    void tcpInfoWritesAsData();
    void tcpInfoRoundTrips();
    void tcpInfoWithOtherKeysStaysData();
};

void TestEvent::jsonLine_data()
{
    QTest::addColumn<kw::Event>("event");
    QTest::addColumn<QByteArray>("line");

    kw::Event down;
    down.ts = at(kT0);
    down.endpoint = u"db"_s;
    down.kind = kw::EventKind::State;
    down.state = kw::EndpointState::Down;
    down.cause = kw::Cause(kw::CauseCode::Reset);
    down.detail = u"connection reset by peer"_s;
    QTest::newRow("state") << down
                           << QByteArray(
                                  R"({"ts":"2026-11-21T18:00:00.123Z","endpoint":"db","kind":"state",)"
                                  R"("state":"down","cause":"reset","detail":"connection reset by peer"})");

    kw::Event rtt;
    rtt.ts = at(kT0);
    rtt.endpoint = u"db"_s;
    rtt.kind = kw::EventKind::Rtt;
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
    data.kind = kw::EventKind::TcpInfo;
    data.data =
        QJsonObject{{u"zeta"_s, 1}, {u"alpha"_s, QJsonArray{1, 2}}, {u"probes"_s, 0}, {u"ts"_s, u"shadow"_s}};
    QTest::newRow("data keys sorted after fields, reserved ones skipped")
        << data
        << QByteArray(R"({"ts":"2026-11-21T18:00:00.123Z","endpoint":"db","kind":"tcpinfo","alpha":[1,2],)"
                      R"("probes":0,"zeta":1})");

    kw::Event escaping;
    escaping.ts = at(kT0);
    escaping.endpoint = u"plc \"3\""_s;
    escaping.kind = kw::EventKind::Info;
    escaping.detail = u"line1\nline2\ttab \\ ünï ✓ \u0001"_s;
    QTest::newRow("escaping")
        << escaping
        << QByteArray(R"({"ts":"2026-11-21T18:00:00.123Z","endpoint":"plc \"3\"","kind":"info",)"
                      R"("detail":"line1\nline2\ttab \\ )") +
               QByteArray("\xc3\xbcn\xc3\xaf \xe2\x9c\x93 ") + QByteArray(R"(\u0001"})");

    kw::Event device;
    device.ts = at(kT0);
    device.endpoint = u"plant-broker"_s;
    device.kind = kw::EventKind::Device;
    device.state = kw::EndpointState::Down;
    device.cause = kw::Cause(kw::CauseCode::DeviceSilent);
    device.detail = u"no heartbeat for 30 s"_s;
    device.data = QJsonObject{{u"device"_s, u"devices/a17/heartbeat"_s},
                              {u"id"_s, u"a17"_s},
                              {u"watch"_s, u"devices/+/heartbeat"_s}};
    QTest::newRow("device")
        << device
        << QByteArray(R"({"ts":"2026-11-21T18:00:00.123Z","endpoint":"plant-broker","kind":"device",)"
                      R"("state":"down","cause":"device-silent","detail":"no heartbeat for 30 s",)"
                      R"("device":"devices/a17/heartbeat","id":"a17","watch":"devices/+/heartbeat"})");

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
    full.kind = kw::EventKind::State;
    full.state = kw::EndpointState::Down;
    full.cause = kw::Cause(kw::CauseCode::MqttRefused, "bad-credentials");
    full.detail = u"CONNACK 0x86, \"quoted\", comma"_s;
    full.rttMs = 17.125;
    full.source = u"mqtt-ping"_s;
    full.data = QJsonObject{{u"bound_ms"_s, 45000}, {u"nested"_s, QJsonObject{{u"a"_s, true}}}};
    QTest::newRow("every field") << full;
    QTest::newRow("state factory") << kw::Event::stateChange(u"db"_s, kw::EndpointState::Up);
    QTest::newRow("rtt factory") << kw::Event::rtt(u"db"_s, 0.5, u"heartbeat"_s);
    QTest::newRow("device will") << kw::Event::deviceChange(
        u"broker"_s, kw::EndpointState::Down, kw::Cause(kw::CauseCode::DeviceWill), u"Will: offline"_s,
        QJsonObject{{u"device"_s, u"plc/7/status"_s}, {u"id"_s, u"7"_s}, {u"watch"_s, u"plc/+/status"_s}});
    QTest::newRow("device up") << kw::Event::deviceChange(u"broker"_s, kw::EndpointState::Up, {}, {},
                                                          QJsonObject{{u"device"_s, u"d/1"_s}});
    QTest::newRow("device summary") << kw::Event::deviceChange(
        u"broker"_s, kw::EndpointState::Down, kw::Cause(kw::CauseCode::DeviceSilent), u"120 devices silent"_s,
        QJsonObject{{u"devices"_s, 120}, {u"topics"_s, QJsonArray{u"d/1"_s, u"d/2"_s}}});
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

void TestEvent::kindNames_data()
{
    QTest::addColumn<kw::EventKind>("kind");
    QTest::addColumn<QString>("name");

    // The names are the file format of the JSON lines, the SQLite log and the exports.
    QTest::newRow("state") << kw::EventKind::State << u"state"_s;
    QTest::newRow("rtt") << kw::EventKind::Rtt << u"rtt"_s;
    QTest::newRow("tcpinfo") << kw::EventKind::TcpInfo << u"tcpinfo"_s;
    QTest::newRow("keepalive") << kw::EventKind::Keepalive << u"keepalive"_s;
    QTest::newRow("info") << kw::EventKind::Info << u"info"_s;
    QTest::newRow("device") << kw::EventKind::Device << u"device"_s;
}

void TestEvent::kindNames()
{
    QFETCH(kw::EventKind, kind);
    QFETCH(QString, name);
    QCOMPARE(kw::eventKindName(kind), name);
    QCOMPARE(kw::eventKindFromName(name), kind);

    kw::Event event;
    event.ts = at(kT0);
    event.kind = kind;
    const QByteArray line = event.toJsonLine();
    QCOMPARE(line, R"({"ts":"2026-11-21T18:00:00.123Z","kind":")" + name.toUtf8() + R"("})");
    QString error;
    const std::optional<kw::Event> back = kw::Event::fromJsonLine(line, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->kind, kind);
}

void TestEvent::unknownKindNames_data()
{
    QTest::addColumn<QString>("name");

    QTest::newRow("capitalised") << u"State"_s;
    QTest::newRow("trailing space") << u"rtt "_s;
    QTest::newRow("spelled apart") << u"tcp_info"_s;
    QTest::newRow("a state, not a kind") << u"down"_s;
    QTest::newRow("empty") << QString();
}

void TestEvent::unknownKindNames()
{
    QFETCH(QString, name);
    QCOMPARE(kw::eventKindFromName(name), std::nullopt);
}

void TestEvent::fromJsonLineNamesTheProblem_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QStringList>("named"); // words the error must contain besides the line

    QTest::newRow("unknown kind")
        << QByteArray(R"({"ts":"2026-11-21T18:00:00.123Z","endpoint":"db","kind":"latency","rtt_ms":1})")
        << QStringList{u"unknown event kind \"latency\""_s, u"state, rtt, tcpinfo, keepalive, info"_s};
    QTest::newRow("kind in another case")
        << QByteArray(R"({"ts":"2026-11-21T18:00:00.123Z","endpoint":"db","kind":"State","state":"up"})")
        << QStringList{u"\"State\""_s};
    QTest::newRow("unknown state")
        << QByteArray(R"({"ts":"2026-11-21T18:00:00.123Z","endpoint":"db","kind":"state","state":"asleep"})")
        << QStringList{u"unknown state \"asleep\""_s};
    QTest::newRow("bad ts") << QByteArray(R"({"ts":"yesterday","kind":"info"})")
                            << QStringList{u"\"yesterday\""_s};
    QTest::newRow("not JSON") << QByteArray(R"({"ts":"2026-11-21T18:00:00.123Z","kind":)")
                              << QStringList{u"not JSON"_s};
    QTest::newRow("not an object") << QByteArray(R"(["state"])") << QStringList{u"not a JSON object"_s};
}

void TestEvent::fromJsonLineNamesTheProblem()
{
    QFETCH(QByteArray, line);
    QFETCH(QStringList, named);
    QString error;
    QVERIFY(!kw::Event::fromJsonLine(line, &error));
    QVERIFY2(error.contains(QString::fromUtf8(line)), qPrintable(error));
    for (const QString &word : named)
        QVERIFY2(error.contains(word), qPrintable(error));
    // The object reader gives the same reason, without the line.
    const QJsonDocument doc = QJsonDocument::fromJson(line);
    if (doc.isObject()) {
        QString objectError;
        QVERIFY(!kw::Event::fromJson(doc.object(), &objectError));
        QVERIFY2(error.startsWith(objectError), qPrintable(objectError));
    }
}

void TestEvent::unknownCauseIsKept_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("detail");

    // A log written by a newer version: the drop is still a drop, and the word is not lost.
    QTest::newRow("with a detail")
        << QByteArray(R"({"ts":"2026-11-21T18:00:00.123Z","endpoint":"db","kind":"state","state":"down",)"
                      R"("cause":"quic-idle","detail":"no packets for 30 s"})")
        << u"quic-idle: no packets for 30 s"_s;
    QTest::newRow("detail before the cause")
        << QByteArray(
               R"({"detail":"no packets for 30 s","cause":"quic-idle","ts":"2026-11-21T18:00:00.123Z",)"
               R"("endpoint":"db","kind":"state","state":"down"})")
        << u"quic-idle: no packets for 30 s"_s;
    QTest::newRow("without a detail")
        << QByteArray(
               R"({"ts":"2026-11-21T18:00:00.123Z","endpoint":"db","kind":"state","state":"down","cause":"quic-idle"})")
        << u"quic-idle"_s;
    QTest::newRow("a reason on a cause that takes none")
        << QByteArray(
               R"({"ts":"2026-11-21T18:00:00.123Z","endpoint":"db","kind":"state","state":"down","cause":"reset:rst"})")
        << u"reset:rst"_s;
}

void TestEvent::unknownCauseIsKept()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, detail);
    QString error;
    const std::optional<kw::Event> event = kw::Event::fromJsonLine(line, &error);
    QVERIFY2(event, qPrintable(error));
    QCOMPARE(event->kind, kw::EventKind::State);
    QCOMPARE(event->state, kw::EndpointState::Down);
    QCOMPARE(event->cause, kw::Cause(kw::CauseCode::Network));
    QCOMPARE(event->detail, detail);
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
    const kw::Event down = kw::Event::stateChange(u"db"_s, kw::EndpointState::Down,
                                                  kw::Cause(kw::CauseCode::Refused), u"port closed"_s);
    QCOMPARE(down.kind, kw::EventKind::State);
    QCOMPARE(down.state, kw::EndpointState::Down);
    QCOMPARE(down.cause, kw::Cause(kw::CauseCode::Refused));
    QCOMPARE(down.detail, u"port closed"_s);
    QVERIFY(down.ts >= before);
    QCOMPARE(down.ts.timeSpec(), Qt::UTC);

    const kw::Event rtt = kw::Event::rtt(u"db"_s, 1.25, u"connect"_s);
    QCOMPARE(rtt.kind, kw::EventKind::Rtt);
    QCOMPARE(rtt.rttMs, 1.25);
    QCOMPARE(rtt.source, u"connect"_s);

    const kw::Event device =
        kw::Event::deviceChange(u"broker"_s, kw::EndpointState::Down, kw::Cause(kw::CauseCode::DeviceWill),
                                u"Will"_s, QJsonObject{{u"id"_s, u"7"_s}});
    QCOMPARE(device.kind, kw::EventKind::Device);
    QCOMPARE(device.state, kw::EndpointState::Down);
    QCOMPARE(device.cause, kw::Cause(kw::CauseCode::DeviceWill));
    QCOMPARE(device.data, (QJsonObject{{u"id"_s, u"7"_s}}));
    QVERIFY(!device.isState(kw::EndpointState::Down)); // the endpoint itself did not change state
    QVERIFY(device.ts >= before);
}

void TestEvent::tcpInfoWritesAsData()
{
    // The same line, object and keys as when the fields were a JSON object in `data`; a field the
    // kernel did not report (last_data_recv_ms) is not written.
    const kw::Event e = tcpInfoEvent();
    kw::Event asData = e;
    asData.tcpInfo.reset();
    asData.data = QJsonObject{{u"probes"_s, 0.0},
                              {u"retransmits"_s, 2.0},
                              {u"unacked"_s, 1.0},
                              {u"total_retrans"_s, 7.0},
                              {u"rttvar_ms_x1000"_s, 125.0},
                              {u"last_ack_recv_ms"_s, 4000000000.0},
                              {u"tcp_state"_s, u"ESTABLISHED"_s}};
    QCOMPARE(e.toJsonLine(), asData.toJsonLine());
    QCOMPARE(e.toJson(), asData.toJson());
    QCOMPARE(e.allData(), asData.data);
    QCOMPARE(e.toJsonLine(),
             QByteArray(R"({"ts":"2026-11-21T18:00:00.123Z","endpoint":"db","kind":"tcpinfo","rtt_ms":0.25,)"
                        R"("source":"tcpinfo","last_ack_recv_ms":4000000000,"probes":0,"retransmits":2,)"
                        R"("rttvar_ms_x1000":125,"tcp_state":"ESTABLISHED","total_retrans":7,"unacked":1})"));
    for (const kw::Event *event : {&e, static_cast<const kw::Event *>(&asData)}) {
        QCOMPARE(event->tcpInfoValue(kw::TcpInfoSample::Retransmits), 2.0);
        QCOMPARE(event->tcpInfoValue(kw::TcpInfoSample::Probes), 0.0);
        QCOMPARE(event->tcpInfoValue(kw::TcpInfoSample::LastDataRecvMs), std::nullopt);
    }
    // One text for every sample of a state, not one each.
    QCOMPARE(kw::TcpInfoSample::stateText("CLOSE_WAIT").constData(),
             kw::TcpInfoSample::stateText("CLOSE_WAIT").constData());
    QCOMPARE(kw::TcpInfoSample::stateText("CLOSE_WAIT"), u"CLOSE_WAIT"_s);
    QCOMPARE(kw::TcpInfoSample::stateText("UNKNOWN(99)"), u"UNKNOWN(99)"_s);
}

void TestEvent::tcpInfoRoundTrips()
{
    const kw::Event e = tcpInfoEvent();
    QString error;
    const std::optional<kw::Event> back = kw::Event::fromJsonLine(e.toJsonLine(), &error);
    QVERIFY2(back, qPrintable(error));
    QVERIFY(back->data.isEmpty());
    QVERIFY(back->tcpInfo);
    QCOMPARE(*back->tcpInfo, *e.tcpInfo);
    QVERIFY(*back == e);
    const std::optional<kw::Event> fromObject = kw::Event::fromJson(e.toJson(), &error);
    QVERIFY2(fromObject, qPrintable(error));
    QVERIFY(*fromObject == e);
}

void TestEvent::tcpInfoWithOtherKeysStaysData()
{
    // A key this version does not write (a newer Keepwatch, a hand-made line), a fraction or a
    // negative number: the whole object stays data, nothing is lost or half-taken.
    const QList<QJsonObject> objects{
        {{u"probes"_s, 1.0}, {u"rttvar_ms"_s, 0.4}},
        {{u"probes"_s, 1.5}},
        {{u"retransmits"_s, -1.0}},
        {{u"tcp_state"_s, 3.0}},
    };
    for (const QJsonObject &data : objects) {
        kw::Event e = tcpInfoEvent();
        e.tcpInfo.reset();
        e.data = data;
        QString error;
        const std::optional<kw::Event> back = kw::Event::fromJsonLine(e.toJsonLine(), &error);
        QVERIFY2(back, qPrintable(error));
        QVERIFY(!back->tcpInfo);
        QCOMPARE(back->data, data);
    }
    // Another kind's "probes" is that kind's data.
    kw::Event info = kw::Event::info(u"db"_s, u"x"_s, {{u"probes"_s, 1.0}});
    info.ts = at(kT0);
    const std::optional<kw::Event> back = kw::Event::fromJsonLine(info.toJsonLine());
    QVERIFY(back);
    QVERIFY(!back->tcpInfo);
    QVERIFY(*back == info);
}

QTEST_GUILESS_MAIN(TestEvent)
#include "tst_event.moc"
