#include "bundlesummary.h"

#include "sessiontext.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimeZone>

#include <chrono>

namespace kw {

using namespace Qt::StringLiterals;

namespace {

// The translation context of this file's messages: lupdate files them under "kw::IncidentSummary", and
// Q_DECLARE_TR_FUNCTIONS looks them up under the same name.
class IncidentSummary
{
    Q_DECLARE_TR_FUNCTIONS(kw::IncidentSummary)
};

QString duration(qint64 ms)
{
    return formatDuration(std::chrono::milliseconds(ms));
}

QString when(const QDateTime &ts)
{
    return formatTimestamp(ts);
}

QString stateWord(EndpointState state)
{
    return QString::fromLatin1(endpointStateName(state));
}

bool countsAsUp(EndpointState s)
{
    return s == EndpointState::Up || s == EndpointState::Suspect;
}

std::optional<qint64> dataMs(const Event &e, const QString &key)
{
    const QJsonValue v = e.allData().value(key);
    if (!v.isDouble())
        return std::nullopt;
    return qint64(v.toDouble());
}

// The last keepalive report at or before `at`.
const Event *keepaliveAt(const IncidentEvidence &evidence, const QDateTime &at)
{
    const Event *found = nullptr;
    for (const Event &k : evidence.keepalives) {
        if (k.ts <= at)
            found = &k;
    }
    return found;
}

QString sourcedText(const net::SourcedValue &v)
{
    if (!v.value)
        return IncidentSummary::tr("unknown (%1)").arg(QString::fromStdString(v.source));
    return QStringLiteral("%1 %2 (%3)")
        .arg(*v.value)
        .arg(QString::fromStdString(v.unit), QString::fromStdString(v.source))
        .simplified();
}

const net::SourcedValue *systemDefaultFor(const net::SystemDefaults &d, const QString &option)
{
    if (option == u"TCP_KEEPIDLE"_s || option == u"TCP_KEEPALIVE"_s)
        return &d.keepaliveTime;
    if (option == u"TCP_KEEPINTVL"_s)
        return &d.keepaliveInterval;
    if (option == u"TCP_KEEPCNT"_s)
        return &d.keepaliveProbes;
    if (option == u"TCP_USER_TIMEOUT"_s || option == u"TCP_RXT_CONNDROPTIME"_s)
        return &d.retransmitGiveUp;
    return nullptr;
}

QString optionValue(const QJsonObject &o, const QString &key)
{
    const QJsonValue v = o.value(key);
    if (!v.isDouble())
        return u"–"_s;
    const QString unit = o.value(u"unit"_s).toString();
    return QString(QString::number(qint64(v.toDouble())) + u' ' + unit).trimmed();
}

} // namespace

std::optional<double> IncidentAnalysis::uptimePercent() const
{
    if (watchedMs <= 0)
        return std::nullopt;
    return 100.0 * double(upMs) / double(watchedMs);
}

QString causeInWords(const Cause &cause)
{
    switch (cause.code) {
    case CauseCode::None:
        return IncidentSummary::tr("no cause was recorded");
    case CauseCode::Refused:
        return IncidentSummary::tr(
            "the connection was refused: nothing listened on the port (the service was down or restarting)");
    case CauseCode::Dns:
        return IncidentSummary::tr("the host name could not be resolved (DNS)");
    case CauseCode::Unreachable:
        return IncidentSummary::tr("the network or host was unreachable (no route)");
    case CauseCode::ConnectTimeout:
        return IncidentSummary::tr("connecting took too long: packets to the peer went unanswered");
    case CauseCode::Tls:
        return IncidentSummary::tr("the TLS handshake failed (certificate or protocol)");
    case CauseCode::Reset:
        return IncidentSummary::tr("the peer, or a middlebox on the path, reset the connection (TCP RST)");
    case CauseCode::PeerClosed:
        return IncidentSummary::tr("the peer closed the connection in an orderly way (FIN)");
    case CauseCode::KeepaliveTimeout:
        return IncidentSummary::tr(
            "TCP keepalive probes went unanswered: the peer or the path died silently");
    case CauseCode::UserTimeout:
        return IncidentSummary::tr(
            "data sent stayed unacknowledged past the TCP user timeout: the peer or the path died");
    case CauseCode::HeartbeatTimeout:
        return IncidentSummary::tr("the application heartbeats stopped arriving");
    case CauseCode::ReaderIdle:
        return IncidentSummary::tr("nothing was read for longer than the reader-idle limit");
    case CauseCode::WriterIdle:
        return IncidentSummary::tr("nothing was written for longer than the writer-idle limit");
    case CauseCode::AllIdle:
        return IncidentSummary::tr("nothing was read or written for longer than the idle limit");
    case CauseCode::WsHandshake:
        return IncidentSummary::tr("the WebSocket upgrade was refused or broken");
    case CauseCode::WsPongTimeout:
        return IncidentSummary::tr("a WebSocket ping went unanswered");
    case CauseCode::WsClose:
        return IncidentSummary::tr("the peer closed the WebSocket (close code %1)")
            .arg(QString::fromStdString(cause.reason));
    case CauseCode::MqttPingTimeout:
        return IncidentSummary::tr("the MQTT broker did not answer a PINGREQ in time");
    case CauseCode::MqttRefused:
        return IncidentSummary::tr("the MQTT broker refused the connection (%1)")
            .arg(QString::fromStdString(cause.reason));
    case CauseCode::MqttDisconnect:
        return IncidentSummary::tr("the MQTT broker disconnected the client (%1)")
            .arg(QString::fromStdString(cause.reason));
    case CauseCode::DeviceSilent:
        return IncidentSummary::tr("a watched device went silent");
    case CauseCode::DeviceWill:
        return IncidentSummary::tr("a watched device's last will was published: it lost its connection");
    case CauseCode::ProtocolError:
        return IncidentSummary::tr("the peer sent something the protocol does not allow");
    case CauseCode::LocalLimit:
        return IncidentSummary::tr(
            "this machine ran out of something (descriptors, buffers, memory), not the peer");
    case CauseCode::Bind:
        return IncidentSummary::tr("the listen address could not be bound");
    case CauseCode::Network:
        return IncidentSummary::tr("a network error (the detail has the system's words)");
    case CauseCode::Stopped:
        return IncidentSummary::tr("the endpoint was stopped by a user");
    }
    return IncidentSummary::tr("unknown cause");
}

IncidentAnalysis analyseIncident(const IncidentEvidence &evidence)
{
    IncidentAnalysis a;
    const qint64 fromMs = evidence.request.since.toMSecsSinceEpoch();
    const qint64 toMs = evidence.request.until.toMSecsSinceEpoch();
    std::optional<EndpointState> state;
    if (evidence.opening && evidence.opening->state)
        state = *evidence.opening->state;
    a.openingState = state;
    qint64 at = fromMs;
    const auto account = [&](qint64 until) {
        if (state && *state != EndpointState::Disabled && until > at) {
            a.watchedMs += until - at;
            if (countsAsUp(*state))
                a.upMs += until - at;
        }
    };
    // An outage runs from its first Down to Up again; the Downs of failed attempts in between are
    // part of it (as the timeline's markers count them), and its cause is the first one.
    qsizetype open = -1;
    if (evidence.opening && (state == EndpointState::Down || state == EndpointState::Waiting)) {
        IncidentDrop drop;
        drop.at = evidence.opening->ts;
        drop.cause = evidence.opening->cause;
        drop.detail = evidence.opening->detail;
        drop.beganBefore = true;
        a.drops.append(drop);
        open = 0;
    }
    for (const Event &e : evidence.changes) {
        if (!e.state)
            continue;
        const qint64 ms = std::clamp(e.ts.toMSecsSinceEpoch(), fromMs, toMs);
        account(ms);
        at = ms;
        const EndpointState next = *e.state;
        if (next == EndpointState::Down && open < 0) {
            IncidentDrop drop;
            drop.at = e.ts;
            drop.cause = e.cause;
            drop.detail = e.detail;
            drop.upForMs = dataMs(e, u"up_for_ms"_s);
            if ((drop.boundMs = dataMs(e, u"bound_ms"_s))) {
                drop.boundFrom = IncidentSummary::tr("the drop event");
            } else if (const Event *k = keepaliveAt(evidence, e.ts);
                       k && (drop.boundMs = dataMs(*k, u"bound_ms"_s))) {
                drop.boundFrom = IncidentSummary::tr("the keepalive report of %1").arg(when(k->ts));
            }
            a.drops.append(drop);
            open = a.drops.size() - 1;
        } else if (open >= 0) {
            IncidentDrop &drop = a.drops[open];
            if (next == EndpointState::Down && state != EndpointState::Down) {
                drop.failedAttempts.append(QString::fromStdString(e.cause.name()));
            } else if (next == EndpointState::Connecting) {
                ++drop.attempts;
            } else if (next == EndpointState::Waiting) {
                if (const auto wait = dataMs(e, u"next_attempt_ms"_s))
                    drop.backoffMs.append(*wait);
            } else if (countsAsUp(next)) {
                drop.recoveredAt = e.ts;
                drop.downForMs = e.ts.toMSecsSinceEpoch() - drop.at.toMSecsSinceEpoch();
                open = -1;
            } else if (next == EndpointState::Disabled) {
                drop.stopped = true;
                open = -1;
            }
        }
        state = next;
    }
    account(toMs);
    a.closingState = state;
    return a;
}

QString incidentSummaryMarkdown(const IncidentEvidence &evidence, const IncidentBundleInfo &info)
{
    const IncidentRequest &r = evidence.request;
    const IncidentAnalysis a = analyseIncident(evidence);
    QString md;
    const QString target = info.endpoint ? info.endpoint->target() : QString();
    md += u"# "_s + IncidentSummary::tr("Incident bundle: %1").arg(r.endpoint) + u"\n\n"_s;
    if (info.endpoint)
        md += IncidentSummary::tr("Endpoint **%1**, kind %2, target `%3`.")
                  .arg(r.endpoint, endpointKindName(info.endpoint->kind), target) +
              u"\n"_s;
    md += IncidentSummary::tr("Range: %1 to %2 (UTC), %3; %4 events.")
              .arg(when(r.since), when(r.until), duration(r.since.msecsTo(r.until)))
              .arg(evidence.eventCount) +
          u"\n"_s;
    md += IncidentSummary::tr("Made %1 on %2 by Keepwatch %3.")
              .arg(when(info.createdAt), info.hostName, info.keepwatchVersion) +
          u"\n\n"_s;

    md += u"## "_s + IncidentSummary::tr("What happened") + u"\n\n"_s;
    md += IncidentSummary::tr("At the start of the range the endpoint was %1.")
              .arg(a.openingState ? stateWord(*a.openingState)
                                  : IncidentSummary::tr("in a state the log does not know")) +
          u"\n\n"_s;
    if (a.drops.isEmpty())
        md += IncidentSummary::tr("No drops in this range.") + u"\n\n"_s;
    for (const IncidentDrop &d : a.drops) {
        if (d.beganBefore)
            md += u"### "_s +
                  IncidentSummary::tr("Already down when the range begins (since %1)").arg(when(d.at)) +
                  u"\n\n"_s;
        else
            md += u"### "_s +
                  IncidentSummary::tr("%1: down (%2)")
                      .arg(when(d.at), d.cause.isNone() ? IncidentSummary::tr("no cause")
                                                        : QString::fromStdString(d.cause.name())) +
                  u"\n\n"_s;
        md += u"- "_s + IncidentSummary::tr("Cause: %1.").arg(causeInWords(d.cause)) + u"\n"_s;
        if (!d.detail.isEmpty())
            md += u"- "_s + IncidentSummary::tr("Detail: %1").arg(d.detail) + u"\n"_s;
        if (d.upForMs)
            md += u"- "_s + IncidentSummary::tr("It had been up for %1 before.").arg(duration(*d.upForMs)) +
                  u"\n"_s;
        if (d.boundMs)
            md += u"- "_s +
                  IncidentSummary::tr(
                      "Detection bound in force: %1 (from %2): a dead peer is noticed within this time.")
                      .arg(duration(*d.boundMs), d.boundFrom) +
                  u"\n"_s;
        else
            md +=
                u"- "_s +
                IncidentSummary::tr("Detection bound: not recorded (no keepalive report before the drop).") +
                u"\n"_s;
        if (!d.failedAttempts.isEmpty())
            md += u"- "_s +
                  IncidentSummary::tr("Attempts that failed: %1.").arg(d.failedAttempts.join(u", "_s)) +
                  u"\n"_s;
        QStringList waits;
        for (const qint64 w : d.backoffMs)
            waits << duration(w);
        const QString backoff = waits.isEmpty()
                                    ? IncidentSummary::tr("no backoff waits recorded")
                                    : IncidentSummary::tr("backoff waits %1").arg(waits.join(u", "_s));
        if (d.recoveredAt)
            md += u"- "_s +
                  IncidentSummary::tr("Recovered at %1 after %2 down: %3 connect attempt(s), %4.")
                      .arg(when(*d.recoveredAt), duration(d.downForMs.value_or(0)))
                      .arg(d.attempts)
                      .arg(backoff) +
                  u"\n"_s;
        else if (d.stopped)
            md += u"- "_s +
                  IncidentSummary::tr("Stopped by a user before it recovered: %1 connect attempt(s), %2.")
                      .arg(d.attempts)
                      .arg(backoff) +
                  u"\n"_s;
        else
            md += u"- "_s +
                  IncidentSummary::tr("Not recovered by the end of the range: %1 connect attempt(s), %2.")
                      .arg(d.attempts)
                      .arg(backoff) +
                  u"\n"_s;
        md += u"\n"_s;
    }
    md += IncidentSummary::tr("At the end of the range the endpoint was %1.")
              .arg(a.closingState ? stateWord(*a.closingState)
                                  : IncidentSummary::tr("in a state the log does not know")) +
          u"\n\n"_s;

    md += u"## "_s + IncidentSummary::tr("Uptime in the range") + u"\n\n"_s;
    if (const auto up = a.uptimePercent())
        md += IncidentSummary::tr("%1 % up (Up or Suspect) of %2 watched; %3 drop(s); %4 down in all.")
                  .arg(QString::number(*up, 'f', 2), duration(a.watchedMs))
                  .arg(a.drops.size())
                  .arg(duration(a.watchedMs - a.upMs)) +
              u"\n\n"_s;
    else
        md += IncidentSummary::tr(
                  "Not known: the log holds no state of the endpoint while it was watched in this range.") +
              u"\n\n"_s;

    md += u"## "_s + IncidentSummary::tr("Keepalive settings and the system defaults") + u"\n\n"_s;
    const net::SystemDefaults &sd = info.systemDefaults;
    if (evidence.keepalives.isEmpty()) {
        md += IncidentSummary::tr(
                  "The log holds no keepalive report of this endpoint in or before the range.") +
              u"\n\n"_s;
    } else {
        const Event &k = evidence.keepalives.last();
        md +=
            IncidentSummary::tr("Read back from the socket at %1: %2").arg(when(k.ts), k.detail) + u"\n\n"_s;
        md += u"| "_s + IncidentSummary::tr("option") + u" | "_s + IncidentSummary::tr("requested") +
              u" | "_s + IncidentSummary::tr("read back") + u" | "_s +
              IncidentSummary::tr("system default (where it came from)") + u" |\n|---|---|---|---|\n"_s;
        for (const QJsonValue &v : k.data.value(u"options"_s).toArray()) {
            const QJsonObject o = v.toObject();
            const QString option = o.value(u"option"_s).toString();
            const net::SourcedValue *def = systemDefaultFor(sd, option);
            md += u"| "_s + option + u" | "_s + optionValue(o, u"requested"_s) + u" | "_s +
                  optionValue(o, u"read_back"_s) + u" | "_s + (def ? sourcedText(*def) : u"–"_s) + u" |\n"_s;
        }
        md += u"\n"_s;
    }
    md += IncidentSummary::tr(
              "System defaults of %1 (%2), read when this bundle was made: idle %3, interval %4, probes %5.")
              .arg(info.hostName, QString::fromStdString(sd.platform), sourcedText(sd.keepaliveTime),
                   sourcedText(sd.keepaliveInterval), sourcedText(sd.keepaliveProbes)) +
          u"\n\n"_s;

    md += u"## "_s + IncidentSummary::tr("Files") + u"\n\n"_s;
    md += u"- `events.jsonl`, `events.csv`: "_s +
          IncidentSummary::tr("every event of the endpoint in the range") + u"\n"_s;
    md += u"- `settings.json`: "_s +
          IncidentSummary::tr("the endpoint's settings and the workspace-wide settings in force") + u"\n"_s;
    md += u"- `system-defaults.json`: "_s +
          IncidentSummary::tr("the system keepalive defaults and the keepalive read back") + u"\n"_s;
    md += u"- `tcpinfo.csv`: "_s + IncidentSummary::tr("%1 TCP_INFO samples").arg(evidence.tcpInfo.size()) +
          u"\n"_s;
    md += u"- `timeline.png`: "_s +
          (info.timelinePng.isEmpty() ? IncidentSummary::tr("not included: %1").arg(info.timelineNote)
                                      : IncidentSummary::tr("the timeline of the range")) +
          u"\n"_s;
    md += u"- `manifest.json`: "_s +
          IncidentSummary::tr("version, host, range and the SHA-256 of every file") + u"\n\n"_s;
    md += IncidentSummary::tr(
              "Secrets are excluded: the workspace holds only the names of environment variables that hold "
              "passwords and tokens, never their values, and WebSocket header values are left out.") +
          u"\n"_s;
    return md;
}

} // namespace kw
