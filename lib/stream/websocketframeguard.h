#pragma once

// What the WebSocket layer checks in the server's byte stream before wslay reads it: frame headers,
// payload lengths, close frames and the UTF-8 of text messages (RFC 6455 sections 5.1-5.5, 7.4, 8.1).
// Byte arithmetic only, no wslay and no I/O, so it is fuzzed and tested on its own terms.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kw::stream {

// Close codes this layer itself reports (RFC 6455 section 7.4.1).
inline constexpr int kCloseProtocolError = 1002;
inline constexpr int kCloseNoStatus = 1005;
inline constexpr int kCloseAbnormal = 1006;
inline constexpr int kCloseInvalidPayload = 1007;
inline constexpr int kCloseMessageTooBig = 1009;

// The RFC 6455 vocabulary the guard and the layer share.
namespace websocket {

inline constexpr std::size_t kMaxControlPayload = 125; // RFC 6455 section 5.5
inline constexpr std::size_t kMaxCloseReason = 123;    // 125 minus the 2-byte code (section 5.5.1)

enum Opcode : std::uint8_t {
    kContinuation = 0x0,
    kText = 0x1,
    kBinary = 0x2,
    kClose = 0x8,
    kPing = 0x9,
    kPong = 0xa,
};

bool isControlOpcode(std::uint8_t opcode);
// "text", "ping", "reserved opcode 0x3": for the texts that name a violation.
std::string opcodeName(std::uint8_t opcode);
// Close codes an endpoint may put on the wire: RFC 6455 section 7.4.1 and 7.4.2, plus 1012-1014 from
// the IANA registry the RFC set up (servers do send 1012 "service restart" when they restart).
// 1004, 1005, 1006 and 1015 are reserved for reports, never for frames.
bool isSendableCloseCode(int code);

// RFC 3629, byte by byte, so that a text message split over frames and slices is checked as it comes
// (RFC 6455 section 8.1). Overlong forms, surrogates and code points past U+10FFFF are rejected
// through the range the second byte may take.
class Utf8Checker
{
public:
    bool take(std::uint8_t byte);
    bool atBoundary() const { return m_needed == 0; }

private:
    int m_needed = 0;
    std::uint8_t m_low = 0x80;
    std::uint8_t m_high = 0xbf;
};

bool isUtf8(std::string_view text);
// At most `limit` bytes of valid UTF-8 `text`, not cutting a character in two.
std::string_view cutUtf8(std::string_view text, std::size_t limit);

} // namespace websocket

// Reads the frame headers of the server's stream ahead of wslay. wslay refuses a bad frame by
// quietly queueing a close and turning reading off, without saying what was wrong, and it refuses
// close codes 1012-1014; so every byte passes this guard first, which names the violation (RFC 6455
// sections 5.1-5.5, 7.4, 8.1) and keeps close frames for the layer itself. wslay still reassembles
// messages, answers pings and frames and masks what we send.
class WebSocketFrameGuard
{
public:
    enum class Verdict {
        Pass,      // pass() bytes may go to wslay (a close frame's never do: the guard keeps them)
        Violation, // code() and text() say what; bytes from pass() on are not to be read
        Close,     // the server's close frame is complete: closeCode(), closeReason()
    };

    explicit WebSocketFrameGuard(std::uint64_t maxMessageBytes) : m_maxMessageBytes(maxMessageBytes) {}

    // Looks at the next bytes; pass() of them may go to wslay.
    Verdict inspect(std::string_view bytes);

    std::size_t pass() const { return m_pass; }
    int code() const { return m_code; }
    const std::string &text() const { return m_text; }
    int closeCode() const { return m_closeCode; }
    const std::string &closeReason() const { return m_closeReason; }

private:
    enum class Stage { Header0, Header1, Length, Payload };

    Verdict take(std::uint8_t byte);
    Verdict header0(std::uint8_t byte);
    Verdict header1(std::uint8_t byte);
    Verdict lengthKnown(int encodedBytes);
    Verdict payloadByte(std::uint8_t byte);
    Verdict endFrame();
    Verdict invalidUtf8();
    Verdict violation(int code, std::string text);

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
    websocket::Utf8Checker m_utf8;      // the text message, across its fragments
    websocket::Utf8Checker m_closeUtf8; // the close reason
    int m_closeCode = 0;
    std::string m_closeReason;
    int m_code = 0;
    std::string m_text;
};

} // namespace kw::stream
