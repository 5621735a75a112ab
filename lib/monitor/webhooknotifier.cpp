#include "webhooknotifier.h"

#include "sessiontext.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>

namespace kw {

using namespace Qt::StringLiterals;

namespace {

// Retry-After is a number of seconds or an HTTP date (RFC 9110, section 10.2.3).
std::optional<std::chrono::milliseconds> retryAfter(const QNetworkReply &reply)
{
    const QByteArray value = reply.rawHeader("Retry-After").trimmed();
    if (value.isEmpty())
        return std::nullopt;
    bool ok = false;
    const qint64 seconds = value.toLongLong(&ok);
    if (ok && seconds >= 0)
        return std::chrono::seconds(seconds);
    const QDateTime at = QDateTime::fromString(QString::fromLatin1(value), Qt::RFC2822Date);
    if (at.isValid())
        return std::chrono::milliseconds(std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(at)));
    return std::nullopt;
}

} // namespace

WebhookNotifier::WebhookNotifier(NotifierConfig config, QNetworkAccessManager *network, Options options,
                                 QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_network(network), m_options(std::move(options))
{
    m_url = m_config.url;
    if (!m_config.urlEnv.isEmpty()) {
        const QUrl url(m_options.environment.value(m_config.urlEnv), QUrl::StrictMode);
        const QString scheme = url.scheme().toLower();
        if (url.isValid() && (scheme == u"http"_s || scheme == u"https"_s) && !url.host().isEmpty())
            m_url = url;
    }
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &WebhookNotifier::sendNext);
}

WebhookNotifier::~WebhookNotifier()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void WebhookNotifier::notify(const AlertNotice &notice)
{
    enqueue(webhookBody(m_config.bodyTemplate, notice));
}

void WebhookNotifier::notifySummary(const AlertSummary &summary)
{
    enqueue(webhookBody(m_config.bodyTemplate, summary));
}

void WebhookNotifier::enqueue(WebhookBody body)
{
    if (m_queue.size() >= m_options.maxQueue) {
        // The oldest waiting alert goes: the receiver has been failing for a while, and the newest
        // say most about now.
        m_queue.dequeue();
        if (m_dropped++ == 0)
            fail(QCoreApplication::translate(
                     "kw::WebhookNotifier",
                     "the receiver is not keeping up; %1 alerts are queued, the oldest are dropped")
                     .arg(m_options.maxQueue));
    }
    m_queue.enqueue({std::move(body), 0});
    if (!m_current)
        sendNext();
}

void WebhookNotifier::sendNext()
{
    if (!m_current) {
        if (m_queue.isEmpty())
            return;
        m_current = m_queue.dequeue();
    }
    if (!m_network) {
        m_current.reset();
        return;
    }
    if (m_url.isEmpty()) {
        m_current.reset();
        fail(QCoreApplication::translate("kw::WebhookNotifier",
                                         "not sent: the environment variable %1 (url_env) is not set or does "
                                         "not hold an http:// or https:// address")
                 .arg(m_config.urlEnv));
        sendNext();
        return;
    }
    ++m_current->attempt;

    QNetworkRequest request(m_url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, m_current->body.contentType);
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("Keepwatch"));
    request.setTransferTimeout(int(m_config.effectiveTimeout().count()));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    for (const auto &[name, value] : std::as_const(m_current->body.headers))
        request.setRawHeader(name, value);
    if (!m_config.tokenEnv.isEmpty()) {
        const QString token = m_options.environment.value(m_config.tokenEnv);
        if (token.isEmpty()) {
            m_current.reset();
            fail(QCoreApplication::translate(
                     "kw::WebhookNotifier",
                     "not sent: the environment variable %1 (token_env) is not set; set it before starting "
                     "Keepwatch")
                     .arg(m_config.tokenEnv));
            sendNext();
            return;
        }
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    }
    if (!m_config.secretEnv.isEmpty()) {
        const QString secret = m_options.environment.value(m_config.secretEnv);
        if (secret.isEmpty()) {
            // Unsigned would be refused by a receiver that checks, or worse, accepted by one that does not.
            m_current.reset();
            fail(QCoreApplication::translate(
                     "kw::WebhookNotifier",
                     "not sent: the environment variable %1 (secret_env) is not set; set it before starting "
                     "Keepwatch")
                     .arg(m_config.secretEnv));
            sendNext();
            return;
        }
        const QByteArray timestamp = QByteArray::number(QDateTime::currentSecsSinceEpoch());
        request.setRawHeader("X-Keepwatch-Timestamp", timestamp);
        request.setRawHeader("X-Keepwatch-Signature",
                             webhookSignature(secret.toUtf8(), timestamp, m_current->body.body));
    }
    m_reply = m_network->post(request, m_current->body.body);
    connect(m_reply, &QNetworkReply::finished, this, &WebhookNotifier::onFinished);
}

void WebhookNotifier::onFinished()
{
    QNetworkReply *reply = m_reply;
    m_reply.clear();
    if (!reply || !m_current)
        return;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError error = reply->error();
    if (status >= 200 && status < 300) {
        m_current.reset();
        m_dropped = 0;
        Q_EMIT delivered(status);
        sendNext();
        return;
    }

    QString problem;
    bool retry = false;
    if (status != 0) {
        problem = QCoreApplication::translate("kw::WebhookNotifier", "HTTP %1 %2")
                      .arg(status)
                      .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
        retry = status == 408 || status == 429 || status >= 500;
    } else if (error == QNetworkReply::OperationCanceledError || error == QNetworkReply::TimeoutError) {
        problem = QCoreApplication::translate("kw::WebhookNotifier", "no answer within %1")
                      .arg(formatDuration(m_config.effectiveTimeout()));
        retry = true;
    } else {
        problem = reply->errorString();
        retry = true;
    }
    problem = problem.trimmed();

    if (retry && m_current->attempt <= m_config.retries) {
        const int shift = std::min(m_current->attempt - 1, 20);
        std::chrono::milliseconds wait = std::min<std::chrono::milliseconds>(
            m_options.firstBackoff * (qint64(1) << shift), m_options.maxBackoff);
        if (status == 429 || status == 503) {
            if (const auto after = retryAfter(*reply))
                wait = std::max<std::chrono::milliseconds>(
                    wait, std::min<std::chrono::milliseconds>(*after, m_options.maxRetryAfter));
        }
        m_retryTimer.start(wait);
        return;
    }
    const int attempts = m_current->attempt;
    m_current.reset();
    fail(attempts > 1 ? QCoreApplication::translate("kw::WebhookNotifier", "%1 (gave up after %2 attempts)")
                            .arg(problem)
                            .arg(attempts)
                      : problem);
    sendNext();
}

void WebhookNotifier::fail(const QString &problem)
{
    // The host only: a Slack or Teams webhook's path is itself a credential, and Qt's error strings
    // can quote the whole URL.
    QString text = problem;
    if (!m_url.isEmpty())
        text.replace(m_url.toString(), m_url.host());
    const QString path = m_url.path(QUrl::FullyEncoded);
    if (path.size() > 1)
        text.replace(path, u"/…"_s);
    Q_EMIT failed(QCoreApplication::translate("kw::WebhookNotifier", "notifier \"%1\" (webhook to %2): %3")
                      .arg(m_config.name, m_url.isEmpty() ? m_config.urlEnv : m_url.host(), text));
}

} // namespace kw
