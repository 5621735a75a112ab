#pragma once

#include "event.h"
#include "snapshot.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace kw {

// What /metrics shows (docs/metrics.md): fed on the GUI thread with the engine's snapshots and event
// batches, it keeps the cumulative counters the snapshot does not (drops and reconnects by cause, RTT
// histograms by source, events by kind) and renders the Prometheus text format from the latest
// snapshot. Pure: no socket, no timer, no clock of its own (render() is told the time).
//
// Cardinality is bounded by the workspace: one series per endpoint per label value, and every label
// value other than endpoint and target comes from a fixed set. States are the six of EndpointState;
// causes are the closed set of lib/net/cause.h without their reason ("ws-close", not "ws-close:1001");
// RTT sources are connect, heartbeat, tcpinfo, mqtt-ping, ws-ping, and "other" for anything else.
// Events for names that are not endpoints of the latest snapshot (a listener's peers) are not
// counted per endpoint.
class MetricsRegistry final
{
public:
    // Upper bounds of the RTT histogram, in seconds: 0.1 ms to 10 s, roughly 1-2.5-5 per decade.
    static constexpr std::array<double, 16> kRttBucketsSeconds{
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    };
    static constexpr std::array<const char *, 6> kRttSources{"connect",   "heartbeat", "tcpinfo",
                                                             "mqtt-ping", "ws-ping",   "other"};

    explicit MetricsRegistry(QString version);

    void addSnapshot(const SnapshotPtr &snapshot);
    void addEvents(const QList<Event> &events);

    // The exposition at `now` (seconds in state are counted to it).
    QByteArray render(const QDateTime &now) const;

    SnapshotPtr latestSnapshot() const { return m_snapshot; }

    // The label value a cause name collapses to: its code without the reason; "other" for a name
    // this version does not know, "none" for the empty name.
    static QByteArray causeLabel(const QString &causeName);

private:
    struct Histogram
    {
        std::array<std::uint64_t, kRttBucketsSeconds.size()> buckets{}; // not cumulative here
        std::uint64_t count = 0;
        double sum = 0;
    };
    struct CauseCount
    {
        int cause; // CauseCode as int
        std::uint64_t count;
    };
    struct Keepalive
    {
        std::optional<bool> enabled;
        std::optional<double> idleSeconds;
        std::optional<double> intervalSeconds;
        std::optional<double> probes;
        std::optional<double> userTimeoutSeconds;
        std::optional<double> silentPeerBoundSeconds;
        std::optional<double> unackedBoundSeconds;
    };
    struct Entry
    {
        QByteArray labels; // endpoint, kind, target: escaped once per change
        QString target;
        EndpointKind kind = EndpointKind::Tcp;
        std::optional<EndpointState> lastState;
        std::optional<int> pendingDropCause; // a drop not yet repaired
        std::vector<CauseCount> drops;
        std::vector<CauseCount> connectFailures;
        std::vector<CauseCount> reconnects;
        std::array<std::optional<Histogram>, kRttSources.size()> rtt;
        Keepalive keepalive;
        std::optional<double> certExpiry; // unix seconds
    };

    void addEvent(Entry &entry, const Event &event);
    static void count(std::vector<CauseCount> &counts, int cause);
    static qsizetype sourceIndex(const QString &source);

    QString m_version;
    SnapshotPtr m_snapshot;
    QHash<QString, Entry> m_entries;
    std::array<std::uint64_t, 6> m_eventsByKind{}; // EventKind
    std::uint64_t m_logWriteErrors = 0;            // the latest snapshot's
    mutable qsizetype m_lastRenderSize = 0;        // what to reserve for the next render
};

} // namespace kw
