#pragma once

#include "outboundsession.h"

#include <deque>

namespace kw {

namespace stream {
class WebSocketLayer;
}

// Kind "websocket": an RFC 6455 client over the stream stack (TCP, TLS for wss). Ready when the
// server answered the upgrade with 101 and a valid Sec-WebSocket-Accept; the liveness probe is a
// ping every websocket.ping_interval_s, each timed to its pong (RTT source "ws-ping"). No pong
// within websocket.pong_timeout_s is Down with ws-pong-timeout; Suspect once half of it passed.
// A close frame from the server is ws-close:<code> with the server's reason in the detail; a
// refused upgrade is ws-handshake with the HTTP status line. Server pings are answered by the
// layer; every message received counts as liveness for idle detection.
class WebSocketSession final : public OutboundSession
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebSocketSession)

public:
    WebSocketSession(SharedEndpointConfig config, SessionContext context, QObject *parent = nullptr);
    ~WebSocketSession() override;

private:
    bool buildLayers(std::vector<std::unique_ptr<stream::Layer>> &layers, QString *error) override;
    void onTransportReady() override;
    void startProbe(TimePoint now) override;
    void stopProbe() override;
    bool sendIdlePing() override;
    QStringList probeBoundParts() const override;

    stream::WebSocketLayer *webSocket() const;
    bool sendPing();
    void pingDue();
    void checkPong();
    void onPong(std::string_view payload);
    void armPongCheck();

    struct Ping
    {
        quint64 sequence = 0;
        TimePoint sentAt{};
    };
    std::deque<Ping> m_outstanding; // oldest first
    quint64 m_nextSequence = 1;
    EngineTimers::TimerId m_pingTimer = EngineTimers::kNoTimer;
    EngineTimers::TimerId m_pongTimer = EngineTimers::kNoTimer;
};

} // namespace kw
