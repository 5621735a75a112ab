// kw_bench_endpointlist: the endpoint list (the real EndpointPanel, shown on the offscreen
// platform) with 10,000 endpoints updating at the engine's 4 Hz. A producer thread plays the
// engine: every 250 ms a new snapshot with ~5 % of the endpoints changed (state, RTT, reconnects)
// and their events, each changed row with a new revision (--no-revision: none, so the list compares
// every row's fields). This thread plays the GUI. Reported: GUI-thread stalls (a 10 ms precise
// timer's lateness, StallProbe) and the time of each apply + repaint, then the time to filter
// (typing, a state filter), to sort by each column and to switch the grouping.
// Not a CTest test: it measures this machine. See docs/benchmarks.md.

#include "cachedtextdelegate.h"
#include "endpointfilterproxymodel.h"
#include "endpointpanel.h"
#include "endpointtablemodel.h"
#include "event.h"
#include "snapshot.h"
#include "stallprobe.h"

#include <QApplication>
#include <QComboBox>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QLineEdit>
#include <QTimer>
#include <QTreeView>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <utility>
#include <vector>

using namespace kw;

namespace {

struct Batch
{
    SnapshotPtr snapshot;
    QList<Event> events;
};

// The engine's side: owns the endpoints, mutates ~5 % per tick, hands over immutable snapshots.
class Producer
{
public:
    Producer(int count, double changeShare, bool revisions)
        : m_changeShare(changeShare), m_revisions(revisions)
    {
        const QStringList tagPool{u"prod"_qs, u"staging"_qs, u"lab"_qs, u"edge"_qs, u"db"_qs, u"cache"_qs};
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (int i = 0; i < count; ++i) {
            EndpointSnapshot e;
            e.name = u"ep-%1"_qs.arg(i, 5, 10, QChar(u'0'));
            e.kind = EndpointKind(i % 4);
            e.target =
                u"10.%1.%2.%3:%4"_qs.arg(i / 65536).arg((i / 256) % 256).arg(i % 256).arg(5000 + i % 1000);
            e.tags = {tagPool.at(i % 6)};
            if (i % 3 == 0)
                e.tags.append(tagPool.at((i / 3 + 1) % 6));
            e.enabled = true;
            e.state = EndpointState::Up;
            e.since = now.addSecs(-(i % 3600));
            e.lastRttMs = 0.2 + (i % 50) * 0.1;
            e.lastRttSource = u"heartbeat"_qs;
            e.keepalive = u"on, idle 10 s, interval 2 s, count 3"_qs;
            e.detectionBound = u"silent peer: 16 s"_qs;
            e.stats.uptimeSessionPercent = 99.0 + (i % 100) / 100.0;
            e.revision = m_revisions ? ++m_revision : 0;
            m_endpoints.append(e);
        }
    }

    // History as the GUI would replay it at start: 15 minutes of RTT samples and a few drops.
    QList<Event> seedHistory() const
    {
        QList<Event> events;
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (int i = 0; i < m_endpoints.size(); ++i) {
            const QString &name = m_endpoints.at(i).name;
            for (int s = 900; s > 0; s -= 15) {
                Event rtt = Event::rtt(name, 0.2 + ((s + i) % 23) * 0.3, u"heartbeat"_qs);
                rtt.ts = now.addSecs(-s);
                events.append(rtt);
            }
            if (i % 10 == 0) {
                Event down = Event::stateChange(name, EndpointState::Down);
                down.ts = now.addSecs(-(60 + i % 700));
                Event up = Event::stateChange(name, EndpointState::Up);
                up.ts = down.ts.addSecs(5 + i % 40);
                events << down << up;
            }
        }
        return events;
    }

    Batch next()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        Batch batch;
        const int changes = std::max(1, int(double(m_endpoints.size()) * m_changeShare));
        std::uniform_int_distribution<int> pick(0, int(m_endpoints.size()) - 1);
        std::uniform_real_distribution<double> rtt(0.1, 30.0);
        for (int k = 0; k < changes; ++k) {
            EndpointSnapshot &e = m_endpoints[pick(m_random)];
            // A fifth of the changes are state changes, the rest RTT samples.
            if (k % 5 == 0) {
                const EndpointState nextState = e.state == EndpointState::Up     ? EndpointState::Down
                                                : e.state == EndpointState::Down ? EndpointState::Waiting
                                                                                 : EndpointState::Up;
                e.state = nextState;
                e.since = now;
                e.cause = nextState == EndpointState::Down ? u"reset"_qs : e.cause;
                if (nextState == EndpointState::Up)
                    ++e.stats.reconnects;
                batch.events.append(Event::stateChange(e.name, nextState));
            } else {
                e.lastRttMs = rtt(m_random);
                batch.events.append(Event::rtt(e.name, *e.lastRttMs, u"heartbeat"_qs));
            }
            if (m_revisions)
                e.revision = ++m_revision;
        }
        auto snapshot = std::make_shared<Snapshot>();
        snapshot->generation = ++m_generation;
        snapshot->taken = now;
        snapshot->endpoints = m_endpoints;
        snapshot->endpoints.detach();
        batch.snapshot = std::move(snapshot);
        return batch;
    }

private:
    QList<EndpointSnapshot> m_endpoints;
    double m_changeShare;
    bool m_revisions;
    quint64 m_generation = 0;
    quint64 m_revision = 0;
    std::mt19937 m_random{7};
};

struct Quantiles
{
    double p50 = 0;
    double p99 = 0;
    double max = 0;
};

Quantiles quantiles(std::vector<double> samples)
{
    Quantiles q;
    if (samples.empty())
        return q;
    std::sort(samples.begin(), samples.end());
    const auto at = [&](double f) {
        return samples[std::min(samples.size() - 1, size_t(f * double(samples.size() - 1) + 0.5))];
    };
    q.p50 = at(0.5);
    q.p99 = at(0.99);
    q.max = samples.back();
    return q;
}

// Times the paint events of one widget (the list's viewport) wherever the event loop runs them.
class PaintTimingApplication final : public QApplication
{
public:
    using QApplication::QApplication;

    QObject *watched = nullptr;

    double takePaintMs() { return std::exchange(m_paintMs, 0.0); }

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (receiver != watched || event->type() != QEvent::Paint)
            return QApplication::notify(receiver, event);
        QElapsedTimer timer;
        timer.start();
        const bool done = QApplication::notify(receiver, event);
        m_paintMs += double(timer.nsecsElapsed()) / 1e6;
        return done;
    }

private:
    double m_paintMs = 0;
};

double timeMs(const std::function<void()> &work)
{
    QElapsedTimer timer;
    timer.start();
    work();
    return double(timer.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    PaintTimingApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"kw_bench_endpointlist"_qs);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"The endpoint list with N endpoints updating at 4 Hz: stalls, filter and sort times."_qs);
    parser.addHelpOption();
    const QCommandLineOption endpointsOption(u"endpoints"_qs, u"Endpoints (default 10000)."_qs, u"n"_qs,
                                             u"10000"_qs);
    const QCommandLineOption secondsOption(u"seconds"_qs, u"Seconds of updates (default 30)."_qs, u"s"_qs,
                                           u"30"_qs);
    const QCommandLineOption shareOption(
        u"change"_qs, u"Share of endpoints changed per snapshot (default 0.05)."_qs, u"f"_qs, u"0.05"_qs);
    const QCommandLineOption noStripOption(u"no-strip"_qs,
                                           u"Hide the state strip column (to see its share)."_qs);
    const QCommandLineOption heightOption(u"height"_qs, u"Height of the list in pixels (default 800)."_qs,
                                          u"px"_qs, u"800"_qs);
    const QCommandLineOption fullRepaintOption(
        u"full-repaint"_qs,
        u"Repaint the whole list after each snapshot, not only what the view marked changed."_qs);
    const QCommandLineOption noRevisionOption(
        u"no-revision"_qs, u"Snapshots without row revisions: the list compares every row's fields."_qs);
    parser.addOptions({endpointsOption, secondsOption, shareOption, noStripOption, heightOption,
                       noRevisionOption, fullRepaintOption});
    parser.process(app);
    const int count = parser.value(endpointsOption).toInt();
    const int seconds = parser.value(secondsOption).toInt();
    const double share = parser.value(shareOption).toDouble();
    if (count < 1 || seconds < 1 || share <= 0 || share > 1) {
        std::fprintf(stderr, "--endpoints and --seconds must be positive, --change in (0, 1]\n");
        return 2;
    }

    Producer producer(count, share, !parser.isSet(noRevisionOption));
    const bool fullRepaint = parser.isSet(fullRepaintOption);
    EndpointPanel panel;
    panel.resize(1280, parser.value(heightOption).toInt());
    panel.show();
    QTreeView *view = panel.table();
    view->setColumnHidden(EndpointTableModel::StripColumn, parser.isSet(noStripOption));
    EndpointTableModel *model = panel.model();
    app.watched = view->viewport();

    QElapsedTimer setup;
    setup.start();
    const Batch first = producer.next();
    const QList<Event> history = producer.seedHistory();
    panel.appendEvents(history);
    const double firstApplyMs = timeMs([&] {
        panel.applySnapshot(first.snapshot);
        view->viewport()->repaint();
    });
    std::printf(
        "kw_bench_endpointlist: %d endpoints, %d s of snapshots every 250 ms with %.0f %% changed; list "
        "%dx%d px, %d rows visible%s%s\n",
        count, seconds, share * 100, view->viewport()->width(), view->viewport()->height(),
        view->viewport()->height() / std::max(1, view->sizeHintForRow(0)),
        parser.isSet(noStripOption) ? ", strip hidden" : "",
        parser.isSet(noRevisionOption) ? ", rows without revisions" : "");
    std::printf("  first snapshot: apply + paint %.1f ms (after %lld history events)\n", firstApplyMs,
                qlonglong(history.size()));

    // The engine thread: one batch ready ahead, as the real engine publishes at most 4 Hz.
    std::mutex mutex;
    std::condition_variable wake;
    std::optional<Batch> ready;
    std::atomic_bool stop = false;
    std::thread engine([&] {
        while (!stop) {
            Batch batch = producer.next();
            std::unique_lock lock(mutex);
            wake.wait(lock, [&] { return !ready || stop; });
            ready = std::move(batch);
        }
    });

    // Sorted by state while updating: every state change moves a row (the costly case).
    view->sortByColumn(EndpointTableModel::StateColumn, Qt::DescendingOrder);
    bench::StallProbe probe;
    std::vector<double> applyMs;
    std::vector<double> phaseSnapshotMs;
    std::vector<double> phaseEventsMs;
    std::vector<double> phasePaintMs;
    QTimer tick;
    tick.setInterval(250);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        std::optional<Batch> batch;
        {
            std::lock_guard lock(mutex);
            batch.swap(ready);
        }
        wake.notify_one();
        if (!batch)
            return;
        double snapshotMs = 0;
        double eventsMs = 0;
        double paintMs = 0;
        applyMs.push_back(timeMs([&] {
            snapshotMs = timeMs([&] { panel.applySnapshot(batch->snapshot); });
            eventsMs = timeMs([&] { panel.appendEvents(batch->events); });
            // By default what a window paints: what the view marked changed, painted by the event
            // loop after the previous snapshot (timed as it runs); --full-repaint: every visible row, now.
            if (fullRepaint)
                paintMs = timeMs([&] { view->viewport()->repaint(); });
            else
                paintMs = app.takePaintMs();
        }));
        phaseSnapshotMs.push_back(snapshotMs);
        phaseEventsMs.push_back(eventsMs);
        phasePaintMs.push_back(paintMs);
    });
    // MainWindow's one-second tick: relative times and the strips slide.
    QTimer relative;
    relative.setInterval(1000);
    QObject::connect(&relative, &QTimer::timeout, model, &EndpointTableModel::refreshRelativeTimes);
    app.takePaintMs(); // the first snapshot's paint is counted above
    probe.start();
    tick.start();
    relative.start();
    QTimer::singleShot(seconds * 1000, &app, &QCoreApplication::quit);
    app.exec();
    tick.stop();
    relative.stop();
    {
        std::lock_guard lock(mutex);
        stop = true;
    }
    wake.notify_all();
    engine.join();

    const bench::StallStats stalls = probe.stats();
    const Quantiles apply = quantiles(applyMs);
    std::printf(
        "  GUI-thread stall (10 ms timer lateness, %zu ticks): p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
        stalls.ticks, stalls.p50Ms, stalls.p99Ms, stalls.maxMs);
    std::printf(
        "  apply snapshot + events + repaint (%zu snapshots, sorted by state, %s): p50 %.2f ms, p99 %.2f ms, "
        "max %.2f ms\n",
        applyMs.size(), fullRepaint ? "full repaint" : "repaint of what changed", apply.p50, apply.p99,
        apply.max);
    std::printf(
        "    of which (p50 / p99): snapshot %.2f / %.2f ms, events %.2f / %.2f ms, repaint %.2f / %.2f ms\n",
        quantiles(phaseSnapshotMs).p50, quantiles(phaseSnapshotMs).p99, quantiles(phaseEventsMs).p50,
        quantiles(phaseEventsMs).p99, quantiles(phasePaintMs).p50, quantiles(phasePaintMs).p99);

    // How many text cells the updates painted from their cached layout (CachedTextDelegate).
    if (const auto *text = qobject_cast<const CachedTextDelegate *>(view->itemDelegate())) {
        const qint64 cells = text->hits() + text->layouts();
        std::printf("    text cells painted: %lld, %.1f %% from the cached layout (%d layouts kept)%s\n",
                    qlonglong(cells), cells > 0 ? 100.0 * double(text->hits()) / double(cells) : 0.0,
                    text->cachedCells(),
                    CachedTextDelegate::canCache(view->style()) ? "" : "; this style is painted uncached");
    }

    // Filtering: each keystroke re-filters every row; the repaint is part of what a person waits for.
    const QString typed = u"ep-012"_qs;
    std::vector<double> keystrokes;
    for (qsizetype i = 1; i <= typed.size(); ++i) {
        keystrokes.push_back(timeMs([&] {
            panel.filterEdit()->setText(typed.left(i));
            view->viewport()->repaint();
        }));
    }
    const int textRows = panel.proxy()->rowCount();
    const double clearText = timeMs([&] {
        panel.filterEdit()->clear();
        view->viewport()->repaint();
    });
    const Quantiles typing = quantiles(keystrokes);
    std::printf(
        "  filter by text, typing \"%s\" (%d rows left): per keystroke max %.1f ms, median %.1f ms; clear "
        "%.1f ms\n",
        qPrintable(typed), textRows, typing.max, typing.p50, clearText);
    QComboBox *states = panel.stateFilter();
    const double downFilter = timeMs([&] {
        states->setCurrentIndex(states->findText(u"Down"_qs));
        view->viewport()->repaint();
    });
    const int downRows = panel.proxy()->rowCount();
    const double notUpFilter = timeMs([&] {
        states->setCurrentIndex(states->findText(u"Not up"_qs));
        view->viewport()->repaint();
    });
    const double allStates = timeMs([&] {
        states->setCurrentIndex(0);
        view->viewport()->repaint();
    });
    std::printf("  filter by state: Down %.1f ms (%d rows), Not up %.1f ms, back to all %.1f ms\n",
                downFilter, downRows, notUpFilter, allStates);
    QComboBox *tags = panel.tagFilter();
    const double tagFilter = timeMs([&] {
        tags->setCurrentIndex(tags->findData(u"edge"_qs));
        view->viewport()->repaint();
    });
    const int tagRows = panel.proxy()->rowCount();
    tags->setCurrentIndex(0);
    std::printf("  filter by tag \"edge\": %.1f ms (%d rows)\n", tagFilter, tagRows);
    QSet<QString> names;
    for (int i = 0; i < count; i += 37)
        names.insert(u"ep-%1"_qs.arg(i, 5, 10, QChar(u'0')));
    const double nameFilter = timeMs([&] {
        panel.setNameFilter(names, u"dropped at 10:41"_qs);
        view->viewport()->repaint();
    });
    panel.clearNameFilter();
    std::printf("  filter by a set of %lld names: %.1f ms\n", qlonglong(names.size()), nameFilter);

    std::printf("  sort by column (ascending, then descending):\n");
    double worstSort = 0;
    for (int column = 0; column < EndpointTableModel::ColumnCount; ++column) {
        const double up = timeMs([&] {
            view->sortByColumn(column, Qt::AscendingOrder);
            view->viewport()->repaint();
        });
        const double down = timeMs([&] {
            view->sortByColumn(column, Qt::DescendingOrder);
            view->viewport()->repaint();
        });
        worstSort = std::max({worstSort, up, down});
        std::printf("    %-12s %7.1f ms %7.1f ms\n",
                    qPrintable(model->headerData(column, Qt::Horizontal).toString()), up, down);
    }
    QComboBox *group = panel.groupBox();
    const double grouping = timeMs([&] {
        group->setCurrentIndex(1);
        view->viewport()->repaint();
    });
    const Batch grouped = producer.next();
    const double groupedApply = timeMs([&] {
        panel.applySnapshot(grouped.snapshot);
        panel.appendEvents(grouped.events);
        view->viewport()->repaint();
    });
    std::printf("  group by tag: switch %.1f ms; a snapshot while grouped %.1f ms\n", grouping, groupedApply);
    std::printf("  targets: stall p99 < 50 ms: %s; filter and sort < 100 ms: %s\n",
                stalls.p99Ms < 50 ? "met" : "MISSED",
                std::max({typing.max, downFilter, notUpFilter, allStates, tagFilter, nameFilter, worstSort}) <
                        100
                    ? "met"
                    : "MISSED");
    return 0;
}
