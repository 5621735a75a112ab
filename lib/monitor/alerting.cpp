// The Monitor's side of the alert rules: feeding them each endpoint's check results, running their
// time-based decisions on the engine timers, and turning every decision into an "alert" event and
// every announced one into an AlertNotice for the notifiers.
#include "monitor.h"

#include "session.h"
#include "sessiontext.h"

#include <cmath>

namespace kw {

using namespace std::chrono;

namespace {

QString suppressionText(const AlertDecision &d, const AlertParams &params, const QDateTime &until)
{
    const QString untilText = until.isValid() ? until.toString(Qt::ISODate) : QString();
    switch (d.suppressed) {
    case AlertSuppression::None:
        return {};
    case AlertSuppression::Muted:
        return Monitor::tr("held: muted until %1").arg(untilText);
    case AlertSuppression::Maintenance:
        return Monitor::tr("held: maintenance window until %1").arg(untilText);
    case AlertSuppression::Flapping:
        return Monitor::tr("held: flapping");
    case AlertSuppression::BelowDownAfter:
        if (params.downAfterS && !params.downAfter)
            return Monitor::tr("held: not yet down for %1 s").arg(params.downAfterS->count());
        return Monitor::tr("held: %1 of %2 failed checks")
            .arg(d.failedChecks)
            .arg(params.downAfter.value_or(1));
    case AlertSuppression::BelowUpAfter:
        return Monitor::tr("held: %1 of %2 good checks").arg(d.goodChecks).arg(params.upAfter);
    }
    return {};
}

QString decisionText(const AlertDecision &d, const QString &dropDetail)
{
    const QString flap = QString::number(d.flapPercent, 'f', 1);
    switch (d.kind) {
    case AlertKind::Down:
        return dropDetail.isEmpty() ? Monitor::tr("down") : Monitor::tr("down: %1").arg(dropDetail);
    case AlertKind::Up:
        return d.downFor ? Monitor::tr("up again after %1").arg(formatDuration(toMilliseconds(*d.downFor)))
                         : Monitor::tr("up again");
    case AlertKind::Reminder:
        return Monitor::tr("still down after %1")
            .arg(formatDuration(toMilliseconds(d.downFor.value_or(Duration{}))));
    case AlertKind::Flapping:
        return Monitor::tr("flapping: %1 % state changes over the last %2 checks")
            .arg(flap)
            .arg(FlapDetector::kStates);
    case AlertKind::Stable:
        return Monitor::tr("stable again (%1 % state changes), %2")
            .arg(flap, QString::fromLatin1(endpointStateName(d.state)));
    }
    return {};
}

} // namespace

void Monitor::setAlertDefaults(const AlertConfig &defaults)
{
    if (defaults == m_alertDefaults)
        return;
    m_alertDefaults = defaults;
    for (Entry &entry : m_entries) {
        Alerting &alerting = *entry.alerting;
        alerting.rules.setParams(resolveAlert(m_alertDefaults, alerting.own));
        m_timers.cancel(alerting.timer);
        alerting.timerAt.reset();
        handleDecisions(alerting, entry.session->name(), alerting.rules.evaluate());
        scheduleAlerts(alerting, entry.session->name());
    }
}

AlertParams Monitor::alertParams(const EndpointConfig &config) const
{
    return resolveAlert(m_alertDefaults, config.alert);
}

void Monitor::noteAlertEvent(Alerting &alerting, const QString &name, const Event &event)
{
    if (event.endpoint != name || !event.kind)
        return; // a listener's peer, a device: the endpoint's own checks only
    switch (*event.kind) {
    case EventKind::State:
        // The drop's words and bound, for the notice; the state change itself follows.
        if (event.state == EndpointState::Down && !alerting.out) {
            alerting.out = true;
            alerting.dropDetail = event.detail;
            alerting.dropSteady = m_clock.now();
            alerting.dropWall = event.ts;
            alerting.dropBoundMs.reset();
            if (const QJsonValue bound = event.data.value(u"bound_ms"); bound.isDouble())
                alerting.dropBoundMs = qint64(bound.toDouble());
        } else if (event.state == EndpointState::Up || event.state == EndpointState::Disabled) {
            alerting.out = false;
        }
        return;
    case EventKind::Rtt:
        // The connect RTT comes with the Up verdict, already a good check.
        if (event.source != u"connect")
            noteGoodCheck(alerting, name);
        return;
    case EventKind::TcpInfo:
        // A sample that shows the connection healthy: no unanswered probes, no retransmits.
        if (event.tcpInfoValue(TcpInfoSample::Probes).value_or(0) == 0 &&
            event.tcpInfoValue(TcpInfoSample::Retransmits).value_or(0) == 0)
            noteGoodCheck(alerting, name);
        return;
    case EventKind::Keepalive:
    case EventKind::Info:
    case EventKind::Device:
    case EventKind::Alert:
        return;
    }
}

void Monitor::noteGoodCheck(Alerting &alerting, const QString &name)
{
    const std::vector<AlertDecision> decisions = alerting.rules.noteGoodCheck();
    if (decisions.empty())
        return; // the common case, every heartbeat: nothing to reschedule
    handleDecisions(alerting, name, decisions);
    scheduleAlerts(alerting, name);
}

void Monitor::noteAlertState(Alerting &alerting, const QString &name, EndpointState state, const Cause &cause)
{
    handleDecisions(alerting, name, alerting.rules.noteState(state, cause));
    scheduleAlerts(alerting, name);
}

void Monitor::handleDecisions(Alerting &alerting, const QString &name,
                              const std::vector<AlertDecision> &decisions)
{
    if (decisions.empty())
        return;
    Entry *entry = find(name);
    if (!entry)
        return;
    // A decision may be Flapping or Stable: the row's statistics (which show flapping) are no
    // longer steady (buildSnapshot()).
    entry->steadyAt.reset();
    const TimePoint now = m_clock.now();
    const AlertParams &params = alerting.rules.params();
    const auto wallOf = [&alerting, now](TimePoint at) {
        if (!alerting.dropWall.isValid())
            return wallClockAt(at, now);
        return alerting.dropWall.addMSecs(toMilliseconds(at - alerting.dropSteady).count());
    };
    for (const AlertDecision &d : decisions) {
        const QString kind = alertKindName(d.kind);
        const QString suppressed = QString::fromLatin1(alertSuppressionName(d.suppressed));
        QDateTime until;
        if (d.suppressed == AlertSuppression::Muted && params.muteUntil)
            until = QDateTime::fromMSecsSinceEpoch(
                duration_cast<milliseconds>(params.muteUntil->time_since_epoch()).count(), Qt::UTC);
        if (d.suppressed == AlertSuppression::Maintenance) {
            for (const MaintenanceWindow &w : params.maintenance) {
                if (const std::optional<WallTime> end = w.activeUntil(m_wallClock.now(), m_wallClock)) {
                    until = QDateTime::fromMSecsSinceEpoch(
                        duration_cast<milliseconds>(end->time_since_epoch()).count(), Qt::UTC);
                    break;
                }
            }
        }
        const bool aboutDrop = d.kind == AlertKind::Down || d.kind == AlertKind::Reminder;
        QString detail = decisionText(d, aboutDrop ? alerting.dropDetail : QString());
        if (!d.announced())
            detail += u" (" + suppressionText(d, params, until) + u')';

        QJsonObject data;
        const std::optional<qint64> boundMs = d.kind == AlertKind::Flapping || d.kind == AlertKind::Stable
                                                  ? std::nullopt
                                                  : alerting.dropBoundMs;
        if (boundMs)
            data.insert(u"bound_ms"_qs, double(*boundMs));
        if (d.downSince)
            data.insert(u"down_since"_qs, formatTimestamp(wallOf(*d.downSince)));
        if (d.downFor)
            data.insert(u"down_for_ms"_qs, msValue(*d.downFor));
        data.insert(u"failed_checks"_qs, d.failedChecks);
        data.insert(u"good_checks"_qs, d.goodChecks);
        data.insert(u"flap_percent"_qs, std::round(d.flapPercent * 10.0) / 10.0);
        if (until.isValid())
            data.insert(u"held_until"_qs, formatTimestamp(until));
        const Event event = Event::alert(name, kind, suppressed, d.state, d.cause, detail, data);
        onEvent(event);

        if (!d.announced())
            continue;
        EndpointSnapshot snapshot;
        entry->session->fillSnapshot(snapshot);
        AlertNotice notice;
        notice.ts = event.ts;
        notice.endpoint = name;
        notice.kind = d.kind;
        notice.state = d.state;
        notice.cause = d.cause;
        notice.detail = aboutDrop || d.kind == AlertKind::Up ? alerting.dropDetail : detail;
        notice.target = snapshot.target;
        notice.tags = snapshot.tags;
        notice.boundMs = boundMs;
        notice.stateSince = snapshot.since;
        if (d.downSince)
            notice.downSince = wallOf(*d.downSince);
        if (d.downFor)
            notice.downForMs = toMilliseconds(*d.downFor).count();
        m_unpublishedAlerts.append(notice);
    }
}

void Monitor::scheduleAlerts(Alerting &alerting, const QString &name)
{
    const std::optional<TimePoint> next = alerting.rules.nextDeadline();
    if (next == alerting.timerAt)
        return;
    m_timers.cancel(alerting.timer);
    alerting.timerAt = next;
    if (!next)
        return;
    Alerting *target = &alerting;
    alerting.timer = m_timers.at(*next, [this, target, name] {
        target->timer = EngineTimers::kNoTimer;
        target->timerAt.reset();
        handleDecisions(*target, name, target->rules.evaluate());
        scheduleAlerts(*target, name);
    });
}

} // namespace kw
