// The real keepwatch binary under a low open-file limit (prlimit from util-linux sets it for the child):
// it raises the soft limit when it may, warns when the workspace needs more than allowed, blames this
// machine (local-limit) and not the peer for the endpoints that get no socket, and loses no event.

#include "resourcelimits.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>
#include <vector>

namespace {

const QString kBinary = QString::fromLocal8Bit(KEEPWATCH_BINARY);
constexpr int kEndpoints = 150;
constexpr int kRunSeconds = 6;

QList<QJsonObject> parseLines(const QByteArray &text)
{
    QList<QJsonObject> objects;
    for (const QByteArray &line : text.split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (!doc.isObject()) {
            qWarning() << "not a JSON object line:" << line;
            return {};
        }
        objects.append(doc.object());
    }
    return objects;
}

QString keyOf(const QJsonObject &event)
{
    return event.value(u"endpoint"_qs).toString() + u' ' + event.value(u"kind"_qs).toString() + u' ' +
           event.value(u"state"_qs).toString() + u' ' + event.value(u"cause"_qs).toString();
}

// The events the log keeps whatever it thins (Monitor::shouldLog): state changes, keepalive reports,
// info events and connect RTTs. Periodic RTT and TCP_INFO samples may be thinned.
bool alwaysLogged(const QJsonObject &event)
{
    const QString kind = event.value(u"kind"_qs).toString();
    if (kind == u"rtt")
        return event.value(u"source"_qs).toString() == u"connect";
    return kind != u"tcpinfo";
}

QHash<QString, int> countAlwaysLogged(const QList<QJsonObject> &events)
{
    QHash<QString, int> counts;
    for (const QJsonObject &event : events)
        if (alwaysLogged(event))
            ++counts[keyOf(event)];
    return counts;
}

struct Outcome
{
    QByteArray err;
    QList<QJsonObject> stream;
    QList<QJsonObject> exported;
};

} // namespace

class TestDescriptorLimit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void raisesTheSoftLimitAndWatchesEveryEndpoint();
    void tooLowHardLimitWarnsBlamesThisMachineAndLosesNothing();

private:
    bool run(const QString &nofile, Outcome *outcome);

    QString m_prlimit;
    QTcpServer m_server;
    std::vector<std::unique_ptr<QTcpSocket>> m_peers;
};

void TestDescriptorLimit::initTestCase()
{
    m_prlimit = QStandardPaths::findExecutable(u"prlimit"_qs);
    if (m_prlimit.isEmpty()) {
        if (qEnvironmentVariable("CI") == u"true")
            QFAIL("prlimit (util-linux) is not installed; CI must have it (apt-get install util-linux)");
        QSKIP("prlimit (util-linux) is not installed");
    }
    // The test holds the other end of every connection: it needs as many descriptors as keepwatch may.
    kw::net::raiseDescriptorLimit();
    QVERIFY(m_server.listen(QHostAddress::LocalHost));
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *peer = m_server.nextPendingConnection())
            m_peers.emplace_back(peer);
    });
}

bool TestDescriptorLimit::run(const QString &nofile, Outcome *outcome)
{
    QTemporaryDir dir;
    QJsonArray endpoints;
    for (int i = 0; i < kEndpoints; ++i) {
        endpoints.append(QJsonObject{{u"name"_qs, u"ep%1"_qs.arg(i, 3, 10, QLatin1Char('0'))},
                                     {u"kind"_qs, u"tcp"_qs},
                                     {u"host"_qs, u"127.0.0.1"_qs},
                                     {u"port"_qs, m_server.serverPort()}});
    }
    QFile workspace(dir.filePath(u"workspace.json"_qs));
    if (!workspace.open(QIODevice::WriteOnly))
        return false;
    workspace.write(QJsonDocument(QJsonObject{{u"version"_qs, 1}, {u"endpoints"_qs, endpoints}}).toJson());
    workspace.close();
    const QString dataDir = dir.filePath(u"data"_qs);
    const QString eventsPath = dir.filePath(u"events.jsonl"_qs);

    QProcess monitor;
    monitor.start(m_prlimit, {u"--nofile="_qs + nofile, kBinary, u"--headless"_qs, u"--workspace"_qs,
                              workspace.fileName(), u"--duration"_qs, QString::number(kRunSeconds),
                              u"--events"_qs, eventsPath, u"--data-dir"_qs, dataDir});
    if (!monitor.waitForStarted(5000))
        return false;
    // The event loop runs meanwhile, so that the server accepts its connections.
    const QDeadlineTimer deadline(std::chrono::seconds(kRunSeconds + 30));
    while (monitor.state() != QProcess::NotRunning && !deadline.hasExpired())
        QTest::qWait(50);
    if (monitor.state() != QProcess::NotRunning) {
        qWarning("keepwatch did not stop within %d s", kRunSeconds + 30);
        monitor.kill();
        monitor.waitForFinished(5000);
        return false;
    }
    outcome->err = monitor.readAllStandardError();
    if (monitor.exitStatus() != QProcess::NormalExit || monitor.exitCode() != 0) {
        qWarning().noquote() << "keepwatch exited with" << monitor.exitCode() << outcome->err;
        return false;
    }
    QFile events(eventsPath);
    if (!events.open(QIODevice::ReadOnly))
        return false;
    outcome->stream = parseLines(events.readAll());

    QProcess exporter;
    exporter.start(kBinary, {u"export"_qs, u"--format"_qs, u"jsonl"_qs, u"--data-dir"_qs, dataDir});
    if (!exporter.waitForFinished(30000) || exporter.exitCode() != 0) {
        qWarning().noquote() << "export failed:" << exporter.readAllStandardError();
        return false;
    }
    outcome->exported = parseLines(exporter.readAllStandardOutput());
    m_peers.clear();
    return !outcome->stream.isEmpty();
}

void TestDescriptorLimit::raisesTheSoftLimitAndWatchesEveryEndpoint()
{
    const kw::net::DescriptorLimit limit = kw::net::descriptorLimit();
    if (limit.hard != kw::net::kUnlimitedDescriptors && limit.hard < kEndpoints + 100)
        QFAIL(qPrintable(
            u"the hard open-file limit of this test (%1) is too low to show the raise"_qs.arg(limit.hard)));
    const QString hard =
        limit.hard == kw::net::kUnlimitedDescriptors ? u"unlimited"_qs : QString::number(limit.hard);

    Outcome outcome;
    QVERIFY(run(u"64:"_qs + hard, &outcome));

    QSet<QString> up;
    for (const QJsonObject &event : std::as_const(outcome.stream)) {
        QVERIFY2(event.value(u"cause"_qs).toString() != u"local-limit", qPrintable(keyOf(event)));
        if (event.value(u"state"_qs).toString() == u"up")
            up.insert(event.value(u"endpoint"_qs).toString());
    }
    QCOMPARE(up.size(), kEndpoints);
    QVERIFY2(!outcome.err.contains("file descriptors"), outcome.err.constData());
}

void TestDescriptorLimit::tooLowHardLimitWarnsBlamesThisMachineAndLosesNothing()
{
    Outcome outcome;
    QVERIFY(run(u"64:64"_qs, &outcome));
    const QString err = QString::fromUtf8(outcome.err);

    // One line at start, naming the need, the limit and the fix.
    const QStringList warnings =
        err.split(u'\n').filter(u"keepwatch: warning: this workspace needs about "_qs);
    QCOMPARE(warnings.size(), 1);
    const QString warning = warnings.first();
    QVERIFY2(warning.contains(u"needs about %1 file descriptors"_qs.arg(
                 kw::net::DescriptorBudget{kEndpoints, 0}.needed())),
             qPrintable(warning));
    QVERIFY2(warning.contains(u"(RLIMIT_NOFILE soft 64, hard 64)"_qs), qPrintable(warning));
    QVERIFY2(warning.contains(u"ulimit -n"_qs) && warning.contains(u"LimitNOFILE="_qs), qPrintable(warning));
    // The log never failed, and never blamed permissions.
    QVERIFY2(!err.contains(u"not written"_qs) && !err.contains(u"permissions"_qs), qPrintable(err));

    QSet<QString> up;
    int localLimit = 0;
    for (const QJsonObject &event : std::as_const(outcome.stream)) {
        if (event.value(u"kind"_qs).toString() != u"state")
            continue;
        const QString state = event.value(u"state"_qs).toString();
        const QString cause = event.value(u"cause"_qs).toString();
        if (state == u"up")
            up.insert(event.value(u"endpoint"_qs).toString());
        if (state == u"down") {
            QVERIFY2(cause == u"local-limit" || cause == u"stopped", qPrintable(keyOf(event)));
            if (cause == u"local-limit") {
                ++localLimit;
                QVERIFY2(
                    event.value(u"detail"_qs)
                        .toString()
                        .contains(
                            u"EMFILE (24): Too many open files; this process may hold 64 descriptors"_qs),
                    qPrintable(event.value(u"detail"_qs).toString()));
            }
        }
    }
    QVERIFY2(!up.isEmpty(), "no endpoint came up under the limit");
    QVERIFY2(up.size() < kEndpoints, "every endpoint came up: the limit did not bite");
    QVERIFY(localLimit > 0);

    // Every event the stream printed is in the log; the warning is there besides.
    QHash<QString, int> expected = countAlwaysLogged(outcome.stream);
    const QHash<QString, int> stored = countAlwaysLogged(outcome.exported);
    ++expected[u" info  "_qs];
    QCOMPARE(stored, expected);
    const auto warningEvent =
        std::find_if(outcome.exported.cbegin(), outcome.exported.cend(), [](const QJsonObject &e) {
            return e.value(u"kind"_qs).toString() == u"info" && e.value(u"endpoint"_qs).toString().isEmpty();
        });
    QVERIFY(warningEvent != outcome.exported.cend());
    QCOMPARE(warningEvent->value(u"limit_soft"_qs).toInt(), 64);
    QVERIFY(warningEvent->value(u"detail"_qs).toString().contains(u"needs about"_qs));
    qInfo("%lld events streamed, %lld exported; %lld endpoints up, %d local-limit drops",
          static_cast<long long>(outcome.stream.size()), static_cast<long long>(outcome.exported.size()),
          static_cast<long long>(up.size()), localLimit);
}

QTEST_GUILESS_MAIN(TestDescriptorLimit)
#include "tst_descriptorlimit.moc"
