#pragma once

#include "notifier.h"
#include "snapshot.h"

#include <QIcon>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

class QAction;
class QMenu;
class QSystemTrayIcon;
class QWidget;

namespace kw {

class DesktopNotifier;
class Engine;

// Keepwatch in the system tray: the icon carries the worst current state as a badge, the tooltip
// the counts ("Keepwatch — 2 down, 1 suspect of 40"), the menu what is down (a click selects it in
// the window), Open window, Pause all / Resume all and Quit.
//
// The menu and the state are built from snapshots whether or not this desktop has a tray (the
// offscreen platform has none), so they can be tested; the icon is shown only where a tray exists,
// and the window never depends on it. Notifications for the alerting rules come through notify().
class TrayIcon final : public QObject, public Notifier
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayIcon)

public:
    static constexpr int kMaxDownEntries = 10;

    // `engine` may be null (no Pause all then). Nothing is shown until show().
    explicit TrayIcon(Engine *engine, QObject *parent = nullptr);
    ~TrayIcon() override;

    // QSystemTrayIcon::isSystemTrayAvailable(), behind one name.
    static bool isAvailable();
    // Shows the icon where there is a tray; false (and nothing shown) where there is none.
    bool show();
    void hide();

    // Open window and a click on the icon or a down entry show `window` (restored and raised);
    // Quit closes it, which asks about unsaved edits and then ends the application.
    void attachWindow(QWidget *window);

    void applySnapshot(const SnapshotPtr &snapshot);

    // The worst state over every endpoint (Waiting counts as Down: it follows a drop); nullopt
    // when there is no endpoint.
    std::optional<EndpointState> worstState() const { return m_worst; }
    QString toolTip() const { return m_toolTip; }
    QIcon icon() const { return m_icon; }
    QMenu *menu() const { return m_menu.get(); }
    QSystemTrayIcon *systemTrayIcon() const { return m_tray; }
    // The endpoints the menu lists as down, in menu order (most recent drop first).
    QStringList downEntries() const;
    QAction *pauseAction() const { return m_pause; }

    // Stops every endpoint that is running now and remembers which; resumeAll() starts exactly
    // those again. An endpoint the user stopped before stays stopped.
    void pauseAll();
    void resumeAll();
    bool isPaused() const { return !m_paused.isEmpty(); }
    QStringList pausedEndpoints() const { return m_paused; }

    // The "Mute notifications" submenu (for 1 hour, 8 hours, until tomorrow 08:00, until unmuted;
    // Unmute) acts on `notifier`, hidden while there is none; a click on one of its notifications
    // comes out as endpointActivated().
    void setDesktopNotifier(DesktopNotifier *notifier);
    QMenu *muteMenu() const { return m_muteMenu; }

    // A balloon from the tray; false where there is no tray. The last one is kept for tests.
    bool notify(const Notification &notification) override;
    std::optional<Notification> lastNotification() const { return m_lastNotification; }

    // The application icon with a badge in the state's colour; the plain icon for nullopt.
    static QIcon iconFor(std::optional<EndpointState> worst);

Q_SIGNALS:
    void endpointActivated(const QString &name);
    void openWindowRequested();
    void quitRequested();

private:
    void rebuildDownEntries(const QList<const EndpointSnapshot *> &down);
    void updatePauseAction();
    void buildMuteMenu();
    void updateMuteMenu();

    QPointer<Engine> m_engine;
    QSystemTrayIcon *m_tray = nullptr; // child of this
    std::unique_ptr<QMenu> m_menu;     // a widget: cannot be a child of a QObject
    QAction *m_summary = nullptr;
    QAction *m_downEnd = nullptr; // the separator the down entries are inserted before
    QAction *m_more = nullptr;
    QAction *m_open = nullptr;
    QAction *m_pause = nullptr;
    QAction *m_quit = nullptr;
    QMenu *m_muteMenu = nullptr; // child of m_menu
    QAction *m_unmute = nullptr;
    QPointer<DesktopNotifier> m_desktop;
    QList<QAction *> m_downActions;
    QStringList m_downKeys; // what the entries show, to rebuild them only on change
    SnapshotPtr m_latest;
    std::optional<EndpointState> m_worst;
    QString m_toolTip;
    QIcon m_icon;
    QStringList m_paused;
    std::optional<Notification> m_lastNotification;
};

} // namespace kw
