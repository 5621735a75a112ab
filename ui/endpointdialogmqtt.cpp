// The MQTT tab of the endpoint dialog: transport, version, keep alive, credentials by variable name,
// and the watched device topics.

#include "endpointdialog.h"

#include "endpointdialogfields.h"
#include "escapes.h"
#include "workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace kw {

using namespace dialogfields;

namespace {
const MqttConfig kMqttDefaults;
const MqttWatchConfig kWatchDefaults;
} // namespace

QWidget *EndpointDialog::buildMqttTab()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout(page);
    m_mqttTransport = named(new QComboBox(page), QStringLiteral("mqttTransport"), tr("MQTT transport"));
    m_mqttTransport->addItem(tr("TCP (port 1883)"), QStringLiteral("tcp"));
    m_mqttTransport->addItem(tr("TLS (port 8883)"), QStringLiteral("tls"));
    m_mqttTransport->addItem(tr("WebSocket (port 80)"), QStringLiteral("ws"));
    m_mqttTransport->addItem(tr("WebSocket over TLS (port 443)"), QStringLiteral("wss"));
    m_mqttVersion = named(new QComboBox(page), QStringLiteral("mqttVersion"), tr("MQTT version"));
    m_mqttVersion->addItem(tr("5"), mqttVersionName(MqttConfig::Version::V5));
    m_mqttVersion->addItem(tr("3.1.1"), mqttVersionName(MqttConfig::Version::V311));
    m_mqttKeepAlive =
        named(spin(0, 65535, tr(" s"), page), QStringLiteral("mqttKeepAlive"), tr("Keep alive"));
    m_mqttKeepAlive->setSpecialValueText(tr("off (0): only TCP keepalive finds a dead broker"));
    m_mqttPingTimeout =
        named(new QDoubleSpinBox(page), QStringLiteral("mqttPingTimeout"), tr("Ping timeout"));
    m_mqttPingTimeout->setRange(0, 65535);
    m_mqttPingTimeout->setDecimals(1);
    m_mqttPingTimeout->setSuffix(tr(" s"));
    m_mqttPingTimeout->setSpecialValueText(tr("the keep alive, at most 30 s"));
    m_mqttClientId = named(new QLineEdit(page), QStringLiteral("mqttClientId"), tr("Client id"));
    m_mqttClientId->setPlaceholderText(tr("empty: generated (keepwatch-…) and kept across reconnects"));
    m_mqttUsername = named(new QLineEdit(page), QStringLiteral("mqttUsername"), tr("User name"));
    m_mqttUsername->setPlaceholderText(tr("empty: connect without a user name"));
    m_mqttPasswordEnv =
        named(new QLineEdit(page), QStringLiteral("mqttPasswordEnv"), tr("Password environment variable"));
    m_mqttPasswordEnv->setPlaceholderText(tr("e.g. PLANT_MQTT_PASSWORD"));
    auto *passwordNote =
        new QLabel(tr("Passwords are never stored: give the name of the environment variable "
                      "that holds it, and start Keepwatch with it set."),
                   page);
    passwordNote->setWordWrap(true);
    passwordNote->setEnabled(false);
    m_mqttCleanStart = named(new QCheckBox(tr("Clean start (no session kept from before)"), page),
                             QStringLiteral("mqttCleanStart"), tr("Clean start"));
    m_mqttPath = named(new QLineEdit(page), QStringLiteral("mqttPath"), tr("WebSocket path"));
    m_mqttPath->setPlaceholderText(kMqttDefaults.path);

    m_mqttSessionExpiry =
        named(new QDoubleSpinBox(page), QStringLiteral("mqttSessionExpiry"), tr("Session expiry"));
    m_mqttSessionExpiry->setRange(-1, 4294967295.0);
    m_mqttSessionExpiry->setDecimals(0);
    m_mqttSessionExpiry->setSuffix(tr(" s"));
    m_mqttSessionExpiry->setSpecialValueText(tr("not set: the session ends with the connection"));
    m_mqttSessionExpiry->setToolTip(tr("MQTT 5 only: how long the broker keeps the session after a "
                                       "disconnect; 4294967295 keeps it for ever."));
    m_mqttWill = named(new QGroupBox(tr("Publish a Will when Keepwatch vanishes"), page),
                       QStringLiteral("mqttWill"), tr("Will message"));
    m_mqttWill->setCheckable(true);
    m_mqttWill->setToolTip(tr("The broker publishes this message when Keepwatch disappears without a "
                              "DISCONNECT, so others can see that the watcher itself is gone."));
    auto *willForm = new QFormLayout(m_mqttWill);
    m_mqttWillTopic = named(new QLineEdit(m_mqttWill), QStringLiteral("mqttWillTopic"), tr("Will topic"));
    m_mqttWillTopic->setPlaceholderText(QStringLiteral("keepwatch/status"));
    m_mqttWillTopic->setToolTip(tr("A topic name, without wildcards."));
    m_mqttWillPayload =
        named(new QLineEdit(m_mqttWill), QStringLiteral("mqttWillPayload"), tr("Will payload"));
    m_mqttWillPayload->setPlaceholderText(tr("e.g. offline (escapes: \\r \\n \\xNN)"));
    m_mqttWillQos = named(new QComboBox(m_mqttWill), QStringLiteral("mqttWillQos"), tr("Will QoS"));
    m_mqttWillQos->addItems({tr("0: at most once"), tr("1: at least once"), tr("2: exactly once")});
    m_mqttWillRetain = named(new QCheckBox(tr("Retain (new subscribers see it at once)"), m_mqttWill),
                             QStringLiteral("mqttWillRetain"), tr("Retain the Will"));
    willForm->addRow(tr("T&opic:"), m_mqttWillTopic);
    willForm->addRow(tr("Pa&yload:"), m_mqttWillPayload);
    willForm->addRow(tr("&QoS:"), m_mqttWillQos);
    willForm->addRow(QString(), m_mqttWillRetain);

    m_mqttWatch = named(new QTableWidget(0, WatchColumnCount, page), QStringLiteral("mqttWatch"),
                        tr("Watched device topics"));
    m_mqttWatch->setHorizontalHeaderLabels({tr("Topic filter"), tr("Timeout (s)"), tr("Expect"),
                                            tr("Will payload"), tr("Retained counts"), tr("QoS")});
    m_mqttWatch->horizontalHeaderItem(WatchExpect)
        ->setToolTip(tr("A message counts only if it contains these bytes (escapes allowed); empty: any"));
    m_mqttWatch->horizontalHeaderItem(WatchQos)->setToolTip(tr("The subscription's maximum QoS, 0-2"));
    m_mqttWatch->horizontalHeaderItem(WatchTopic)
        ->setToolTip(tr("Each topic matching the filter is a device: devices/+/heartbeat"));
    m_mqttWatch->horizontalHeaderItem(WatchTimeout)
        ->setToolTip(tr("A device with nothing fresh for this long is silent (device-silent)"));
    m_mqttWatch->horizontalHeaderItem(WatchWillPayload)
        ->setToolTip(tr("A message containing this is the device's Will (device-will); empty: none"));
    m_mqttWatch->horizontalHeaderItem(WatchRetained)
        ->setToolTip(tr("A retained message (old by definition) counts as fresh"));
    m_mqttWatch->horizontalHeader()->setSectionResizeMode(WatchTopic, QHeaderView::Stretch);
    m_mqttWatch->verticalHeader()->hide();
    m_mqttWatch->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_mqttWatch->setMinimumHeight(m_mqttWatch->fontMetrics().lineSpacing() * 7);
    auto *add =
        named(new QPushButton(tr("Add topic"), page), QStringLiteral("mqttWatchAdd"), tr("Add topic"));
    auto *remove =
        named(new QPushButton(tr("Remove"), page), QStringLiteral("mqttWatchRemove"), tr("Remove topic"));
    connect(add, &QPushButton::clicked, this, [this] {
        MqttWatchConfig watch;
        watch.topic = QStringLiteral("devices/+/heartbeat");
        addWatchRow(watch, {});
        validate();
        m_mqttWatch->setCurrentCell(m_mqttWatch->rowCount() - 1, WatchTopic);
        m_mqttWatch->editItem(m_mqttWatch->currentItem());
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_mqttWatch->currentRow() >= 0) {
            m_mqttWatch->removeRow(m_mqttWatch->currentRow());
            validate();
        }
    });
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    auto *watchBox = new QVBoxLayout;
    watchBox->addWidget(m_mqttWatch);
    watchBox->addLayout(buttons);

    m_mqttTransport->setToolTip(tr("MQTT over TCP, TLS, a WebSocket or a WebSocket over TLS; TLS settings "
                                   "are on the TLS tab."));
    m_mqttVersion->setToolTip(tr("The MQTT protocol version Keepwatch speaks."));
    m_mqttKeepAlive->setToolTip(tr("The Keep Alive sent in CONNECT: PINGREQ after this long without sending; "
                                   "the broker drops a client silent for 1.5 times it. A dead broker is "
                                   "found within keep alive + ping timeout."));
    m_mqttPingTimeout->setToolTip(tr("How long a PINGRESP may take before Down (mqtt-ping-timeout)."));
    m_mqttClientId->setToolTip(tr("The Client Identifier. Every broker accepts 1-23 letters and digits."));
    m_mqttUsername->setToolTip(tr("The user name sent in CONNECT."));
    m_mqttPasswordEnv->setToolTip(tr("The name of the environment variable holding the password, read when "
                                     "connecting; the password itself is never saved."));
    m_mqttCleanStart->setToolTip(tr("Clean Start (MQTT 5) or Clean Session (3.1.1): start without the "
                                    "broker's stored session."));
    m_mqttPath->setToolTip(tr("ws and wss only: the request path of the WebSocket upgrade."));
    m_mqttWatch->setToolTip(tr("Devices that publish heartbeats through this broker: each matching topic is "
                               "a device with its own state."));
    m_mqttWillQos->setToolTip(tr("The QoS the broker publishes the Will with."));
    m_mqttWillRetain->setToolTip(tr("The broker keeps the Will as the topic's retained message."));
    m_mqttWillPayload->setToolTip(tr("The Will's payload, with escapes; may be empty."));
    form->addRow(tr("&Transport:"), m_mqttTransport);
    form->addRow(tr("WebSocket &path:"), m_mqttPath);
    form->addRow(tr("&Version:"), m_mqttVersion);
    form->addRow(tr("&Keep alive:"), m_mqttKeepAlive);
    form->addRow(tr("Ping &timeout:"), m_mqttPingTimeout);
    form->addRow(tr("&Client id:"), m_mqttClientId);
    form->addRow(tr("&User name:"), m_mqttUsername);
    form->addRow(tr("Pass&word variable:"), m_mqttPasswordEnv);
    form->addRow(QString(), passwordNote);
    form->addRow(QString(), m_mqttCleanStart);
    form->addRow(tr("Session e&xpiry:"), m_mqttSessionExpiry);
    form->addRow(m_mqttWill);
    form->addRow(tr("Devices:"), watchBox);
    connect(m_mqttTransport, &QComboBox::currentIndexChanged, this, &EndpointDialog::transportChanged);
    return page;
}

void EndpointDialog::transportChanged()
{
    const MqttTransport transport =
        mqttTransportFromName(m_mqttTransport->currentData().toString()).value_or(MqttTransport::Tcp);
    const bool webSocket = transport == MqttTransport::Ws || transport == MqttTransport::Wss;
    if (auto *form = qobject_cast<QFormLayout *>(m_mqttPath->parentWidget()->layout()))
        form->setRowVisible(m_mqttPath, webSocket);
    // The port follows the transport until the user types one.
    if (m_kind == u"mqtt" && !m_portTyped) {
        m_settingPort = true;
        m_port->setValue(mqttDefaultPort(transport));
        m_settingPort = false;
    }
}

void EndpointDialog::addWatchRow(const MqttWatchConfig &watch, const QJsonObject &raw)
{
    const QSignalBlocker blocker(m_mqttWatch);
    const int row = m_mqttWatch->rowCount();
    m_mqttWatch->insertRow(row);
    auto *topic = new QTableWidgetItem(watch.topic);
    topic->setData(Qt::UserRole, raw); // keys the table does not show (expect, qos, ...) survive
    m_mqttWatch->setItem(row, WatchTopic, topic);
    auto *timeout = new QTableWidgetItem;
    timeout->setData(Qt::EditRole, double(watch.timeout.count()) / 1000.0);
    m_mqttWatch->setItem(row, WatchTimeout, timeout);
    m_mqttWatch->setItem(row, WatchExpect, new QTableWidgetItem(encodeEscapes(watch.expect)));
    m_mqttWatch->setItem(row, WatchWillPayload, new QTableWidgetItem(encodeEscapes(watch.willPayload)));
    auto *retained = new QTableWidgetItem;
    retained->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
    retained->setCheckState(watch.retainedCounts ? Qt::Checked : Qt::Unchecked);
    m_mqttWatch->setItem(row, WatchRetained, retained);
    auto *qos = new QTableWidgetItem;
    qos->setData(Qt::EditRole, watch.qos);
    m_mqttWatch->setItem(row, WatchQos, qos);
}

void EndpointDialog::loadMqtt(const MqttConfig &m)
{
    m_mqttTransport->setCurrentIndex(m_mqttTransport->findData(mqttTransportName(m.transport)));
    m_mqttVersion->setCurrentIndex(m_mqttVersion->findData(mqttVersionName(m.version)));
    m_mqttKeepAlive->setValue(int(m.keepAlive.count()));
    m_mqttPingTimeout->setValue(m.pingTimeout ? double(m.pingTimeout->count()) / 1000.0 : 0.0);
    m_mqttClientId->setText(m.clientId);
    m_mqttUsername->setText(m.username);
    m_mqttPasswordEnv->setText(m.passwordEnv);
    m_mqttCleanStart->setChecked(m.cleanStart);
    m_mqttPath->setText(m.path);
    m_mqttSessionExpiry->setValue(m.sessionExpiry ? double(m.sessionExpiry->count()) : -1.0);
    const MqttConfig::Will will = m.will.value_or(MqttConfig::Will{});
    m_mqttWill->setChecked(m.will.has_value());
    m_mqttWillTopic->setText(will.topic);
    m_mqttWillPayload->setText(encodeEscapes(will.payload));
    m_mqttWillQos->setCurrentIndex(will.qos);
    m_mqttWillRetain->setChecked(will.retain);
    m_mqttWatch->setRowCount(0);
    const QJsonArray rawWatch =
        m_raw.value(QStringLiteral("mqtt")).toObject().value(QStringLiteral("watch")).toArray();
    for (const MqttWatchConfig &w : m.watch) {
        QJsonObject raw;
        for (const QJsonValue &entry : rawWatch) {
            if (entry.toObject().value(QStringLiteral("topic")).toString() == w.topic)
                raw = entry.toObject();
        }
        addWatchRow(w, raw);
    }
}

QJsonObject EndpointDialog::mqttJson() const
{
    QJsonObject m = m_raw.value(QStringLiteral("mqtt")).toObject();
    const QString transport = m_mqttTransport->currentData().toString();
    putUnlessDefault(m, QStringLiteral("version"), m_mqttVersion->currentData().toString(),
                     mqttVersionName(kMqttDefaults.version));
    putUnlessDefault(m, QStringLiteral("transport"), transport, mqttTransportName(kMqttDefaults.transport));
    const QString path = m_mqttPath->text().trimmed();
    putOrRemove(m, QStringLiteral("path"),
                (transport == u"ws" || transport == u"wss") && !path.isEmpty() &&
                    (path != kMqttDefaults.path || m.contains(QStringLiteral("path"))),
                path);
    putUnlessDefault(m, QStringLiteral("keepalive_s"), m_mqttKeepAlive->value(),
                     qint64(kMqttDefaults.keepAlive.count()));
    putOrRemove(m, QStringLiteral("ping_timeout_s"), m_mqttPingTimeout->value() > 0,
                m_mqttPingTimeout->value());
    const auto putText = [&m](const QString &key, const QLineEdit *edit) {
        putOrRemove(m, key, !edit->text().trimmed().isEmpty(), edit->text().trimmed());
    };
    putText(QStringLiteral("client_id"), m_mqttClientId);
    putText(QStringLiteral("username"), m_mqttUsername);
    putText(QStringLiteral("password_env"), m_mqttPasswordEnv);
    putUnlessDefault(m, QStringLiteral("clean_start"), m_mqttCleanStart->isChecked(),
                     kMqttDefaults.cleanStart);
    putOrRemove(m, QStringLiteral("session_expiry_s"), m_mqttSessionExpiry->value() >= 0,
                qint64(m_mqttSessionExpiry->value()));
    if (m_mqttWill->isChecked()) {
        QJsonObject will = m.value(QStringLiteral("will")).toObject();
        will.insert(QStringLiteral("topic"), m_mqttWillTopic->text().trimmed());
        putOrRemove(will, QStringLiteral("payload"), !m_mqttWillPayload->text().isEmpty(),
                    m_mqttWillPayload->text());
        putUnlessDefault(will, QStringLiteral("qos"), m_mqttWillQos->currentIndex(), 0);
        putUnlessDefault(will, QStringLiteral("retain"), m_mqttWillRetain->isChecked(), false);
        m.insert(QStringLiteral("will"), will);
    } else {
        m.remove(QStringLiteral("will"));
    }

    QJsonArray watch;
    for (int row = 0; row < m_mqttWatch->rowCount(); ++row) {
        const QTableWidgetItem *topic = m_mqttWatch->item(row, WatchTopic);
        QJsonObject entry = topic->data(Qt::UserRole).toJsonObject();
        entry.insert(QStringLiteral("topic"), topic->text().trimmed());
        putUnlessDefault(entry, QStringLiteral("timeout_s"),
                         m_mqttWatch->item(row, WatchTimeout)->data(Qt::EditRole).toDouble(),
                         double(kWatchDefaults.timeout.count()) / 1000.0);
        const QString expect = m_mqttWatch->item(row, WatchExpect)->text();
        putOrRemove(entry, QStringLiteral("expect"), !expect.isEmpty(), expect);
        putUnlessDefault(entry, QStringLiteral("qos"),
                         m_mqttWatch->item(row, WatchQos)->data(Qt::EditRole).toInt(), kWatchDefaults.qos);
        const QString will = m_mqttWatch->item(row, WatchWillPayload)->text();
        putOrRemove(entry, QStringLiteral("will_payload"), !will.isEmpty(), will);
        putUnlessDefault(entry, QStringLiteral("retained_counts"),
                         m_mqttWatch->item(row, WatchRetained)->checkState() == Qt::Checked,
                         kWatchDefaults.retainedCounts);
        watch.append(entry);
    }
    putOrRemove(m, QStringLiteral("watch"), !watch.isEmpty(), watch);
    return m;
}

} // namespace kw
