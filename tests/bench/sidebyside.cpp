#include "sidebyside.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <algorithm>

#include <signal.h>

namespace kw::bench {

using namespace std::chrono;

namespace {

constexpr std::size_t kFineBuckets = 10000;  // 1 µs
constexpr std::size_t kMidBuckets = 9900;    // 100 µs
constexpr std::size_t kCoarseBuckets = 5900; // 10 ms
constexpr std::size_t kBuckets = kFineBuckets + kMidBuckets + kCoarseBuckets;
constexpr std::size_t kMaxWindows = 36000; // an hour of 100 ms windows

std::size_t bucketOf(double ms)
{
    const auto us = qint64(ms * 1000.0);
    if (us < 0)
        return 0;
    if (us < 10000)
        return std::size_t(us);
    if (us < 1000000)
        return kFineBuckets + std::size_t((us - 10000) / 100);
    if (us < 60000000)
        return kFineBuckets + kMidBuckets + std::size_t((us - 1000000) / 10000);
    return kBuckets - 1;
}

double bucketMs(std::size_t bucket)
{
    if (bucket < kFineBuckets)
        return (double(bucket) + 0.5) / 1000.0;
    if (bucket < kFineBuckets + kMidBuckets)
        return 10.0 + (double(bucket - kFineBuckets) + 0.5) * 0.1;
    return 1000.0 + (double(bucket - kFineBuckets - kMidBuckets) + 0.5) * 10.0;
}

QString fixed(double value, int decimals = 1)
{
    return QString::number(value, 'f', decimals);
}

QString ms(double value)
{
    return fixed(value, value < 10 ? 2 : 1);
}

// A column of the side-by-side text table.
QString cell(const QString &text)
{
    return text.leftJustified(21);
}

QString verdict(bool met)
{
    return met ? u"met"_qs : u"NOT met"_qs;
}

double maxOf(const QList<PauseTrial> &trials, double PauseTrial::*field)
{
    double worst = -1;
    for (const PauseTrial &trial : trials)
        worst = std::max(worst, trial.*field);
    return worst;
}

// "3.01 / 3.02 / 3.00 s"
QString trialText(const QList<PauseTrial> &trials, double PauseTrial::*field)
{
    QStringList parts;
    for (const PauseTrial &trial : trials)
        parts << (trial.*field < 0 ? u"–"_qs : fixed(trial.*field, 2));
    return parts.isEmpty() ? u"–"_qs : parts.join(u" / ") + u" s";
}

double boundOf(const SideBySide &s)
{
    double bound = -1;
    for (const PauseTrial &trial : s.trials)
        bound = std::max(bound, trial.boundS);
    return bound;
}

} // namespace

RttHistogram::RttHistogram() : m_buckets(kBuckets, 0) {}

void RttHistogram::add(double ms)
{
    ++m_buckets[bucketOf(ms)];
    ++m_count;
    m_maxMs = std::max(m_maxMs, ms);
}

void RttHistogram::clear()
{
    std::fill(m_buckets.begin(), m_buckets.end(), 0);
    m_count = 0;
    m_maxMs = 0;
}

double RttHistogram::percentileMs(double q) const
{
    if (m_count == 0)
        return 0;
    const quint64 rank = quint64(q * double(m_count - 1)) + 1;
    quint64 seen = 0;
    for (std::size_t b = 0; b < kBuckets; ++b) {
        seen += m_buckets[b];
        if (seen >= rank)
            return bucketMs(b);
    }
    return bucketMs(kBuckets - 1);
}

ReplyWindows::ReplyWindows() : m_counts(kMaxWindows, 0) {}

void ReplyWindows::start(qint64 fromMs)
{
    std::fill(m_counts.begin(), m_counts.end(), 0);
    m_fromMs = fromMs;
}

void ReplyWindows::add(qint64 atMs)
{
    if (atMs < m_fromMs)
        return;
    const auto window = std::size_t((atMs - m_fromMs) / kWindowMs);
    if (window < m_counts.size())
        ++m_counts[window];
}

WindowStats ReplyWindows::stats(qint64 untilMs) const
{
    WindowStats stats;
    stats.windows = std::min(qint64(m_counts.size()), std::max<qint64>(0, (untilMs - m_fromMs) / kWindowMs));
    qint64 total = 0;
    for (qint64 w = 0; w < stats.windows; ++w) {
        const qint64 count = m_counts[std::size_t(w)];
        total += count;
        stats.busy += count > 0 ? 1 : 0;
        stats.max = std::max(stats.max, count);
    }
    stats.mean = stats.windows > 0 ? double(total) / double(stats.windows) : 0;
    return stats;
}

MinimalMonitor::MinimalMonitor(QObject *parent) : QObject(parent)
{
    m_process.setParent(this);
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
}

MinimalMonitor::~MinimalMonitor()
{
    m_process.kill();
    m_process.waitForFinished(10000);
}

void MinimalMonitor::start(const QString &binary, const QList<quint16> &ports, int endpoints,
                           milliseconds heartbeat, seconds settle, seconds measure)
{
    QStringList args{u"--endpoints"_qs, QString::number(endpoints), u"--heartbeat-ms"_qs,
                     QString::number(heartbeat.count())};
    for (const quint16 port : ports)
        args << u"--port"_qs << QString::number(port);
    if (measure.count() > 0)
        args << u"--settle"_qs << QString::number(settle.count()) << u"--measure"_qs
             << QString::number(measure.count());
    m_output.clear();
    m_process.start(binary, args);
}

bool MinimalMonitor::isConnected()
{
    m_output += m_process.readAllStandardOutput();
    return m_output.startsWith("connected ") && m_output.contains('\n');
}

void MinimalMonitor::beginWindow()
{
    if (isRunning())
        ::kill(pid_t(m_process.processId()), SIGUSR1);
}

void MinimalMonitor::endWindow()
{
    if (isRunning())
        ::kill(pid_t(m_process.processId()), SIGTERM);
}

std::optional<MinimalResult> MinimalMonitor::result(QString *error)
{
    m_output += m_process.readAllStandardOutput();
    const qsizetype brace = m_output.indexOf('{');
    QJsonParseError parseError{};
    const QJsonDocument document =
        QJsonDocument::fromJson(brace < 0 ? QByteArray() : m_output.mid(brace).trimmed(), &parseError);
    if (!document.isObject()) {
        *error = m_process.program() + u": no result line (exit status "_qs +
                 QString::number(m_process.exitCode()) + u"): "_qs + QString::fromUtf8(m_output.trimmed());
        return std::nullopt;
    }
    const QJsonObject o = document.object();
    MinimalResult r;
    r.endpoints = o.value(u"endpoints").toInt();
    r.windowS = o.value(u"window_s").toDouble();
    r.sent = qint64(o.value(u"sent").toDouble());
    r.replies = qint64(o.value(u"replies").toDouble());
    r.missed = qint64(o.value(u"missed").toDouble());
    r.p50Ms = o.value(u"rtt_p50_ms").toDouble();
    r.p99Ms = o.value(u"rtt_p99_ms").toDouble();
    r.maxMs = o.value(u"rtt_max_ms").toDouble();
    r.windows.windows = qint64(o.value(u"windows").toDouble());
    r.windows.busy = qint64(o.value(u"busy_windows").toDouble());
    r.windows.max = qint64(o.value(u"window_max").toDouble());
    r.windows.mean = o.value(u"window_mean").toDouble();
    r.cpuPercent = o.value(u"cpu_percent").toDouble();
    r.idleRssKb = o.value(u"idle_rss_kb").toDouble();
    r.rssKb = o.value(u"rss_kb").toDouble();
    r.peakRssKb = o.value(u"peak_rss_kb").toDouble();
    return r;
}

double SideBySide::rssKbPerEndpoint() const
{
    return endpoints > 0 ? (rssMb - idleRssMb) * 1024.0 / endpoints : 0;
}

double SideBySide::rssKbPerEndpointWithoutModel() const
{
    return endpoints > 0 ? (rssMb - idleRssMb - modelMb) * 1024.0 / endpoints : 0;
}

double SideBySide::heapKbPerEndpoint() const
{
    return endpoints > 0 ? (heapMb - idleHeapMb) * 1024.0 / endpoints : 0;
}

double SideBySide::heapKbPerEndpointWithoutModel() const
{
    return endpoints > 0 ? (heapMb - idleHeapMb - modelMb) * 1024.0 / endpoints : 0;
}

void printSideBySide(QTextStream &out, const SideBySide &s)
{
    out << "\n== Keepwatch vs minimal C monitor, " << s.endpoints << " endpoints, heartbeat "
        << s.heartbeat.count() << " ms, same " << fixed(s.windowS, 0) << " s window ==\n";
    if (s.floor)
        out << "  loopback floor (1 idle connection, PING every 10 ms): RTT p50/p99/max "
            << ms(s.floor->p50Ms) << " / " << ms(s.floor->p99Ms) << " / " << ms(s.floor->maxMs) << " ms\n";
    const MinimalResult m = s.minimal.value_or(MinimalResult{});
    out << "                        Keepwatch            minimal C\n";
    out << "  CPU % of one core:    " << cell(fixed(s.cpuPercent, 2)) << fixed(m.cpuPercent, 2)
        << "  (peers: Keepwatch's " << fixed(s.peersCpuPercent, 2) << " %, minimal's "
        << fixed(s.minimalPeersCpuPercent, 2) << " %)\n";
    out << "  KB per endpoint:      "
        << cell(fixed(s.rssKbPerEndpoint(), 2) + u" (" + fixed(s.rssKbPerEndpointWithoutModel(), 2) +
                u" w/o model)")
        << fixed(m.kbPerEndpoint(), 2) << "  (RSS above the idle process)\n";
    out << "    heap KB/endpoint:   " << fixed(s.heapKbPerEndpoint(), 2) << " ("
        << fixed(s.heapKbPerEndpointWithoutModel(), 2) << " w/o model; model " << fixed(s.modelMb, 1)
        << " MB); RSS " << fixed(s.idleRssMb, 1) << " -> " << fixed(s.rssMb, 1) << " MB\n";
    out << "  RTT p50/p99/max ms:   " << cell(ms(s.p50Ms) + u" / " + ms(s.p99Ms) + u" / " + ms(s.maxMs))
        << ms(m.p50Ms) << " / " << ms(m.p99Ms) << " / " << ms(m.maxMs) << "\n";
    out << "  replies in window:    " << cell(QString::number(s.replies)) << m.replies
        << "  (minimal: " << m.missed << " missed)\n";
    out << "  per 100 ms max/mean:  "
        << cell(QString::number(s.windows.max) + u" / " + fixed(s.windows.mean) + u" (" +
                fixed(s.windows.burst(), 2) + u"x)")
        << m.windows.max << " / " << fixed(m.windows.mean) << " (" << fixed(m.windows.burst(), 2) << "x)\n";
    out << "  windows with replies: "
        << cell(QString::number(s.windows.busy) + u" of " + QString::number(s.windows.windows))
        << m.windows.busy << " of " << m.windows.windows << "\n";
    if (!s.lateness.isEmpty())
        out << "  engine lateness:      " << s.lateness << "\n";
    if (!s.trials.isEmpty()) {
        out << "  paused peer (heartbeat 1 s x 3), bound shown: " << s.pausedBoundText << "\n";
        out << "    SIGSTOP to Down:    " << trialText(s.trials, &PauseTrial::stopToDownS) << "\n";
        out << "    last reply to Down: " << trialText(s.trials, &PauseTrial::lastReplyToDownS) << "\n";
        out << "    Down event bound:   " << fixed(boundOf(s), 2) << " s, cause "
            << s.trials.constLast().cause << "\n";
    }
    out << "  targets:\n";
    if (s.minimal) {
        out << "    RTT p99 <= 2 x minimal's:      " << ms(s.p99Ms) << " vs " << ms(2 * m.p99Ms)
            << " ms: " << verdict(s.p99Ms <= 2 * m.p99Ms) << "\n";
        out << "    CPU <= 2.5 x minimal's:        " << fixed(s.cpuPercent, 2) << " vs "
            << fixed(2.5 * m.cpuPercent, 2) << " %: " << verdict(s.cpuPercent <= 2.5 * m.cpuPercent) << "\n";
    }
    out << "    no 100 ms window > 3 x mean:   " << fixed(s.windows.burst(), 2)
        << "x: " << verdict(s.windows.burst() <= 3.0) << "\n";
    if (!s.trials.isEmpty()) {
        const double worst = maxOf(s.trials, &PauseTrial::stopToDownS);
        out << "    detection <= bound + 0.3 s:    worst " << fixed(worst, 2) << " vs "
            << fixed(boundOf(s) + 0.3, 2) << " s: " << verdict(worst >= 0 && worst <= boundOf(s) + 0.3)
            << "\n";
    }
    out << "    <= 8 KB per endpoint:          " << fixed(s.rssKbPerEndpointWithoutModel(), 2)
        << " KB w/o model: " << verdict(s.rssKbPerEndpointWithoutModel() <= 8) << "; "
        << fixed(s.rssKbPerEndpoint(), 2) << " KB with it: " << verdict(s.rssKbPerEndpoint() <= 8) << "\n";
    out.flush();
}

bool appendSideBySideMarkdown(const QString &path, const SideBySide &s, QString *error)
{
    QFile file(path);
    const bool isNew = !file.exists() || file.size() == 0;
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text)) {
        *error = path + u": cannot append the side-by-side rows: "_qs + file.errorString();
        return false;
    }
    QTextStream t(&file);
    if (isNew) {
        t << "| endpoints | run | monitor | CPU % of one core | KB per endpoint (w/o model) | RTT p50 / p99 "
             "/ max ms "
             "| replies per 100 ms, max / mean | paused peer: SIGSTOP → Down (last reply → Down), bound "
             "| engine lateness |\n";
        t << "|---:|---|---|---:|---:|---:|---:|---|---|\n";
    }
    const QString pause = s.trials.isEmpty() ? u"–"_qs
                                             : trialText(s.trials, &PauseTrial::stopToDownS) + u" (" +
                                                   trialText(s.trials, &PauseTrial::lastReplyToDownS) +
                                                   u"), " + fixed(boundOf(s), 1) + u" s";
    t << "| " << s.endpoints << " | " << s.label << " | Keepwatch | " << fixed(s.cpuPercent, 2) << " | "
      << fixed(s.rssKbPerEndpoint(), 2) << " (" << fixed(s.rssKbPerEndpointWithoutModel(), 2) << ") | "
      << ms(s.p50Ms) << " / " << ms(s.p99Ms) << " / " << ms(s.maxMs) << " | " << s.windows.max << " / "
      << fixed(s.windows.mean) << " | " << pause << " | " << (s.lateness.isEmpty() ? u"–"_qs : s.lateness)
      << " |\n";
    if (s.minimal) {
        const MinimalResult &m = *s.minimal;
        t << "| " << s.endpoints << " | " << s.label << " | minimal C | " << fixed(m.cpuPercent, 2) << " | "
          << fixed(m.kbPerEndpoint(), 2) << " | " << ms(m.p50Ms) << " / " << ms(m.p99Ms) << " / "
          << ms(m.maxMs) << " | " << m.windows.max << " / " << fixed(m.windows.mean) << " | – | – |\n";
    }
    if (s.floor) {
        t << "| " << s.endpoints << " | " << s.label << " | loopback floor (1 idle connection) | – | – | "
          << ms(s.floor->p50Ms) << " / " << ms(s.floor->p99Ms) << " / " << ms(s.floor->maxMs)
          << " | – | – | – |\n";
    }
    return true;
}

} // namespace kw::bench
