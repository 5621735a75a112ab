// Event log retention at scale (docs/benchmarks.md): a log of N old samples (default 1,000,000)
// and some failures, pruned by EventLogPruner in its batches while a writer appends what 10,000
// endpoints log at the Monitor's sample limits (500 samples a second, in 4 batches a second as
// the Monitor flushes). Prints the row size on disk, the longest and typical prune step, and the
// append latency with and without pruning between the appends.
//
//   kw_bench_logretention [ROWS] [DIR]

#include "eventlogretention.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace kw;
using namespace Qt::StringLiterals;

namespace {

const QDateTime kNow = QDateTime::currentDateTimeUtc();

QList<Event> batchOf(int count, const QDateTime &start, qint64 serial)
{
    QList<Event> batch;
    batch.reserve(count);
    for (int i = 0; i < count; ++i) {
        const qint64 n = serial + i;
        Event e;
        e.ts = start.addMSecs(i);
        e.endpoint = u"endpoint-"_s + QString::number(n % 10000);
        if (n % 2 == 0) {
            e.kind = EventKind::Rtt;
            e.rttMs = 0.2 + double(n % 97) / 10.0;
            e.source = u"heartbeat"_s;
        } else {
            e.kind = EventKind::TcpInfo;
            e.rttMs = 0.3 + double(n % 89) / 10.0;
            e.data = QJsonObject{{u"rttvar_ms"_s, 0.12},
                                 {u"retransmits"_s, 0},
                                 {u"probes"_s, 0},
                                 {u"unacked"_s, 0},
                                 {u"snd_cwnd"_s, 10}};
        }
        batch << e;
    }
    return batch;
}

struct Stats
{
    double p50 = 0, p99 = 0, max = 0;
};

Stats statsOf(std::vector<double> ms)
{
    if (ms.empty())
        return {};
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 99 / 100)], ms.back()};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const qint64 rows = args.size() > 1 ? args.at(1).toLongLong() : 1'000'000;
    QTemporaryDir temp;
    const QString dir = args.size() > 2 ? args.at(2) : temp.path();
    QDir(dir).removeRecursively();

    QString error;
    auto log = EventLog::open(dir, &error);
    if (!log) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    // The backlog: samples 30 days old (past keep_samples_days) and failures 100 days old.
    QElapsedTimer fill;
    fill.start();
    const QDateTime old = kNow.addDays(-30);
    for (qint64 done = 0; done < rows; done += 10'000) {
        if (!log->append(batchOf(int(std::min<qint64>(10'000, rows - done)), old.addMSecs(done), done),
                         &error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
    }
    QList<Event> failures;
    for (int i = 0; i < 20'000; ++i) {
        Event e = Event::stateChange(u"endpoint-"_s + QString::number(i % 10000), EndpointState::Down,
                                     Cause(CauseCode::Reset), u"connection reset by peer"_s);
        e.ts = kNow.addDays(-100).addMSecs(i);
        failures << e;
    }
    log->append(failures, &error);
    const EventLogSpace filled = *log->space(&error);
    const qint64 total = rows + failures.size();
    std::printf("log: %lld rows in %.1f s; %.1f MB in use, %.0f bytes a row with its indexes\n", total,
                double(fill.elapsed()) / 1000.0, double(filled.usedBytes()) / 1e6,
                double(filled.usedBytes()) / double(total));

    // Appends alone: 125 samples every 250 ms is 500 a second, the Monitor's limit at 10,000
    // endpoints (2 kinds x 250/s).
    qint64 serial = rows;
    const auto appendOnce = [&](std::vector<double> &latency) {
        QElapsedTimer t;
        t.start();
        const bool ok = log->append(batchOf(125, kNow.addMSecs(serial % 1000), serial), &error);
        latency.push_back(double(t.nsecsElapsed()) / 1e6);
        serial += 125;
        return ok;
    };
    std::vector<double> alone;
    for (int i = 0; i < 400; ++i)
        appendOnce(alone);

    // The two parts of a step on their own: a DELETE of one batch, a release of free pages.
    {
        std::vector<double> deletes, releases;
        for (int i = 0; i < 20; ++i) {
            QElapsedTimer t;
            t.start();
            log->removeOldest({EventKind::Rtt, {}, kNow.addDays(-14), EventLogPruner::kBatchRows}, &error);
            deletes.push_back(double(t.nsecsElapsed()) / 1e6);
            t.restart();
            log->releaseFreePages(EventLogPruner::kReleasePages, &error);
            releases.push_back(double(t.nsecsElapsed()) / 1e6);
        }
        const Stats del = statsOf(deletes), rel = statsOf(releases);
        std::printf(
            "alone: DELETE of %d rows median %.2f ms max %.2f ms; release of %lld pages median %.2f ms "
            "max %.2f ms\n",
            EventLogPruner::kBatchRows, del.p50, del.max, EventLogPruner::kReleasePages, rel.p50, rel.max);
    }

    // Pruning between appends, as the engine thread interleaves them: step, append, step, ...
    EventLogPruner pruner(*log, LogRetention{});
    std::vector<double> steps, during;
    qint64 removed = 0, released = 0;
    QElapsedTimer wall;
    wall.start();
    for (;;) {
        QElapsedTimer t;
        t.start();
        const PruneStep step = pruner.step(kNow);
        steps.push_back(double(t.nsecsElapsed()) / 1e6);
        if (step.failed) {
            std::fprintf(stderr, "%s\n", qPrintable(step.error));
            return 1;
        }
        removed += step.removed;
        released += step.releasedPages;
        appendOnce(during);
        if (!step.more)
            break;
    }
    const double pruneSeconds = double(wall.elapsed()) / 1000.0;
    const EventLogSpace after = *log->space(&error);
    const Stats s = statsOf(steps), a = statsOf(alone), d = statsOf(during);
    std::printf("prune: %lld rows removed in %zu steps (%.1f s of work back to back; at 5 steps a second "
                "the engine spends %.1f%% of its time on it)\n",
                removed, steps.size(), pruneSeconds, 100.0 * s.p50 * 5 / 1000.0);
    std::printf("prune step: median %.2f ms, p99 %.2f ms, longest %.2f ms\n", s.p50, s.p99, s.max);
    std::printf("append of 125 events: alone median %.2f ms p99 %.2f ms max %.2f ms; between prune steps "
                "median %.2f ms p99 %.2f ms max %.2f ms\n",
                a.p50, a.p99, a.max, d.p50, d.p99, d.max);
    std::printf("file: %.1f MB before, %.1f MB after (%lld pages released, %lld free)\n",
                double(filled.pages * filled.pageSize) / 1e6, double(after.pages * after.pageSize) / 1e6,
                released, after.freePages);
    return 0;
}
