#include "alertdispatcher.h"

#include "commandnotifier.h"
#include "monitorlogging.h"
#include "webhooknotifier.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>

#include <algorithm>

namespace kw {

using namespace Qt::StringLiterals;

namespace {} // namespace

struct AlertDispatcher::Route
{
    NotifierConfig config;
    AlertRateLimit limit;
    std::unique_ptr<QObject> owned; // the webhook or command notifier; null for the desktop's
    AlertNotifier *notifier = nullptr;
};

AlertDispatcher::AlertDispatcher(QObject *parent)
    : QObject(parent), m_ownClock(std::make_unique<SteadyClock>()), m_clock(*m_ownClock)
{
    connectTimers();
}

AlertDispatcher::AlertDispatcher(const Clock &clock, QObject *parent)
    : AlertDispatcher(clock, Options(), parent)
{}

AlertDispatcher::AlertDispatcher(const Clock &clock, Options options, QObject *parent)
    : QObject(parent), m_clock(clock), m_options(std::move(options))
{
    connectTimers();
}

AlertDispatcher::~AlertDispatcher() = default;

void AlertDispatcher::connectTimers()
{
    m_flush.setSingleShot(true);
    connect(&m_flush, &QTimer::timeout, this, &AlertDispatcher::flushSummaries);
    connect(this, &AlertDispatcher::deliveryFailed, this,
            [](const QString &message) { qCWarning(lcMonitor).noquote() << message; });
}

QStringList AlertDispatcher::configure(const QList<NotifierConfig> &notifiers)
{
    m_configs = notifiers;
    rebuild();
    QStringList warnings;
    for (const NotifierConfig &n : notifiers) {
        if (!n.enabled || n.type != NotifierType::Webhook)
            continue;
        for (const auto &[key, variable] :
             {std::pair(u"secret_env"_s, n.secretEnv), std::pair(u"token_env"_s, n.tokenEnv),
              std::pair(u"url_env"_s, n.urlEnv)}) {
            if (!variable.isEmpty() && m_options.environment.value(variable).isEmpty())
                warnings
                    << QCoreApplication::translate(
                           "kw::AlertDispatcher",
                           "notifier \"%1\": the environment variable %2 (%3) is not set, so nothing will be "
                           "sent; set it before starting Keepwatch")
                           .arg(n.name, variable, key);
        }
    }
    return warnings;
}

void AlertDispatcher::setDesktopNotifier(AlertNotifier *desktop)
{
    m_desktop = desktop;
    rebuild();
}

QStringList AlertDispatcher::routeNames() const
{
    QStringList names;
    for (const auto &route : m_routes)
        names << route->config.name;
    return names;
}

void AlertDispatcher::rebuild()
{
    m_routes.clear();
    m_flush.stop();
    bool desktopListed = false;
    // A command inherits this process's environment, but not the webhooks' secrets.
    QProcessEnvironment commandEnvironment = m_options.environment;
    for (const NotifierConfig &config : std::as_const(m_configs)) {
        for (const QString &variable : {config.secretEnv, config.tokenEnv, config.urlEnv}) {
            if (!variable.isEmpty())
                commandEnvironment.remove(variable);
        }
    }
    for (const NotifierConfig &config : std::as_const(m_configs)) {
        if (config.type == NotifierType::Desktop)
            desktopListed = true;
        if (!config.enabled)
            continue;
        auto route = std::make_unique<Route>(
            Route{config, AlertRateLimit(config.rateCount, config.rateWindow), {}, nullptr});
        if (config.type == NotifierType::Webhook) {
            if (!m_network)
                m_network = new QNetworkAccessManager(this);
            WebhookNotifier::Options options;
            options.environment = m_options.environment;
            options.firstBackoff = m_options.firstRetryBackoff;
            auto webhook = std::make_unique<WebhookNotifier>(config, m_network, options);
            connect(webhook.get(), &WebhookNotifier::failed, this, &AlertDispatcher::deliveryFailed);
            route->notifier = webhook.get();
            route->owned = std::move(webhook);
        } else if (config.type == NotifierType::Command) {
            CommandNotifier::Options options;
            options.environment = commandEnvironment;
            auto command = std::make_unique<CommandNotifier>(config, options);
            connect(command.get(), &CommandNotifier::failed, this, &AlertDispatcher::deliveryFailed);
            route->notifier = command.get();
            route->owned = std::move(command);
        } else if (m_desktop) {
            route->notifier = m_desktop;
        } else {
            continue; // headless: no desktop here
        }
        m_routes.push_back(std::move(route));
    }
    if (!desktopListed && m_desktop) {
        NotifierConfig implicit;
        implicit.name = u"desktop"_s;
        implicit.type = NotifierType::Desktop;
        m_routes.push_back(std::make_unique<Route>(
            Route{implicit, AlertRateLimit(implicit.rateCount, implicit.rateWindow), {}, m_desktop}));
    }
}

void AlertDispatcher::dispatch(const QList<AlertNotice> &alerts)
{
    const TimePoint now = m_clock.now();
    // A window that ended before this batch sends its summary first, so people read in order.
    flushSummaries();
    for (const AlertNotice &notice : alerts) {
        for (const auto &route : m_routes) {
            if (!route->config.accepts(notice))
                continue;
            if (route->limit.admit(notice, now))
                route->notifier->notify(notice);
        }
    }
    scheduleFlush();
}

void AlertDispatcher::flushSummaries()
{
    const TimePoint now = m_clock.now();
    for (const auto &route : m_routes) {
        if (const std::optional<AlertSummary> summary = route->limit.takeSummary(now))
            route->notifier->notifySummary(*summary);
    }
    scheduleFlush();
}

void AlertDispatcher::scheduleFlush()
{
    std::optional<TimePoint> next;
    for (const auto &route : m_routes) {
        if (const auto due = route->limit.summaryDue())
            next = next ? std::min(*next, *due) : *due;
    }
    if (!next) {
        m_flush.stop();
        return;
    }
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(*next - m_clock.now());
    m_flush.start(std::max(wait, std::chrono::milliseconds(0)));
}

} // namespace kw
