#pragma once

#include "alertnotifier.h"
#include "notifyjson.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QProcessEnvironment>
#include <QQueue>
#include <QTimer>

#include <chrono>

namespace kw {

// POSTs each alert to one URL (NotifierConfig::type "webhook") with QNetworkAccessManager on the
// thread it lives on (the GUI thread; never the engine's). One request in flight at a time, so
// receivers see alerts in order; a bounded queue behind it. Network errors, timeouts, 408, 429 and
// 5xx are retried `retries` times with exponential backoff (429 and 503 wait at least their
// Retry-After); other statuses fail at once. Secrets are read from the environment variables the
// configuration names, never kept in a message.
class WebhookNotifier final : public QObject, public AlertNotifier
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebhookNotifier)

public:
    struct Options
    {
        std::chrono::milliseconds firstBackoff{1000};
        std::chrono::milliseconds maxBackoff{60'000};
        std::chrono::milliseconds maxRetryAfter{300'000};
        int maxQueue = 200;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    };

    WebhookNotifier(NotifierConfig config, QNetworkAccessManager *network, Options options,
                    QObject *parent = nullptr);
    ~WebhookNotifier() override;

    void notify(const AlertNotice &notice) override;
    void notifySummary(const AlertSummary &summary) override;

    const NotifierConfig &config() const { return m_config; }
    int pending() const { return int(m_queue.size()) + (m_reply ? 1 : 0); }

Q_SIGNALS:
    void delivered(int httpStatus);
    // `message` names the notifier and the HTTP status or network error, never a secret or the URL's path.
    void failed(const QString &message);

private:
    struct Pending
    {
        WebhookBody body;
        int attempt = 0;
    };

    void enqueue(WebhookBody body);
    void sendNext();
    void onFinished();
    void fail(const QString &problem);

    NotifierConfig m_config;
    QUrl m_url; // config.url, or what config.urlEnv holds; empty when that is unusable
    QPointer<QNetworkAccessManager> m_network;
    Options m_options;
    QQueue<Pending> m_queue;
    std::optional<Pending> m_current;
    QPointer<QNetworkReply> m_reply;
    QTimer m_retryTimer;
    int m_dropped = 0;
};

} // namespace kw
