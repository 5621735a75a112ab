#include "alertbody.h"

#include "sessiontext.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>

namespace kw {

using namespace Qt::StringLiterals;

namespace {

QString timeText(const QDateTime &t)
{
    return t.toUTC().toString(u"yyyy-MM-dd HH:mm:ss 'UTC'"_s);
}

QString isoText(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QString stateName(EndpointState state)
{
    return QString::fromLatin1(endpointStateName(state));
}

QString causeText(const AlertNotice &n)
{
    QString text = n.cause.isNone() ? QCoreApplication::translate("kw::AlertBody", "no cause recorded")
                                    : QString::fromStdString(n.cause.name());
    if (!n.detail.isEmpty())
        text += u" ("_s + n.detail + u')';
    return text;
}

// Slack, Teams and ntfy show these glyph names or colours beside the text.
bool isBad(AlertKind kind)
{
    return kind == AlertKind::Down || kind == AlertKind::Reminder || kind == AlertKind::Flapping;
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

WebhookBody chatBody(WebhookTemplate t, const QString &title, const QString &text, bool bad,
                     const QJsonObject &json)
{
    WebhookBody out;
    out.contentType = "application/json";
    switch (t) {
    case WebhookTemplate::Json:
        out.body = compact(json);
        break;
    case WebhookTemplate::Slack: {
        // Incoming webhooks: "text" is required; mrkdwn renders *bold*.
        const QString mark = bad ? u":red_circle:"_s : u":large_green_circle:"_s;
        const QString message = mark + u" *"_s + title + u"*\n"_s + text;
        out.body = compact(QJsonObject{{u"text"_s, message}});
        break;
    }
    case WebhookTemplate::Teams: {
        // A Teams workflow ("Post to a channel when a webhook request is received") takes a message
        // with an Adaptive Card attachment; the retired Office 365 connectors took the same.
        const QJsonArray body{QJsonObject{{u"type"_s, u"TextBlock"_s},
                                          {u"text"_s, title},
                                          {u"weight"_s, u"Bolder"_s},
                                          {u"size"_s, u"Medium"_s},
                                          {u"color"_s, bad ? u"Attention"_s : u"Good"_s},
                                          {u"wrap"_s, true}},
                              QJsonObject{{u"type"_s, u"TextBlock"_s}, {u"text"_s, text}, {u"wrap"_s, true}}};
        const QJsonObject card{{u"$schema"_s, u"http://adaptivecards.io/schemas/adaptive-card.json"_s},
                               {u"type"_s, u"AdaptiveCard"_s},
                               {u"version"_s, u"1.4"_s},
                               {u"body"_s, body}};
        const QJsonObject attachment{{u"contentType"_s, u"application/vnd.microsoft.card.adaptive"_s},
                                     {u"content"_s, card}};
        out.body =
            compact(QJsonObject{{u"type"_s, u"message"_s}, {u"attachments"_s, QJsonArray{attachment}}});
        break;
    }
    case WebhookTemplate::Ntfy:
        // ntfy publishes the body as the message to the topic in the URL; the rest are headers
        // (https://docs.ntfy.sh/publish/: Title, Priority 1-5, Tags as emoji short codes).
        out.contentType = "text/plain; charset=utf-8";
        out.body = text.toUtf8();
        out.headers << qMakePair(QByteArray("Title"), title.toUtf8())
                    << qMakePair(QByteArray("Priority"), QByteArray(bad ? "5" : "3"))
                    << qMakePair(QByteArray("Tags"),
                                 QByteArray(bad ? "rotating_light,keepwatch" : "white_check_mark,keepwatch"));
        break;
    }
    return out;
}

} // namespace

void AlertSummary::add(const AlertNotice &notice)
{
    if (count == 0)
        first = notice.ts;
    last = notice.ts;
    ++count;
    ++byKind[notice.kind];
    if (endpoints.contains(notice.endpoint))
        return;
    // Only the first few names are shown; the rest are counted.
    if (endpoints.size() < kMaxNames) {
        endpoints << notice.endpoint;
    } else if (!others.contains(notice.endpoint)) {
        others.insert(notice.endpoint);
        ++otherEndpoints;
    }
}

QString alertTitle(const AlertNotice &n)
{
    switch (n.kind) {
    case AlertKind::Down:
        return QCoreApplication::translate("kw::AlertBody", "%1 is down").arg(n.endpoint);
    case AlertKind::Up:
        return QCoreApplication::translate("kw::AlertBody", "%1 is back up").arg(n.endpoint);
    case AlertKind::Reminder:
        return QCoreApplication::translate("kw::AlertBody", "%1 is still down").arg(n.endpoint);
    case AlertKind::Flapping:
        return QCoreApplication::translate("kw::AlertBody", "%1 is flapping").arg(n.endpoint);
    case AlertKind::Stable:
        return QCoreApplication::translate("kw::AlertBody", "%1 is stable again").arg(n.endpoint);
    }
    return n.endpoint;
}

QString alertText(const AlertNotice &n)
{
    const QString target = n.target.isEmpty() ? QString() : n.target + u": "_s;
    const auto down = [&n] {
        return n.downForMs ? formatDuration(std::chrono::milliseconds(*n.downForMs))
                           : QCoreApplication::translate("kw::AlertBody", "an unknown time");
    };
    switch (n.kind) {
    case AlertKind::Down: {
        QString text = target + causeText(n);
        if (n.boundMs)
            text += QCoreApplication::translate("kw::AlertBody", ", detected within %1")
                        .arg(formatDuration(std::chrono::milliseconds(*n.boundMs)));
        if (n.downSince.isValid())
            text += QCoreApplication::translate("kw::AlertBody", " (since %1)").arg(timeText(n.downSince));
        return text;
    }
    case AlertKind::Up:
        return target +
               QCoreApplication::translate("kw::AlertBody", "back after %1 down; it had failed with %2")
                   .arg(down(), causeText(n));
    case AlertKind::Reminder:
        return target +
               QCoreApplication::translate("kw::AlertBody", "down for %1: %2").arg(down(), causeText(n));
    case AlertKind::Flapping:
        return target + QCoreApplication::translate(
                            "kw::AlertBody",
                            "it keeps going down and up (now %1); notifications are held until it is stable")
                            .arg(stateName(n.state));
    case AlertKind::Stable:
        return target + QCoreApplication::translate("kw::AlertBody", "it stopped flapping and is %1")
                            .arg(stateName(n.state));
    }
    return target;
}

QString summaryTitle(const AlertSummary &s)
{
    return QCoreApplication::translate("kw::AlertBody", "%n more alert(s) held by the rate limit", nullptr,
                                       s.count);
}

QString summaryText(const AlertSummary &s)
{
    QStringList kinds;
    for (auto it = s.byKind.cbegin(); it != s.byKind.cend(); ++it)
        kinds << QString::number(it.value()) + u' ' + alertKindName(it.key());
    QString names = s.endpoints.join(u", "_s);
    if (s.otherEndpoints > 0)
        names += QCoreApplication::translate("kw::AlertBody", " and %n other(s)", nullptr, s.otherEndpoints);
    return QCoreApplication::translate("kw::AlertBody", "%1 between %2 and %3: %4")
        .arg(kinds.join(u", "_s), timeText(s.first), timeText(s.last), names);
}

QJsonObject alertJson(const AlertNotice &n)
{
    QJsonObject o{{u"keepwatch"_s, 1},
                  {u"alert"_s, alertKindName(n.kind)},
                  {u"endpoint"_s, n.endpoint},
                  {u"target"_s, n.target},
                  {u"state"_s, stateName(n.state)},
                  {u"cause"_s, QString::fromStdString(n.cause.name())},
                  {u"detail"_s, n.detail},
                  {u"tags"_s, QJsonArray::fromStringList(n.tags)},
                  {u"ts"_s, isoText(n.ts)},
                  {u"title"_s, alertTitle(n)},
                  {u"text"_s, alertText(n)}};
    if (n.boundMs)
        o.insert(u"bound_ms"_s, *n.boundMs);
    if (n.stateSince.isValid())
        o.insert(u"state_since"_s, isoText(n.stateSince));
    if (n.downSince.isValid())
        o.insert(u"down_since"_s, isoText(n.downSince));
    if (n.downForMs)
        o.insert(u"down_for_ms"_s, *n.downForMs);
    return o;
}

QJsonObject summaryJson(const AlertSummary &s)
{
    QJsonObject kinds;
    for (auto it = s.byKind.cbegin(); it != s.byKind.cend(); ++it)
        kinds.insert(alertKindName(it.key()), it.value());
    return {{u"keepwatch"_s, 1},
            {u"alert"_s, u"summary"_s},
            {u"count"_s, s.count},
            {u"kinds"_s, kinds},
            {u"endpoints"_s, QJsonArray::fromStringList(s.endpoints)},
            {u"other_endpoints"_s, s.otherEndpoints},
            {u"first"_s, isoText(s.first)},
            {u"last"_s, isoText(s.last)},
            {u"title"_s, summaryTitle(s)},
            {u"text"_s, summaryText(s)}};
}

WebhookBody webhookBody(WebhookTemplate t, const AlertNotice &n)
{
    return chatBody(t, alertTitle(n), alertText(n), isBad(n.kind), alertJson(n));
}

WebhookBody webhookBody(WebhookTemplate t, const AlertSummary &s)
{
    return chatBody(t, summaryTitle(s), summaryText(s), s.byKind.value(AlertKind::Down) > 0, summaryJson(s));
}

QByteArray webhookSignature(const QByteArray &key, const QByteArray &timestamp, const QByteArray &body)
{
    return "sha256=" +
           QMessageAuthenticationCode::hash(timestamp + '.' + body, key, QCryptographicHash::Sha256).toHex();
}

} // namespace kw
