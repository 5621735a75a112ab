#include "endpointdialog.h"

#include "endpointdialogfields.h"

#include "statestyle.h"
#include "tcpkeepalivesettings.h"
#include "workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <limits>

namespace kw {

using namespace dialogfields;

namespace {
constexpr int kMsMax = std::numeric_limits<int>::max();

const ReconnectConfig kReconnectDefaults;
const HeartbeatConfig kHeartbeatDefaults;

// A keepalive field's spin box: the validator's range, plus one below it that stands for "unset" (Qt
// shows specialValueText there, the usual Qt idiom for an optional number).
QSpinBox *keepaliveSpin(net::TcpKeepaliveIssue::Field field, const QString &suffix, QWidget *parent)
{
    const net::TcpKeepaliveRange range = net::tcpKeepaliveRange(field);
    return spin(int(range.min) - 1, int(range.max), suffix, parent);
}

void putObject(QJsonObject &parent, const QString &key, const QJsonObject &child)
{
    if (child.isEmpty())
        parent.remove(key);
    else
        parent.insert(key, child);
}
} // namespace

EndpointDialog::EndpointDialog(const EndpointConfig *existing, const QStringList &takenNames, QWidget *parent)
    : QDialog(parent), m_takenNames(takenNames), m_tabs(new QTabWidget(this)), m_errorLabel(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("endpointDialog"));
    setWindowTitle(existing ? tr("Edit endpoint %1").arg(existing->name) : tr("Add endpoint"));
    setAccessibleName(windowTitle());
    setMinimumWidth(520);
    if (existing) {
        m_raw = existing->raw;
        m_kind = endpointKindName(existing->kind);
    }

    m_tabs->setObjectName(QStringLiteral("endpointDialogTabs"));
    m_tabs->addTab(buildGeneralTab(), tr("General"));
    m_tabs->addTab(buildKeepaliveTab(), tr("TCP keepalive"));
    m_tabs->addTab(buildReconnectTab(), tr("Reconnect"));
    m_tabs->addTab(buildHeartbeatTab(), tr("Heartbeat"));
    m_tabs->addTab(buildIdleTab(), tr("Idle"));
    m_tabs->addTab(buildMqttTab(), tr("MQTT"));

    named(m_errorLabel, QStringLiteral("endpointDialogErrors"), tr("Problems with this endpoint"));
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setTextFormat(Qt::PlainText);
    m_errorPalette = m_errorLabel->palette();
    m_errorPalette.setColor(QPalette::WindowText,
                            StateStyle::color(EndpointState::Down, StateStyle::isDark(m_errorPalette)));
    m_pristine = existing == nullptr;
    m_errorLabel->setMinimumHeight(m_errorLabel->fontMetrics().lineSpacing() * 2);

    named(m_buttons, QStringLiteral("endpointDialogButtons"), tr("Dialog buttons"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (isValid())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs);
    layout->addWidget(m_errorLabel);
    layout->addWidget(m_buttons);

    load(existing ? *existing : EndpointConfig{});
    setKind(m_kind);

    // Validate on every edit: parseEndpoint is cheap and the user sees the
    // problem next to the change that caused it.
    for (QLineEdit *edit : {m_name, m_host, m_hbSend, m_hbExpect, m_mqttClientId, m_mqttUsername,
                            m_mqttPasswordEnv, m_mqttPath})
        connect(edit, &QLineEdit::textChanged, this, &EndpointDialog::validate);
    for (QSpinBox *box : findChildren<QSpinBox *>())
        connect(box, &QSpinBox::valueChanged, this, &EndpointDialog::validate);
    for (QDoubleSpinBox *box : findChildren<QDoubleSpinBox *>())
        connect(box, &QDoubleSpinBox::valueChanged, this, &EndpointDialog::validate);
    for (QComboBox *box : findChildren<QComboBox *>())
        connect(box, &QComboBox::currentIndexChanged, this, &EndpointDialog::validate);
    connect(m_enabled, &QCheckBox::toggled, this, &EndpointDialog::validate);
    connect(m_hbGroup, &QGroupBox::toggled, this, &EndpointDialog::validate);
    connect(m_mqttCleanStart, &QCheckBox::toggled, this, &EndpointDialog::validate);
    connect(m_mqttWatch, &QTableWidget::itemChanged, this, &EndpointDialog::validate);
    connect(m_port, &QSpinBox::valueChanged, this, [this] {
        if (!m_settingPort)
            m_portTyped = true;
    });
    validate();
}

EndpointDialog::~EndpointDialog() = default;

QWidget *EndpointDialog::buildGeneralTab()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout(page);
    m_name = named(new QLineEdit(page), QStringLiteral("endpointName"), tr("Name"));
    m_name->setPlaceholderText(tr("unique name, e.g. orders-db"));
    m_host = named(new QLineEdit(page), QStringLiteral("endpointHost"), tr("Host"));
    m_host->setPlaceholderText(tr("host name or IP address"));
    m_port = named(spin(0, 65535, {}, page), QStringLiteral("endpointPort"), tr("Port"));
    m_port->setSpecialValueText(tr("(required)"));
    m_enabled = named(new QCheckBox(tr("Watch this endpoint"), page), QStringLiteral("endpointEnabled"),
                      tr("Enabled"));
    form->addRow(tr("&Name:"), m_name);
    if (m_kind == u"tcp" || m_kind == u"mqtt") {
        m_kindBox = named(new QComboBox(page), QStringLiteral("endpointKind"), tr("Kind"));
        m_kindBox->addItem(tr("TCP: hold a connection"), QStringLiteral("tcp"));
        m_kindBox->addItem(tr("MQTT: a broker session, its keep alive and devices"), QStringLiteral("mqtt"));
        m_kindBox->setCurrentIndex(m_kindBox->findData(m_kind));
        connect(m_kindBox, &QComboBox::currentIndexChanged, this,
                [this] { setKind(m_kindBox->currentData().toString()); });
        form->addRow(tr("&Kind:"), m_kindBox);
    }
    if (m_kind == u"listen") {
        // A heartbeat listener has no remote host: the field is its local address.
        m_host->setPlaceholderText(QStringLiteral("127.0.0.1"));
        m_host->setAccessibleName(tr("Bind address"));
        form->addRow(tr("&Bind address:"), m_host);
    } else {
        form->addRow(tr("&Host:"), m_host);
    }
    form->addRow(tr("&Port:"), m_port);
    form->addRow(QString(), m_enabled);
    if (m_kind != u"tcp" && m_kind != u"mqtt") {
        auto *note =
            named(new QLabel(tr("Kind: %1. Settings of this kind that are not shown here are kept as "
                                "they are in the workspace file.")
                                 .arg(m_kind),
                             page),
                  QStringLiteral("endpointKindNote"), tr("Endpoint kind"));
        note->setWordWrap(true);
        form->addRow(QString(), note);
    }
    return page;
}

QWidget *EndpointDialog::buildKeepaliveTab()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout(page);
    const QString systemDefault = tr("system default");
    m_kaEnabled = named(new QComboBox(page), QStringLiteral("keepaliveEnabled"), tr("Keepalive enabled"));
    m_kaEnabled->addItems({systemDefault, tr("on"), tr("off")});
    using Field = net::TcpKeepaliveIssue::Field;
    m_kaIdle = named(keepaliveSpin(Field::Idle, tr(" s"), page), QStringLiteral("keepaliveIdle"),
                     tr("Keepalive idle time"));
    m_kaInterval = named(keepaliveSpin(Field::Interval, tr(" s"), page), QStringLiteral("keepaliveInterval"),
                         tr("Keepalive probe interval"));
    m_kaCount = named(keepaliveSpin(Field::Count, {}, page), QStringLiteral("keepaliveCount"),
                      tr("Keepalive probe count"));
    m_kaUserTimeout = named(keepaliveSpin(Field::UserTimeout, tr(" ms"), page),
                            QStringLiteral("keepaliveUserTimeout"), tr("TCP user timeout"));
    for (QSpinBox *box : {m_kaIdle, m_kaInterval, m_kaCount, m_kaUserTimeout})
        box->setSpecialValueText(systemDefault);
    // Editing a field replaces the out-of-range value it could not show (see load()).
    connect(m_kaIdle, &QSpinBox::valueChanged, this, [this] { m_keepaliveUnshown.idle.reset(); });
    connect(m_kaInterval, &QSpinBox::valueChanged, this, [this] { m_keepaliveUnshown.interval.reset(); });
    connect(m_kaCount, &QSpinBox::valueChanged, this, [this] { m_keepaliveUnshown.count.reset(); });
    connect(m_kaUserTimeout, &QSpinBox::valueChanged, this,
            [this] { m_keepaliveUnshown.userTimeout.reset(); });
    m_kaBound = named(new QLabel(page), QStringLiteral("keepaliveBound"), tr("Detection bound"));
    m_kaBound->setWordWrap(true);

    form->addRow(tr("&Keepalive:"), m_kaEnabled);
    form->addRow(tr("&Idle before first probe:"), m_kaIdle);
    form->addRow(tr("Probe i&nterval:"), m_kaInterval);
    form->addRow(tr("Probe &count:"), m_kaCount);
    form->addRow(tr("&User timeout (Linux):"), m_kaUserTimeout);
    form->addRow(QString(), m_kaBound);
    return page;
}

QWidget *EndpointDialog::buildReconnectTab()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout(page);
    m_rcInitial =
        named(spin(0, kMsMax, tr(" ms"), page), QStringLiteral("reconnectInitial"), tr("Initial backoff"));
    m_rcMax = named(spin(0, kMsMax, tr(" ms"), page), QStringLiteral("reconnectMax"), tr("Maximum backoff"));
    m_rcMultiplier =
        named(new QDoubleSpinBox(page), QStringLiteral("reconnectMultiplier"), tr("Backoff multiplier"));
    m_rcMultiplier->setRange(0, 100);
    m_rcMultiplier->setDecimals(2);
    m_rcMultiplier->setSingleStep(0.1);
    m_rcJitter = named(new QDoubleSpinBox(page), QStringLiteral("reconnectJitter"), tr("Backoff jitter"));
    m_rcJitter->setRange(0, 1);
    m_rcJitter->setDecimals(2);
    m_rcJitter->setSingleStep(0.05);
    m_rcMinConnectTimeout =
        named(spin(0, kMsMax, tr(" ms"), page), QStringLiteral("reconnectMinConnectTimeout"),
              tr("Minimum connect timeout"));
    form->addRow(tr("&First retry after:"), m_rcInitial);
    form->addRow(tr("&Longest wait:"), m_rcMax);
    form->addRow(tr("&Multiplier:"), m_rcMultiplier);
    form->addRow(tr("&Jitter (fraction):"), m_rcJitter);
    form->addRow(tr("Minimum &connect timeout:"), m_rcMinConnectTimeout);
    return page;
}

QWidget *EndpointDialog::buildHeartbeatTab()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    m_hbGroup = named(new QGroupBox(tr("Send application heartbeats"), page),
                      QStringLiteral("heartbeatGroup"), tr("Heartbeat"));
    m_hbGroup->setCheckable(true);
    auto *form = new QFormLayout(m_hbGroup);
    m_hbInterval =
        named(new QDoubleSpinBox(m_hbGroup), QStringLiteral("heartbeatInterval"), tr("Heartbeat interval"));
    m_hbInterval->setRange(0, 86400);
    m_hbInterval->setDecimals(3);
    m_hbInterval->setSuffix(tr(" s"));
    m_hbSend = named(new QLineEdit(m_hbGroup), QStringLiteral("heartbeatSend"), tr("Heartbeat payload"));
    m_hbSend->setPlaceholderText(tr("e.g. PING\\r\\n (escapes: \\r \\n \\t \\\\ \\xNN)"));
    m_hbExpect = named(new QLineEdit(m_hbGroup), QStringLiteral("heartbeatExpect"), tr("Expected reply"));
    m_hbExpect->setPlaceholderText(tr("empty: any reply counts"));
    m_hbMisses =
        named(spin(0, 1000, {}, m_hbGroup), QStringLiteral("heartbeatMisses"), tr("Missed heartbeats"));
    m_hbTimeout = named(spin(0, kMsMax, tr(" ms"), m_hbGroup), QStringLiteral("heartbeatTimeout"),
                        tr("Heartbeat reply timeout"));
    m_hbTimeout->setSpecialValueText(tr("until the next send"));
    form->addRow(tr("&Interval:"), m_hbInterval);
    form->addRow(tr("&Send:"), m_hbSend);
    form->addRow(tr("&Expect:"), m_hbExpect);
    form->addRow(tr("Down after &misses:"), m_hbMisses);
    form->addRow(tr("Reply &timeout:"), m_hbTimeout);
    layout->addWidget(m_hbGroup);
    layout->addStretch(1);
    return page;
}

QWidget *EndpointDialog::buildIdleTab()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout(page);
    const QString off = tr("off");
    m_idleReader = named(spin(0, kMsMax, tr(" s"), page), QStringLiteral("idleReader"), tr("Reader idle"));
    m_idleWriter = named(spin(0, kMsMax, tr(" s"), page), QStringLiteral("idleWriter"), tr("Writer idle"));
    m_idleAll = named(spin(0, kMsMax, tr(" s"), page), QStringLiteral("idleAll"), tr("All idle"));
    for (QSpinBox *box : {m_idleReader, m_idleWriter, m_idleAll})
        box->setSpecialValueText(off);
    m_idleAction = named(new QComboBox(page), QStringLiteral("idleAction"), tr("Idle action"));
    m_idleAction->addItem(tr("mark suspect"), QStringLiteral("suspect"));
    m_idleAction->addItem(tr("send a heartbeat"), QStringLiteral("ping"));
    m_idleAction->addItem(tr("close and reconnect"), QStringLiteral("close"));
    form->addRow(tr("Nothing &read for:"), m_idleReader);
    form->addRow(tr("Nothing &written for:"), m_idleWriter);
    form->addRow(tr("No &traffic for:"), m_idleAll);
    form->addRow(tr("&Then:"), m_idleAction);
    return page;
}

void EndpointDialog::setKind(const QString &kind)
{
    m_kind = kind;
    const bool mqtt = kind == u"mqtt";
    m_tabs->setTabVisible(MqttTab, mqtt);
    m_tabs->setTabVisible(HeartbeatTab, !mqtt); // MQTT pings with PINGREQ
    if (mqtt && !m_portTyped)
        transportChanged();
    validate();
}

void EndpointDialog::load(const EndpointConfig &c)
{
    // An endpoint read from a file keeps the port it gave; a new one, or one that left the port to
    // its transport, follows the transport until a port is typed.
    m_portTyped = c.kind != EndpointKind::Mqtt ? c.port != 0 : m_raw.contains(QStringLiteral("port"));
    m_name->setText(c.name);
    m_host->setText(c.kind == EndpointKind::Listen ? c.bind : c.host);
    m_port->setValue(c.port);
    m_enabled->setChecked(c.enabled);

    m_kaEnabled->setCurrentIndex(!c.keepalive.enabled ? 0 : (*c.keepalive.enabled ? 1 : 2));
    m_kaIdle->setValue(c.keepalive.idle ? int(c.keepalive.idle->count()) : 0);
    m_kaInterval->setValue(c.keepalive.interval ? int(c.keepalive.interval->count()) : 0);
    m_kaCount->setValue(c.keepalive.count.value_or(0));
    m_kaUserTimeout->setValue(c.keepalive.userTimeout ? int(c.keepalive.userTimeout->count()) : -1);
    // An endpoint built in code may hold values the validator refuses and a spin box would clamp
    // silently: keep them in the JSON so the validator names them, as the loader would.
    m_keepaliveUnshown = {};
    for (const net::TcpKeepaliveIssue &issue : net::validateTcpKeepalive(c.keepalive)) {
        switch (issue.field) {
        case net::TcpKeepaliveIssue::Field::Idle:
            m_keepaliveUnshown.idle = c.keepalive.idle;
            break;
        case net::TcpKeepaliveIssue::Field::Interval:
            m_keepaliveUnshown.interval = c.keepalive.interval;
            break;
        case net::TcpKeepaliveIssue::Field::Count:
            m_keepaliveUnshown.count = c.keepalive.count;
            break;
        case net::TcpKeepaliveIssue::Field::UserTimeout:
            m_keepaliveUnshown.userTimeout = c.keepalive.userTimeout;
            break;
        case net::TcpKeepaliveIssue::Field::Enabled:
            break;
        }
    }

    m_rcInitial->setValue(int(c.reconnect.initial.count()));
    m_rcMax->setValue(int(c.reconnect.max.count()));
    m_rcMultiplier->setValue(c.reconnect.multiplier);
    m_rcJitter->setValue(c.reconnect.jitter);
    m_rcMinConnectTimeout->setValue(int(c.reconnect.minConnectTimeout.count()));

    const HeartbeatConfig hb = c.heartbeat.value_or(kHeartbeatDefaults);
    m_hbGroup->setChecked(c.heartbeat.has_value());
    m_hbInterval->setValue(double(hb.interval.count()) / 1000.0);
    m_hbSend->setText(encodeEscapes(hb.send));
    m_hbExpect->setText(encodeEscapes(hb.expect));
    m_hbMisses->setValue(hb.misses);
    m_hbTimeout->setValue(int(hb.timeout.count()));

    m_idleReader->setValue(int(c.idle.reader.count()));
    m_idleWriter->setValue(int(c.idle.writer.count()));
    m_idleAll->setValue(int(c.idle.all.count()));
    m_idleAction->setCurrentIndex(m_idleAction->findData(idleActionName(c.idle.action)));

    const MqttConfig &m = c.mqtt;
    m_mqttTransport->setCurrentIndex(m_mqttTransport->findData(mqttTransportName(m.transport)));
    m_mqttVersion->setCurrentIndex(m_mqttVersion->findData(mqttVersionName(m.version)));
    m_mqttKeepAlive->setValue(int(m.keepAlive.count()));
    m_mqttPingTimeout->setValue(m.pingTimeout ? double(m.pingTimeout->count()) / 1000.0 : 0.0);
    m_mqttClientId->setText(m.clientId);
    m_mqttUsername->setText(m.username);
    m_mqttPasswordEnv->setText(m.passwordEnv);
    m_mqttCleanStart->setChecked(m.cleanStart);
    m_mqttPath->setText(m.path);
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

QJsonObject EndpointDialog::json() const
{
    QJsonObject o = m_raw;
    o.insert(QStringLiteral("name"), m_name->text().trimmed());
    o.insert(QStringLiteral("kind"), m_kind);
    if (m_kind == u"listen")
        o.insert(QStringLiteral("bind"), m_host->text().trimmed());
    else
        o.insert(QStringLiteral("host"), m_host->text().trimmed());
    if (m_kind == u"mqtt" && !m_raw.contains(QStringLiteral("port")) &&
        m_port->value() == mqttDefaultPort(mqttTransportFromName(m_mqttTransport->currentData().toString())
                                               .value_or(MqttTransport::Tcp)))
        o.remove(QStringLiteral("port")); // the loader takes the transport's port
    else
        o.insert(QStringLiteral("port"), m_port->value());
    putUnlessDefault(o, QStringLiteral("enabled"), m_enabled->isChecked(), true);

    QJsonObject ka = m_raw.value(QStringLiteral("keepalive")).toObject();
    putOrRemove(ka, QStringLiteral("enabled"), m_kaEnabled->currentIndex() != 0,
                m_kaEnabled->currentIndex() == 1);
    const auto putKeepalive = [&ka](const QString &key, const QSpinBox *box, std::optional<qint64> unshown) {
        if (unshown)
            ka.insert(key, *unshown);
        else
            putOrRemove(ka, key, box->value() != box->minimum(), box->value());
    };
    const auto ticks = [](const auto &duration) {
        return duration ? std::optional<qint64>(duration->count()) : std::nullopt;
    };
    putKeepalive(QStringLiteral("idle_s"), m_kaIdle, ticks(m_keepaliveUnshown.idle));
    putKeepalive(QStringLiteral("interval_s"), m_kaInterval, ticks(m_keepaliveUnshown.interval));
    putKeepalive(QStringLiteral("count"), m_kaCount,
                 m_keepaliveUnshown.count ? std::optional<qint64>(*m_keepaliveUnshown.count) : std::nullopt);
    putKeepalive(QStringLiteral("user_timeout_ms"), m_kaUserTimeout, ticks(m_keepaliveUnshown.userTimeout));
    putObject(o, QStringLiteral("keepalive"), ka);

    QJsonObject rc = m_raw.value(QStringLiteral("reconnect")).toObject();
    putUnlessDefault(rc, QStringLiteral("initial_ms"), m_rcInitial->value(),
                     qint64(kReconnectDefaults.initial.count()));
    putUnlessDefault(rc, QStringLiteral("max_ms"), m_rcMax->value(), qint64(kReconnectDefaults.max.count()));
    putUnlessDefault(rc, QStringLiteral("multiplier"), m_rcMultiplier->value(),
                     kReconnectDefaults.multiplier);
    putUnlessDefault(rc, QStringLiteral("jitter"), m_rcJitter->value(), kReconnectDefaults.jitter);
    putUnlessDefault(rc, QStringLiteral("min_connect_timeout_ms"), m_rcMinConnectTimeout->value(),
                     qint64(kReconnectDefaults.minConnectTimeout.count()));
    putObject(o, QStringLiteral("reconnect"), rc);

    if (m_kind == u"mqtt") {
        o.remove(QStringLiteral("heartbeat")); // MQTT pings with PINGREQ
        putObject(o, QStringLiteral("mqtt"), mqttJson());
    } else {
        o.remove(QStringLiteral("mqtt"));
    }

    if (m_hbGroup->isChecked() && m_kind != u"mqtt") {
        QJsonObject hb = m_raw.value(QStringLiteral("heartbeat")).toObject();
        hb.insert(QStringLiteral("interval_s"), m_hbInterval->value());
        hb.insert(QStringLiteral("send"), m_hbSend->text());
        putUnlessDefault(hb, QStringLiteral("expect"), m_hbExpect->text(), QString());
        putUnlessDefault(hb, QStringLiteral("misses"), m_hbMisses->value(), kHeartbeatDefaults.misses);
        putUnlessDefault(hb, QStringLiteral("timeout_ms"), m_hbTimeout->value(),
                         qint64(kHeartbeatDefaults.timeout.count()));
        o.insert(QStringLiteral("heartbeat"), hb);
    } else if (m_kind != u"mqtt") {
        o.remove(QStringLiteral("heartbeat"));
    }

    QJsonObject idle = m_raw.value(QStringLiteral("idle")).toObject();
    putUnlessDefault(idle, QStringLiteral("reader_s"), m_idleReader->value(), 0);
    putUnlessDefault(idle, QStringLiteral("writer_s"), m_idleWriter->value(), 0);
    putUnlessDefault(idle, QStringLiteral("all_s"), m_idleAll->value(), 0);
    putUnlessDefault(idle, QStringLiteral("action"), m_idleAction->currentData().toString(),
                     QStringLiteral("suspect"));
    putObject(o, QStringLiteral("idle"), idle);
    return o;
}

QString EndpointDialog::describeError(const QString &message, int *tab) const
{
    // parseEndpoint says "endpoint.keepalive.idle_s: expected ..."; the user
    // needs the field as the dialog labels it, not the JSON path.
    static const QString kWhere = QStringLiteral("endpoint");
    QString text = message;
    if (text.startsWith(kWhere + u'.'))
        text = text.mid(kWhere.size() + 1);
    else if (text.startsWith(kWhere + u':'))
        text = text.mid(kWhere.size() + 1).trimmed();

    struct Label
    {
        QString path;
        QString label;
        int tab;
    };
    const QList<Label> labels{
        {QStringLiteral("name"), tr("Name"), GeneralTab},
        {QStringLiteral("host"), tr("Host"), GeneralTab},
        {QStringLiteral("port"), tr("Port"), GeneralTab},
        {QStringLiteral("enabled"), tr("Enabled"), GeneralTab},
        {QStringLiteral("keepalive.enabled"), tr("Keepalive"), KeepaliveTab},
        {QStringLiteral("keepalive.idle_s"), tr("Keepalive idle"), KeepaliveTab},
        {QStringLiteral("keepalive.interval_s"), tr("Keepalive probe interval"), KeepaliveTab},
        {QStringLiteral("keepalive.count"), tr("Keepalive probe count"), KeepaliveTab},
        {QStringLiteral("keepalive.user_timeout_ms"), tr("User timeout"), KeepaliveTab},
        {QStringLiteral("reconnect.initial_ms"), tr("First retry"), ReconnectTab},
        {QStringLiteral("reconnect.max_ms"), tr("Longest wait"), ReconnectTab},
        {QStringLiteral("reconnect.multiplier"), tr("Backoff multiplier"), ReconnectTab},
        {QStringLiteral("reconnect.jitter"), tr("Jitter"), ReconnectTab},
        {QStringLiteral("reconnect.min_connect_timeout_ms"), tr("Minimum connect timeout"), ReconnectTab},
        {QStringLiteral("heartbeat.interval_s"), tr("Heartbeat interval"), HeartbeatTab},
        {QStringLiteral("heartbeat.send"), tr("Heartbeat send"), HeartbeatTab},
        {QStringLiteral("heartbeat.expect"), tr("Heartbeat expect"), HeartbeatTab},
        {QStringLiteral("heartbeat.misses"), tr("Heartbeat misses"), HeartbeatTab},
        {QStringLiteral("heartbeat.timeout_ms"), tr("Heartbeat timeout"), HeartbeatTab},
        {QStringLiteral("idle.reader_s"), tr("Reader idle"), IdleTab},
        {QStringLiteral("idle.writer_s"), tr("Writer idle"), IdleTab},
        {QStringLiteral("idle.all_s"), tr("All idle"), IdleTab},
        {QStringLiteral("idle.action"), tr("Idle action"), IdleTab},
        {QStringLiteral("mqtt.version"), tr("MQTT version"), MqttTab},
        {QStringLiteral("mqtt.transport"), tr("Transport"), MqttTab},
        {QStringLiteral("mqtt.keepalive_s"), tr("Keep alive"), MqttTab},
        {QStringLiteral("mqtt.ping_timeout_s"), tr("Ping timeout"), MqttTab},
        {QStringLiteral("mqtt.client_id"), tr("Client id"), MqttTab},
        {QStringLiteral("mqtt.username"), tr("User name"), MqttTab},
        {QStringLiteral("mqtt.password_env"), tr("Password variable"), MqttTab},
        {QStringLiteral("mqtt.clean_start"), tr("Clean start"), MqttTab},
        {QStringLiteral("mqtt.path"), tr("WebSocket path"), MqttTab},
    };
    // "mqtt.watch[2].topic: ..." is the third row of the watch table.
    static const QRegularExpression kWatchPath(QStringLiteral("^mqtt\\.watch\\[(\\d+)\\](?:\\.(\\w+))?:"));
    if (const QRegularExpressionMatch m = kWatchPath.match(text); m.hasMatch()) {
        const QHash<QString, QString> columns{{QStringLiteral("topic"), tr("topic filter")},
                                              {QStringLiteral("timeout_s"), tr("timeout")},
                                              {QStringLiteral("will_payload"), tr("Will payload")},
                                              {QStringLiteral("retained_counts"), tr("retained counts")}};
        *tab = MqttTab;
        const QString column =
            m.captured(2).isEmpty() ? QString() : columns.value(m.captured(2), m.captured(2));
        const QString where = column.isEmpty()
                                  ? tr("Watch row %1").arg(m.captured(1).toInt() + 1)
                                  : tr("Watch row %1, %2").arg(m.captured(1).toInt() + 1).arg(column);
        return where + text.mid(m.capturedLength(0) - 1);
    }
    for (const Label &l : labels) {
        if (text.startsWith(l.path + u':')) {
            *tab = l.tab;
            return l.label + text.mid(l.path.size());
        }
    }
    *tab = text.startsWith(u"keepalive")   ? KeepaliveTab
           : text.startsWith(u"reconnect") ? ReconnectTab
           : text.startsWith(u"heartbeat") ? HeartbeatTab
           : text.startsWith(u"idle")      ? IdleTab
           : text.startsWith(u"mqtt")      ? MqttTab
                                           : GeneralTab;
    return text;
}

void EndpointDialog::validate()
{
    if (sender())
        m_pristine = false; // the user changed a field
    const QJsonObject object = json();
    EndpointResult result = parseEndpoint(object, QStringLiteral("endpoint"));

    m_errors.clear();
    QList<bool> tabHasError(m_tabs->count(), false);
    for (const QString &message : std::as_const(result.errors)) {
        int tab = GeneralTab;
        m_errors.append(describeError(message, &tab));
        tabHasError[tab] = true;
    }
    const QString name = m_name->text().trimmed();
    if (!name.isEmpty() && m_takenNames.contains(name)) {
        m_errors.append(
            tr("Name: another endpoint is already called \"%1\"; choose a different name.").arg(name));
        tabHasError[GeneralTab] = true;
    }
    m_config = m_errors.isEmpty() ? result.endpoint : std::nullopt;

    const QStringList kTabTitles{tr("General"),   tr("TCP keepalive"), tr("Reconnect"),
                                 tr("Heartbeat"), tr("Idle"),          tr("MQTT")};
    for (int i = 0; i < m_tabs->count() && i < kTabTitles.size(); ++i) {
        const bool mark = tabHasError.at(i) && !m_pristine;
        m_tabs->setTabText(i, mark ? tr("%1 ⚠").arg(kTabTitles.at(i)) : kTabTitles.at(i));
    }

    if (m_pristine) {
        m_errorLabel->setPalette(palette());
        m_errorLabel->setText(
            tr("Enter a name, the host and the port to watch; the other tabs are optional."));
    } else {
        m_errorLabel->setPalette(m_errorPalette);
        m_errorLabel->setText(
            m_errors.isEmpty() ? QString() : QStringLiteral("• ") + m_errors.join(QStringLiteral("\n• ")));
    }
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_errors.isEmpty());

    // The bound the kernel settings imply (idle + interval × count), shown
    // while editing so the effect of each number is visible.
    const bool allSet = m_kaIdle->value() > 0 && m_kaInterval->value() > 0 && m_kaCount->value() > 0;
    if (m_kaEnabled->currentIndex() == 2) {
        m_kaBound->setText(tr("Keepalive off: a silent dead peer is never detected by TCP alone."));
    } else if (allSet) {
        const int bound = m_kaIdle->value() + m_kaInterval->value() * m_kaCount->value();
        m_kaBound->setText(
            tr("A silent dead peer is detected within %1 s (idle + interval × count).").arg(bound));
    } else {
        m_kaBound->setText(tr("Unset values keep the system defaults (Linux: 7200 s idle, 75 s interval, "
                              "9 probes); the monitor shows the effective values once connected."));
    }
}

} // namespace kw
