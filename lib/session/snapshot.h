#pragma once

#include "endpointconfig.h"
#include "endpointstate.h"
#include "latenesssummary.h"

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
    // No verdict (Up, Suspect, Down) yet since the watch started: nothing is counted, and the
    // uptime percentages mean nothing; the window shows a dash rather than 0 %.
    bool uptimePending = false;

    bool operator==(const EndpointStats &other) const = default;
};

// One device watched through an MQTT broker (workspace "mqtt.watch"): a topic that matched a watch
// filter. Its state is its own: a silent device is not a broker that is down.
struct DeviceSnapshot
{
    enum class State {
        Awaiting, // known (a retained message, or seen before the broker dropped), nothing fresh yet
        Up,       // a fresh message within the watch's timeout
        Silent,   // nothing fresh within the timeout: cause device-silent
        Will,     // the broker published the device's Will: cause device-will
    };
    QString topic; // "devices/a17/heartbeat"
    QString id;    // the levels the filter's wildcards matched: "a17"
    QString watch; // the filter it matched
    State state = State::Awaiting;
    QDateTime since;       // when this state began (UTC)
    QDateTime lastMessage; // the last message of any kind (UTC); invalid when none
    bool lastRetained = false;
    QString preview; // the start of the last payload, printable
    qint64 messages = 0;
};

QString deviceStateName(DeviceSnapshot::State state); // "awaiting", "up", "silent", "will"

// The MQTT session of a kind mqtt endpoint as the broker accepted it.
struct MqttSnapshot
{
    QString version;   // "3.1.1" or "5"
    QString transport; // "tcp", "tls", "ws", "wss"
    QString clientId;  // the one in force (assigned by the broker when it said so)
    int requestedKeepAliveS = 0;
    int effectiveKeepAliveS = 0; // the broker's Server Keep Alive when it sent one (5.0)
    bool serverKeepAlive = false;
    int pingTimeoutMs = 0;
    bool sessionPresent = false;
    QString brokerLimits; // 5.0 CONNACK properties worth reading: "max packet 1 MB, receive max 20"
    int pingsOutstanding = 0;
    // Devices: counts always; the table itself shared and rebuilt at most every few seconds.
    int devicesUp = 0;
    int devicesSilent = 0;
    int devicesWill = 0;
    int devicesAwaiting = 0;
    // Silent, will, awaiting, then up; within each in the order first seen.
    std::shared_ptr<const QList<DeviceSnapshot>> devices;
    QStringList watchProblems; // a subscription the broker refused, with its reason

    // The device table compares by identity: it is shared, and rebuilt rather than edited.
    bool operator==(const MqttSnapshot &other) const = default;
};

// What the window, tray, CLI printer and /metrics see of one endpoint. An
// immutable copy: nothing here points back into the engine.
struct EndpointSnapshot
{
    QString name;
    // Moves whenever anything else in the row does, so a reader can skip an unchanged row by one
    // comparison (the endpoint list at 10,000 rows); 0 when the producer keeps none: compare the fields.
    // The Monitor numbers rows from one counter: a row of another session never reuses a revision.
    quint64 revision = 0;
    EndpointKind kind = EndpointKind::Tcp;
    QString target;   // "host:port", or "listen 127.0.0.1:7000"
    QStringList tags; // the workspace's "tags", in its order
    bool enabled = true;
    EndpointState state = EndpointState::Disabled;
    QString cause;         // cause of the last Down (kept while Waiting/Connecting)
    QString detail;        // human text for the current state
    QDateTime since;       // when the current state began (UTC)
    QDateTime nextAttempt; // Waiting: when the next connect starts
    std::optional<double> lastRttMs;
    QString lastRttSource;
    // The sample's reply was timed by the kernel's receive stamp (SO_TIMESTAMPING), not by the engine's
    // clock when it read the bytes: what the engine's own lateness adds is not in it.
    bool lastRttKernelStamped = false;
    QString keepalive;      // effective keepalive read back from the socket, one line
    QString detectionBound; // e.g. "silent peer: 5 s; unacked data: 3 s"
    double phi = 0;         // to the tenth (the precision shown), so a calm endpoint's row stays unchanged
    int peers = 0;          // kind listen: peers currently connected
    QString tls; // what was negotiated: "TLSv1.3, TLS_AES_256_GCM_SHA384; peer CN=...; expires ..."
    std::optional<int> tlsDaysLeft; // until the server's certificate expires
    bool tlsExpiryWarning = false;  // tlsDaysLeft is within tls.warn_expiry_days
    bool tlsInsecure = false;       // TLS without verification, as the workspace asked
    // Kind mqtt only: shared and immutable (a row of another kind carries a null pointer, not 184
    // bytes of empty MQTT fields), and the same object while nothing in it changes.
    std::shared_ptr<const MqttSnapshot> mqtt;
    EndpointStats stats;
};

struct Snapshot
{
    quint64 generation = 0;
    QDateTime taken;
    QList<EndpointSnapshot> endpoints; // in workspace order
    quint64 logWriteErrors = 0;        // failed writes of the event log since the engine started
    // The engine's own lateness over the last minute (EngineTimers): timer callbacks run after their
    // coalesced deadline, and received bytes left waiting in their socket. Beside an RTT it tells the
    // network's latency from the monitor's load (enginelatenesstext.h).
    LatenessFigures timerLateness;
    LatenessFigures socketLateness;
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

} // namespace kw

Q_DECLARE_METATYPE(kw::SnapshotPtr)
