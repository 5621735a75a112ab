#pragma once

#include <QList>
#include <QObject>
#include <QProcess>
#include <QString>

#include <chrono>
#include <optional>
#include <vector>

class QTextStream;

namespace kw::bench {

// Heartbeat RTTs in fixed buckets, the same as kw_bench_minimal's (minimalmonitor.c): 1 µs steps
// below 10 ms, 100 µs below 1 s, 10 ms below 60 s. Both monitors' percentiles come out of the same
// arithmetic, and the table is allocated once, before the idle process is measured.
class RttHistogram
{
public:
    RttHistogram();
    void add(double ms);
    void clear();
    quint64 count() const { return m_count; }
    double percentileMs(double q) const; // the middle of the bucket holding the q-quantile
    double maxMs() const { return m_maxMs; }

private:
    std::vector<quint32> m_buckets;
    quint64 m_count = 0;
    double m_maxMs = 0;
};

// Replies counted per 100 ms window of a measurement window.
struct WindowStats
{
    qint64 windows = 0; // 100 ms windows in the measurement
    qint64 busy = 0;    // of which held at least one reply
    qint64 max = 0;     // replies in the fullest window
    double mean = 0;    // replies per window
    double burst() const { return mean > 0 ? double(max) / mean : 0; }
};

class ReplyWindows
{
public:
    static constexpr qint64 kWindowMs = 100;
    ReplyWindows();
    void start(qint64 fromMs); // on the clock of the timestamps given to add()
    void add(qint64 atMs);
    WindowStats stats(qint64 untilMs) const;

private:
    std::vector<quint32> m_counts;
    qint64 m_fromMs = 0;
};

// What kw_bench_minimal reports (its one line of JSON).
struct MinimalResult
{
    int endpoints = 0;
    double windowS = 0;
    qint64 sent = 0;
    qint64 replies = 0;
    qint64 missed = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
    WindowStats windows;
    double cpuPercent = 0;
    double idleRssKb = 0;
    double rssKb = 0;
    double peakRssKb = 0;
    double kbPerEndpoint() const { return endpoints > 0 ? (rssKb - idleRssKb) / endpoints : 0; }
};

// One kw_bench_minimal process: started, waited for ("connected N"), its window opened with SIGUSR1
// and closed with SIGTERM, its result read from stdout.
class MinimalMonitor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MinimalMonitor)

public:
    explicit MinimalMonitor(QObject *parent = nullptr);
    ~MinimalMonitor() override;

    // measure > 0: the process opens and closes its own window (settle, then measure seconds).
    void start(const QString &binary, const QList<quint16> &ports, int endpoints,
               std::chrono::milliseconds heartbeat, std::chrono::seconds settle = {},
               std::chrono::seconds measure = {});
    bool isConnected(); // reads stdout
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    qint64 processId() const { return m_process.processId(); }
    void beginWindow();
    void endWindow();
    // After the process ended: its figures, or nullopt with a message.
    std::optional<MinimalResult> result(QString *error);

private:
    QProcess m_process;
    QByteArray m_output;
};

// One SIGSTOP of the paused peer, in ms on the system clock.
struct PauseTrial
{
    double stopToDownS = -1;      // SIGSTOP to the Down event's timestamp
    double lastReplyToDownS = -1; // the last heartbeat reply before the stop to Down
    double boundS = -1;           // the Down event's bound_ms
    QString cause;
};

// Everything the side-by-side table shows for one run.
struct SideBySide
{
    int endpoints = 0;
    QString label;
    std::chrono::milliseconds heartbeat{0};
    double windowS = 0;
    std::optional<MinimalResult> floor;   // 1 idle connection, ping-pong every 10 ms, before the run
    std::optional<MinimalResult> minimal; // N connections beside Keepwatch
    double minimalPeersCpuPercent = -1;
    double peersCpuPercent = -1; // Keepwatch's peers process
    // Keepwatch over the same window.
    double cpuPercent = 0;
    double idleRssMb = 0;
    double rssMb = 0;
    double idleHeapMb = 0;
    double heapMb = 0;
    double modelMb = 0; // heap the window's model (rows, event ring) held, freed to measure it
    double rssKbPerEndpoint() const;
    double rssKbPerEndpointWithoutModel() const;
    double heapKbPerEndpoint() const;
    double heapKbPerEndpointWithoutModel() const;
    double p50Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
    quint64 replies = 0;
    WindowStats windows;
    QString lateness; // the engine's own lateness as its snapshot shows it, when it has one
    // Paused peer: the extra endpoint, heartbeat 1 s x 3 misses.
    QString pausedBoundText; // the snapshot's detection bound
    QList<PauseTrial> trials;
};

void printSideBySide(QTextStream &out, const SideBySide &s);
bool appendSideBySideMarkdown(const QString &path, const SideBySide &s, QString *error);

} // namespace kw::bench
