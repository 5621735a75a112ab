// The engine as the window and the headless runner use it: a real engine
// thread, real loopback peers, a real SQLite log and a real workspace file.
// Its deadlines (backoff, publishing, heartbeats, statistics) run on a manual
// clock the test moves, so what takes seconds in use takes milliseconds here.

#include "clocksteps.h"
#include "engine.h"
#include "enginetest.h"
#include "eventlog.h"
#include "eventtostring.h"
#include "manualclock.h"
#include "monitor.h"
#include "pongserver.h"
#include "workspace.h"

#include <QHash>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace kw;
using namespace kw::test;
using namespace std::chrono;

namespace {

EndpointState stateOf(const Engine &engine, const QString &name)
{
    const EndpointSnapshot *e = find(engine.latestSnapshot(), name);
    return e ? e->state : EndpointState::Disabled;
}

// The clock moves while the sockets do their part in real time; the engine
// publishes what happened on its next tick.
bool reaches(ManualClock &clock, const Engine &engine, const QString &name, EndpointState state)
{
    return advanceUntil(
        clock, [&] { return stateOf(engine, name) == state; }, kPatience);
}

} // namespace

class TestEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void snapshotsFollowTheConnection()
    {
        PongServer server;
        QVERIFY(server.listen());
        Workspace workspace;
        workspace.endpoints = {endpoint(u"svc"_qs, server.port())};

        ManualClock clock;
        Engine engine(EngineOptions{}, on(clock));
        // When each snapshot was published on the engine's timeline: clock steps wait for the
        // engine thread, and the snapshot it queued arrives here before the clock moves on.
        QList<TimePoint> publishedAt;
        connect(&engine, &Engine::snapshotReady, this, [&] { publishedAt.append(clock.now()); });
        QString error;
        QVERIFY2(engine.start(workspace, &error), qPrintable(error));
        QVERIFY(reaches(clock, engine, u"svc"_qs, EndpointState::Up));

        const EndpointSnapshot *up = find(engine.latestSnapshot(), u"svc"_qs);
        QVERIFY(up->lastRttMs.has_value());
        QCOMPARE(up->target, u"127.0.0.1:%1"_qs.arg(server.port()));

        // Published at least once a second even when nothing changes (on the publishing tick
        // after a second has passed), never more than 4 times a second.
        const qsizetype before = publishedAt.size();
        advanceBy(clock, milliseconds(2100));
        const qsizetype published = publishedAt.size() - before;
        QVERIFY2(published >= 2, qPrintable(QString::number(published)));
        // From the third on: the first, published at start, may arrive after the clock moved on.
        for (qsizetype i = 2; i < publishedAt.size(); ++i) {
            const auto gap = duration_cast<milliseconds>(publishedAt.at(i) - publishedAt.at(i - 1));
            QVERIFY2(gap >= Monitor::kPublishInterval, qPrintable(QString::number(gap.count())));
            QVERIFY2(gap <= Monitor::kIdleSnapshotInterval + 2 * Monitor::kPublishInterval,
                     qPrintable(QString::number(gap.count())));
        }

        engine.stopEndpoint(u"svc"_qs);
        QVERIFY(reaches(clock, engine, u"svc"_qs, EndpointState::Disabled));
        QCOMPARE(find(engine.latestSnapshot(), u"svc"_qs)->cause, u"stopped"_qs);
        engine.startEndpoint(u"svc"_qs);
        QVERIFY(reaches(clock, engine, u"svc"_qs, EndpointState::Up));
    }

    // While states keep changing every tick has news: snapshots come as fast as allowed, no faster.
    void snapshotsAreCappedWhileStatesChange()
    {
        PongServer server;
        QVERIFY(server.listen());
        connect(&server, &PongServer::accepted, this, [](QTcpSocket *s) { s->disconnectFromHost(); });
        Workspace workspace;
        workspace.endpoints = {endpoint(u"flappy"_qs, server.port())};
        ManualClock clock;
        Engine engine(EngineOptions{}, on(clock));
        QList<TimePoint> publishedAt;
        connect(&engine, &Engine::snapshotReady, this, [&] { publishedAt.append(clock.now()); });
        QString error;
        QVERIFY(engine.start(workspace, &error));
        QVERIFY(advanceUntil(
            clock, [&] { return server.sockets().size() >= 2; }, kPatience));

        const qsizetype before = publishedAt.size();
        advanceBy(clock, seconds(2));
        // Reconnects at most 500 ms apart (the backoff's max): at least every other tick is news.
        const qsizetype published = publishedAt.size() - before;
        QVERIFY2(published >= 4, qPrintable(QString::number(published)));
        for (qsizetype i = before + 1; i < publishedAt.size(); ++i) {
            const auto gap = duration_cast<milliseconds>(publishedAt.at(i) - publishedAt.at(i - 1));
            QVERIFY2(gap >= Monitor::kPublishInterval, qPrintable(QString::number(gap.count())));
        }
    }

    void statisticsCountReconnects()
    {
        PongServer server;
        QVERIFY(server.listen());
        const QList<QTcpSocket *> &accepted = server.sockets();
        Workspace workspace;
        workspace.endpoints = {endpoint(u"svc"_qs, server.port())};
        ManualClock clock;
        Engine engine(EngineOptions{}, on(clock));
        QString error;
        QVERIFY(engine.start(workspace, &error));
        QVERIFY(reaches(clock, engine, u"svc"_qs, EndpointState::Up));
        for (int i = 0; i < 2; ++i) {
            QTRY_COMPARE(accepted.size(), i + 1);
            accepted.last()->disconnectFromHost();
            // Waiting out the backoff (100 ms +- 20 % at first) is the clock's job: real time
            // alone brings no new attempt, moving the clock brings it at once.
            QTest::qWait(200);
            QCOMPARE(accepted.size(), i + 1);
            QVERIFY(advanceUntil(
                clock, [&] { return accepted.size() == i + 2; }, kPatience));
        }
        QVERIFY(reaches(clock, engine, u"svc"_qs, EndpointState::Up));
        QVERIFY(advanceUntil(
            clock, [&] { return find(engine.latestSnapshot(), u"svc"_qs)->stats.reconnects == 2; },
            kPatience));
        const EndpointSnapshot *e = find(engine.latestSnapshot(), u"svc"_qs);
        QCOMPARE(e->cause, QString()); // Up clears the cause
        QVERIFY(e->stats.mttr.has_value());
        // The cause of the last drop stays visible after recovery.
        QCOMPARE(e->stats.lastDropCause, u"peer-closed"_qs);
        QVERIFY(e->stats.lastDropAt.isValid());
        QVERIFY(e->stats.lastDropAt <= QDateTime::currentDateTimeUtc());
        QVERIFY(e->stats.uptimeSessionPercent > 0.0);
    }

    // Flapping is the alert rules': tst_enginealerts.

    void editsApplyAndPersist()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"ws.json"_qs);
        PongServer a;
        PongServer b;
        QVERIFY(a.listen());
        QVERIFY(b.listen());
        Workspace workspace;
        workspace.endpoints = {endpoint(u"a"_qs, a.port())};
        QString error;
        QVERIFY(saveWorkspace(path, workspace, &error));

        ManualClock clock;
        Engine engine(EngineOptions{QString(), path}, on(clock));
        QVERIFY(engine.start(workspace, &error));
        QVERIFY(reaches(clock, engine, u"a"_qs, EndpointState::Up));

        QVERIFY(engine.addEndpoint(endpoint(u"b"_qs, b.port()), &error));
        QVERIFY(!engine.addEndpoint(endpoint(u"b"_qs, b.port()), &error));
        QVERIFY2(error.contains(u"exists already"), qPrintable(error));
        QVERIFY(reaches(clock, engine, u"b"_qs, EndpointState::Up));

        EndpointConfig moved = endpoint(u"b2"_qs, a.port());
        QVERIFY(engine.updateEndpoint(u"b"_qs, moved, &error));
        QVERIFY(reaches(clock, engine, u"b2"_qs, EndpointState::Up));
        QVERIFY(!find(engine.latestSnapshot(), u"b"_qs));

        QVERIFY(engine.removeEndpoint(u"a"_qs, &error));
        QVERIFY(advanceUntil(
            clock, [&] { return !find(engine.latestSnapshot(), u"a"_qs); }, kPatience));

        const WorkspaceResult saved = loadWorkspace(path);
        QVERIFY(saved.ok());
        QCOMPARE(saved.workspace->endpoints.size(), 1);
        QCOMPARE(saved.workspace->endpoints.first().name, u"b2"_qs);
        QCOMPARE(saved.workspace->endpoints.first().port, a.port());
    }

    void eventsReachTheLogAndTheStream()
    {
        QTemporaryDir dir;
        PongServer server;
        QVERIFY(server.listen());
        Workspace workspace;
        workspace.endpoints = {endpoint(u"svc"_qs, server.port())};
        QList<Event> streamed;
        {
            ManualClock clock;
            Engine engine(EngineOptions{dir.path(), QString()}, on(clock));
            connect(&engine, &Engine::eventsReady, this,
                    [&](const QList<Event> &batch) { streamed += batch; });
            QString error;
            QVERIFY(engine.start(workspace, &error));
            QVERIFY(reaches(clock, engine, u"svc"_qs, EndpointState::Up));
            engine.shutdown();
        }
        QVERIFY(!streamed.isEmpty());
        QCOMPARE(streamed.last().state, EndpointState::Disabled);
        QCOMPARE(streamed.last().cause, Cause(CauseCode::Stopped));

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
        PongServer server;
        constexpr int kEndpoints = 250; // log spacing 250 x 4 ms = 1 s per endpoint
        server.server().setMaxPendingConnections(kEndpoints);
        // All connect at once: a SYN the backlog drops is retried after a second of real time,
        // and the clock would run on meanwhile.
        server.server().setListenBacklogSize(kEndpoints);
        QVERIFY(server.listen());
        Workspace workspace;
        for (int i = 0; i < kEndpoints; ++i) {
            EndpointConfig c = endpoint(u"e%1"_qs.arg(i), server.port());
            HeartbeatConfig hb;
            hb.interval = milliseconds(100);
            hb.send = "PING\n";
            hb.expect = "PONG";
            c.heartbeat = hb;
            workspace.endpoints.append(c);
        }
        const auto isHeartbeatRtt = [](const Event &e) {
            return e.kind == EventKind::Rtt && e.source == u"heartbeat";
        };
        QList<Event> streamed;
        // How long each endpoint sent heartbeats, on the engine's clock. A batch arrives within one
        // publishing tick (at most 250 + 128 ms) of its first sample.
        constexpr Duration kBatchDelay = milliseconds(400);
        QHash<QString, TimePoint> firstSampleAt;
        TimePoint stoppedAt{};
        {
            ManualClock clock;
            Engine engine(EngineOptions{dir.path(), QString()}, on(clock));
            connect(&engine, &Engine::eventsReady, this, [&](const QList<Event> &batch) {
                streamed += batch;
                for (const Event &e : batch) {
                    if (isHeartbeatRtt(e) && !firstSampleAt.contains(e.endpoint))
                        firstSampleAt.insert(e.endpoint, clock.now() - kBatchDelay);
                }
            });
            QString error;
            QVERIFY(engine.start(workspace, &error));
            // Steps well under the heartbeat interval, with real time between them for the
            // peer's replies, so no reply is judged late because the clock outran the sockets.
            const ClockSteps steps{milliseconds(20), milliseconds(2)};
            QVERIFY(advanceUntil(
                clock, [&] { return server.sockets().size() == kEndpoints; }, kPatience, steps));
            advanceBy(clock, seconds(3), steps);
            stoppedAt = clock.now();
            engine.shutdown();
        }
        QString error;
        auto log = EventLog::open(dir.path(), &error);
        QVERIFY2(log, qPrintable(error));
        const QList<Event> logged = log->query(EventQuery{}, &error);

        const auto count = [](const QList<Event> &events, auto predicate) {
            return std::count_if(events.begin(), events.end(), predicate);
        };
        const auto isState = [](const Event &e) { return e.kind == EventKind::State; };
        QCOMPARE(count(logged, isState), count(streamed, isState));
        const auto streamedRtt = count(streamed, isHeartbeatRtt);
        QVERIFY2(streamedRtt >= kEndpoints * 10, qPrintable(QString::number(streamedRtt)));
        // Each endpoint: at most one logged sample per second it sent heartbeats, and the log still
        // holds some of every endpoint's 3 s and more.
        QHash<QString, int> loggedRtt;
        for (const Event &e : logged) {
            if (isHeartbeatRtt(e))
                ++loggedRtt[e.endpoint];
        }
        QCOMPARE(firstSampleAt.size(), kEndpoints);
        for (auto it = firstSampleAt.cbegin(); it != firstSampleAt.cend(); ++it) {
            const Duration watched = stoppedAt - it.value();
            const int allowed = int(duration_cast<seconds>(watched).count()) + 1;
            const int kept = loggedRtt.value(it.key());
            const QString detail = u"%1: %2 logged in %3 ms"_qs.arg(it.key()).arg(kept).arg(
                duration_cast<milliseconds>(watched).count());
            QVERIFY2(kept <= allowed, qPrintable(detail));
            QVERIFY2(kept >= 2, qPrintable(detail));
        }
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
