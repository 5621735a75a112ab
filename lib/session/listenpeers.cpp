// The peer side of ListenSession: messages, identities, per-peer deadlines
// and states, and the memory of peers that went quiet. The listener side
// (bind, accept, keepalive, lifecycle) is in listensession.cpp.

#include "listensession.h"

#include "connection.h"
#include "escapes.h"
#include "heartbeatmessage.h"
#include "sessionlogging.h"
#include "sessiontext.h"
#include "socketerror.h"

#include <QStringList>

#include <algorithm>
#include <iterator>

namespace kw {

using namespace std::chrono;

void ListenSession::onReceived(Connection *connection, const QByteArray &data)
{
    const auto it = m_links.find(connection);
    if (it == m_links.end())
        return;
    Link &link = it->second;
    link.bytes += quint64(data.size());
    link.buffer.append(data);
    // Timed where the bytes arrived, as an outbound session's replies are (OutboundSession::
    // onReceived()): with thousands of peers one wake-up reads many sockets, and the last of them
    // long after its heartbeat came in; that delay is ours, not the peer's.
    EngineTimers &timers = m_context.timers;
    timers.noteSocketWait(connection->lastReceiveWait());
    link.receivedAt =
        timers.onSystemClock() ? std::min(connection->lastReceivedAt(), timers.now()) : timers.now();

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
    dropLink(connection, CauseCode::ProtocolError,
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
    dropLink(connection, CauseCode::PeerClosed, tr("%1 closed the connection (FIN)").arg(address));
}

void ListenSession::onLinkFailed(Connection *connection, int error)
{
    net::ErrorContext context;
    context.keepaliveOn = m_effectiveKeepalive.enabled;
    context.userTimeoutSet = m_userTimeoutSet;
    const net::Classification classification = net::classifySocketError(error, context);
    dropLink(connection, classification.cause, QString::fromStdString(classification.detail));
}

bool ListenSession::handleMessage(Connection *connection, QByteArrayView message)
{
    Link &link = m_links.at(connection);
    ++link.messages;
    const HeartbeatMessage parsed = parseHeartbeatMessage(message, m_heartbeat.expect, m_limits.maxIdBytes);
    if (parsed.idTooLong) {
        dropLink(connection, CauseCode::ProtocolError,
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
    const TimePoint now = link.receivedAt;
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
        event.kind = EventKind::Info;
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
        dropLink(connection, CauseCode::HeartbeatTimeout, detail, dead);
        return;
    }

    PeerRecord &record = m_peers.at(link.peerId);
    const Duration silent = now - link.lastHeartbeat;
    if (silent >= dead) {
        dropLink(connection, CauseCode::HeartbeatTimeout,
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

void ListenSession::dropLink(Connection *connection, const Cause &cause, const QString &detail,
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
        setPeerState(record, EndpointState::Down, cause, detail, data);
        remember(record);
        return;
    }

    // Connected and gone without a byte: a port probe or a load balancer's
    // health check, not a peer worth an event.
    if (link.bytes == 0 && cause.code != CauseCode::HeartbeatTimeout) {
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
    setPeerState(record, EndpointState::Down, cause, detail, data);
    remember(record);
}

void ListenSession::setPeerState(PeerRecord &record, EndpointState state, const Cause &cause,
                                 const QString &detail, QJsonObject data)
{
    const bool changed = record.info.state != state;
    record.info.state = state;
    if (state == EndpointState::Down)
        record.info.cause = causeText(cause);
    record.info.detail = detail;
    if (changed) {
        record.since = m_context.timers.now();
        record.info.since = QDateTime::currentDateTimeUtc();
    }
    data.insert(u"listen"_qs, m_config.name);
    data.insert(u"peer"_qs, record.info.id);
    data.insert(u"address"_qs, record.info.address);
    Event event = Event::stateChange(peerEndpointName(m_config.name, record.info.id), state, cause, detail);
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
    emitEvent(Event::info(m_config.name, detail, data));
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
