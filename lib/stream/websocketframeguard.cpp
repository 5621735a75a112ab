#include "websocketframeguard.h"

#include <algorithm>
#include <utility>

namespace kw::stream {

namespace websocket {

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

bool isSendableCloseCode(int code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

bool Utf8Checker::take(std::uint8_t byte)
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

bool isUtf8(std::string_view text)
{
    Utf8Checker checker;
    for (const char c : text)
        if (!checker.take(static_cast<std::uint8_t>(c)))
            return false;
    return checker.atBoundary();
}

std::string_view cutUtf8(std::string_view text, std::size_t limit)
{
    if (text.size() <= limit)
        return text;
    std::size_t end = limit;
    while (end > 0 && (static_cast<std::uint8_t>(text[end]) & 0xc0) == 0x80)
        --end;
    return text.substr(0, end);
}

} // namespace websocket

using namespace websocket;

WebSocketFrameGuard::Verdict WebSocketFrameGuard::inspect(std::string_view bytes)
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

WebSocketFrameGuard::Verdict WebSocketFrameGuard::take(std::uint8_t byte)
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

WebSocketFrameGuard::Verdict WebSocketFrameGuard::header0(std::uint8_t byte)
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

WebSocketFrameGuard::Verdict WebSocketFrameGuard::header1(std::uint8_t byte)
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

WebSocketFrameGuard::Verdict WebSocketFrameGuard::lengthKnown(int encodedBytes)
{
    // RFC 6455 section 5.2: the minimal number of bytes must be used, and the 64-bit length has
    // its most significant bit clear.
    if (encodedBytes == 8 && (m_length >> 63) != 0)
        return violation(kCloseProtocolError, "the server sent a frame length with the most significant "
                                              "bit set (RFC 6455 section 5.2)");
    if ((encodedBytes == 2 && m_length < 126) || (encodedBytes == 8 && m_length < 0x10000))
        return violation(kCloseProtocolError, "the server encoded a " + std::to_string(m_length) +
                                                  "-byte payload length in " + std::to_string(encodedBytes) +
                                                  " bytes; lengths use the shortest form "
                                                  "(RFC 6455 section 5.2)");
    if (m_opcode == kClose && m_length == 1)
        return violation(kCloseProtocolError, "the server sent a close frame with a 1-byte payload; a close "
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

WebSocketFrameGuard::Verdict WebSocketFrameGuard::payloadByte(std::uint8_t byte)
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

WebSocketFrameGuard::Verdict WebSocketFrameGuard::endFrame()
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

WebSocketFrameGuard::Verdict WebSocketFrameGuard::invalidUtf8()
{
    return violation(kCloseInvalidPayload,
                     m_opcode == kClose
                         ? "the server sent a close reason that is not valid UTF-8 (RFC 6455 section 5.5.1)"
                         : "the server sent a text message that is not valid UTF-8 (RFC 6455 section 8.1)");
}

WebSocketFrameGuard::Verdict WebSocketFrameGuard::violation(int code, std::string text)
{
    m_code = code;
    m_text = std::move(text);
    return Verdict::Violation;
}

} // namespace kw::stream
