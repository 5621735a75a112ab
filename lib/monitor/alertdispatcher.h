#pragma once

#include "alertnotice.h"
#include "alertnotifier.h"
#include "alertratelimit.h"
#include "clock.h"
#include "notifyjson.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTimer>

#include <chrono>
#include <memory>

class QNetworkAccessManager;

namespace kw {

// Routes the alerts the rules announce (Engine::alertsReady, on the GUI thread) to the notifiers of
// the workspace's "notify" array whose filters let them through, each behind its own rate limit.
// Webhook and command notifiers are made here from their configuration; the desktop one belongs to
// the window and is handed in with setDesktopNotifier() (headless, "desktop" entries do nothing).
// Nothing here blocks: deliveries run asynchronously, and their failures come back as
// deliveryFailed() and a warning in keepwatch.monitor.
class AlertDispatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertDispatcher)

public:
    struct Options
    {
        // Where secret_env and token_env are looked up, and what a command inherits.
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        std::chrono::milliseconds firstRetryBackoff{1000};
    };

    // On the steady clock.
    explicit AlertDispatcher(QObject *parent = nullptr);
    explicit AlertDispatcher(const Clock &clock, QObject *parent = nullptr);
    AlertDispatcher(const Clock &clock, Options options, QObject *parent = nullptr);
    ~AlertDispatcher() override;

    // Replaces every notifier. Returns one warning per problem that does not stop the rest (a
    // secret_env or token_env that is not set), worded for the user.
    QStringList configure(const QList<NotifierConfig> &notifiers);
    // The desktop notifier for "desktop" entries; when the workspace has none, every alert goes to it
    // with the default rate limit (a "desktop" entry with "enabled": false turns that off). Null: none.
    void setDesktopNotifier(AlertNotifier *desktop);

    const QList<NotifierConfig> &notifiers() const { return m_configs; }
    // The names of the routes in use, in order ("desktop" for the implicit one).
    QStringList routeNames() const;

public Q_SLOTS:
    void dispatch(const QList<kw::AlertNotice> &alerts);

Q_SIGNALS:
    void deliveryFailed(const QString &message);

private:
    struct Route;

    void connectTimers();
    void rebuild();
    void flushSummaries();
    void scheduleFlush();

    std::unique_ptr<Clock> m_ownClock; // when none was handed in
    const Clock &m_clock;
    Options m_options;
    QList<NotifierConfig> m_configs;
    AlertNotifier *m_desktop = nullptr;
    std::vector<std::unique_ptr<Route>> m_routes;
    QNetworkAccessManager *m_network = nullptr; // child of this, made with the first webhook
    QTimer m_flush;
};

} // namespace kw
