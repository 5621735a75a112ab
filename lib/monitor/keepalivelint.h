#pragma once

// Keepalive and heartbeat lint: settings that are valid but will not do what the user expects on the
// path or the platform (a NAT that forgets the connection before the first probe, probes wasted under a
// heartbeat, a flood of heartbeats to one host, a probe count Windows does not honour). Pure and cheap:
// no socket, no file, no clock, so `keepwatch check` and the endpoint dialog run the same rules, the
// dialog on every edit. docs/keepalive.md lists the rules.

#include "middleboxtimeouts.h"
#include "systemdefaults.h"
#include "workspace.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

namespace kw {

enum class LintSeverity {
    Info,    // worth knowing; also every middlebox check made without a "path" to check against
    Warning, // the setting will not do what it is for; `keepwatch check --strict` fails on it
};

enum class LintRule {
    KeepaliveIdleAboveMiddlebox, // keepalive.idle_s: the path forgets the connection before the first probe
    KeepaliveDefaultIdle,        // keepalive.idle_s unset: the system default (7200 s) is too long
    HeartbeatAboveMiddlebox,     // heartbeat.interval_s slower than the path's timeout, nothing faster
    WebSocketPingAboveMiddlebox, // websocket.ping_interval_s, likewise
    MqttKeepAliveAboveMiddlebox, // mqtt.keepalive_s: 1.5 x keep alive beyond the path's timeout
    NothingKeepsPathAlive,       // keepalive: no keepalive and no heartbeat; a silent peer is never noticed
    WastedProbes,                // keepalive.idle_s far below the heartbeat's period
    HeartbeatFlood,              // many endpoints at short intervals to one host (workspace-wide)
    WindowsFixedCount,           // keepalive.count: Windows before 10 1703 always sends 10 probes
    UserTimeoutCutsProbes,       // keepalive.user_timeout_ms below the keepalive bound (Linux)
    UserTimeoutRounded,          // keepalive.user_timeout_ms in whole seconds on Windows and macOS
};

// "info" / "warning"; "keepalive-idle-above-middlebox", ...: the names `check --json` prints.
QString lintSeverityName(LintSeverity severity);
QString lintRuleName(LintRule rule);

struct LintFinding
{
    LintRule rule = LintRule::KeepaliveIdleAboveMiddlebox;
    LintSeverity severity = LintSeverity::Warning;
    QString endpoint;    // the endpoint's name; empty for a workspace-wide finding (floods)
    QString key;         // the workspace key it is about, as in the file: "keepalive.idle_s"
    QString reason;      // what goes wrong, with the numbers
    QString fix;         // what to set, in the workspace's terms: "set keepalive.idle_s to 228 or less"
    QStringList members; // floods: the endpoints that share the host; else the endpoint itself

    bool operator==(const LintFinding &) const = default;
};

// Heartbeats (request and answer: 2 packets) per second to one host above which the lint calls it a
// flood: 50 heartbeats a second, e.g. 50 endpoints at 1 s or 500 at 10 s. Endpoints to the same host
// mostly share one path and answer one liveness question; past this rate more of them add load (a few
// hundred packets a second is a measurable share of what a small broker or an embedded device handles,
// and the rate at which per-source rate limits commonly start) without telling anything new.
inline constexpr double kFloodPacketsPerSecond = 100.0;
// A keepalive idle at most 1/kWastedProbeRatio of the heartbeat's period sends several probes between
// two heartbeats (3 or more at 4): each answers a question the next heartbeat answers anyway.
inline constexpr int kWastedProbeRatio = 4;

// The longest silence `timeout` tolerates with a safety margin: 5 % of it, at least 10 s. Middlebox
// timers are coarse (Azure counts minutes) and start at a packet we do not see; a probe sent exactly at
// the timeout races the expiry. RFC 5382's 2 h 4 min over the 2 h default leaves 4 min for the same reason.
std::chrono::seconds middleboxSilenceLimit(std::chrono::seconds timeout);

// The "path" hint of the workspace (top level) and of one endpoint (its own, else the workspace's),
// read from the raw JSON the loader checked (middleboxtimeouts.h).
std::optional<PathHint> workspacePathHint(const Workspace &workspace);
std::optional<PathHint> endpointPathHint(const EndpointConfig &endpoint,
                                         const std::optional<PathHint> &workspace);

// The findings about one endpoint on its own, on defaults.platform with these system defaults.
QList<LintFinding> lintEndpoint(const EndpointConfig &endpoint, const std::optional<PathHint> &workspacePath,
                                const net::SystemDefaults &defaults);
// The workspace-wide findings: heartbeat floods per host.
QList<LintFinding> lintFloods(const QList<EndpointConfig> &endpoints, const net::SystemDefaults &defaults);
// Everything: each endpoint in file order, then the floods.
QList<LintFinding> lintWorkspace(const Workspace &workspace, const net::SystemDefaults &defaults);

} // namespace kw
