#include "notifyjson.h"

#include "jsonwriter.h"

#include <QCoreApplication>
#include <QHash>

#include <array>
#include <utility>

namespace kw {

using namespace Qt::StringLiterals;

namespace {

const std::array<std::pair<NotifierType, QString>, 3> kTypeNames{{
    {NotifierType::Desktop, u"desktop"_s},
    {NotifierType::Webhook, u"webhook"_s},
    {NotifierType::Command, u"command"_s},
}};

const std::array<std::pair<WebhookTemplate, QString>, 4> kTemplateNames{{
    {WebhookTemplate::Json, u"json"_s},
    {WebhookTemplate::Slack, u"slack"_s},
    {WebhookTemplate::Teams, u"teams"_s},
    {WebhookTemplate::Ntfy, u"ntfy"_s},
}};

template<typename Enum, std::size_t N>
QString nameIn(const std::array<std::pair<Enum, QString>, N> &names, Enum value)
{
    for (const auto &[e, name] : names) {
        if (e == value)
            return name;
    }
    return {};
}

template<typename Enum, std::size_t N>
std::optional<Enum> valueIn(const std::array<std::pair<Enum, QString>, N> &names, const QString &name)
{
    for (const auto &[e, n] : names) {
        if (n == name)
            return e;
    }
    return std::nullopt;
}

// Keys that would put a secret into the file; each message says where the secret goes instead.
void refuseSecrets(JsonObjectReader &r)
{
    for (const QString &key : {u"secret"_s, u"token"_s, u"password"_s, u"hmac_key"_s}) {
        if (!r.has(key))
            continue;
        r.value(key);
        r.error(key, QCoreApplication::translate(
                         "kw::Notify",
                         "secrets are never kept in the workspace; put it in an environment variable and "
                         "name that variable in \"%1\"")
                         .arg(key == u"token"_s ? u"token_env"_s : u"secret_env"_s));
    }
}

std::optional<QString> environmentName(JsonObjectReader &r, const QString &key)
{
    const std::optional<QString> name = r.string(key);
    if (!name)
        return std::nullopt;
    if (!isEnvironmentVariableName(*name)) {
        r.error(key, QCoreApplication::translate(
                         "kw::Notify",
                         "expected the name of an environment variable such as \"KW_WEBHOOK_SECRET\" "
                         "(letters, digits and _, not starting with a digit), got %1")
                         .arg(describeJson(*name)));
        return std::nullopt;
    }
    return name;
}

void parseFilters(JsonObjectReader &r, NotifierConfig &n)
{
    if (const auto tags = r.words(
            u"tags"_s, QCoreApplication::translate("kw::Notify", "tag words such as \"prod\" or \"db\"")))
        n.tags = *tags;
    if (r.has(u"endpoints"_s)) {
        const QJsonValue v = r.value(u"endpoints"_s);
        const QJsonArray items = v.toArray();
        bool ok = v.isArray();
        for (qsizetype i = 0; ok && i < items.size(); ++i) {
            if (!items.at(i).isString() || items.at(i).toString().trimmed().isEmpty()) {
                r.error(u"endpoints"_s,
                        QCoreApplication::translate("kw::Notify",
                                                    "expected an array of endpoint names, got %1 at index %2")
                            .arg(describeJson(items.at(i)), QString::number(i)));
                ok = false;
                n.endpoints.clear();
            } else {
                n.endpoints << items.at(i).toString();
            }
        }
        if (!v.isArray())
            r.error(u"endpoints"_s,
                    QCoreApplication::translate("kw::Notify", "expected an array of endpoint names, got %1")
                        .arg(describeJson(v)));
    }
    if (r.has(u"kinds"_s)) {
        const QJsonValue v = r.value(u"kinds"_s);
        const QJsonArray items = v.toArray();
        const QString expected = QCoreApplication::translate(
            "kw::Notify",
            "expected an array of alert kinds (\"down\", \"up\", \"reminder\", \"flapping\", \"stable\")");
        if (!v.isArray()) {
            r.error(u"kinds"_s,
                    expected + QCoreApplication::translate("kw::Notify", ", got %1").arg(describeJson(v)));
        } else {
            for (qsizetype i = 0; i < items.size(); ++i) {
                const std::optional<AlertKind> kind = alertKindFromName(items.at(i).toString());
                if (!items.at(i).isString() || !kind) {
                    r.error(u"kinds"_s,
                            expected + QCoreApplication::translate("kw::Notify", ", got %1 at index %2")
                                           .arg(describeJson(items.at(i)), QString::number(i)));
                    n.kinds.clear();
                    break;
                }
                if (n.kinds.contains(*kind)) {
                    r.error(u"kinds"_s,
                            QCoreApplication::translate("kw::Notify", "\"%1\" is listed twice; keep one")
                                .arg(alertKindName(*kind)));
                    n.kinds.clear();
                    break;
                }
                n.kinds << *kind;
            }
        }
    }
}

void parseRateLimit(JsonObjectReader &r, NotifierConfig &n, QStringList &errors, QStringList &warnings)
{
    const std::optional<QJsonObject> object = r.object(u"rate_limit"_s);
    if (!object)
        return;
    JsonObjectReader rate(*object, r.pathOf(u"rate_limit"_s), errors, warnings);
    if (const auto count = rate.integer(u"count"_s, 1, 10000))
        n.rateCount = int(*count);
    if (const auto window = rate.seconds(u"window_s"_s))
        n.rateWindow = *window;
    rate.reportUnknownKeys();
}

void parseWebhook(JsonObjectReader &r, NotifierConfig &n)
{
    if (r.has(u"url_env"_s)) {
        if (const auto name = environmentName(r, u"url_env"_s))
            n.urlEnv = *name;
        if (r.has(u"url"_s)) {
            r.value(u"url"_s);
            r.error(u"url"_s, QCoreApplication::translate("kw::Notify",
                                                          "give either \"url\" or \"url_env\", not both"));
        }
    } else if (const auto text = r.word(
                   u"url"_s, QCoreApplication::translate(
                                 "kw::Notify", "required for type \"webhook\": the http:// or https:// "
                                               "address to post to, or \"url_env\" naming an environment "
                                               "variable that holds it"))) {
        const QUrl url(*text, QUrl::StrictMode);
        const QString scheme = url.scheme().toLower();
        if (!url.isValid() || (scheme != u"http"_s && scheme != u"https"_s) || url.host().isEmpty()) {
            r.error(u"url"_s, QCoreApplication::translate("kw::Notify",
                                                          "expected an http:// or https:// address such as "
                                                          "\"https://hooks.example.com/keepwatch\", got %1")
                                  .arg(describeJson(*text)));
        } else if (!url.password().isEmpty()) {
            r.error(u"url"_s, QCoreApplication::translate(
                                  "kw::Notify",
                                  "contains a password; secrets are never kept in the workspace: remove it "
                                  "and name an environment variable in \"token_env\" instead"));
        } else {
            n.url = url;
        }
    }
    if (const auto t = r.oneOf<WebhookTemplate>(
            u"template"_s,
            {WebhookTemplate::Json, WebhookTemplate::Slack, WebhookTemplate::Teams, WebhookTemplate::Ntfy},
            &webhookTemplateName, &webhookTemplateFromName))
        n.bodyTemplate = *t;
    if (const auto name = environmentName(r, u"secret_env"_s))
        n.secretEnv = *name;
    if (const auto name = environmentName(r, u"token_env"_s))
        n.tokenEnv = *name;
    if (const auto retries = r.integer(u"retries"_s, 0, 10))
        n.retries = int(*retries);
}

void parseCommand(JsonObjectReader &r, NotifierConfig &n)
{
    if (const auto program = r.string(u"program"_s)) {
        if (program->trimmed().isEmpty())
            r.error(u"program"_s, QCoreApplication::translate(
                                      "kw::Notify", "expected the path or name of a program, got \"\""));
        else
            n.program = *program;
    } else if (!r.has(u"program"_s)) {
        r.error(u"program"_s,
                QCoreApplication::translate(
                    "kw::Notify", "required for type \"command\": the program to run (no shell is used; "
                                  "give its arguments in \"args\")"));
    }
    if (r.has(u"args"_s)) {
        const QJsonValue v = r.value(u"args"_s);
        const QJsonArray items = v.toArray();
        bool ok = v.isArray();
        for (qsizetype i = 0; ok && i < items.size(); ++i) {
            if (!items.at(i).isString()) {
                r.error(u"args"_s, QCoreApplication::translate(
                                       "kw::Notify", "expected an array of strings, got %1 at index %2")
                                       .arg(describeJson(items.at(i)), QString::number(i)));
                ok = false;
            } else {
                n.args << items.at(i).toString();
            }
        }
        if (!v.isArray())
            r.error(u"args"_s,
                    QCoreApplication::translate("kw::Notify", "expected an array of strings, got %1")
                        .arg(describeJson(v)));
        if (!ok)
            n.args.clear();
    }
}

void refuseKeys(JsonObjectReader &r, const QStringList &keys, const QString &type)
{
    for (const QString &key : keys) {
        if (!r.has(key))
            continue;
        r.value(key);
        r.error(key, QCoreApplication::translate("kw::Notify", "not used by type %1; remove it")
                         .arg(describeJson(type)));
    }
}

std::optional<NotifierConfig> parseNotifier(const QJsonObject &object, const QString &where,
                                            QStringList &errors, QStringList &warnings)
{
    const qsizetype errorsBefore = errors.size();
    JsonObjectReader r(object, where, errors, warnings);
    reportByteOrderMarkKeys(object, where, errors);
    NotifierConfig n;
    n.raw = object;

    if (const auto name =
            r.word(u"name"_s, QCoreApplication::translate(
                                  "kw::Notify", "required: a unique name such as \"ops-slack\", used in "
                                                "messages about its deliveries")))
        n.name = *name;
    const auto type = r.oneOf<NotifierType>(
        u"type"_s, {NotifierType::Desktop, NotifierType::Webhook, NotifierType::Command}, &notifierTypeName,
        &notifierTypeFromName);
    if (type)
        n.type = *type;
    else if (!r.has(u"type"_s))
        r.error(u"type"_s, QCoreApplication::translate(
                               "kw::Notify", "required: one of \"desktop\", \"webhook\", \"command\""));
    if (const auto enabled = r.boolean(u"enabled"_s))
        n.enabled = *enabled;
    refuseSecrets(r);
    parseFilters(r, n);
    parseRateLimit(r, n, errors, warnings);
    if (const auto timeout = r.seconds(u"timeout_s"_s))
        n.timeout = *timeout;

    const QStringList webhookKeys{u"url"_s,        u"url_env"_s,   u"template"_s,
                                  u"secret_env"_s, u"token_env"_s, u"retries"_s};
    const QStringList commandKeys{u"program"_s, u"args"_s};
    if (type == NotifierType::Webhook) {
        parseWebhook(r, n);
        refuseKeys(r, commandKeys, notifierTypeName(n.type));
    } else if (type == NotifierType::Command) {
        parseCommand(r, n);
        refuseKeys(r, webhookKeys, notifierTypeName(n.type));
    } else if (type == NotifierType::Desktop) {
        refuseKeys(r, webhookKeys + commandKeys + QStringList{u"timeout_s"_s}, notifierTypeName(n.type));
    }
    r.reportUnknownKeys();
    if (errors.size() != errorsBefore)
        return std::nullopt;
    return n;
}

} // namespace

QString notifierTypeName(NotifierType type)
{
    return nameIn(kTypeNames, type);
}

std::optional<NotifierType> notifierTypeFromName(const QString &name)
{
    return valueIn(kTypeNames, name);
}

QString webhookTemplateName(WebhookTemplate value)
{
    return nameIn(kTemplateNames, value);
}

std::optional<WebhookTemplate> webhookTemplateFromName(const QString &name)
{
    return valueIn(kTemplateNames, name);
}

bool isEnvironmentVariableName(const QString &name)
{
    if (name.isEmpty() || name.front().isDigit())
        return false;
    return std::all_of(name.cbegin(), name.cend(), [](QChar c) {
        return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'_';
    });
}

bool NotifierConfig::operator==(const NotifierConfig &o) const
{
    return name == o.name && type == o.type && enabled == o.enabled && tags == o.tags &&
           endpoints == o.endpoints && kinds == o.kinds && rateCount == o.rateCount &&
           rateWindow == o.rateWindow && url == o.url && urlEnv == o.urlEnv &&
           bodyTemplate == o.bodyTemplate && secretEnv == o.secretEnv && tokenEnv == o.tokenEnv &&
           retries == o.retries && timeout == o.timeout && program == o.program && args == o.args;
}

bool NotifierConfig::accepts(const AlertNotice &notice) const
{
    if (!kinds.isEmpty() && !kinds.contains(notice.kind))
        return false;
    if (!endpoints.isEmpty() && !endpoints.contains(notice.endpoint))
        return false;
    if (!tags.isEmpty() && std::none_of(tags.cbegin(), tags.cend(),
                                        [&notice](const QString &tag) { return notice.tags.contains(tag); }))
        return false;
    return true;
}

void parseNotify(JsonObjectReader &workspace, QList<NotifierConfig> &notifiers, QStringList &errors,
                 QStringList &warnings)
{
    if (!workspace.has(u"notify"_s))
        return;
    const QJsonValue v = workspace.value(u"notify"_s);
    if (!v.isArray()) {
        workspace.error(u"notify"_s,
                        QCoreApplication::translate(
                            "kw::Notify",
                            "expected an array of notifier objects such as "
                            "[{\"name\": \"ops\", \"type\": \"webhook\", \"url\": \"https://...\"}], "
                            "got %1")
                            .arg(describeJson(v)));
        return;
    }
    const QJsonArray array = v.toArray();
    QHash<QString, qsizetype> firstIndex;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString where = workspace.pathOf(u"notify"_s) + u'[' + QString::number(i) + u']';
        const QJsonValue item = array.at(i);
        if (!item.isObject()) {
            errors << where + QCoreApplication::translate("kw::Notify", ": expected an object, got %1")
                                  .arg(describeJson(item));
            continue;
        }
        std::optional<NotifierConfig> notifier = parseNotifier(item.toObject(), where, errors, warnings);
        if (!notifier)
            continue;
        if (const auto first = firstIndex.constFind(notifier->name); first != firstIndex.constEnd()) {
            errors << where + QCoreApplication::translate(
                                  "kw::Notify",
                                  ".name: %1 is already the name of notify[%2]; names must be unique")
                                  .arg(describeJson(notifier->name), QString::number(*first));
            continue;
        }
        firstIndex.insert(notifier->name, i);
        notifiers << std::move(*notifier);
    }
}

QJsonObject notifierToJson(const NotifierConfig &n)
{
    QJsonObject o = n.raw;
    o.insert(u"name"_s, n.name);
    o.insert(u"type"_s, notifierTypeName(n.type));
    put(o, u"enabled"_s, n.enabled, n.enabled);
    const auto putList = [&o, &n](const QString &key, const QStringList &list) {
        if (list.isEmpty() && !n.raw.contains(key))
            o.remove(key);
        else
            o.insert(key, QJsonArray::fromStringList(list));
    };
    putList(u"tags"_s, n.tags);
    putList(u"endpoints"_s, n.endpoints);
    QStringList kinds;
    for (const AlertKind kind : n.kinds)
        kinds << alertKindName(kind);
    putList(u"kinds"_s, kinds);

    QJsonObject rate = n.raw.value(u"rate_limit"_s).toObject();
    put(rate, u"count"_s, n.rateCount, n.rateCount == NotifierConfig::kDefaultRateCount);
    put(rate, u"window_s"_s, secondsJson(n.rateWindow), n.rateWindow == NotifierConfig::kDefaultRateWindow);
    o = putNested(o, u"rate_limit"_s, rate);
    if (n.timeout)
        o.insert(u"timeout_s"_s, secondsJson(*n.timeout));
    else
        o.remove(u"timeout_s"_s);

    if (n.type == NotifierType::Webhook) {
        // The address as written when it still says the same, so a save does not respell it.
        const QJsonValue written = n.raw.value(u"url"_s);
        if (n.url.isEmpty())
            o.remove(u"url"_s);
        else if (!written.isString() || QUrl(written.toString(), QUrl::StrictMode) != n.url)
            o.insert(u"url"_s, n.url.toString());
        put(o, u"url_env"_s, n.urlEnv, n.urlEnv.isEmpty());
        put(o, u"template"_s, webhookTemplateName(n.bodyTemplate), n.bodyTemplate == WebhookTemplate::Json);
        put(o, u"secret_env"_s, n.secretEnv, n.secretEnv.isEmpty());
        put(o, u"token_env"_s, n.tokenEnv, n.tokenEnv.isEmpty());
        put(o, u"retries"_s, n.retries, n.retries == NotifierConfig::kDefaultRetries);
    }
    if (n.type == NotifierType::Command) {
        o.insert(u"program"_s, n.program);
        putList(u"args"_s, n.args);
    }
    return o;
}

QJsonArray notifyToJson(const QList<NotifierConfig> &notifiers)
{
    QJsonArray array;
    for (const NotifierConfig &notifier : notifiers)
        array.append(notifierToJson(notifier));
    return array;
}

} // namespace kw
