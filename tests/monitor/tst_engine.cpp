// The engine as the window and the headless runner use it: a real engine
// thread, real loopback peers, a real SQLite log and a real workspace file.

#include "engine.h"
#include "eventlog.h"
#include "workspace.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace kw;
using namespace std::chrono;

namespace {

EndpointConfig endpoint(const QString &name, quint16 port)
{
    EndpointConfig c;
    c.name = name;
    c.host = u"127.0.0.1"_qs;
    c.port = port;
    c.reconnect.initial = milliseconds(100);
    c.reconnect.max = milliseconds(500);
    return c;
}

const EndpointSnapshot *find(const SnapshotPtr &snapshot, const QString &name)
{
    if (!snapshot)
        return nullptr;
    for (const EndpointSnapshot &e : snapshot->endpoints) {
        if (e.name == name)
            return &e;
    }
    return nullptr;
}

EndpointState stateOf(const Engine &engine, const QString &name)
{
    const EndpointSnapshot *e = find(engine.latestSnapshot(), name);
    return e ? e->state : EndpointState::Disabled;
}

} // namespace

class TestEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void snapshotsFollowTheConnection()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        Workspace workspace;
        workspace.endpoints = {endpoint(u"svc"_qs, server.serverPort())};

        Engine engine(EngineOptions{});
        QSignalSpy snapshots(&engine, &Engine::snapshotReady);
        QString error;
        QVERIFY2(engine.start(workspace, &error), qPrintable(error));
        QTRY_COMPARE(stateOf(engine, u"svc"_qs), EndpointState::Up);

        const EndpointSnapshot *up = find(engine.latestSnapshot(), u"svc"_qs);
        QVERIFY(up->lastRttMs.has_value());
        QCOMPARE(up->target, u"127.0.0.1:%1"_qs.arg(server.serverPort()));

        // Published at most 4 times a second. Judged by when each snapshot was taken on the
        // engine thread, not when it arrived here: a busy GUI thread receives several at once.
        const qsizetype before = snapshots.size();
        QTest::qWait(1500);
        QVERIFY(snapshots.size() > before); // at least once a second even when nothing changes
        // From the third on: the first is published at start, off the engine's timer grid.
        for (qsizetype i = 2; i < snapshots.size(); ++i) {
            const QDateTime previous = snapshots.at(i - 1).first().value<SnapshotPtr>()->taken;
            const QDateTime taken = snapshots.at(i).first().value<SnapshotPtr>()->taken;
            QVERIFY2(previous.msecsTo(taken) >= 200, qPrintable(QString::number(previous.msecsTo(taken))));
        }

        engine.stopEndpoint(u"svc"_qs);
        QTRY_COMPARE(stateOf(engine, u"svc"_qs), EndpointState::Disabled);
        QCOMPARE(find(engine.latestSnapshot(), u"svc"_qs)->cause, u"stopped"_qs);
        engine.startEndpoint(u"svc"_qs);
        QTRY_COMPARE(stateOf(engine, u"svc"_qs), EndpointState::Up);
    }

    void statisticsCountReconnects()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QList<QTcpSocket *> accepted;
        connect(&server, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *s = server.nextPendingConnection())
                accepted.append(s);
        });
        Workspace workspace;
        workspace.endpoints = {endpoint(u"svc"_qs, server.serverPort())};
        Engine engine(EngineOptions{});
        QString error;
        QVERIFY(engine.start(workspace, &error));
        QTRY_COMPARE(stateOf(engine, u"svc"_qs), EndpointState::Up);
        for (int i = 0; i < 2; ++i) {
            QTRY_COMPARE(accepted.size(), i + 1);
            accepted.last()->disconnectFromHost();
            QTRY_COMPARE(accepted.size(), i + 2);
        }
        QTRY_COMPARE(stateOf(engine, u"svc"_qs), EndpointState::Up);
        QTRY_COMPARE(find(engine.latestSnapshot(), u"svc"_qs)->stats.reconnects, 2);
        const EndpointSnapshot *e = find(engine.latestSnapshot(), u"svc"_qs);
        QCOMPARE(e->cause, QString()); // Up clears the cause
        QVERIFY(e->stats.mttr.has_value());
        // The cause of the last drop stays visible after recovery.
        QCOMPARE(e->stats.lastDropCause, u"peer-closed"_qs);
        QVERIFY(e->stats.lastDropAt.isValid());
        QVERIFY(e->stats.lastDropAt <= QDateTime::currentDateTimeUtc());
        QVERIFY(e->stats.uptimeSessionPercent > 0.0);
    }

    void flappingIsFlaggedAndAnnounced()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        // Accepts and hangs up at once: up, down, up, down ...
        connect(&server, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *s = server.nextPendingConnection())
                QTimer::singleShot(20, s, [s] { s->disconnectFromHost(); });
        });
        Workspace workspace;
        workspace.endpoints = {endpoint(u"flappy"_qs, server.serverPort())};
        Engine engine(EngineOptions{});
        QList<Event> infos;
        connect(&engine, &Engine::eventsReady, this, [&](const QList<Event> &batch) {
            for (const Event &e : batch) {
                if (e.kind == u"info" && e.data.contains(u"flapping"))
                    infos.append(e);
            }
        });
        QString error;
        QVERIFY(engine.start(workspace, &error));
        QTRY_VERIFY_WITH_TIMEOUT(!infos.isEmpty(), 15000);
        QVERIFY(infos.first().data.value(u"flapping").toBool());
        QVERIFY2(infos.first().detail.startsWith(u"flapping:"), qPrintable(infos.first().detail));
        QTRY_VERIFY(find(engine.latestSnapshot(), u"flappy"_qs)->stats.flapping);
    }

    void editsApplyAndPersist()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"ws.json"_qs);
        QTcpServer a;
        QTcpServer b;
        QVERIFY(a.listen(QHostAddress::LocalHost, 0));
        QVERIFY(b.listen(QHostAddress::LocalHost, 0));
        Workspace workspace;
        workspace.endpoints = {endpoint(u"a"_qs, a.serverPort())};
        QString error;
        QVERIFY(saveWorkspace(path, workspace, &error));

        Engine engine(EngineOptions{QString(), path});
        QVERIFY(engine.start(workspace, &error));
        QTRY_COMPARE(stateOf(engine, u"a"_qs), EndpointState::Up);

        QVERIFY(engine.addEndpoint(endpoint(u"b"_qs, b.serverPort()), &error));
        QVERIFY(!engine.addEndpoint(endpoint(u"b"_qs, b.serverPort()), &error));
        QVERIFY2(error.contains(u"exists already"), qPrintable(error));
        QTRY_COMPARE(stateOf(engine, u"b"_qs), EndpointState::Up);

        EndpointConfig moved = endpoint(u"b2"_qs, a.serverPort());
        QVERIFY(engine.updateEndpoint(u"b"_qs, moved, &error));
        QTRY_COMPARE(stateOf(engine, u"b2"_qs), EndpointState::Up);
        QVERIFY(!find(engine.latestSnapshot(), u"b"_qs));

        QVERIFY(engine.removeEndpoint(u"a"_qs, &error));
        QTRY_VERIFY(!find(engine.latestSnapshot(), u"a"_qs));

        const WorkspaceResult saved = loadWorkspace(path);
        QVERIFY(saved.ok());
        QCOMPARE(saved.workspace->endpoints.size(), 1);
        QCOMPARE(saved.workspace->endpoints.first().name, u"b2"_qs);
        QCOMPARE(saved.workspace->endpoints.first().port, a.serverPort());
    }

    void eventsReachTheLogAndTheStream()
    {
        QTemporaryDir dir;
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        Workspace workspace;
        workspace.endpoints = {endpoint(u"svc"_qs, server.serverPort())};
        QList<Event> streamed;
        {
            Engine engine(EngineOptions{dir.path(), QString()});
            connect(&engine, &Engine::eventsReady, this,
                    [&](const QList<Event> &batch) { streamed += batch; });
            QString error;
            QVERIFY(engine.start(workspace, &error));
            QTRY_COMPARE(stateOf(engine, u"svc"_qs), EndpointState::Up);
            engine.shutdown();
        }
        QVERIFY(!streamed.isEmpty());
        QCOMPARE(streamed.last().state, u"disabled"_qs);
        QCOMPARE(streamed.last().cause, u"stopped"_qs);

        QString error;
        auto log = EventLog::open(dir.path(), &error);
        QVERIFY2(log, qPrintable(error));
        const QList<Event> logged = log->query(EventQuery{}, &error);
        QCOMPARE(logged.size(), streamed.size());
        for (qsizetype i = 0; i < logged.size(); ++i)
            QCOMPARE(logged.at(i).toJsonLine(), streamed.at(i).toJsonLine());
    }

    // At scale the log keeps state changes and thins samples; the stream keeps everything.
    void logThinsSamplesButKeepsEveryStateChange()
    {
        QTemporaryDir dir;
        QTcpServer server;
        server.setMaxPendingConnections(1000);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        connect(&server, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *s = server.nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, s, [s] {
                    while (s->canReadLine()) {
                        s->readLine();
                        s->write("PONG\n");
                    }
                });
            }
        });
        constexpr int kEndpoints = 250; // log spacing 250 x 4 ms = 1 s per endpoint
        Workspace workspace;
        for (int i = 0; i < kEndpoints; ++i) {
            EndpointConfig c = endpoint(u"e%1"_qs.arg(i), server.serverPort());
            HeartbeatConfig hb;
            hb.interval = milliseconds(100);
            hb.send = "PING\n";
            hb.expect = "PONG";
            c.heartbeat = hb;
            workspace.endpoints.append(c);
        }
        QList<Event> streamed;
        {
            Engine engine(EngineOptions{dir.path(), QString()});
            connect(&engine, &Engine::eventsReady, this,
                    [&](const QList<Event> &batch) { streamed += batch; });
            QString error;
            QVERIFY(engine.start(workspace, &error));
            QTest::qWait(3000);
            engine.shutdown();
        }
        QString error;
        auto log = EventLog::open(dir.path(), &error);
        QVERIFY2(log, qPrintable(error));
        const QList<Event> logged = log->query(EventQuery{}, &error);

        const auto count = [](const QList<Event> &events, auto predicate) {
            return std::count_if(events.begin(), events.end(), predicate);
        };
        const auto isState = [](const Event &e) { return e.kind == u"state"; };
        const auto isHeartbeatRtt = [](const Event &e) {
            return e.kind == u"rtt" && e.source == u"heartbeat";
        };
        QCOMPARE(count(logged, isState), count(streamed, isState));
        const auto streamedRtt = count(streamed, isHeartbeatRtt);
        const auto loggedRtt = count(logged, isHeartbeatRtt);
        QVERIFY2(streamedRtt >= kEndpoints * 10, qPrintable(QString::number(streamedRtt)));
        // About 3 s at one logged sample per endpoint per second.
        QVERIFY2(loggedRtt <= kEndpoints * 4, qPrintable(QString::number(loggedRtt)));
        QVERIFY2(loggedRtt >= kEndpoints, qPrintable(QString::number(loggedRtt)));
    }

    void unusableDataDirIsAClearError()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"not-a-dir"_qs);
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        Engine engine(EngineOptions{file, QString()});
        QString error;
        QVERIFY(!engine.start(Workspace{}, &error));
        QVERIFY2(error.contains(file), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
