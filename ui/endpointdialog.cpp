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
#include <QScrollArea>
#include <QSpinBox>
#include <QStyle>
#include <QTabBar>
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
        m_originalName = existing->name;
    }

    m_systemDefaults = net::readSystemDefaults();
    m_tabs->setObjectName(QStringLiteral("endpointDialogTabs"));
    // In the order of dialogfields::Tab.
    m_tabTitles = {tr("General"), tr("TCP keepalive"), tr("Reconnect"), tr("Heartbeat"),
                   tr("Idle"),    tr("TLS"),           tr("WebSocket"), tr("MQTT")};
    const QList<QWidget *> pages{buildGeneralTab(),   buildKeepaliveTab(), buildReconnectTab(),
                                 buildHeartbeatTab(), buildIdleTab(),      buildTlsTab(),
                                 buildWebSocketTab(), buildMqttTab()};
    for (int i = 0; i < pages.size(); ++i) {
        // A tab taller than a small screen scrolls instead of pushing OK off it (1024 x 640 and up).
        auto *scroll = new QScrollArea(m_tabs);
        scroll->setWidget(pages.at(i));
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // the dialog is wide enough
        m_tabs->addTab(scroll, m_tabTitles.at(i));
    }

    named(m_errorLabel, QStringLiteral("endpointDialogErrors"), tr("Problems with this endpoint"));
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setTextFormat(Qt::PlainText);
    m_errorPalette = m_errorLabel->palette();
    m_errorPalette.setColor(QPalette::WindowText,
                            StateStyle::color(EndpointState::Down, StateStyle::isDark(m_errorPalette)));
    m_pristine = existing == nullptr;
    m_errorLabel->setMinimumHeight(m_errorLabel->fontMetrics().lineSpacing() * 2);
    m_lintLabel =
        named(new QLabel(this), QStringLiteral("endpointDialogLint"), tr("Keepalive and heartbeat warnings"));
    m_lintLabel->setWordWrap(true);
    m_lintLabel->setTextFormat(Qt::PlainText);
    m_lintLabel->setVisible(false);

    named(m_buttons, QStringLiteral("endpointDialogButtons"), tr("Dialog buttons"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (isValid())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs);
    layout->addWidget(m_errorLabel);
    layout->addWidget(m_lintLabel);
    layout->addWidget(m_buttons);

    load(existing ? *existing : EndpointConfig{});
    setKind(m_kind);

    // Wide enough that no tab scrolls sideways, tall enough for most tabs without scrolling, and never
    // taller than a 640-pixel screen leaves room for.
    QSize content;
    for (QWidget *page : pages)
        content = content.expandedTo(page->sizeHint()).expandedTo(page->minimumSizeHint());
    const int chrome = m_tabs->tabBar()->sizeHint().height() + m_errorLabel->minimumHeight() +
                       m_buttons->sizeHint().height() + 4 * layout->spacing() +
                       2 * layout->contentsMargins().top();
    const int scrollBar = style()->pixelMetric(QStyle::PM_ScrollBarExtent);
    setMinimumWidth(
        std::max(minimumWidth(), content.width() + scrollBar + 2 * layout->contentsMargins().left() + 24));
    resize(minimumWidth(), std::min(content.height() + chrome + 8, 580));

    // Validate on every edit: parseEndpoint is cheap and the user sees the
    // problem next to the change that caused it.
    for (QLineEdit *edit : findChildren<QLineEdit *>()) {
        if (!qobject_cast<QAbstractSpinBox *>(edit->parentWidget())) // a spin box reports valueChanged
            connect(edit, &QLineEdit::textChanged, this, &EndpointDialog::validate);
    }
    for (QSpinBox *box : findChildren<QSpinBox *>())
        connect(box, &QSpinBox::valueChanged, this, &EndpointDialog::validate);
    for (QDoubleSpinBox *box : findChildren<QDoubleSpinBox *>())
        connect(box, &QDoubleSpinBox::valueChanged, this, &EndpointDialog::validate);
    for (QComboBox *box : findChildren<QComboBox *>())
        connect(box, &QComboBox::currentIndexChanged, this, &EndpointDialog::validate);
    for (QCheckBox *box : findChildren<QCheckBox *>())
        connect(box, &QCheckBox::toggled, this, &EndpointDialog::validate);
    for (QGroupBox *group : findChildren<QGroupBox *>())
        connect(group, &QGroupBox::toggled, this, &EndpointDialog::validate);
    for (QTableWidget *table : {m_mqttWatch, m_wsHeaders})
        connect(table, &QTableWidget::itemChanged, this, &EndpointDialog::validate);
    connect(m_url, &QLineEdit::textChanged, this, &EndpointDialog::updateTlsState);
    connect(m_mqttTransport, &QComboBox::currentIndexChanged, this, &EndpointDialog::updateTlsState);
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
    m_name->setToolTip(tr("Unique in the workspace; it names the endpoint in the event log, exports and "
                          "/metrics."));
    m_host = named(new QLineEdit(page), QStringLiteral("endpointHost"), tr("Host"));
    m_host->setPlaceholderText(tr("host name or IP address"));
    m_port = named(spin(0, 65535, {}, page), QStringLiteral("endpointPort"), tr("Port"));
    m_port->setSpecialValueText(tr("(required)"));
    m_port->setToolTip(tr("tcp, mqtt: the remote port; listen: the local port peers connect to."));
    m_url = named(new QLineEdit(page), QStringLiteral("endpointUrl"), tr("WebSocket URL"));
    m_url->setPlaceholderText(QStringLiteral("wss://feed.example.net:8443/live"));
    m_url->setToolTip(tr("ws://host[:port]/path or wss://… (TLS, port 443 by default). No credentials in "
                         "the URL: they would land in the log; send them as a header (WebSocket tab)."));
    m_tags = named(new QLineEdit(page), QStringLiteral("endpointTags"), tr("Tags"));
    m_tags->setPlaceholderText(tr("e.g. prod db (separated by spaces or commas)"));
    m_tags->setToolTip(tr("Free words to filter and group the endpoint list by, such as the environment "
                          "or the team."));
    m_enabled = named(new QCheckBox(tr("Watch this endpoint"), page), QStringLiteral("endpointEnabled"),
                      tr("Enabled"));
    m_enabled->setToolTip(tr("Off: the endpoint stays in the workspace but is not connected (Disabled)."));
    m_kindBox = named(new QComboBox(page), QStringLiteral("endpointKind"), tr("Kind"));
    m_kindBox->addItem(tr("TCP: hold a connection"), QStringLiteral("tcp"));
    m_kindBox->addItem(tr("Listen: a heartbeat server peers connect to"), QStringLiteral("listen"));
    m_kindBox->addItem(tr("WebSocket: connect, upgrade and ping"), QStringLiteral("websocket"));
    m_kindBox->addItem(tr("MQTT: a broker session, its keep alive and devices"), QStringLiteral("mqtt"));
    m_kindBox->setToolTip(tr("What Keepwatch holds: a TCP connection, a listening port for peers' "
                             "heartbeats, a WebSocket pinged with ping frames, or an MQTT session kept "
                             "alive with PINGREQ."));
    m_kindBox->setCurrentIndex(m_kindBox->findData(m_kind));
    connect(m_kindBox, &QComboBox::currentIndexChanged, this,
            [this] { setKind(m_kindBox->currentData().toString()); });
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Kind:"), m_kindBox);
    form->addRow(tr("&Host:"), m_host);
    form->addRow(tr("&Port:"), m_port);
    form->addRow(tr("&URL:"), m_url);
    form->addRow(tr("T&ags:"), m_tags);
    form->addRow(QString(), m_enabled);
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
    m_rcInitial->setToolTip(tr("The wait before the first reconnect after a failure."));
    m_rcMax->setToolTip(tr("The delay grows by the multiplier after every failure, up to this."));
    m_rcMultiplier->setToolTip(tr("Each further failure multiplies the delay by this (gRPC uses 1.6)."));
    m_rcJitter->setToolTip(tr("Each delay is spread randomly by ± this fraction, so many endpoints do not "
                              "retry in lockstep after a shared outage."));
    m_rcMinConnectTimeout->setToolTip(tr("A connection attempt is given at least this long before it counts "
                                         "as failed (connect-timeout)."));
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
    m_hbGroup->setToolTip(tr("An application-level probe: send a payload and expect a reply. Catches a peer "
                             "whose kernel still answers TCP but whose program hangs."));
    m_hbInterval->setToolTip(tr("Seconds between heartbeats; fractions allowed. kind listen: how often peers "
                                "are expected to send."));
    m_hbSend->setToolTip(tr("Bytes to send, with escapes. Empty: send nothing, only listen. kind listen: "
                            "the answer to every heartbeat."));
    m_hbExpect->setToolTip(tr("A reply counts when it contains these bytes. kind listen: the first word "
                              "after them is the peer's id."));
    m_hbMisses->setToolTip(tr("Heartbeats missed in a row before Down (heartbeat-timeout)."));
    m_hbTimeout->setToolTip(tr("How long a reply may take; \"until the next send\" when 0."));
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
    m_idleReader->setToolTip(tr("Seconds without receiving anything (cause reader-idle); off when 0."));
    m_idleWriter->setToolTip(tr("Seconds without sending anything (cause writer-idle); off when 0."));
    m_idleAll->setToolTip(tr("Seconds without either (cause all-idle); off when 0."));
    m_idleAction->setToolTip(
        tr("What an idle timer does: mark Suspect, send a ping (the heartbeat payload, a "
           "WebSocket ping or PINGREQ), or close the connection and reconnect."));
    form->addRow(tr("Nothing &written for:"), m_idleWriter);
    form->addRow(tr("No &traffic for:"), m_idleAll);
    form->addRow(tr("&Then:"), m_idleAction);
    return page;
}

void EndpointDialog::setKind(const QString &kind)
{
    const bool fresh = m_raw.isEmpty(); // a new endpoint
    m_kind = kind;
    const bool mqtt = kind == u"mqtt";
    const bool listen = kind == u"listen";
    const bool webSocket = kind == u"websocket";
    m_tabs->setTabVisible(MqttTab, mqtt);
    m_tabs->setTabVisible(WebSocketTab, webSocket);
    m_tabs->setTabVisible(HeartbeatTab, !mqtt && !webSocket); // they ping in their own protocol
    m_tabs->setTabVisible(IdleTab, !listen);                  // a listener's peers have heartbeats
    m_tabs->setTabVisible(TlsTab, !listen);                   // not supported by the listener yet
    auto *form = qobject_cast<QFormLayout *>(m_name->parentWidget()->layout());
    form->setRowVisible(m_host, !webSocket);
    form->setRowVisible(m_port, !webSocket);
    form->setRowVisible(m_url, webSocket);
    // A heartbeat listener has no remote host: the field is its local address.
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(m_host)))
        label->setText(listen ? tr("&Bind address:") : tr("&Host:"));
    m_host->setAccessibleName(listen ? tr("Bind address") : tr("Host"));
    m_host->setPlaceholderText(listen ? QStringLiteral("127.0.0.1") : tr("host name or IP address"));
    m_host->setToolTip(listen ? tr("The local address to listen on: 127.0.0.1 for this machine only, "
                                   "0.0.0.0 or :: for peers on other machines.")
                              : tr("The name or address to connect to, no spaces; IPv6 without brackets."));
    // A new listener starts local-only, judging its peers by their heartbeats.
    if (fresh && listen && m_host->text().isEmpty())
        m_host->setText(QStringLiteral("127.0.0.1"));
    if (fresh && listen)
        m_hbGroup->setChecked(true);
    if (mqtt && !m_portTyped)
        transportChanged();
    updateTlsState();
    validate();
}

void EndpointDialog::load(const EndpointConfig &c)
{
    // An endpoint read from a file keeps the port it gave; a new one, or one that left the port to
    // its transport, follows the transport until a port is typed.
    m_portTyped = c.kind != EndpointKind::Mqtt
                      ? c.port != 0
                      : m_raw.contains(QStringLiteral("port")) || c.port != mqttDefaultPort(c.mqtt.transport);
    m_name->setText(c.name);
    m_host->setText(c.kind == EndpointKind::Listen ? c.bind : c.host);
    m_port->setValue(c.kind == EndpointKind::WebSocket ? 0 : c.port);
    m_url->setText(c.websocket.url);
    m_tags->setText(c.tags.join(u' '));
    m_enabled->setChecked(c.enabled);

    loadKeepalive(c.keepalive);

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

    loadTls(c);
    loadWebSocket(c);
    loadMqtt(c.mqtt);
}

QJsonObject EndpointDialog::json() const
{
    QJsonObject o = m_raw;
    o.insert(QStringLiteral("name"), m_name->text().trimmed());
    o.insert(QStringLiteral("kind"), m_kind);
    // Each kind writes its own address keys and none of the others'.
    for (const QString &key : {QStringLiteral("host"), QStringLiteral("bind"), QStringLiteral("url")})
        o.remove(key);
    if (m_kind == u"listen")
        o.insert(QStringLiteral("bind"), m_host->text().trimmed());
    else if (m_kind == u"websocket")
        o.insert(QStringLiteral("url"), m_url->text().trimmed());
    else
        o.insert(QStringLiteral("host"), m_host->text().trimmed());
    if (m_kind == u"websocket")
        o.remove(QStringLiteral("port"));
    else if (m_kind == u"mqtt" && !m_raw.contains(QStringLiteral("port")) &&
             m_port->value() ==
                 mqttDefaultPort(mqttTransportFromName(m_mqttTransport->currentData().toString())
                                     .value_or(MqttTransport::Tcp)))
        o.remove(QStringLiteral("port")); // the loader takes the transport's port
    else
        o.insert(QStringLiteral("port"), m_port->value());
    putUnlessDefault(o, QStringLiteral("enabled"), m_enabled->isChecked(), true);
    const QStringList tags = splitWords(m_tags->text());
    putOrRemove(o, QStringLiteral("tags"), !tags.isEmpty(), QJsonArray::fromStringList(tags));

    putObject(o, QStringLiteral("keepalive"), keepaliveJson());
    putPath(o);

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

    const bool pings = m_kind == u"mqtt" || m_kind == u"websocket"; // no application heartbeat
    if (m_kind == u"mqtt")
        putObject(o, QStringLiteral("mqtt"), mqttJson());
    else
        o.remove(QStringLiteral("mqtt"));
    if (m_kind == u"websocket")
        putObject(o, QStringLiteral("websocket"), webSocketJson());
    else
        o.remove(QStringLiteral("websocket"));
    if (const std::optional<QJsonObject> tls = tlsJson())
        o.insert(QStringLiteral("tls"), *tls);
    else
        o.remove(QStringLiteral("tls"));

    if (pings) {
        o.remove(QStringLiteral("heartbeat"));
    } else if (m_hbGroup->isChecked()) {
        QJsonObject hb = m_raw.value(QStringLiteral("heartbeat")).toObject();
        hb.insert(QStringLiteral("interval_s"), m_hbInterval->value());
        hb.insert(QStringLiteral("send"), m_hbSend->text());
        putUnlessDefault(hb, QStringLiteral("expect"), m_hbExpect->text(), QString());
        putUnlessDefault(hb, QStringLiteral("misses"), m_hbMisses->value(), kHeartbeatDefaults.misses);
        putUnlessDefault(hb, QStringLiteral("timeout_ms"), m_hbTimeout->value(),
                         qint64(kHeartbeatDefaults.timeout.count()));
        o.insert(QStringLiteral("heartbeat"), hb);
    } else {
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

    for (int i = 0; i < m_tabs->count() && i < m_tabTitles.size(); ++i) {
        const bool mark = tabHasError.at(i) && !m_pristine;
        m_tabs->setTabText(i, mark ? tr("%1 ⚠").arg(m_tabTitles.at(i)) : m_tabTitles.at(i));
    }

    if (m_pristine) {
        m_errorLabel->setPalette(palette());
        m_errorLabel->setText(m_kind == u"websocket"
                                  ? tr("Enter a name and the URL to watch; the other tabs are optional.")
                                  : tr("Enter a name, the host and the port to watch; the other tabs are "
                                       "optional."));
    } else {
        m_errorLabel->setPalette(m_errorPalette);
        m_errorLabel->setText(
            m_errors.isEmpty() ? QString() : QStringLiteral("• ") + m_errors.join(QStringLiteral("\n• ")));
    }
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_errors.isEmpty());

    updateKeepaliveBound();
    updateLint();
}

} // namespace kw
