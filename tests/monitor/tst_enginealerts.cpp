// The alert rules inside the engine: a real loopback peer that drops and comes back, one that
// flaps, rules changed from the window while connected, and down_after_s run by the engine timers.
// Every decision is an "alert" event; the announced ones also reach Engine::alertsReady.
// All deadlines run on a manual clock the test moves.

#include "clocksteps.h"
#include "engine.h"
#include "enginetest.h"
#include "eventlog.h"
#include "manualclock.h"
#include "pongserver.h"
#include "workspace.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace kw;
using namespace kw::test;
using namespace std::chrono;

namespace {

// What the engine said about alerts, as the notifiers and the log see it.
struct AlertLog
{
    QList<Event> events;        // every "alert" event, announced or not
    QList<AlertNotice> notices; // Engine::alertsReady

    void watch(Engine &engine, QObject *context)
    {
        QObject::connect(&engine, &Engine::eventsReady, context, [this](const QList<Event> &batch) {
            for (const Event &e : batch) {
                if (e.kind == EventKind::Alert)
                    events.append(e);
            }
        });
        QObject::connect(&engine, &Engine::alertsReady, context,
                         [this](const QList<AlertNotice> &batch) { notices.append(batch); });
    }

    QList<Event> announced(const QString &alert) const
    {
        QList<Event> out;
        for (const Event &e : events) {
            if (e.data.value(u"alert").toString() == alert && e.data.value(u"announced").toBool())
                out.append(e);
        }
        return out;
    }

    QList<Event> held(const QString &alert, const QString &why) const
    {
        QList<Event> out;
        for (const Event &e : events) {
            if (e.data.value(u"alert").toString() == alert && e.data.value(u"suppressed").toString() == why)
                out.append(e);
        }
        return out;
    }

    QList<AlertKind> noticeKinds() const
    {
        QList<AlertKind> kinds;
        for (const AlertNotice &n : notices)
            kinds.append(n.kind);
        return kinds;
    }
};

EndpointState stateOf(const Engine &engine, const QString &name)
{
    const EndpointSnapshot *e = find(engine.latestSnapshot(), name);
    return e ? e->state : EndpointState::Disabled;
}

} // namespace

class TestEngineAlerts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void droppedPeerIsAnnouncedDownThenUp()
    {
        QTemporaryDir dir;
        PongServer server;
        QVERIFY(server.listen());
        Workspace workspace;
        workspace.endpoints = {endpoint(u"db"_qs, server.port())};
        workspace.endpoints[0].tags = {u"prod"_qs};
        ManualClock clock;
        Engine engine(EngineOptions{dir.path(), QString()}, on(clock));
        AlertLog alerts;
        alerts.watch(engine, this);
        QString error;
        QVERIFY2(engine.start(workspace, &error), qPrintable(error));
        QVERIFY(advanceUntil(
            clock, [&] { return stateOf(engine, u"db"_qs) == EndpointState::Up; }, kPatience));
        QVERIFY(alerts.events.isEmpty()); // a first connect that works says nothing

        // The peer hangs up: one Down goes out.
        QTRY_COMPARE(server.sockets().size(), 1);
        server.sockets().first()->disconnectFromHost();
        QVERIFY(advanceUntil(
            clock, [&] { return !alerts.notices.isEmpty(); }, kPatience));
        const AlertNotice down = alerts.notices.first();
        QCOMPARE(down.kind, AlertKind::Down);
        QCOMPARE(down.endpoint, u"db"_qs);
        QCOMPARE(down.cause, Cause(CauseCode::PeerClosed));
        QCOMPARE(down.target, u"127.0.0.1:%1"_qs.arg(server.port()));
        QCOMPARE(down.tags, QStringList{u"prod"_qs});
        QVERIFY(down.downSince.isValid());
        QVERIFY2(!down.detail.isEmpty(), "the drop's own words");
        QCOMPARE(alerts.announced(u"down"_qs).size(), 1);
        QCOMPARE(alerts.announced(u"down"_qs).first().cause, Cause(CauseCode::PeerClosed));

        // It reconnects (the server still listens): one Up, with how long it was down.
        QVERIFY(advanceUntil(
            clock, [&] { return alerts.notices.size() >= 2; }, kPatience));
        QCOMPARE(alerts.noticeKinds(), (QList<AlertKind>{AlertKind::Down, AlertKind::Up}));
        const AlertNotice up = alerts.notices.at(1);
        QCOMPARE(up.cause, Cause(CauseCode::PeerClosed)); // what it recovered from
        QVERIFY(up.downForMs.has_value());
        QVERIFY(*up.downForMs >= 0);
        QCOMPARE(up.downSince, down.downSince);
        QCOMPARE(alerts.announced(u"up"_qs).size(), 1);

        // Both are in the log too, as "alert" events.
        engine.shutdown();
        std::unique_ptr<EventLog> log = EventLog::open(dir.path(), &error);
        QVERIFY2(log, qPrintable(error));
        EventQuery query;
        query.kinds = {EventKind::Alert};
        const QList<Event> logged = log->query(query, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(logged.size(), alerts.events.size());
        QCOMPARE(logged.first().data.value(u"alert").toString(), u"down"_qs);
        QVERIFY(logged.first().data.value(u"announced").toBool());
    }

    void flappingHoldsNotices()
    {
        PongServer server;
        QVERIFY(server.listen());
        // Accepts and hangs up at once: up, down, up, down ...
        connect(&server, &PongServer::accepted, this,
                [](QTcpSocket *s) { QTimer::singleShot(20, s, [s] { s->disconnectFromHost(); }); });
        Workspace workspace;
        workspace.endpoints = {endpoint(u"flappy"_qs, server.port())};
        ManualClock clock;
        Engine engine(EngineOptions{}, on(clock));
        AlertLog alerts;
        alerts.watch(engine, this);
        QString error;
        QVERIFY(engine.start(workspace, &error));
        QVERIFY(advanceUntil(
            clock, [&] { return alerts.noticeKinds().contains(AlertKind::Flapping); }, minutes(1)));
        const qsizetype flappingAt = alerts.noticeKinds().indexOf(AlertKind::Flapping);
        const double percent =
            alerts.announced(u"flapping"_qs).first().data.value(u"flap_percent").toDouble();
        QVERIFY2(percent >= 30.0, qPrintable(QString::number(percent)));
        QVERIFY(advanceUntil(
            clock, [&] { return find(engine.latestSnapshot(), u"flappy"_qs)->stats.flapping; }, kPatience));

        // It keeps flapping: Down/Up are held with the reason, and nothing more is announced.
        QVERIFY(advanceUntil(
            clock,
            [&] {
                return alerts.held(u"down"_qs, u"flapping"_qs).size() +
                           alerts.held(u"up"_qs, u"flapping"_qs).size() >=
                       3;
            },
            minutes(1)));
        QCOMPARE(alerts.notices.size(), flappingAt + 1);
        QVERIFY(find(engine.latestSnapshot(), u"flappy"_qs)->stats.flapping);

        // The peer settles: connections stay up. Good checks (TCP_INFO samples) bring it below
        // flap_low; one Stable goes out, in state up, and no Up of its own.
        disconnect(&server, &PongServer::accepted, this, nullptr);
        QVERIFY(advanceUntil(
            clock, [&] { return alerts.noticeKinds().contains(AlertKind::Stable); }, minutes(30),
            ClockSteps{seconds(1), milliseconds(2)}));
        QCOMPARE(alerts.notices.last().kind, AlertKind::Stable);
        QCOMPARE(alerts.notices.last().state, EndpointState::Up);
        QVERIFY(!alerts.noticeKinds().mid(flappingAt).contains(AlertKind::Up));
        QVERIFY(advanceUntil(
            clock, [&] { return !find(engine.latestSnapshot(), u"flappy"_qs)->stats.flapping; }, kPatience));
    }

    void muteFromTheWindowKeepsTheConnection()
    {
        PongServer server;
        QVERIFY(server.listen());
        Workspace workspace;
        workspace.endpoints = {endpoint(u"db"_qs, server.port())};
        ManualClock clock;
        Engine engine(EngineOptions{}, on(clock));
        AlertLog alerts;
        alerts.watch(engine, this);
        QString error;
        QVERIFY(engine.start(workspace, &error));
        QVERIFY(advanceUntil(
            clock, [&] { return stateOf(engine, u"db"_qs) == EndpointState::Up; }, kPatience));

        EndpointConfig muted = workspace.endpoints[0];
        muted.alert.muteUntil = time_point_cast<milliseconds>(std::chrono::system_clock::now()) + hours(1);
        QVERIFY(engine.updateEndpoint(u"db"_qs, muted, &error));
        advanceBy(clock, seconds(1));
        QCOMPARE(server.sockets().size(), 1); // not restarted for a mute
        QCOMPARE(stateOf(engine, u"db"_qs), EndpointState::Up);
        // A new workspace default (File > Open of the same endpoints) keeps the endpoint's mute.
        Workspace changed = engine.workspace();
        changed.alert.resendEvery = seconds(600);
        QVERIFY(engine.replaceWorkspace(changed, QString(), &error));
        advanceBy(clock, seconds(1));
        QCOMPARE(server.sockets().size(), 1);

        server.close();
        server.sockets().first()->disconnectFromHost();
        QVERIFY(advanceUntil(
            clock, [&] { return !alerts.held(u"down"_qs, u"muted"_qs).isEmpty(); }, kPatience));
        QVERIFY(alerts.notices.isEmpty());
        const Event held = alerts.held(u"down"_qs, u"muted"_qs).first();
        QVERIFY(!held.data.value(u"announced").toBool());
        QVERIFY(held.data.contains(u"held_until"));

        // Unmuted while still down: the Down goes out now.
        muted.alert.muteUntil.reset();
        QVERIFY(engine.updateEndpoint(u"db"_qs, muted, &error));
        QVERIFY(advanceUntil(
            clock, [&] { return !alerts.notices.isEmpty(); }, kPatience));
        QCOMPARE(alerts.notices.first().kind, AlertKind::Down);
    }

    void downAfterSecondsRunsOnTheEngineTimers()
    {
        PongServer server;
        QVERIFY(server.listen());
        Workspace workspace;
        workspace.endpoints = {endpoint(u"db"_qs, server.port())};
        workspace.alert.downAfterS = seconds(20); // the workspace default
        workspace.alert.resendEvery = seconds(60);
        ManualClock clock;
        Engine engine(EngineOptions{}, on(clock));
        AlertLog alerts;
        alerts.watch(engine, this);
        QString error;
        QVERIFY(engine.start(workspace, &error));
        QVERIFY(advanceUntil(
            clock, [&] { return stateOf(engine, u"db"_qs) == EndpointState::Up; }, kPatience));
        server.close();
        server.sockets().first()->disconnectFromHost();
        QVERIFY(advanceUntil(
            clock, [&] { return !alerts.held(u"down"_qs, u"below-down-after"_qs).isEmpty(); }, kPatience));
        const TimePoint droppedBy = clock.now();
        QVERIFY(alerts.notices.isEmpty());
        // Refused attempts follow (no one listens); the Down goes out once 20 s have passed.
        QVERIFY(advanceUntil(
            clock, [&] { return !alerts.notices.isEmpty(); }, seconds(40), ClockSteps{milliseconds(100)}));
        QVERIFY2(clock.now() - droppedBy >= seconds(20) - milliseconds(200),
                 qPrintable(QString::number(duration_cast<milliseconds>(clock.now() - droppedBy).count())));
        QCOMPARE(alerts.notices.first().kind, AlertKind::Down);
        QVERIFY(alerts.held(u"down"_qs, u"below-down-after"_qs).size() >= 2); // each failed attempt
        // Still down a minute later: a reminder.
        QVERIFY(advanceUntil(
            clock, [&] { return alerts.notices.size() >= 2; }, seconds(90), ClockSteps{milliseconds(250)}));
        QCOMPARE(alerts.notices.at(1).kind, AlertKind::Reminder);
        QVERIFY(alerts.notices.at(1).downForMs.value_or(0) >= 60000);
    }
};

QTEST_GUILESS_MAIN(TestEngineAlerts)
#include "tst_enginealerts.moc"
