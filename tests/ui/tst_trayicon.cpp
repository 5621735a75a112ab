#include "endpointpanel.h"
#include "engine.h"
#include "fleetreconnectchart.h"
#include "mainwindow.h"
#include "snapshotbuilder.h"
#include "statestyle.h"
#include "trayicon.h"
#include "workspace.h"

#include <QAction>
#include <QMenu>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
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

class TestTrayIcon : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void worstStateAndMenuFollowSnapshots();
    void listsAtMostTenDown();
    void notifyNeedsATray();
    void pauseAllStopsExactlyTheRunningEndpoints();
    void theWindowFeedsTheTrayAndTheFleetChart();
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

QTEST_MAIN(TestTrayIcon)
#include "tst_trayicon.moc"
