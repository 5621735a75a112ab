#include "metricsserver.h"

#include "engine.h"
#include "metricsexposition.h"

#include <QCoreApplication>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QTcpServer>

#include <cstdio>

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

MetricsServer::MetricsServer(const Engine *engine, const QString &version, QObject *parent)
    : QObject(parent), m_registry(version), m_http(std::make_unique<QHttpServer>())
{
    connect(engine, &Engine::snapshotReady, this,
            [this](const SnapshotPtr &snapshot) { m_registry.addSnapshot(snapshot); });
    connect(engine, &Engine::eventsReady, this,
            [this](const QList<Event> &events) { m_registry.addEvents(events); });

    m_http->route(u"/metrics"_qs, QHttpServerRequest::Method::Get, [this](const QHttpServerRequest &) {
        return QHttpServerResponse(QByteArray(MetricsExposition::kContentType),
                                   m_registry.render(QDateTime::currentDateTimeUtc()));
    });
}

MetricsServer::~MetricsServer() = default;

bool MetricsServer::listen(const MetricsAddress &address, QString *error)
{
    // Our own QTcpServer rather than QHttpServer::listen(), which keeps the reason to itself.
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
