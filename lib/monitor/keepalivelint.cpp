#include "keepalivelint.h"

#include <QCoreApplication>
#include <QHash>

#include <algorithm>
#include <cmath>

namespace kw {

// The translation context of the lint's messages (lupdate files them under "kw::KeepaliveLint").
class KeepaliveLint
{
    Q_DECLARE_TR_FUNCTIONS(kw::KeepaliveLint)
};

namespace {

using namespace Qt::StringLiterals;
using std::chrono::duration_cast;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Vista and later on the SIO_KEEPALIVE_VALS path (lib/net/keepalive_windows.cpp).
constexpr int kWindowsProbeCount = 10;

QString secondsText(milliseconds value)
{
    return QString::number(double(value.count()) / 1000.0, 'g', 10);
}

long long wholeSecondsDown(milliseconds value)
{
    return duration_cast<seconds>(value).count();
}

// The keepalive a socket of this endpoint gets: the engine's normalisation (a timing turns keepalive on),
// unset values from the system defaults, as net::detectionBound() fills them.
struct Keepalive
{
    bool enabled = false;
    std::optional<milliseconds> idle;
    bool idleFromSystem = false;
    QString idleSource;
    std::optional<milliseconds> interval;
    std::optional<int> count;
    std::optional<milliseconds> userTimeout; // > 0 only

    std::optional<milliseconds> bound() const
    {
        if (!enabled || !idle || !interval || !count)
            return std::nullopt;
        return *idle + *interval * *count;
    }
};

Keepalive effectiveKeepalive(const net::TcpKeepaliveSettings &settings, const net::SystemDefaults &defaults)
{
    const net::TcpKeepaliveSettings s = settings.normalized();
    Keepalive k;
    k.enabled = s.enabled.value_or(false);
    if (s.idle) {
        k.idle = milliseconds(*s.idle);
    } else {
        k.idle = defaults.keepaliveTime.duration();
        k.idleFromSystem = true;
        k.idleSource = QString::fromStdString(defaults.keepaliveTime.source);
    }
    k.interval =
        s.interval ? std::optional<milliseconds>(*s.interval) : defaults.keepaliveInterval.duration();
    if (s.count)
        k.count = *s.count;
    else if (defaults.platform == net::kPlatformWindows)
        k.count = kWindowsProbeCount;
    else if (defaults.keepaliveProbes.value)
        k.count = int(*defaults.keepaliveProbes.value);
    if (s.userTimeout && s.userTimeout->count() > 0)
        k.userTimeout = *s.userTimeout;
    return k;
}

// The application's own traffic on an idle connection: how often something is sent (heartbeat, WebSocket
// ping, MQTT PINGREQ), the longest silence the protocol allows, and the key that sets it.
struct AppTraffic
{
    milliseconds every{0};
    milliseconds longestSilence{0};
    QString key;
    QString what;
    LintRule rule = LintRule::HeartbeatAboveMiddlebox;
};

std::optional<AppTraffic> appTraffic(const EndpointConfig &e)
{
    switch (e.kind) {
    case EndpointKind::Tcp:
    case EndpointKind::Listen:
        if (e.heartbeat && e.heartbeat->interval.count() > 0)
            return AppTraffic{e.heartbeat->interval, e.heartbeat->interval, u"heartbeat.interval_s"_s,
                              KeepaliveLint::tr("the heartbeat"), LintRule::HeartbeatAboveMiddlebox};
        break;
    case EndpointKind::WebSocket:
        if (e.websocket.pingInterval.count() > 0)
            return AppTraffic{e.websocket.pingInterval, e.websocket.pingInterval,
                              u"websocket.ping_interval_s"_s, KeepaliveLint::tr("the WebSocket ping"),
                              LintRule::WebSocketPingAboveMiddlebox};
        break;
    case EndpointKind::Mqtt:
        // MQTT 3.1.1 and 5.0 section 3.1.2.10: the server allows one and a half times the keep alive
        // without a control packet before it closes the connection, so a client may be that quiet.
        if (e.mqtt.keepAlive.count() > 0)
            return AppTraffic{milliseconds(e.mqtt.keepAlive), milliseconds(e.mqtt.keepAlive) * 3 / 2,
                              u"mqtt.keepalive_s"_s, KeepaliveLint::tr("MQTT keep alive"),
                              LintRule::MqttKeepAliveAboveMiddlebox};
        break;
    }
    return std::nullopt;
}

LintFinding finding(const EndpointConfig &e, LintRule rule, LintSeverity severity, const QString &key,
                    const QString &reason, const QString &fix)
{
    return LintFinding{rule, severity, e.name, key, reason, fix, {e.name}};
}

void lintMiddlebox(const EndpointConfig &e, const Keepalive &k, const std::optional<AppTraffic> &app,
                   const std::optional<PathHint> &hint, QList<LintFinding> &out)
{
    if (hint && hint->isNone())
        return;
    const Middlebox &common = shortestCommonMiddlebox();
    const seconds timeout = hint ? *hint->idleTimeout : common.idleTimeout;
    const QString name = hint ? hint->name : common.name;
    const seconds limit = middleboxSilenceLimit(timeout);
    const LintSeverity severity = hint ? LintSeverity::Warning : LintSeverity::Info;
    const QString assumed =
        hint ? QString()
             : KeepaliveLint::tr(
                   " No \"path\" is set, so this is checked against the shortest common timeout, "
                   "%1's %2 s; set \"path\" to what is between Keepwatch and the peer (or "
                   "\"none\") to check against that instead.")
                   .arg(common.name)
                   .arg(common.idleTimeout.count());
    const bool keepaliveSends = k.enabled && k.idle;
    const milliseconds keepaliveSilence = keepaliveSends ? *k.idle : milliseconds::max();
    const milliseconds appSilence = app ? app->longestSilence : milliseconds::max();
    const milliseconds silence = std::min(keepaliveSilence, appSilence);
    if (silence == milliseconds::max() || silence <= milliseconds(limit))
        return;
    const QString forgets = KeepaliveLint::tr("%1 forgets an idle connection after %2 s, usually without "
                                              "telling either end, so the next packet is dropped or reset.")
                                .arg(name)
                                .arg(timeout.count());

    if (keepaliveSilence <= appSilence) {
        const QString appText = app ? KeepaliveLint::tr(" %1 (every %2 s) does not come sooner either.")
                                          .arg(app->what, secondsText(app->every))
                                    : QString();
        if (k.idleFromSystem) {
            out << finding(e, LintRule::KeepaliveDefaultIdle, severity, u"keepalive.idle_s"_s,
                           KeepaliveLint::tr("Keepalive is on but keepalive.idle_s is unset, so the system "
                                             "default of %1 s applies (%2): the first probe comes after "
                                             "%1 s of silence. %3%4%5")
                               .arg(secondsText(*k.idle), k.idleSource, forgets, appText, assumed),
                           KeepaliveLint::tr("set keepalive.idle_s to %1 or less").arg(limit.count()));
        } else {
            out << finding(e, LintRule::KeepaliveIdleAboveMiddlebox, severity, u"keepalive.idle_s"_s,
                           KeepaliveLint::tr("The first keepalive probe comes after %1 s of silence. %2%3%4")
                               .arg(secondsText(*k.idle), forgets, appText, assumed),
                           KeepaliveLint::tr("set keepalive.idle_s to %1 or less").arg(limit.count()));
        }
        return;
    }

    const QString keepaliveText =
        keepaliveSends ? KeepaliveLint::tr("keepalive idle is %1 s, longer still").arg(secondsText(*k.idle))
                       : KeepaliveLint::tr("keepalive is off");
    if (app->rule == LintRule::MqttKeepAliveAboveMiddlebox) {
        const long long keepAlive = std::max<long long>(1, limit.count() * 2 / 3);
        out << finding(
            e, app->rule, severity, app->key,
            KeepaliveLint::tr("The broker accepts 1.5 × keep alive = %1 s without a packet (MQTT "
                              "section 3.1.2.10), and %2. %3%4")
                .arg(secondsText(app->longestSilence), keepaliveText, forgets, assumed),
            KeepaliveLint::tr("set mqtt.keepalive_s to %1 or less, or keepalive.idle_s to %2 or less")
                .arg(keepAlive)
                .arg(limit.count()));
        return;
    }
    out << finding(e, app->rule, severity, app->key,
                   KeepaliveLint::tr("%1 every %2 s is the only traffic on an idle connection (%3). %4%5")
                       .arg(app->what, secondsText(app->every), keepaliveText, forgets, assumed),
                   KeepaliveLint::tr("set %1 to %2 or less, or turn keepalive on with keepalive.idle_s %2 or "
                                     "less")
                       .arg(app->key)
                       .arg(limit.count()));
}

void lintWastedProbes(const EndpointConfig &e, const Keepalive &k, const std::optional<AppTraffic> &app,
                      const std::optional<PathHint> &hint, QList<LintFinding> &out)
{
    if (!k.enabled || !k.idle || !app || k.idle->count() <= 0)
        return;
    // Probes are not wasted while the path needs them: cap the heartbeat's period at the path's limit.
    milliseconds useful = app->every;
    bool assumed = false;
    if (!hint || !hint->isNone()) {
        const seconds timeout = hint ? *hint->idleTimeout : shortestCommonMiddlebox().idleTimeout;
        const milliseconds limit(middleboxSilenceLimit(timeout));
        if (limit < useful) {
            useful = limit;
            assumed = !hint;
        }
    }
    if (useful <= *k.idle * kWastedProbeRatio)
        return;
    const long long between = (app->every.count() + k.idle->count() - 1) / k.idle->count() - 1;
    out << finding(
        e, LintRule::WastedProbes, assumed ? LintSeverity::Info : LintSeverity::Warning,
        u"keepalive.idle_s"_s,
        KeepaliveLint::tr("Keepalive idle %1 s is far shorter than %2 every %3 s: about %4 probes go out "
                          "between two of its messages, each asking what the next one answers anyway.")
            .arg(secondsText(*k.idle), app->what, secondsText(app->every))
            .arg(between),
        KeepaliveLint::tr("set keepalive.idle_s to %1 (probes then fill only a gap %2 leaves)")
            .arg(wholeSecondsDown(useful))
            .arg(app->what));
}

void lintNothingSent(const EndpointConfig &e, const Keepalive &k, const std::optional<AppTraffic> &app,
                     QList<LintFinding> &out)
{
    if (k.enabled || app || (e.kind != EndpointKind::Tcp && e.kind != EndpointKind::Listen))
        return;
    const seconds limit = middleboxSilenceLimit(shortestCommonMiddlebox().idleTimeout);
    out << finding(e, LintRule::NothingKeepsPathAlive, LintSeverity::Warning, u"keepalive"_s,
                   KeepaliveLint::tr("Keepalive is off and no heartbeat is set: nothing is sent on an idle "
                                     "connection, so a peer that vanishes silently is never noticed, and a "
                                     "NAT or load balancer on the path drops the connection unseen."),
                   KeepaliveLint::tr("set keepalive.idle_s (%1 fits every common path), or add a heartbeat")
                       .arg(limit.count()));
}

void lintPlatform(const EndpointConfig &e, const Keepalive &k, const net::SystemDefaults &defaults,
                  QList<LintFinding> &out)
{
    const bool windows = defaults.platform == net::kPlatformWindows;
    const bool macos = defaults.platform == net::kPlatformMacOs;
    const std::optional<int> asked = e.keepalive.count;
    // A note, not a warning: Windows 10 1703 and later honour TCP_KEEPCNT (the engine finds out at run
    // time), so only older Windows and Wine send 10 probes whatever the count says.
    if (windows && k.enabled && asked && *asked != kWindowsProbeCount && k.idle && k.interval) {
        const milliseconds askedBound = *k.idle + *k.interval * *asked;
        const milliseconds windowsBound = *k.idle + *k.interval * kWindowsProbeCount;
        const long long interval =
            std::max<long long>(1, wholeSecondsDown((askedBound - *k.idle) / kWindowsProbeCount));
        out << finding(
            e, LintRule::WindowsFixedCount, LintSeverity::Info, u"keepalive.count"_s,
            KeepaliveLint::tr("Windows before 10 version 1703 (and Wine) ignores the probe count and "
                              "always sends %1 probes: there a silent peer is found after %2 s, not "
                              "the %3 s that keepalive.count %4 asks for.")
                .arg(kWindowsProbeCount)
                .arg(secondsText(windowsBound), secondsText(askedBound))
                .arg(*asked),
            KeepaliveLint::tr("set keepalive.count to %1 and keepalive.interval_s to %2, which holds "
                              "on every Windows")
                .arg(kWindowsProbeCount)
                .arg(interval));
    }
    if ((windows || macos) && k.userTimeout && k.userTimeout->count() % 1000 != 0) {
        const long long rounded = (k.userTimeout->count() + 999) / 1000;
        out << finding(
            e, LintRule::UserTimeoutRounded, LintSeverity::Info, u"keepalive.user_timeout_ms"_s,
            KeepaliveLint::tr("%1 takes the user timeout in whole seconds (%2): %3 ms becomes %4 s.")
                .arg(QString::fromLatin1(windows ? net::kPlatformWindows : net::kPlatformMacOs),
                     windows ? u"TCP_MAXRT"_s : u"TCP_RXT_CONNDROPTIME"_s)
                .arg(k.userTimeout->count())
                .arg(rounded),
            KeepaliveLint::tr("set keepalive.user_timeout_ms to %1").arg(rounded * 1000));
    }
    // tcp_keepalive_timer() (net/ipv4/tcp_timer.c): with a user timeout the count is ignored and the
    // connection dies at the first probe tick at or after the user timeout since the last packet received.
    const std::optional<milliseconds> bound = k.bound();
    if (defaults.platform != net::kPlatformLinux || !k.userTimeout || !bound)
        return;
    const long long step = std::max<long long>(k.interval->count(), 1);
    const long long ticks =
        std::max<long long>(1, (k.userTimeout->count() - k.idle->count() + step - 1) / step);
    if (ticks < *k.count) {
        const QString consequence =
            ticks == 1 ? KeepaliveLint::tr("one lost probe drops a healthy connection")
                       : KeepaliveLint::tr("%1 lost probes in a row drop a healthy connection").arg(ticks);
        out << finding(
            e, LintRule::UserTimeoutCutsProbes, LintSeverity::Warning, u"keepalive.user_timeout_ms"_s,
            KeepaliveLint::tr("On Linux a user timeout replaces the probe count: %1 ms is shorter than "
                              "the keepalive bound of %2 s (idle + interval × count) by a probe "
                              "interval or more, so only %3 of the %4 probes go out before the "
                              "connection is dropped: %5.")
                .arg(k.userTimeout->count())
                .arg(secondsText(*bound))
                .arg(ticks)
                .arg(*k.count)
                .arg(consequence),
            KeepaliveLint::tr("set keepalive.user_timeout_ms to %1 or more (idle + interval × count)")
                .arg(bound->count()));
    }
}

} // namespace

QString lintSeverityName(LintSeverity severity)
{
    return severity == LintSeverity::Warning ? u"warning"_s : u"info"_s;
}

QString lintRuleName(LintRule rule)
{
    switch (rule) {
    case LintRule::KeepaliveIdleAboveMiddlebox:
        return u"keepalive-idle-above-middlebox"_s;
    case LintRule::KeepaliveDefaultIdle:
        return u"keepalive-default-idle"_s;
    case LintRule::HeartbeatAboveMiddlebox:
        return u"heartbeat-above-middlebox"_s;
    case LintRule::WebSocketPingAboveMiddlebox:
        return u"websocket-ping-above-middlebox"_s;
    case LintRule::MqttKeepAliveAboveMiddlebox:
        return u"mqtt-keepalive-above-middlebox"_s;
    case LintRule::NothingKeepsPathAlive:
        return u"nothing-keeps-path-alive"_s;
    case LintRule::WastedProbes:
        return u"wasted-probes"_s;
    case LintRule::HeartbeatFlood:
        return u"heartbeat-flood"_s;
    case LintRule::WindowsFixedCount:
        return u"windows-fixed-count"_s;
    case LintRule::UserTimeoutCutsProbes:
        return u"user-timeout-cuts-probes"_s;
    case LintRule::UserTimeoutRounded:
        return u"user-timeout-rounded"_s;
    }
    return {};
}

seconds middleboxSilenceLimit(seconds timeout)
{
    const seconds margin = std::max(seconds(10), timeout / 20);
    return std::max(seconds(1), timeout - margin);
}

std::optional<PathHint> workspacePathHint(const Workspace &workspace)
{
    if (!workspace.raw.contains(u"path"_s))
        return std::nullopt;
    return pathHintFromJson(workspace.raw.value(u"path"_s), nullptr);
}

std::optional<PathHint> endpointPathHint(const EndpointConfig &endpoint,
                                         const std::optional<PathHint> &workspace)
{
    if (endpoint.raw.contains(u"path"_s)) {
        if (auto own = pathHintFromJson(endpoint.raw.value(u"path"_s), nullptr))
            return own;
    }
    return workspace;
}

QList<LintFinding> lintEndpoint(const EndpointConfig &endpoint, const std::optional<PathHint> &workspacePath,
                                const net::SystemDefaults &defaults)
{
    QList<LintFinding> out;
    const Keepalive k = effectiveKeepalive(endpoint.keepalive, defaults);
    const std::optional<AppTraffic> app = appTraffic(endpoint);
    const std::optional<PathHint> hint = endpointPathHint(endpoint, workspacePath);
    lintNothingSent(endpoint, k, app, out);
    lintMiddlebox(endpoint, k, app, hint, out);
    lintWastedProbes(endpoint, k, app, hint, out);
    lintPlatform(endpoint, k, defaults, out);
    // A disabled endpoint sends nothing yet: what would go wrong once it is enabled is worth a note,
    // not a failed `check --strict`.
    if (!endpoint.enabled) {
        for (LintFinding &f : out) {
            f.severity = LintSeverity::Info;
            f.reason += KeepaliveLint::tr(" (The endpoint is disabled.)");
        }
    }
    return out;
}

QList<LintFinding> lintFloods(const QList<EndpointConfig> &endpoints, const net::SystemDefaults &defaults)
{
    struct Host
    {
        QString name; // as the first endpoint spells it
        double packetsPerSecond = 0;
        QList<std::pair<double, QString>> members;
    };
    QList<Host> hosts;
    QHash<QString, qsizetype> index;
    for (const EndpointConfig &e : endpoints) {
        // A listener's peers decide how often they send; disabled endpoints send nothing.
        if (!e.enabled || e.kind == EndpointKind::Listen || e.host.isEmpty())
            continue;
        const Keepalive k = effectiveKeepalive(e.keepalive, defaults);
        const std::optional<AppTraffic> app = appTraffic(e);
        milliseconds every = milliseconds::max();
        if (k.enabled && k.idle && k.idle->count() > 0)
            every = *k.idle;
        if (app)
            every = std::min(every, app->every);
        if (every == milliseconds::max())
            continue;
        // One message and its answer per period: a heartbeat and its reply, a probe and its ACK.
        const double rate = 2000.0 / double(std::max<long long>(every.count(), 1));
        const QString key = e.host.toLower();
        auto found = index.constFind(key);
        if (found == index.constEnd()) {
            found = index.insert(key, hosts.size());
            hosts.append(Host{e.host, 0, {}});
        }
        Host &host = hosts[*found];
        host.packetsPerSecond += rate;
        host.members.append({rate, e.name});
    }

    QList<LintFinding> out;
    for (Host &host : hosts) {
        // A sum of 500 fifths is not exactly 100 in binary: compare with a little room.
        if (host.members.size() < 2 || host.packetsPerSecond <= kFloodPacketsPerSecond + 1e-6)
            continue;
        std::stable_sort(host.members.begin(), host.members.end(),
                         [](const auto &a, const auto &b) { return a.first > b.first; });
        QStringList names;
        for (const auto &member : std::as_const(host.members))
            names << member.second;
        const qsizetype shown = std::min<qsizetype>(3, names.size());
        const QString busiest = names.mid(0, shown).join(u", "_s);
        const long long needed =
            static_cast<long long>(std::ceil(2.0 * double(names.size()) / kFloodPacketsPerSecond));
        LintFinding f;
        f.rule = LintRule::HeartbeatFlood;
        f.severity = LintSeverity::Warning;
        f.key = u"endpoints"_s;
        f.members = names;
        f.reason = KeepaliveLint::tr("%1 endpoints to %2 send about %3 packets per second of heartbeats and "
                                     "probes (each with its answer), more than the %4 that tell anything "
                                     "about one host; the busiest: %5.")
                       .arg(names.size())
                       .arg(host.name)
                       .arg(std::round(host.packetsPerSecond))
                       .arg(kFloodPacketsPerSecond)
                       .arg(busiest);
        f.fix = KeepaliveLint::tr("lengthen their heartbeat intervals (and keepalive.idle_s) to %1 s or more "
                                  "each, or watch %2 from fewer endpoints")
                    .arg(needed)
                    .arg(host.name);
        out << f;
    }
    return out;
}

QList<LintFinding> lintWorkspace(const Workspace &workspace, const net::SystemDefaults &defaults)
{
    QList<LintFinding> out;
    const std::optional<PathHint> path = workspacePathHint(workspace);
    for (const EndpointConfig &endpoint : workspace.endpoints)
        out << lintEndpoint(endpoint, path, defaults);
    out << lintFloods(workspace.endpoints, defaults);
    return out;
}

} // namespace kw
