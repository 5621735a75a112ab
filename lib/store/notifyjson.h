#pragma once

#include "alertnotice.h"
#include "jsonreader.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <optional>

namespace kw {

// Where an announced alert goes: a desktop notification, an HTTP POST, or a program run.
enum class NotifierType { Desktop, Webhook, Command };
QString notifierTypeName(NotifierType type);
std::optional<NotifierType> notifierTypeFromName(const QString &name);

// The body a webhook posts: Keepwatch's own JSON, or what Slack, Microsoft Teams or ntfy expect.
enum class WebhookTemplate { Json, Slack, Teams, Ntfy };
QString webhookTemplateName(WebhookTemplate value);
std::optional<WebhookTemplate> webhookTemplateFromName(const QString &name);

// One entry of the workspace's top-level "notify" array (docs/workspace.md). Secrets are never
// here: a webhook names the environment variables that hold its HMAC key and bearer token.
struct NotifierConfig
{
    static constexpr int kDefaultRetries = 3;
    static constexpr std::chrono::milliseconds kDefaultTimeout{10'000};
    static constexpr std::chrono::milliseconds kDefaultCommandTimeout{30'000};
    static constexpr int kDefaultRateCount = 5;
    static constexpr std::chrono::milliseconds kDefaultRateWindow{60'000};

    QString name;
    NotifierType type = NotifierType::Desktop;
    bool enabled = true;

    // Filters; each empty list lets everything through. An alert goes to this notifier when its
    // endpoint carries one of `tags`, is one of `endpoints` and its kind is one of `kinds`.
    QStringList tags;
    QStringList endpoints;
    QList<AlertKind> kinds;

    // At most rateCount messages per rateWindow; the rest become one summary when it ends.
    int rateCount = kDefaultRateCount;
    std::chrono::milliseconds rateWindow = kDefaultRateWindow;

    // Webhook.
    QUrl url;
    QString urlEnv; // instead of url: names the variable holding it (a Slack or Teams URL is a credential)
    WebhookTemplate bodyTemplate = WebhookTemplate::Json;
    QString secretEnv; // names the variable holding the HMAC-SHA256 key
    QString tokenEnv;  // names the variable holding the bearer token
    int retries = kDefaultRetries;
    // Webhook: per attempt; command: until the program is killed. nullopt: the type's default.
    std::optional<std::chrono::milliseconds> timeout;

    // Command.
    QString program;
    QStringList args;

    QJsonObject raw; // the object as read, so unknown keys survive a save

    std::chrono::milliseconds effectiveTimeout() const
    {
        return timeout ? *timeout : type == NotifierType::Command ? kDefaultCommandTimeout : kDefaultTimeout;
    }
    // True when the filters let `notice` through (enabled is not looked at).
    bool accepts(const AlertNotice &notice) const;

    bool operator==(const NotifierConfig &other) const; // compares everything but `raw`
};

// The top-level "notify" key of `workspace`, when present, into `notifiers`; messages under
// "notify[2].url" and so on.
void parseNotify(JsonObjectReader &workspace, QList<NotifierConfig> &notifiers, QStringList &errors,
                 QStringList &warnings);
// The known fields merged over each notifier's raw object.
QJsonObject notifierToJson(const NotifierConfig &notifier);
QJsonArray notifyToJson(const QList<NotifierConfig> &notifiers);

// True for a name an environment variable can have on every platform: [A-Za-z_][A-Za-z0-9_]*.
bool isEnvironmentVariableName(const QString &name);

} // namespace kw
