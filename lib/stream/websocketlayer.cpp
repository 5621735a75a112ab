#include "websocketlayer.h"

#include <openssl/rand.h>
#include <wslay/wslay.h>

#include <algorithm>
#include <array>

namespace kw::stream {

namespace {

// wslay writes frames into m_output until it holds this much; then the bytes go below and wslay
// goes on. The layer never holds more than one chunk of outgoing frames.
constexpr std::size_t kOutputChunkBytes = 64 * 1024;
constexpr std::size_t kMaxControlPayload = 125; // RFC 6455 section 5.5
constexpr std::size_t kMaxCloseReason = 123;    // 125 minus the 2-byte code (section 5.5.1)

enum Opcode : std::uint8_t {
    kContinuation = 0x0,
    kText = 0x1,
    kBinary = 0x2,
    kClose = 0x8,
    kPing = 0x9,
    kPong = 0xa,
};

bool isControlOpcode(std::uint8_t opcode)
{
    return opcode >= 0x8;
}

std::string opcodeName(std::uint8_t opcode)
{
    switch (opcode) {
    case kContinuation:
        return "continuation";
    case kText:
        return "text";
    case kBinary:
        return "binary";
    case kClose:
        return "close";
    case kPing:
        return "ping";
    case kPong:
        return "pong";
    }
    static constexpr char kHex[] = "0123456789abcdef";
    return std::string("reserved opcode 0x") + kHex[opcode & 0xf];
}

// Close codes an endpoint may put on the wire: RFC 6455 section 7.4.1 and 7.4.2, plus 1012-1014 from
// the IANA registry the RFC set up (servers do send 1012 "service restart" when they restart).
// 1004, 1005, 1006 and 1015 are reserved for reports, never for frames.
bool isSendableCloseCode(int code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

// RFC 3629, byte by byte, so that a text message split over frames and slices is checked as it comes
// (RFC 6455 section 8.1). Overlong forms, surrogates and code points past U+10FFFF are rejected
// through the range the second byte may take.
class Utf8Checker
{
public:
    bool take(std::uint8_t byte)
    {
        if (m_needed == 0) {
            if (byte < 0x80)
                return true;
            m_low = 0x80;
            m_high = 0xbf;
            if (byte >= 0xc2 && byte <= 0xdf) {
                m_needed = 1;
            } else if (byte >= 0xe0 && byte <= 0xef) {
                m_needed = 2;
                if (byte == 0xe0)
                    m_low = 0xa0;
                else if (byte == 0xed)
                    m_high = 0x9f;
            } else if (byte >= 0xf0 && byte <= 0xf4) {
                m_needed = 3;
                if (byte == 0xf0)
                    m_low = 0x90;
                else if (byte == 0xf4)
                    m_high = 0x8f;
            } else {
                return false;
            }
            return true;
        }
        if (byte < m_low || byte > m_high)
            return false;
        --m_needed;
        m_low = 0x80;
        m_high = 0xbf;
        return true;
    }
    bool atBoundary() const { return m_needed == 0; }

private:
    int m_needed = 0;
    std::uint8_t m_low = 0x80;
    std::uint8_t m_high = 0xbf;
};

bool isUtf8(std::string_view text)
{
    Utf8Checker checker;
    for (const char c : text)
        if (!checker.take(static_cast<std::uint8_t>(c)))
            return false;
    return checker.atBoundary();
}

// At most `limit` bytes of valid UTF-8 `text`, not cutting a character in two.
std::string_view cutUtf8(std::string_view text, std::size_t limit)
{
    if (text.size() <= limit)
        return text;
    std::size_t end = limit;
    while (end > 0 && (static_cast<std::uint8_t>(text[end]) & 0xc0) == 0x80)
        --end;
    return text.substr(0, end);
}

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

// Reads the frame headers of the server's stream ahead of wslay. wslay refuses a bad frame by
// quietly queueing a close and turning reading off, without saying what was wrong, and it refuses
// close codes 1012-1014; so every byte passes this guard first, which names the violation (RFC 6455
// sections 5.1-5.5, 7.4, 8.1) and keeps close frames for the layer itself. wslay still reassembles
// messages, answers pings and frames and masks what we send.
class WebSocketLayer::FrameGuard
{
public:
    enum class Verdict {
        Pass,      // pass() bytes may go to wslay (a close frame's never do: the guard keeps them)
        Violation, // code() and text() say what; bytes from pass() on are not to be read
        Close,     // the server's close frame is complete: closeCode(), closeReason()
    };

    explicit FrameGuard(std::uint64_t maxMessageBytes) : m_maxMessageBytes(maxMessageBytes) {}

    // Looks at the next bytes; pass() of them may go to wslay.
    Verdict inspect(std::string_view bytes)
    {
        m_pass = 0;
        std::size_t i = 0;
        while (i < bytes.size()) {
            if (m_stage == Stage::Payload && !m_checkBytes) {
                const std::size_t take = std::size_t(std::min<std::uint64_t>(m_remaining, bytes.size() - i));
                i += take;
                m_remaining -= take;
                m_pass = i;
                if (m_remaining == 0) {
                    if (const Verdict verdict = endFrame(); verdict != Verdict::Pass)
                        return verdict;
                }
                continue;
            }
            const Verdict verdict = take(static_cast<std::uint8_t>(bytes[i]));
            if (verdict != Verdict::Pass)
                return verdict;
            ++i;
            if (m_opcode != kClose)
                m_pass = i;
        }
        return Verdict::Pass;
    }

    std::size_t pass() const { return m_pass; }
    int code() const { return m_code; }
    const std::string &text() const { return m_text; }
    int closeCode() const { return m_closeCode; }
    const std::string &closeReason() const { return m_closeReason; }

private:
    enum class Stage { Header0, Header1, Length, Payload };

    Verdict take(std::uint8_t byte)
    {
        switch (m_stage) {
        case Stage::Header0:
            return header0(byte);
        case Stage::Header1:
            return header1(byte);
        case Stage::Length:
            m_length = (m_length << 8) | byte;
            if (--m_lengthBytes == 0)
                return lengthKnown(m_length16 ? 2 : 8);
            return Verdict::Pass;
        case Stage::Payload:
            return payloadByte(byte);
        }
        return Verdict::Pass;
    }

    Verdict header0(std::uint8_t byte)
    {
        m_fin = (byte & 0x80) != 0;
        m_opcode = byte & 0x0f;
        if (const int rsv = (byte >> 4) & 0x7) {
            std::string bits;
            for (const auto &[bit, name] : {std::pair(4, "RSV1"), std::pair(2, "RSV2"), std::pair(1, "RSV3")})
                if (rsv & bit)
                    bits += (bits.empty() ? "" : ", ") + std::string(name);
            return violation(kCloseProtocolError, "the server set the reserved bit(s) " + bits +
                                                      " in a frame, but no extension was negotiated "
                                                      "(RFC 6455 section 5.2)");
        }
        if ((m_opcode > kBinary && m_opcode < kClose) || m_opcode > kPong)
            return violation(kCloseProtocolError, "the server sent a frame with the " + opcodeName(m_opcode) +
                                                      " (RFC 6455 section 5.2)");
        if (isControlOpcode(m_opcode) && !m_fin)
            return violation(kCloseProtocolError, "the server sent a fragmented " + opcodeName(m_opcode) +
                                                      " frame; control frames cannot be fragmented "
                                                      "(RFC 6455 section 5.5)");
        if (m_opcode == kContinuation && !m_inMessage)
            return violation(kCloseProtocolError, "the server sent a continuation frame with no fragmented "
                                                  "message to continue (RFC 6455 section 5.4)");
        if ((m_opcode == kText || m_opcode == kBinary) && m_inMessage)
            return violation(kCloseProtocolError, "the server started a new " + opcodeName(m_opcode) +
                                                      " message inside a fragmented " +
                                                      opcodeName(m_messageOpcode) +
                                                      " message (RFC 6455 section 5.4)");
        m_stage = Stage::Header1;
        return Verdict::Pass;
    }

    Verdict header1(std::uint8_t byte)
    {
        if (byte & 0x80)
            return violation(kCloseProtocolError, "the server sent a masked frame; frames from a server are "
                                                  "never masked (RFC 6455 section 5.1)");
        const std::uint8_t length7 = byte & 0x7f;
        if (isControlOpcode(m_opcode) && length7 > kMaxControlPayload)
            return violation(kCloseProtocolError, "the server sent a " + opcodeName(m_opcode) +
                                                      " frame with more than 125 bytes of payload; control "
                                                      "frames carry at most 125 (RFC 6455 section 5.5)");
        if (length7 >= 126) {
            m_length16 = length7 == 126;
            m_lengthBytes = m_length16 ? 2 : 8;
            m_length = 0;
            m_stage = Stage::Length;
            return Verdict::Pass;
        }
        m_length = length7;
        return lengthKnown(1);
    }

    Verdict lengthKnown(int encodedBytes)
    {
        // RFC 6455 section 5.2: the minimal number of bytes must be used, and the 64-bit length has
        // its most significant bit clear.
        if (encodedBytes == 8 && (m_length >> 63) != 0)
            return violation(kCloseProtocolError, "the server sent a frame length with the most significant "
                                                  "bit set (RFC 6455 section 5.2)");
        if ((encodedBytes == 2 && m_length < 126) || (encodedBytes == 8 && m_length < 0x10000))
            return violation(kCloseProtocolError, "the server encoded a " + std::to_string(m_length) +
                                                      "-byte payload length in " +
                                                      std::to_string(encodedBytes) +
                                                      " bytes; lengths use the shortest form "
                                                      "(RFC 6455 section 5.2)");
        if (m_opcode == kClose && m_length == 1)
            return violation(kCloseProtocolError,
                             "the server sent a close frame with a 1-byte payload; a close "
                             "payload starts with a 2-byte code (RFC 6455 section 5.5.1)");
        if (!isControlOpcode(m_opcode)) {
            if (m_length > m_maxMessageBytes - std::min(m_messageBytes, m_maxMessageBytes))
                return violation(
                    kCloseMessageTooBig,
                    "the server sent a message of at least " +
                        std::to_string(m_messageBytes + std::min<std::uint64_t>(m_length, 1ull << 62)) +
                        " bytes, over the limit of " + std::to_string(m_maxMessageBytes) + " bytes");
            if (m_opcode != kContinuation) {
                m_messageOpcode = m_opcode;
                m_utf8 = Utf8Checker();
            }
            m_messageBytes += m_length;
            m_inMessage = !m_fin;
        }
        m_remaining = m_length;
        m_checkBytes = m_opcode == kClose || (!isControlOpcode(m_opcode) && m_messageOpcode == kText);
        m_stage = Stage::Payload;
        if (m_remaining == 0)
            return endFrame();
        return Verdict::Pass;
    }

    Verdict payloadByte(std::uint8_t byte)
    {
        const std::uint64_t offset = m_length - m_remaining;
        if (m_opcode == kClose && offset < 2) {
            m_closeCode = (m_closeCode << 8) | byte;
        } else if (m_opcode == kClose) {
            m_closeReason += char(byte);
            if (!m_closeUtf8.take(byte))
                return invalidUtf8();
        } else if (!m_utf8.take(byte)) {
            return invalidUtf8();
        }
        if (--m_remaining == 0)
            return endFrame();
        return Verdict::Pass;
    }

    Verdict endFrame()
    {
        m_stage = Stage::Header0;
        m_checkBytes = false;
        if (m_opcode == kClose) {
            if (!m_closeUtf8.atBoundary())
                return invalidUtf8();
            if (m_length == 0) {
                m_closeCode = kCloseNoStatus;
            } else if (!isSendableCloseCode(m_closeCode)) {
                return violation(kCloseProtocolError, "the server sent the close code " +
                                                          std::to_string(m_closeCode) +
                                                          ", which may not appear in a close frame "
                                                          "(RFC 6455 section 7.4)");
            }
            return Verdict::Close;
        }
        if (!isControlOpcode(m_opcode) && m_fin) {
            if (m_messageOpcode == kText && !m_utf8.atBoundary())
                return invalidUtf8();
            m_messageBytes = 0;
        }
        return Verdict::Pass;
    }

    Verdict invalidUtf8()
    {
        return violation(
            kCloseInvalidPayload,
            m_opcode == kClose
                ? "the server sent a close reason that is not valid UTF-8 (RFC 6455 section 5.5.1)"
                : "the server sent a text message that is not valid UTF-8 (RFC 6455 section 8.1)");
    }

    Verdict violation(int code, std::string text)
    {
        m_code = code;
        m_text = std::move(text);
        return Verdict::Violation;
    }

    std::uint64_t m_maxMessageBytes;
    Stage m_stage = Stage::Header0;
    std::size_t m_pass = 0;
    bool m_fin = false;
    std::uint8_t m_opcode = 0;
    bool m_length16 = false;
    int m_lengthBytes = 0;
    std::uint64_t m_length = 0;
    std::uint64_t m_remaining = 0;
    bool m_checkBytes = false; // payload bytes go through take(): text (UTF-8) and close frames
    bool m_inMessage = false;  // a fragmented data message is open
    std::uint8_t m_messageOpcode = 0;
    std::uint64_t m_messageBytes = 0;
    Utf8Checker m_utf8;      // the text message, across its fragments
    Utf8Checker m_closeUtf8; // the close reason
    int m_closeCode = 0;
    std::string m_closeReason;
    int m_code = 0;
    std::string m_text;
};

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
    m_guard = std::make_unique<FrameGuard>(m_options.maxMessageBytes);
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
    const FrameGuard::Verdict verdict = m_guard->inspect(bytes);
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
    case FrameGuard::Verdict::Pass:
        return;
    case FrameGuard::Verdict::Violation:
        failProtocol(m_guard->code(), m_guard->text());
        return;
    case FrameGuard::Verdict::Close:
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
    // RFC 6455 section 5.5.1: answer a close with a close, echoing the code. After our own close()
    // wslay has sent one already and refuses a second.
    const bool answering = m_state == State::Closing;
    if (!answering) {
        wslay_event_queue_close(m_ctx, code == kCloseNoStatus ? 0 : std::uint16_t(code), nullptr, 0);
        if (!flush())
            return;
    }
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
    m_state = State::Ended;
    if (const auto closedByPeer = callbacks().closedByPeer)
        closedByPeer({LayerKind::WebSocket, code, text, 0});
}

void WebSocketLayer::fail(Failure failure)
{
    m_state = State::Ended;
    if (const auto failed = callbacks().failed)
        failed(failure);
}

} // namespace kw::stream
