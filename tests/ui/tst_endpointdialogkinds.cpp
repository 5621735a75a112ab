// The endpoint dialog across kinds: every kind from a new form and round-tripped with every field set,
// the loader's messages for bad values, the keepalive presets and the detection-bound sentence.

#include "endpointdialog.h"
#include "workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>

#include <functional>

using namespace kw;

using Edit = std::function<void(EndpointDialog &)>;
Q_DECLARE_METATYPE(Edit)

namespace {
// The tabs in their order (dialogfields::Tab).
enum { General, Keepalive, Reconnect, Heartbeat, Idle, Tls, WebSocket, Mqtt };

template<typename T>
T *field(const EndpointDialog &dialog, const char *name)
{
    T *widget = dialog.findChild<T *>(QString::fromLatin1(name));
    if (!widget)
        qFatal("no widget %s", name);
    return widget;
}

void retype(QWidget *widget, const QString &text)
{
    QLineEdit *edit = qobject_cast<QLineEdit *>(widget);
    if (!edit)
        edit = widget->findChild<QLineEdit *>(); // a spin box's editor
    QVERIFY(edit);
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

void chooseData(EndpointDialog &dialog, const char *name, const QString &data)
{
    auto *box = field<QComboBox>(dialog, name);
    box->setCurrentIndex(box->findData(data));
    QVERIFY2(box->currentIndex() >= 0, name);
}

bool okEnabled(const EndpointDialog &dialog)
{
    return field<QDialogButtonBox>(dialog, "endpointDialogButtons")
        ->button(QDialogButtonBox::Ok)
        ->isEnabled();
}

QString errorText(const EndpointDialog &dialog)
{
    return field<QLabel>(dialog, "endpointDialogErrors")->text();
}

EndpointConfig parsed(const QByteArray &json)
{
    const EndpointResult result = parseEndpoint(QJsonDocument::fromJson(json).object(), u"test"_qs);
    if (!result.endpoint)
        qFatal("fixture does not parse: %s", qPrintable(result.errors.join(u'\n')));
    return *result.endpoint;
}

net::SystemDefaults linuxKernelDefaults()
{
    // No /proc/sys below this path: readLinuxSystemDefaults falls back to the kernel's defaults.
    return net::readLinuxSystemDefaults("/nonexistent-keepwatch-test");
}
} // namespace

class TestEndpointDialogKinds : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void newEndpointOfEachKind_data();
    void newEndpointOfEachKind();
    void everyFieldRoundTrips_data();
    void everyFieldRoundTrips();
    void badValueShowsTheLoadersMessage_data();
    void badValueShowsTheLoadersMessage();
    void kindShowsItsTabs_data();
    void kindShowsItsTabs();
    void presetsSetTheDocumentedValues_data();
    void presetsSetTheDocumentedValues();
    void sentenceFollowsTheFields();
    void everyKnobExplainsItself();
    void fitsTheSmallestWindow_data();
    void fitsTheSmallestWindow();
};

void TestEndpointDialogKinds::newEndpointOfEachKind_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<Edit>("fill");
    QTest::addColumn<Edit>("check");
    QTest::newRow("tcp with TLS") << u"tcp"_qs << Edit([](EndpointDialog &d) {
        retype(field<QLineEdit>(d, "endpointHost"), u"db.internal"_qs);
        retype(field<QSpinBox>(d, "endpointPort"), u"5432"_qs);
        retype(field<QLineEdit>(d, "endpointTags"), u"prod, db"_qs);
        field<QGroupBox>(d, "tlsGroup")->setChecked(true);
        retype(field<QLineEdit>(d, "tlsCaFile"), u"/etc/ca.pem"_qs);
        retype(field<QLineEdit>(d, "tlsAlpn"), u"h2 http/1.1"_qs);
    }) << Edit([](EndpointDialog &d) {
        const EndpointConfig c = *d.config();
        QCOMPARE(c.host, u"db.internal"_qs);
        QCOMPARE(c.port, quint16(5432));
        QCOMPARE(c.tags, QStringList({u"prod"_qs, u"db"_qs}));
        QVERIFY(c.tls.enabled);
        QCOMPARE(c.tls.caFile, u"/etc/ca.pem"_qs);
        QCOMPARE(c.tls.alpn, QStringList({u"h2"_qs, u"http/1.1"_qs}));
    });
    QTest::newRow("listen") << u"listen"_qs << Edit([](EndpointDialog &d) {
        retype(field<QSpinBox>(d, "endpointPort"), u"7700"_qs);
        retype(field<QLineEdit>(d, "heartbeatExpect"), u"HB"_qs);
    }) << Edit([](EndpointDialog &d) {
        const EndpointConfig c = *d.config();
        QCOMPARE(c.bind, u"127.0.0.1"_qs); // the safe default address
        QCOMPARE(c.port, quint16(7700));
        QVERIFY(c.heartbeat); // a listener judges its peers by heartbeats: on from the start
        QCOMPARE(c.heartbeat->expect, QByteArray("HB"));
        QVERIFY(!d.json().contains(u"host"_qs));
        QVERIFY(!d.json().contains(u"tls"_qs));
    });
    QTest::newRow("websocket") << u"websocket"_qs << Edit([](EndpointDialog &d) {
        retype(field<QLineEdit>(d, "endpointUrl"), u"wss://feed.example.net:8443/live?x=1"_qs);
        field<QDoubleSpinBox>(d, "websocketPingInterval")->setValue(2.5);
        field<QDoubleSpinBox>(d, "websocketPongTimeout")->setValue(1);
        retype(field<QLineEdit>(d, "websocketSubprotocols"), u"graphql-ws"_qs);
        field<QPushButton>(d, "websocketHeaderAdd")->click();
        field<QTableWidget>(d, "websocketHeaders")->item(0, 1)->setText(u"Bearer abc"_qs);
        retype(field<QLineEdit>(d, "tlsPeerName"), u"feed.internal"_qs);
    }) << Edit([](EndpointDialog &d) {
        const EndpointConfig c = *d.config();
        QCOMPARE(c.websocket.url, u"wss://feed.example.net:8443/live?x=1"_qs);
        QCOMPARE(c.host, u"feed.example.net"_qs);
        QCOMPARE(c.port, quint16(8443));
        QCOMPARE(c.websocket.pingInterval, std::chrono::milliseconds(2500));
        QCOMPARE(c.websocket.pongTimeout, std::chrono::milliseconds(1000));
        QCOMPARE(c.websocket.subprotocols, QStringList{u"graphql-ws"_qs});
        QCOMPARE(c.websocket.headers.size(), 1);
        QCOMPARE(c.websocket.headers.first().first, u"Authorization"_qs);
        QCOMPARE(c.websocket.headers.first().second, u"Bearer abc"_qs);
        QVERIFY(c.tls.enabled); // by the wss:// URL
        QCOMPARE(c.tls.peerName, u"feed.internal"_qs);
        QVERIFY(!d.json().contains(u"port"_qs));
        QVERIFY(!d.json().contains(u"heartbeat"_qs));
    });
    QTest::newRow("mqtt over TLS with a Will") << u"mqtt"_qs << Edit([](EndpointDialog &d) {
        retype(field<QLineEdit>(d, "endpointHost"), u"broker.internal"_qs);
        chooseData(d, "mqttTransport", u"tls"_qs);
        retype(field<QLineEdit>(d, "tlsCaFile"), u"ca.pem"_qs);
        field<QDoubleSpinBox>(d, "mqttSessionExpiry")->setValue(3600);
        field<QGroupBox>(d, "mqttWill")->setChecked(true);
        retype(field<QLineEdit>(d, "mqttWillTopic"), u"keepwatch/status"_qs);
        retype(field<QLineEdit>(d, "mqttWillPayload"), u"offline"_qs);
        field<QComboBox>(d, "mqttWillQos")->setCurrentIndex(1);
        field<QCheckBox>(d, "mqttWillRetain")->setChecked(true);
    }) << Edit([](EndpointDialog &d) {
        const EndpointConfig c = *d.config();
        QCOMPARE(c.mqtt.transport, MqttTransport::Tls);
        QCOMPARE(c.port, quint16(8883));
        QVERIFY(c.tls.enabled);
        QCOMPARE(c.tls.caFile, u"ca.pem"_qs);
        QCOMPARE(c.mqtt.sessionExpiry, std::optional(std::chrono::seconds(3600)));
        QVERIFY(c.mqtt.will);
        QCOMPARE(c.mqtt.will->topic, u"keepwatch/status"_qs);
        QCOMPARE(c.mqtt.will->payload, QByteArray("offline"));
        QCOMPARE(c.mqtt.will->qos, 1);
        QVERIFY(c.mqtt.will->retain);
    });
}

void TestEndpointDialogKinds::newEndpointOfEachKind()
{
    QFETCH(QString, kind);
    QFETCH(Edit, fill);
    QFETCH(Edit, check);
    EndpointDialog dialog(nullptr, {});
    chooseData(dialog, "endpointKind", kind);
    retype(field<QLineEdit>(dialog, "endpointName"), u"new-one"_qs);
    fill(dialog);
    QVERIFY2(dialog.isValid(), qPrintable(dialog.errors().join(u'\n')));
    QVERIFY(okEnabled(dialog));
    // The JSON is what the loader accepts, and the config is what it makes of it.
    const EndpointResult again = parseEndpoint(dialog.json(), u"again"_qs);
    QVERIFY2(again.endpoint, qPrintable(again.errors.join(u'\n')));
    QCOMPARE(*again.endpoint, *dialog.config());
    QCOMPARE(endpointKindName(dialog.config()->kind), kind);
    check(dialog);
}

void TestEndpointDialogKinds::everyFieldRoundTrips_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("tcp") << QByteArray(R"({"name": "db", "kind": "tcp", "host": "10.0.0.5", "port": 5432,
        "enabled": false, "tags": ["prod", "db"], "x-owner": "dba",
        "keepalive": {"enabled": true, "idle_s": 20, "interval_s": 5, "count": 3, "user_timeout_ms": 35000,
                      "x-k": 1},
        "reconnect": {"initial_ms": 250, "max_ms": 9000, "multiplier": 2.5, "jitter": 0.1,
                      "min_connect_timeout_ms": 3000, "x-r": 2},
        "heartbeat": {"interval_s": 0.5, "send": "PING\\r\\n", "expect": "PONG", "misses": 4, "timeout_ms": 200,
                      "x-h": 3},
        "idle": {"reader_s": 30, "writer_s": 10, "all_s": 40, "action": "ping", "x-i": 4},
        "tls": {"enabled": true, "ca_file": "ca.pem", "cert_file": "me.pem", "key_file": "me.key",
                "peer_name": "db.internal", "insecure": true, "alpn": ["h2", "postgresql"],
                "warn_expiry_days": 30, "x-t": 5}})");
    QTest::newRow("tcp with TLS switched off") << QByteArray(R"({"name": "db", "kind": "tcp", "host": "h",
        "port": 1, "tls": {"enabled": false, "ca_file": "kept.pem"}})");
    QTest::newRow("listen") << QByteArray(
        R"({"name": "edge", "kind": "listen", "bind": "0.0.0.0", "port": 7700,
        "tags": ["edge"], "x-top": true, "keepalive": {"idle_s": 60},
        "heartbeat": {"interval_s": 10, "send": "ACK", "expect": "\\x02HB\\x03", "misses": 2, "timeout_ms": 500},
        "reconnect": {"initial_ms": 2000}})");
    QTest::newRow("websocket") << QByteArray(R"({"name": "feed", "kind": "websocket",
        "url": "wss://feed.example.net:8443/live?token=x", "tags": ["feeds"], "x-top": [1],
        "websocket": {"ping_interval_s": 3.5, "pong_timeout_s": 1.25, "subprotocols": ["graphql-ws", "v2"],
                      "headers": {"Authorization": "Bearer abc", "X-Team": "ops"}, "x-w": "kept"},
        "tls": {"ca_file": "ca.pem", "alpn": ["http/1.1"], "warn_expiry_days": 7},
        "keepalive": {"idle_s": 30, "interval_s": 5, "count": 3},
        "idle": {"reader_s": 60, "action": "close"}})");
    QTest::newRow("mqtt") << QByteArray(R"({"name": "plant", "kind": "mqtt", "host": "mqtt.plant.internal",
        "port": 8884, "tags": ["iot"], "x-top": {"a": 1},
        "mqtt": {"version": "5", "transport": "wss", "path": "/ws", "keepalive_s": 20, "ping_timeout_s": 4,
                 "client_id": "kwplant1", "username": "watcher", "password_env": "PLANT_PW",
                 "clean_start": false, "session_expiry_s": 4294967295,
                 "will": {"topic": "keepwatch/plant", "payload": "gone\\n", "qos": 2, "retain": true, "x-will": 1},
                 "watch": [{"topic": "plant/+/heartbeat", "timeout_s": 15, "expect": "ok", "will_payload": "offline",
                            "retained_counts": true, "qos": 1, "x-watch": 2}], "x-m": 3},
        "tls": {"peer_name": "broker.internal", "insecure": false, "alpn": ["mqtt"]},
        "reconnect": {"max_ms": 60000}})");
}

void TestEndpointDialogKinds::everyFieldRoundTrips()
{
    QFETCH(QByteArray, json);
    const QJsonObject object = QJsonDocument::fromJson(json).object();
    const EndpointConfig original = parsed(json);
    EndpointDialog dialog(&original, {});
    QVERIFY2(dialog.isValid(), qPrintable(dialog.errors().join(u'\n')));
    // Nothing lost: the same endpoint, and the same JSON (defaults that were written stay written, unknown
    // keys stay at every level).
    QCOMPARE(*dialog.config(), original);
    const QJsonObject out = dialog.json();
    if (out != object) {
        qWarning("in:  %s", QJsonDocument(object).toJson(QJsonDocument::Compact).constData());
        qWarning("out: %s", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    }
    QCOMPARE(out, object);

    // And from the widgets alone: the same endpoint without its file's JSON behind it comes back whole,
    // so every field is shown and written, not merely carried along.
    EndpointConfig bare = original;
    bare.raw = {};
    EndpointDialog fromFields(&bare, {});
    QVERIFY2(fromFields.isValid(), qPrintable(fromFields.errors().join(u'\n')));
    QCOMPARE(*fromFields.config(), original);
}

void TestEndpointDialogKinds::badValueShowsTheLoadersMessage_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<Edit>("edit");
    QTest::addColumn<QString>("label");
    QTest::addColumn<int>("tab");
    const QByteArray ws = R"({"name": "feed", "kind": "websocket", "url": "wss://feed/x"})";
    const QByteArray tcp = R"({"name": "db", "kind": "tcp", "host": "db", "port": 5432})";
    const QByteArray mqtt = R"({"name": "b", "kind": "mqtt", "host": "b"})";
    QTest::newRow("http URL") << ws << Edit([](EndpointDialog &d) {
        retype(field<QLineEdit>(d, "endpointUrl"), u"http://feed/x"_qs);
    }) << u"URL: "_qs << int(General);
    QTest::newRow("credentials in the URL") << ws << Edit([](EndpointDialog &d) {
        retype(field<QLineEdit>(d, "endpointUrl"), u"wss://me:pw@feed/x"_qs);
    }) << u"URL: "_qs << int(General);
    QTest::newRow("header with a line feed") << ws << Edit([](EndpointDialog &d) {
        field<QPushButton>(d, "websocketHeaderAdd")->click();
        field<QTableWidget>(d, "websocketHeaders")->item(0, 1)->setText(u"a\nb"_qs);
    }) << u"Headers, Authorization: "_qs << int(WebSocket);
    QTest::newRow("pong timeout zero") << ws << Edit([](EndpointDialog &d) {
        field<QDoubleSpinBox>(d, "websocketPongTimeout")->setValue(0);
    }) << u"Pong timeout: "_qs << int(WebSocket);
    QTest::newRow("certificate without key") << tcp << Edit([](EndpointDialog &d) {
        field<QGroupBox>(d, "tlsGroup")->setChecked(true);
        retype(field<QLineEdit>(d, "tlsCertFile"), u"me.pem"_qs);
    }) << u"Client key: "_qs << int(Tls);
    QTest::newRow("tag twice") << tcp << Edit([](EndpointDialog &d) {
        retype(field<QLineEdit>(d, "endpointTags"), u"prod prod"_qs);
    }) << u"Tags: "_qs << int(General);
    QTest::newRow("Will topic with a wildcard") << mqtt << Edit([](EndpointDialog &d) {
        field<QGroupBox>(d, "mqttWill")->setChecked(true);
        retype(field<QLineEdit>(d, "mqttWillTopic"), u"status/#"_qs);
    }) << u"Will topic: "_qs << int(Mqtt);
    QTest::newRow("session expiry on 3.1.1") << mqtt << Edit([](EndpointDialog &d) {
        chooseData(d, "mqttVersion", u"3.1.1"_qs);
        field<QDoubleSpinBox>(d, "mqttSessionExpiry")->setValue(60);
    }) << u"Session expiry: "_qs << int(Mqtt);
    QTest::newRow("watch QoS 3")
        << QByteArray(R"({"name": "b", "kind": "mqtt", "host": "b",
        "mqtt": {"watch": [{"topic": "a/+"}]}})")
        << Edit([](EndpointDialog &d) {
               field<QTableWidget>(d, "mqttWatch")->item(0, 5)->setData(Qt::EditRole, 3);
           })
        << u"Watch row 1, QoS: "_qs << int(Mqtt);
}

void TestEndpointDialogKinds::badValueShowsTheLoadersMessage()
{
    QFETCH(QByteArray, json);
    QFETCH(Edit, edit);
    QFETCH(QString, label);
    QFETCH(int, tab);
    const EndpointConfig original = parsed(json);
    EndpointDialog dialog(&original, {});
    QVERIFY2(dialog.isValid(), qPrintable(dialog.errors().join(u'\n')));
    edit(dialog);
    QVERIFY(!dialog.isValid());
    QVERIFY(!okEnabled(dialog));
    QVERIFY(!dialog.config());
    // The loader's own words for the same JSON, behind the dialog's name of the field.
    const EndpointResult loader = parseEndpoint(dialog.json(), u"endpoint"_qs);
    QVERIFY(!loader.endpoint);
    const QString loaderMessage = loader.errors.first();
    const QString words = loaderMessage.mid(loaderMessage.indexOf(u": "_qs) + 2);
    QVERIFY2(errorText(dialog).contains(label + words),
             qPrintable(errorText(dialog) + u" / "_qs + loaderMessage));
    QVERIFY2(!errorText(dialog).contains(u"endpoint."_qs), qPrintable(errorText(dialog)));
    QVERIFY2(field<QTabWidget>(dialog, "endpointDialogTabs")->tabText(tab).contains(u"⚠"),
             qPrintable(field<QTabWidget>(dialog, "endpointDialogTabs")->tabText(tab)));
}

void TestEndpointDialogKinds::kindShowsItsTabs_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QList<int>>("visible");
    QTest::addColumn<QList<int>>("hidden");
    QTest::newRow("tcp") << u"tcp"_qs << QList<int>{Keepalive, Heartbeat, Idle, Tls}
                         << QList<int>{WebSocket, Mqtt};
    QTest::newRow("listen") << u"listen"_qs << QList<int>{Keepalive, Heartbeat}
                            << QList<int>{Tls, WebSocket, Mqtt, Idle};
    QTest::newRow("websocket") << u"websocket"_qs << QList<int>{Keepalive, Idle, Tls, WebSocket}
                               << QList<int>{Heartbeat, Mqtt};
    QTest::newRow("mqtt") << u"mqtt"_qs << QList<int>{Keepalive, Idle, Tls, Mqtt}
                          << QList<int>{Heartbeat, WebSocket};
}

void TestEndpointDialogKinds::kindShowsItsTabs()
{
    QFETCH(QString, kind);
    QFETCH(QList<int>, visible);
    QFETCH(QList<int>, hidden);
    EndpointDialog dialog(nullptr, {});
    dialog.show();
    chooseData(dialog, "endpointKind", kind);
    auto *tabs = field<QTabWidget>(dialog, "endpointDialogTabs");
    for (int tab : visible)
        QVERIFY2(tabs->isTabVisible(tab), qPrintable(tabs->tabText(tab)));
    for (int tab : hidden)
        QVERIFY2(!tabs->isTabVisible(tab), qPrintable(tabs->tabText(tab)));
    QCOMPARE(field<QLineEdit>(dialog, "endpointUrl")->isVisible(), kind == u"websocket");
    QCOMPARE(field<QLineEdit>(dialog, "endpointHost")->isVisible(), kind != u"websocket");
    QCOMPARE(field<QLineEdit>(dialog, "endpointHost")->accessibleName(),
             kind == u"listen" ? u"Bind address"_qs : u"Host"_qs);
}

void TestEndpointDialogKinds::presetsSetTheDocumentedValues_data()
{
    QTest::addColumn<QString>("button");
    QTest::addColumn<int>("idle");
    QTest::addColumn<int>("interval");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("userTimeoutMs");
    QTest::addColumn<int>("initialMs");
    QTest::addColumn<int>("maxMs");
    QTest::addColumn<QString>("tooltip");
    // The values docs/workspace.md and the tooltips give; -1: unset (system default), or reconnect unchanged.
    QTest::newRow("LAN") << u"keepalivePresetLan"_qs << 5 << 1 << 3 << 8000 << 500 << 10000 << u"8 s"_qs;
    QTest::newRow("cloud") << u"keepalivePresetCloud"_qs << 60 << 10 << 6 << 120000 << -1 << -1
                           << u"AWS NLB 350 s"_qs;
    QTest::newRow("mobile") << u"keepalivePresetMobile"_qs << 120 << 30 << 4 << 240000 << 2000 << 300000
                            << u"handovers"_qs;
    QTest::newRow("OS default") << u"keepalivePresetOsDefault"_qs << -1 << -1 << -1 << -1 << -1 << -1
                                << u"operating system"_qs;
}

void TestEndpointDialogKinds::presetsSetTheDocumentedValues()
{
    QFETCH(QString, button);
    QFETCH(int, idle);
    QFETCH(int, interval);
    QFETCH(int, count);
    QFETCH(int, userTimeoutMs);
    QFETCH(int, initialMs);
    QFETCH(int, maxMs);
    QFETCH(QString, tooltip);
    // Start from an endpoint with other values everywhere, so a preset that sets nothing shows.
    const EndpointConfig original = parsed(R"({"name": "db", "kind": "tcp", "host": "db", "port": 1,
        "keepalive": {"enabled": false, "idle_s": 999, "interval_s": 99, "count": 9, "user_timeout_ms": 9},
        "reconnect": {"initial_ms": 1234, "max_ms": 5678}})");
    EndpointDialog dialog(&original, {});
    auto *preset = dialog.findChild<QPushButton *>(button);
    QVERIFY(preset);
    QVERIFY2(preset->toolTip().contains(tooltip), qPrintable(preset->toolTip()));
    preset->click();
    QVERIFY2(dialog.isValid(), qPrintable(dialog.errors().join(u'\n')));
    const EndpointConfig c = *dialog.config();
    const auto orUnset = [](int v) { return v < 0 ? std::nullopt : std::optional<qint64>(v); };
    const auto ticks = [](const auto &d) { return d ? std::optional<qint64>(d->count()) : std::nullopt; };
    QCOMPARE(c.keepalive.enabled, idle < 0 ? std::nullopt : std::optional(true));
    QCOMPARE(ticks(c.keepalive.idle), orUnset(idle));
    QCOMPARE(ticks(c.keepalive.interval), orUnset(interval));
    QCOMPARE(c.keepalive.count ? std::optional<qint64>(*c.keepalive.count) : std::nullopt, orUnset(count));
    QCOMPARE(ticks(c.keepalive.userTimeout), orUnset(userTimeoutMs));
    QCOMPARE(c.reconnect.initial.count(), initialMs < 0 ? 1234 : initialMs);
    QCOMPARE(c.reconnect.max.count(), maxMs < 0 ? 5678 : maxMs);
    // The tooltip says what it sets.
    if (idle > 0)
        QVERIFY2(preset->toolTip().contains(u"idle %1 s"_qs.arg(idle)), qPrintable(preset->toolTip()));
}

void TestEndpointDialogKinds::sentenceFollowsTheFields()
{
    EndpointDialog dialog(nullptr, {});
    dialog.setSystemDefaults(linuxKernelDefaults());
    auto *bound = field<QLabel>(dialog, "keepaliveBound");
    auto *note = field<QLabel>(dialog, "keepalivePlatformNote");
    // Nothing set: the socket keeps keepalive off.
    QVERIFY2(bound->text().startsWith(u"Keepalive off"), qPrintable(bound->text()));

    field<QSpinBox>(dialog, "keepaliveIdle")->setValue(20);
    field<QSpinBox>(dialog, "keepaliveInterval")->setValue(5);
    field<QSpinBox>(dialog, "keepaliveCount")->setValue(3);
    QVERIFY2(
        bound->text().startsWith(u"A silent peer is declared dead after at most 35 s (idle 20 s + 3 × 5 s)."),
        qPrintable(bound->text()));
    // Without a user timeout Linux abandons unacknowledged data only after tcp_retries2 (15 min 24 s).
    QVERIFY2(bound->text().contains(u"15 min 24 s"), qPrintable(bound->text()));
    QVERIFY2(
        note->text().contains(u"Windows before 10 version 1703 fixes the probe count at 10: there a silent "
                              u"peer is declared dead after 70 s."),
        qPrintable(note->text()));

    field<QSpinBox>(dialog, "keepaliveCount")->setValue(4);
    QVERIFY2(bound->text().contains(u"at most 40 s (idle 20 s + 4 × 5 s)"), qPrintable(bound->text()));

    // A user timeout replaces the probe count on Linux: the first probe tick after 32 s is 20 + 3 × 5.
    field<QSpinBox>(dialog, "keepaliveUserTimeout")->setValue(32000);
    QVERIFY2(
        bound->text().contains(
            u"at most 35 s (on Linux the user timeout of 32 s takes the place of the probe count: idle 20 s, "
            u"then a probe every 5 s until it has passed)."),
        qPrintable(bound->text()));
    QVERIFY2(bound->text().contains(u"Unacknowledged data is abandoned after 32 s"),
             qPrintable(bound->text()));
    QVERIFY2(note->text().contains(u"macOS"), qPrintable(note->text()));

    // Unset timings come from the system: 7200 + 9 × 75 s.
    field<QSpinBox>(dialog, "keepaliveUserTimeout")->setValue(-1);
    for (const char *name : {"keepaliveIdle", "keepaliveInterval", "keepaliveCount"})
        field<QSpinBox>(dialog, name)->setValue(field<QSpinBox>(dialog, name)->minimum());
    field<QComboBox>(dialog, "keepaliveEnabled")->setCurrentIndex(1);
    QVERIFY2(bound->text().contains(u"2 h 11 min (idle 2 h 0 min + 9 × 75 s, unset values from the system"),
             qPrintable(bound->text()));

    field<QComboBox>(dialog, "keepaliveEnabled")->setCurrentIndex(2);
    QVERIFY2(bound->text().startsWith(u"Keepalive off"), qPrintable(bound->text()));
}

void TestEndpointDialogKinds::everyKnobExplainsItself()
{
    EndpointDialog dialog(nullptr, {});
    const QList<QWidget *> widgets = dialog.findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        const bool knob =
            qobject_cast<QAbstractSpinBox *>(w) || qobject_cast<QComboBox *>(w) ||
            qobject_cast<QCheckBox *>(w) || qobject_cast<QTableWidget *>(w) ||
            (qobject_cast<QLineEdit *>(w) && !qobject_cast<QAbstractSpinBox *>(w->parentWidget()) &&
             !qobject_cast<QComboBox *>(w->parentWidget()) && w->objectName() != u"qt_spinbox_lineedit");
        if (!knob || w->objectName().startsWith(u"qt_"))
            continue;
        if (w->objectName() == u"endpointName")
            continue; // the name needs no explanation beyond its placeholder
        QVERIFY2(!w->objectName().isEmpty(), w->metaObject()->className());
        QVERIFY2(!w->accessibleName().isEmpty(), qPrintable(w->objectName()));
        QVERIFY2(!w->toolTip().isEmpty(), qPrintable(w->objectName() + u" has no tooltip"_qs));
    }
}

void TestEndpointDialogKinds::fitsTheSmallestWindow_data()
{
    QTest::addColumn<QString>("kind");
    for (const char *kind : {"tcp", "listen", "websocket", "mqtt"})
        QTest::newRow(kind) << QString::fromLatin1(kind);
}

void TestEndpointDialogKinds::fitsTheSmallestWindow()
{
    // Every tab of every kind fits a 1024 x 640 screen without cutting anything off.
    QFETCH(QString, kind);
    EndpointDialog dialog(nullptr, {});
    dialog.setSystemDefaults(linuxKernelDefaults());
    chooseData(dialog, "endpointKind", kind);
    dialog.show();
    auto *tabs = field<QTabWidget>(dialog, "endpointDialogTabs");
    const QString dir = qEnvironmentVariable("KW_SCREENSHOT_DIR");
    for (int tab = 0; tab < tabs->count(); ++tab) {
        if (!tabs->isTabVisible(tab))
            continue;
        tabs->setCurrentIndex(tab);
        if (tab == Keepalive)
            field<QPushButton>(dialog, "keepalivePresetCloud")->click();
        const QSize needed = dialog.minimumSizeHint().expandedTo(dialog.size());
        QVERIFY2(needed.width() <= 1024 && needed.height() <= 640,
                 qPrintable(u"%1 tab %2 needs %3 x %4"_qs.arg(kind, tabs->tabText(tab))
                                .arg(needed.width())
                                .arg(needed.height())));
        QCoreApplication::processEvents(); // the layout requests the click posted
        // Nothing scrolls sideways.
        auto *scroll = qobject_cast<QScrollArea *>(tabs->currentWidget());
        QVERIFY(scroll);
        QVERIFY2(scroll->widget()->minimumSizeHint().width() <= scroll->viewport()->width(),
                 qPrintable(u"%1 tab %2: %3 > %4"_qs.arg(kind, tabs->tabText(tab))
                                .arg(scroll->widget()->minimumSizeHint().width())
                                .arg(scroll->viewport()->width())));
        if (!dir.isEmpty()) {
            dialog.grab().save(u"%1/dialog-%2-%3.png"_qs.arg(dir, kind).arg(tab));
        }
    }
}

QTEST_MAIN(TestEndpointDialogKinds)
#include "tst_endpointdialogkinds.moc"
