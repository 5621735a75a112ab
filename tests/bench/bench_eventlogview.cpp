// kw_bench_eventlogview: the window's event log over a large SQLite log. See docs/benchmarks.md.
//
// Writes a log of --events events (default 1,000,000: mostly RTT samples, some state changes and
// TCP_INFO reads, over --endpoints endpoints) once into a directory that later runs reuse, then
// times the real EventLogView over it: from construction to the first visible rows, scrolling to
// the top, the middle and the end until the rows there are read, and an endpoint and a state filter.
// Prints the numbers; it is no CTest test, the times belong to the machine.

#include "eventlog.h"
#include "eventlogmodel.h"
#include "eventlogview.h"
#include "exportdialog.h"
#include "historyreader.h"
#include "processstats.h"

#include <QApplication>
#include <QComboBox>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLineEdit>
#include <QTableView>

#include <cstdio>
#include <memory>

using namespace kw;

namespace {

QString endpointName(int i)
{
    return u"endpoint-%1"_qs.arg(i, 3, 10, QLatin1Char('0'));
}

bool writeLog(const QString &dir, qint64 count, int endpoints)
{
    QString error;
    std::unique_ptr<EventLog> log = EventLog::open(dir, &error);
    if (!log) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return false;
    }
    // A week of history ending now, in batches like the engine's.
    const QDateTime end = QDateTime::currentDateTimeUtc();
    const qint64 spanMs = 7LL * 24 * 3600 * 1000;
    const QDateTime start = end.addMSecs(-spanMs);
    quint64 seed = 0x9E3779B97F4A7C15ULL;
    const auto next = [&seed] {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        return seed;
    };
    constexpr int kBatch = 10'000;
    QList<Event> batch;
    batch.reserve(kBatch);
    static const EndpointState states[] = {EndpointState::Down, EndpointState::Waiting,
                                           EndpointState::Connecting, EndpointState::Up,
                                           EndpointState::Suspect};
    for (qint64 i = 0; i < count; ++i) {
        const QString endpoint = endpointName(int(next() % quint64(endpoints)));
        const int roll = int(next() % 100);
        Event e;
        if (roll < 85) {
            e = Event::rtt(endpoint, double(next() % 20'000) / 1000.0, u"heartbeat"_qs);
        } else if (roll < 95) {
            e = Event::rtt(endpoint, double(next() % 20'000) / 1000.0, u"tcpinfo"_qs);
            e.kind = EventKind::TcpInfo;
            e.data =
                QJsonObject{{u"probes"_qs, 0}, {u"retransmits"_qs, int(next() % 3)}, {u"rttvar_ms"_qs, 0.4}};
        } else {
            const EndpointState state = states[next() % std::size(states)];
            e = Event::stateChange(endpoint, state,
                                   state == EndpointState::Down ? Cause(CauseCode::Reset) : Cause(),
                                   state == EndpointState::Down ? u"connection reset by peer"_qs : QString());
        }
        e.ts = start.addMSecs(spanMs * i / count);
        batch.append(e);
        if (batch.size() == kBatch || i == count - 1) {
            if (!log->append(batch, &error)) {
                std::fprintf(stderr, "%s\n", qPrintable(error));
                return false;
            }
            batch.clear();
        }
    }
    return true;
}

// Runs the event loop until the rows in the view's viewport are read (not "…") and no count is in
// flight; the milliseconds that took, -1 past the timeout.
double untilShown(EventLogView &view, const QElapsedTimer &since)
{
    QTableView *table = view.table();
    EventLogModel *model = view.model();
    while (since.elapsed() < 60'000) {
        QApplication::processEvents(QEventLoop::AllEvents, 5);
        if (model->isCounting())
            continue;
        if (model->rowCount() == 0)
            return double(since.nsecsElapsed()) / 1e6;
        int top = table->rowAt(0);
        int bottom = table->rowAt(table->viewport()->height() - 1);
        if (top < 0)
            continue;
        if (bottom < 0)
            bottom = model->rowCount() - 1;
        if (model->isRowLoaded(top) && model->isRowLoaded(bottom)) {
            table->viewport()->repaint(); // the rows drawn, not only read
            return double(since.nsecsElapsed()) / 1e6;
        }
    }
    return -1;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"kw_bench_eventlogview"_qs);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Times the window's event log over a large SQLite event log."_qs);
    parser.addHelpOption();
    const QCommandLineOption events(u"events"_qs, u"Events in the log (default 1000000)."_qs, u"n"_qs,
                                    u"1000000"_qs);
    const QCommandLineOption endpoints(u"endpoints"_qs, u"Endpoints (default 100)."_qs, u"n"_qs, u"100"_qs);
    const QCommandLineOption dirOption(u"dir"_qs, u"Where the log is kept between runs."_qs, u"path"_qs);
    const QCommandLineOption fresh(u"fresh"_qs, u"Write the log again even if it is there."_qs);
    const QCommandLineOption png(u"png"_qs, u"Save pictures of the view and the export dialog here."_qs,
                                 u"dir"_qs);
    parser.addOptions({events, endpoints, dirOption, fresh, png});
    parser.process(app);

    const qint64 count = parser.value(events).toLongLong();
    const int endpointCount = std::max(1, parser.value(endpoints).toInt());
    const QString dir = parser.isSet(dirOption)
                            ? parser.value(dirOption)
                            : QDir::temp().filePath(u"kw_bench_eventlogview-%1"_qs.arg(count));
    const QString file = QDir(dir).filePath(u"events.sqlite"_qs);
    if (parser.isSet(fresh) && QFileInfo::exists(dir))
        QDir(dir).removeRecursively();
    if (!QFileInfo::exists(file)) {
        QElapsedTimer writing;
        writing.start();
        std::printf("writing %lld events over %d endpoints to %s ...\n", count, endpointCount,
                    qPrintable(file));
        if (!writeLog(dir, count, endpointCount))
            return 1;
        std::printf("written in %.1f s, %.0f MB\n", double(writing.elapsed()) / 1000.0,
                    double(QFileInfo(file).size()) / 1e6);
    }
    std::printf("log: %s (%.0f MB)\n", qPrintable(file), double(QFileInfo(file).size()) / 1e6);
    const double rssBefore = bench::selfMemory().rssMb;

    QElapsedTimer clock;
    clock.start();
    HistoryReader reader(dir);
    EventLogView view;
    view.resize(1000, 600);
    view.setHistoryReader(&reader);
    view.show();
    const double open = untilShown(view, clock);
    std::printf("rows: %d\n", view.model()->rowCount());
    std::printf("open to first visible rows: %8.1f ms (target < 500)\n", open);

    const auto timed = [&view](const char *what, const std::function<void()> &action) {
        QElapsedTimer t;
        t.start();
        action();
        const double ms = untilShown(view, t);
        std::printf("%-30s %8.1f ms (%d rows)\n", what, ms, view.model()->rowCount());
    };
    QTableView *table = view.table();
    timed("scroll to the top:", [table] { table->scrollToTop(); });
    timed("scroll to the middle:", [table] {
        table->scrollTo(table->model()->index(table->model()->rowCount() / 2, 0),
                        QAbstractItemView::PositionAtTop);
    });
    timed("scroll to 3/4:", [table] {
        table->scrollTo(table->model()->index(table->model()->rowCount() * 3 / 4, 0),
                        QAbstractItemView::PositionAtTop);
    });
    timed("scroll to the end:", [table] { table->scrollToBottom(); });
    auto *endpoint = view.findChild<QLineEdit *>(u"eventLogEndpointFilter"_qs);
    timed("endpoint filter:", [endpoint] {
        endpoint->setText(endpointName(42));
        Q_EMIT endpoint->returnPressed();
    });
    timed("endpoint filter, middle:", [table] {
        table->scrollTo(table->model()->index(table->model()->rowCount() / 2, 0),
                        QAbstractItemView::PositionAtTop);
    });
    timed("endpoint filter cleared:", [endpoint] {
        endpoint->clear();
        Q_EMIT endpoint->returnPressed();
    });
    auto *state = view.findChild<QComboBox *>(u"eventLogStateFilter"_qs);
    timed("state filter (down):", [state] { state->setCurrentIndex(state->findText(u"down"_qs)); });
    timed("state filter, top:", [table] { table->scrollToTop(); });
    timed("state filter cleared:", [state] { state->setCurrentIndex(0); });
    timed("RTT samples hidden:", [&view] { view.setShowRtt(false); });

    if (parser.isSet(png)) {
        view.setShowRtt(true);
        untilShown(view, clock);
        const QString out = QDir(parser.value(png)).filePath(u"eventlogview.png"_qs);
        view.grab().save(out);
        view.resize(560, 300); // half of a 1024-pixel window
        untilShown(view, clock);
        view.grab().save(QDir(parser.value(png)).filePath(u"eventlogview-narrow.png"_qs));
        ExportDialog dialog(&reader, {endpointName(0), endpointName(1), endpointName(2)});
        dialog.show();
        dialog.grab().save(QDir(parser.value(png)).filePath(u"exportdialog.png"_qs));
        std::printf("pictures in %s\n", qPrintable(parser.value(png)));
    }

    const bench::MemoryUse memory = bench::selfMemory();
    std::printf("RSS: %.1f MB (%.1f MB before the view; peak %.1f MB)\n", memory.rssMb, rssBefore,
                memory.peakMb);
    return open >= 0 ? 0 : 1;
}
