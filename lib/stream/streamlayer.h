#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace kw::stream {

// The layers of the byte-stream stack (DESIGN.md, "One session core, a stack of byte streams"):
// TCP socket -> TLS (optional) -> WebSocket framing (optional) -> protocol.
enum class LayerKind {
    Tcp,
    Tls,
    WebSocket,
};

// "tcp", "tls", "websocket": the names used in events and details.
std::string_view layerName(LayerKind layer);

// Why a layer gave up. `code` is what the layer itself speaks:
//   Tcp       errno / WSA error
//   Tls       the X.509 verify result (X509_V_ERR_*) when verification failed, else the TLS alert
//             number received (RFC 8446 section 6), else 0
//   WebSocket the HTTP status of a refused upgrade (RFC 6455 section 4.1), or the close code
// `osError` is the kernel's errno underneath when one caused the failure, so that `reset` and
// `peer-closed`, `keepalive-timeout` and `user-timeout` stay exact under TLS and WebSocket.
struct Failure
{
    LayerKind layer = LayerKind::Tcp;
    int code = 0;
    std::string text; // a person's words: what went wrong, and the fix where there is one
    int osError = 0;
};

// One layer of the stack, sans I/O (the way Node's tls and Python's asyncio sslproto run OpenSSL
// over memory BIOs under a transport they do not own): the owner feeds it the bytes that arrived
// from below and hands what it emits to the layer below. A layer never blocks, never owns a socket
// and never calls back into the owner after failed().
class Layer
{
public:
    struct Callbacks
    {
        std::function<void(std::string_view bytes)> sendBelow; // bytes for the layer below
        std::function<void()> ready;                           // handshake done: data may flow
        std::function<void(std::string_view bytes)> deliver;   // application bytes for the layer above
        std::function<void(const Failure &failure)> failed;    // gave up; nothing follows
        // The peer ended the stream in this layer's own terms (TLS close_notify, WebSocket close):
        // an orderly end, reported with what the peer said.
        std::function<void(const Failure &how)> closedByPeer;
    };

    Layer() = default;
    Layer(const Layer &) = delete;
    Layer &operator=(const Layer &) = delete;
    virtual ~Layer() = default;

    virtual LayerKind kind() const = 0;
    void setCallbacks(Callbacks callbacks) { m_callbacks = std::move(callbacks); }

    // The layer below is connected: begin the handshake (may call sendBelow at once).
    virtual void start() = 0;
    // Bytes from the layer below, in order, in slices of any size (one byte at a time must work).
    virtual void receive(std::string_view bytes) = 0;
    // Application bytes from above; only after ready(). Bytes sent before are a caller error.
    virtual void send(std::string_view bytes) = 0;
    // The layer below reached end of stream (FIN). Before the handshake finished that is failed();
    // after it, closedByPeer() saying how it ended (with or without close_notify or a close frame):
    // many servers just close, and the session calls that peer-closed.
    virtual void belowEnded() = 0;
    // Is the handshake done?
    virtual bool isReady() const = 0;
    // What the peer said when it ended this layer in its own terms (close_notify, a close frame),
    // from the moment it was heard: before this layer answers, and so before closedByPeer(). A
    // server that closes its socket with bytes of ours unread resets the connection, often while
    // the answer is being written; the owner then names the end by what the peer said first.
    const std::optional<Failure> &peerEnd() const { return m_peerEnd; }

protected:
    const Callbacks &callbacks() const { return m_callbacks; }
    void notePeerEnd(Failure how) { m_peerEnd = std::move(how); }

private:
    Callbacks m_callbacks;
    std::optional<Failure> m_peerEnd;
};

} // namespace kw::stream
