// The command line is a contract (README, scripts, CI): run the real binary.

#include "event.h"
#include "eventlog.h"
#include "socketio.h"
#include "tcpkeepalivesettings.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <csignal>

using namespace kw;

namespace {

const QString kBinary = QString::fromLocal8Bit(KEEPWATCH_BINARY);

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runKeepwatch(const QStringList &arguments, int timeoutMs = 30000)
{
    QProcess process;
    process.start(kBinary, arguments);
    process.waitForFinished(timeoutMs);
    return Run{process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    QFile file(dir.filePath(name));
    file.open(QIODevice::WriteOnly);
    file.write(content);
    return file.fileName();
}

QList<QJsonObject> parseLines(const QByteArray &text)
{
    QList<QJsonObject> objects;
    for (const QByteArray &line : text.split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject()) {
            qWarning() << "not a JSON object line:" << line;
            return {};
        }
        objects.append(doc.object());
    }
    return objects;
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void versionAndHelp()
    {
        const Run version = runKeepwatch({u"--version"_qs});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith("keepwatch "));
        const Run help = runKeepwatch({u"--help"_qs});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("--headless"));
        QVERIFY(help.out.contains("export"));
    }

    void badArguments_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown") << QStringList{u"--frobnicate"_qs}
                                 << u"unknown argument \"--frobnicate\""_qs;
        QTest::newRow("headless without source")
            << QStringList{u"--headless"_qs} << u"--headless needs --workspace FILE or --demo"_qs;
        QTest::newRow("duration not a number")
            << QStringList{u"--headless"_qs, u"--demo"_qs, u"--duration"_qs, u"soon"_qs}
            << u"--duration: expected a positive number of seconds, got \"soon\""_qs;
        QTest::newRow("missing value") << QStringList{u"--workspace"_qs} << u"--workspace needs a value"_qs;
        QTest::newRow("export format") << QStringList{u"export"_qs, u"--format"_qs, u"xml"_qs}
                                       << u"--format: expected csv or jsonl, got \"xml\""_qs;
        QTest::newRow("export without format")
            << QStringList{u"export"_qs} << u"export: --format csv|jsonl is required"_qs;
        QTest::newRow("export csv-raw with jsonl")
            << QStringList{u"export"_qs, u"--format"_qs, u"jsonl"_qs, u"--csv-raw"_qs}
            << u"export: --csv-raw applies to --format csv only"_qs;
        QTest::newRow("export bad time")
            << QStringList{u"export"_qs, u"--format"_qs, u"csv"_qs, u"--since"_qs, u"yesterday"_qs}
            << u"--since: expected a time like"_qs;
        // Ranges are net::validateTcpKeepalive()'s, in the words the workspace loader and the endpoint
        // dialog use for the same value (tst_workspace, tst_endpointdialog).
        QTest::newRow("keepalive count out of range")
            << QStringList{u"keepalive"_qs, u"--count"_qs, u"200"_qs}
            << u"--count: "_qs +
                   QString::fromStdString(net::validateTcpKeepalive({.count = 200}).front().message);
        QTest::newRow("keepalive count in words")
            << QStringList{u"keepalive"_qs, u"--count"_qs, u"200"_qs}
            << u"--count: TCP keepalive count 200 is out of range: use 1..127 probes (the Linux limit of "
               u"TCP_KEEPCNT), or leave it unset for the system default"_qs;
        QTest::newRow("keepalive idle out of range")
            << QStringList{u"keepalive"_qs, u"--idle"_qs, u"40000"_qs}
            << u"--idle: TCP keepalive idle 40000 s is out of range: use 1..32767 s"_qs;
        QTest::newRow("keepalive every bad value on one line")
            << QStringList{u"keepalive"_qs, u"--idle"_qs, u"0"_qs, u"--user-timeout"_qs, u"-1"_qs}
            << u"--idle: TCP keepalive idle 0 s is out of range: use 1..32767 s (the Linux limit of "
               u"TCP_KEEPIDLE), or leave it unset for the system default; --user-timeout: TCP user timeout "
               u"-1 "
               u"ms is out of range"_qs;
        QTest::newRow("keepalive count not a number")
            << QStringList{u"keepalive"_qs, u"--count"_qs, u"many"_qs}
            << u"--count: expected a probe count 1–127, got \"many\""_qs;
    }

    void badArguments()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const Run run = runKeepwatch(arguments);
        QCOMPARE(run.exitCode, 2);
        const QString err = QString::fromUtf8(run.err).trimmed();
        QVERIFY2(!err.contains(u'\n'), qPrintable(u"one line expected: "_qs + err));
        QVERIFY2(err.contains(message), qPrintable(err));
    }

    void invalidWorkspaceNamesTheField()
    {
        QTemporaryDir dir;
        const QByteArray original =
            R"({"version":1,"endpoints":[{"name":"db","kind":"tcp","host":"h","port":"abc"}]})";
        const QString path = writeFile(dir, u"ws.json"_qs, original);
        const Run run = runKeepwatch({u"--headless"_qs, u"--workspace"_qs, path, u"--data-dir"_qs,
                                      dir.filePath(u"data"_qs), u"--duration"_qs, u"1"_qs});
        QCOMPARE(run.exitCode, 2);
        const QString err = QString::fromUtf8(run.err);
        QVERIFY2(err.contains(path + u": endpoints[0].port: expected an integer 1–65535, got \"abc\""),
                 qPrintable(err));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), original);
    }

    void checkValidatesWithoutConnecting()
    {
        QTemporaryDir dir;
        const QString good = writeFile(
            dir, u"good.json"_qs,
            R"({"version":1,"endpoints":[{"name":"a","kind":"tcp","host":"198.51.100.9","port":1}]})");
        const Run ok = runKeepwatch({u"check"_qs, u"--workspace"_qs, good});
        QCOMPARE(ok.exitCode, 0);
        QVERIFY2(ok.out.contains("valid, 1 endpoints"), ok.out.constData());

        const QString bad =
            writeFile(dir, u"bad.json"_qs,
                      R"({"version":1,"endpoints":[{"name":"a","kind":"tcp","host":"h","port":0},)"
                      R"({"name":"a","kind":"tcp","host":"h","port":70000}]})");
        const Run failed = runKeepwatch({u"check"_qs, u"--workspace"_qs, bad});
        QCOMPARE(failed.exitCode, 2);
        const QString err = QString::fromUtf8(failed.err);
        QVERIFY2(err.contains(bad + u": endpoints[0].port"), qPrintable(err));
        QVERIFY2(err.contains(bad + u": endpoints[1].port"), qPrintable(err));
    }

    // `check` lints after validating: warnings fail only with --strict, notes never, an invalid file as
    // before.
    void checkStrictExitCodes_data()
    {
        QTest::addColumn<QByteArray>("workspace");
        QTest::addColumn<int>("plain");
        QTest::addColumn<int>("strict");
        QTest::addColumn<QByteArray>("printed");
        const QByteArray endpoint = R"({"name":"db","kind":"tcp","host":"198.51.100.9","port":1,)";
        QTest::newRow("clean") << QByteArray(R"({"version":1,"path":"aws-nlb","endpoints":[)" + endpoint +
                                             R"("keepalive":{"idle_s":60}}]})")
                               << 0 << 0 << QByteArray();
        QTest::newRow("warning") << QByteArray(R"({"version":1,"path":"aws-nlb","endpoints":[)" + endpoint +
                                               R"("keepalive":{"idle_s":600}}]})")
                                 << 0 << 1
                                 << QByteArray(
                                        "warning: endpoint \"db\": keepalive.idle_s: The first keepalive "
                                        "probe comes after 600 s of silence. AWS Network Load Balancer "
                                        "forgets an idle connection after 350 s");
        // Without "path" the same value is checked against the shortest common timeout, as a note.
        QTest::newRow("note") << QByteArray(R"({"version":1,"endpoints":[)" + endpoint +
                                            R"("keepalive":{"idle_s":300}}]})")
                              << 0 << 0 << QByteArray("note: endpoint \"db\": keepalive.idle_s:");
        QTest::newRow("invalid") << QByteArray(R"({"version":1,"path":"aws","endpoints":[]})") << 2 << 2
                                 << QByteArray();
    }

    void checkStrictExitCodes()
    {
        QFETCH(QByteArray, workspace);
        QFETCH(int, plain);
        QFETCH(int, strict);
        QFETCH(QByteArray, printed);
        QTemporaryDir dir;
        const QString path = writeFile(dir, u"ws.json"_qs, workspace);
        const Run run = runKeepwatch({u"check"_qs, u"--workspace"_qs, path});
        QCOMPARE(run.exitCode, plain);
        QVERIFY2(run.out.contains(printed), run.out.constData());
        if (!printed.isEmpty())
            QVERIFY2(run.out.contains("\n    fix: set keepalive.idle_s to "), run.out.constData());
        if (plain == 2)
            QVERIFY2(run.err.contains(": path: expected one of \"azure-lb\""), run.err.constData());
        const Run strictRun = runKeepwatch({u"check"_qs, u"--workspace"_qs, path, u"--strict"_qs});
        QCOMPARE(strictRun.exitCode, strict);

        // --json: one object with the same verdict.
        const Run json = runKeepwatch({u"check"_qs, u"--strict"_qs, u"--json"_qs, u"--workspace"_qs, path});
        QCOMPARE(json.exitCode, strict);
        const QList<QJsonObject> objects = parseLines(json.out);
        QCOMPARE(objects.size(), 1);
        const QJsonObject report = objects.first();
        QCOMPARE(report.value(u"exit_code").toInt(), strict);
        QCOMPARE(report.value(u"valid").toBool(), plain != 2);
        const QJsonArray findings = report.value(u"findings").toArray();
        QCOMPARE(findings.isEmpty(), printed.isEmpty());
        if (!findings.isEmpty()) {
            const QJsonObject first = findings.first().toObject();
            QCOMPARE(first.value(u"rule").toString(), u"keepalive-idle-above-middlebox"_qs);
            QCOMPARE(first.value(u"endpoint").toString(), u"db"_qs);
            QCOMPARE(first.value(u"key").toString(), u"keepalive.idle_s"_qs);
            QCOMPARE(first.value(u"severity").toString(), strict == 1 ? u"warning"_qs : u"info"_qs);
            QVERIFY(first.value(u"fix").toString().startsWith(u"set keepalive.idle_s to "));
        }
        if (plain == 2)
            QVERIFY(!report.value(u"errors").toArray().isEmpty());
    }

    void keepaliveCommandExplains()
    {
        const Run run = runKeepwatch({u"keepalive"_qs, u"--idle"_qs, u"2"_qs, u"--interval"_qs, u"1"_qs,
                                      u"--count"_qs, u"3"_qs, u"--user-timeout"_qs, u"3000"_qs});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("/proc/sys/net/ipv4/tcp_keepalive_time"));
        QVERIFY(run.out.contains("TCP_KEEPIDLE"));
        QVERIFY(run.out.contains("sysctl"));
    }

    // The headless contract end to end: stream, states, causes, SIGTERM, export.
    void headlessStreamAndExport()
    {
        QTemporaryDir dir;
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QList<QTcpSocket *> accepted;
        connect(&server, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *s = server.nextPendingConnection()) {
                accepted.append(s);
                connect(s, &QTcpSocket::readyRead, s, [s] {
                    while (s->canReadLine()) {
                        s->readLine();
                        s->write("PONG\n");
                    }
                });
            }
        });
        const QByteArray workspace = QStringLiteral(R"({"version":1,"endpoints":[
            {"name":"svc","kind":"tcp","host":"127.0.0.1","port":%1,
             "keepalive":{"enabled":true,"idle_s":5,"interval_s":1,"count":3},
             "heartbeat":{"interval_s":0.2,"send":"PING\n","expect":"PONG","misses":3},
             "reconnect":{"initial_ms":200,"max_ms":1000}}]})")
                                         .arg(server.serverPort())
                                         .toUtf8();
        const QString wsPath = writeFile(dir, u"ws.json"_qs, workspace);
        const QString dataDir = dir.filePath(u"data"_qs);

        QProcess process;
        process.start(kBinary, {u"--headless"_qs, u"--workspace"_qs, wsPath, u"--data-dir"_qs, dataDir,
                                u"--events"_qs, u"-"_qs});
        QVERIFY(process.waitForStarted());
        QByteArray out;
        const auto hasLine = [&](const char *needle) {
            out += process.readAllStandardOutput();
            return out.contains(needle);
        };
        QTRY_VERIFY_WITH_TIMEOUT(hasLine("\"state\":\"up\""), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(hasLine("\"source\":\"heartbeat\""), 10000);

        // The peer resets the connection: the stream names the cause.
        QTRY_VERIFY(!accepted.isEmpty());
        QVERIFY(net::setResetOnClose(accepted.first()->socketDescriptor()));
        accepted.first()->abort();
        QTRY_VERIFY_WITH_TIMEOUT(hasLine("\"cause\":\"reset\""), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(accepted.size() >= 2, 10000);
        // The alert rules announced the drop and the recovery, in the stream like every event.
        QTRY_VERIFY_WITH_TIMEOUT(hasLine("\"alert\":\"up\",\"announced\":true"), 10000);
        QVERIFY(out.contains("\"kind\":\"alert\",\"state\":\"down\",\"cause\":\"reset\""));

        process.terminate(); // SIGTERM: flush the log, exit 0
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
        out += process.readAllStandardOutput();

        const QList<QJsonObject> lines = parseLines(out);
        QVERIFY(!lines.isEmpty());
        for (const QJsonObject &line : lines) {
            QVERIFY(parseTimestamp(line[u"ts"].toString()).has_value());
            QCOMPARE(line[u"endpoint"].toString(), u"svc"_qs);
            QVERIFY(!line[u"kind"].toString().isEmpty());
        }
        QCOMPARE(lines.last()[u"state"].toString(), u"disabled"_qs);
        QCOMPARE(lines.last()[u"cause"].toString(), u"stopped"_qs);
        // Key order is part of the contract.
        QVERIFY(out.startsWith("{\"ts\":\""));
        QVERIFY(out.contains("\",\"endpoint\":\"svc\",\"kind\":\""));

        // Export: JSONL has the stream's lines, in order, less only the RTT and
        // TCP_INFO samples the log spaces out (a heartbeat RTT and a tcpinfo RTT
        // can land within the spacing of each other); every state, cause, alert,
        // keepalive, info and connect RTT is there. CSV has a header and a row
        // per exported event.
        const Run jsonl =
            runKeepwatch({u"export"_qs, u"--data-dir"_qs, dataDir, u"--format"_qs, u"jsonl"_qs});
        QCOMPARE(jsonl.exitCode, 0);
        const QList<QJsonObject> exported = parseLines(jsonl.out);
        const auto spacedSample = [](const QJsonObject &line) {
            const QString kind = line[u"kind"].toString();
            return kind == u"tcpinfo" || (kind == u"rtt" && line[u"source"].toString() != u"connect");
        };
        qsizetype next = 0;
        for (const QJsonObject &line : lines) {
            if (next < exported.size() && exported.at(next) == line) {
                ++next;
                continue;
            }
            if (!spacedSample(line))
                QFAIL(qPrintable(u"the log lacks a streamed line: "_qs +
                                 QString::fromUtf8(QJsonDocument(line).toJson(QJsonDocument::Compact))));
        }
        QCOMPARE(next, exported.size()); // nothing exported that was not streamed, nothing out of order
        QVERIFY(std::any_of(exported.cbegin(), exported.cend(), [](const QJsonObject &line) {
            return line[u"kind"].toString() == u"rtt" && line[u"source"].toString() == u"heartbeat";
        }));

        const QString csvPath = dir.filePath(u"events.csv"_qs);
        const Run csv = runKeepwatch({u"export"_qs, u"--data-dir"_qs, dataDir, u"--format"_qs, u"csv"_qs,
                                      u"--endpoint"_qs, u"svc"_qs, u"-o"_qs, csvPath});
        QCOMPARE(csv.exitCode, 0);
        QFile csvFile(csvPath);
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        const QByteArray csvText = csvFile.readAll();
        QVERIFY(csvText.startsWith("ts,endpoint,kind,state,cause,detail,rtt_ms,source,data\r\n"));
        QCOMPARE(csvText.count("\r\n"), exported.size() + 1);

        const Run none = runKeepwatch({u"export"_qs, u"--data-dir"_qs, dataDir, u"--format"_qs, u"jsonl"_qs,
                                       u"--endpoint"_qs, u"other"_qs});
        QCOMPARE(none.exitCode, 0);
        QVERIFY(none.out.isEmpty());
    }

    // Each line reaches a pipe as it happens, not when a buffer fills or the process ends.
    void streamIsLineBufferedOnAPipe()
    {
        QTemporaryDir dir;
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        const QString ws =
            writeFile(dir, u"ws.json"_qs,
                      QStringLiteral(R"({"version":1,"endpoints":[{"name":"gone","kind":"tcp",)"
                                     R"("host":"127.0.0.1","port":%1}]})")
                          .arg(port)
                          .toUtf8());
        QProcess process;
        process.start(kBinary, {u"--headless"_qs, u"--workspace"_qs, ws, u"--data-dir"_qs, dir.path(),
                                u"--events"_qs, u"-"_qs, u"--duration"_qs, u"30"_qs});
        QVERIFY(process.waitForStarted());
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += process.readAllStandardOutput()).contains("\"cause\":\"refused\""),
                                 5000);
        QCOMPARE(process.state(), QProcess::Running);
        process.terminate();
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 0);
    }

    void headlessDurationEnds()
    {
        QTemporaryDir dir;
        const Run run = runKeepwatch({u"--headless"_qs, u"--demo"_qs, u"--data-dir"_qs, dir.path(),
                                      u"--duration"_qs, u"1.5"_qs, u"--events"_qs, u"-"_qs},
                                     20000);
        QCOMPARE(run.exitCode, 0);
        const QList<QJsonObject> lines = parseLines(run.out);
        QVERIFY(lines.size() > 4);
        QSet<QString> endpoints;
        for (const QJsonObject &line : lines)
            endpoints.insert(line[u"endpoint"].toString());
        QVERIFY2(endpoints.size() >= 3, "the demo starts several endpoints");
    }

    // A log holding text a spreadsheet would run: the CSV export neutralises it, --csv-raw does not.
    void exportNeutralisesFormulas()
    {
        QTemporaryDir dir;
        {
            QString error;
            auto log = EventLog::open(dir.path(), &error);
            QVERIFY2(log, qPrintable(error));
            Event event = Event::info(u"=HYPERLINK(\"http://x\")"_qs, u"-1+2"_qs);
            event.ts = QDateTime(QDate(2026, 11, 21), QTime(18, 0), Qt::UTC);
            QVERIFY2(log->append({event}, &error), qPrintable(error));
        }
        const QByteArray header = "ts,endpoint,kind,state,cause,detail,rtt_ms,source,data\r\n";
        const Run safe =
            runKeepwatch({u"export"_qs, u"--data-dir"_qs, dir.path(), u"--format"_qs, u"csv"_qs});
        QCOMPARE(safe.exitCode, 0);
        QCOMPARE(safe.out,
                 header + "2026-11-21T18:00:00.000Z,\"'=HYPERLINK(\"\"http://x\"\")\",info,,,'-1+2,,,\r\n");
        const Run raw = runKeepwatch(
            {u"export"_qs, u"--data-dir"_qs, dir.path(), u"--format"_qs, u"csv"_qs, u"--csv-raw"_qs});
        QCOMPARE(raw.exitCode, 0);
        QCOMPARE(raw.out,
                 header + "2026-11-21T18:00:00.000Z,\"=HYPERLINK(\"\"http://x\"\")\",info,,,-1+2,,,\r\n");
        QVERIFY(runKeepwatch({u"--help"_qs}).out.contains("--csv-raw"));
    }

    void exportWithoutLogSaysWhere()
    {
        QTemporaryDir dir;
        const Run run = runKeepwatch({u"export"_qs, u"--data-dir"_qs, dir.path(), u"--format"_qs, u"csv"_qs});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("no event log here"), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
