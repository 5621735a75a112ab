#include "trayicon.h"

#include "appicon.h"
#include "desktopnotifier.h"
#include "engine.h"
#include "statestyle.h"
#include "timeformat.h"

#include <QAction>
#include <QDateTime>
#include <QLocale>
#include <QMenu>
#include <QPainter>
#include <QSystemTrayIcon>
#include <QWidget>

#include <algorithm>
#include <functional>
#include <utility>

namespace kw {

namespace {
// Waiting follows a drop and Connecting is on its way back up: for the person looking at the tray
// both are about as bad as what came before them.
EndpointState trayState(EndpointState state)
{
    return state == EndpointState::Waiting ? EndpointState::Down : state;
}

bool isDown(EndpointState state)
{
    return state == EndpointState::Down || state == EndpointState::Waiting;
}
} // namespace

TrayIcon::TrayIcon(Engine *engine, QObject *parent)
    : QObject(parent), m_engine(engine), m_tray(new QSystemTrayIcon(this)), m_menu(std::make_unique<QMenu>())
{
    setObjectName(QStringLiteral("trayIcon"));
    m_menu->setObjectName(QStringLiteral("trayMenu"));
    m_menu->setAccessibleName(tr("Keepwatch tray menu"));

    m_summary = m_menu->addAction(QString());
    m_summary->setObjectName(QStringLiteral("actionTraySummary"));
    m_summary->setEnabled(false);
    m_more = m_menu->addAction(QString());
    m_more->setObjectName(QStringLiteral("actionTrayMore"));
    m_more->setVisible(false);
    connect(m_more, &QAction::triggered, this, &TrayIcon::openWindowRequested);
    m_downEnd = m_menu->addSeparator();

    m_open = m_menu->addAction(tr("&Open window"));
    m_open->setObjectName(QStringLiteral("actionTrayOpen"));
    m_open->setToolTip(tr("Show the Keepwatch window"));
    connect(m_open, &QAction::triggered, this, &TrayIcon::openWindowRequested);

    m_pause = m_menu->addAction(QString());
    m_pause->setObjectName(QStringLiteral("actionTrayPause"));
    connect(m_pause, &QAction::triggered, this, [this] { isPaused() ? resumeAll() : pauseAll(); });
    buildMuteMenu();

    m_menu->addSeparator();
    m_quit = m_menu->addAction(tr("&Quit Keepwatch"));
    m_quit->setObjectName(QStringLiteral("actionTrayQuit"));
    m_quit->setToolTip(tr("Stop watching every endpoint and close Keepwatch"));
    connect(m_quit, &QAction::triggered, this, &TrayIcon::quitRequested);

    m_tray->setContextMenu(m_menu.get());
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
            Q_EMIT openWindowRequested();
    });
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
        if (m_lastNotification && !m_lastNotification->endpoint.isEmpty())
            Q_EMIT endpointActivated(m_lastNotification->endpoint);
        else
            Q_EMIT openWindowRequested();
    });

    updatePauseAction();
    applySnapshot(nullptr);
}

TrayIcon::~TrayIcon()
{
    m_tray->setContextMenu(nullptr); // the menu goes first, with m_menu
}

bool TrayIcon::isAvailable()
{
    return QSystemTrayIcon::isSystemTrayAvailable();
}

bool TrayIcon::show()
{
    if (!isAvailable())
        return false;
    m_tray->show();
    return true;
}

void TrayIcon::hide()
{
    m_tray->hide();
}

void TrayIcon::attachWindow(QWidget *window)
{
    const auto bringUp = [window] {
        // Un-minimized, but a maximized window stays maximized.
        window->setWindowState(window->windowState() & ~Qt::WindowMinimized);
        window->show();
        window->raise();
        window->activateWindow();
    };
    connect(this, &TrayIcon::openWindowRequested, window, bringUp);
    connect(this, &TrayIcon::endpointActivated, window, bringUp);
    connect(this, &TrayIcon::quitRequested, window, &QWidget::close);
}

QIcon TrayIcon::iconFor(std::optional<EndpointState> worst)
{
    QIcon icon;
    for (const int size : {16, 22, 24, 32, 48, 64}) {
        QPixmap pixmap = AppIcon::paint(size);
        if (worst) {
            // A dot in the lower right, ringed in white so it reads on a dark and a light panel.
            QPainter p(&pixmap);
            p.setRenderHint(QPainter::Antialiasing);
            const qreal d = size * 0.56;
            const QRectF dot(size - d, size - d, d, d);
            p.setPen(QPen(Qt::white, std::max(1.0, size / 16.0)));
            p.setBrush(StateStyle::color(*worst, false));
            p.drawEllipse(dot.adjusted(0.5, 0.5, -0.5, -0.5));
        }
        icon.addPixmap(pixmap);
    }
    return icon;
}

void TrayIcon::applySnapshot(const SnapshotPtr &snapshot)
{
    m_latest = snapshot;
    int down = 0;
    int suspect = 0;
    int up = 0;
    int total = 0;
    std::optional<EndpointState> worst;
    QList<const EndpointSnapshot *> downList;
    if (snapshot) {
        for (const EndpointSnapshot &e : snapshot->endpoints) {
            ++total;
            const EndpointState state = trayState(e.state);
            if (!worst || StateStyle::severity(state) > StateStyle::severity(*worst))
                worst = state;
            if (isDown(e.state)) {
                ++down;
                downList.append(&e);
            } else if (e.state == EndpointState::Suspect) {
                ++suspect;
            } else if (e.state == EndpointState::Up) {
                ++up;
            }
        }
    }
    // The drop that happened last on top: it is the one being asked about.
    std::stable_sort(downList.begin(), downList.end(),
                     [](const EndpointSnapshot *a, const EndpointSnapshot *b) {
                         const QDateTime &da = a->stats.lastDropAt.isValid() ? a->stats.lastDropAt : a->since;
                         const QDateTime &db = b->stats.lastDropAt.isValid() ? b->stats.lastDropAt : b->since;
                         return da > db;
                     });

    QString counts;
    if (total == 0)
        counts = tr("no endpoints");
    else if (isPaused())
        counts = tr("paused, %1 of %2 stopped").arg(m_paused.size()).arg(total);
    else if (down == 0 && suspect == 0 && up == total)
        counts = tr("all %1 up").arg(total);
    else if (down == 0 && suspect == 0)
        counts = tr("%1 up of %2").arg(up).arg(total);
    else if (suspect == 0)
        counts = tr("%1 down of %2").arg(down).arg(total);
    else if (down == 0)
        counts = tr("%1 suspect of %2").arg(suspect).arg(total);
    else
        counts = tr("%1 down, %2 suspect of %3").arg(down).arg(suspect).arg(total);
    m_toolTip = tr("Keepwatch — %1").arg(counts);
    m_summary->setText(counts);

    if (worst != m_worst || m_icon.isNull()) {
        m_worst = worst;
        m_icon = iconFor(worst);
        m_tray->setIcon(m_icon);
    }
    m_tray->setToolTip(m_toolTip);
    rebuildDownEntries(downList);
}

void TrayIcon::rebuildDownEntries(const QList<const EndpointSnapshot *> &down)
{
    const qsizetype shown = std::min<qsizetype>(down.size(), kMaxDownEntries);
    QStringList keys;
    for (qsizetype i = 0; i < shown; ++i)
        keys.append(down.at(i)->name);
    if (keys != m_downKeys) {
        qDeleteAll(m_downActions);
        m_downActions.clear();
        m_downKeys = keys;
        const QIcon dot = StateStyle::dot(EndpointState::Down, false);
        for (const QString &name : std::as_const(keys)) {
            auto *action = new QAction(dot, QString(), m_menu.get());
            action->setObjectName(QStringLiteral("actionTrayDown"));
            connect(action, &QAction::triggered, this, [this, name] { Q_EMIT endpointActivated(name); });
            m_menu->insertAction(m_more, action);
            m_downActions.append(action);
        }
    }
    const QDateTime now =
        m_latest && m_latest->taken.isValid() ? m_latest->taken : QDateTime::currentDateTimeUtc();
    for (qsizetype i = 0; i < shown; ++i) {
        const EndpointSnapshot &e = *down.at(i);
        // "&" would turn into a mnemonic; names may contain one.
        QString name = e.name;
        name.replace(u'&', QStringLiteral("&&"));
        const QString cause = e.cause.isEmpty() ? tr("no cause") : e.cause;
        const QDateTime since = e.stats.lastDropAt.isValid() ? e.stats.lastDropAt : e.since;
        m_downActions.at(i)->setText(tr("%1 — %2, %3").arg(name, cause, TimeFormat::relative(since, now)));
        m_downActions.at(i)->setToolTip(tr("Select %1 in the window").arg(e.name));
    }
    m_more->setVisible(down.size() > shown);
    m_more->setText(tr("… and %1 more down: open the window").arg(down.size() - shown));
}

QStringList TrayIcon::downEntries() const
{
    return m_downKeys;
}

void TrayIcon::pauseAll()
{
    if (!m_engine || !m_latest || isPaused())
        return;
    QStringList running;
    for (const EndpointSnapshot &e : m_latest->endpoints) {
        if (e.state != EndpointState::Disabled)
            running.append(e.name);
    }
    for (const QString &name : std::as_const(running))
        m_engine->stopEndpoint(name);
    m_paused = running;
    updatePauseAction();
    applySnapshot(m_latest);
}

void TrayIcon::resumeAll()
{
    const QStringList paused = std::exchange(m_paused, {});
    if (m_engine) {
        for (const QString &name : paused)
            m_engine->startEndpoint(name);
    }
    updatePauseAction();
    applySnapshot(m_latest);
}

void TrayIcon::updatePauseAction()
{
    if (isPaused()) {
        m_pause->setText(tr("&Resume all (%1)").arg(m_paused.size()));
        m_pause->setToolTip(tr("Start again the endpoints Pause all stopped"));
    } else {
        m_pause->setText(tr("&Pause all"));
        m_pause->setToolTip(tr("Stop watching every running endpoint until Resume all"));
    }
    m_pause->setEnabled(!m_engine.isNull());
}

void TrayIcon::buildMuteMenu()
{
    m_muteMenu = m_menu->addMenu(tr("&Mute notifications"));
    m_muteMenu->setObjectName(QStringLiteral("trayMuteMenu"));
    m_muteMenu->menuAction()->setObjectName(QStringLiteral("actionTrayMute"));
    m_muteMenu->menuAction()->setVisible(false);
    const auto add = [this](const QString &text, const QString &name, std::function<QDateTime()> until) {
        QAction *action = m_muteMenu->addAction(text);
        action->setObjectName(name);
        connect(action, &QAction::triggered, this, [this, until = std::move(until)] {
            if (m_desktop)
                m_desktop->muteUntil(until());
        });
    };
    add(tr("For 1 &hour"), QStringLiteral("actionTrayMute1h"),
        [] { return QDateTime::currentDateTime().addSecs(3600); });
    add(tr("For &8 hours"), QStringLiteral("actionTrayMute8h"),
        [] { return QDateTime::currentDateTime().addSecs(8 * 3600); });
    add(tr("Until &tomorrow 08:00"), QStringLiteral("actionTrayMuteTomorrow"),
        [] { return DesktopNotifier::tomorrowMorning(QDateTime::currentDateTime()); });
    add(tr("Until I &unmute"), QStringLiteral("actionTrayMuteForever"), [] { return QDateTime(); });
    m_muteMenu->addSeparator();
    m_unmute = m_muteMenu->addAction(tr("U&nmute"));
    m_unmute->setObjectName(QStringLiteral("actionTrayUnmute"));
    connect(m_unmute, &QAction::triggered, this, [this] {
        if (m_desktop)
            m_desktop->unmute();
    });
    // The end of a timed mute passes without a signal: look again each time the menu opens.
    connect(m_menu.get(), &QMenu::aboutToShow, this, &TrayIcon::updateMuteMenu);
    connect(m_muteMenu, &QMenu::aboutToShow, this, &TrayIcon::updateMuteMenu);
}

void TrayIcon::setDesktopNotifier(DesktopNotifier *notifier)
{
    if (m_desktop)
        m_desktop->disconnect(this);
    m_desktop = notifier;
    if (notifier) {
        connect(notifier, &DesktopNotifier::muteChanged, this, &TrayIcon::updateMuteMenu);
        // A click on a notification selects its endpoint, as a down entry of the menu does.
        connect(notifier, &DesktopNotifier::endpointActivated, this, &TrayIcon::endpointActivated);
    }
    updateMuteMenu();
}

void TrayIcon::updateMuteMenu()
{
    m_muteMenu->menuAction()->setVisible(m_desktop != nullptr);
    const bool muted = m_desktop && m_desktop->isMuted();
    m_unmute->setEnabled(muted);
    if (!muted) {
        m_muteMenu->setTitle(tr("&Mute notifications"));
        return;
    }
    const QDateTime until = m_desktop->mutedUntil();
    m_muteMenu->setTitle(until.isValid()
                             ? tr("Notifications &muted until %1")
                                   .arg(QLocale().toString(until.toLocalTime(), QLocale::ShortFormat))
                             : tr("Notifications &muted"));
}

bool TrayIcon::notify(const Notification &notification)
{
    m_lastNotification = notification;
    if (!isAvailable() || !m_tray->isVisible() || !QSystemTrayIcon::supportsMessages())
        return false;
    const QSystemTrayIcon::MessageIcon icon =
        notification.state == EndpointState::Down      ? QSystemTrayIcon::Critical
        : notification.state == EndpointState::Suspect ? QSystemTrayIcon::Warning
                                                       : QSystemTrayIcon::Information;
    m_tray->showMessage(notification.title, notification.message, icon);
    return true;
}

} // namespace kw
