// kw_bench_mqtt: MQTT sessions and device topics at scale on this machine, Keepwatch beside mqtt.js.
// See docs/benchmarks.md.
//
//   kw_bench_mqtt [--sessions 1000,5000] [--mqttjs] [--devices 100000] ...   the driver
//   kw_bench_mqtt hold --port P --sessions N [--watch FILTER]                  Keepwatch's side

#include "mqttbench.h"
#include "mqttholder.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>

#include <cstdio>

namespace {

int hold(QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Keepwatch's side of kw_bench_mqtt: N MQTT endpoints in one engine, "
                                     "reporting in lines on stdout until stdin closes."_qs);
    parser.addHelpOption();
    parser.addPositionalArgument(u"hold"_qs, u"This mode."_qs);
    const QCommandLineOption host(u"host"_qs, u"Broker address (default 127.0.0.1)."_qs, u"address"_qs,
                                  u"127.0.0.1"_qs);
    const QCommandLineOption port(u"port"_qs, u"Broker port."_qs, u"port"_qs, u"1883"_qs);
    const QCommandLineOption sessions(u"sessions"_qs, u"MQTT endpoints (default 1)."_qs, u"n"_qs, u"1"_qs);
    const QCommandLineOption keepAlive(u"keepalive"_qs, u"Keep alive in seconds (default 5)."_qs, u"s"_qs,
                                       u"5"_qs);
    const QCommandLineOption watch(u"watch"_qs, u"Topic filter every endpoint watches for devices."_qs,
                                   u"filter"_qs);
    const QCommandLineOption watchTimeout(
        u"watch-timeout"_qs, u"A device's timeout in seconds (default 90)."_qs, u"s"_qs, u"90"_qs);
    parser.addOptions({host, port, sessions, keepAlive, watch, watchTimeout});
    parser.process(app);

    kw::bench::HolderOptions options;
    options.host = parser.value(host);
    options.port = parser.value(port).toUShort();
    options.sessions = parser.value(sessions).toInt();
    options.keepAlive = std::chrono::seconds(parser.value(keepAlive).toInt());
    options.watchTopic = parser.value(watch);
    options.watchTimeout = std::chrono::seconds(parser.value(watchTimeout).toInt());
    if (options.port == 0 || options.sessions < 1 || options.keepAlive.count() < 0) {
        std::fprintf(stderr, "kw_bench_mqtt hold: --port and --sessions must be positive\n");
        return 2;
    }
    kw::bench::KeepwatchHolder holder(options);
    return holder.run();
}

QList<int> counts(const QString &text, bool *ok)
{
    QList<int> values;
    *ok = true;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts)) {
        const int value = part.trimmed().toInt(ok);
        if (!*ok || value < 1) {
            *ok = false;
            return {};
        }
        values.append(value);
    }
    return values;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"kw_bench_mqtt"_qs);
    if (argc > 1 && qstrcmp(argv[1], "hold") == 0)
        return hold(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Starts a mosquitto on a free port of 127.0.0.1, holds N MQTT 5 "
                                     u"sessions with Keepwatch and then with "
                                     "mqtt.js, one after the other, and watches device topics that "
                                     "kw_bench_mqttpub publishes; reports CPU "
                                     "and memory of each."_qs);
    parser.addHelpOption();
    const QCommandLineOption sessions(u"sessions"_qs,
                                      u"Session counts, comma-separated (default 1000,5000); "
                                      "0 skips the session runs."_qs,
                                      u"n,n"_qs, u"1000,5000"_qs);
    const QCommandLineOption mqttjs(u"mqttjs"_qs, u"Also hold the sessions with mqtt.js (needs node and the "
                                                  "kw_bench_mqttjs target)."_qs);
    const QCommandLineOption noKeepwatch(u"no-keepwatch"_qs, u"Hold the sessions with mqtt.js only."_qs);
    const QCommandLineOption keepAlive(u"keepalive"_qs, u"Keep alive of every session (default 5)."_qs,
                                       u"s"_qs, u"5"_qs);
    const QCommandLineOption devices(
        u"devices"_qs, u"Device topics for the device phase (default 0: none)."_qs, u"n"_qs, u"0"_qs);
    const QCommandLineOption period(
        u"device-period"_qs, u"Seconds between two messages of a device (default 30)."_qs, u"s"_qs, u"30"_qs);
    const QCommandLineOption connections(u"publisher-connections"_qs,
                                         u"The publisher's connections (default 4)."_qs, u"n"_qs, u"4"_qs);
    const QCommandLineOption settle(u"settle"_qs, u"Seconds after all up before measuring (default 10)."_qs,
                                    u"s"_qs, u"10"_qs);
    const QCommandLineOption measure(u"measure"_qs, u"Steady-state window in seconds (default 60)."_qs,
                                     u"s"_qs, u"60"_qs);
    const QCommandLineOption broker(u"broker"_qs, u"The mosquitto executable."_qs, u"path"_qs,
                                    QStringLiteral(KW_BENCH_MOSQUITTO));
    const QCommandLineOption node(u"node"_qs, u"The node executable (default node)."_qs, u"path"_qs,
                                  u"node"_qs);
    const QCommandLineOption mqttjsDir(u"mqttjs-dir"_qs, u"Where hold-sessions.js and node_modules are."_qs,
                                       u"dir"_qs, QStringLiteral(KW_BENCH_MQTTJS_DIR));
    const QCommandLineOption publisher(u"publisher"_qs, u"The kw_bench_mqttpub executable."_qs, u"path"_qs,
                                       QStringLiteral(KW_BENCH_MQTTPUB_BINARY));
    const QCommandLineOption markdown(u"markdown"_qs, u"Append the result tables to this Markdown file."_qs,
                                      u"file"_qs);
    const QCommandLineOption label(u"label"_qs, u"Text for the tables' run column."_qs, u"text"_qs);
    parser.addOptions({sessions, mqttjs, noKeepwatch, keepAlive, devices, period, connections, settle,
                       measure, broker, node, mqttjsDir, publisher, markdown, label});
    parser.process(app);

    kw::bench::MqttBenchOptions options;
    bool ok = true;
    if (parser.value(sessions).trimmed() != u"0")
        options.sessions = counts(parser.value(sessions), &ok);
    options.mqttjs = parser.isSet(mqttjs);
    options.keepwatch = !parser.isSet(noKeepwatch);
    options.keepAlive = std::chrono::seconds(parser.value(keepAlive).toInt());
    options.devices = parser.value(devices).toInt();
    options.devicePeriod = std::chrono::seconds(parser.value(period).toInt());
    options.publisherConnections = parser.value(connections).toInt();
    options.settle = std::chrono::seconds(parser.value(settle).toInt());
    options.measure = std::chrono::seconds(parser.value(measure).toInt());
    options.broker = parser.value(broker);
    options.holder = QCoreApplication::applicationFilePath();
    options.publisher = parser.value(publisher);
    options.node = parser.value(node);
    options.mqttjsDir = parser.value(mqttjsDir);
    options.markdownPath = parser.value(markdown);
    options.label = parser.value(label);
    if (!ok || options.devices < 0 || options.devicePeriod.count() < 1 || options.publisherConnections < 1 ||
        options.measure.count() < 1 || options.keepAlive.count() < 1) {
        std::fprintf(stderr, "--sessions takes positive counts separated by commas (or 0); --devices, "
                             "--device-period, --publisher-connections, --measure and --keepalive must be "
                             "positive\n");
        return 2;
    }

    kw::bench::MqttBench bench(options);
    int status = 1;
    QTimer::singleShot(0, &app, [&] {
        status = bench.run();
        QCoreApplication::exit(status);
    });
    app.exec();
    return status;
}
