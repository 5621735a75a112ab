#include "listensession.h"

#include "connection.h"
#include "detectionbound.h"
#include "escapes.h"
#include "heartbeatmessage.h"
#include "sessionlogging.h"
#include "sessiontext.h"
#include "snapshot.h"
#include "socketerror.h"
#include "socketio.h"
#include "tcpsession.h"

#include <QHostAddress>
#include <QStringList>
#include <QTcpServer>

#include <algorithm>
#include <functional>
#include <iterator>

namespace kw {

using namespace std::chrono;

namespace {

milliseconds toMilliseconds(Duration d)
{
    return duration_cast<milliseconds>(d);
}

double msValue(Duration d)
{
    return static_cast<double>(toMilliseconds(d).count());
}

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

ListenSession::ListenSession(EndpointConfig config, SessionContext context, QObject *parent)
    : ListenSession(std::move(config), context, ListenLimits{}, parent)
{}

ListenSession::ListenSession(EndpointConfig config, SessionContext context, ListenLimits limits,
                             QObject *parent)
    : Session(std::move(config), parent), m_context(context), m_limits(limits),
      m_heartbeat(m_config.heartbeat.value_or(HeartbeatConfig{})),
      m_backoff(toBackoffParams(m_config.reconnect))
{
    const milliseconds bound = deadAfter();
    m_boundText = tr("heartbeat %1").arg(formatDuration(bound));
}

ListenSession::~ListenSession()
{
    teardown();
    m_context.timers.cancel(m_retryTimer);
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
    Session::fillSnapshot(snapshot);
    snapshot.target = u"listen "_qs + listenAddress();
    snapshot.peers = connectedPeers();
    snapshot.nextAttempt = m_nextAttempt;
    snapshot.keepalive = m_keepaliveSummary;
    snapshot.detectionBound = m_boundText;
    // The endpoint stays Up while peers come and go; its detail is built when
    // asked rather than raised as an event on every peer change.
    if (state() == EndpointState::Up)
        snapshot.detail = summary();
}

void ListenSession::start()
{
    if (!m_config.enabled) {
        setState(EndpointState::Disabled, {}, tr("disabled in the workspace"));
        return;
    }
    m_backoff.reset();
    m_attempt = 0;
    beginListen();
}

void ListenSession::stop(const QString &reason)
{
    teardown();
    m_context.timers.cancel(m_retryTimer);
    m_nextAttempt = {};
    setState(EndpointState::Disabled, toQString(cause::kStopped), reason);
}

void ListenSession::beginListen()
{
    teardown();
    m_context.timers.cancel(m_retryTimer);
    m_nextAttempt = {};
    ++m_attempt;
    setState(EndpointState::Connecting, cause(),
             tr("binding %1 (attempt %2)").arg(listenAddress()).arg(m_attempt));

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
        switch (server->serverError()) {
        case QAbstractSocket::AddressInUseError:
            detail = tr("address in use: %1 — another program listens there; choose another port").arg(where);
            break;
        case QAbstractSocket::SocketAccessError:
            detail = tr("permission denied: %1 — ports below 1024 need root or CAP_NET_BIND_SERVICE; "
                        "choose a port above 1023")
                         .arg(where);
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
        failBind(detail, true);
        return;
    }
    m_server = server;
    connect(m_server, &QTcpServer::acceptError, this, &ListenSession::onAcceptError);
    m_attempt = 0;
    m_backoff.reset();
    m_keepaliveReported = false;
    qCInfo(lcSession) << m_config.name << "listening on" << listenAddress();
    setState(EndpointState::Up, {}, summary(), QJsonObject{{u"address"_qs, listenAddress()}});
}

void ListenSession::failBind(const QString &detail, bool retry)
{
    teardown();
    setState(EndpointState::Down, toQString(cause::kBind), detail);
    if (retry)
        scheduleRetry();
}

void ListenSession::scheduleRetry()
{
    const TimePoint now = m_context.timers.now();
    const milliseconds delay = m_backoff.nextDelay();
    const TimePoint at = now + delay;
    m_nextAttempt = wallClockAt(at, now);
    m_retryTimer = m_context.timers.at(at, [this] {
        m_retryTimer = EngineTimers::kNoTimer;
        beginListen();
    });
    setState(EndpointState::Waiting, cause(), tr("next attempt in %1").arg(formatDuration(delay)),
             QJsonObject{{u"next_attempt_ms"_qs, static_cast<double>(delay.count())}});
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
        emitInfo(tr("cannot accept peers on %1: %2; trying again every %3")
                     .arg(listenAddress(), m_server->errorString(), formatDuration(kAcceptRetry)));
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
    const net::KeepaliveSettings settings = toNetKeepalive(m_config.keepalive);
    if (settings == net::KeepaliveSettings{}) {
        if (!m_keepaliveReported) {
            m_effectiveKeepalive = net::readKeepalive(connection->socket());
            m_keepaliveSummary = QString::fromStdString(net::describeKeepalive(m_effectiveKeepalive));
            m_keepaliveReported = true;
        }
        return;
    }
    const net::KeepaliveReport report = net::applyKeepalive(connection->socket(), settings);
    if (m_keepaliveReported)
        return;
    // Every peer's socket gets the same settings; one report per start is enough.
    m_keepaliveReported = true;
    m_effectiveKeepalive = report.effective;
    m_userTimeoutSet = report.effective.userTimeout.has_value() && report.effective.userTimeout->count() > 0;
    m_keepaliveSummary = QString::fromStdString(net::describeKeepalive(report.effective));

    const net::DetectionBound bound = net::detectionBound(report.effective, m_context.systemDefaults);
    QStringList parts{tr("heartbeat %1").arg(formatDuration(deadAfter()))};
    if (bound.silentPeer)
        parts << tr("silent peer %1").arg(formatDuration(*bound.silentPeer));
    if (bound.unackedData)
        parts << tr("unacked data %1").arg(formatDuration(*bound.unackedData));
    m_boundText = parts.join(u"; ");

    Event event;
    event.endpoint = m_config.name;
    event.kind = u"keepalive"_qs;
    event.detail = tr("peer sockets: %1").arg(QString::fromStdString(report.summary()));
    event.data = QJsonObject{{u"all_applied"_qs, report.allApplied()}};
    if (bound.silentPeer)
        event.data.insert(u"bound_ms"_qs, static_cast<double>(bound.silentPeer->count()));
    emitEvent(event);
    if (!report.allApplied())
        qCWarning(lcSession) << m_config.name
                             << "keepalive not fully applied on peer sockets:" << event.detail;
}

void ListenSession::onReceived(Connection *connection, const QByteArray &data)
{
    const auto it = m_links.find(connection);
    if (it == m_links.end())
        return;
    Link &link = it->second;
    link.bytes += quint64(data.size());
    link.buffer.append(data);

    qsizetype start = 0;
    for (qsizetype i = 0; i < link.buffer.size(); ++i) {
        if (!isMessageEnd(link.buffer.at(i)))
            continue;
        const qsizetype length = i + 1 - start;
        if (length > m_limits.maxMessageBytes) {
            dropTooLong(connection);
            return;
        }
        // handleMessage() may drop the link (and this buffer with it): stop then.
        if (!handleMessage(connection, QByteArrayView(link.buffer).sliced(start, length)))
            return;
        start = i + 1;
    }
    link.buffer.remove(0, start);
    if (link.buffer.size() > m_limits.maxMessageBytes)
        dropTooLong(connection);
}

void ListenSession::dropTooLong(Connection *connection)
{
    const QString address = m_links.at(connection).address;
    dropLink(connection, toQString(cause::kProtocolError),
             tr("%1 sent a message longer than %2 bytes (a message ends with LF, NUL or ETX); closed the "
                "connection")
                 .arg(address)
                 .arg(m_limits.maxMessageBytes));
}

void ListenSession::onPeerClosed(Connection *connection)
{
    const auto it = m_links.find(connection);
    if (it == m_links.end())
        return;
    // End of stream ends the last message too ("HB db-7" then close).
    if (!it->second.buffer.isEmpty()) {
        const QByteArray last = std::exchange(it->second.buffer, {});
        if (last.size() <= m_limits.maxMessageBytes && !handleMessage(connection, last))
            return;
    }
    const QString address = m_links.at(connection).address;
    dropLink(connection, toQString(cause::kPeerClosed), tr("%1 closed the connection (FIN)").arg(address));
}

void ListenSession::onLinkFailed(Connection *connection, int error)
{
    net::ErrorContext context;
    context.keepaliveOn = m_effectiveKeepalive.enabled;
    context.userTimeoutSet = m_userTimeoutSet;
    const net::Classification classification = net::classifySocketError(error, context);
    dropLink(connection, QString::fromStdString(classification.cause),
             QString::fromStdString(classification.detail));
}

bool ListenSession::handleMessage(Connection *connection, QByteArrayView message)
{
    Link &link = m_links.at(connection);
    ++link.messages;
    const HeartbeatMessage parsed = parseHeartbeatMessage(message, m_heartbeat.expect, m_limits.maxIdBytes);
    if (parsed.idTooLong) {
        dropLink(connection, toQString(cause::kProtocolError),
                 tr("%1 sent a peer id longer than %2 bytes; closed the connection")
                     .arg(link.address)
                     .arg(m_limits.maxIdBytes));
        return false;
    }
    if (!parsed.heartbeat)
        return true;
    noteHeartbeat(connection, parsed.id);
    // A peer that never reads its answers must not grow our memory: past the
    // bound, answers are skipped until it catches up.
    if (!m_heartbeat.send.isEmpty() && connection->bytesToWrite() < kMaxUnsentAnswers) {
        // A write error drops the link from inside write().
        connection->write(m_heartbeat.send);
        return m_links.contains(connection);
    }
    return true;
}

void ListenSession::noteHeartbeat(Connection *connection, const QByteArray &id)
{
    Link &link = m_links.at(connection);
    const TimePoint now = m_context.timers.now();
    const TimePoint previous = link.lastHeartbeat;
    link.lastHeartbeat = now;
    if (link.peerId.isEmpty()) {
        // The identity is settled by the first heartbeat and kept for the connection.
        identify(connection, id.isEmpty() ? link.address : QString::fromUtf8(id), !id.isEmpty());
        armLink(link, connection, now + suspectAfter());
        return;
    }
    PeerRecord &record = m_peers.at(link.peerId);
    ++record.info.heartbeats;
    record.info.lastHeartbeat = QDateTime::currentDateTimeUtc();
    if (record.info.state == EndpointState::Suspect) {
        setPeerState(record, EndpointState::Up, {},
                     tr("heartbeat again after %1").arg(formatDuration(toMilliseconds(now - previous))),
                     QJsonObject{{u"gap_ms"_qs, msValue(now - previous)}});
        armLink(link, connection, now + suspectAfter());
    }
    // Otherwise the timer stays where it is: checkLink() measures from the
    // latest heartbeat, so steady heartbeats cost no scheduler work.
}

void ListenSession::identify(Connection *connection, const QString &id, bool named)
{
    Link &link = m_links.at(connection);
    link.peerId = id;
    const TimePoint now = m_context.timers.now();
    const auto [it, inserted] = m_peers.try_emplace(id);
    PeerRecord &record = it->second;

    if (record.link && record.link != connection) {
        // The same peer on a new connection: the older one is a leftover
        // (half-open after the peer restarted or changed networks).
        Connection *older = record.link;
        const auto olderIt = m_links.find(older);
        const QString olderAddress = olderIt != m_links.end() ? olderIt->second.address : QString();
        if (olderIt != m_links.end()) {
            m_context.timers.cancel(olderIt->second.timer);
            m_links.erase(olderIt);
        }
        closeConnection(older);
        Event event;
        event.endpoint = peerEndpointName(m_config.name, id);
        event.kind = u"info"_qs;
        event.detail =
            tr("now heartbeats from %1; closed its older connection from %2").arg(link.address, olderAddress);
        event.data = QJsonObject{{u"listen"_qs, m_config.name},
                                 {u"peer"_qs, id},
                                 {u"address"_qs, link.address},
                                 {u"older_address"_qs, olderAddress}};
        emitEvent(event);
    }

    const bool wasDown = !inserted && record.info.state == EndpointState::Down;
    const TimePoint downAt = record.downAt;
    forget(record);
    record.link = connection;
    record.info.id = id;
    record.info.named = named;
    record.info.address = link.address;
    record.info.connected = true;
    record.info.lastHeartbeat = QDateTime::currentDateTimeUtc();
    ++record.info.heartbeats;

    QJsonObject data;
    QString detail;
    if (inserted) {
        detail = tr("first heartbeat, from %1").arg(link.address);
    } else if (wasDown) {
        detail = tr("back after %1 down (%2), from %3")
                     .arg(formatDuration(toMilliseconds(now - downAt)), record.info.cause, link.address);
        data.insert(u"down_for_ms"_qs, msValue(now - downAt));
    } else if (record.info.state == EndpointState::Up) {
        return; // a takeover of a live peer: the info event says it all
    } else {
        detail = tr("heartbeat from %1").arg(link.address);
    }
    record.upSince = now;
    setPeerState(record, EndpointState::Up, {}, detail, data);
}

void ListenSession::armLink(Link &link, Connection *connection, TimePoint at)
{
    m_context.timers.cancel(link.timer);
    link.timer = m_context.timers.at(at, [this, connection] { checkLink(connection); });
}

void ListenSession::checkLink(Connection *connection)
{
    const auto it = m_links.find(connection);
    if (it == m_links.end())
        return;
    Link &link = it->second;
    link.timer = EngineTimers::kNoTimer;
    const TimePoint now = m_context.timers.now();
    const milliseconds dead = deadAfter();

    if (link.peerId.isEmpty()) {
        const Duration silent = now - link.connectedAt;
        if (silent < dead) {
            armLink(link, connection, link.connectedAt + dead);
            return;
        }
        QString detail = tr("connected from %1 %2 ago and sent no heartbeat")
                             .arg(link.address, formatDuration(toMilliseconds(silent)));
        if (link.messages > 0) {
            detail += tr("; %1 message(s) did not contain \"%2\"")
                          .arg(link.messages)
                          .arg(encodeEscapes(m_heartbeat.expect));
        }
        dropLink(connection, toQString(cause::kHeartbeatTimeout), detail, dead);
        return;
    }

    PeerRecord &record = m_peers.at(link.peerId);
    const Duration silent = now - link.lastHeartbeat;
    if (silent >= dead) {
        dropLink(connection, toQString(cause::kHeartbeatTimeout),
                 tr("no heartbeat for %1 (%2 × %3 interval)")
                     .arg(formatDuration(toMilliseconds(silent)))
                     .arg(m_heartbeat.misses)
                     .arg(formatDuration(m_heartbeat.interval)),
                 dead);
        return;
    }
    if (silent >= suspectAfter()) {
        if (record.info.state == EndpointState::Up) {
            setPeerState(record, EndpointState::Suspect, {},
                         tr("no heartbeat for %1 (interval %2; down after %3)")
                             .arg(formatDuration(toMilliseconds(silent)),
                                  formatDuration(m_heartbeat.interval), formatDuration(dead)),
                         QJsonObject{{u"silent_ms"_qs, msValue(silent)}});
        }
        armLink(link, connection, link.lastHeartbeat + dead);
        return;
    }
    armLink(link, connection, link.lastHeartbeat + suspectAfter());
}

void ListenSession::dropLink(Connection *connection, const QString &causeName, const QString &detail,
                             std::optional<milliseconds> bound)
{
    const auto it = m_links.find(connection);
    if (it == m_links.end())
        return;
    Link link = std::move(it->second);
    m_links.erase(it);
    m_context.timers.cancel(link.timer);
    closeConnection(connection);
    const TimePoint now = m_context.timers.now();

    QJsonObject data;
    if (bound)
        data.insert(u"bound_ms"_qs, static_cast<double>(bound->count()));

    if (!link.peerId.isEmpty()) {
        const auto recordIt = m_peers.find(link.peerId);
        if (recordIt == m_peers.end() || recordIt->second.link != connection)
            return; // taken over by a newer connection
        PeerRecord &record = recordIt->second;
        record.link = nullptr;
        record.info.connected = false;
        data.insert(u"up_for_ms"_qs, msValue(now - record.upSince));
        data.insert(u"heartbeats"_qs, static_cast<double>(record.info.heartbeats));
        setPeerState(record, EndpointState::Down, causeName, detail, data);
        remember(record);
        return;
    }

    // Connected and gone without a byte: a port probe or a load balancer's
    // health check, not a peer worth an event.
    if (link.bytes == 0 && causeName != toQString(cause::kHeartbeatTimeout)) {
        ++m_silentCloses;
        qCDebug(lcSession) << m_config.name << "connection from" << link.address << "closed before any data";
        return;
    }
    PeerRecord &record = m_peers[link.address];
    record.info.id = link.address;
    record.info.named = false;
    record.info.address = link.address;
    record.info.connected = false;
    record.upSince = now;
    data.insert(u"bytes"_qs, static_cast<double>(link.bytes));
    setPeerState(record, EndpointState::Down, causeName, detail, data);
    remember(record);
}

void ListenSession::setPeerState(PeerRecord &record, EndpointState state, const QString &causeName,
                                 const QString &detail, QJsonObject data)
{
    const bool changed = record.info.state != state;
    record.info.state = state;
    if (state == EndpointState::Down)
        record.info.cause = causeName;
    record.info.detail = detail;
    if (changed) {
        record.since = m_context.timers.now();
        record.info.since = QDateTime::currentDateTimeUtc();
    }
    data.insert(u"listen"_qs, m_config.name);
    data.insert(u"peer"_qs, record.info.id);
    data.insert(u"address"_qs, record.info.address);
    Event event = Event::stateChange(peerEndpointName(m_config.name, record.info.id),
                                     QString::fromLatin1(endpointStateName(state)), causeName, detail);
    event.data = data;
    emitEvent(event);
}

void ListenSession::remember(PeerRecord &record)
{
    forget(record);
    record.downAt = m_context.timers.now();
    record.downPosition = m_downOrder.insert(m_downOrder.end(), record.info.id);
    while (m_downOrder.size() > std::size_t(std::max(m_limits.maxRemembered, 0))) {
        m_peers.erase(m_downOrder.front());
        m_downOrder.pop_front();
    }
    armPrune();
}

void ListenSession::forget(PeerRecord &record)
{
    if (record.downPosition) {
        m_downOrder.erase(*record.downPosition);
        record.downPosition.reset();
    }
}

void ListenSession::armPrune()
{
    if (m_pruneTimer != EngineTimers::kNoTimer || m_downOrder.empty())
        return;
    const TimePoint oldest = m_peers.at(m_downOrder.front()).downAt;
    m_pruneTimer = m_context.timers.at(oldest + m_limits.rememberDown, [this] { pruneRemembered(); });
}

void ListenSession::pruneRemembered()
{
    m_pruneTimer = EngineTimers::kNoTimer;
    const TimePoint now = m_context.timers.now();
    while (!m_downOrder.empty()) {
        const auto it = m_peers.find(m_downOrder.front());
        if (it != m_peers.end() && now - it->second.downAt < m_limits.rememberDown)
            break;
        if (it != m_peers.end())
            m_peers.erase(it);
        m_downOrder.pop_front();
    }
    armPrune();
}

void ListenSession::emitInfo(const QString &detail, const QJsonObject &data)
{
    Event event;
    event.endpoint = m_config.name;
    event.kind = u"info"_qs;
    event.detail = detail;
    event.data = data;
    emitEvent(event);
}

QList<ListenPeer> ListenSession::peers() const
{
    QList<ListenPeer> result;
    result.reserve(qsizetype(m_links.size() + m_downOrder.size()));
    for (const auto &[connection, link] : m_links) {
        if (!link.peerId.isEmpty()) {
            result.append(m_peers.at(link.peerId).info);
            continue;
        }
        ListenPeer waiting;
        waiting.id = link.address;
        waiting.address = link.address;
        waiting.state = EndpointState::Connecting;
        waiting.connected = true;
        waiting.detail = tr("connected, no heartbeat yet");
        result.append(waiting);
    }
    for (auto it = m_downOrder.rbegin(); it != m_downOrder.rend(); ++it)
        result.append(m_peers.at(*it).info);
    return result;
}

std::optional<ListenPeer> ListenSession::peer(const QString &id) const
{
    const auto it = m_peers.find(id);
    if (it != m_peers.end())
        return it->second.info;
    for (const ListenPeer &p : peers()) {
        if (p.id == id)
            return p;
    }
    return std::nullopt;
}

QString ListenSession::summary() const
{
    if (!m_server)
        return detail();
    int up = 0;
    int suspect = 0;
    int waiting = 0;
    for (const auto &[connection, link] : m_links) {
        if (link.peerId.isEmpty()) {
            ++waiting;
            continue;
        }
        const EndpointState state = m_peers.at(link.peerId).info.state;
        if (state == EndpointState::Suspect)
            ++suspect;
        else
            ++up;
    }
    QString text = tr("listening on %1").arg(listenAddress());
    if (m_links.empty()) {
        text += tr(", no peers");
    } else {
        QStringList parts;
        if (up > 0)
            parts << tr("%1 up").arg(up);
        if (suspect > 0)
            parts << tr("%1 suspect").arg(suspect);
        if (waiting > 0)
            parts << tr("%1 without a heartbeat yet").arg(waiting);
        text += (m_links.size() == 1 ? tr(", 1 peer: ") : tr(", %1 peers: ").arg(m_links.size())) +
                parts.join(u", ");
    }
    if (!m_downOrder.empty()) {
        constexpr int kNamed = 3;
        QStringList named;
        for (auto it = m_downOrder.rbegin(); it != m_downOrder.rend() && named.size() < kNamed; ++it) {
            const ListenPeer &p = m_peers.at(*it).info;
            named << p.id + u": " + p.cause;
        }
        const auto more = qsizetype(m_downOrder.size()) - named.size();
        if (more > 0)
            named << tr("+%1 more").arg(more);
        text += tr("; %1 down (%2)").arg(m_downOrder.size()).arg(named.join(u", "));
    }
    return text;
}

} // namespace kw
