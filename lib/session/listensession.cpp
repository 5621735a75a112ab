#include "listensession.h"

#include "connection.h"
#include "detectionbound.h"
#include "keepalivereport.h"
#include "resourcelimits.h"
#include "sessionlogging.h"
#include "sessiontext.h"
#include "snapshot.h"
#include "socketerror.h"
#include "socketio.h"

#include <QHostAddress>
#include <QStringList>
#include <QTcpServer>

#include <algorithm>
#include <functional>
#include <iterator>

namespace kw {

using namespace std::chrono;

namespace {

QString hostPort(const QString &host, quint16 port)
{
    // RFC 3986 section 3.2.2: an IPv6 literal is bracketed before the port.
    const QString shown = host.contains(u':') ? u'[' + host + u']' : host;
    return shown + u':' + QString::number(port);
}

// A dual-stack listener ("::") sees IPv4 peers as v4-mapped IPv6 (RFC 4291
// section 2.5.5.2); people know them by their IPv4 address.
QString readableAddress(const QString &endpoint)
{
    static constexpr QStringView kMapped = u"[::ffff:";
    if (!endpoint.startsWith(kMapped) || !endpoint.contains(u'.'))
        return endpoint;
    const qsizetype close = endpoint.indexOf(u"]:");
    if (close < 0)
        return endpoint;
    return endpoint.mid(kMapped.size(), close - kMapped.size()) + endpoint.mid(close + 1);
}

QString bindText(const EndpointConfig &config)
{
    return config.bind.isEmpty() ? u"127.0.0.1"_qs : config.bind;
}

} // namespace

// QTcpServer hands over the accepted descriptor; Connection then reads it with
// the OS error codes, so a peer's RST stays "reset" and not end-of-file.
class ListenSession::Listener final : public QTcpServer
{
public:
    Listener(std::function<void(qintptr)> onAccepted, QObject *parent)
        : QTcpServer(parent), m_onAccepted(std::move(onAccepted))
    {}

protected:
    void incomingConnection(qintptr descriptor) override { m_onAccepted(descriptor); }

private:
    std::function<void(qintptr)> m_onAccepted;
};

ListenSession::ListenSession(SharedEndpointConfig config, SessionContext context, QObject *parent)
    : ListenSession(std::move(config), context, ListenLimits{}, parent)
{}

ListenSession::ListenSession(SharedEndpointConfig config, SessionContext context, ListenLimits limits,
                             QObject *parent)
    : RetryingSession(std::move(config), context, parent), m_limits(limits),
      m_heartbeat(m_config.heartbeat.value_or(HeartbeatConfig{}))
{
    const milliseconds bound = deadAfter();
    m_boundText = tr("heartbeat %1").arg(formatDuration(bound));
}

ListenSession::~ListenSession()
{
    teardown();
}

QString ListenSession::peerEndpointName(const QString &listenName, const QString &peerId)
{
    return listenName + u'/' + peerId;
}

milliseconds ListenSession::suspectAfter() const
{
    // A heartbeat arriving exactly one interval after the last is on time;
    // without a grace every bit of jitter would flap the peer to Suspect.
    const milliseconds grace =
        m_heartbeat.timeout.count() > 0 ? m_heartbeat.timeout : m_heartbeat.interval / 2;
    return m_heartbeat.interval + grace;
}

milliseconds ListenSession::deadAfter() const
{
    return m_heartbeat.interval * m_heartbeat.misses + m_heartbeat.timeout;
}

quint16 ListenSession::listeningPort() const
{
    return m_server && m_server->isListening() ? m_server->serverPort() : 0;
}

QString ListenSession::listenAddress() const
{
    const quint16 port = listeningPort();
    return hostPort(bindText(m_config), port != 0 ? port : m_config.port);
}

void ListenSession::fillSnapshot(EndpointSnapshot &snapshot) const
{
    RetryingSession::fillSnapshot(snapshot);
    snapshot.target = u"listen "_qs + listenAddress();
    snapshot.peers = connectedPeers();
    snapshot.keepalive = m_keepaliveSummary;
    snapshot.detectionBound = m_boundText;
    // The endpoint stays Up while peers come and go; its detail is built when
    // asked rather than raised as an event on every peer change.
    if (state() == EndpointState::Up)
        snapshot.detail = summary();
}

bool ListenSession::snapshotDrifted(const EndpointSnapshot &row) const
{
    // Peers come and go without an event of the listener's own: what they change is compared.
    return row.peers != connectedPeers() || row.target != QString(u"listen "_qs + listenAddress()) ||
           (state() == EndpointState::Up && row.detail != summary());
}

void ListenSession::attempt()
{
    setState(EndpointState::Connecting, cause(),
             tr("binding %1 (attempt %2)").arg(listenAddress()).arg(attemptNumber()));

    const QString bind = bindText(m_config);
    QHostAddress address;
    if (bind == u"::") {
        // "::" means every address, as the OS treats it by default
        // (net.ipv6.bindv6only = 0); QHostAddress::AnyIPv6 would be IPv6 only.
        address = QHostAddress(QHostAddress::Any);
    } else if (bind == u"localhost") {
        address = QHostAddress(QHostAddress::LocalHost);
    } else if (!address.setAddress(bind)) {
        failBind(tr("\"%1\" is not an IP address: \"bind\" takes a local address such as 127.0.0.1, 0.0.0.0 "
                    "or ::; fix the workspace")
                     .arg(bind),
                 false);
        return;
    }

    auto *server = new Listener([this](qintptr descriptor) { onIncoming(descriptor); }, this);
    if (!server->listen(address, m_config.port)) {
        const QString where = hostPort(bind, m_config.port);
        QString detail;
        Cause cause = CauseCode::Bind;
        switch (server->serverError()) {
        case QAbstractSocket::AddressInUseError:
            detail = tr("address in use: %1 — another program listens there; choose another port").arg(where);
            break;
        case QAbstractSocket::SocketAccessError:
            detail = tr("permission denied: %1 — ports below 1024 need root or CAP_NET_BIND_SERVICE; "
                        "choose a port above 1023")
                         .arg(where);
            break;
        case QAbstractSocket::SocketResourceError:
            detail =
                tr("cannot listen on %1: out of descriptors or socket memory; %2: %3")
                    .arg(where, QString::fromStdString(net::describeDescriptorLimit(net::descriptorLimit())),
                         QString::fromStdString(net::descriptorLimitFix()));
            cause = CauseCode::LocalLimit;
            break;
        case QAbstractSocket::SocketAddressNotAvailableError:
            detail = tr("address not available: %1 — no interface of this machine has it; bind to "
                        "127.0.0.1, 0.0.0.0 or an address of this machine")
                         .arg(where);
            break;
        default:
            detail = tr("cannot listen on %1: %2").arg(where, server->errorString());
            break;
        }
        delete server;
        failBind(detail, true, cause);
        return;
    }
    m_server = server;
    connect(m_server, &QTcpServer::acceptError, this, &ListenSession::onAcceptError);
    noteSucceeded();
    m_backoff.reset();
    m_keepaliveReported = false;
    qCInfo(lcSession) << m_config.name << "listening on" << listenAddress();
    setState(EndpointState::Up, {}, summary(), QJsonObject{{u"address"_qs, listenAddress()}});
}

void ListenSession::failBind(const QString &detail, bool retry, const Cause &cause)
{
    teardown();
    setState(EndpointState::Down, cause, detail);
    if (retry)
        scheduleRetry(false);
}

void ListenSession::teardown()
{
    m_context.timers.cancel(m_acceptTimer);
    m_context.timers.cancel(m_pruneTimer);
    if (m_server) {
        m_server->disconnect(this);
        m_server->close();
        // stop() may come from a slot running inside one of the server's signals.
        m_server->deleteLater();
        m_server = nullptr;
    }
    for (auto &[connection, link] : m_links) {
        m_context.timers.cancel(link.timer);
        closeConnection(connection);
    }
    m_links.clear();
    m_peers.clear();
    m_downOrder.clear();
}

void ListenSession::closeConnection(Connection *connection)
{
    connection->disconnect(this);
    connection->close();
    // Possibly inside one of its own signals: delete it from the event loop.
    connection->deleteLater();
}

void ListenSession::onIncoming(qintptr descriptor)
{
    const auto socket = static_cast<net::NativeSocket>(descriptor);
    const TimePoint now = m_context.timers.now();
    if (net::eatsIntoDescriptorReserve(socket)) {
        // The last descriptors belong to the event log and Qt (GLib aborts without one): this peer is
        // this machine's limit, not the peer's fault.
        const QString from = QString::fromStdString(net::peerEndpoint(socket));
        net::closeSocket(socket);
        ++m_refused;
        if (!m_lastRefusedReport || now - *m_lastRefusedReport >= kRefusedReportEvery) {
            Event event = Event::info(
                m_config.name,
                tr("refused %1 connection(s), the latest from %2: out of descriptors; %3: %4")
                    .arg(m_refused - m_refusedReported)
                    .arg(from, QString::fromStdString(net::describeDescriptorLimit(net::descriptorLimit())),
                         QString::fromStdString(net::descriptorLimitFix())),
                QJsonObject{{u"refused_total"_qs, static_cast<double>(m_refused)}});
            event.cause = CauseCode::LocalLimit;
            emitEvent(event);
            m_lastRefusedReport = now;
            m_refusedReported = m_refused;
        }
        return;
    }
    if (int(m_links.size()) >= m_limits.maxPeers) {
        const QString from = QString::fromStdString(net::peerEndpoint(socket));
        net::closeSocket(socket);
        ++m_refused;
        if (!m_lastRefusedReport || now - *m_lastRefusedReport >= kRefusedReportEvery) {
            emitInfo(tr("refused %1 connection(s), the latest from %2: %3 peers are connected, the limit")
                         .arg(m_refused - m_refusedReported)
                         .arg(from)
                         .arg(m_limits.maxPeers),
                     QJsonObject{{u"refused_total"_qs, static_cast<double>(m_refused)}});
            m_lastRefusedReport = now;
            m_refusedReported = m_refused;
        }
        return;
    }

    auto *connection = new Connection(this);
    int error = 0;
    if (!connection->adopt(socket, &error)) {
        delete connection;
        emitInfo(tr("could not take over a peer's connection: %1")
                     .arg(QString::fromStdString(net::errorName(error) + ": " + net::errorText(error))));
        return;
    }
    connect(connection, &Connection::received, this,
            [this, connection](const QByteArray &data) { onReceived(connection, data); });
    connect(connection, &Connection::peerClosed, this, [this, connection] { onPeerClosed(connection); });
    connect(connection, &Connection::failed, this,
            [this, connection](int code) { onLinkFailed(connection, code); });

    Link &link = m_links[connection];
    link.connection = connection;
    link.address = readableAddress(connection->peerEndpoint());
    link.connectedAt = now;
    applyKeepalive(connection);
    armLink(link, connection, now + deadAfter());
    qCDebug(lcSession) << m_config.name << "peer connected from" << link.address;
}

void ListenSession::onAcceptError()
{
    // QTcpServer stops accepting after a non-temporary accept() error (EMFILE,
    // ENFILE, ENOBUFS); try again later instead of leaving the port deaf.
    if (!m_server)
        return;
    if (m_acceptTimer == EngineTimers::kNoTimer) {
        const QString why =
            net::descriptorsExhausted()
                ? tr("out of descriptors; %1: %2")
                      .arg(QString::fromStdString(net::describeDescriptorLimit(net::descriptorLimit())),
                           QString::fromStdString(net::descriptorLimitFix()))
                : m_server->errorString();
        emitInfo(tr("cannot accept peers on %1: %2; trying again every %3")
                     .arg(listenAddress(), why, formatDuration(kAcceptRetry)));
    }
    m_context.timers.cancel(m_acceptTimer);
    m_acceptTimer = m_context.timers.after(kAcceptRetry, [this] {
        m_acceptTimer = EngineTimers::kNoTimer;
        if (m_server)
            m_server->resumeAccepting();
    });
}

void ListenSession::applyKeepalive(Connection *connection)
{
    if (m_config.keepalive.normalized() == net::TcpKeepaliveSettings{}) {
        if (!m_keepaliveReported) {
            m_effectiveKeepalive = net::readKeepalive(connection->socket());
            m_keepaliveSummary = QString::fromStdString(net::describeKeepalive(m_effectiveKeepalive));
            m_keepaliveReported = true;
        }
        return;
    }
    const AppliedKeepalive applied =
        kw::applyKeepalive(connection->socket(), m_config.keepalive, m_context.systemDefaults);
    if (m_keepaliveReported)
        return;
    // Every peer's socket gets the same settings; one report per start is enough.
    m_keepaliveReported = true;
    m_effectiveKeepalive = applied.report.effective;
    m_userTimeoutSet = applied.userTimeoutSet;
    m_keepaliveSummary = applied.summary;
    m_boundText =
        (QStringList{tr("heartbeat %1").arg(formatDuration(deadAfter()))} + applied.boundParts()).join(u"; ");
    const Event event = applied.event(m_config.name, tr("peer sockets: "));
    emitEvent(event);
    if (!applied.report.allApplied())
        qCWarning(lcSession) << m_config.name
                             << "keepalive not fully applied on peer sockets:" << event.detail;
}

} // namespace kw
