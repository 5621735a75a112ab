#pragma once

#include "endpointconfig.h"
#include "endpointstate.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

#include <chrono>
#include <memory>
#include <optional>

namespace kw {

struct EndpointStats
{
    double uptimeSessionPercent = 0; // since the engine started watching
    double uptime1hPercent = 0;
    double uptime24hPercent = 0;
    int reconnects = 0;
    std::optional<std::chrono::milliseconds> mttr; // mean time to repair (down -> up)
    std::optional<std::chrono::milliseconds> mtbf; // mean time between failures (up -> down)
    bool flapping = false;
    QString lastDropCause; // the most recent Down, kept after the endpoint recovers
    QDateTime lastDropAt;  // UTC; invalid when it never went down
};

// What the window, tray, CLI printer and /metrics see of one endpoint. An
// immutable copy: nothing here points back into the engine.
struct EndpointSnapshot
{
    QString name;
    EndpointKind kind = EndpointKind::Tcp;
    QString target; // "host:port", or "listen 127.0.0.1:7000"
    bool enabled = true;
    EndpointState state = EndpointState::Disabled;
    QString cause;         // cause of the last Down (kept while Waiting/Connecting)
    QString detail;        // human text for the current state
    QDateTime since;       // when the current state began (UTC)
    QDateTime nextAttempt; // Waiting: when the next connect starts
    std::optional<double> lastRttMs;
    QString lastRttSource;
    QString keepalive;      // effective keepalive read back from the socket, one line
    QString detectionBound; // e.g. "silent peer: 5 s; unacked data: 3 s"
    double phi = 0;
    int peers = 0; // kind listen: peers currently connected
    QString tls;   // what was negotiated: "TLSv1.3, TLS_AES_256_GCM_SHA384; peer CN=...; expires ..."
    std::optional<int> tlsDaysLeft; // until the server's certificate expires
    bool tlsExpiryWarning = false;  // tlsDaysLeft is within tls.warn_expiry_days
    bool tlsInsecure = false;       // TLS without verification, as the workspace asked
    EndpointStats stats;
};

struct Snapshot
{
    quint64 generation = 0;
    QDateTime taken;
    QList<EndpointSnapshot> endpoints; // in workspace order
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

} // namespace kw

Q_DECLARE_METATYPE(kw::SnapshotPtr)
