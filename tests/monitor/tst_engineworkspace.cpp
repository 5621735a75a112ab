// Engine::replaceWorkspace and saveWorkspaceAs on a real engine thread with real loopback peers:
// what File > Open, File > New and File > Save As do to the running sessions and to the files.

#include "clocksteps.h"
#include "engine.h"
#include "enginetest.h"
#include "eventlog.h"
#include "logretention.h"
#include "manualclock.h"
#include "monitor.h"
#include "pongserver.h"
#include "workspace.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace kw;
using namespace kw::test;
using namespace std::chrono;

namespace {

bool isUp(const Engine &engine, const QString &name)
{
    const EndpointSnapshot *e = find(engine.latestSnapshot(), name);
    return e && e->state == EndpointState::Up;
}

QStringList snapshotNames(const Engine &engine)
{
    QStringList names;
    if (const SnapshotPtr snapshot = engine.latestSnapshot()) {
        for (const EndpointSnapshot &e : snapshot->endpoints)
            names << e.name;
    }
    names.sort();
    return names;
}

} // namespace

class TestEngineWorkspace : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The event log's retention runs from the engine timers: its first step after kFirstDelay, the
    // next ones kBusyInterval apart while a backlog is left, then one every kIdleInterval.
    void logRetentionRunsOnTheEngineTimers()
    {
        QTemporaryDir dir;
        QString error;
        auto log = EventLog::open(dir.path(), &error);
        QVERIFY2(log, qPrintable(error));
        const QDateTime wall = QDateTime(QDate(2026, 11, 21), QTime(18, 0), Qt::UTC);
        QList<Event> old;
        for (int i = 0; i < 2500; ++i) {
            Event e = Event::rtt(u"db"_qs, 0.5, u"heartbeat"_qs);
            e.ts = wall.addDays(-30).addMSecs(i);
            old << e;
        }
        Event failure = Event::info(u"db"_qs, u"kept: younger than keep_days"_qs);
        failure.ts = wall.addDays(-30);
        old << failure;
        QVERIFY(log->append(old, &error));

        ManualClock clock;
        EngineTimers timers(clock);
        LogRetentionTimer retention(*log, timers, LogRetention{}, [wall] { return wall; });
        retention.start();
        const milliseconds slack = EngineTimers::kMaxSlack;
        clock.advance(LogRetentionTimer::kFirstDelay - milliseconds(1));
        QCOMPARE(retention.removedTotal(), 0);
        clock.advance(milliseconds(1) + slack);
        QVERIFY(retention.removedTotal() > 0);
        int steps = 1;
        while (retention.removedTotal() < 2500 && steps < 200) {
            clock.advance(LogRetentionTimer::kBusyInterval + slack);
            ++steps;
        }
        QCOMPARE(retention.removedTotal(), 2500);
        QVERIFY(steps >= 3);                        // batches of at most 1,000 rows
        QCOMPARE(timers.pending(), std::size_t(1)); // the next step stays scheduled
        EventQuery all;
        QCOMPARE(log->count(all, &error), 1);
        // The step after the last batch finds nothing; from then on a new backlog waits for the next
        // idle step.
        clock.advance(LogRetentionTimer::kBusyInterval + slack);
        QVERIFY(log->append(old.mid(0, 10), &error));
        clock.advance(LogRetentionTimer::kBusyInterval * 4);
        QCOMPARE(log->count(all, &error), 11);
        clock.advance(LogRetentionTimer::kIdleInterval + slack);
        QCOMPARE(log->count(all, &error), 1);
    }

    void replaceKeepsUnchangedSessions()
    {
        PongServer a;
        PongServer b;
        PongServer c;
        QVERIFY(a.listen());
        QVERIFY(b.listen());
        QVERIFY(c.listen());
        Workspace first;
        first.endpoints = {endpoint(u"same"_qs, a.port()), endpoint(u"moved"_qs, b.port()),
                           endpoint(u"gone"_qs, c.port())};

        ManualClock clock;
        Engine engine(EngineOptions{}, on(clock));
        QString error;
        QVERIFY2(engine.start(first, &error), qPrintable(error));
        QVERIFY(advanceUntil(
            clock,
            [&] { return isUp(engine, u"same"_qs) && isUp(engine, u"moved"_qs) && isUp(engine, u"gone"_qs); },
            kPatience));
        const QDateTime sameSince = find(engine.latestSnapshot(), u"same"_qs)->since;
        QSignalSpy sameAccepted(&a, &PongServer::accepted);

        QTemporaryDir dir;
        const QString path = dir.filePath(u"opened.json"_qs);
        Workspace second;
        second.endpoints = {endpoint(u"same"_qs, a.port()), endpoint(u"moved"_qs, c.port()),
                            endpoint(u"new"_qs, b.port())};
        second.endpoints[1].tags = {u"edited"_qs};
        QVERIFY(saveWorkspace(path, second, &error));
        QSignalSpy changed(&engine, &Engine::workspaceChanged);
        QSignalSpy pathChanged(&engine, &Engine::workspacePathChanged);
        QVERIFY2(engine.replaceWorkspace(second, path, &error), qPrintable(error));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(pathChanged.size(), 1);
        QCOMPARE(engine.options().workspacePath, path);
        QVERIFY(!engine.hasUnsavedChanges());

        QVERIFY(advanceUntil(
            clock,
            [&] {
                const EndpointSnapshot *moved = find(engine.latestSnapshot(), u"moved"_qs);
                return snapshotNames(engine) == QStringList{u"moved"_qs, u"new"_qs, u"same"_qs} &&
                       isUp(engine, u"new"_qs) && moved && moved->tags == QStringList{u"edited"_qs} &&
                       moved->state == EndpointState::Up;
            },
            kPatience));
        // The unchanged endpoint kept its session: the same state since the same moment, and its
        // peer saw no new connection.
        const EndpointSnapshot *same = find(engine.latestSnapshot(), u"same"_qs);
        QCOMPARE(same->state, EndpointState::Up);
        QCOMPARE(same->since, sameSince);
        QCOMPARE(sameAccepted.size(), 0);
        QCOMPARE(find(engine.latestSnapshot(), u"moved"_qs)->target, u"127.0.0.1:%1"_qs.arg(c.port()));

        // An edit now goes to the opened file.
        QVERIFY(engine.removeEndpoint(u"new"_qs, &error));
        const WorkspaceResult saved = loadWorkspace(path);
        QVERIFY(saved.ok());
        QCOMPARE(saved.workspace->endpoints.size(), 2);
    }

    void unusableWorkspaceChangesNothing()
    {
        PongServer a;
        QVERIFY(a.listen());
        Workspace first;
        first.endpoints = {endpoint(u"a"_qs, a.port())};
        ManualClock clock;
        Engine engine(EngineOptions{}, on(clock));
        QString error;
        QVERIFY(engine.start(first, &error));

        Workspace twice;
        twice.endpoints = {endpoint(u"x"_qs, a.port()), endpoint(u"x"_qs, a.port())};
        QSignalSpy changed(&engine, &Engine::workspaceChanged);
        QVERIFY(!engine.replaceWorkspace(twice, u"/tmp/elsewhere.json"_qs, &error));
        QVERIFY2(error.contains(u"\"x\""), qPrintable(error));
        Workspace blank;
        blank.endpoints = {endpoint(u" "_qs, a.port())};
        QVERIFY(!engine.replaceWorkspace(blank, QString(), &error));
        QVERIFY2(error.contains(u"no name"), qPrintable(error));
        QCOMPARE(changed.size(), 0);
        QCOMPARE(engine.workspace().endpoints, first.endpoints);
        QVERIFY(engine.options().workspacePath.isEmpty());
        QVERIFY(advanceUntil(
            clock, [&] { return isUp(engine, u"a"_qs); }, kPatience));
        QCOMPARE(snapshotNames(engine), QStringList{u"a"_qs});
    }

    void editsWithoutAFileAreUnsavedUntilSavedAs()
    {
        ManualClock clock;
        Engine engine(EngineOptions{}, on(clock));
        QString error;
        QVERIFY(engine.start(Workspace{}, &error));
        QVERIFY(!engine.hasUnsavedChanges());
        QSignalSpy unsaved(&engine, &Engine::unsavedChangesChanged);
        EndpointConfig disabled = endpoint(u"a"_qs, 9);
        disabled.enabled = false;
        QVERIFY(engine.addEndpoint(disabled, &error));
        QVERIFY(engine.hasUnsavedChanges());
        QCOMPARE(unsaved.size(), 1);

        QTemporaryDir dir;
        const QString path = dir.filePath(u"saved.json"_qs);
        QVERIFY2(engine.saveWorkspaceAs(path, &error), qPrintable(error));
        QVERIFY(!engine.hasUnsavedChanges());
        QCOMPARE(engine.options().workspacePath, path);
        QCOMPARE(loadWorkspace(path).workspace->endpoints, engine.workspace().endpoints);

        // File > New: an empty workspace without a file; nothing is unsaved yet.
        QVERIFY(engine.replaceWorkspace(Workspace{}, QString(), &error));
        QVERIFY(engine.options().workspacePath.isEmpty());
        QVERIFY(!engine.hasUnsavedChanges());
        QCOMPARE(loadWorkspace(path).workspace->endpoints.size(), 1); // the file is left alone
    }

    void fileChangedOnDiskIsNotOverwritten()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"ws.json"_qs);
        Workspace workspace;
        EndpointConfig a = endpoint(u"a"_qs, 9);
        a.enabled = false;
        workspace.endpoints = {a};
        QString error;
        QVERIFY(saveWorkspace(path, workspace, &error));
        ManualClock clock;
        Engine engine(EngineOptions{QString(), path}, on(clock));
        QVERIFY(engine.start(workspace, &error));

        // Another program writes the file (a valid workspace with another endpoint).
        Workspace theirs;
        EndpointConfig other = endpoint(u"theirs"_qs, 9);
        other.enabled = false;
        theirs.endpoints = {other};
        QVERIFY(saveWorkspace(path, theirs, &error));

        QSignalSpy failed(&engine, &Engine::workspaceSaveFailed);
        EndpointConfig b = a;
        b.name = u"b"_qs;
        QVERIFY(engine.addEndpoint(b, &error)); // applied in the window, not written
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.first().first().toString().contains(u"changed on disk"),
                 qPrintable(failed.first().first().toString()));
        QVERIFY(engine.hasUnsavedChanges());
        QCOMPARE(loadWorkspace(path).workspace->endpoints, theirs.endpoints);

        // Saving it as that very file is an explicit choice, and replaces it.
        QVERIFY2(engine.saveWorkspaceAs(path, &error), qPrintable(error));
        QVERIFY(!engine.hasUnsavedChanges());
        QCOMPARE(loadWorkspace(path).workspace->endpoints.size(), 2);
        // From then on edits save again.
        QVERIFY(engine.removeEndpoint(u"b"_qs, &error));
        QCOMPARE(failed.size(), 1);
        QCOMPARE(loadWorkspace(path).workspace->endpoints.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestEngineWorkspace)
#include "tst_engineworkspace.moc"
