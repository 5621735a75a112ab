#pragma once

// The client side of the WebSocket opening handshake (RFC 6455 section 4.1 and 4.2.2): the HTTP/1.1
// upgrade request, and an incremental parser for the server's answer. Plain C++, no I/O: the
// WebSocket layer feeds the parser whatever slices the layer below hands it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kw::stream {

// What the WebSocket layer connects to. The upgrade request is made from all of it but
// maxMessageBytes, which bounds the framing layer (websocketlayer.h).
struct WebSocketOptions
{
    std::string host;                      // DNS name or IP literal, as the server should see it in Host
    std::uint16_t port = 80;               // left out of Host when it is the scheme's default (80 / 443)
    bool secure = false;                   // wss: only changes the default port here; TLS is the layer below
    std::string path = "/";                // the resource name: path and query, starting with '/'
    std::vector<std::string> subprotocols; // offered in Sec-WebSocket-Protocol
    std::vector<std::pair<std::string, std::string>> headers; // extra request headers
    std::size_t maxMessageBytes = std::size_t(1) << 20;       // largest message accepted from the server
};

// Limits on the server's answer: a peer that never ends its header block must not make us allocate
// without bound. 16 KiB is what nginx's large_client_header_buffers and Node's --max-http-header-size
// default to; a real 101 is a few hundred bytes.
inline constexpr std::size_t kMaxUpgradeHeaderBytes = 16 * 1024;
inline constexpr std::size_t kMaxUpgradeHeaderCount = 100;

// The GUID every server appends to the key (RFC 6455 section 1.3).
inline constexpr std::string_view kWebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

// Empty when the options make a valid request, else one sentence naming the field or header and the
// fix. The layer, the endpoint dialog and the workspace loader all call this one check.
std::string checkUpgradeOptions(const WebSocketOptions &options);

struct UpgradeRequest
{
    std::string bytes; // the GET request, ready to send
    std::string key;   // the Sec-WebSocket-Key it carries
    std::string error; // non-empty: checkUpgradeOptions() refused the options; bytes and key are empty
};

// `key` empty: 16 fresh random bytes from OpenSSL's RAND_bytes, base64 (RFC 6455 section 4.1 item 7).
// A given key is for tests and the fuzzers that need a fixed request.
UpgradeRequest buildUpgradeRequest(const WebSocketOptions &options, std::string_view key = {});

// base64(SHA-1(key + GUID)): the Sec-WebSocket-Accept a server must answer `key` with.
std::string webSocketAccept(std::string_view key);

// Reads the server's answer to an upgrade request, from slices of any size.
class UpgradeResponseParser
{
public:
    enum class Status {
        NeedMore, // the header block is not complete yet
        Done,     // a valid 101: the connection speaks WebSocket from remainder() on
        Failed,   // error() says why; statusCode() is the HTTP status when one was read
    };

    UpgradeResponseParser(std::string key, std::vector<std::string> offeredSubprotocols);

    // Feeds the next bytes of the answer. After Done or Failed, further bytes are not looked at.
    Status feed(std::string_view bytes);
    // The layer below ended the stream: a parser still waiting fails with what it knows.
    Status finish();

    Status status() const { return m_status; }
    const std::string &error() const { return m_error; }
    int statusCode() const { return m_statusCode; }
    // "HTTP/1.1 101 Switching Protocols", as received (control characters escaped).
    const std::string &statusLine() const { return m_statusLine; }
    // The subprotocol the server chose; empty when it chose none.
    const std::string &subprotocol() const { return m_subprotocol; }
    // Done: the bytes of the completing slice that followed the header block (the first frames).
    const std::string &remainder() const { return m_remainder; }
    // Header names in lower case, values with surrounding whitespace trimmed, in arrival order.
    const std::vector<std::pair<std::string, std::string>> &headers() const { return m_headers; }

private:
    bool takeLine(std::string_view line);
    bool parseStatusLine(std::string_view line);
    bool parseHeaderLine(std::string_view line);
    void validate();
    bool fail(std::string text);
    const std::string *header(std::string_view lowerName) const;
    int headerCount(std::string_view lowerName) const;

    std::string m_key;
    std::vector<std::string> m_offered;
    Status m_status = Status::NeedMore;
    std::string m_line; // the line being read, without its terminator
    std::size_t m_headerBytes = 0;
    int m_statusCode = 0;
    std::string m_statusLine;
    std::vector<std::pair<std::string, std::string>> m_headers;
    std::string m_subprotocol;
    std::string m_remainder;
    std::string m_error;
};

} // namespace kw::stream
