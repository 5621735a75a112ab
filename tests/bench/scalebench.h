#pragma once

#include "event.h"
#include "sidebyside.h"
#include "snapshot.h"
#include "stallprobe.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QProcess>
#include <QString>

#include <chrono>
#include <deque>
#include <functional>
#include <optional>

namespace kw {
class Engine;
}

namespace kw::bench {

// The extra endpoint whose peer the benchmark pauses (SIGSTOP): heartbeat 1 s x 3 misses.
inline QString pausedEndpointName()
{
    return u"paused-peer"_qs;
}

struct BenchOptions
{
    int endpoints = 1000;
    int ports = 8; // listening ports the peers spread the connections over
    std::chrono::milliseconds heartbeat{5000};
    std::chrono::seconds connectTimeout{300}; // for the first "all Up"
    std::chrono::seconds settle{10};          // after all Up, before measuring
    std::chrono::seconds measure{60};
    bool restart = true; // kill the peers, start them again, watch the reconnects
    std::chrono::seconds peersDown{5};
    std::chrono::seconds recoveryTimeout{600};
    QString peersBinary;
    QString markdownPath; // a row is appended here (with a header if the file is new)
    QString label;        // free text for the row: "baseline", a commit...
    // Beside Keepwatch: kw_bench_minimal on its own peers process, same N and heartbeat, same window.
    QString minimalBinary;       // empty: no side-by-side run
    QString compareMarkdownPath; // the side-by-side rows are appended here
    // SIGSTOPs of the paused peer (one extra endpoint, heartbeat 1 s x 3 misses); 0: none.
    int pauseTrials = 3;
};

struct BenchResult
{
    int endpoints = 0;
    double connectStormS = -1; // engine start -> every endpoint Up
    double cpuPercent = 0;     // whole process, % of one core
    double engineCpuPercent = 0;
    double guiCpuPercent = 0;
    double engineWakeupsPerS = 0;
    double peersCpuPercent = -1;
    double rssMb = 0;
    double peakMb = 0;
    double eventsPerS = 0;
    QMap<QString, double> eventsPerSByKind;
    double snapshotsPerS = 0;
    StallStats stall;
    double rowsPerS = 0; // written to the SQLite log
    double logGrowthMbPerHour = 0;
    // Reconnect storm after the peers were killed and started again.
    double recoveryS = -1; // kill -> every endpoint Up again
    int attempts = 0;
    int maxAttemptsPerS = 0;
    StallStats recoveryStall;
};

// Plays the GUI thread against a real engine thread watching N endpoints on
// loopback, and measures what that costs.
class ScaleBench final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScaleBench)

public:
    explicit ScaleBench(BenchOptions options, QObject *parent = nullptr);
    ~ScaleBench() override;

    // 0 on success; a message on stderr otherwise.
    int run();

private:
    // What the endpoint table keeps per row.
    struct Row
    {
        QString name;
        quint64 revision = 0;
        EndpointState state = EndpointState::Disabled;
        QString detail;
        QDateTime since;
        std::optional<double> rttMs;
        double phi = 0;
        double uptime = 0;
        int reconnects = 0;
    };

    bool startPeers(const QList<quint16> &ports, QString *error);
    // A kw_bench_peers process on `portCount` new ports, or on `ports` again.
    bool startPeersProcess(QProcess &process, int portCount, const QList<quint16> &ports,
                           QList<quint16> *bound, QString *error);
    // The loopback floor, then kw_bench_minimal connected beside the engine (before it starts).
    bool startMinimal(SideBySide *side, QString *error);
    void measurePausedPeer(SideBySide *side);
    void onPausedPeerEvent(const Event &event);
    // The engine's own lateness as the snapshot carries it; empty for an engine without one.
    static QString engineLateness(const SnapshotPtr &snapshot);
    void killPeers();
    bool spinUntil(const std::function<bool()> &done, std::chrono::milliseconds timeout);
    void waitFor(std::chrono::milliseconds duration);
    void onSnapshot(const SnapshotPtr &snapshot);
    void onEvents(const QList<Event> &events);
    qint64 logBytes() const;
    // The steady state first, then (final) the log size and the reconnect storm.
    void report(const BenchResult &result, bool final) const;
    bool appendMarkdown(const BenchResult &result, QString *error) const;

    BenchOptions m_options;
    QString m_dataDir;
    QProcess m_peers;
    QList<quint16> m_ports;
    Engine *m_engine = nullptr;
    StallProbe m_stall;

    // The plain model the window would hold, in the snapshot's order.
    QList<Row> m_rows;
    std::deque<Event> m_eventRing;
    qint64 m_rowsChanged = 0;

    // Counters.
    QHash<QString, bool> m_up;
    int m_upCount = 0;
    qint64 m_snapshots = 0;
    qint64 m_events = 0;
    QHash<QString, qint64> m_eventsByKind;
    bool m_countAttempts = false;
    QMap<qint64, int> m_attemptsBySecond;

    // Side by side with the minimal monitor.
    QProcess m_minimalPeers;
    QList<quint16> m_minimalPorts;
    MinimalMonitor m_minimal;
    RttHistogram m_rtt;          // heartbeat RTTs in the window, from the rtt events
    ReplyWindows m_replyWindows; // their timestamps
    qint64 m_windowFromMs = -1;  // system clock, as Event::ts
    qint64 m_windowUntilMs = -1;

    // The paused peer.
    QProcess m_pausedPeer;
    int m_pausedReplies = 0;   // heartbeat replies since the last SIGCONT
    bool m_pauseArmed = false; // SIGSTOP at the next heartbeat reply
    qint64 m_pausedAtMs = -1;  // when the SIGSTOP was sent
    qint64 m_lastReplyMs = -1; // the reply it followed
    std::optional<Event> m_pausedDown;
    bool m_pausedUp = false;
};

} // namespace kw::bench
