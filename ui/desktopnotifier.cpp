#include "desktopnotifier.h"

#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusServiceWatcher>
#include <QVariantMap>

namespace kw {

using namespace Qt::StringLiterals;

namespace {

const QString kInterface = u"org.freedesktop.Notifications"_s;

// Desktop Notifications Specification, "Urgency Levels": 0 low, 1 normal, 2 critical.
uchar urgencyOf(EndpointState state)
{
    return state == EndpointState::Down || state == EndpointState::Waiting ? 2 : 1;
}

} // namespace

DesktopNotifier::DesktopNotifier(Notifier *fallback, QObject *parent)
    : DesktopNotifier(fallback, QDBusConnection::sessionBus(), parent)
{}

DesktopNotifier::DesktopNotifier(Notifier *fallback, const QDBusConnection &bus, QObject *parent)
    : QObject(parent), m_bus(bus), m_fallback(fallback), m_now([] { return QDateTime::currentDateTime(); })
{
    setObjectName(u"desktopNotifier"_s);
    if (!m_bus.isConnected()) {
        m_serverAnswers = false;
        return;
    }
    const QString service = QString::fromLatin1(kService);
    const QString path = QString::fromLatin1(kPath);
    m_bus.connect(service, path, kInterface, u"ActionInvoked"_s, this, SLOT(onActionInvoked(uint, QString)));
    m_bus.connect(service, path, kInterface, u"NotificationClosed"_s, this,
                  SLOT(onNotificationClosed(uint, uint)));
    // A server that starts after Keepwatch (a desktop session coming up) is used from then on.
    auto *watcher = new QDBusServiceWatcher(service, m_bus, QDBusServiceWatcher::WatchForRegistration, this);
    connect(watcher, &QDBusServiceWatcher::serviceRegistered, this, [this] { m_serverAnswers = true; });
}

DesktopNotifier::~DesktopNotifier() = default;

void DesktopNotifier::notify(const AlertNotice &notice)
{
    if (m_mutedEndpoints.contains(notice.endpoint)) {
        m_lastRoute = Route::Muted;
        return;
    }
    show({alertTitle(notice), alertText(notice), notice.state, notice.endpoint});
}

void DesktopNotifier::notifySummary(const AlertSummary &summary)
{
    show({summaryTitle(summary), summaryText(summary), EndpointState::Down,
          summary.endpoints.size() == 1 && summary.otherEndpoints == 0 ? summary.endpoints.first()
                                                                       : QString()});
}

void DesktopNotifier::muteUntil(const QDateTime &until)
{
    m_mutedUntil = until;
    Q_EMIT muteChanged();
}

void DesktopNotifier::unmute()
{
    m_mutedUntil.reset();
    Q_EMIT muteChanged();
}

bool DesktopNotifier::isMuted() const
{
    if (!m_mutedUntil)
        return false;
    return !m_mutedUntil->isValid() || m_now() < *m_mutedUntil;
}

QDateTime DesktopNotifier::mutedUntil() const
{
    return isMuted() && m_mutedUntil ? *m_mutedUntil : QDateTime();
}

void DesktopNotifier::setEndpointMuted(const QString &endpoint, bool muted)
{
    if (muted)
        m_mutedEndpoints.insert(endpoint);
    else
        m_mutedEndpoints.remove(endpoint);
    Q_EMIT muteChanged();
}

QDateTime DesktopNotifier::tomorrowMorning(const QDateTime &now)
{
    const QDateTime local = now.toLocalTime();
    // Past midnight but before dawn, "tomorrow" is the morning that comes next, not the one after.
    const QDate day = local.time() < QTime(5, 0) ? local.date() : local.date().addDays(1);
    return QDateTime(day, QTime(8, 0), Qt::LocalTime);
}

void DesktopNotifier::show(const Notification &notification)
{
    if (isMuted()) {
        m_lastRoute = Route::Muted;
        return;
    }
    if (!m_serverAnswers) {
        showOnTray(notification);
        return;
    }
    QDBusMessage call = QDBusMessage::createMethodCall(QString::fromLatin1(kService),
                                                       QString::fromLatin1(kPath), kInterface, u"Notify"_s);
    QVariantMap hints;
    hints.insert(u"urgency"_s, QVariant::fromValue(urgencyOf(notification.state)));
    hints.insert(u"desktop-entry"_s, u"io.keepwatch.Keepwatch"_s);
    hints.insert(u"category"_s, u"network"_s);
    QStringList actions;
    if (!notification.endpoint.isEmpty())
        actions << u"default"_s << tr("Show in Keepwatch");
    // The body may be read as markup ("body-markup" capability): escape it.
    call << u"Keepwatch"_s << uint(0) << u"io.keepwatch.Keepwatch"_s << notification.title
         << notification.message.toHtmlEscaped() << actions << hints << int(-1);
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, notification](QDBusPendingCallWatcher *w) { onNotifyReply(w, notification); });
    m_lastRoute = Route::DBus;
}

void DesktopNotifier::onNotifyReply(QDBusPendingCallWatcher *watcher, const Notification &notification)
{
    watcher->deleteLater();
    const QDBusPendingReply<uint> reply = *watcher;
    if (reply.isError()) {
        // No server (or a broken one): the tray from now on, until one registers.
        m_serverAnswers = false;
        showOnTray(notification);
        return;
    }
    // A server should say when each one closes; one that does not must not grow this without end.
    if (m_endpointById.size() >= 1000)
        m_endpointById.clear();
    if (!notification.endpoint.isEmpty())
        m_endpointById.insert(reply.value(), notification.endpoint);
}

void DesktopNotifier::showOnTray(const Notification &notification)
{
    m_lastRoute = m_fallback && m_fallback->notify(notification) ? Route::Tray : Route::None;
}

void DesktopNotifier::onActionInvoked(uint id, const QString &action)
{
    const QString endpoint = m_endpointById.value(id);
    if (action == u"default"_s && !endpoint.isEmpty())
        Q_EMIT endpointActivated(endpoint);
}

void DesktopNotifier::onNotificationClosed(uint id, uint reason)
{
    Q_UNUSED(reason)
    m_endpointById.remove(id);
}

} // namespace kw
