#pragma once

#include "alertnotice.h"
#include "notifyjson.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QPair>
#include <QSet>
#include <QString>
#include <QStringList>

namespace kw {

// What a notifier's rate limit held back during one window, sent as one message when the window
// ends: "94 more alerts (90 down, 4 up): db-1, db-2, … and 84 others".
struct AlertSummary
{
    static constexpr int kMaxNames = 10;

    QDateTime first; // the first and last notice held
    QDateTime last;
    int count = 0;
    QMap<AlertKind, int> byKind;
    QStringList endpoints;  // distinct, in order of arrival, at most kMaxNames
    int otherEndpoints = 0; // distinct endpoints beyond those
    QSet<QString> others;   // their names, to count each once

    void add(const AlertNotice &notice);
    bool operator==(const AlertSummary &) const = default;
};

// The words of a notice as people read them, the same on the desktop, in chat and in a command's
// KEEPWATCH_TEXT: "db-primary is down" / "keepalive-timeout, detected within 45 s (since 10:42:07 UTC)".
QString alertTitle(const AlertNotice &notice);
QString alertText(const AlertNotice &notice);
QString summaryTitle(const AlertSummary &summary);
QString summaryText(const AlertSummary &summary);

// Keepwatch's own webhook body (docs/user-guide.md, "Notifications"): every field of the notice.
QJsonObject alertJson(const AlertNotice &notice);
QJsonObject summaryJson(const AlertSummary &summary);

// One HTTP request body with the headers its template needs besides Content-Type.
struct WebhookBody
{
    QByteArray contentType;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
};

WebhookBody webhookBody(WebhookTemplate bodyTemplate, const AlertNotice &notice);
WebhookBody webhookBody(WebhookTemplate bodyTemplate, const AlertSummary &summary);

// "sha256=<hex>": HMAC-SHA256 with `key` over "<timestamp>.<body>", the X-Keepwatch-Signature
// header. Binding the timestamp (X-Keepwatch-Timestamp, Unix seconds) lets a receiver refuse replays.
QByteArray webhookSignature(const QByteArray &key, const QByteArray &timestamp, const QByteArray &body);

} // namespace kw
