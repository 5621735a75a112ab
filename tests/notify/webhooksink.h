#pragma once

#include <QByteArray>
#include <QHttpServer>
#include <QHttpServerResponder>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPair>
#include <QUrl>

#include <functional>

namespace kw::test {

// A webhook receiver on loopback, on Qt HTTP Server (a real HTTP parser, not ours): keeps every POST
// to /hook and answers each with the next status of a script (then 200).
class WebhookSink final : public QObject
{
    Q_OBJECT

public:
    struct Request
    {
        QByteArray body;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray header(const QByteArray &name) const;
        QJsonObject json() const;
    };
    struct Answer
    {
        QHttpServerResponder::StatusCode status = QHttpServerResponder::StatusCode::Ok;
        QByteArray retryAfter;
    };

    WebhookSink();
    bool listen();
    QUrl url() const;
    // Answers for the next requests, in order; after them, 200.
    void script(QList<Answer> answers) { m_script = std::move(answers); }

    QList<Request> requests;

private:
    QHttpServer m_server;
    quint16 m_port = 0;
    QList<Answer> m_script;
};

} // namespace kw::test
