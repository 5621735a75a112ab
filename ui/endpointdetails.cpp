#include "endpointdetails.h"

#include "keepalivetext.h"
#include "mqtttext.h"
#include "statestyle.h"
#include "timeformat.h"
#include "wrappinglabel.h"

#include <QEvent>
#include <QFrame>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QScrollBar>
#include <QVBoxLayout>

namespace kw {

namespace {
QString percent(double value)
{
    return EndpointDetails::tr("%1 %").arg(QLocale().toString(value, 'f', 2));
}

QString optionalDuration(const std::optional<std::chrono::milliseconds> &span)
{
    return span ? TimeFormat::duration(*span) : EndpointDetails::tr("—");
}
} // namespace

EndpointDetails::EndpointDetails(QWidget *parent)
    : QWidget(parent), m_title(new QLabel(this)), m_hint(new QLabel(this)), m_scroll(new QScrollArea(this)),
      m_body(new QWidget), m_grid(new QGridLayout(m_body))
{
    setObjectName(QStringLiteral("endpointDetails"));
    setAccessibleName(tr("Endpoint details"));

    m_title->setObjectName(QStringLiteral("detailsTitle"));
    m_title->setAccessibleName(tr("Selected endpoint"));
    m_title->setTextFormat(Qt::RichText);
    m_title->setWordWrap(true);
    m_hint->setObjectName(QStringLiteral("detailsHint"));
    m_hint->setText(tr("Select an endpoint to see its state, keepalive settings and statistics."));
    m_hint->setWordWrap(true);
    m_hint->setEnabled(false);

    m_grid->setContentsMargins(0, 0, 4, 0);
    m_grid->setHorizontalSpacing(10);
    m_grid->setVerticalSpacing(3);
    m_grid->setColumnStretch(1, 1);
    m_grid->setColumnStretch(3, 1);

    int row = 0;
    addField(Field::State, QStringLiteral("State"), tr("State"), row, 0);
    addField(Field::Since, QStringLiteral("Since"), tr("Since"), row++, 2);
    addField(Field::Cause, QStringLiteral("Cause"), tr("Cause"), row, 0);
    addField(Field::NextAttempt, QStringLiteral("NextAttempt"), tr("Next attempt"), row++, 2);
    addField(Field::Detail, QStringLiteral("Detail"), tr("Detail"), row++, 0, 3);
    addField(Field::Target, QStringLiteral("Target"), tr("Target"), row, 0);
    addField(Field::Rtt, QStringLiteral("Rtt"), tr("Last RTT"), row++, 2);
    addField(Field::Keepalive, QStringLiteral("Keepalive"), tr("Keepalive"), row++, 0, 3);
    addField(Field::KeepaliveAsked, QStringLiteral("KeepaliveAsked"), tr("Asked"), row++, 0, 3);
    addField(Field::Tls, QStringLiteral("Tls"), tr("TLS"), row++, 0, 3);
    addField(Field::Mqtt, QStringLiteral("Mqtt"), tr("MQTT"), row++, 0, 3);
    addField(Field::MqttKeepAlive, QStringLiteral("MqttKeepAlive"), tr("MQTT ping"), row++, 0, 3);
    addField(Field::BrokerLimits, QStringLiteral("BrokerLimits"), tr("Broker limits"), row++, 0, 3);
    addField(Field::Devices, QStringLiteral("Devices"), tr("Devices"), row++, 0, 3);
    addField(Field::WatchProblems, QStringLiteral("WatchProblems"), tr("Watch problems"), row++, 0, 3);
    addField(Field::DetectionBound, QStringLiteral("DetectionBound"), tr("Detects death"), row++, 0, 3);
    addField(Field::Uptime, QStringLiteral("Uptime"), tr("Uptime"), row++, 0, 3);
    addField(Field::Reconnects, QStringLiteral("Reconnects"), tr("Reconnects"), row, 0);
    addField(Field::Flapping, QStringLiteral("Flapping"), tr("Flapping"), row++, 2);
    addField(Field::Mttr, QStringLiteral("Mttr"), tr("MTTR"), row, 0);
    addField(Field::Mtbf, QStringLiteral("Mtbf"), tr("MTBF"), row++, 2);
    addField(Field::LastDrop, QStringLiteral("LastDrop"), tr("Last drop"), row++, 0, 3);
    m_grid->setRowStretch(row, 1);

    // The body follows the panel's width (its labels wrap to it) and scrolls when it is taller.
    m_scroll->setObjectName(QStringLiteral("detailsScroll"));
    m_scroll->setAccessibleName(tr("Endpoint details"));
    m_scroll->setWidget(m_body);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_scroll->viewport()->setAutoFillBackground(false);
    m_body->setAutoFillBackground(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_hint);
    layout->addWidget(m_scroll, 1);

    showEndpoint(nullptr, {});
}

EndpointDetails::~EndpointDetails() = default;

WrappingLabel *EndpointDetails::addField(Field field, const QString &key, const QString &label, int row,
                                         int column, int span)
{
    auto *caption = new QLabel(label, m_body);
    caption->setEnabled(false); // the palette's disabled text: a quiet caption colour
    auto *value = new WrappingLabel(m_body);
    value->setObjectName(QStringLiteral("details") + key);
    value->setAccessibleName(label);
    caption->setBuddy(value);
    m_grid->addWidget(caption, row, column, Qt::AlignTop);
    m_grid->addWidget(value, row, column + 1, 1, span);
    m_values.insert(field, value);
    m_captions.insert(field, caption);
    return value;
}

void EndpointDetails::setField(Field field, const QString &text, const QString &toolTip)
{
    WrappingLabel *label = m_values.value(field);
    label->setPlainText(text);
    label->setToolTip(toolTip);
}

void EndpointDetails::setFieldVisible(Field field, bool visible)
{
    m_values.value(field)->setVisible(visible);
    m_captions.value(field)->setVisible(visible);
}

QString EndpointDetails::fieldText(Field field) const
{
    const WrappingLabel *label = m_values.value(field);
    return label ? label->plainText() : QString();
}

void EndpointDetails::showEndpoint(const EndpointSnapshot *e, const QDateTime &now,
                                   const net::TcpKeepaliveSettings *requested)
{
    m_hint->setVisible(e == nullptr);
    m_scroll->setVisible(e != nullptr);
    if (!e) {
        m_title->setText(tr("<b>No endpoint selected</b>"));
        return;
    }
    m_dark = StateStyle::isDark(palette());
    const QString color = StateStyle::color(e->state, m_dark).name();
    QString title = tr("<span style=\"font-size:large\"><b>%1</b></span> &nbsp;<span style=\"color:%2\">● "
                       "<b>%3</b></span>")
                        .arg(e->name.toHtmlEscaped(), color, StateStyle::label(e->state));
    // The broker can be up while its devices are not: say so where the eye lands first.
    if (e->mqtt && MqttText::devicesInTrouble(*e->mqtt) > 0) {
        const MqttSnapshot &m = *e->mqtt;
        QStringList trouble;
        if (m.devicesSilent > 0)
            trouble << tr("%1 silent").arg(QLocale().toString(m.devicesSilent));
        if (m.devicesWill > 0)
            trouble << tr("%1 will").arg(QLocale().toString(m.devicesWill));
        title += tr(" &nbsp;<span style=\"color:%1\">⚠ <b>%2 of %3</b></span>")
                     .arg(StateStyle::color(EndpointState::Down, m_dark).name(), trouble.join(tr(", ")),
                          MqttText::devicesWord(MqttText::deviceCount(m)));
    }
    m_title->setText(title);

    QString state = StateStyle::label(e->state);
    if (!e->enabled)
        state = tr("%1 (stopped)").arg(state);
    if (e->kind == EndpointKind::Listen)
        state += tr(", peers connected: %1").arg(e->peers);
    if (e->phi > 0)
        state += tr(", suspicion φ %1").arg(QLocale().toString(e->phi, 'f', 1));
    setField(Field::State, state);
    setField(Field::Cause, e->cause.isEmpty() ? tr("—") : e->cause);
    setField(Field::Detail, e->detail.isEmpty() ? tr("—") : e->detail);
    setField(Field::Since, e->since.isValid() ? TimeFormat::relative(e->since, now) : tr("—"),
             TimeFormat::absolute(e->since));
    setField(Field::NextAttempt,
             e->nextAttempt.isValid() ? TimeFormat::relative(e->nextAttempt, now) : tr("—"),
             TimeFormat::absolute(e->nextAttempt));
    setField(Field::Target, e->target);
    const QString rttValue = QLocale().toString(e->lastRttMs.value_or(0.0), 'f', 2);
    QString rtt = tr("—");
    if (e->lastRttMs && e->lastRttKernelStamped)
        rtt = tr("%1 ms (%2, kernel-stamped)").arg(rttValue, e->lastRttSource);
    else if (e->lastRttMs)
        rtt = tr("%1 ms (%2)").arg(rttValue, e->lastRttSource);
    if (e->lastRttMs && !m_engineLateness.isEmpty())
        rtt = tr("%1 · %2").arg(rtt, m_engineLateness);
    QString rttToolTip;
    if (e->lastRttMs) {
        rttToolTip = e->lastRttKernelStamped
                         ? tr("Timed from the kernel's receive stamp of the reply: the engine's lateness is "
                              "not in it")
                         : tr("Timed by the engine's clock when it handled the reply: its lateness may be "
                              "in it");
        if (!m_engineLatenessToolTip.isEmpty())
            rttToolTip += u'\n' + m_engineLatenessToolTip;
    }
    setField(Field::Rtt, rtt, rttToolTip);
    setField(Field::Keepalive, e->keepalive.isEmpty() ? tr("not reported yet") : e->keepalive,
             tr("Read back from the socket after the settings were applied"));
    setFieldVisible(Field::KeepaliveAsked, requested != nullptr);
    if (requested) {
        const KeepaliveRequestText asked = describeKeepaliveRequest(*requested, m_systemDefaults);
        setField(Field::KeepaliveAsked, asked.line, asked.toolTip);
    }
    QString tls = e->tls.isEmpty() ? tr("—") : e->tls;
    if (e->tlsInsecure)
        tls = tr("⚠ certificate not verified (tls.insecure) — %1").arg(tls);
    if (e->tlsExpiryWarning && e->tlsDaysLeft)
        tls = tr("⚠ certificate %1 — %2")
                  .arg(*e->tlsDaysLeft < 0 ? tr("expired")
                                           : tr("expires in %n day(s)", nullptr, *e->tlsDaysLeft),
                       tls);
    setField(Field::Tls, tls);
    setFieldVisible(Field::Tls, !e->tls.isEmpty() || e->tlsInsecure);
    showMqtt(*e, now);
    setField(Field::DetectionBound, e->detectionBound.isEmpty() ? tr("—") : e->detectionBound);
    if (e->stats.uptimePending)
        setField(Field::Uptime, tr("not counted yet (from the first up or down verdict)"));
    else
        setField(Field::Uptime,
                 tr("%1 this session · %2 last hour · %3 last 24 h")
                     .arg(percent(e->stats.uptimeSessionPercent), percent(e->stats.uptime1hPercent),
                          percent(e->stats.uptime24hPercent)));
    setField(Field::Reconnects, QLocale().toString(e->stats.reconnects));
    setField(Field::Mttr, optionalDuration(e->stats.mttr), tr("Mean time to repair: down until up again"));
    setField(Field::Mtbf, optionalDuration(e->stats.mtbf), tr("Mean time between failures: up until down"));
    setField(Field::Flapping, e->stats.flapping ? tr("yes — state changes too often") : tr("no"));
    setField(
        Field::LastDrop,
        e->stats.lastDropAt.isValid()
            ? tr("%1, %2").arg(e->stats.lastDropCause.isEmpty() ? tr("no cause") : e->stats.lastDropCause,
                               TimeFormat::relative(e->stats.lastDropAt, now))
            : tr("never"),
        TimeFormat::absolute(e->stats.lastDropAt));
}

void EndpointDetails::showMqtt(const EndpointSnapshot &e, const QDateTime &now)
{
    const bool isMqtt = e.kind == EndpointKind::Mqtt;
    const MqttSnapshot *m = e.mqtt ? &*e.mqtt : nullptr;
    setFieldVisible(Field::Mqtt, isMqtt || m);
    setFieldVisible(Field::MqttKeepAlive, m != nullptr);
    setFieldVisible(Field::BrokerLimits, m && !m->brokerLimits.isEmpty());
    setFieldVisible(Field::Devices, m != nullptr);
    setFieldVisible(Field::WatchProblems, m && !m->watchProblems.isEmpty());
    if (!m) {
        setField(Field::Mqtt, tr("no session yet: nothing has been accepted by the broker"));
        return;
    }
    setField(Field::Mqtt, MqttText::session(*m));
    setField(Field::MqttKeepAlive, MqttText::keepAlive(e, *m),
             tr("MQTT §3.1.2.10: a PINGREQ goes out when nothing was sent for the keep alive; no "
                "PINGRESP within the ping timeout is Down (mqtt-ping-timeout)"));
    setField(Field::BrokerLimits, m->brokerLimits);
    setField(Field::Devices, MqttText::devices(*m, now),
             tr("The device table below the endpoints lists every device, silent and will first"));
    QStringList problems;
    for (const QString &problem : m->watchProblems)
        problems << tr("⚠ %1").arg(problem);
    setField(Field::WatchProblems, problems.join(u'\n'));

    // Trouble in the warning colour, so a silent device is not read past as calm text.
    const QColor warn = StateStyle::color(EndpointState::Down, m_dark);
    const auto tint = [warn](QLabel *label, bool on) {
        QPalette p = label->palette();
        if (on)
            p.setColor(QPalette::WindowText, warn);
        else
            p = QPalette();
        label->setPalette(p);
    };
    tint(m_values.value(Field::Devices), MqttText::devicesInTrouble(*m) > 0);
    tint(m_values.value(Field::WatchProblems), true);
    tint(m_values.value(Field::MqttKeepAlive), m->pingsOutstanding > 0);
}

QSize EndpointDetails::sizeHint() const
{
    QSize hint = QWidget::sizeHint();
    // The scroll area's own hint is a fixed guess; the body knows its rows. The MQTT rows are
    // hidden until an MQTT endpoint is selected, so room for them is kept.
    const int mqttRows = m_values.value(Field::Mqtt)->isHidden() ? 5 : 0;
    // The body's preferred width is wider than the panel usually is: its long rows wrap further.
    const int wrapAllowance = 4;
    const int body = m_body->sizeHint().height() +
                     (mqttRows + wrapAllowance) * (fontMetrics().lineSpacing() + m_grid->verticalSpacing());
    hint.setHeight(m_title->sizeHint().height() + body + 8);
    return hint;
}

void EndpointDetails::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        m_dark = StateStyle::isDark(palette());
    QWidget::changeEvent(event);
}

} // namespace kw
