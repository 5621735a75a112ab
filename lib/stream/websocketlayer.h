#pragma once

// The WebSocket client layer (RFC 6455) of the byte-stream stack: the HTTP upgrade, then framing
// through wslay's event API over memory (no socket). It runs over TCP for ws and over the TLS layer
// for wss; the session above schedules pings and judges pong timeouts, this layer only carries them.

#include "httpupgrade.h"
#include "streamlayer.h"
#include "websocketframeguard.h" // the close codes below (kCloseProtocolError ...)

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct wslay_event_context;

namespace kw::stream {

// "going away" for 1001: RFC 6455 section 7.4.1's meaning of a close code, in a few words.
std::string_view closeCodeName(int code);

// How it ends, for the session's causes (DESIGN.md):
//   failed() before ready()  code = the HTTP status of the server's answer (0 when none was read);
//                            the text quotes the status line or names the header that was wrong
//                            (ws-handshake).
//   failed() after ready()   code = the close code we sent the server first: 1002 protocol error,
//                            1007 invalid UTF-8, 1009 message over maxMessageBytes (protocol-error).
//   closedByPeer()           code = the server's close code, 1005 when its close frame had none, 1006
//                            when TCP ended without a close frame; the text carries the reason
//                            (ws-close:<code>).
// After either, the layer calls nothing and sends nothing more.
class WebSocketLayer final : public Layer
{
public:
    // WebSocket-only events, next to Layer::Callbacks. Any may be left empty.
    struct WebSocketCallbacks
    {
        // A pong arrived (the answer to sendPing(), or an unsolicited one; RFC 6455 section 5.5.3).
        std::function<void(std::string_view payload)> pong;
        // A whole data message. When set, data messages go here and not to Layer's deliver();
        // when empty, deliver() gets the payload of every text and binary message and message
        // boundaries are lost, which is what a byte protocol above (MQTT over WebSocket) wants.
        std::function<void(bool text, std::string_view payload)> message;
        // The server pinged us. wslay has already queued the pong (RFC 6455 section 5.5.2) and it
        // leaves before this is called.
        std::function<void()> serverPing;
    };

    explicit WebSocketLayer(WebSocketOptions options);
    ~WebSocketLayer() override;

    LayerKind kind() const override { return LayerKind::WebSocket; }
    void setWebSocketCallbacks(WebSocketCallbacks callbacks) { m_wsCallbacks = std::move(callbacks); }

    // Sends the upgrade request. Options checkUpgradeOptions() refuses fail at once (code 0).
    void start() override;
    void receive(std::string_view bytes) override;
    // One binary message per call (RFC 6455 section 5.6); sendText() sends a text message.
    void send(std::string_view bytes) override;
    // Without a close frame first: closedByPeer() with 1006; during the upgrade: failed().
    void belowEnded() override;
    bool isReady() const override { return m_handshakeDone; }

    // Each returns false and sends nothing when the connection is not open (before ready(), after
    // close() or a close frame, after failed()) or the arguments are not valid.
    bool sendText(std::string_view text);    // text must be UTF-8 (RFC 6455 section 8.1)
    bool sendPing(std::string_view payload); // at most 125 bytes (RFC 6455 section 5.5)
    // Starts the closing handshake (RFC 6455 section 7.1.2). The server's close frame that answers
    // it comes as closedByPeer() with the server's code. `code` must be one an endpoint may send
    // (1000-1003, 1007-1014, 3000-4999); the reason is cut to 123 bytes at a character boundary.
    bool close(std::uint16_t code, std::string_view reason);

    // The subprotocol the server chose; empty when none.
    std::string subprotocol() const { return m_subprotocol; }
    // The status line of the server's answer once read ("HTTP/1.1 101 Switching Protocols").
    std::string statusLine() const { return m_statusLine; }

private:
    enum class State {
        Idle,
        Upgrading,
        Open,
        Closing, // we sent a close frame and wait for the server's
        Ended,   // failed() or closedByPeer() was called: nothing follows
    };
    struct Incoming;

    bool openFrames(std::string_view firstBytes);
    void receiveFrames(std::string_view bytes);
    bool dispatch(std::vector<Incoming> incoming);
    bool flush();
    bool queue(std::uint8_t opcode, std::string_view payload);
    void failProtocol(int code, const std::string &text);
    void fail(Failure failure);
    void endByPeer(int code, const std::string &reason);

    friend struct WslayBridge; // wslay's C callbacks, in the .cpp

    WebSocketOptions m_options;
    WebSocketCallbacks m_wsCallbacks;
    State m_state = State::Idle;
    bool m_handshakeDone = false;
    std::unique_ptr<UpgradeResponseParser> m_parser;
    std::unique_ptr<WebSocketFrameGuard> m_guard;
    wslay_event_context *m_ctx = nullptr;
    std::string m_input; // bytes the guard passed, waiting for wslay's recv callback
    std::size_t m_inputUsed = 0;
    std::string m_output;             // frames wslay wrote, handed to sendBelow() in bounded chunks
    std::vector<Incoming> m_incoming; // what one wslay_event_recv() produced, dispatched after it
    std::string m_subprotocol;
    std::string m_statusLine;
    // Callbacks may destroy the layer (the session drops the stack on failed()); every callback site
    // checks this afterwards, before touching a member.
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace kw::stream
