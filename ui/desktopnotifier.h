#pragma once

#include "alertnotifier.h"
#include "notifier.h"

#include <QDBusConnection>
#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>

#include <functional>
#include <optional>

class QDBusPendingCallWatcher;

namespace kw {

// Announced alerts on the desktop: freedesktop notifications (org.freedesktop.Notifications on the
// session bus, Desktop Notifications Specification 1.2) where a notification server answers, else the
// tray's balloon (`fallback`, the TrayIcon). Every D-Bus call is asynchronous: a desktop without a
// server falls back on the first failed call, and comes back when one registers.
//
// Muting: all notifications, for a while (mutedUntil()) or until unmuted, and per endpoint. A click
// on a notification ("default" action) emits endpointActivated(), which the window uses to select it.
class DesktopNotifier final : public QObject, public AlertNotifier
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DesktopNotifier)

public:
    static constexpr const char *kService = "org.freedesktop.Notifications";
    static constexpr const char *kPath = "/org/freedesktop/Notifications";

    // Where the last notification went.
    enum class Route { None, DBus, Tray, Muted };
    Q_ENUM(Route)

    // `fallback` may be null (nothing is shown without a server then); `bus` is the session bus but
    // for tests.
    explicit DesktopNotifier(Notifier *fallback, QObject *parent = nullptr);
    DesktopNotifier(Notifier *fallback, const QDBusConnection &bus, QObject *parent = nullptr);
    ~DesktopNotifier() override;

    void notify(const AlertNotice &notice) override;
    void notifySummary(const AlertSummary &summary) override;

    // Mute everything until `until`; an invalid time: until unmute().
    void muteUntil(const QDateTime &until);
    void unmute();
    bool isMuted() const;
    // The end of the current mute; invalid when muted until unmuted or not muted (see isMuted()).
    QDateTime mutedUntil() const;
    void setEndpointMuted(const QString &endpoint, bool muted);
    bool isEndpointMuted(const QString &endpoint) const { return m_mutedEndpoints.contains(endpoint); }

    // "Until tomorrow": 08:00 local time of the next morning after `now` (the same day's before 05:00).
    static QDateTime tomorrowMorning(const QDateTime &now);

    // Tests: the wall clock the mute is measured on.
    void setWallClock(std::function<QDateTime()> now) { m_now = std::move(now); }
    Route lastRoute() const { return m_lastRoute; }

Q_SIGNALS:
    void endpointActivated(const QString &endpoint);
    void muteChanged();

private Q_SLOTS:
    void onActionInvoked(uint id, const QString &action);
    void onNotificationClosed(uint id, uint reason);

private:
    void show(const Notification &notification);
    void showOnTray(const Notification &notification);
    void onNotifyReply(QDBusPendingCallWatcher *watcher, const Notification &notification);

    QDBusConnection m_bus;
    Notifier *m_fallback;
    bool m_serverAnswers = true; // until a call says otherwise
    QHash<uint, QString> m_endpointById;
    std::optional<QDateTime> m_mutedUntil; // set and invalid: until unmuted
    QSet<QString> m_mutedEndpoints;
    std::function<QDateTime()> m_now;
    Route m_lastRoute = Route::None;
};

} // namespace kw
