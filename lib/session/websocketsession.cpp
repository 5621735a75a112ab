#include "websocketsession.h"

#include "sessiontext.h"
#include "websocketlayer.h"

#include <QtEndian>

#include <algorithm>
#include <array>

namespace kw {

using namespace std::chrono;

namespace {

stream::WebSocketOptions webSocketOptions(const EndpointConfig &config)
{
    const WebSocketConfig &ws = config.websocket;
    stream::WebSocketOptions options;
    options.host = config.host.toStdString();
    options.port = config.port;
    options.secure = ws.secure;
    options.path = ws.path.toStdString();
    for (const QString &protocol : ws.subprotocols)
        options.subprotocols.push_back(protocol.toStdString());
    for (const auto &[name, value] : ws.headers)
        options.headers.emplace_back(name.toStdString(), value.toStdString());
    return options;
}

} // namespace

WebSocketSession::WebSocketSession(SharedEndpointConfig config, SessionContext context, QObject *parent)
    : OutboundSession(std::move(config), context, parent)
{}

WebSocketSession::~WebSocketSession()
{
    stopProbe();
}

bool WebSocketSession::buildLayers(std::vector<std::unique_ptr<stream::Layer>> &layers, QString *error)
{
    if (!OutboundSession::buildLayers(layers, error))
        return false;
    auto ws = std::make_unique<stream::WebSocketLayer>(webSocketOptions(m_config));
    stream::WebSocketLayer::WebSocketCallbacks callbacks;
    callbacks.pong = [this](std::string_view payload) { onPong(payload); };
    ws->setWebSocketCallbacks(std::move(callbacks));
    layers.push_back(std::move(ws));
    return true;
}

stream::WebSocketLayer *WebSocketSession::webSocket() const
{
    if (layers().empty() || layers().back()->kind() != stream::LayerKind::WebSocket)
        return nullptr;
    return static_cast<stream::WebSocketLayer *>(layers().back().get());
}

void WebSocketSession::onTransportReady()
{
    const stream::WebSocketLayer *ws = webSocket();
    QString detail = tr("upgraded %1: %2").arg(m_config.websocket.url, toQString(ws->statusLine()));
    if (!ws->subprotocol().empty())
        detail += tr(", subprotocol %1").arg(toQString(ws->subprotocol()));
    declareUp(detail);
}

QStringList WebSocketSession::probeBoundParts() const
{
    const WebSocketConfig &ws = m_config.websocket;
    return {tr("ws ping %1").arg(formatDuration(ws.pingInterval + ws.pongTimeout))};
}

void WebSocketSession::startProbe(TimePoint now)
{
    m_outstanding.clear();
    m_pingTimer = m_context.timers.at(now, [this] { pingDue(); });
}

void WebSocketSession::stopProbe()
{
    m_context.timers.cancel(m_pingTimer);
    m_context.timers.cancel(m_pongTimer);
    m_outstanding.clear();
}

bool WebSocketSession::sendIdlePing()
{
    return sendPing();
}

bool WebSocketSession::sendPing()
{
    stream::WebSocketLayer *ws = webSocket();
    if (!ws || !ws->isReady())
        return false;
    // The payload is a sequence number, so every pong is matched to its own ping (RFC 6455 section
    // 5.5.3: a pong echoes the payload of the ping it answers).
    const quint64 sequence = m_nextSequence++;
    std::array<char, 8> payload;
    qToBigEndian(sequence, payload.data());
    const TimePoint now = m_context.timers.now();
    if (!ws->sendPing(std::string_view(payload.data(), payload.size())))
        return false;
    m_outstanding.push_back({sequence, writtenAt(now)});
    // The check follows the oldest ping; a newer one must not re-arm it (pings on an exact grid
    // leave just as the oldest's half-way mark is due, which re-arming would skip).
    if (m_outstanding.size() == 1)
        armPongCheck();
    return true;
}

void WebSocketSession::pingDue()
{
    m_pingTimer = EngineTimers::kNoTimer;
    if (!isLive())
        return;
    sendPing();
    if (!isLive())
        return;
    // The first ping leaves on Up; the next ones on the endpoint's phase grid, each at the last grid
    // point within one interval of the previous ping, never drifting by the engine's coalescing (as
    // heartbeats do). A pong is due within the pong timeout of its ping, so a server silent since its
    // last pong is Down within ping interval + pong timeout of it.
    const milliseconds interval = m_config.websocket.pingInterval;
    m_pingTimer = m_context.timers.atSpread(phaseGrid(interval).atOrBefore(m_context.timers.now() + interval),
                                            [this] { pingDue(); });
}

void WebSocketSession::armPongCheck()
{
    m_context.timers.cancel(m_pongTimer);
    if (m_outstanding.empty())
        return;
    const WebSocketConfig &ws = m_config.websocket;
    const TimePoint sentAt = m_outstanding.front().sentAt;
    // First the half-way mark (Suspect), then the timeout itself (Down).
    const TimePoint halfway = sentAt + ws.pongTimeout / 2;
    const TimePoint at = halfway > m_context.timers.now() ? halfway : sentAt + ws.pongTimeout;
    m_pongTimer = m_context.timers.at(at, [this] { checkPong(); });
}

void WebSocketSession::checkPong()
{
    m_pongTimer = EngineTimers::kNoTimer;
    if (m_outstanding.empty())
        return;
    const WebSocketConfig &ws = m_config.websocket;
    const TimePoint now = m_context.timers.now();
    const Ping &oldest = m_outstanding.front();
    const Duration waited = now - oldest.sentAt;
    if (waited >= ws.pongTimeout) {
        fail(CauseCode::WsPongTimeout,
             tr("no pong within %1 of ping #%2 (pings every %3)")
                 .arg(formatDuration(ws.pongTimeout))
                 .arg(oldest.sequence)
                 .arg(formatDuration(ws.pingInterval)),
             ws.pingInterval + ws.pongTimeout);
        return;
    }
    setSuspicion(
        Suspicions::kPongLate, true,
        tr("no pong for %1 (limit %2)")
            .arg(formatDuration(duration_cast<milliseconds>(waited)), formatDuration(ws.pongTimeout)));
    m_pongTimer = m_context.timers.at(oldest.sentAt + ws.pongTimeout, [this] { checkPong(); });
}

void WebSocketSession::onPong(std::string_view payload)
{
    if (payload.size() != 8)
        return; // an unsolicited pong (RFC 6455 section 5.5.3 allows them): not an answer
    const quint64 sequence = qFromBigEndian<quint64>(payload.data());
    const auto it = std::find_if(m_outstanding.begin(), m_outstanding.end(),
                                 [sequence](const Ping &p) { return p.sequence == sequence; });
    if (it == m_outstanding.end())
        return;
    const double rtt = fractionalMs(receivedAt() - it->sentAt);
    // A pong answers its ping and every earlier one (pongs come back in order).
    m_outstanding.erase(m_outstanding.begin(), it + 1);
    emitRtt(rtt, u"ws-ping"_qs);
    setSuspicion(Suspicions::kPongLate, false);
    armPongCheck();
}

} // namespace kw
