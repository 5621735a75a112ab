#include "websocketlayer.h"

#include <openssl/rand.h>
#include <wslay/wslay.h>

#include <algorithm>

namespace kw::stream {

using namespace websocket;

namespace {

// wslay writes frames into m_output until it holds this much; then the bytes go below and wslay
// goes on. The layer never holds more than one chunk of outgoing frames.
constexpr std::size_t kOutputChunkBytes = 64 * 1024;

// A peer's close reason in an event text: UTF-8 already, but no control characters in a log line.
std::string printable(std::string_view text)
{
    std::string result(text);
    for (char &c : result)
        if (static_cast<std::uint8_t>(c) < 0x20 || c == 0x7f)
            c = ' ';
    return result;
}

} // namespace

std::string_view closeCodeName(int code)
{
    switch (code) {
    case 1000:
        return "normal closure";
    case 1001:
        return "going away";
    case 1002:
        return "protocol error";
    case 1003:
        return "unsupported data";
    case 1005:
        return "no status received";
    case 1006:
        return "abnormal closure";
    case 1007:
        return "invalid frame payload data";
    case 1008:
        return "policy violation";
    case 1009:
        return "message too big";
    case 1010:
        return "mandatory extension";
    case 1011:
        return "internal error";
    case 1012:
        return "service restart";
    case 1013:
        return "try again later";
    case 1014:
        return "bad gateway";
    case 1015:
        return "TLS handshake failed";
    }
    if (code >= 3000 && code <= 3999)
        return "library-defined";
    if (code >= 4000 && code <= 4999)
        return "application-defined";
    return "unknown code";
}

struct WebSocketLayer::Incoming
{
    std::uint8_t opcode = 0;
    std::string payload;
};

// wslay's C callbacks, over the layer's memory buffers (the event API assumes non-blocking I/O:
// WSLAY_ERR_WOULDBLOCK means "nothing more now").
struct WslayBridge
{
    static ssize_t recv(wslay_event_context_ptr ctx, std::uint8_t *buffer, std::size_t size, int, void *user)
    {
        auto *layer = static_cast<WebSocketLayer *>(user);
        const std::size_t available = layer->m_input.size() - layer->m_inputUsed;
        if (available == 0) {
            wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
            return -1;
        }
        const std::size_t take = std::min(size, available);
        std::copy_n(layer->m_input.data() + layer->m_inputUsed, take, buffer);
        layer->m_inputUsed += take;
        return ssize_t(take);
    }

    static ssize_t send(wslay_event_context_ptr ctx, const std::uint8_t *data, std::size_t size, int,
                        void *user)
    {
        auto *layer = static_cast<WebSocketLayer *>(user);
        const std::size_t room = kOutputChunkBytes - std::min(kOutputChunkBytes, layer->m_output.size());
        if (room == 0) {
            wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
            return -1;
        }
        const std::size_t take = std::min(size, room);
        layer->m_output.append(reinterpret_cast<const char *>(data), take);
        return ssize_t(take);
    }

    // RFC 6455 section 5.3: a fresh, unpredictable masking key for every frame.
    static int genmask(wslay_event_context_ptr ctx, std::uint8_t *buffer, std::size_t size, void *)
    {
        if (RAND_bytes(buffer, int(size)) != 1) {
            wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
            return -1;
        }
        return 0;
    }

    static void message(wslay_event_context_ptr, const wslay_event_on_msg_recv_arg *arg, void *user)
    {
        auto *layer = static_cast<WebSocketLayer *>(user);
        layer->m_incoming.push_back(
            {arg->opcode, std::string(reinterpret_cast<const char *>(arg->msg), arg->msg_length)});
    }
};

WebSocketLayer::WebSocketLayer(WebSocketOptions options) : m_options(std::move(options)) {}

WebSocketLayer::~WebSocketLayer()
{
    *m_alive = false;
    if (m_ctx)
        wslay_event_context_free(m_ctx);
}

void WebSocketLayer::start()
{
    if (m_state != State::Idle)
        return;
    UpgradeRequest request = buildUpgradeRequest(m_options);
    if (!request.error.empty()) {
        fail({LayerKind::WebSocket, 0, request.error, 0});
        return;
    }
    m_parser = std::make_unique<UpgradeResponseParser>(request.key, m_options.subprotocols);
    m_state = State::Upgrading;
    const auto sendBelow = callbacks().sendBelow;
    if (sendBelow)
        sendBelow(request.bytes);
}

void WebSocketLayer::receive(std::string_view bytes)
{
    if (m_state == State::Open || m_state == State::Closing) {
        receiveFrames(bytes);
        return;
    }
    if (m_state != State::Upgrading)
        return;
    switch (m_parser->feed(bytes)) {
    case UpgradeResponseParser::Status::NeedMore:
        return;
    case UpgradeResponseParser::Status::Failed:
        m_statusLine = m_parser->statusLine();
        fail({LayerKind::WebSocket, m_parser->statusCode(), m_parser->error(), 0});
        return;
    case UpgradeResponseParser::Status::Done:
        break;
    }
    m_statusLine = m_parser->statusLine();
    m_subprotocol = m_parser->subprotocol();
    const std::string firstFrames = m_parser->remainder();
    m_parser.reset();
    openFrames(firstFrames);
}

bool WebSocketLayer::openFrames(std::string_view firstBytes)
{
    wslay_event_callbacks wslayCallbacks{};
    wslayCallbacks.recv_callback = &WslayBridge::recv;
    wslayCallbacks.send_callback = &WslayBridge::send;
    wslayCallbacks.genmask_callback = &WslayBridge::genmask;
    wslayCallbacks.on_msg_recv_callback = &WslayBridge::message;
    if (wslay_event_context_client_init(&m_ctx, &wslayCallbacks, this) != 0) {
        m_ctx = nullptr;
        fail({LayerKind::WebSocket, 0, "out of memory for the WebSocket framing state", 0});
        return false;
    }
    // The guard enforces the same bound first, with a message that says so; wslay's copy of the limit
    // keeps its buffers bounded should the two ever disagree.
    wslay_event_config_set_max_recv_msg_length(
        m_ctx, std::max<std::uint64_t>(m_options.maxMessageBytes, kMaxControlPayload));
    m_guard = std::make_unique<WebSocketFrameGuard>(m_options.maxMessageBytes);
    m_state = State::Open;
    m_handshakeDone = true;

    const auto alive = m_alive;
    if (const auto ready = callbacks().ready)
        ready();
    if (!*alive || m_state == State::Ended)
        return false;
    if (!firstBytes.empty())
        receiveFrames(firstBytes);
    return true;
}

void WebSocketLayer::receiveFrames(std::string_view bytes)
{
    const WebSocketFrameGuard::Verdict verdict = m_guard->inspect(bytes);
    m_input.assign(bytes.substr(0, m_guard->pass()));
    m_inputUsed = 0;
    const int received = m_input.empty() ? 0 : wslay_event_recv(m_ctx);
    m_input.clear();
    std::vector<Incoming> incoming = std::move(m_incoming);
    m_incoming.clear();
    if (received == WSLAY_ERR_NOMEM) {
        fail({LayerKind::WebSocket, 0, "out of memory reading a WebSocket frame", 0});
        return;
    }
    // The pongs wslay queued for pings leave first (RFC 6455 section 5.5.2: "as soon as practical").
    if (!flush() || !dispatch(std::move(incoming)))
        return;
    if (received != 0 || !wslay_event_get_read_enabled(m_ctx)) {
        // The guard passed something wslay refused: a disagreement between the two, not a server
        // the guard would have named.
        failProtocol(kCloseProtocolError, "wslay refused a frame from the server (RFC 6455 section 5)");
        return;
    }
    switch (verdict) {
    case WebSocketFrameGuard::Verdict::Pass:
        return;
    case WebSocketFrameGuard::Verdict::Violation:
        failProtocol(m_guard->code(), m_guard->text());
        return;
    case WebSocketFrameGuard::Verdict::Close:
        endByPeer(m_guard->closeCode(), m_guard->closeReason());
        return;
    }
}

bool WebSocketLayer::dispatch(std::vector<Incoming> incoming)
{
    const auto alive = m_alive;
    for (Incoming &event : incoming) {
        switch (event.opcode) {
        case kText:
        case kBinary:
            if (const auto message = m_wsCallbacks.message) {
                message(event.opcode == kText, event.payload);
            } else if (const auto deliver = callbacks().deliver) {
                deliver(event.payload);
            }
            break;
        case kPong:
            if (const auto pong = m_wsCallbacks.pong)
                pong(event.payload);
            break;
        case kPing:
            if (const auto serverPing = m_wsCallbacks.serverPing)
                serverPing();
            break;
        default:
            break;
        }
        if (!*alive || m_state == State::Ended)
            return false;
    }
    return true;
}

bool WebSocketLayer::flush()
{
    const auto alive = m_alive;
    for (;;) {
        if (wslay_event_want_write(m_ctx) && wslay_event_send(m_ctx) != 0) {
            fail({LayerKind::WebSocket, 0, "out of memory writing a WebSocket frame", 0});
            return false;
        }
        if (m_output.empty())
            return true;
        std::string chunk;
        chunk.swap(m_output);
        if (const auto sendBelow = callbacks().sendBelow)
            sendBelow(chunk);
        if (!*alive || m_state == State::Ended)
            return false;
    }
}

bool WebSocketLayer::queue(std::uint8_t opcode, std::string_view payload)
{
    if (m_state != State::Open)
        return false;
    wslay_event_msg message{opcode, reinterpret_cast<const std::uint8_t *>(payload.data()), payload.size()};
    if (wslay_event_queue_msg(m_ctx, &message) != 0)
        return false;
    flush();
    return true;
}

void WebSocketLayer::send(std::string_view bytes)
{
    queue(kBinary, bytes);
}

bool WebSocketLayer::sendText(std::string_view text)
{
    return isUtf8(text) && queue(kText, text);
}

bool WebSocketLayer::sendPing(std::string_view payload)
{
    return payload.size() <= kMaxControlPayload && queue(kPing, payload);
}

bool WebSocketLayer::close(std::uint16_t code, std::string_view reason)
{
    if (m_state != State::Open || !isSendableCloseCode(code) || !isUtf8(reason))
        return false;
    const std::string_view cut = cutUtf8(reason, kMaxCloseReason);
    if (wslay_event_queue_close(m_ctx, code, reinterpret_cast<const std::uint8_t *>(cut.data()),
                                cut.size()) != 0)
        return false;
    m_state = State::Closing;
    flush();
    return true;
}

void WebSocketLayer::belowEnded()
{
    if (m_state == State::Upgrading) {
        m_parser->finish();
        m_statusLine = m_parser->statusLine();
        fail({LayerKind::WebSocket, m_parser->statusCode(), m_parser->error(), 0});
    } else if (m_state == State::Open || m_state == State::Closing) {
        const bool answering = m_state == State::Closing;
        m_state = State::Ended;
        if (const auto closedByPeer = callbacks().closedByPeer)
            closedByPeer({LayerKind::WebSocket, kCloseAbnormal,
                          answering ? "the server closed the TCP connection without answering our WebSocket "
                                      "close frame (1006 abnormal closure)"
                                    : "the server closed the TCP connection without a WebSocket close frame "
                                      "(1006 abnormal closure)",
                          0});
    }
}

void WebSocketLayer::failProtocol(int code, const std::string &text)
{
    // RFC 6455 section 7.1.7: fail the connection by sending a close frame with the reason first.
    // The close reason is the start of the same text, cut to what a close frame carries.
    const std::string_view reason = cutUtf8(text, kMaxCloseReason);
    if (wslay_event_queue_close(m_ctx, std::uint16_t(code),
                                reinterpret_cast<const std::uint8_t *>(reason.data()), reason.size()) == 0 &&
        !flush())
        return;
    fail({LayerKind::WebSocket, code, text, 0});
}

void WebSocketLayer::endByPeer(int code, const std::string &reason)
{
    const bool answering = m_state == State::Closing;
    std::string text;
    if (code == kCloseNoStatus) {
        text = "server closed the WebSocket without a status code (1005 no status received)";
    } else {
        text =
            "server closed the WebSocket: " + std::to_string(code) + " " + std::string(closeCodeName(code));
        if (!reason.empty())
            text += ": " + printable(reason);
    }
    if (answering)
        text += " (answering our close frame)";
    Failure how{LayerKind::WebSocket, code, std::move(text), 0};
    notePeerEnd(how);
    // RFC 6455 section 5.5.1: answer a close with a close, echoing the code. After our own close()
    // wslay has sent one already and refuses a second.
    if (!answering) {
        wslay_event_queue_close(m_ctx, code == kCloseNoStatus ? 0 : std::uint16_t(code), nullptr, 0);
        if (!flush())
            return;
    }
    m_state = State::Ended;
    if (const auto closedByPeer = callbacks().closedByPeer)
        closedByPeer(how);
}

void WebSocketLayer::fail(Failure failure)
{
    m_state = State::Ended;
    if (const auto failed = callbacks().failed)
        failed(failure);
}

} // namespace kw::stream
