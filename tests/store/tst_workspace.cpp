#include "workspace.h"
#include "workspacejson.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using kw::WorkspaceResult;
using namespace kw::test;

class TestWorkspace : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void invalid_data();
    void invalid();
    void syntaxErrorPosition_data();
    void syntaxErrorPosition();
    void collectsEveryError();
    void duplicateNames();
    void defaults();
    void everyField();
    void listenDefaults();
    void unknownKeysWarn();
    void unknownKeysSurviveRoundTrip();
    void roundTripIsStable();
    void endpointToJsonDropsKeysThatNoLongerApply();
    void fractionalHeartbeatInterval();
    void byteOrderMark();
    void byteOrderMarkInKey();
};

void TestWorkspace::invalid_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");

    const QString e0 = u"ws.json: endpoints[0]."_s;

    // Top level.
    QTest::newRow("empty file") << QByteArray("  \n")
                                << u"ws.json: the file is empty; a workspace looks like {\"version\": 1, "
                                   "\"endpoints\": []}"_s;
    QTest::newRow("top-level array") << QByteArray("[]")
                                     << u"ws.json: expected a JSON object at the top level, got an array"_s;
    QTest::newRow("version missing") << QByteArray(R"({"endpoints": []})")
                                     << u"ws.json: version: required; add \"version\": 1"_s;
    QTest::newRow("version string") << QByteArray(R"({"version": "1", "endpoints": []})")
                                    << u"ws.json: version: expected 1, got \"1\""_s;
    QTest::newRow("version zero") << QByteArray(R"({"version": 0, "endpoints": []})")
                                  << u"ws.json: version: expected 1, got 0"_s;
    QTest::newRow("version fraction")
        << QByteArray(R"({"version": 1.5, "endpoints": []})") << u"ws.json: version: expected 1, got 1.5"_s;
    QTest::newRow("version newer") << QByteArray(R"({"version": 2, "endpoints": [{"whatever": true}]})")
                                   << u"ws.json: version: 2: written by a newer Keepwatch (this one reads "
                                      "version 1); upgrade Keepwatch"_s;
    QTest::newRow("endpoints missing")
        << QByteArray(R"({"version": 1})")
        << u"ws.json: endpoints: required: an array of endpoint objects (may be "
           "empty)"_s;
    QTest::newRow("endpoints object") << QByteArray(R"({"version": 1, "endpoints": {}})")
                                      << u"ws.json: endpoints: expected an array, got an object"_s;
    QTest::newRow("endpoint not object") << QByteArray(R"({"version": 1, "endpoints": [3]})")
                                         << u"ws.json: endpoints[0]: expected an object, got 3"_s;
    QTest::newRow("endpoint null") << QByteArray(R"({"version": 1, "endpoints": [null]})")
                                   << u"ws.json: endpoints[0]: expected an object, got null"_s;

    // name
    QTest::newRow("name missing") << withKey("name", nullptr)
                                  << e0 + u"name: required: a unique, non-empty string"_s;
    QTest::newRow("name number") << withKey("name", "5") << e0 + u"name: expected a string, got 5"_s;
    QTest::newRow("name empty") << withKey("name", R"("")")
                                << e0 + u"name: expected a non-empty string, got \"\""_s;
    QTest::newRow("name blank") << withKey("name", R"("  ")")
                                << e0 + u"name: expected a non-empty string, got \"  \""_s;

    // kind
    QTest::newRow("kind missing")
        << withKey("kind", nullptr)
        << e0 + u"kind: required: one of \"tcp\", \"mqtt\", \"listen\", \"websocket\""_s;
    QTest::newRow("kind unknown")
        << withKey("kind", R"("udp")")
        << e0 + u"kind: expected one of \"tcp\", \"mqtt\", \"listen\", \"websocket\", got \"udp\""_s;
    QTest::newRow("kind number")
        << withKey("kind", "1")
        << e0 + u"kind: expected one of \"tcp\", \"mqtt\", \"listen\", \"websocket\", got 1"_s;
    QTest::newRow("kind upper case")
        << withKey("kind", R"("TCP")")
        << e0 + u"kind: expected one of \"tcp\", \"mqtt\", \"listen\", \"websocket\", got \"TCP\""_s;

    // host
    QTest::newRow("host missing tcp")
        << withKey("host", nullptr) << e0 + u"host: required for kind \"tcp\": a name or address"_s;
    QJsonObject mqtt = baseEndpoint();
    mqtt.insert(u"kind"_s, u"mqtt"_s);
    QTest::newRow("host missing mqtt")
        << withKey("host", nullptr, mqtt) << e0 + u"host: required for kind \"mqtt\": a name or address"_s;
    QTest::newRow("host empty") << withKey("host", R"("")")
                                << e0 + u"host: expected a non-empty string, got \"\""_s;
    QTest::newRow("host space") << withKey("host", R"("db internal")")
                                << e0 + u"host: must not contain spaces, got \"db internal\""_s;
    QTest::newRow("host tab") << withKey("host", R"("db\t")")
                              << e0 + u"host: must not contain spaces, got \"db\\t\""_s;
    QTest::newRow("host NUL") << withKey("host", R"("db\u0000x")")
                              << e0 + u"host: must not contain control characters, got \"db\\u0000x\""_s;
    QTest::newRow("host number") << withKey("host", "10") << e0 + u"host: expected a string, got 10"_s;
    QTest::newRow("host on listen")
        << withKey("host", R"("0.0.0.0")", listenEndpoint())
        << e0 + u"host: not used by kind \"listen\"; the local address is \"bind\""_s;

    // port
    QTest::newRow("port missing") << withKey("port", nullptr) << e0 + u"port: required: an integer 1–65535"_s;
    QTest::newRow("port string") << withKey("port", R"("abc")")
                                 << e0 + u"port: expected an integer 1–65535, got \"abc\""_s;
    QTest::newRow("port numeric string")
        << withKey("port", R"("5432")") << e0 + u"port: expected an integer 1–65535, got \"5432\""_s;
    QTest::newRow("port zero") << withKey("port", "0") << e0 + u"port: expected an integer 1–65535, got 0"_s;
    QTest::newRow("port too big") << withKey("port", "65536")
                                  << e0 + u"port: expected an integer 1–65535, got 65536"_s;
    QTest::newRow("port negative") << withKey("port", "-1")
                                   << e0 + u"port: expected an integer 1–65535, got -1"_s;
    QTest::newRow("port fraction") << withKey("port", "80.5")
                                   << e0 + u"port: expected an integer 1–65535, got 80.5"_s;
    QTest::newRow("port huge") << withKey("port", "1e300")
                               << e0 + u"port: expected an integer 1–65535, got 1e+300"_s;
    QTest::newRow("port bool") << withKey("port", "true")
                               << e0 + u"port: expected an integer 1–65535, got true"_s;
    QTest::newRow("port array") << withKey("port", "[80]")
                                << e0 + u"port: expected an integer 1–65535, got an array"_s;
    QTest::newRow("listen port zero")
        << withKey("port", "0", listenEndpoint()) << e0 + u"port: expected an integer 1–65535, got 0"_s;

    // tags
    QTest::newRow("tags string")
        << withKey("tags", R"("prod")")
        << e0 + u"tags: expected an array of tag words such as \"prod\" or \"db\", got \"prod\""_s;
    QTest::newRow("tags with space")
        << withKey("tags", R"(["eu west"])")
        << e0 +
               u"tags: expected an array of tag words such as \"prod\" or \"db\", got \"eu west\" at index 0 (white space is not allowed)"_s;
    QTest::newRow("tags twice") << withKey("tags", R"(["db", "db"])")
                                << e0 + u"tags: \"db\" is listed twice; keep one"_s;
    QTest::newRow("tags comma")
        << withKey("tags", R"(["a,b"])")
        << e0 + u"tags: \"a,b\" contains a comma, which CSV exports use between tags; use - or _"_s;

    // enabled
    QTest::newRow("enabled string") << withKey("enabled", R"("yes")")
                                    << e0 + u"enabled: expected true or false, got \"yes\""_s;
    QTest::newRow("enabled number") << withKey("enabled", "1")
                                    << e0 + u"enabled: expected true or false, got 1"_s;
    QTest::newRow("enabled null") << withKey("enabled", "null")
                                  << e0 + u"enabled: expected true or false, got null"_s;

    // bind
    QTest::newRow("bind on tcp") << withKey("bind", R"("127.0.0.1")")
                                 << e0 + u"bind: only used by kind \"listen\"; remove it"_s;
    QTest::newRow("bind empty") << withKey("bind", R"("")", listenEndpoint())
                                << e0 + u"bind: expected a non-empty string, got \"\""_s;
    QTest::newRow("bind space") << withKey("bind", R"("127.0.0.1 ")", listenEndpoint())
                                << e0 + u"bind: must not contain spaces, got \"127.0.0.1 \""_s;
    QTest::newRow("bind number") << withKey("bind", "127", listenEndpoint())
                                 << e0 + u"bind: expected a string, got 127"_s;

    // keepalive
    QTest::newRow("keepalive not object")
        << withKey("keepalive", "true") << e0 + u"keepalive: expected an object, got true"_s;
    QTest::newRow("keepalive array") << withKey("keepalive", "[]")
                                     << e0 + u"keepalive: expected an object, got an array"_s;
    QTest::newRow("keepalive.enabled string")
        << withNested("keepalive", "enabled", R"("on")")
        << e0 + u"keepalive.enabled: expected true or false, got \"on\""_s;
    // Ranges are net::validateTcpKeepalive()'s, in the words the dialog and `keepwatch keepalive` use too;
    // a value of the wrong type is the loader's and says the range as well.
    const QString idleRange = u"is out of range: use 1..32767 s (the Linux limit of TCP_KEEPIDLE), or leave "
                              u"it unset for the system default"_s;
    const QString intervalRange = u"is out of range: use 1..32767 s (the Linux limit of TCP_KEEPINTVL), or "
                                  u"leave it unset for the system default"_s;
    const QString countRange = u"is out of range: use 1..127 probes (the Linux limit of TCP_KEEPCNT), or "
                               u"leave it unset for the system default"_s;
    const QString userTimeoutRange =
        u"is out of range: use 0..2147483647 ms (0 = the system's retransmission "
        u"limit), or leave it unset for no user timeout"_s;
    QTest::newRow("keepalive.idle_s zero") << withNested("keepalive", "idle_s", "0")
                                           << e0 + u"keepalive.idle_s: TCP keepalive idle 0 s "_s + idleRange;
    QTest::newRow("keepalive.idle_s too big")
        << withNested("keepalive", "idle_s", "32768")
        << e0 + u"keepalive.idle_s: TCP keepalive idle 32768 s "_s + idleRange;
    QTest::newRow("keepalive.idle_s string")
        << withNested("keepalive", "idle_s", R"("10")")
        << e0 +
               u"keepalive.idle_s: expected an integer 1–32767 (the Linux limit of TCP_KEEPIDLE), got \"10\""_s;
    QTest::newRow("keepalive.interval_s zero")
        << withNested("keepalive", "interval_s", "0")
        << e0 + u"keepalive.interval_s: TCP keepalive interval 0 s "_s + intervalRange;
    QTest::newRow("keepalive.interval_s too big")
        << withNested("keepalive", "interval_s", "40000")
        << e0 + u"keepalive.interval_s: TCP keepalive interval 40000 s "_s + intervalRange;
    QTest::newRow("keepalive.count zero") << withNested("keepalive", "count", "0")
                                          << e0 + u"keepalive.count: TCP keepalive count 0 "_s + countRange;
    QTest::newRow("keepalive.count too big")
        << withNested("keepalive", "count", "128")
        << e0 + u"keepalive.count: TCP keepalive count 128 "_s + countRange;
    // The message the dialog and the command line show for the same count (tst_endpointdialog, tst_cli).
    QTest::newRow("keepalive.count 200 in the validator's words")
        << withNested("keepalive", "count", "200")
        << e0 + u"keepalive.count: "_s +
               QString::fromStdString(kw::net::validateTcpKeepalive({.count = 200}).front().message);
    QTest::newRow("keepalive.count fraction")
        << withNested("keepalive", "count", "2.5")
        << e0 + u"keepalive.count: expected an integer 1–127 (the Linux limit of TCP_KEEPCNT), got 2.5"_s;
    // No int holds it, so it never reaches the validator, and it is not wrapped into range.
    QTest::newRow("keepalive.count beyond int")
        << withNested("keepalive", "count", "4294967297")
        << e0 +
               u"keepalive.count: expected an integer 1–127 (the Linux limit of TCP_KEEPCNT), got 4294967297"_s;
    QTest::newRow("keepalive.user_timeout_ms negative")
        << withNested("keepalive", "user_timeout_ms", "-1")
        << e0 + u"keepalive.user_timeout_ms: TCP user timeout -1 ms "_s + userTimeoutRange;
    QTest::newRow("keepalive.user_timeout_ms too big")
        << withNested("keepalive", "user_timeout_ms", "2147483648")
        << e0 + u"keepalive.user_timeout_ms: TCP user timeout 2147483648 ms "_s + userTimeoutRange;
    QTest::newRow("keepalive.user_timeout_ms fraction")
        << withNested("keepalive", "user_timeout_ms", "1.5")
        << e0 + u"keepalive.user_timeout_ms: expected an integer 0–2147483647 (0 = the system's "
                u"retransmission limit), got 1.5"_s;

    // reconnect
    QTest::newRow("reconnect not object")
        << withKey("reconnect", "5") << e0 + u"reconnect: expected an object, got 5"_s;
    QTest::newRow("reconnect.initial_ms zero")
        << withNested("reconnect", "initial_ms", "0")
        << e0 + u"reconnect.initial_ms: expected an integer 1–2147483647, "
                "got 0"_s;
    QTest::newRow("reconnect.initial_ms above default max")
        << withNested("reconnect", "initial_ms", "200000")
        << e0 + u"reconnect.initial_ms: must be at most max_ms (120000 by default), got 200000"_s;
    {
        QJsonObject endpoint = baseEndpoint();
        endpoint.insert(u"reconnect"_s, QJsonObject{{u"initial_ms"_s, 5000}, {u"max_ms"_s, 1000}});
        QTest::newRow("reconnect.max_ms below initial")
            << fileWith({endpoint})
            << e0 + u"reconnect.max_ms: must be at least initial_ms (5000), got 1000"_s;
    }
    QTest::newRow("reconnect.max_ms below default initial")
        << withNested("reconnect", "max_ms", "500")
        << e0 + u"reconnect.max_ms: must be at least initial_ms (1000), got 500"_s;
    QTest::newRow("reconnect.max_ms string")
        << withNested("reconnect", "max_ms", R"("1m")")
        << e0 + u"reconnect.max_ms: expected an integer 1–2147483647, got "
                "\"1m\""_s;
    QTest::newRow("reconnect.multiplier below 1")
        << withNested("reconnect", "multiplier", "0.5")
        << e0 + u"reconnect.multiplier: expected a number 1–1000, got 0.5"_s;
    QTest::newRow("reconnect.multiplier string")
        << withNested("reconnect", "multiplier", R"("2")")
        << e0 + u"reconnect.multiplier: expected a number 1–1000, got \"2\""_s;
    QTest::newRow("reconnect.jitter above 1")
        << withNested("reconnect", "jitter", "1.5")
        << e0 + u"reconnect.jitter: expected a number 0–1 (a fraction of the delay), got 1.5"_s;
    QTest::newRow("reconnect.jitter negative")
        << withNested("reconnect", "jitter", "-0.1")
        << e0 + u"reconnect.jitter: expected a number 0–1 (a fraction of the delay), got -0.1"_s;
    QTest::newRow("reconnect.min_connect_timeout_ms zero")
        << withNested("reconnect", "min_connect_timeout_ms", "0")
        << e0 + u"reconnect.min_connect_timeout_ms: expected an integer 1–2147483647, got 0"_s;

    // heartbeat
    QTest::newRow("heartbeat not object")
        << withKey("heartbeat", R"("ping")") << e0 + u"heartbeat: expected an object, got \"ping\""_s;
    QTest::newRow("heartbeat.interval_s zero")
        << withNested("heartbeat", "interval_s", "0")
        << e0 + u"heartbeat.interval_s: expected a number of seconds 0.001–2147483, got 0"_s;
    QTest::newRow("heartbeat.interval_s negative")
        << withNested("heartbeat", "interval_s", "-1")
        << e0 + u"heartbeat.interval_s: expected a number of seconds 0.001–2147483, got -1"_s;
    QTest::newRow("heartbeat.interval_s below 1 ms")
        << withNested("heartbeat", "interval_s", "0.0001")
        << e0 + u"heartbeat.interval_s: expected a number of seconds 0.001–2147483, got 0.0001"_s;
    QTest::newRow("heartbeat.interval_s string")
        << withNested("heartbeat", "interval_s", R"("5s")")
        << e0 + u"heartbeat.interval_s: expected a number of seconds 0.001–2147483, got \"5s\""_s;
    QTest::newRow("heartbeat.send number")
        << withNested("heartbeat", "send", "5") << e0 + u"heartbeat.send: expected a string, got 5"_s;
    QTest::newRow("heartbeat.send unknown escape")
        << withNested("heartbeat", "send", R"("PING\\q")")
        << e0 + u"heartbeat.send: unknown escape \"\\q\" at character 5; use \\r, \\n, \\t, \\\\ or \\xNN"_s;
    QTest::newRow("heartbeat.send lone backslash")
        << withNested("heartbeat", "send", R"("PING\\")")
        << e0 + u"heartbeat.send: a lone backslash at the end (character 5); write \\\\ for a backslash"_s;
    QTest::newRow("heartbeat.send bad hex")
        << withNested("heartbeat", "send", R"("\\xZZ")")
        << e0 +
               u"heartbeat.send: escape \"\\xZZ\" at character 1 needs two hex digits, e.g. \\x00 or \\xFF"_s;
    QTest::newRow("heartbeat.send short hex")
        << withNested("heartbeat", "send", R"("ab\\x4")")
        << e0 + u"heartbeat.send: escape \"\\x4\" at character 3 needs two hex digits, e.g. \\x00 or \\xFF"_s;
    QTest::newRow("heartbeat.expect unknown escape")
        << withNested("heartbeat", "expect", R"("\\0")")
        << e0 +
               u"heartbeat.expect: unknown escape \"\\0\" at character 1; use \\r, \\n, \\t, \\\\ or \\xNN"_s;
    QTest::newRow("heartbeat.expect array") << withNested("heartbeat", "expect", "[]")
                                            << e0 + u"heartbeat.expect: expected a string, got an array"_s;
    QTest::newRow("heartbeat.misses zero")
        << withNested("heartbeat", "misses", "0")
        << e0 + u"heartbeat.misses: expected an integer 1–1000000, got 0"_s;
    QTest::newRow("heartbeat.misses string")
        << withNested("heartbeat", "misses", R"("3")")
        << e0 + u"heartbeat.misses: expected an integer 1–1000000, got \"3\""_s;
    QTest::newRow("heartbeat.timeout_ms negative")
        << withNested("heartbeat", "timeout_ms", "-5")
        << e0 + u"heartbeat.timeout_ms: expected an integer 0–2147483647, got -5"_s;

    // idle
    QTest::newRow("idle not object") << withKey("idle", "30") << e0 + u"idle: expected an object, got 30"_s;
    QTest::newRow("idle.reader_s negative")
        << withNested("idle", "reader_s", "-1")
        << e0 + u"idle.reader_s: expected an integer 0–2147483 (0 disables), got -1"_s;
    QTest::newRow("idle.writer_s string")
        << withNested("idle", "writer_s", R"("x")")
        << e0 + u"idle.writer_s: expected an integer 0–2147483 (0 disables), got \"x\""_s;
    QTest::newRow("idle.all_s fraction")
        << withNested("idle", "all_s", "1.5")
        << e0 + u"idle.all_s: expected an integer 0–2147483 (0 disables), got 1.5"_s;
    QTest::newRow("idle.action unknown")
        << withNested("idle", "action", R"("kill")")
        << e0 + u"idle.action: expected one of \"suspect\", \"ping\", \"close\", got \"kill\""_s;
    QTest::newRow("idle.action number")
        << withNested("idle", "action", "3")
        << e0 + u"idle.action: expected one of \"suspect\", \"ping\", \"close\", got 3"_s;
    QTest::newRow("idle.action ping without heartbeat")
        << withNested("idle", "action", R"("ping")")
        << e0 + u"idle.action: \"ping\" needs heartbeat.send for kind \"tcp\" (there is nothing else to "
                u"send); "
                "set heartbeat.send or use \"suspect\" or \"close\""_s;
}

void TestWorkspace::invalid()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);

    const WorkspaceResult result = kw::parseWorkspace(json, kFile);
    QVERIFY(!result.ok());
    QVERIFY(!result.workspace);
    QCOMPARE(result.errors, QStringList{expected});
}

void TestWorkspace::syntaxErrorPosition_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");

    QTest::newRow("missing comma") << QByteArray("{\n  \"version\": 1\n  \"endpoints\": []\n}")
                                   << u"ws.json: line 3, column 4: JSON syntax error: unterminated object"_s;
    // The column counts characters, not UTF-8 bytes: "é" and "✓" are one each.
    QTest::newRow("after non-ASCII")
        << QByteArray("{\"version\": 1, \"endpoints\": [\n {\"name\": \"é✓\",, }]}")
        << u"ws.json: line 2, column 17: JSON syntax error: unterminated object"_s;
    QTest::newRow("unterminated") << QByteArray("{\"version\": 1,\n\"endpoints\": [")
                                  << u"ws.json: line 2, column 15: JSON syntax error: unterminated array"_s;
}

void TestWorkspace::syntaxErrorPosition()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);

    const WorkspaceResult result = kw::parseWorkspace(json, kFile);
    QCOMPARE(result.errors, QStringList{expected});
}

void TestWorkspace::collectsEveryError()
{
    QJsonObject first = baseEndpoint();
    first.insert(u"port"_s, u"abc"_s);
    first.insert(u"keepalive"_s, QJsonObject{{u"idle_s"_s, 0}, {u"count"_s, 500}});
    QJsonObject second{{u"name"_s, u"broker"_s}, {u"kind"_s, u"mqtt"_s}, {u"port"_s, 1883}};
    QJsonObject third = listenEndpoint();
    third.insert(u"idle"_s, QJsonObject{{u"action"_s, u"drop"_s}});
    const QByteArray json =
        QJsonDocument(QJsonObject{{u"version"_s, 7.5}, {u"endpoints"_s, QJsonArray{first, second, third}}})
            .toJson();

    const WorkspaceResult result = kw::parseWorkspace(json, u"/etc/keepwatch/prod.json"_s);
    const QStringList expected{
        u"/etc/keepwatch/prod.json: version: expected 1, got 7.5"_s,
        u"/etc/keepwatch/prod.json: endpoints[0].port: expected an integer 1–65535, got \"abc\""_s,
        u"/etc/keepwatch/prod.json: endpoints[0].keepalive.idle_s: TCP keepalive idle 0 s is out of range: "
        u"use 1..32767 s (the Linux limit of TCP_KEEPIDLE), or leave it unset for the system default"_s,
        u"/etc/keepwatch/prod.json: endpoints[0].keepalive.count: TCP keepalive count 500 is out of range: "
        u"use 1..127 probes (the Linux limit of TCP_KEEPCNT), or leave it unset for the system default"_s,
        u"/etc/keepwatch/prod.json: endpoints[1].host: required for kind \"mqtt\": a name or address"_s,
        u"/etc/keepwatch/prod.json: endpoints[2].idle.action: expected one of \"suspect\", \"ping\", "
        u"\"close\", "
        "got \"drop\""_s,
    };
    QCOMPARE(result.errors, expected);
}

void TestWorkspace::duplicateNames()
{
    QJsonObject other = baseEndpoint();
    other.insert(u"name"_s, u"cache"_s);
    const QByteArray json = fileWith({baseEndpoint(), other, baseEndpoint(), other});
    const WorkspaceResult result = kw::parseWorkspace(json, kFile);
    QCOMPARE(
        result.errors,
        (QStringList{u"ws.json: endpoints[2].name: \"db\" is already the name of endpoints[0]; names must be "
                     "unique"_s,
                     u"ws.json: endpoints[3].name: \"cache\" is already the name of endpoints[1]; names must "
                     "be unique"_s}));
}

void TestWorkspace::defaults()
{
    const WorkspaceResult result = kw::parseWorkspace(fileWith({baseEndpoint()}), kFile);
    QVERIFY2(result.ok(), qPrintable(result.errors.join(u'\n')));
    QVERIFY(result.warnings.isEmpty());
    QCOMPARE(result.workspace->endpoints.size(), 1);
    const kw::EndpointConfig &c = result.workspace->endpoints.first();
    QCOMPARE(c.name, u"db"_s);
    QCOMPARE(c.kind, kw::EndpointKind::Tcp);
    QCOMPARE(c.host, u"db.internal"_s);
    QCOMPARE(c.port, quint16(5432));
    QCOMPARE(c.enabled, true);
    QVERIFY(c.bind.isEmpty());
    QCOMPARE(c.keepalive, kw::net::TcpKeepaliveSettings{});
    QVERIFY(!c.keepalive.enabled && !c.keepalive.idle && !c.keepalive.interval && !c.keepalive.count &&
            !c.keepalive.userTimeout);
    QCOMPARE(c.reconnect.initial, 1000ms);
    QCOMPARE(c.reconnect.max, 120000ms);
    QCOMPARE(c.reconnect.multiplier, 1.6);
    QCOMPARE(c.reconnect.jitter, 0.2);
    QCOMPARE(c.reconnect.minConnectTimeout, 20000ms);
    QVERIFY(!c.heartbeat);
    QVERIFY(!c.idle.isEnabled());
    QCOMPARE(c.idle.action, kw::IdleAction::Suspect);
    QCOMPARE(c.target(), u"db.internal:5432"_s);
    QVERIFY(result.workspace->find(u"db"_s) == &c);
    QVERIFY(!result.workspace->find(u"DB"_s));

    // An empty heartbeat object takes every default.
    const WorkspaceResult hb = kw::parseWorkspace(withKey("heartbeat", "{}"), kFile);
    QVERIFY(hb.ok());
    QCOMPARE(hb.workspace->endpoints.first().heartbeat, kw::HeartbeatConfig{});
    QCOMPARE(hb.workspace->endpoints.first().heartbeat->interval, 5000ms);
    QCOMPARE(hb.workspace->endpoints.first().heartbeat->misses, 3);
    QCOMPARE(hb.workspace->endpoints.first().heartbeat->timeout, 0ms);

    const WorkspaceResult empty = kw::parseWorkspace(R"({"version": 1, "endpoints": []})", kFile);
    QVERIFY(empty.ok());
    QVERIFY(empty.workspace->endpoints.isEmpty());
}

void TestWorkspace::everyField()
{
    const QByteArray json = R"({"version": 1, "endpoints": [{
        "name": "plc", "kind": "tcp", "host": "fe80::1", "port": 502, "enabled": false, "tags": ["plant", "ot"],
        "keepalive": {"enabled": true, "idle_s": 10, "interval_s": 3, "count": 4, "user_timeout_ms": 25000},
        "reconnect": {"initial_ms": 250, "max_ms": 30000, "multiplier": 2, "jitter": 0, "min_connect_timeout_ms": 5000},
        "heartbeat": {"interval_s": 2.5, "send": "PING\\r\\n", "expect": "PONG\\x00", "misses": 5, "timeout_ms": 1500},
        "idle": {"reader_s": 30, "writer_s": 10, "all_s": 60, "action": "ping"}
    }]})";
    const WorkspaceResult result = kw::parseWorkspace(json, kFile);
    QVERIFY2(result.ok(), qPrintable(result.errors.join(u'\n')));
    const kw::EndpointConfig &c = result.workspace->endpoints.first();
    QCOMPARE(c.enabled, false);
    QCOMPARE(c.tags, (QStringList{u"plant"_s, u"ot"_s}));
    QCOMPARE(c.target(), u"[fe80::1]:502"_s);
    QCOMPARE(c.keepalive.enabled, true);
    QCOMPARE(c.keepalive.idle, std::chrono::seconds(10));
    QCOMPARE(c.keepalive.interval, std::chrono::seconds(3));
    QCOMPARE(c.keepalive.count, 4);
    QCOMPARE(c.keepalive.userTimeout, 25000ms);
    QCOMPARE(c.reconnect.initial, 250ms);
    QCOMPARE(c.reconnect.max, 30000ms);
    QCOMPARE(c.reconnect.multiplier, 2.0);
    QCOMPARE(c.reconnect.jitter, 0.0);
    QCOMPARE(c.reconnect.minConnectTimeout, 5000ms);
    QVERIFY(c.heartbeat);
    QCOMPARE(c.heartbeat->interval, 2500ms);
    QCOMPARE(c.heartbeat->send, QByteArray("PING\r\n"));
    QCOMPARE(c.heartbeat->expect, QByteArray("PONG\0", 5));
    QCOMPARE(c.heartbeat->misses, 5);
    QCOMPARE(c.heartbeat->timeout, 1500ms);
    QCOMPARE(c.idle.reader, std::chrono::seconds(30));
    QCOMPARE(c.idle.writer, std::chrono::seconds(10));
    QCOMPARE(c.idle.all, std::chrono::seconds(60));
    QCOMPARE(c.idle.action, kw::IdleAction::Ping);
}

void TestWorkspace::listenDefaults()
{
    const WorkspaceResult result = kw::parseWorkspace(fileWith({listenEndpoint()}), kFile);
    QVERIFY2(result.ok(), qPrintable(result.errors.join(u'\n')));
    const kw::EndpointConfig &c = result.workspace->endpoints.first();
    QCOMPARE(c.kind, kw::EndpointKind::Listen);
    QCOMPARE(c.bind, u"127.0.0.1"_s);
    QVERIFY(c.host.isEmpty());
    QCOMPARE(c.target(), u"listen 127.0.0.1:7000"_s);

    const WorkspaceResult any = kw::parseWorkspace(withKey("bind", R"("::")", listenEndpoint()), kFile);
    QVERIFY(any.ok());
    QCOMPARE(any.workspace->endpoints.first().target(), u"listen [::]:7000"_s);
}

void TestWorkspace::unknownKeysWarn()
{
    QJsonObject endpoint = baseEndpoint();
    endpoint.insert(u"keepalve"_s, QJsonObject{{u"idle_s"_s, 5}});
    endpoint.insert(u"reconnect"_s, QJsonObject{{u"initial"_s, 5}});
    const QByteArray json =
        QJsonDocument(
            QJsonObject{{u"version"_s, 1}, {u"endpoints"_s, QJsonArray{endpoint}}, {u"theme"_s, u"dark"_s}})
            .toJson();
    const WorkspaceResult result = kw::parseWorkspace(json, kFile);
    QVERIFY(result.ok());
    QCOMPARE(
        result.warnings,
        (QStringList{u"ws.json: endpoints[0].reconnect.initial: unknown key, kept as is (is it misspelt?)"_s,
                     u"ws.json: endpoints[0].keepalve: unknown key, kept as is (is it misspelt?)"_s,
                     u"ws.json: theme: unknown key, kept as is (is it misspelt?)"_s}));
}

void TestWorkspace::unknownKeysSurviveRoundTrip()
{
    const QByteArray json = R"({"version": 1, "ui": {"columns": ["name", "state"]}, "endpoints": [{
        "name": "db", "kind": "tcp", "host": "db.internal", "port": 5432, "owner": "team-db",
        "keepalive": {"idle_s": 10, "probe_note": "x"},
        "reconnect": {"future_knob": 3},
        "heartbeat": {"send": "hi", "codec": "ascii"},
        "idle": {"reader_s": 5, "grace_s": 1}
    }]})";
    const WorkspaceResult first = kw::parseWorkspace(json, kFile);
    QVERIFY2(first.ok(), qPrintable(first.errors.join(u'\n')));

    kw::Workspace changed = *first.workspace;
    changed.endpoints[0].port = 6432;
    changed.endpoints[0].keepalive.idle.reset();
    const QByteArray saved = kw::workspaceToJson(changed);
    const QJsonObject top = QJsonDocument::fromJson(saved).object();
    QCOMPARE(top.value(u"ui"_s).toObject().value(u"columns"_s).toArray().size(), 2);
    const QJsonObject endpoint = top.value(u"endpoints"_s).toArray().at(0).toObject();
    QCOMPARE(endpoint.value(u"owner"_s).toString(), u"team-db"_s);
    QCOMPARE(endpoint.value(u"port"_s).toInt(), 6432);
    QCOMPARE(endpoint.value(u"keepalive"_s).toObject(), (QJsonObject{{u"probe_note"_s, u"x"_s}}));
    QCOMPARE(endpoint.value(u"reconnect"_s).toObject(), (QJsonObject{{u"future_knob"_s, 3}}));
    QCOMPARE(endpoint.value(u"heartbeat"_s).toObject().value(u"codec"_s).toString(), u"ascii"_s);
    QCOMPARE(endpoint.value(u"idle"_s).toObject().value(u"grace_s"_s).toInt(), 1);

    const WorkspaceResult second = kw::parseWorkspace(saved, kFile);
    QVERIFY2(second.ok(), qPrintable(second.errors.join(u'\n')));
    QCOMPARE(second.workspace->endpoints, changed.endpoints);
}

void TestWorkspace::roundTripIsStable()
{
    QFile example(QStringLiteral(KEEPWATCH_SOURCE_DIR "/resources/workspaces/example.json"));
    QVERIFY2(example.open(QIODevice::ReadOnly), qPrintable(example.fileName()));
    const WorkspaceResult loaded = kw::parseWorkspace(example.readAll(), example.fileName());
    QVERIFY2(loaded.ok(), qPrintable(loaded.errors.join(u'\n')));
    QVERIFY2(loaded.warnings.isEmpty(), qPrintable(loaded.warnings.join(u'\n')));
    QVERIFY(loaded.workspace->endpoints.size() >= 3);

    const QByteArray once = kw::workspaceToJson(*loaded.workspace);
    const WorkspaceResult reloaded = kw::parseWorkspace(once, kFile);
    QVERIFY2(reloaded.ok(), qPrintable(reloaded.errors.join(u'\n')));
    QCOMPARE(reloaded.workspace->endpoints, loaded.workspace->endpoints);
    // Saving what was loaded changes nothing: no defaults are added.
    example.seek(0);
    QCOMPARE(QJsonDocument::fromJson(once).object(), QJsonDocument::fromJson(example.readAll()).object());
    QCOMPARE(kw::workspaceToJson(*reloaded.workspace), once);
    // Keys in the documented order, not alphabetical.
    QVERIFY(once.indexOf("\"version\"") < once.indexOf("\"endpoints\""));
    QVERIFY(once.indexOf("\"name\"") < once.indexOf("\"kind\""));
    QVERIFY(once.indexOf("\"kind\"") < once.indexOf("\"host\""));
}

void TestWorkspace::endpointToJsonDropsKeysThatNoLongerApply()
{
    const WorkspaceResult loaded = kw::parseWorkspace(withKey("heartbeat", R"({"send": "x"})"), kFile);
    QVERIFY(loaded.ok());
    kw::EndpointConfig c = loaded.workspace->endpoints.first();
    c.kind = kw::EndpointKind::Listen;
    c.host.clear();
    c.bind = u"0.0.0.0"_s;
    c.heartbeat.reset();
    const QJsonObject json = kw::endpointToJson(c);
    QVERIFY(!json.contains(u"host"_s));
    QVERIFY(!json.contains(u"heartbeat"_s));
    QCOMPARE(json.value(u"bind"_s).toString(), u"0.0.0.0"_s);

    const kw::EndpointResult back = kw::parseEndpoint(json, u"endpoints[0]"_s);
    QVERIFY2(back.errors.isEmpty(), qPrintable(back.errors.join(u'\n')));
    QCOMPARE(*back.endpoint, c);
}

void TestWorkspace::fractionalHeartbeatInterval()
{
    kw::EndpointConfig c;
    c.name = u"x"_s;
    c.host = u"h"_s;
    c.port = 1;
    c.heartbeat = kw::HeartbeatConfig{};
    c.heartbeat->interval = 1500ms;
    QCOMPARE(kw::endpointToJson(c).value(u"heartbeat"_s).toObject().value(u"interval_s"_s).toDouble(), 1.5);
    c.heartbeat->interval = 2000ms;
    kw::Workspace workspace;
    workspace.endpoints = {c};
    const QByteArray text = kw::workspaceToJson(workspace);
    QVERIFY2(text.contains("\"interval_s\": 2\n"), text.constData());
}

void TestWorkspace::byteOrderMark()
{
    const WorkspaceResult result =
        kw::parseWorkspace("\xEF\xBB\xBF{\"version\": 1, \"endpoints\": []}", kFile);
    QVERIFY2(result.ok(), qPrintable(result.errors.join(u'\n')));
}

void TestWorkspace::byteOrderMarkInKey()
{
    // Qt keeps such a key but hands it back without the mark, so it could be neither read nor saved.
    const QByteArray bom = "\xEF\xBB\xBF";
    const WorkspaceResult nested = kw::parseWorkspace(
        R"({"version": 1, "endpoints": [{"name": "b", "kind": "mqtt", "host": "h", "mqtt": {")" + bom +
            R"(watch": [{"topic": "d/+"}]}}]})",
        kFile);
    QVERIFY(!nested.workspace);
    QCOMPARE(nested.errors,
             QStringList{kFile +
                         u": endpoints[0].mqtt.watch: this key starts with an invisible byte order mark "
                         u"(U+FEFF); delete the mark, or retype the key"_s});

    const WorkspaceResult top = kw::parseWorkspace("{\"version\": 1, \"" + bom + "endpoints\": []}", kFile);
    QVERIFY(!top.workspace);
    QVERIFY2(top.errors.contains(kFile + u": endpoints: this key starts with an invisible byte order mark "
                                         u"(U+FEFF); delete the mark, or retype the key"_s),
             qPrintable(top.errors.join(u'\n')));
}

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
