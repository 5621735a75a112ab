#include "webhooksink.h"

#include <QHostAddress>
#include <QHttpServerRequest>
#include <QJsonDocument>

namespace kw::test {

QByteArray WebhookSink::Request::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QJsonObject WebhookSink::Request::json() const
{
    return QJsonDocument::fromJson(body).object();
}

WebhookSink::WebhookSink()
{
    m_server.route(QStringLiteral("/hook"), QHttpServerRequest::Method::Post,
                   [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                       requests.append({request.body(), request.headers()});
                       const Answer answer = m_script.isEmpty() ? Answer() : m_script.takeFirst();
                       if (answer.retryAfter.isEmpty())
                           responder.write(answer.status);
                       else
                           responder.write({{"Retry-After", answer.retryAfter}}, answer.status);
                   });
}

bool WebhookSink::listen()
{
    m_port = m_server.listen(QHostAddress::LocalHost, 0);
    return m_port != 0;
}

QUrl WebhookSink::url() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/hook").arg(m_port));
}

} // namespace kw::test
