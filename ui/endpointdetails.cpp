#include "endpointdetails.h"

#include "statestyle.h"
#include "timeformat.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>
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
    : QWidget(parent), m_title(new QLabel(this)), m_hint(new QLabel(this)), m_body(new QWidget(this)),
      m_grid(new QGridLayout(m_body))
{
    setObjectName(QStringLiteral("endpointDetails"));
    setAccessibleName(tr("Endpoint details"));

    m_title->setObjectName(QStringLiteral("detailsTitle"));
    m_title->setAccessibleName(tr("Selected endpoint"));
    m_title->setTextFormat(Qt::RichText);
    m_hint->setObjectName(QStringLiteral("detailsHint"));
    m_hint->setText(tr("Select an endpoint to see its state, keepalive settings and statistics."));
    m_hint->setWordWrap(true);
    m_hint->setEnabled(false);

    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setHorizontalSpacing(10);
    m_grid->setVerticalSpacing(3);
    m_grid->setColumnStretch(1, 1);
    m_grid->setColumnStretch(3, 1);

    addField(Field::State, QStringLiteral("State"), tr("State"), 0, 0);
    addField(Field::Since, QStringLiteral("Since"), tr("Since"), 0, 2);
    addField(Field::Cause, QStringLiteral("Cause"), tr("Cause"), 1, 0);
    addField(Field::NextAttempt, QStringLiteral("NextAttempt"), tr("Next attempt"), 1, 2);
    addField(Field::Detail, QStringLiteral("Detail"), tr("Detail"), 2, 0);
    m_grid->addWidget(m_values.value(Field::Detail), 2, 1, 1, 3);
    addField(Field::Target, QStringLiteral("Target"), tr("Target"), 3, 0);
    addField(Field::Rtt, QStringLiteral("Rtt"), tr("Last RTT"), 3, 2);
    addField(Field::Keepalive, QStringLiteral("Keepalive"), tr("Keepalive"), 4, 0);
    m_grid->addWidget(m_values.value(Field::Keepalive), 4, 1, 1, 3);
    addField(Field::Tls, QStringLiteral("Tls"), tr("TLS"), 5, 0);
    m_grid->addWidget(m_values.value(Field::Tls), 5, 1, 1, 3);
    addField(Field::DetectionBound, QStringLiteral("DetectionBound"), tr("Detects death"), 6, 0);
    m_grid->addWidget(m_values.value(Field::DetectionBound), 6, 1, 1, 3);
    addField(Field::Uptime, QStringLiteral("Uptime"), tr("Uptime"), 7, 0);
    m_grid->addWidget(m_values.value(Field::Uptime), 7, 1, 1, 3);
    addField(Field::Reconnects, QStringLiteral("Reconnects"), tr("Reconnects"), 8, 0);
    addField(Field::Flapping, QStringLiteral("Flapping"), tr("Flapping"), 8, 2);
    addField(Field::Mttr, QStringLiteral("Mttr"), tr("MTTR"), 9, 0);
    addField(Field::Mtbf, QStringLiteral("Mtbf"), tr("MTBF"), 9, 2);
    addField(Field::LastDrop, QStringLiteral("LastDrop"), tr("Last drop"), 10, 0);
    m_grid->addWidget(m_values.value(Field::LastDrop), 10, 1, 1, 3);
    m_grid->setRowStretch(11, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_hint);
    layout->addWidget(m_body, 1);

    showEndpoint(nullptr, {});
}

EndpointDetails::~EndpointDetails() = default;

QLabel *EndpointDetails::addField(Field field, const QString &key, const QString &label, int row, int column)
{
    auto *caption = new QLabel(label, m_body);
    caption->setEnabled(false); // the palette's disabled text: a quiet caption colour
    auto *value = new QLabel(m_body);
    value->setObjectName(QStringLiteral("details") + key);
    value->setAccessibleName(label);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    value->setWordWrap(true);
    caption->setBuddy(value);
    m_grid->addWidget(caption, row, column, Qt::AlignTop);
    m_grid->addWidget(value, row, column + 1);
    m_values.insert(field, value);
    m_captions.insert(field, caption);
    return value;
}

void EndpointDetails::setField(Field field, const QString &text, const QString &toolTip)
{
    QLabel *label = m_values.value(field);
    label->setText(text);
    label->setToolTip(toolTip);
}

QString EndpointDetails::fieldText(Field field) const
{
    const QLabel *label = m_values.value(field);
    return label ? label->text() : QString();
}

void EndpointDetails::showEndpoint(const EndpointSnapshot *e, const QDateTime &now)
{
    m_hint->setVisible(e == nullptr);
    m_body->setVisible(e != nullptr);
    if (!e) {
        m_title->setText(tr("<b>No endpoint selected</b>"));
        return;
    }
    m_dark = StateStyle::isDark(palette());
    const QString color = StateStyle::color(e->state, m_dark).name();
    m_title->setText(tr("<span style=\"font-size:large\"><b>%1</b></span> &nbsp;<span style=\"color:%2\">● "
                        "<b>%3</b></span>")
                         .arg(e->name.toHtmlEscaped(), color, StateStyle::label(e->state)));

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
    setField(Field::Rtt,
             e->lastRttMs ? tr("%1 ms (%2)").arg(QLocale().toString(*e->lastRttMs, 'f', 2), e->lastRttSource)
                          : tr("—"));
    setField(Field::Keepalive, e->keepalive.isEmpty() ? tr("not reported yet") : e->keepalive);
    QString tls = e->tls.isEmpty() ? tr("—") : e->tls;
    if (e->tlsInsecure)
        tls = tr("⚠ certificate not verified (tls.insecure) — %1").arg(tls);
    if (e->tlsExpiryWarning && e->tlsDaysLeft)
        tls = tr("⚠ certificate %1 — %2")
                  .arg(*e->tlsDaysLeft < 0 ? tr("expired")
                                           : tr("expires in %n day(s)", nullptr, *e->tlsDaysLeft),
                       tls);
    setField(Field::Tls, tls);
    m_values.value(Field::Tls)->setVisible(!e->tls.isEmpty() || e->tlsInsecure);
    m_captions.value(Field::Tls)->setVisible(!e->tls.isEmpty() || e->tlsInsecure);
    setField(Field::DetectionBound, e->detectionBound.isEmpty() ? tr("—") : e->detectionBound);
    setField(Field::Uptime, tr("%1 this session · %2 last hour · %3 last 24 h")
                                .arg(percent(e->stats.uptimeSessionPercent),
                                     percent(e->stats.uptime1hPercent), percent(e->stats.uptime24hPercent)));
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

} // namespace kw
