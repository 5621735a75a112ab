#include "idleprobetext.h"

namespace kw {

using std::chrono::milliseconds;

QString ProbeIdle::secondsText(milliseconds value)
{
    return QString::number(double(value.count()) / 1000.0, 'f',
                           value.count() % 1000 == 0  ? 0
                           : value.count() % 100 == 0 ? 1
                                                      : 2);
}

QString ProbeIdle::introText(const QString &target, const IdleSearchOptions &options)
{
    return tr("Probing how long the path to %1 keeps an idle TCP connection: keepalive off, gaps "
              "from %2 s doubling up to %3 s, %4 connections at once, precision %5 s.")
        .arg(target, secondsText(options.effectiveFirstGap()), secondsText(options.max))
        .arg(options.parallel)
        .arg(secondsText(options.precision));
}

QString ProbeIdle::bracketText(const IdleSearch &search)
{
    const QString lo = secondsText(search.longestSurvived());
    if (const auto hi = search.shortestDied())
        return tr("bracket (%1 s, %2 s]").arg(lo, secondsText(*hi));
    return tr("bracket (%1 s, ≥ %2 s]").arg(lo, secondsText(search.options().max));
}

QString ProbeIdle::probeStartedText(const IdleSearch &search, int id, bool reused)
{
    const IdleProbeRecord *p = search.probe(id);
    return tr("  probe %1: idle %2 s (%3)")
        .arg(id)
        .arg(p ? secondsText(p->gap) : QString(),
             reused ? tr("reusing a connection that survived") : tr("connected"));
}

QString ProbeIdle::probeEndedText(const IdleSearch &search, int id)
{
    const IdleProbeRecord *p = search.probe(id);
    if (!p || !p->outcome)
        return {};
    const QString idle = p->idle == p->gap
                             ? tr("%1 s").arg(secondsText(p->gap))
                             : tr("%1 s (of %2 s)").arg(secondsText(p->idle), secondsText(p->gap));
    const QString outcome = p->retransmits > 0
                                ? tr("%1 (after %n retransmission(s): a lossy path)", nullptr, p->retransmits)
                                      .arg(idleProbeOutcomeName(*p->outcome))
                                : idleProbeOutcomeName(*p->outcome);
    return tr("  probe %1: %2 idle: %3; %4").arg(id).arg(idle, outcome, bracketText(search));
}

QString ProbeIdle::probeCancelledText(const IdleSearch &search, int id)
{
    const IdleProbeRecord *p = search.probe(id);
    return tr("  probe %1: %2 s no longer needed, closed").arg(id).arg(p ? secondsText(p->gap) : QString());
}

QString ProbeIdle::behaviourText(IdleBehaviour behaviour)
{
    switch (behaviour) {
    case IdleBehaviour::SilentDrop:
        return tr("The path drops idle connections silently: the next write is never acknowledged, "
                  "and without keepalive or a heartbeat the connection hangs until a timeout.");
    case IdleBehaviour::Reset:
        return tr("The path resets idle connections: the next write is answered with a RST.");
    case IdleBehaviour::Closed:
        return tr("The peer (or a proxy in front of it) closes idle connections with a FIN.");
    case IdleBehaviour::NoneFound:
        break;
    }
    return {};
}

QStringList ProbeIdle::resultLines(const IdleSearchResult &result)
{
    const double elapsed = std::chrono::duration<double>(result.elapsed).count();
    if (const auto timeout = result.idleTimeout()) {
        return {tr("Idle timeout: about %1 s (idle %2 s survived, %3 s did not; %4 s of probing).")
                    .arg(secondsText(*timeout), secondsText(result.longestSurvived),
                         secondsText(*result.shortestDied), QString::number(elapsed, 'f', 0)),
                behaviourText(result.behaviour)};
    }
    return {tr("No idle timeout up to %1 s: every gap survived (%2 s of probing). Try a longer "
               "--max to look further.")
                .arg(secondsText(result.longestSurvived), QString::number(elapsed, 'f', 0))};
}

QStringList ProbeIdle::recommendationLines(const IdleSearchResult &result)
{
    const IdleRecommendation rec = recommendForIdle(result);
    return {tr("Recommended, at most 2/3 of the %1 s that survived (paste into the endpoint):")
                .arg(secondsText(rec.basedOn)),
            uR"(  "keepalive": {"enabled": true, "idle_s": %1, "interval_s": %2, "count": %3})"_qs
                .arg(rec.keepaliveIdle.count())
                .arg(rec.keepaliveInterval.count())
                .arg(rec.keepaliveCount),
            tr("  or a heartbeat: \"heartbeat\": {\"interval_s\": %1}; for MQTT: \"keepalive_s\": %1")
                .arg(rec.heartbeatInterval.count())};
}

} // namespace kw
