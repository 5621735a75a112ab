#include "scalebench.h"

#include "engine.h"
#include "eventlog.h"
#include "processstats.h"
#include "workspace.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <cstdio>

#include <signal.h>
#include <unistd.h>

namespace kw::bench {

using namespace std::chrono;
using Clock = steady_clock;

namespace {

// The window's event log keeps this many (EventLogModel::kDefaultCapacity).
constexpr std::size_t kEventRing = 10'000;

// The extra endpoint whose peer is paused (SIGSTOP): heartbeat 1 s x 3 misses.
const QString kPausedEndpoint = pausedEndpointName();
constexpr milliseconds kPausedHeartbeat{1000};
constexpr int kPausedMisses = 3;

qint64 wallMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

double secondsSince(Clock::time_point from)
{
    return duration<double>(Clock::now() - from).count();
}

QString fixed(double value, int decimals = 1)
{
    return QString::number(value, 'f', decimals);
}

QString stallText(const StallStats &stall)
{
    return fixed(stall.p50Ms) + u" / " + fixed(stall.p99Ms) + u" / " + fixed(stall.maxMs);
}

double threadCpuUs(const QList<ThreadCpu> &threads, const std::function<bool(const ThreadCpu &)> &match)
{
    double us = 0;
    for (const ThreadCpu &thread : threads) {
        if (match(thread))
            us += double(thread.cpu.total().count());
    }
    return us;
}

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

} // namespace

ScaleBench::ScaleBench(BenchOptions options, QObject *parent) : QObject(parent), m_options(std::move(options))
{
    m_stall.setParent(this);
    for (QProcess *process : {&m_peers, &m_minimalPeers, &m_pausedPeer}) {
        process->setParent(this);
        process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    }
    m_minimal.setParent(this);
}

ScaleBench::~ScaleBench()
{
    delete m_engine;
    for (QProcess *process : {&m_peers, &m_minimalPeers, &m_pausedPeer}) {
        process->kill(); // a stopped process dies of SIGKILL too
        process->waitForFinished(10000);
    }
}

bool ScaleBench::startPeers(const QList<quint16> &ports, QString *error)
{
    return startPeersProcess(m_peers, m_options.ports, ports, &m_ports, error);
}

bool ScaleBench::startPeersProcess(QProcess &process, int portCount, const QList<quint16> &ports,
                                   QList<quint16> *bound, QString *error)
{
    QStringList args;
    if (ports.isEmpty()) {
        args << u"--ports"_qs << QString::number(portCount);
    } else {
        for (const quint16 port : ports)
            args << u"--port"_qs << QString::number(port);
    }
    // Waited for in the event loop, not with waitFor...(): the stall probe
    // must see the engine, not this driver.
    QByteArray line;
    process.start(m_options.peersBinary, args);
    spinUntil(
        [&] {
            line += process.readAllStandardOutput();
            return line.contains('\n') || process.state() == QProcess::NotRunning;
        },
        seconds(10));
    if (!line.contains('\n')) {
        *error = m_options.peersBinary + u": the peers did not start or did not report their ports: "_qs +
                 process.errorString();
        return false;
    }
    const QList<QByteArray> words = line.trimmed().split(' ');
    if (words.value(0) != "ports" || words.size() < 2) {
        *error = m_options.peersBinary + u": unexpected first line: "_qs + QString::fromUtf8(line.trimmed());
        return false;
    }
    bound->clear();
    for (qsizetype i = 1; i < words.size(); ++i)
        bound->append(quint16(words.at(i).toUShort()));
    return true;
}

void ScaleBench::killPeers()
{
    if (m_peers.state() == QProcess::NotRunning)
        return;
    m_peers.kill();
    spinUntil([this] { return m_peers.state() == QProcess::NotRunning; }, seconds(10));
}

void ScaleBench::waitFor(milliseconds duration)
{
    // One timer at the end, not spinUntil()'s 20 ms poll: this thread's own wake-ups are counted
    // in the process's CPU as the window's would be, and a poll is the benchmark's, not the window's.
    if (duration <= milliseconds(0))
        return;
    QEventLoop loop;
    QTimer::singleShot(duration, Qt::PreciseTimer, &loop, &QEventLoop::quit);
    loop.exec();
}

bool ScaleBench::spinUntil(const std::function<bool()> &done, milliseconds timeout)
{
    const Clock::time_point deadline = Clock::now() + timeout;
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(20);
    connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done() || Clock::now() >= deadline)
            loop.quit();
    });
    poll.start();
    if (!done())
        loop.exec();
    return done();
}

void ScaleBench::onSnapshot(const SnapshotPtr &snapshot)
{
    ++m_snapshots;
    // What the endpoint table does with a snapshot (EndpointTableModel::applySnapshot): find each
    // row in the same place as before, skip it when the engine kept its revision, else compare
    // and store it, counting those that changed (the model would emit dataChanged for them).
    const QList<EndpointSnapshot> &endpoints = snapshot->endpoints;
    if (m_rows.size() != endpoints.size())
        m_rows.resize(endpoints.size());
    for (qsizetype i = 0; i < endpoints.size(); ++i) {
        const EndpointSnapshot &e = endpoints.at(i);
        Row &row = m_rows[i];
        if (row.name != e.name) {
            row = Row(); // a new row, or the order changed: compared from scratch
            row.name = e.name;
        } else if (e.revision != 0 && e.revision == row.revision) {
            continue;
        }
        row.revision = e.revision;
        const double uptime = e.stats.uptimeSessionPercent;
        if (row.state != e.state || row.detail != e.detail || row.since != e.since ||
            row.rttMs != e.lastRttMs || row.phi != e.phi || row.uptime != uptime ||
            row.reconnects != e.stats.reconnects) {
            row = Row{e.name,      e.revision, e.state, e.detail,          e.since,
                      e.lastRttMs, e.phi,      uptime,  e.stats.reconnects};
            ++m_rowsChanged;
        }
    }
}

void ScaleBench::onEvents(const QList<Event> &events)
{
    for (const Event &event : events) {
        if (event.endpoint == kPausedEndpoint) {
            onPausedPeerEvent(event);
        } else if (m_windowFromMs >= 0 && event.kind == EventKind::Rtt && event.rttMs &&
                   event.source == u"heartbeat") {
            const qint64 at = event.ts.toMSecsSinceEpoch();
            if (at >= m_windowFromMs && (m_windowUntilMs < 0 || at < m_windowUntilMs)) {
                m_rtt.add(*event.rttMs);
                m_replyWindows.add(at);
            }
        }
        ++m_events;
        ++m_eventsByKind[event.kindName()]; // by name: the report prints them
        m_eventRing.push_back(event);
        if (m_eventRing.size() > kEventRing)
            m_eventRing.pop_front();
        if (event.kind != EventKind::State)
            continue;
        const bool up = event.state == EndpointState::Up || event.state == EndpointState::Suspect;
        bool &wasUp = m_up[event.endpoint];
        if (up != wasUp) {
            m_upCount += up ? 1 : -1;
            wasUp = up;
        }
        if (m_countAttempts && event.state == EndpointState::Connecting)
            ++m_attemptsBySecond[event.ts.toSecsSinceEpoch()];
    }
}

qint64 ScaleBench::logBytes() const
{
    const QDir dir(m_dataDir);
    qint64 bytes = 0;
    for (const QString &name : {u"events.sqlite"_qs, u"events.sqlite-wal"_qs})
        bytes += QFileInfo(dir.filePath(name)).size();
    return bytes;
}

int ScaleBench::run()
{
    const int n = m_options.endpoints;
    const qint64 fileLimit = raiseFileLimit();
    out() << "kw_bench_scale: " << n << " endpoints, heartbeat every " << m_options.heartbeat.count()
          << " ms, " << m_options.ports << " peer ports, RLIMIT_NOFILE " << fileLimit << Qt::endl;
    if (fileLimit >= 0 && fileLimit < n + 256) {
        std::fprintf(stderr,
                     "RLIMIT_NOFILE is %lld, too low for %d endpoints; raise the hard limit "
                     "(ulimit -Hn) or use fewer endpoints\n",
                     static_cast<long long>(fileLimit), n);
        return 1;
    }

    QString error;
    if (!startPeers({}, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    SideBySide side;
    side.endpoints = n;
    side.label = m_options.label;
    side.heartbeat = m_options.heartbeat;
    const bool sideBySide = !m_options.minimalBinary.isEmpty();
    if (sideBySide && !startMinimal(&side, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    QList<quint16> pausedPorts;
    if (m_options.pauseTrials > 0 && !startPeersProcess(m_pausedPeer, 1, {}, &pausedPorts, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    QTemporaryDir dataDir;
    m_dataDir = dataDir.path();

    // The idle process: Qt, the libraries, this driver's tables; no endpoint, no engine yet.
    side.idleRssMb = selfMemory().rssMb;
    side.idleHeapMb = heapInUseMb();

    Workspace workspace;
    for (int i = 0; i < n; ++i) {
        EndpointConfig config;
        config.name = u"ep%1"_qs.arg(i, 5, 10, QChar(u'0'));
        config.kind = EndpointKind::Tcp;
        config.host = u"127.0.0.1"_qs;
        config.port = m_ports.at(i % m_ports.size());
        config.keepalive.enabled = true;
        config.keepalive.idle = seconds(30);
        config.keepalive.interval = seconds(5);
        config.keepalive.count = 3;
        HeartbeatConfig heartbeat;
        heartbeat.interval = m_options.heartbeat;
        heartbeat.send = "PING\n";
        heartbeat.expect = "PONG";
        heartbeat.misses = 3;
        config.heartbeat = heartbeat;
        workspace.endpoints.append(config);
    }
    if (m_options.pauseTrials > 0) {
        EndpointConfig paused = workspace.endpoints.constFirst();
        paused.name = kPausedEndpoint;
        paused.port = pausedPorts.constFirst();
        paused.heartbeat->interval = kPausedHeartbeat;
        paused.heartbeat->misses = kPausedMisses;
        workspace.endpoints.append(paused);
    }
    const int total = int(workspace.endpoints.size());

    m_engine = new Engine(EngineOptions{m_dataDir, {}});
    connect(m_engine, &Engine::snapshotReady, this, &ScaleBench::onSnapshot);
    connect(m_engine, &Engine::eventsReady, this, &ScaleBench::onEvents);
    m_stall.start();

    BenchResult result;
    result.endpoints = n;
    const Clock::time_point started = Clock::now();
    if (!m_engine->start(workspace, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    // The engine keeps its own copy; the headless runner drops the one it read, and so does this.
    workspace = Workspace{};
    if (!spinUntil([&] { return m_upCount == total; }, m_options.connectTimeout)) {
        std::fprintf(stderr, "only %d of %d endpoints Up after %lld s\n", m_upCount, total,
                     static_cast<long long>(m_options.connectTimeout.count()));
        return 1;
    }
    result.connectStormS = secondsSince(started);
    out() << "all " << n << " Up after " << fixed(result.connectStormS, 2) << " s; settling "
          << m_options.settle.count() << " s" << Qt::endl;
    waitFor(m_options.settle);

    // Steady state.
    const qint64 mainTid = ::getpid();
    const auto isEngine = [](const ThreadCpu &t) { return t.name.startsWith(u"keepwatch-engin"); };
    const auto isMain = [mainTid](const ThreadCpu &t) { return t.tid == mainTid; };
    const CpuTime cpuBefore = selfCpu();
    const QList<ThreadCpu> threadsBefore = threadCpu();
    const std::optional<CpuTime> peersBefore = processCpu(m_peers.processId());
    const std::optional<CpuTime> minimalPeersBefore = processCpu(m_minimalPeers.processId());
    // A second connection, like `export` while the monitor runs, counts the rows.
    std::unique_ptr<EventLog> reader = EventLog::open(m_dataDir, &error);
    const qint64 rowsBefore = reader ? reader->count({}, nullptr) : -1;
    const qint64 eventsBefore = m_events;
    const qint64 snapshotsBefore = m_snapshots;
    const QHash<QString, qint64> kindsBefore = m_eventsByKind;
    m_stall.reset();
    const Clock::time_point measureFrom = Clock::now();
    m_rtt.clear();
    m_windowUntilMs = -1;
    m_windowFromMs = wallMs();
    m_replyWindows.start(m_windowFromMs);
    m_minimal.beginWindow();
    out() << "measuring " << m_options.measure.count() << " s" << Qt::endl;
    waitFor(m_options.measure);
    m_windowUntilMs = wallMs();
    m_minimal.endWindow();
    const Clock::duration wall = Clock::now() - measureFrom;
    const double wallS = duration<double>(wall).count();
    const CpuTime cpuAfter = selfCpu();
    const QList<ThreadCpu> threadsAfter = threadCpu();
    const std::optional<CpuTime> peersAfter = processCpu(m_peers.processId());
    const std::optional<CpuTime> minimalPeersAfter = processCpu(m_minimalPeers.processId());

    result.stall = m_stall.stats();
    result.cpuPercent = cpuPercent(cpuBefore, cpuAfter, wall);
    const double wallUs = double(duration_cast<microseconds>(wall).count());
    result.engineCpuPercent =
        100.0 * (threadCpuUs(threadsAfter, isEngine) - threadCpuUs(threadsBefore, isEngine)) / wallUs;
    result.guiCpuPercent =
        100.0 * (threadCpuUs(threadsAfter, isMain) - threadCpuUs(threadsBefore, isMain)) / wallUs;
    const auto wakeups = [&isEngine](const QList<ThreadCpu> &threads) {
        qint64 total = 0;
        for (const ThreadCpu &thread : threads)
            total += isEngine(thread) ? thread.wakeups : 0;
        return total;
    };
    result.engineWakeupsPerS = double(wakeups(threadsAfter) - wakeups(threadsBefore)) / wallS;
    if (peersBefore && peersAfter)
        result.peersCpuPercent = cpuPercent(*peersBefore, *peersAfter, wall);
    const MemoryUse memory = selfMemory();
    result.rssMb = memory.rssMb;
    result.peakMb = memory.peakMb;
    side.rssMb = memory.rssMb;
    side.heapMb = heapInUseMb();
    result.eventsPerS = double(m_events - eventsBefore) / wallS;
    for (auto it = m_eventsByKind.cbegin(); it != m_eventsByKind.cend(); ++it)
        result.eventsPerSByKind[it.key()] = double(it.value() - kindsBefore.value(it.key())) / wallS;
    result.snapshotsPerS = double(m_snapshots - snapshotsBefore) / wallS;
    const qint64 rowsAfter = reader ? reader->count({}, nullptr) : -1;
    result.rowsPerS = double(rowsAfter - rowsBefore) / wallS;
    report(result, false);

    // What the window's model (rows, event ring) held: the heap it gives back. The model fills
    // again from the next snapshot and events.
    {
        const double heapBefore = heapInUseMb();
        QList<Row>().swap(m_rows);
        std::deque<Event>().swap(m_eventRing);
        side.modelMb = std::max(0.0, heapBefore - heapInUseMb());
    }
    // Events stamped inside the window may still be on their way to this thread.
    waitFor(seconds(1));
    side.windowS = wallS;
    side.cpuPercent = result.cpuPercent;
    side.peersCpuPercent = result.peersCpuPercent;
    side.p50Ms = m_rtt.percentileMs(0.50);
    side.p99Ms = m_rtt.percentileMs(0.99);
    side.maxMs = m_rtt.maxMs();
    side.replies = m_rtt.count();
    side.windows = m_replyWindows.stats(m_windowUntilMs);
    side.lateness = engineLateness(m_engine->latestSnapshot());
    if (minimalPeersBefore && minimalPeersAfter)
        side.minimalPeersCpuPercent = cpuPercent(*minimalPeersBefore, *minimalPeersAfter, wall);
    if (sideBySide) {
        spinUntil([this] { return !m_minimal.isRunning(); }, seconds(10));
        side.minimal = m_minimal.result(&error);
        if (!side.minimal)
            std::fprintf(stderr, "%s\n", qPrintable(error));
        m_minimalPeers.kill();
    }
    if (m_options.pauseTrials > 0) {
        measurePausedPeer(&side);
        m_engine->stopEndpoint(kPausedEndpoint);
        spinUntil([&] { return m_upCount == n; }, seconds(10));
    }
    printSideBySide(out(), side);

    if (m_options.restart) {
        // The peers die at once (SIGKILL): every connection ends together, the
        // way a switch reboot or a broker restart ends them.
        const QList<quint16> ports = m_ports;
        out() << "killing the peers; restarting them after " << m_options.peersDown.count() << " s"
              << Qt::endl;
        m_stall.reset();
        m_countAttempts = true;
        const Clock::time_point killedAt = Clock::now();
        killPeers();
        spinUntil([&] { return m_upCount == 0; }, seconds(30));
        waitFor(m_options.peersDown - duration_cast<seconds>(Clock::now() - killedAt));
        if (!startPeers(ports, &error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
        if (spinUntil([&] { return m_upCount == n; }, m_options.recoveryTimeout)) {
            result.recoveryS = secondsSince(killedAt);
        } else {
            std::fprintf(stderr, "only %d of %d endpoints Up again after %lld s\n", m_upCount, n,
                         static_cast<long long>(m_options.recoveryTimeout.count()));
        }
        m_countAttempts = false;
        result.recoveryStall = m_stall.stats();
        for (const int attempts : std::as_const(m_attemptsBySecond)) {
            result.attempts += attempts;
            result.maxAttemptsPerS = std::max(result.maxAttemptsPerS, attempts);
        }
    }

    m_engine->shutdown();
    killPeers();
    // After shutdown the WAL is checkpointed: the file holds every row.
    if (reader) {
        const qint64 rows = reader->count({}, nullptr);
        reader.reset();
        if (rows > 0)
            result.logGrowthMbPerHour =
                result.rowsPerS * 3600.0 * double(logBytes()) / double(rows) / 1048576.0;
    }
    report(result, true);
    if (!m_options.markdownPath.isEmpty() && !appendMarkdown(result, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    if (!m_options.compareMarkdownPath.isEmpty() &&
        !appendSideBySideMarkdown(m_options.compareMarkdownPath, side, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    return 0;
}

void ScaleBench::report(const BenchResult &r, bool final) const
{
    QTextStream &s = out();
    if (final) {
        s << "  event log rows:       " << fixed(r.rowsPerS) << "/s, about " << fixed(r.logGrowthMbPerHour)
          << " MB/h\n";
        if (m_options.restart) {
            s << "reconnect storm (peers killed, back after " << m_options.peersDown.count() << " s):\n";
            s << "  kill to all Up again: " << fixed(r.recoveryS) << " s\n";
            s << "  attempts:             " << r.attempts << ", at most " << r.maxAttemptsPerS << "/s\n";
            s << "  GUI stall p50/p99/max: " << stallText(r.recoveryStall) << " ms\n";
        }
        s.flush();
        return;
    }
    s << "\n== " << r.endpoints << " endpoints";
    if (!m_options.label.isEmpty())
        s << " (" << m_options.label << ")";
    s << " ==\n";
    s << "connect storm, engine start to all Up: " << fixed(r.connectStormS, 2) << " s\n";
    s << "steady state over " << m_options.measure.count() << " s:\n";
    s << "  CPU, whole process:   " << fixed(r.cpuPercent) << " % of one core\n";
    s << "    engine thread:      " << fixed(r.engineCpuPercent) << " %, " << fixed(r.engineWakeupsPerS, 0)
      << " wake-ups/s\n";
    s << "    GUI (main) thread:  " << fixed(r.guiCpuPercent) << " %\n";
    s << "  CPU, peers process:   " << fixed(r.peersCpuPercent) << " % (not included above)\n";
    s << "  RSS / peak:           " << fixed(r.rssMb) << " / " << fixed(r.peakMb) << " MB\n";
    s << "  events/s:             " << fixed(r.eventsPerS);
    for (auto it = r.eventsPerSByKind.cbegin(); it != r.eventsPerSByKind.cend(); ++it)
        s << "  " << it.key() << " " << fixed(it.value());
    s << "\n";
    s << "  snapshots/s:          " << fixed(r.snapshotsPerS, 2) << "\n";
    s << "  GUI stall p50/p99/max: " << stallText(r.stall) << " ms (" << r.stall.ticks << " ticks)\n";
    s << "  rows changed (GUI):   " << m_rowsChanged << " since start\n";
    s.flush();
}

bool ScaleBench::appendMarkdown(const BenchResult &r, QString *error) const
{
    QFile file(m_options.markdownPath);
    const bool isNew = !file.exists() || file.size() == 0;
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text)) {
        *error = m_options.markdownPath + u": cannot append the result row: "_qs + file.errorString();
        return false;
    }
    QTextStream s(&file);
    if (isNew) {
        s << "| endpoints | run | all Up after start | CPU % (engine / GUI) | engine wake-ups/s | peers CPU "
             "% | RSS / peak MB "
             "| events/s | snapshots/s | GUI stall p50 / p99 / max ms | log rows/s (MB/h) "
             "| all Up after peer restart | reconnect attempts/s max |\n";
        s << "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    }
    s << "| " << r.endpoints << " | " << m_options.label << " | " << fixed(r.connectStormS, 2) << " s | "
      << fixed(r.cpuPercent) << " (" << fixed(r.engineCpuPercent) << " / " << fixed(r.guiCpuPercent) << ") | "
      << fixed(r.engineWakeupsPerS, 0) << " | " << fixed(r.peersCpuPercent) << " | " << fixed(r.rssMb, 0)
      << " / " << fixed(r.peakMb, 0) << " | " << fixed(r.eventsPerS, 0) << " | " << fixed(r.snapshotsPerS, 2)
      << " | " << stallText(r.stall) << " | " << fixed(r.rowsPerS, 0) << " ("
      << fixed(r.logGrowthMbPerHour, 0) << ") | "
      << (m_options.restart ? fixed(r.recoveryS) + u" s"_qs : u"–"_qs) << " | "
      << (m_options.restart ? QString::number(r.maxAttemptsPerS) : u"–"_qs) << " |\n";
    return true;
}

} // namespace kw::bench
