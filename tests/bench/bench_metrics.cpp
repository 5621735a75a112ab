// kw_bench_metrics: what a Prometheus scrape of /metrics costs the GUI thread at N endpoints
// (default 10,000). The registry is fed as the engine feeds it (a snapshot of N endpoints, then event
// batches with RTT samples from two sources, keepalive reports, TLS handshakes and drops), then
// MetricsRegistry::render() runs repeatedly. Printed: the time to apply a snapshot, to apply the
// events, and to render (median and max of the runs), and the size of the text. Then the same through
// MetricsServer as the window runs it: scrapes over HTTP from another thread while a 10 ms timer on
// this (the GUI) thread measures how late it runs, and the time of each scrape as a scraper sees it.
// Not a CTest test: it measures this machine. See docs/benchmarks.md.

#include "metricsregistry.h"
#include "metricsserver.h"
#include "stallprobe.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

using namespace kw;

namespace {

SnapshotPtr makeSnapshot(int count, const QDateTime &now)
{
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->generation = 1;
    snapshot->taken = now;
    snapshot->endpoints.reserve(count);
    for (int i = 0; i < count; ++i) {
        EndpointSnapshot e;
        e.name = u"ep-%1"_qs.arg(i, 5, 10, QChar(u'0'));
        e.kind = i % 10 == 9 ? EndpointKind::Mqtt : EndpointKind::Tcp;
        e.target = u"10.%1.%2.%3:%4"_qs.arg(i / 65536).arg((i / 256) % 256).arg(i % 256).arg(5000 + i % 1000);
        e.state = i % 50 == 0 ? EndpointState::Waiting : EndpointState::Up;
        e.since = now.addSecs(-(i % 3600));
        if (i % 7 == 0) {
            e.stats.lastDropCause = u"reset"_qs;
            e.stats.lastDropAt = now.addSecs(-600);
        }
        if (e.kind == EndpointKind::Mqtt) {
            MqttSnapshot mqtt;
            mqtt.devicesUp = 12;
            e.mqtt = std::make_shared<const MqttSnapshot>(std::move(mqtt));
        }
        snapshot->endpoints.append(std::move(e));
    }
    return snapshot;
}

QList<Event> makeEvents(const Snapshot &snapshot)
{
    QList<Event> events;
    const QJsonArray options{
        QJsonObject{{u"option"_qs, u"SO_KEEPALIVE"_qs}, {u"read_back"_qs, 1}},
        QJsonObject{{u"option"_qs, u"TCP_KEEPIDLE"_qs}, {u"read_back"_qs, 30}, {u"unit"_qs, u"s"_qs}},
        QJsonObject{{u"option"_qs, u"TCP_KEEPINTVL"_qs}, {u"read_back"_qs, 5}, {u"unit"_qs, u"s"_qs}},
        QJsonObject{{u"option"_qs, u"TCP_KEEPCNT"_qs}, {u"read_back"_qs, 3}},
    };
    int i = 0;
    for (const EndpointSnapshot &e : snapshot.endpoints) {
        Event keepalive;
        keepalive.endpoint = e.name;
        keepalive.kind = EventKind::Keepalive;
        keepalive.data = QJsonObject{{u"options"_qs, options}, {u"bound_ms"_qs, 45000.0}};
        events << keepalive;
        if (i % 5 == 0)
            events << Event::info(e.name, u"TLS"_qs, {{u"not_after"_qs, u"2027-06-01T00:00:00Z"_qs}});
        for (int s = 0; s < 8; ++s) {
            events << Event::rtt(e.name, 0.05 * (1 << s), u"heartbeat"_qs);
            events << Event::rtt(e.name, 0.2 * (s + 1), u"tcpinfo"_qs);
        }
        if (i % 7 == 0) {
            events << Event::stateChange(e.name, EndpointState::Down, CauseCode::Reset)
                   << Event::stateChange(e.name, EndpointState::Down, CauseCode::Refused)
                   << Event::stateChange(e.name, EndpointState::Up);
        }
        ++i;
    }
    return events;
}

double msSince(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

// One GET /metrics with blocking calls (this runs on a thread without an event loop); the body's size,
// or -1.
qsizetype scrapeOnce(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(10000))
        return -1;
    socket.write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QByteArray received;
    qsizetype headerEnd = -1;
    qsizetype length = -1;
    while (socket.waitForReadyRead(30000)) {
        received += socket.readAll();
        if (headerEnd < 0 && (headerEnd = received.indexOf("\r\n\r\n")) >= 0) {
            const qsizetype at = received.toLower().indexOf("content-length:");
            if (at < 0 || at > headerEnd)
                return -1;
            length = received.mid(at + 15, received.indexOf('\r', at) - at - 15).trimmed().toLongLong();
        }
        if (headerEnd >= 0 && received.size() - headerEnd - 4 >= length)
            return length;
    }
    return -1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Time of a /metrics render at N endpoints."_qs);
    parser.addHelpOption();
    const QCommandLineOption endpointsOption(u"endpoints"_qs, u"Endpoints (default 10000)."_qs, u"N"_qs,
                                             u"10000"_qs);
    const QCommandLineOption runsOption(u"runs"_qs, u"Renders to time (default 20)."_qs, u"N"_qs, u"20"_qs);
    parser.addOption(endpointsOption);
    parser.addOption(runsOption);
    parser.process(app);
    const int count = std::max(1, parser.value(endpointsOption).toInt());
    const int runs = std::max(1, parser.value(runsOption).toInt());

    const QDateTime now = QDateTime::currentDateTimeUtc();
    MetricsRegistry registry(u"bench"_qs);
    const SnapshotPtr snapshot = makeSnapshot(count, now);
    const QList<Event> events = makeEvents(*snapshot);

    QElapsedTimer timer;
    timer.start();
    registry.addSnapshot(snapshot);
    const double snapshotMs = msSince(timer);
    timer.restart();
    registry.addEvents(events);
    const double eventsMs = msSince(timer);
    // A later snapshot of the same endpoints, as every 250 ms in use.
    const SnapshotPtr next = makeSnapshot(count, now);
    timer.restart();
    registry.addSnapshot(next);
    const double nextSnapshotMs = msSince(timer);

    std::vector<double> renders;
    qsizetype bytes = 0;
    qsizetype lines = 0;
    for (int r = 0; r < runs; ++r) {
        timer.restart();
        const QByteArray text = registry.render(now);
        renders.push_back(msSince(timer));
        bytes = text.size();
        lines = text.count('\n');
    }
    std::sort(renders.begin(), renders.end());
    std::printf("endpoints %d, %lld events applied\n", count, static_cast<long long>(events.size()));
    std::printf("addSnapshot: first %.1f ms, next %.1f ms; addEvents: %.1f ms (%.2f us/event)\n", snapshotMs,
                nextSnapshotMs, eventsMs, eventsMs * 1000.0 / double(std::max<qsizetype>(1, events.size())));
    std::printf("render: median %.1f ms, min %.1f ms, max %.1f ms over %d runs; %.1f MB, %lld lines\n",
                renders[renders.size() / 2], renders.front(), renders.back(), runs, double(bytes) / 1e6,
                static_cast<long long>(lines));

    // Served: the render on the server's own thread, the scraper on a thread of its own.
    MetricsServer server(u"bench"_qs);
    QString error;
    if (!server.listen(MetricsAddress{}, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    const quint16 port = quint16(server.url().section(u':', 2).section(u'/', 0, 0).toUInt());
    server.addSnapshot(snapshot);
    server.addEvents(events);
    server.addSnapshot(next);
    bench::StallProbe probe;
    std::vector<double> scrapes;
    std::atomic<bool> failed = false;
    std::thread scraper([&] {
        for (int r = 0; r < runs; ++r) {
            QElapsedTimer one;
            one.start();
            if (scrapeOnce(port) <= 0)
                failed = true;
            scrapes.push_back(msSince(one));
        }
        QMetaObject::invokeMethod(&app, &QCoreApplication::quit, Qt::QueuedConnection);
    });
    // The engine's 4 Hz snapshots go on meanwhile, as in a window.
    QTimer snapshots;
    QObject::connect(&snapshots, &QTimer::timeout, &server, [&] { server.addSnapshot(next); });
    snapshots.start(250);
    probe.start();
    app.exec();
    scraper.join();
    const bench::StallStats stall = probe.stats();
    std::sort(scrapes.begin(), scrapes.end());
    std::printf(
        "served: %d scrapes%s, each median %.1f ms, max %.1f ms; GUI-thread stall (10 ms timer lateness, "
        "%zu ticks) p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
        runs, failed ? " (SOME FAILED)" : "", scrapes[scrapes.size() / 2], scrapes.back(), stall.ticks,
        stall.p50Ms, stall.p99Ms, stall.maxMs);
    return failed ? 1 : 0;
}
