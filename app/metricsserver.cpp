#include "metricsserver.h"

#include "engine.h"
#include "metricsexposition.h"
#include "metricsrenderer.h"

#include <QAbstractHttpServer>
#include <QCoreApplication>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QTcpServer>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <utility>

namespace kw {

namespace {

// The translation context of this file's messages: lupdate files them under "kw::MetricsServer", and
// Q_DECLARE_TR_FUNCTIONS looks them up under the same name.
class MetricsServerText
{
    Q_DECLARE_TR_FUNCTIONS(kw::MetricsServer)
};

} // namespace

QString MetricsAddress::text() const
{
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                             ? u'[' + address.toString() + u']'
                             : address.toString();
    return host + u':' + QString::number(port);
}

std::optional<MetricsAddress> parseMetricsAddress(const QString &text, QString *error)
{
    const auto fail = [&](const QString &why) {
        *error = MetricsServerText::tr(
                     "--metrics %1: %2; expected [ADDR:]PORT such as 9464, 0.0.0.0:9464 or [::1]:9464")
                     .arg(text, why);
        return std::nullopt;
    };
    MetricsAddress result;
    QString host;
    QString port = text;
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(u"]:");
        if (close < 0)
            return fail(MetricsServerText::tr("an IPv6 address in brackets must be followed by :PORT"));
        host = text.mid(1, close - 1);
        port = text.mid(close + 2);
    } else if (const qsizetype colon = text.lastIndexOf(u':'); colon >= 0) {
        host = text.left(colon);
        port = text.mid(colon + 1);
        if (host.contains(u':'))
            return fail(MetricsServerText::tr("write an IPv6 address in brackets"));
    }
    bool ok = false;
    const uint number = port.toUInt(&ok);
    if (!ok || number > 65535 || port.isEmpty() || !port.at(0).isDigit())
        return fail(MetricsServerText::tr("\"%1\" is not a port number 0–65535").arg(port));
    result.port = quint16(number);
    if (host.isEmpty() && text.contains(u':'))
        return fail(MetricsServerText::tr("the address before the port is empty"));
    if (host == u"localhost") {
        result.address = QHostAddress(QHostAddress::LocalHost);
    } else if (!host.isEmpty()) {
        // Literal addresses only: resolving a name here would block and could pick any of its addresses.
        if (!result.address.setAddress(host))
            return fail(MetricsServerText::tr("\"%1\" is not an IP address").arg(host));
        if (text.startsWith(u'[') != (result.address.protocol() == QAbstractSocket::IPv6Protocol))
            return fail(MetricsServerText::tr("brackets are for IPv6 addresses only"));
    }
    return result;
}

// QHttpServer of Qt 6.4 answers a route only from within the handler (its QFuture path keeps a
// reference to the request and a bare socket pointer past the handler's end), so /metrics is served
// by a QAbstractHttpServer of our own that keeps the socket under a QPointer until the text is ready.
class MetricsServer::Http final : public QAbstractHttpServer
{
public:
    explicit Http(MetricsServer *server) : m_server(server) {}

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        if (request.method() != QHttpServerRequest::Method::Get || request.url().path() != u"/metrics")
            return false;
        m_server->scrape(socket);
        return true;
    }

    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        makeResponder(request, socket).write(QHttpServerResponder::StatusCode::NotFound);
    }

private:
    MetricsServer *m_server;
};

MetricsServer::MetricsServer(const Engine *engine, const QString &version, QObject *parent)
    : MetricsServer(version, parent)
{
    connect(engine, &Engine::snapshotReady, this, &MetricsServer::addSnapshot);
    connect(engine, &Engine::eventsReady, this, &MetricsServer::addEvents);
}

MetricsServer::MetricsServer(const QString &version, QObject *parent)
    : QObject(parent), m_http(std::make_unique<Http>(this)), m_thread(new QThread(this)),
      m_renderer(new MetricsRenderer(version))
{
    m_thread->setObjectName(u"metrics"_qs);
    m_renderer->moveToThread(m_thread);
    connect(m_renderer, &MetricsRenderer::rendered, this, &MetricsServer::answer);
    m_thread->start(QThread::LowPriority);
}

MetricsServer::~MetricsServer()
{
    m_http.reset(); // no more scrapes, and their sockets go with it
    m_thread->quit();
    m_thread->wait(); // at most the render in progress
    delete m_renderer;
}

void MetricsServer::addSnapshot(const SnapshotPtr &snapshot)
{
    QMetaObject::invokeMethod(
        m_renderer, [renderer = m_renderer, snapshot] { renderer->addSnapshot(snapshot); },
        Qt::QueuedConnection);
}

void MetricsServer::addEvents(const QList<Event> &events)
{
    QMetaObject::invokeMethod(
        m_renderer, [renderer = m_renderer, events] { renderer->addEvents(events); }, Qt::QueuedConnection);
}

qsizetype MetricsServer::pendingScrapes() const
{
    const auto open = [](const QPointer<QTcpSocket> &socket) { return !socket.isNull(); };
    return std::count_if(m_waiting.cbegin(), m_waiting.cend(), open) +
           std::count_if(m_rendering.cbegin(), m_rendering.cend(), open);
}

void MetricsServer::scrape(QTcpSocket *socket)
{
    m_waiting.append(socket);
    if (m_ticket == 0)
        startRender();
}

void MetricsServer::startRender()
{
    // Those waiting now share this render; whoever comes while it runs waits for the next one, which
    // sees what was queued after this one began.
    m_rendering = std::exchange(m_waiting, {});
    m_ticket = ++m_lastTicket;
    QMetaObject::invokeMethod(
        m_renderer, [renderer = m_renderer, ticket = m_ticket] { renderer->render(ticket); },
        Qt::QueuedConnection);
}

void MetricsServer::answer(quint64 ticket, const QByteArray &text)
{
    if (ticket != m_ticket)
        return;
    QByteArray head = QByteArrayLiteral("HTTP/1.1 200 OK\r\nContent-Type: ");
    head += MetricsExposition::kContentType;
    head += "\r\nContent-Length: ";
    head += QByteArray::number(text.size());
    head += "\r\n\r\n";
    for (const QPointer<QTcpSocket> &socket : std::as_const(m_rendering)) {
        // A scraper that gave up has its socket deleted by the server.
        if (!socket || socket->state() != QAbstractSocket::ConnectedState)
            continue;
        socket->write(head);
        // Handed to the socket's buffer as the same QByteArray, not copied (QIODevice keeps large
        // chunks shared), however many scrapers share the text.
        socket->write(text);
    }
    m_rendering.clear();
    m_ticket = 0;
    if (!m_waiting.isEmpty())
        startRender();
}

bool MetricsServer::listen(const MetricsAddress &address, QString *error)
{
    // Our own QTcpServer rather than QAbstractHttpServer::listen(), which keeps the reason to itself.
    auto *tcp = new QTcpServer(m_http.get());
    if (!tcp->listen(address.address, address.port)) {
        *error = MetricsServerText::tr(
                     "--metrics %1: cannot listen there: %2; choose another port, or stop what uses it")
                     .arg(address.text(), tcp->errorString());
        delete tcp;
        return false;
    }
    m_http->bind(tcp);
    m_bound = address;
    m_bound.port = tcp->serverPort();
    return true;
}

QString MetricsServer::url() const
{
    return u"http://"_qs + m_bound.text() + u"/metrics"_qs;
}

MetricsServer *startMetricsServer(const Engine *engine, const MetricsAddress &address, QObject *parent,
                                  QString *error)
{
    auto server = std::make_unique<MetricsServer>(engine, QCoreApplication::applicationVersion(), parent);
    if (!server->listen(address, error))
        return nullptr;
    // stderr: stdout may be the --events stream.
    std::fprintf(stderr, "keepwatch: %s\n",
                 qUtf8Printable(MetricsServerText::tr("serving metrics at %1").arg(server->url())));
    std::fflush(stderr);
    return server.release(); // owned by parent
}

} // namespace kw
