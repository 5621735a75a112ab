// kw_bench_scale: Keepwatch at scale on this machine. See docs/benchmarks.md.

#include "scalebench.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"kw_bench_scale"_qs);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Watches N loopback endpoints (heartbeat, keepalive, SQLite log) with the real engine thread while "
        "this thread plays the GUI, and reports CPU, memory, event rates and GUI-thread stalls."_qs);
    parser.addHelpOption();
    const QCommandLineOption endpoints(u"endpoints"_qs, u"Endpoints to watch (default 1000)."_qs, u"n"_qs,
                                       u"1000"_qs);
    const QCommandLineOption ports(u"ports"_qs, u"Peer listening ports (default 8)."_qs, u"n"_qs, u"8"_qs);
    const QCommandLineOption heartbeat(u"heartbeat-ms"_qs, u"Heartbeat interval (default 5000)."_qs, u"ms"_qs,
                                       u"5000"_qs);
    const QCommandLineOption settle(u"settle"_qs, u"Seconds after all Up before measuring (default 10)."_qs,
                                    u"s"_qs, u"10"_qs);
    const QCommandLineOption measure(u"measure"_qs, u"Steady-state window in seconds (default 60)."_qs,
                                     u"s"_qs, u"60"_qs);
    const QCommandLineOption noRestart(u"no-restart"_qs, u"Skip the peer kill/restart phase."_qs);
    const QCommandLineOption peersDown(u"peers-down"_qs, u"Seconds the peers stay dead (default 5)."_qs,
                                       u"s"_qs, u"5"_qs);
    const QCommandLineOption markdown(u"markdown"_qs, u"Append a result row to this Markdown file."_qs,
                                      u"file"_qs);
    const QCommandLineOption label(u"label"_qs, u"Text for the row's run column."_qs, u"text"_qs);
    const QCommandLineOption peers(u"peers"_qs, u"The kw_bench_peers executable."_qs, u"path"_qs,
                                   QStringLiteral(KW_BENCH_PEERS_BINARY));
    const QCommandLineOption minimal(u"minimal"_qs,
                                     u"The kw_bench_minimal executable run beside Keepwatch."_qs, u"path"_qs,
                                     QStringLiteral(KW_BENCH_MINIMAL_BINARY));
    const QCommandLineOption noMinimal(u"no-minimal"_qs,
                                       u"Run Keepwatch alone, without the minimal C monitor."_qs);
    const QCommandLineOption compareMarkdown(
        u"compare-markdown"_qs,
        u"Append the side-by-side rows to this Markdown file (default: the --markdown file's name + "
        "-vs-minimal.md)."_qs,
        u"file"_qs);
    const QCommandLineOption pauseTrials(
        u"pause-trials"_qs, u"SIGSTOPs of the paused peer, heartbeat 1 s x 3 (default 3; 0 skips)."_qs,
        u"n"_qs, u"3"_qs);
    parser.addOptions({endpoints, ports, heartbeat, settle, measure, noRestart, peersDown, markdown, label,
                       peers, minimal, noMinimal, compareMarkdown, pauseTrials});
    parser.process(app);

    kw::bench::BenchOptions options;
    options.endpoints = parser.value(endpoints).toInt();
    options.ports = parser.value(ports).toInt();
    options.heartbeat = std::chrono::milliseconds(parser.value(heartbeat).toInt());
    options.settle = std::chrono::seconds(parser.value(settle).toInt());
    options.measure = std::chrono::seconds(parser.value(measure).toInt());
    options.restart = !parser.isSet(noRestart);
    options.peersDown = std::chrono::seconds(parser.value(peersDown).toInt());
    options.markdownPath = parser.value(markdown);
    options.label = parser.value(label);
    options.peersBinary = parser.value(peers);
    if (!parser.isSet(noMinimal))
        options.minimalBinary = parser.value(minimal);
    options.compareMarkdownPath = parser.value(compareMarkdown);
    if (options.compareMarkdownPath.isEmpty() && !options.markdownPath.isEmpty()) {
        QString base = options.markdownPath;
        if (base.endsWith(u".md"))
            base.chop(3);
        options.compareMarkdownPath = base + u"-vs-minimal.md"_qs;
    }
    options.pauseTrials = parser.value(pauseTrials).toInt();
    if (options.endpoints < 1 || options.ports < 1 || options.heartbeat.count() < 1 ||
        options.measure.count() < 1) {
        std::fprintf(stderr, "--endpoints, --ports, --heartbeat-ms and --measure must be positive\n");
        return 2;
    }

    kw::bench::ScaleBench bench(options);
    int status = 1;
    QTimer::singleShot(0, &app, [&] {
        status = bench.run();
        QCoreApplication::exit(status);
    });
    app.exec();
    return status;
}
