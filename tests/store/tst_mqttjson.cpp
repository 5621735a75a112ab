// Kind "mqtt" and its workspace key "mqtt": every key, what is refused or warned about with which
// words, the port and TLS that follow the transport, and that a load/save round trip keeps what the
// user wrote and adds nothing.

#include "workspace.h"
#include "workspacejson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace kw::test;

class TestMqttJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void defaults();
    void everyField();
    void fractionalPingTimeout();
    void portByTransport_data();
    void portByTransport();
    void explicitPortWins();
    void tlsTransportKeepsTlsSettings();
    void refused_data();
    void refused();
    void warned_data();
    void warned();
    void passwordEnvSetIsNotWarned();
    void validTopicFilters_data();
    void validTopicFilters();
    void roundTrip_data();
    void roundTrip();
    void minimalEndpointSavesNoMqttKeys();
    void unknownKeysSurvive();
    void savedKeysReadInDocumentedOrder();
};

namespace {

// Set in every test that needs it, unset by init(), so no test depends on the environment it runs in.
const char *const kPasswordVariable = "KW_TEST_MQTT_PASSWORD";

QJsonObject mqttEndpoint()
{
    return QJsonObject{{u"name"_s, u"broker"_s}, {u"kind"_s, u"mqtt"_s}, {u"host"_s, u"broker.internal"_s}};
}

// The MQTT endpoint with `json` as its "mqtt" object and `extra` (a JSON object's members) merged in.
QByteArray withMqtt(const char *json, const char *extra = nullptr)
{
    QJsonObject endpoint = mqttEndpoint();
    if (json)
        endpoint.insert(u"mqtt"_s, parseValue(json));
    if (extra) {
        const QJsonObject more = parseValue(QByteArray(QByteArray("{") + extra + '}').constData()).toObject();
        for (auto it = more.begin(); it != more.end(); ++it)
            endpoint.insert(it.key(), it.value());
    }
    return fileWith({endpoint});
}

kw::WorkspaceResult parse(const QByteArray &json)
{
    return kw::parseWorkspace(json, kFile);
}

kw::EndpointConfig loadOne(const QByteArray &json)
{
    const kw::WorkspaceResult result = parse(json);
    if (!result.ok())
        qWarning().noquote() << result.errors.join(u'\n');
    return result.ok() ? result.workspace->endpoints.first() : kw::EndpointConfig{};
}

QByteArray fileOf(const QJsonObject &endpoint)
{
    return fileWith({endpoint});
}

} // namespace

void TestMqttJson::init()
{
    qunsetenv(kPasswordVariable);
}

void TestMqttJson::defaults()
{
    const kw::WorkspaceResult result = parse(withMqtt(nullptr));
    QVERIFY2(result.ok(), qPrintable(result.errors.join(u'\n')));
    QCOMPARE(result.warnings, QStringList());
    const kw::EndpointConfig c = result.workspace->endpoints.first();
    QCOMPARE(c.kind, kw::EndpointKind::Mqtt);
    QCOMPARE(c.port, quint16(1883));
    QCOMPARE(c.target(), u"mqtt://broker.internal:1883"_s);
    const kw::MqttConfig &m = c.mqtt;
    QCOMPARE(m.version, kw::MqttConfig::Version::V5);
    QCOMPARE(m.keepAlive, 60s);
    QVERIFY(!m.pingTimeout);
    QCOMPARE(m.effectivePingTimeout(m.keepAlive), 30000ms);
    QCOMPARE(m.effectivePingTimeout(10s), 10000ms);
    QVERIFY(m.clientId.isEmpty());
    QVERIFY(m.username.isEmpty());
    QVERIFY(m.passwordEnv.isEmpty());
    QVERIFY(m.cleanStart);
    QVERIFY(!m.sessionExpiry);
    QVERIFY(!m.will);
    QCOMPARE(m.transport, kw::MqttTransport::Tcp);
    QCOMPARE(m.path, u"/mqtt"_s);
    QVERIFY(m.watch.isEmpty());
    QVERIFY(!c.tls.enabled);
    // An empty "mqtt" object is the same endpoint.
    QCOMPARE(loadOne(withMqtt("{}")), c);
}

void TestMqttJson::everyField()
{
    qputenv(kPasswordVariable, "s3cret");
    const kw::EndpointConfig c = loadOne(withMqtt(R"({
        "version": "3.1.1", "keepalive_s": 15, "ping_timeout_s": 4, "client_id": "plant7probe",
        "username": "probe", "password_env": "KW_TEST_MQTT_PASSWORD", "clean_start": false,
        "will": {"topic": "keepwatch/plant7/status", "payload": "gone\\x00", "qos": 1, "retain": true},
        "transport": "wss", "path": "/ws/mqtt",
        "watch": [{"topic": "devices/+/heartbeat", "timeout_s": 12.5, "expect": "HB\\r\\n",
                   "will_payload": "offline", "retained_counts": true, "qos": 2},
                  {"topic": "plc/#"}]})"));
    QCOMPARE(c.kind, kw::EndpointKind::Mqtt);
    const kw::MqttConfig &m = c.mqtt;
    QCOMPARE(m.version, kw::MqttConfig::Version::V311);
    QCOMPARE(m.keepAlive, 15s);
    QCOMPARE(m.pingTimeout, std::optional<std::chrono::milliseconds>(4000ms));
    QCOMPARE(m.effectivePingTimeout(m.keepAlive), 4000ms);
    QCOMPARE(m.clientId, u"plant7probe"_s);
    QCOMPARE(m.username, u"probe"_s);
    QCOMPARE(m.passwordEnv, u"KW_TEST_MQTT_PASSWORD"_s);
    QVERIFY(!m.cleanStart);
    QVERIFY(m.will);
    QCOMPARE(m.will->topic, u"keepwatch/plant7/status"_s);
    QCOMPARE(m.will->payload, QByteArray("gone\0", 5));
    QCOMPARE(m.will->qos, 1);
    QVERIFY(m.will->retain);
    QCOMPARE(m.transport, kw::MqttTransport::Wss);
    QCOMPARE(m.path, u"/ws/mqtt"_s);
    QCOMPARE(m.watch.size(), 2);
    const kw::MqttWatchConfig &w = m.watch.at(0);
    QCOMPARE(w.topic, u"devices/+/heartbeat"_s);
    QCOMPARE(w.timeout, 12500ms);
    QCOMPARE(w.expect, QByteArray("HB\r\n"));
    QCOMPARE(w.willPayload, QByteArray("offline"));
    QVERIFY(w.retainedCounts);
    QCOMPARE(w.qos, 2);
    const kw::MqttWatchConfig &plc = m.watch.at(1);
    QCOMPARE(plc.topic, u"plc/#"_s);
    QCOMPARE(plc.timeout, 30000ms);
    QVERIFY(plc.expect.isEmpty());
    QVERIFY(plc.willPayload.isEmpty());
    QVERIFY(!plc.retainedCounts);
    QCOMPARE(plc.qos, 0);
    QVERIFY(c.tls.enabled);
    QCOMPARE(c.port, quint16(443));

    // Session expiry is read with version 5.
    const kw::EndpointConfig five = loadOne(withMqtt(R"({"session_expiry_s": 3600})"));
    QCOMPARE(five.mqtt.sessionExpiry, std::optional<std::chrono::seconds>(3600s));
    QCOMPARE(loadOne(withMqtt(R"({"version": "5"})")).mqtt.version, kw::MqttConfig::Version::V5);
}

void TestMqttJson::fractionalPingTimeout()
{
    const kw::EndpointConfig c = loadOne(withMqtt(R"({"ping_timeout_s": 0.5})"));
    QCOMPARE(c.mqtt.pingTimeout, std::optional<std::chrono::milliseconds>(500ms));
    QCOMPARE(kw::endpointToJson(c).value(u"mqtt"_s).toObject().value(u"ping_timeout_s"_s).toDouble(), 0.5);
}

void TestMqttJson::portByTransport_data()
{
    QTest::addColumn<QByteArray>("mqtt");
    QTest::addColumn<int>("port");
    QTest::addColumn<bool>("tls");
    QTest::newRow("tcp") << QByteArray(R"({"transport": "tcp"})") << 1883 << false;
    QTest::newRow("tls") << QByteArray(R"({"transport": "tls"})") << 8883 << true;
    QTest::newRow("ws") << QByteArray(R"({"transport": "ws"})") << 80 << false;
    QTest::newRow("wss") << QByteArray(R"({"transport": "wss"})") << 443 << true;
}

void TestMqttJson::portByTransport()
{
    QFETCH(QByteArray, mqtt);
    const kw::WorkspaceResult result = parse(withMqtt(mqtt.constData()));
    QVERIFY2(result.ok(), qPrintable(result.errors.join(u'\n')));
    const kw::EndpointConfig c = result.workspace->endpoints.first();
    QTEST(int(c.port), "port");
    QTEST(c.tls.enabled, "tls");
    // The default port is not written back, nor a "tls" key the transport alone implies.
    const QJsonObject saved = kw::endpointToJson(c);
    QVERIFY(!saved.contains(u"port"_s));
    QVERIFY(!saved.contains(u"tls"_s));
    QCOMPARE(loadOne(fileOf(saved)), c);
}

void TestMqttJson::explicitPortWins()
{
    const kw::EndpointConfig c = loadOne(withMqtt(R"({"transport": "tls"})", R"("port": 18883)"));
    QCOMPARE(c.port, quint16(18883));
    QCOMPARE(kw::endpointToJson(c).value(u"port"_s).toInt(), 18883);
    // A port the user wrote stays written even when it is the default.
    const kw::EndpointConfig written = loadOne(withMqtt(nullptr, R"("port": 1883)"));
    QCOMPARE(kw::endpointToJson(written).value(u"port"_s).toInt(), 1883);
}

void TestMqttJson::tlsTransportKeepsTlsSettings()
{
    const kw::EndpointConfig c =
        loadOne(withMqtt(R"({"transport": "tls"})", R"("tls": {"ca_file": "ca.pem", "alpn": ["mqtt"]})"));
    QVERIFY(c.tls.enabled);
    QCOMPARE(c.tls.caFile, u"ca.pem"_s);
    QCOMPARE(c.tls.alpn, QStringList{u"mqtt"_s});
    QCOMPARE(c.port, quint16(8883));
    QCOMPARE(loadOne(fileOf(kw::endpointToJson(c))), c);
    // "enabled": false with a plain transport is allowed: the settings are kept, TLS is off.
    const kw::EndpointConfig off =
        loadOne(withMqtt(nullptr, R"("tls": {"enabled": false, "ca_file": "ca.pem"})"));
    QVERIFY(!off.tls.enabled);
    QCOMPARE(off.tls.caFile, u"ca.pem"_s);
}

void TestMqttJson::refused_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    const QString e0 = u"ws.json: endpoints[0]."_s;
    const QString m = e0 + u"mqtt."_s;

    QTest::newRow("mqtt not an object")
        << withMqtt("[]") << m.chopped(1) + u": expected an object, got an array"_s;
    QTest::newRow("version 3") << withMqtt(R"({"version": "3"})")
                               << m + u"version: expected one of \"3.1.1\", \"5\", got \"3\""_s;
    QTest::newRow("version number") << withMqtt(R"({"version": 5})")
                                    << m + u"version: expected one of \"3.1.1\", \"5\", got 5"_s;
    QTest::newRow("keepalive negative")
        << withMqtt(R"({"keepalive_s": -1})")
        << m + u"keepalive_s: expected an integer 0–65535 (0 turns keep alive off), got -1"_s;
    QTest::newRow("keepalive too big")
        << withMqtt(R"({"keepalive_s": 65536})")
        << m + u"keepalive_s: expected an integer 0–65535 (0 turns keep alive off), got 65536"_s;
    QTest::newRow("keepalive fraction")
        << withMqtt(R"({"keepalive_s": 1.5})")
        << m + u"keepalive_s: expected an integer 0–65535 (0 turns keep alive off), got 1.5"_s;
    QTest::newRow("ping timeout zero")
        << withMqtt(R"({"ping_timeout_s": 0})")
        << m + u"ping_timeout_s: expected a number of seconds 0.001–2147483, got 0"_s;
    QTest::newRow("ping timeout string")
        << withMqtt(R"({"ping_timeout_s": "5"})")
        << m + u"ping_timeout_s: expected a number of seconds 0.001–2147483, got \"5\""_s;
    QTest::newRow("client id empty")
        << withMqtt(R"({"client_id": ""})")
        << m + u"client_id: expected 1–23 letters and digits, got \"\"; remove the key and Keepwatch uses "
               "\"keepwatch-\" and 10 letters and digits made from the host and endpoint names"_s;
    QTest::newRow("client id number")
        << withMqtt(R"({"client_id": 7})") << m + u"client_id: expected a string, got 7"_s;
    QTest::newRow("client id NUL") << withMqtt(R"({"client_id": "a\u0000b"})")
                                   << m + u"client_id: must not contain U+0000 (MQTT section 1.5.4)"_s;
    QTest::newRow("username empty") << withMqtt(R"({"username": ""})")
                                    << m + u"username: expected a non-empty string, got \"\"; remove the key "
                                           "to connect without a user name"_s;
    QTest::newRow("password") << withMqtt(R"({"username": "u", "password": "hunter2"})")
                              << m + u"password: passwords are never kept in the workspace; put the password "
                                     "in an environment variable and give its name in mqtt.password_env"_s;
    QTest::newRow("password_env is a password")
        << withMqtt(R"({"password_env": "hunter2!"})")
        << m + u"password_env: expected the name of an environment variable (letters, digits and '_', not "
               "starting with a digit), got \"hunter2!\"; the password itself goes in that variable"_s;
    QTest::newRow("password_env digit first")
        << withMqtt(R"({"password_env": "1PW"})")
        << m + u"password_env: expected the name of an environment variable (letters, digits and '_', not "
               "starting with a digit), got \"1PW\"; the password itself goes in that variable"_s;
    QTest::newRow("password without user 3.1.1")
        << withMqtt(R"({"version": "3.1.1", "password_env": "KW_TEST_MQTT_PASSWORD"})")
        << m + u"password_env: MQTT 3.1.1 sends a password only with a user name (section 3.1.2.9); set "
               "mqtt.username, or set mqtt.version to \"5\""_s;
    QTest::newRow("clean start string")
        << withMqtt(R"({"clean_start": "yes"})") << m + u"clean_start: expected true or false, got \"yes\""_s;
    QTest::newRow("session expiry 3.1.1")
        << withMqtt(R"({"version": "3.1.1", "session_expiry_s": 60})")
        << m + u"session_expiry_s: Session Expiry Interval is an MQTT 5 property (section 3.1.2.11.2); "
               "remove it, or set mqtt.version to \"5\""_s;
    QTest::newRow("session expiry negative")
        << withMqtt(R"({"session_expiry_s": -5})")
        << m + u"session_expiry_s: expected an integer 0–4294967295 (4294967295: the session never expires), "
               "got -5"_s;
    QTest::newRow("will without topic")
        << withMqtt(R"({"will": {"payload": "x"}})")
        << m + u"will.topic: required: the topic the broker publishes the Will on when Keepwatch vanishes, "
               "such as \"keepwatch/status\""_s;
    QTest::newRow("will wildcard topic")
        << withMqtt(R"({"will": {"topic": "keepwatch/+"}})")
        << m + u"will.topic: \"keepwatch/+\" is not a valid topic name: a topic name may not contain the "
               "wildcards '+' or '#' (section 4.7.1)"_s;
    QTest::newRow("will empty topic")
        << withMqtt(R"({"will": {"topic": ""}})")
        << m + u"will.topic: \"\" is not a valid topic name: a topic name must be at least one character "
               "long (section 4.7.3)"_s;
    QTest::newRow("will bad escape")
        << withMqtt(R"({"will": {"topic": "k", "payload": "\\q"}})")
        << m + u"will.payload: unknown escape \"\\q\" at character 1; use \\r, \\n, \\t, \\\\ or \\xNN"_s;
    QTest::newRow("will qos 3") << withMqtt(R"({"will": {"topic": "k", "qos": 3}})")
                                << m + u"will.qos: expected an integer 0–2 (the MQTT QoS), got 3"_s;
    QTest::newRow("will retain") << withMqtt(R"({"will": {"topic": "k", "retain": 1}})")
                                 << m + u"will.retain: expected true or false, got 1"_s;
    QTest::newRow("transport") << withMqtt(R"({"transport": "mqtts"})")
                               << m + u"transport: expected one of \"tcp\", \"tls\", \"ws\", \"wss\", got "
                                      "\"mqtts\""_s;
    QTest::newRow("path with tcp")
        << withMqtt(R"({"path": "/mqtt"})")
        << m + u"path: only used by transport \"ws\" and \"wss\"; remove it, or set mqtt.transport"_s;
    QTest::newRow("path without slash")
        << withMqtt(R"({"transport": "ws", "path": "mqtt"})")
        << m + u"path: expected a path starting with '/', such as \"/mqtt\", got \"mqtt\""_s;
    QTest::newRow("path with space") << withMqtt(R"({"transport": "ws", "path": "/a b"})")
                                     << m + u"path: must not contain spaces, got \"/a b\""_s;
    QTest::newRow("watch object")
        << withMqtt(R"({"watch": {"topic": "a"}})")
        << m + u"watch: expected an array of objects such as {\"topic\": \"devices/+/heartbeat\"}, got an "
               "object"_s;
    QTest::newRow("watch entry string")
        << withMqtt(R"({"watch": ["a/b"]})")
        << m + u"watch[0]: expected an object such as {\"topic\": \"devices/+/heartbeat\"}, got \"a/b\""_s;
    QTest::newRow("watch without topic")
        << withMqtt(R"({"watch": [{"timeout_s": 5}]})")
        << m + u"watch[0].topic: required: the topic filter the devices publish their heartbeats on, such as "
               "\"devices/+/heartbeat\""_s;
    const QString filterHint = u"; a filter looks like \"devices/+/heartbeat\" or \"devices/#\""_s;
    QTest::newRow("watch # not last")
        << withMqtt(R"({"watch": [{"topic": "a/#/b"}]})")
        << m +
               u"watch[0].topic: \"a/#/b\" is not a valid topic filter: '#' must "
               "be the last level and alone in it (section 4.7.1.2)"_s +
               filterHint;
    QTest::newRow("watch # in a level") << withMqtt(R"({"watch": [{"topic": "a/b#"}]})")
                                        << m +
                                               u"watch[0].topic: \"a/b#\" is not a valid topic filter: '#' "
                                               "must be the last level and alone in it (section 4.7.1.2)"_s +
                                               filterHint;
    QTest::newRow("watch + in a level")
        << withMqtt(R"({"watch": [{"topic": "x"}, {"topic": "devices/a+/hb"}]})")
        << m +
               u"watch[1].topic: \"devices/a+/hb\" is not a valid topic filter: '+' must fill a whole level "
               "(section 4.7.1.3)"_s +
               filterHint;
    QTest::newRow("watch empty topic")
        << withMqtt(R"({"watch": [{"topic": ""}]})")
        << m +
               u"watch[0].topic: \"\" is not a valid topic filter: a topic filter "
               "must be at least one character long (section 4.7.3)"_s +
               filterHint;
    QTest::newRow("watch share without filter") << withMqtt(R"({"watch": [{"topic": "$share/g"}]})")
                                                << m +
                                                       u"watch[0].topic: \"$share/g\" is not a valid topic "
                                                       u"filter: a shared subscription needs a topic "
                                                       "filter after $share/g/ (5.0 section 4.8.2)"_s +
                                                       filterHint;
    QTest::newRow("watch share with +")
        << withMqtt(R"({"watch": [{"topic": "$share/g+/a"}]})")
        << m +
               u"watch[0].topic: \"$share/g+/a\" is not a valid topic filter: a share name may not contain "
               "'+' or '#' (5.0 section 4.8.2)"_s +
               filterHint;
    QTest::newRow("watch timeout zero") << withMqtt(R"({"watch": [{"topic": "a", "timeout_s": 0}]})")
                                        << m + u"watch[0].timeout_s: expected a number of seconds "
                                               "0.001–2147483, got 0"_s;
    QTest::newRow("watch qos") << withMqtt(R"({"watch": [{"topic": "a", "qos": -1}]})")
                               << m + u"watch[0].qos: expected an integer 0–2 (the MQTT QoS), got -1"_s;
    QTest::newRow("watch expect escape")
        << withMqtt(R"({"watch": [{"topic": "a", "expect": "\\x4"}]})")
        << m + u"watch[0].expect: escape \"\\x4\" at character 1 needs two hex digits, e.g. \\x00 or \\xFF"_s;
    QTest::newRow("watch will payload type") << withMqtt(R"({"watch": [{"topic": "a", "will_payload": 0}]})")
                                             << m + u"watch[0].will_payload: expected a string, got 0"_s;
    QTest::newRow("watch retained_counts")
        << withMqtt(R"({"watch": [{"topic": "a", "retained_counts": "no"}]})")
        << m + u"watch[0].retained_counts: expected true or false, got \"no\""_s;

    // How the endpoint's own keys go with kind mqtt.
    QTest::newRow("tls with tcp") << withMqtt(nullptr, R"("tls": {})")
                                  << e0 + u"tls: kind \"mqtt\" uses TLS through its transport: set "
                                          "mqtt.transport to \"tls\" (now \"tcp\"), or remove tls"_s;
    QTest::newRow("tls with ws") << withMqtt(R"({"transport": "ws"})", R"("tls": {"ca_file": "ca.pem"})")
                                 << e0 + u"tls: kind \"mqtt\" uses TLS through its transport: set "
                                         "mqtt.transport to \"wss\" (now \"ws\"), or remove tls"_s;
    QTest::newRow("tls off with tls")
        << withMqtt(R"({"transport": "tls"})", R"("tls": {"enabled": false})")
        << e0 + u"tls.enabled: false, but mqtt.transport \"tls\" is TLS; remove tls.enabled, or set "
                "mqtt.transport to \"tcp\""_s;
    QTest::newRow("heartbeat") << withMqtt(nullptr, R"("heartbeat": {"interval_s": 5})")
                               << e0 + u"heartbeat: not used by kind \"mqtt\", which pings with PINGREQ; set "
                                       "mqtt.keepalive_s instead"_s;
    QTest::newRow("port zero") << withMqtt(nullptr, R"("port": 0)")
                               << e0 + u"port: expected an integer 1–65535, got 0"_s;
    QTest::newRow("mqtt on tcp") << withKey("mqtt", "{}")
                                 << e0 + u"mqtt: only used by kind \"mqtt\"; remove it, or set \"kind\": "
                                         "\"mqtt\""_s;
    QTest::newRow("mqtt on listen") << withKey("mqtt", "{}", listenEndpoint())
                                    << e0 + u"mqtt: only used by kind \"mqtt\"; remove it, or set \"kind\": "
                                            "\"mqtt\""_s;
}

void TestMqttJson::refused()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const kw::WorkspaceResult result = parse(json);
    QVERIFY(!result.ok());
    QVERIFY2(result.errors.contains(expected), qPrintable(result.errors.join(u'\n')));
}

void TestMqttJson::warned_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    const QString m = u"ws.json: endpoints[0].mqtt."_s;
    QTest::newRow("keepalive off") << withMqtt(R"({"keepalive_s": 0})")
                                   << m + u"keepalive_s: 0 turns MQTT keep alive off: nothing then detects a "
                                          "silent broker except TCP keepalive; set keepalive_s (60 by "
                                          "default), or set keepalive.idle_s"_s;
    const QString notSafe = u" is not 1–23 letters and digits, the only client ids every broker must accept "
                            "(section 3.1.3.1); a strict broker answers \"identifier rejected\""_s;
    QTest::newRow("client id 24 chars") << withMqtt(R"({"client_id": "abcdefghijklmnopqrstuvwx"})")
                                        << m + u"client_id: \"abcdefghijklmnopqrstuvwx\""_s + notSafe;
    QTest::newRow("client id dash") << withMqtt(R"({"client_id": "probe-7"})")
                                    << m + u"client_id: \"probe-7\""_s + notSafe;
    QTest::newRow("password variable not set")
        << withMqtt(R"({"password_env": "KW_TEST_MQTT_PASSWORD"})")
        << m + u"password_env: the environment variable KW_TEST_MQTT_PASSWORD is not set; Keepwatch sends no "
               "password until it is started with KW_TEST_MQTT_PASSWORD set"_s;
    QTest::newRow("duplicate filter")
        << withMqtt(R"({"watch": [{"topic": "a/+"}, {"topic": "b"}, {"topic": "a/+", "qos": 1}]})")
        << m + u"watch[2].topic: \"a/+\" is already watched by endpoints[0].mqtt.watch[0]; the broker keeps "
               u"one "
               "subscription per filter, so merge the two entries"_s;
    QTest::newRow("unknown key") << withMqtt(R"({"keep_alive": 5})")
                                 << m + u"keep_alive: unknown key, kept as is (is it misspelt?)"_s;
    QTest::newRow("unknown will key") << withMqtt(R"({"will": {"topic": "k", "delay_s": 5}})")
                                      << m + u"will.delay_s: unknown key, kept as is (is it misspelt?)"_s;
    QTest::newRow("unknown watch key")
        << withMqtt(R"({"watch": [{"topic": "a", "timeout": 5}]})")
        << m + u"watch[0].timeout: unknown key, kept as is (is it misspelt?)"_s;
}

void TestMqttJson::warned()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const kw::WorkspaceResult result = parse(json);
    QVERIFY2(result.ok(), qPrintable(result.errors.join(u'\n')));
    QCOMPARE(result.warnings, QStringList{expected});
}

void TestMqttJson::passwordEnvSetIsNotWarned()
{
    qputenv(kPasswordVariable, "s3cret");
    const kw::WorkspaceResult result = parse(withMqtt(R"({"password_env": "KW_TEST_MQTT_PASSWORD"})"));
    QVERIFY(result.ok());
    QCOMPARE(result.warnings, QStringList());
    // The password itself appears nowhere in what is saved.
    const QByteArray saved = kw::workspaceToJson(*result.workspace);
    QVERIFY(!saved.contains("s3cret"));
    QVERIFY(saved.contains("\"password_env\": \"KW_TEST_MQTT_PASSWORD\""));
}

void TestMqttJson::validTopicFilters_data()
{
    QTest::addColumn<QString>("filter");
    for (const char *filter : {"#", "+", "+/+", "/", "a/+/b", "a/#", "devices/+/heartbeat", "$SYS/#",
                               "$share/probes/devices/+", "with space/ü"})
        QTest::newRow(filter) << QString::fromUtf8(filter);
}

void TestMqttJson::validTopicFilters()
{
    QFETCH(QString, filter);
    QJsonObject endpoint = mqttEndpoint();
    endpoint.insert(u"mqtt"_s, QJsonObject{{u"watch"_s, QJsonArray{QJsonObject{{u"topic"_s, filter}}}}});
    const kw::WorkspaceResult result = parse(fileOf(endpoint));
    QVERIFY2(result.ok(), qPrintable(result.errors.join(u'\n')));
    QCOMPARE(result.workspace->endpoints.first().mqtt.watch.first().topic, filter);
}

void TestMqttJson::roundTrip_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("every key") << withMqtt(R"({
        "version": "3.1.1", "keepalive_s": 0, "ping_timeout_s": 0.25, "client_id": "x-y",
        "username": "probe", "password_env": "KW_TEST_MQTT_PASSWORD", "clean_start": false,
        "will": {"topic": "k/s", "payload": "\\x00\\xFFbye", "qos": 2, "retain": true},
        "transport": "ws", "path": "/",
        "watch": [{"topic": "d/+/hb", "timeout_s": 0.5, "expect": "\\t", "will_payload": "dead",
                   "retained_counts": true, "qos": 1}, {"topic": "#"}]})",
                                           R"("port": 8080)");
    QTest::newRow("mqtt 5 session") << withMqtt(R"({"session_expiry_s": 4294967295, "clean_start": false})");
    QTest::newRow("wss with tls settings")
        << withMqtt(R"({"transport": "wss"})", R"("tls": {"peer_name": "broker.example.net"})");
    QTest::newRow("defaults written out")
        << withMqtt(R"({"version": "5", "keepalive_s": 60, "clean_start": true,
        "transport": "tcp", "watch": [{"topic": "a", "timeout_s": 30, "qos": 0}]})",
                    R"("port": 1883)");
}

void TestMqttJson::roundTrip()
{
    QFETCH(QByteArray, json);
    qputenv(kPasswordVariable, "x");
    const kw::WorkspaceResult first = parse(json);
    QVERIFY2(first.ok(), qPrintable(first.errors.join(u'\n')));
    const QByteArray saved = kw::workspaceToJson(*first.workspace);
    const kw::WorkspaceResult second = parse(saved);
    QVERIFY2(second.ok(), qPrintable(second.errors.join(u'\n') + u'\n' + QString::fromUtf8(saved)));
    QCOMPARE(second.workspace->endpoints.first(), first.workspace->endpoints.first());
    // What the user wrote is what is saved: nothing added, nothing dropped.
    QCOMPARE(kw::endpointToJson(second.workspace->endpoints.first()),
             QJsonDocument::fromJson(json).object().value(u"endpoints"_s).toArray().first().toObject());
    QCOMPARE(kw::workspaceToJson(*second.workspace), saved);
}

void TestMqttJson::minimalEndpointSavesNoMqttKeys()
{
    kw::EndpointConfig c = loadOne(withMqtt(nullptr));
    QCOMPARE(kw::endpointToJson(c), mqttEndpoint());

    // Set in code (the endpoint dialog), every field is written and reads back the same.
    c.mqtt.version = kw::MqttConfig::Version::V311;
    c.mqtt.keepAlive = 20s;
    c.mqtt.pingTimeout = 1500ms;
    c.mqtt.username = u"u"_s;
    c.mqtt.will = kw::MqttConfig::Will{u"k/status"_s, QByteArray("\r\n"), 1, true};
    c.mqtt.transport = kw::MqttTransport::Tls;
    c.tls.enabled = true;
    c.port = 8883;
    kw::MqttWatchConfig watch;
    watch.topic = u"d/#"_s;
    watch.timeout = 90s;
    c.mqtt.watch << watch;
    const QJsonObject saved = kw::endpointToJson(c);
    QVERIFY(!saved.contains(u"port"_s));
    QCOMPARE(saved.value(u"mqtt"_s).toObject().value(u"transport"_s).toString(), u"tls"_s);
    QCOMPARE(saved.value(u"mqtt"_s).toObject().value(u"will"_s).toObject().value(u"payload"_s).toString(),
             u"\\r\\n"_s);
    QCOMPARE(loadOne(fileOf(saved)), c);

    // Changed away from kind mqtt, the mqtt key goes too, so the file still loads.
    c.kind = kw::EndpointKind::Tcp;
    c.tls.enabled = false;
    c.raw = saved;
    QVERIFY(!kw::endpointToJson(c).contains(u"mqtt"_s));
    QCOMPARE(loadOne(fileOf(kw::endpointToJson(c))).kind, kw::EndpointKind::Tcp);
}

void TestMqttJson::unknownKeysSurvive()
{
    const QByteArray json = withMqtt(R"({"future": 1, "will": {"topic": "k", "delay_s": 5},
        "watch": [{"topic": "a", "x": 1}, {"topic": "b", "y": [2]}]})");
    const kw::WorkspaceResult result = parse(json);
    QVERIFY(result.ok());
    QCOMPARE(result.warnings.size(), 4);
    kw::EndpointConfig c = result.workspace->endpoints.first();
    // Reordered in code, each watch entry keeps its own unknown key.
    c.mqtt.watch.swapItemsAt(0, 1);
    const QJsonObject mqtt = kw::endpointToJson(c).value(u"mqtt"_s).toObject();
    QCOMPARE(mqtt.value(u"future"_s).toInt(), 1);
    QCOMPARE(mqtt.value(u"will"_s).toObject().value(u"delay_s"_s).toInt(), 5);
    const QJsonArray watch = mqtt.value(u"watch"_s).toArray();
    QCOMPARE(watch.size(), 2);
    QCOMPARE(watch.at(0).toObject(), (QJsonObject{{u"topic"_s, u"b"_s}, {u"y"_s, QJsonArray{2}}}));
    QCOMPARE(watch.at(1).toObject(), (QJsonObject{{u"topic"_s, u"a"_s}, {u"x"_s, 1}}));
}

void TestMqttJson::savedKeysReadInDocumentedOrder()
{
    const kw::EndpointConfig c = loadOne(withMqtt(R"({"watch": [{"qos": 1, "expect": "x", "topic": "a",
        "timeout_s": 5}], "will": {"retain": true, "topic": "k"}, "keepalive_s": 10, "version": "5",
        "transport": "ws"})"));
    kw::Workspace workspace;
    workspace.endpoints << c;
    const QByteArray saved = kw::workspaceToJson(workspace);
    // Each key is found after the one before it.
    qsizetype at = saved.indexOf("\"mqtt\":");
    QVERIFY2(at > saved.indexOf("\"host\":"), saved.constData());
    for (const char *key : {"version", "transport", "keepalive_s", "will", "topic", "retain", "watch",
                            "topic", "timeout_s", "expect", "qos"}) {
        const qsizetype next = saved.indexOf(QByteArray(QByteArray("\"") + key + "\":"), at);
        QVERIFY2(next > at,
                 qPrintable(QString::fromLatin1(key) + u" out of order in\n"_s + QString::fromUtf8(saved)));
        at = next;
    }
}

QTEST_GUILESS_MAIN(TestMqttJson)
#include "tst_mqttjson.moc"
