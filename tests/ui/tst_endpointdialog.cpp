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
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>

#include <functional>

using namespace kw;

using Edit = std::function<void(EndpointDialog &)>;
Q_DECLARE_METATYPE(Edit)

namespace {
constexpr int kMqttTab = 7; // General, TCP keepalive, Reconnect, Heartbeat, Idle, TLS, WebSocket, MQTT
constexpr int kWatchRetainedColumn = 4; // Topic filter, Timeout, Expect, Will payload, Retained counts, QoS

template<typename T>
T *field(const EndpointDialog &dialog, const char *name)
{
    T *widget = dialog.findChild<T *>(QString::fromLatin1(name));
    if (!widget)
        qFatal("no widget %s", name);
    return widget;
}

QPushButton *okButton(const EndpointDialog &dialog)
{
    return field<QDialogButtonBox>(dialog, "endpointDialogButtons")->button(QDialogButtonBox::Ok);
}

QString errorText(const EndpointDialog &dialog)
{
    return field<QLabel>(dialog, "endpointDialogErrors")->text();
}

// Types into a field the way a user does: select all, then type.
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

void fillValid(EndpointDialog &dialog)
{
    retype(field<QLineEdit>(dialog, "endpointName"), u"orders-db"_qs);
    retype(field<QLineEdit>(dialog, "endpointHost"), u"db.internal"_qs);
    retype(field<QSpinBox>(dialog, "endpointPort"), u"5432"_qs);
}

EndpointConfig parsed(const QByteArray &json)
{
    const EndpointResult result = parseEndpoint(QJsonDocument::fromJson(json).object(), u"test"_qs);
    if (!result.endpoint)
        qFatal("fixture does not parse: %s", qPrintable(result.errors.join(u'\n')));
    return *result.endpoint;
}
} // namespace

class TestEndpointDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mqttRoundTrip();
    void mqttFromANewEndpoint();
    void mqttTopicFilterErrors_data();
    void mqttTopicFilterErrors();
    void mqttPortFollowsTransport();
    void newEndpointStartsInvalid();
    void fillFieldsEnablesOk();
    void invalidInputShowsMessage_data();
    void invalidInputShowsMessage();
    void keepaliveDefaultsAreUnset();
    void keepaliveRangesAreTheValidators();
    void outOfRangeKeepaliveIsNamedNotClamped();
    void editKeepsUnknownKeys();
    void editLoadsEveryField();
    void editsOtherKinds_data();
    void editsOtherKinds();
    void lintWarnsWithTheFix();
    void pathChoiceIsSavedAndLinted();
};

void TestEndpointDialog::newEndpointStartsInvalid()
{
    EndpointDialog dialog(nullptr, {});
    QVERIFY(!dialog.isValid());
    QVERIFY(!okButton(dialog)->isEnabled());
    const QString errors = dialog.errors().join(u'\n');
    QVERIFY2(errors.contains(u"Host"), qPrintable(errors));
    QVERIFY2(errors.contains(u"Port"), qPrintable(errors));
    QVERIFY(!dialog.config());
    // An untouched form says what to fill in, not what is wrong.
    QVERIFY2(errorText(dialog).startsWith(u"Enter a name"), qPrintable(errorText(dialog)));
    QVERIFY(!field<QTabWidget>(dialog, "endpointDialogTabs")->tabText(0).contains(u"⚠"));
    // The first edit turns the list of problems on.
    QTest::keyClicks(field<QLineEdit>(dialog, "endpointName"), u"db"_qs);
    QVERIFY2(errorText(dialog).contains(u"Host"), qPrintable(errorText(dialog)));
    QVERIFY(field<QTabWidget>(dialog, "endpointDialogTabs")->tabText(0).contains(u"⚠"));
}

void TestEndpointDialog::fillFieldsEnablesOk()
{
    EndpointDialog dialog(nullptr, {u"broker"_qs});
    fillValid(dialog);
    QVERIFY2(dialog.isValid(), qPrintable(dialog.errors().join(u'\n')));
    QVERIFY(okButton(dialog)->isEnabled());
    QCOMPARE(errorText(dialog), QString());

    const std::optional<EndpointConfig> config = dialog.config();
    QVERIFY(config);
    QCOMPARE(config->name, u"orders-db"_qs);
    QCOMPARE(config->host, u"db.internal"_qs);
    QCOMPARE(config->port, quint16(5432));
    QCOMPARE(config->kind, EndpointKind::Tcp);
    QVERIFY(config->enabled);
    QCOMPARE(config->keepalive, net::TcpKeepaliveSettings{});
    QCOMPARE(config->reconnect, ReconnectConfig{});
    QVERIFY(!config->heartbeat);
    // Defaults nobody chose are not written into the workspace.
    const QJsonObject json = dialog.json();
    QVERIFY(!json.contains(u"keepalive"));
    QVERIFY(!json.contains(u"reconnect"));
    QVERIFY(!json.contains(u"idle"));
    QVERIFY(!json.contains(u"enabled"));

    // OK accepts only now.
    okButton(dialog)->click();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
}

void TestEndpointDialog::invalidInputShowsMessage_data()
{
    QTest::addColumn<Edit>("edit");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("tab");

    QTest::newRow("port 0") << Edit([](EndpointDialog &d) {
        retype(field<QSpinBox>(d, "endpointPort"), u"0"_qs);
    }) << u"Port: expected an integer 1–65535"_qs
                            << 0;
    QTest::newRow("host with a space")
        << Edit([](EndpointDialog &d) { retype(field<QLineEdit>(d, "endpointHost"), u"db internal"_qs); })
        << u"Host:"_qs << 0;
    QTest::newRow("empty name") << Edit([](EndpointDialog &d) {
        retype(field<QLineEdit>(d, "endpointName"), {});
    }) << u"Name:"_qs << 0;
    QTest::newRow("duplicate name") << Edit([](EndpointDialog &d) {
        retype(field<QLineEdit>(d, "endpointName"), u"broker"_qs);
    }) << u"another endpoint is already called \"broker\""_qs
                                    << 0;
    QTest::newRow("longest wait below first retry") << Edit([](EndpointDialog &d) {
        field<QSpinBox>(d, "reconnectInitial")->setValue(5000);
        field<QSpinBox>(d, "reconnectMax")->setValue(1000);
    }) << u"Longest wait:"_qs << 2;
    QTest::newRow("bad heartbeat escape") << Edit([](EndpointDialog &d) {
        field<QGroupBox>(d, "heartbeatGroup")->setChecked(true);
        field<QDoubleSpinBox>(d, "heartbeatInterval")->setValue(2);
        retype(field<QLineEdit>(d, "heartbeatSend"), u"PING\\q"_qs);
    }) << u"Heartbeat send:"_qs << 3;
    QTest::newRow("heartbeat interval zero") << Edit([](EndpointDialog &d) {
        field<QGroupBox>(d, "heartbeatGroup")->setChecked(true);
        field<QDoubleSpinBox>(d, "heartbeatInterval")->setValue(0);
    }) << u"Heartbeat interval:"_qs << 3;
}

void TestEndpointDialog::invalidInputShowsMessage()
{
    QFETCH(Edit, edit);
    QFETCH(QString, message);
    QFETCH(int, tab);

    EndpointDialog dialog(nullptr, {u"broker"_qs});
    fillValid(dialog);
    QVERIFY(okButton(dialog)->isEnabled());

    edit(dialog);
    QVERIFY(!dialog.isValid());
    QVERIFY(!okButton(dialog)->isEnabled());
    QVERIFY2(errorText(dialog).contains(message), qPrintable(errorText(dialog)));
    // The message is in words, not a JSON path.
    QVERIFY2(!errorText(dialog).contains(u"endpoint."), qPrintable(errorText(dialog)));
    const auto *tabs = field<QTabWidget>(dialog, "endpointDialogTabs");
    QVERIFY2(tabs->tabText(tab).contains(u"⚠"), qPrintable(tabs->tabText(tab)));
    QVERIFY(!dialog.config());

    // Clicking OK anyway does not accept.
    okButton(dialog)->click();
    QVERIFY(dialog.result() != int(QDialog::Accepted));
}

void TestEndpointDialog::keepaliveDefaultsAreUnset()
{
    EndpointDialog dialog(nullptr, {});
    fillValid(dialog);
    auto *idle = field<QSpinBox>(dialog, "keepaliveIdle");
    QCOMPARE(idle->text(), u"system default"_qs);
    idle->setValue(10);
    field<QSpinBox>(dialog, "keepaliveInterval")->setValue(2);
    field<QSpinBox>(dialog, "keepaliveCount")->setValue(3);
    field<QSpinBox>(dialog, "keepaliveUserTimeout")->setValue(0); // 0 is a value, not "unset"
    field<QComboBox>(dialog, "keepaliveEnabled")->setCurrentIndex(1);
    QVERIFY(dialog.isValid());
    net::TcpKeepaliveSettings expected;
    expected.enabled = true;
    expected.idle = std::chrono::seconds(10);
    expected.interval = std::chrono::seconds(2);
    expected.count = 3;
    expected.userTimeout = std::chrono::milliseconds(0);
    QCOMPARE(dialog.config()->keepalive, expected);
    QVERIFY(field<QLabel>(dialog, "keepaliveBound")->text().contains(u"16 s"));

    idle->setValue(idle->minimum());
    field<QSpinBox>(dialog, "keepaliveUserTimeout")->setValue(-1);
    field<QComboBox>(dialog, "keepaliveEnabled")->setCurrentIndex(0);
    const QJsonObject keepalive = dialog.json().value(u"keepalive"_qs).toObject();
    QCOMPARE(keepalive.keys(), QStringList({u"count"_qs, u"interval_s"_qs}));
    QVERIFY(!dialog.config()->keepalive.idle);
    QVERIFY(!dialog.config()->keepalive.enabled);
}

void TestEndpointDialog::keepaliveRangesAreTheValidators()
{
    EndpointDialog dialog(nullptr, {});
    // One below the range is "unset" (system default).
    QCOMPARE(field<QSpinBox>(dialog, "keepaliveIdle")->minimum(), int(net::kMinTcpKeepaliveIdle.count()) - 1);
    QCOMPARE(field<QSpinBox>(dialog, "keepaliveIdle")->maximum(), int(net::kMaxTcpKeepaliveIdle.count()));
    QCOMPARE(field<QSpinBox>(dialog, "keepaliveInterval")->maximum(),
             int(net::kMaxTcpKeepaliveInterval.count()));
    QCOMPARE(field<QSpinBox>(dialog, "keepaliveCount")->minimum(), net::kMinTcpKeepaliveCount - 1);
    QCOMPARE(field<QSpinBox>(dialog, "keepaliveCount")->maximum(), net::kMaxTcpKeepaliveCount);
    QCOMPARE(field<QSpinBox>(dialog, "keepaliveUserTimeout")->minimum(),
             int(net::kMinTcpUserTimeout.count()) - 1);
    QCOMPARE(field<QSpinBox>(dialog, "keepaliveUserTimeout")->maximum(),
             int(net::kMaxTcpUserTimeout.count()));
}

void TestEndpointDialog::outOfRangeKeepaliveIsNamedNotClamped()
{
    // Not from a file (the loader refuses it) but built in code: the spin box cannot show 200, and the
    // dialog must not turn it into 127 behind the user's back.
    EndpointConfig original = parsed(R"({"name": "plc", "kind": "tcp", "host": "10.0.0.7", "port": 502})");
    original.keepalive.count = 200;
    EndpointDialog dialog(&original, {});
    QVERIFY(!dialog.isValid());
    QVERIFY(!okButton(dialog)->isEnabled());
    // The validator's words, as the loader and `keepwatch keepalive --count 200` print them.
    const QString message = QString::fromStdString(net::validateTcpKeepalive({.count = 200}).front().message);
    QVERIFY(message.contains(u"TCP keepalive count 200 is out of range: use 1..127 probes"));
    QCOMPARE(dialog.errors(), QStringList{u"Keepalive probe count: "_qs + message});
    QVERIFY(field<QTabWidget>(dialog, "endpointDialogTabs")->tabText(1).contains(u"⚠"));
    QCOMPARE(dialog.json().value(u"keepalive"_qs).toObject().value(u"count"_qs).toInt(), 200);

    // Choosing a count replaces the value the spin box could not show.
    field<QSpinBox>(dialog, "keepaliveCount")->setValue(5);
    QVERIFY2(dialog.isValid(), qPrintable(dialog.errors().join(u'\n')));
    QCOMPARE(dialog.config()->keepalive.count, std::optional(5));
}

void TestEndpointDialog::editKeepsUnknownKeys()
{
    const EndpointConfig original = parsed(R"({
        "name": "broker", "kind": "tcp", "host": "10.0.0.5", "port": 1883, "owner": "team-iot",
        "keepalive": {"idle_s": 30, "x-comment": "set by ops"},
        "reconnect": {"initial_ms": 500, "x-tuning": [1, 2]},
        "heartbeat": {"interval_s": 1.5, "send": "PING\r\n", "expect": "PONG", "x-hb": true},
        "idle": {"reader_s": 20, "action": "close"}
    })");
    EndpointDialog dialog(&original, {u"orders-db"_qs});
    QVERIFY2(dialog.isValid(), qPrintable(dialog.errors().join(u'\n')));

    // Unchanged: the same endpoint, unknown keys at every level still there.
    QCOMPARE(*dialog.config(), original);
    QJsonObject json = dialog.json();
    QCOMPARE(json.value(u"owner"_qs).toString(), u"team-iot"_qs);
    QCOMPARE(json.value(u"keepalive"_qs).toObject().value(u"x-comment"_qs).toString(), u"set by ops"_qs);
    QCOMPARE(json.value(u"reconnect"_qs).toObject().value(u"x-tuning"_qs).toArray().size(), 2);
    QCOMPARE(json.value(u"heartbeat"_qs).toObject().value(u"x-hb"_qs).toBool(), true);
    QCOMPARE(json.value(u"heartbeat"_qs).toObject().value(u"send"_qs).toString(), u"PING\\r\\n"_qs);

    // Edited: the change lands, the unknown keys stay.
    retype(field<QLineEdit>(dialog, "endpointHost"), u"10.0.0.6"_qs);
    field<QSpinBox>(dialog, "keepaliveIdle")->setValue(45);
    QVERIFY(dialog.isValid());
    json = dialog.json();
    QCOMPARE(json.value(u"owner"_qs).toString(), u"team-iot"_qs);
    QCOMPARE(json.value(u"keepalive"_qs).toObject().value(u"x-comment"_qs).toString(), u"set by ops"_qs);
    const EndpointConfig edited = *dialog.config();
    QCOMPARE(edited.host, u"10.0.0.6"_qs);
    QCOMPARE(edited.keepalive.idle, std::optional(std::chrono::seconds(45)));
    QCOMPARE(edited.heartbeat->send, QByteArray("PING\r\n"));
    QCOMPARE(edited.raw.value(u"owner"_qs).toString(), u"team-iot"_qs);
    // And the store writes them back.
    QCOMPARE(endpointToJson(edited).value(u"owner"_qs).toString(), u"team-iot"_qs);
}

void TestEndpointDialog::editLoadsEveryField()
{
    const EndpointConfig original = parsed(R"({
        "name": "cache", "kind": "tcp", "host": "cache.internal", "port": 6379, "enabled": false,
        "keepalive": {"enabled": false, "user_timeout_ms": 7000},
        "reconnect": {"initial_ms": 250, "max_ms": 9000, "multiplier": 2.5, "jitter": 0.1,
                      "min_connect_timeout_ms": 3000},
        "heartbeat": {"interval_s": 0.25, "send": "\\x00\\x01", "misses": 5, "timeout_ms": 100},
        "idle": {"writer_s": 7, "all_s": 9, "action": "ping"}
    })");
    EndpointDialog dialog(&original, {});
    QVERIFY2(dialog.isValid(), qPrintable(dialog.errors().join(u'\n')));
    QVERIFY(!field<QCheckBox>(dialog, "endpointEnabled")->isChecked());
    QCOMPARE(field<QComboBox>(dialog, "keepaliveEnabled")->currentIndex(), 2);
    QCOMPARE(field<QSpinBox>(dialog, "reconnectMax")->value(), 9000);
    QCOMPARE(field<QLineEdit>(dialog, "heartbeatSend")->text(), u"\\x00\\x01"_qs);
    QCOMPARE(field<QComboBox>(dialog, "idleAction")->currentData().toString(), u"ping"_qs);
    QCOMPARE(*dialog.config(), original);
}

void TestEndpointDialog::editsOtherKinds_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("addressKey");
    QTest::newRow("listen") << QByteArray(
                                   R"({"name": "edge", "kind": "listen", "bind": "0.0.0.0", "port": 7000,
        "heartbeat": {"interval_s": 5, "send": "", "misses": 3}})")
                            << u"bind"_qs;
    QTest::newRow("mqtt") << QByteArray(R"({"name": "broker", "kind": "mqtt", "host": "broker.internal",
        "port": 1883, "mqtt": {"client_id": "keepwatch-1", "keepalive_s": 30}})")
                          << u"host"_qs;
}

void TestEndpointDialog::editsOtherKinds()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, addressKey);
    const QJsonObject object = QJsonDocument::fromJson(json).object();
    const EndpointResult parsedResult = parseEndpoint(object, u"test"_qs);
    QVERIFY2(parsedResult.endpoint, qPrintable(parsedResult.errors.join(u"; ")));
    const EndpointConfig original = *parsedResult.endpoint;

    EndpointDialog dialog(&original, {});
    QVERIFY2(dialog.isValid(), qPrintable(dialog.errors().join(u'\n')));
    // Every kind is edited in full: there is no "kept as it is" note any more.
    QVERIFY(!dialog.findChild<QLabel *>(u"endpointKindNote"_qs));
    QCOMPARE(*dialog.config(), original);
    QCOMPARE(dialog.json().value(u"kind"_qs), object.value(u"kind"_qs));
    // The address field edits the key this kind uses, and only that one.
    retype(field<QLineEdit>(dialog, "endpointHost"), u"10.1.1.1"_qs);
    QVERIFY2(dialog.isValid(), qPrintable(dialog.errors().join(u'\n')));
    QCOMPARE(dialog.json().value(addressKey).toString(), u"10.1.1.1"_qs);
    QCOMPARE(dialog.json().contains(u"host"), addressKey == u"host");
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key() != addressKey)
            QCOMPARE(dialog.json().value(it.key()), it.value());
    }
}

void TestEndpointDialog::mqttRoundTrip()
{
    const EndpointConfig original = parsed(R"({"name": "plant", "kind": "mqtt", "host": "mqtt.plant.internal",
        "port": 8884, "mqtt": {"version": "3.1.1", "transport": "wss", "path": "/ws", "keepalive_s": 20,
        "ping_timeout_s": 4, "client_id": "kw-plant-1", "username": "watcher", "password_env": "PLANT_PW",
        "clean_start": false, "watch": [
            {"topic": "plant/+/heartbeat", "timeout_s": 15, "will_payload": "offline", "qos": 1, "expect": "ok"},
            {"topic": "lab/#", "retained_counts": true}]}})");
    QCOMPARE(original.mqtt.watch.size(), 2);
    EndpointDialog dialog(&original, {});
    QVERIFY2(dialog.isValid(), qPrintable(dialog.errors().join(u'\n')));
    QCOMPARE(field<QComboBox>(dialog, "mqttTransport")->currentData().toString(), u"wss"_qs);
    QCOMPARE(field<QComboBox>(dialog, "mqttVersion")->currentData().toString(), u"3.1.1"_qs);
    QCOMPARE(field<QSpinBox>(dialog, "endpointPort")->value(), 8884);
    QCOMPARE(field<QTableWidget>(dialog, "mqttWatch")->rowCount(), 2);
    QVERIFY(field<QTabWidget>(dialog, "endpointDialogTabs")->isTabVisible(kMqttTab));
    QVERIFY(!field<QTabWidget>(dialog, "endpointDialogTabs")->isTabVisible(3)); // no heartbeat for MQTT
    // Unchanged fields give back the same MqttConfig, the watch keys the table does not show included.
    QCOMPARE(dialog.config()->mqtt, original.mqtt);
    QCOMPARE(*dialog.config(), original);

    // Edits reach the config.
    retype(field<QSpinBox>(dialog, "mqttKeepAlive"), u"45"_qs);
    retype(field<QLineEdit>(dialog, "mqttClientId"), QString());
    auto *watch = field<QTableWidget>(dialog, "mqttWatch");
    watch->item(1, 1)->setData(Qt::EditRole, 90.0);
    watch->item(0, kWatchRetainedColumn)->setCheckState(Qt::Checked);
    QVERIFY2(dialog.isValid(), qPrintable(dialog.errors().join(u'\n')));
    const MqttConfig m = dialog.config()->mqtt;
    QCOMPARE(m.keepAlive, std::chrono::seconds(45));
    QVERIFY(m.clientId.isEmpty());
    QCOMPARE(m.watch.at(1).timeout, std::chrono::milliseconds(90'000));
    QVERIFY(m.watch.at(0).retainedCounts);
    QCOMPARE(m.watch.at(0).qos, 1);
    QCOMPARE(m.watch.at(0).expect, QByteArray("ok"));
    QCOMPARE(m.passwordEnv, u"PLANT_PW"_qs);
    QVERIFY(!dialog.json().value(u"mqtt"_qs).toObject().contains(u"password"_qs));
}

void TestEndpointDialog::mqttFromANewEndpoint()
{
    EndpointDialog dialog(nullptr, {});
    auto *kind = field<QComboBox>(dialog, "endpointKind");
    kind->setCurrentIndex(kind->findData(u"mqtt"_qs));
    retype(field<QLineEdit>(dialog, "endpointName"), u"broker"_qs);
    retype(field<QLineEdit>(dialog, "endpointHost"), u"broker.internal"_qs);
    QVERIFY(field<QLineEdit>(dialog, "mqttClientId")->placeholderText().contains(u"generated"));
    field<QPushButton>(dialog, "mqttWatchAdd")->click();
    QVERIFY2(dialog.isValid(), qPrintable(dialog.errors().join(u'\n')));
    const EndpointConfig c = *dialog.config();
    QCOMPARE(c.kind, EndpointKind::Mqtt);
    QCOMPARE(c.port, quint16(1883));
    QCOMPARE(c.mqtt.watch.size(), 1);
    QCOMPARE(c.mqtt.watch.first().topic, u"devices/+/heartbeat"_qs);
    QVERIFY(!dialog.json().contains(u"heartbeat"_qs));
}

void TestEndpointDialog::mqttTopicFilterErrors_data()
{
    QTest::addColumn<QString>("topic");
    QTest::addColumn<QString>("message");
    QTest::newRow("plus inside a level") << u"devices/a+/heartbeat"_qs << u"'+' must fill a whole level"_qs;
    QTest::newRow("hash inside a level")
        << u"devices/a#"_qs << u"'#' must be the last level and alone in it"_qs;
    QTest::newRow("hash not last") << u"devices/#/heartbeat"_qs << u"'#' must be the last level"_qs;
    QTest::newRow("empty") << QString() << u"Watch row 2"_qs;
}

void TestEndpointDialog::mqttTopicFilterErrors()
{
    QFETCH(QString, topic);
    QFETCH(QString, message);
    const EndpointConfig original =
        parsed(R"({"name": "plant", "kind": "mqtt", "host": "b", "mqtt": {"watch": [
        {"topic": "ok/+"}, {"topic": "fine/#"}]}})");
    EndpointDialog dialog(&original, {});
    QVERIFY(dialog.isValid());
    field<QTableWidget>(dialog, "mqttWatch")->item(1, 0)->setText(topic);
    QVERIFY(!dialog.isValid());
    QVERIFY2(errorText(dialog).contains(message), qPrintable(errorText(dialog)));
    // Named by the table row and column, not by a JSON path.
    QVERIFY2(errorText(dialog).contains(u"Watch row 2"), qPrintable(errorText(dialog)));
    QVERIFY2(!errorText(dialog).contains(u"mqtt.watch["), qPrintable(errorText(dialog)));
    QVERIFY(field<QTabWidget>(dialog, "endpointDialogTabs")->tabText(kMqttTab).contains(u"⚠"));
}

void TestEndpointDialog::mqttPortFollowsTransport()
{
    EndpointDialog dialog(nullptr, {});
    auto *kind = field<QComboBox>(dialog, "endpointKind");
    kind->setCurrentIndex(kind->findData(u"mqtt"_qs));
    auto *port = field<QSpinBox>(dialog, "endpointPort");
    auto *transport = field<QComboBox>(dialog, "mqttTransport");
    auto *path = field<QLineEdit>(dialog, "mqttPath");
    dialog.show();
    field<QTabWidget>(dialog, "endpointDialogTabs")->setCurrentIndex(kMqttTab);
    QCOMPARE(port->value(), 1883);
    const QList<std::pair<QString, int>> defaults{
        {u"tls"_qs, 8883}, {u"ws"_qs, 80}, {u"wss"_qs, 443}, {u"tcp"_qs, 1883}};
    for (const auto &[name, expected] : defaults) {
        transport->setCurrentIndex(transport->findData(name));
        QCOMPARE(port->value(), expected);
        QCOMPARE(path->isVisible(), name.startsWith(u"ws"));
    }
    retype(port, u"2883"_qs);
    transport->setCurrentIndex(transport->findData(u"tls"_qs));
    QCOMPARE(port->value(), 2883); // typed: kept
}

// The keepalive and heartbeat lint (kw::lintEndpoint) under the errors: warnings with the fix, live as the
// fields change, never disabling OK; the workspace's "path" and its other endpoints count.
void TestEndpointDialog::lintWarnsWithTheFix()
{
    net::SystemDefaults onLinux;
    onLinux.platform = net::kPlatformLinux;
    onLinux.keepaliveTime = {7200, "s", "test", true};
    onLinux.keepaliveInterval = {75, "s", "test", true};
    onLinux.keepaliveProbes = {9, "", "test", true};
    QByteArray others;
    for (int i = 0; i < 60; ++i) {
        others +=
            (i ? "," : "") + QStringLiteral(R"({"name":"hb%1","kind":"tcp","host":"db.internal","port":7,)"
                                            R"("heartbeat":{"interval_s":1}})")
                                 .arg(i)
                                 .toUtf8();
    }
    const WorkspaceResult loaded =
        parseWorkspace(R"({"version":1,"path":"aws-nlb","endpoints":[)" + others + "]}", u"w.json"_qs);
    QVERIFY2(loaded.ok(), qPrintable(loaded.errors.join(u'\n')));

    EndpointDialog dialog(nullptr, {});
    dialog.setSystemDefaults(onLinux);
    dialog.setWorkspace(*loaded.workspace);
    auto *lint = field<QLabel>(dialog, "endpointDialogLint");
    QVERIFY(lint->isHidden()); // nothing typed yet

    // A plain TCP endpoint sends nothing when idle.
    retype(field<QLineEdit>(dialog, "endpointName"), u"orders-db"_qs);
    retype(field<QLineEdit>(dialog, "endpointHost"), u"orders.internal"_qs);
    retype(field<QSpinBox>(dialog, "endpointPort"), u"5432"_qs);
    QVERIFY(dialog.isValid());
    QVERIFY(okButton(dialog)->isEnabled());
    QVERIFY(!lint->isHidden());
    QCOMPARE(dialog.lintWarnings().size(), 1);
    QVERIFY2(lint->text().contains(u"nothing is sent on an idle connection"), qPrintable(lint->text()));
    QVERIFY2(lint->text().contains(u"Fix: set keepalive.idle_s"), qPrintable(lint->text()));

    // Keepalive idle beyond the workspace's path (AWS NLB, 350 s): named as the dialog labels the field.
    auto *idle = field<QSpinBox>(dialog, "keepaliveIdle");
    idle->setValue(600);
    QVERIFY(dialog.isValid());
    QVERIFY(okButton(dialog)->isEnabled());
    QCOMPARE(dialog.lintWarnings().size(), 1);
    QVERIFY2(
        dialog.lintWarnings().first().startsWith(u"Warning, Keepalive idle: The first keepalive probe comes "
                                                 u"after 600 s of silence. AWS Network Load Balancer"),
        qPrintable(dialog.lintWarnings().first()));
    QVERIFY(dialog.lintWarnings().first().endsWith(u"Fix: set keepalive.idle_s to 333 or less."));

    // Fixed: the warning goes.
    idle->setValue(300);
    QVERIFY(dialog.lintWarnings().isEmpty());
    QVERIFY(lint->isHidden());

    // Moved to the host 60 heartbeats a second already go to: the flood it would join is shown too.
    retype(field<QLineEdit>(dialog, "endpointHost"), u"db.internal"_qs);
    QCOMPARE(dialog.lintWarnings().size(), 1);
    QVERIFY2(dialog.lintWarnings().first().startsWith(u"Warning, Workspace: 61 endpoints to db.internal send "
                                                      u"about 120 packets per second"),
             qPrintable(dialog.lintWarnings().first()));

    // An invalid form shows its errors, not the lint.
    retype(field<QLineEdit>(dialog, "endpointName"), QString());
    QVERIFY(!dialog.isValid());
    QVERIFY(dialog.lintWarnings().isEmpty());
}

// The endpoint's own "path" is chosen on the keepalive tab, saved as the workspace key and checked against.
void TestEndpointDialog::pathChoiceIsSavedAndLinted()
{
    EndpointDialog dialog(nullptr, {});
    fillValid(dialog);
    field<QSpinBox>(dialog, "keepaliveIdle")->setValue(300);
    auto *path = field<QComboBox>(dialog, "keepalivePath");
    QCOMPARE(path->currentIndex(), 0); // as the workspace says: no key written
    QVERIFY(!dialog.json().contains(u"path"));
    // Checked against the shortest common timeout (Azure LB) as a note.
    QCOMPARE(dialog.lintWarnings().size(), 1);
    QVERIFY2(dialog.lintWarnings().first().startsWith(u"Note, "), qPrintable(dialog.lintWarnings().first()));

    path->setCurrentIndex(path->findData(u"aws-nlb"_qs));
    QCOMPARE(dialog.json().value(u"path").toString(), u"aws-nlb"_qs);
    QVERIFY(dialog.isValid());
    QVERIFY(dialog.lintWarnings().isEmpty()); // 300 s is inside AWS NLB's 350 s
    path->setCurrentIndex(path->findData(u"azure-lb"_qs));
    QCOMPARE(dialog.lintWarnings().size(), 1);
    QVERIFY2(dialog.lintWarnings().first().startsWith(u"Warning, Keepalive idle:"),
             qPrintable(dialog.lintWarnings().first()));

    // A measured timeout in the file is shown and kept as it is.
    const EndpointConfig original = parsed(R"({"name":"db","kind":"tcp","host":"h","port":1,"path":400,)"
                                           R"("keepalive":{"idle_s":300}})");
    EndpointDialog edit(&original, {});
    auto *editPath = field<QComboBox>(edit, "keepalivePath");
    QCOMPARE(editPath->currentText(), u"measured: 400 s"_qs);
    QCOMPARE(edit.json().value(u"path").toInt(), 400);
    QVERIFY(edit.isValid());
    QVERIFY(edit.lintWarnings().isEmpty());
}

QTEST_MAIN(TestEndpointDialog)
#include "tst_endpointdialog.moc"
