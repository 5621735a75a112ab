#include "desktopnotifier.h"
#include "endpointpanel.h"
#include "engine.h"
#include "fleetreconnectchart.h"
#include "mainwindow.h"
#include "prerequisite.h"
#include "snapshotbuilder.h"
#include "statestyle.h"
#include "trayicon.h"
#include "workspace.h"

#include <QAction>
#include <QDBusConnection>
#include <QDBusError>
#include <QMenu>
#include <QProcess>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QSystemTrayIcon>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace kw;
using kw::test::endpoint;
using kw::test::kNow;
using kw::test::snapshotOf;

namespace {
EndpointSnapshot downSince(const QString &name, int secondsAgo, const QString &cause,
                           EndpointState state = EndpointState::Down)
{
    EndpointSnapshot e = endpoint(name, state);
    e.cause = cause;
    e.stats.lastDropAt = kNow.addSecs(-secondsAgo);
    e.since = e.stats.lastDropAt;
    return e;
}

QList<QAction *> downActions(const TrayIcon &tray)
{
    QList<QAction *> list;
    for (QAction *a : tray.menu()->actions()) {
        if (a->objectName() == u"actionTrayDown")
            list.append(a);
    }
    return list;
}

QAction *menuAction(const TrayIcon &tray, const QString &name)
{
    for (QAction *a : tray.menu()->actions()) {
        if (a->objectName() == name)
            return a;
    }
    return nullptr;
}

QImage imageOf(const QIcon &icon)
{
    return icon.pixmap(32, 32).toImage();
}

QString stateOf(const SnapshotPtr &snapshot, const QString &name)
{
    if (!snapshot)
        return u"<no snapshot>"_qs;
    for (const EndpointSnapshot &e : snapshot->endpoints) {
        if (e.name == name)
            return StateStyle::name(e.state);
    }
    return u"<missing>"_qs;
}
} // namespace

// A notification server of our own (the methods and signals of the Desktop Notifications
// Specification that Keepwatch uses), registered on a private bus.
class FakeNotificationServer : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")

public:
    struct Call
    {
        QString summary;
        QString body;
        QStringList actions;
        QVariantMap hints;
    };
    QList<Call> calls;

public Q_SLOTS:
    uint Notify(const QString &appName, uint replacesId, const QString &appIcon, const QString &summary,
                const QString &body, const QStringList &actions, const QVariantMap &hints, int expireTimeout)
    {
        Q_UNUSED(appName)
        Q_UNUSED(replacesId)
        Q_UNUSED(appIcon)
        Q_UNUSED(expireTimeout)
        calls.append({summary, body, actions, hints});
        return uint(100 + calls.size());
    }

Q_SIGNALS:
    void ActionInvoked(uint id, const QString &actionKey);
    void NotificationClosed(uint id, uint reason);
};

// dbus-daemon(1) on a private address for one test, so nothing reaches the desktop's session bus.
class PrivateBus
{
public:
    ~PrivateBus()
    {
        for (const QString &name : std::as_const(m_names))
            QDBusConnection::disconnectFromBus(name);
        if (m_daemon.state() != QProcess::NotRunning) {
            m_daemon.kill();
            m_daemon.waitForFinished(5000);
        }
    }
    bool start()
    {
        const QString program = QStandardPaths::findExecutable(u"dbus-daemon"_qs);
        if (program.isEmpty())
            return false;
        m_daemon.start(program, {u"--session"_qs, u"--nofork"_qs, u"--print-address=1"_qs});
        if (!m_daemon.waitForStarted(10000))
            return false;
        while (!m_daemon.canReadLine()) {
            if (!m_daemon.waitForReadyRead(10000))
                return false;
        }
        m_address = QString::fromUtf8(m_daemon.readLine().trimmed());
        return !m_address.isEmpty();
    }
    QDBusConnection connect(const QString &name)
    {
        m_names << name;
        return QDBusConnection::connectToBus(m_address, name);
    }

private:
    QProcess m_daemon;
    QString m_address;
    QStringList m_names;
};

class TestTrayIcon : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void worstStateAndMenuFollowSnapshots();
    void listsAtMostTenDown();
    void notifyNeedsATray();
    void pauseAllStopsExactlyTheRunningEndpoints();
    void theWindowFeedsTheTrayAndTheFleetChart();
    void desktopNotificationsGoOverDBus();
    void muteFromTheTrayMenu();
    void withoutAServerTheTrayIsUsed();
    void muteUntilTomorrowMorning();
};

void TestTrayIcon::worstStateAndMenuFollowSnapshots()
{
    TrayIcon tray(nullptr);
    QVERIFY(!tray.worstState());
    QCOMPARE(tray.toolTip(), u"Keepwatch — no endpoints"_qs);
    QVERIFY(downActions(tray).isEmpty());
    const QImage plain = imageOf(tray.icon());

    tray.applySnapshot(snapshotOf({endpoint(u"a"_qs), downSince(u"b"_qs, 300, u"reset"_qs),
                                   endpoint(u"c"_qs, EndpointState::Suspect),
                                   downSince(u"d"_qs, 30, u"keepalive-timeout"_qs, EndpointState::Waiting)}));
    QCOMPARE(tray.worstState(), EndpointState::Down);
    QCOMPARE(tray.toolTip(), u"Keepwatch — 2 down, 1 suspect of 4"_qs);
    QCOMPARE(tray.systemTrayIcon()->toolTip(), tray.toolTip());
    // The most recent drop first; waiting to reconnect is down.
    QCOMPARE(tray.downEntries(), (QStringList{u"d"_qs, u"b"_qs}));
    const QList<QAction *> entries = downActions(tray);
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0)->text(), u"d — keepalive-timeout, 30 s ago"_qs);
    QCOMPARE(entries.at(1)->text(), u"b — reset, 5 min ago"_qs);
    const QImage down = imageOf(tray.icon());
    QVERIFY(down != plain);
    QCOMPARE(down.pixelColor(26, 26), StateStyle::color(EndpointState::Down, false)); // the badge

    QSignalSpy activated(&tray, &TrayIcon::endpointActivated);
    entries.at(1)->trigger();
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.at(0).at(0).toString(), u"b"_qs);

    // The same endpoints later: the entries are kept, their times move on.
    tray.applySnapshot(snapshotOf({endpoint(u"a"_qs), downSince(u"b"_qs, 300, u"reset"_qs),
                                   endpoint(u"c"_qs, EndpointState::Suspect),
                                   downSince(u"d"_qs, 90, u"keepalive-timeout"_qs, EndpointState::Waiting)},
                                  2));
    QCOMPARE(downActions(tray), entries);
    QCOMPARE(entries.at(0)->text(), u"d — keepalive-timeout, 1 min ago"_qs);

    tray.applySnapshot(snapshotOf(
        {endpoint(u"a"_qs), endpoint(u"b"_qs), endpoint(u"c"_qs, EndpointState::Suspect), endpoint(u"d"_qs)},
        3));
    QCOMPARE(tray.worstState(), EndpointState::Suspect);
    QCOMPARE(tray.toolTip(), u"Keepwatch — 1 suspect of 4"_qs);
    QVERIFY(tray.downEntries().isEmpty());
    QVERIFY(downActions(tray).isEmpty());
    QCOMPARE(imageOf(tray.icon()).pixelColor(26, 26), StateStyle::color(EndpointState::Suspect, false));

    tray.applySnapshot(snapshotOf({endpoint(u"a"_qs), endpoint(u"b"_qs)}, 4));
    QCOMPARE(tray.worstState(), EndpointState::Up);
    QCOMPARE(tray.toolTip(), u"Keepwatch — all 2 up"_qs);

    // The fixed entries are there whatever the state.
    for (const QString &name : {u"actionTrayOpen"_qs, u"actionTrayPause"_qs, u"actionTrayQuit"_qs})
        QVERIFY2(menuAction(tray, name), qPrintable(name));
    QSignalSpy open(&tray, &TrayIcon::openWindowRequested);
    QSignalSpy quit(&tray, &TrayIcon::quitRequested);
    menuAction(tray, u"actionTrayOpen"_qs)->trigger();
    menuAction(tray, u"actionTrayQuit"_qs)->trigger();
    QCOMPARE(open.size(), 1);
    QCOMPARE(quit.size(), 1);
    QVERIFY(!tray.pauseAction()->isEnabled()); // no engine to pause
}

void TestTrayIcon::listsAtMostTenDown()
{
    TrayIcon tray(nullptr);
    QList<EndpointSnapshot> endpoints;
    for (int i = 0; i < 13; ++i)
        endpoints.append(downSince(u"e%1"_qs.arg(i, 2, 10, QLatin1Char('0')), 100 - i, u"refused"_qs));
    endpoints.append(endpoint(u"fine"_qs));
    tray.applySnapshot(snapshotOf(endpoints));
    QCOMPARE(tray.toolTip(), u"Keepwatch — 13 down of 14"_qs);
    QCOMPARE(downActions(tray).size(), TrayIcon::kMaxDownEntries);
    QCOMPARE(tray.downEntries().first(), u"e12"_qs);
    QCOMPARE(tray.downEntries().last(), u"e03"_qs);
    QAction *more = menuAction(tray, u"actionTrayMore"_qs);
    QVERIFY(more && more->isVisible());
    QCOMPARE(more->text(), u"… and 3 more down: open the window"_qs);

    endpoints.remove(0, 12);
    tray.applySnapshot(snapshotOf(endpoints, 2));
    QCOMPARE(tray.downEntries(), QStringList{u"e12"_qs});
    QVERIFY(!more->isVisible());
}

void TestTrayIcon::notifyNeedsATray()
{
    if (TrayIcon::isAvailable())
        QSKIP("This desktop has a system tray; the test is about one without (offscreen)");
    TrayIcon tray(nullptr);
    QVERIFY(!tray.show());
    QVERIFY(!tray.systemTrayIcon()->isVisible());
    const Notification n{u"db is down"_qs, u"keepalive-timeout after 35 s"_qs, EndpointState::Down, u"db"_qs};
    Notifier &notifier = tray; // the seam the alerting rules use
    // No tray: the notifier says so, and the caller can use another one.
    QVERIFY(!notifier.notify(n));
    QVERIFY(tray.lastNotification());
    QCOMPARE(tray.lastNotification()->endpoint, u"db"_qs);
    // The menu is whole without a tray.
    QVERIFY(tray.menu()->actions().size() >= 5);
}

void TestTrayIcon::pauseAllStopsExactlyTheRunningEndpoints()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    connect(&server, &QTcpServer::newConnection, &server, [&server] {
        while (QTcpSocket *socket = server.nextPendingConnection())
            socket->setParent(&server);
    });
    const QByteArray json = QStringLiteral(R"({"version": 1, "endpoints": [
        {"name": "a", "kind": "tcp", "host": "127.0.0.1", "port": %1},
        {"name": "b", "kind": "tcp", "host": "127.0.0.1", "port": %1},
        {"name": "off", "kind": "tcp", "host": "127.0.0.1", "port": %1, "enabled": false},
        {"name": "stopped", "kind": "tcp", "host": "127.0.0.1", "port": %1}]})")
                                .arg(server.serverPort())
                                .toUtf8();
    WorkspaceResult parsed = parseWorkspace(json, u"test.json"_qs);
    QVERIFY2(parsed.ok(), qPrintable(parsed.errors.join(u'\n')));

    Engine engine{EngineOptions{}};
    QString error;
    QVERIFY2(engine.start(*parsed.workspace, &error), qPrintable(error));
    auto shutdown = qScopeGuard([&engine] { engine.shutdown(); });
    TrayIcon tray(&engine);
    connect(&engine, &Engine::snapshotReady, &tray, &TrayIcon::applySnapshot);
    QVERIFY(tray.pauseAction()->isEnabled());
    QCOMPARE(tray.pauseAction()->text(), u"&Pause all"_qs);

    const auto state = [&engine](const QString &name) { return stateOf(engine.latestSnapshot(), name); };
    QTRY_COMPARE_WITH_TIMEOUT(state(u"a"_qs), u"up"_qs, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(state(u"b"_qs), u"up"_qs, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(state(u"stopped"_qs), u"up"_qs, 10000);
    engine.stopEndpoint(u"stopped"_qs); // the user stopped this one before
    QTRY_COMPARE_WITH_TIMEOUT(state(u"stopped"_qs), u"disabled"_qs, 10000);
    QCOMPARE(state(u"off"_qs), u"disabled"_qs);
    QTRY_COMPARE(stateOf(engine.latestSnapshot(), u"stopped"_qs), u"disabled"_qs);
    tray.applySnapshot(engine.latestSnapshot());

    tray.pauseAction()->trigger();
    QVERIFY(tray.isPaused());
    QCOMPARE(tray.pausedEndpoints(), (QStringList{u"a"_qs, u"b"_qs}));
    QCOMPARE(tray.pauseAction()->text(), u"&Resume all (2)"_qs);
    QTRY_COMPARE_WITH_TIMEOUT(state(u"a"_qs), u"disabled"_qs, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(state(u"b"_qs), u"disabled"_qs, 10000);
    QTRY_VERIFY(tray.toolTip().startsWith(u"Keepwatch — paused, 2 of 4 stopped"));

    tray.pauseAction()->trigger();
    QVERIFY(!tray.isPaused());
    QCOMPARE(tray.pauseAction()->text(), u"&Pause all"_qs);
    QTRY_COMPARE_WITH_TIMEOUT(state(u"a"_qs), u"up"_qs, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(state(u"b"_qs), u"up"_qs, 10000);
    // What was not running before the pause is not started by the resume.
    QCOMPARE(state(u"off"_qs), u"disabled"_qs);
    QCOMPARE(state(u"stopped"_qs), u"disabled"_qs);
    QVERIFY(!engine.workspace().find(u"off"_qs)->enabled);
}

void TestTrayIcon::theWindowFeedsTheTrayAndTheFleetChart()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"settings.ini"_qs), QSettings::IniFormat);
    MainWindow window(nullptr, &settings);
    window.show();
    TrayIcon *tray = window.trayIcon();
    QVERIFY(tray);
    QCOMPARE(tray->systemTrayIcon()->isVisible(), TrayIcon::isAvailable());

    // The chart is a pane of the left column, between the list and the log.
    FleetReconnectChart *fleet = window.fleetChart();
    QVERIFY(fleet);
    auto *left = qobject_cast<QSplitter *>(fleet->parentWidget());
    QVERIFY(left);
    QVERIFY(left->indexOf(fleet) > left->indexOf(window.endpointPanel()));

    window.applySnapshot(snapshotOf({endpoint(u"a"_qs), downSince(u"b"_qs, 60, u"reset"_qs)}));
    QCOMPARE(tray->toolTip(), u"Keepwatch — 1 down of 2"_qs);
    downActions(*tray).at(0)->trigger();
    QCOMPARE(window.endpointPanel()->selectedName(), u"b"_qs);

    Event drop = Event::stateChange(u"b"_qs, EndpointState::Down, CauseCode::Reset);
    window.appendEvents({drop});
    QCOMPARE(fleet->buckets().total(), 1);
}

namespace {
AlertNotice downNotice(const QString &endpoint)
{
    AlertNotice n;
    n.ts = kNow;
    n.endpoint = endpoint;
    n.kind = AlertKind::Down;
    n.state = EndpointState::Down;
    n.cause = Cause(CauseCode::Reset);
    n.detail = u"<b>RST</b> from peer"_qs;
    n.target = u"db.internal:5432"_qs;
    return n;
}
} // namespace

void TestTrayIcon::desktopNotificationsGoOverDBus()
{
    PrivateBus bus;
    if (!bus.start())
        KW_SKIP_OR_FAIL_UNDER_CI("dbus-daemon (Debian package dbus-daemon) is needed for a private bus");
    QDBusConnection serverBus = bus.connect(u"kw-notification-server"_qs);
    QDBusConnection clientBus = bus.connect(u"kw-notification-client"_qs);
    QVERIFY(serverBus.isConnected() && clientBus.isConnected());
    FakeNotificationServer server;
    QVERIFY(serverBus.registerObject(QString::fromLatin1(DesktopNotifier::kPath), &server,
                                     QDBusConnection::ExportAllSlots | QDBusConnection::ExportAllSignals));
    QVERIFY2(serverBus.registerService(QString::fromLatin1(DesktopNotifier::kService)),
             qPrintable(serverBus.lastError().message()));

    TrayIcon tray(nullptr);
    DesktopNotifier desktop(&tray, clientBus);
    tray.setDesktopNotifier(&desktop);
    QSignalSpy activated(&tray, &TrayIcon::endpointActivated);
    desktop.notify(downNotice(u"db-primary"_qs));
    QCOMPARE(desktop.lastRoute(), DesktopNotifier::Route::DBus);
    QTRY_COMPARE(server.calls.size(), 1);
    const FakeNotificationServer::Call &call = server.calls.first();
    QCOMPARE(call.summary, u"db-primary is down"_qs);
    QVERIFY2(call.body.contains(u"reset (&lt;b&gt;RST&lt;/b&gt; from peer)"_qs), qPrintable(call.body));
    QCOMPARE(call.actions.value(0), u"default"_qs);
    QCOMPARE(call.hints.value(u"urgency"_qs).toInt(), 2);
    QVERIFY(!tray.lastNotification()); // not the balloon as well

    // A click on it ("default" action) selects the endpoint; another notification's id does not.
    QTest::qWait(50); // the reply carrying the id is on its way back
    Q_EMIT server.ActionInvoked(999, u"default"_qs);
    Q_EMIT server.ActionInvoked(101, u"default"_qs);
    QTRY_COMPARE(activated.size(), 1);
    QCOMPARE(activated.first().first().toString(), u"db-primary"_qs);
}

void TestTrayIcon::muteFromTheTrayMenu()
{
    PrivateBus bus;
    if (!bus.start())
        KW_SKIP_OR_FAIL_UNDER_CI("dbus-daemon (Debian package dbus-daemon) is needed for a private bus");
    QDBusConnection serverBus = bus.connect(u"kw-mute-server"_qs);
    QDBusConnection clientBus = bus.connect(u"kw-mute-client"_qs);
    FakeNotificationServer server;
    QVERIFY(serverBus.registerObject(QString::fromLatin1(DesktopNotifier::kPath), &server,
                                     QDBusConnection::ExportAllSlots | QDBusConnection::ExportAllSignals));
    QVERIFY(serverBus.registerService(QString::fromLatin1(DesktopNotifier::kService)));

    TrayIcon tray(nullptr);
    QVERIFY(!tray.muteMenu()->menuAction()->isVisible()); // nothing to mute yet
    DesktopNotifier desktop(&tray, clientBus);
    tray.setDesktopNotifier(&desktop);
    QVERIFY(tray.muteMenu()->menuAction()->isVisible());
    auto *unmute = tray.muteMenu()->findChild<QAction *>(u"actionTrayUnmute"_qs);
    QVERIFY(unmute);
    QVERIFY(!unmute->isEnabled());

    tray.muteMenu()->findChild<QAction *>(u"actionTrayMute1h"_qs)->trigger();
    QVERIFY(desktop.isMuted());
    QVERIFY(unmute->isEnabled());
    QVERIFY(tray.muteMenu()->title().contains(u"muted until"_qs));
    const qint64 left = QDateTime::currentDateTime().secsTo(desktop.mutedUntil());
    QVERIFY2(left > 3500 && left <= 3600, qPrintable(QString::number(left)));
    desktop.notify(downNotice(u"a"_qs));
    QCOMPARE(desktop.lastRoute(), DesktopNotifier::Route::Muted);

    // The mute ends by itself when its time has passed.
    const QDateTime until = desktop.mutedUntil();
    desktop.setWallClock([until] { return until.addSecs(1); });
    QVERIFY(!desktop.isMuted());
    desktop.setWallClock([] { return QDateTime::currentDateTime(); });

    tray.muteMenu()->findChild<QAction *>(u"actionTrayMuteForever"_qs)->trigger();
    QVERIFY(desktop.isMuted());
    QVERIFY(!desktop.mutedUntil().isValid());
    desktop.setWallClock([] { return QDateTime::currentDateTime().addYears(5); });
    QVERIFY(desktop.isMuted()); // until unmuted
    unmute->trigger();
    QVERIFY(!desktop.isMuted());

    desktop.setEndpointMuted(u"a"_qs, true);
    desktop.notify(downNotice(u"a"_qs));
    QCOMPARE(desktop.lastRoute(), DesktopNotifier::Route::Muted);
    desktop.notify(downNotice(u"b"_qs));
    QCOMPARE(desktop.lastRoute(), DesktopNotifier::Route::DBus);
    QTRY_COMPARE(server.calls.size(), 1);
    QCOMPARE(server.calls.first().summary, u"b is down"_qs);
}

void TestTrayIcon::withoutAServerTheTrayIsUsed()
{
    PrivateBus bus;
    if (!bus.start())
        KW_SKIP_OR_FAIL_UNDER_CI("dbus-daemon (Debian package dbus-daemon) is needed for a private bus");
    TrayIcon tray(nullptr);
    DesktopNotifier desktop(&tray, bus.connect(u"kw-no-server"_qs));
    desktop.notify(downNotice(u"first"_qs));
    // The call fails (no one owns the name): the balloon gets it (offscreen has no tray to show it).
    QTRY_VERIFY(tray.lastNotification().has_value());
    QCOMPARE(tray.lastNotification()->endpoint, u"first"_qs);
    QCOMPARE(desktop.lastRoute(),
             TrayIcon::isAvailable() ? DesktopNotifier::Route::Tray : DesktopNotifier::Route::None);
    // From then on straight to the tray, without waiting for D-Bus.
    desktop.notify(downNotice(u"second"_qs));
    QCOMPARE(tray.lastNotification()->endpoint, u"second"_qs);

    // Not connected at all: the tray at once.
    TrayIcon tray2(nullptr);
    DesktopNotifier offline(&tray2, QDBusConnection(u"kw-not-connected"_qs));
    offline.notify(downNotice(u"third"_qs));
    QVERIFY(tray2.lastNotification());
    QCOMPARE(tray2.lastNotification()->title, u"third is down"_qs);
}

void TestTrayIcon::muteUntilTomorrowMorning()
{
    const QDateTime lateEvening(QDate(2026, 3, 4), QTime(23, 30), Qt::LocalTime);
    QCOMPARE(DesktopNotifier::tomorrowMorning(lateEvening),
             QDateTime(QDate(2026, 3, 5), QTime(8, 0), Qt::LocalTime));
    const QDateTime earlyMorning(QDate(2026, 3, 4), QTime(0, 30), Qt::LocalTime);
    QCOMPARE(DesktopNotifier::tomorrowMorning(earlyMorning),
             QDateTime(QDate(2026, 3, 4), QTime(8, 0), Qt::LocalTime));
}

QTEST_MAIN(TestTrayIcon)
#include "tst_trayicon.moc"
