#include "httpupgrade.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>

namespace kw::stream {

namespace {

constexpr std::size_t kKeyBytes = 16;    // RFC 6455 section 4.1, item 7
constexpr std::size_t kShownBytes = 200; // how much of a peer's bytes an error message quotes
constexpr std::string_view kHttpPrefix = "HTTP/";

char toLower(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

std::string lowered(std::string_view text)
{
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(), toLower);
    return result;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return toLower(x) == toLower(y); });
}

// RFC 7230 section 3.2.6: the characters of a token (header names, subprotocol names).
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isToken(std::string_view text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(), isTokenChar);
}

bool isControl(char c)
{
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
}

// The bytes a peer or a user gave, quoted safely in a message: anything but printable ASCII as \xNN,
// and no more than kShownBytes of it.
std::string shown(std::string_view bytes)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string result;
    for (std::size_t i = 0; i < bytes.size() && i < kShownBytes; ++i) {
        const auto byte = static_cast<unsigned char>(bytes[i]);
        if (byte >= 0x20 && byte < 0x7f) {
            result += char(byte);
        } else {
            result += "\\x";
            result += kHex[byte >> 4];
            result += kHex[byte & 0xf];
        }
    }
    if (bytes.size() > kShownBytes)
        result += "...";
    return result;
}

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

std::string base64(const unsigned char *data, std::size_t size)
{
    std::string result(4 * ((size + 2) / 3) + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(result.data()), data, int(size));
    result.resize(written > 0 ? std::size_t(written) : 0);
    return result;
}

// The handshake's own headers: a user header with one of these names would contradict the request
// (RFC 6455 section 4.1), and Content-Length / Transfer-Encoding would announce a body the server
// then waits for.
constexpr std::array<std::string_view, 10> kReservedHeaders = {
    "host",
    "upgrade",
    "connection",
    "sec-websocket-key",
    "sec-websocket-version",
    "sec-websocket-protocol",
    "sec-websocket-extensions",
    "sec-websocket-accept",
    "content-length",
    "transfer-encoding",
};

} // namespace

std::string checkUpgradeOptions(const WebSocketOptions &options)
{
    if (options.host.empty())
        return "the WebSocket host is empty; give the server's name or address";
    if (std::any_of(options.host.begin(), options.host.end(),
                    [](char c) { return isControl(c) || c == ' '; }))
        return "the WebSocket host \"" + shown(options.host) + "\" contains a space or a control character";
    if (options.port == 0)
        return "the WebSocket port is 0; give the server's port (80 for ws, 443 for wss by default)";
    if (options.path.empty() || options.path.front() != '/')
        return "the WebSocket path \"" + shown(options.path) + "\" must start with '/' (for example \"/ws\")";
    if (std::any_of(options.path.begin(), options.path.end(),
                    [](char c) { return isControl(c) || c == ' '; }))
        return "the WebSocket path \"" + shown(options.path) +
               "\" contains a space or a control character; percent-encode it (%20)";
    // RFC 6455 section 3: a WebSocket URI has no fragment.
    if (options.path.find('#') != std::string::npos)
        return "the WebSocket path \"" + shown(options.path) +
               "\" contains '#'; WebSocket URIs have no fragment";
    for (std::size_t i = 0; i < options.subprotocols.size(); ++i) {
        const std::string &name = options.subprotocols[i];
        // RFC 6455 section 4.1, item 10: each subprotocol is a token.
        if (!isToken(name))
            return "the subprotocol \"" + shown(name) +
                   "\" is not a valid name (letters, digits and !#$%&'*+-.^_`|~ only, not empty)";
        if (std::find(options.subprotocols.begin(), options.subprotocols.begin() + std::ptrdiff_t(i), name) !=
            options.subprotocols.begin() + std::ptrdiff_t(i))
            return "the subprotocol \"" + name + "\" is offered twice";
    }
    for (const auto &[name, value] : options.headers) {
        if (name.find_first_of("\r\n") != std::string::npos)
            return "the header name \"" + shown(name) + "\" contains a line break";
        if (!isToken(name))
            return "the header name \"" + shown(name) +
                   "\" is not valid (letters, digits and !#$%&'*+-.^_`|~ only, not empty)";
        const std::string lower = lowered(name);
        if (lower == "sec-websocket-protocol")
            return "the header \"" + name + "\" is set by the WebSocket handshake; list subprotocols instead";
        if (std::find(kReservedHeaders.begin(), kReservedHeaders.end(), lower) != kReservedHeaders.end())
            return "the header \"" + name +
                   "\" is set by the WebSocket handshake itself and cannot be overridden";
        if (value.find_first_of("\r\n") != std::string::npos)
            return "the value of header \"" + name + "\" contains a line break";
        if (std::any_of(value.begin(), value.end(), [](char c) { return isControl(c) && c != '\t'; }))
            return "the value of header \"" + name + "\" contains a control character";
    }
    return {};
}

UpgradeRequest buildUpgradeRequest(const WebSocketOptions &options, std::string_view key)
{
    UpgradeRequest request;
    request.error = checkUpgradeOptions(options);
    if (!request.error.empty())
        return request;
    if (key.empty()) {
        std::array<unsigned char, kKeyBytes> nonce{};
        if (RAND_bytes(nonce.data(), int(nonce.size())) != 1) {
            request.error = "OpenSSL could not produce random bytes for the Sec-WebSocket-Key";
            return request;
        }
        request.key = base64(nonce.data(), nonce.size());
    } else {
        request.key = std::string(key);
    }

    // RFC 6455 section 4.1, item 4: Host carries the port only when it is not the scheme's default;
    // an IPv6 literal goes in brackets (RFC 3986 section 3.2.2).
    std::string host = options.host;
    if (host.find(':') != std::string::npos && host.front() != '[')
        host = "[" + host + "]";
    const std::uint16_t defaultPort = options.secure ? 443 : 80;
    if (options.port != defaultPort)
        host += ":" + std::to_string(options.port);

    std::string &out = request.bytes;
    out = "GET " + options.path + " HTTP/1.1\r\n";
    out += "Host: " + host + "\r\n";
    out += "Upgrade: websocket\r\n";
    out += "Connection: Upgrade\r\n";
    out += "Sec-WebSocket-Key: " + request.key + "\r\n";
    out += "Sec-WebSocket-Version: 13\r\n";
    if (!options.subprotocols.empty()) {
        out += "Sec-WebSocket-Protocol: ";
        for (std::size_t i = 0; i < options.subprotocols.size(); ++i)
            out += (i ? ", " : "") + options.subprotocols[i];
        out += "\r\n";
    }
    for (const auto &[name, value] : options.headers)
        out += name + ": " + std::string(trimmed(value)) + "\r\n";
    out += "\r\n";
    return request;
}

std::string webSocketAccept(std::string_view key)
{
    const std::string input = std::string(key) + std::string(kWebSocketGuid);
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int digestSize = 0;
    if (EVP_Digest(input.data(), input.size(), digest.data(), &digestSize, EVP_sha1(), nullptr) != 1)
        return {};
    return base64(digest.data(), digestSize);
}

UpgradeResponseParser::UpgradeResponseParser(std::string key, std::vector<std::string> offeredSubprotocols)
    : m_key(std::move(key)), m_offered(std::move(offeredSubprotocols))
{}

UpgradeResponseParser::Status UpgradeResponseParser::feed(std::string_view bytes)
{
    for (std::size_t i = 0; i < bytes.size() && m_status == Status::NeedMore; ++i) {
        if (++m_headerBytes > kMaxUpgradeHeaderBytes) {
            if (m_statusCode != 0 && m_statusCode != 101)
                fail("server refused the WebSocket upgrade: " + m_statusLine);
            else
                fail("the server's answer to the WebSocket upgrade has more than " +
                     std::to_string(kMaxUpgradeHeaderBytes) + " bytes of headers");
            break;
        }
        const char c = bytes[i];
        if (c != '\n') {
            m_line += c;
            // Something that is not HTTP (a TLS record, an SSH banner) fails at its first bytes
            // instead of when a line break happens to come by.
            if (m_statusLine.empty() && m_line.size() <= kHttpPrefix.size() &&
                m_line != kHttpPrefix.substr(0, m_line.size()))
                fail("the server did not answer the WebSocket upgrade in HTTP: it sent \"" + shown(m_line) +
                     "\"; is it a WebSocket server, and does the port need wss (TLS)?");
            continue;
        }
        // RFC 7230 section 3.5: a bare LF ends a line as well as CRLF does.
        std::string line = std::move(m_line);
        m_line.clear();
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (!takeLine(line))
            break;
        if (m_status == Status::Done)
            m_remainder.assign(bytes.substr(i + 1));
    }
    return m_status;
}

UpgradeResponseParser::Status UpgradeResponseParser::finish()
{
    if (m_status != Status::NeedMore)
        return m_status;
    if (m_statusCode != 0 && m_statusCode != 101)
        fail("server refused the WebSocket upgrade: " + m_statusLine);
    else
        fail("the server closed the connection during the WebSocket upgrade, after " +
             std::to_string(m_headerBytes) + " bytes of its answer");
    return m_status;
}

bool UpgradeResponseParser::takeLine(std::string_view line)
{
    if (m_statusLine.empty() && m_statusCode == 0)
        return parseStatusLine(line);
    if (line.empty()) {
        validate();
        return m_status == Status::Done;
    }
    return parseHeaderLine(line);
}

bool UpgradeResponseParser::parseStatusLine(std::string_view line)
{
    // RFC 7230 section 3.1.2: HTTP-version SP 3DIGIT SP reason-phrase. Some servers leave out the
    // reason phrase and its space; nothing depends on it.
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    const bool valid = line.size() >= 12 && line.substr(0, 5) == kHttpPrefix && digit(line[5]) &&
                       line[6] == '.' && digit(line[7]) && line[8] == ' ' && digit(line[9]) &&
                       digit(line[10]) && digit(line[11]) && (line.size() == 12 || line[12] == ' ');
    if (!valid)
        return fail("the server's answer to the WebSocket upgrade has no valid HTTP status line: \"" +
                    shown(line) + "\"");
    m_statusLine = shown(line);
    m_statusCode = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    return true;
}

bool UpgradeResponseParser::parseHeaderLine(std::string_view line)
{
    if (std::any_of(line.begin(), line.end(), [](char c) { return isControl(c) && c != '\t'; }))
        return fail(
            "the server's answer to the WebSocket upgrade has a header line with a control character: \"" +
            shown(line) + "\"");
    // RFC 7230 section 3.2.4: obsolete line folding continues the previous value; a recipient may
    // replace the fold with a space.
    if (line.front() == ' ' || line.front() == '\t') {
        if (m_headers.empty())
            return fail(
                "the server's answer to the WebSocket upgrade starts its headers with a folded line: \"" +
                shown(line) + "\"");
        std::string &value = m_headers.back().second;
        const std::string_view more = trimmed(line);
        if (!more.empty())
            value += (value.empty() ? "" : " ") + std::string(more);
        return true;
    }
    const std::size_t colon = line.find(':');
    // RFC 7230 section 3.2.4: no whitespace between the name and the colon.
    if (colon == std::string_view::npos || !isToken(line.substr(0, colon)))
        return fail("the server's answer to the WebSocket upgrade has a malformed header line: \"" +
                    shown(line) + "\"");
    if (m_headers.size() >= kMaxUpgradeHeaderCount)
        return fail("the server's answer to the WebSocket upgrade has more than " +
                    std::to_string(kMaxUpgradeHeaderCount) + " headers");
    m_headers.emplace_back(lowered(line.substr(0, colon)), std::string(trimmed(line.substr(colon + 1))));
    return true;
}

const std::string *UpgradeResponseParser::header(std::string_view lowerName) const
{
    for (const auto &[name, value] : m_headers)
        if (name == lowerName)
            return &value;
    return nullptr;
}

int UpgradeResponseParser::headerCount(std::string_view lowerName) const
{
    return int(std::count_if(m_headers.begin(), m_headers.end(),
                             [lowerName](const auto &entry) { return entry.first == lowerName; }));
}

void UpgradeResponseParser::validate()
{
    if (m_statusCode != 101) {
        std::string text = "server refused the WebSocket upgrade: " + m_statusLine;
        const std::string *location = header("location");
        if (m_statusCode >= 300 && m_statusCode < 400 && location)
            text += "; it redirects to \"" + shown(*location) + "\"";
        fail(std::move(text));
        return;
    }
    // RFC 6455 section 4.1, the client's checks of the server's handshake, items 1 to 6.
    if (m_statusLine.substr(0, 8) != "HTTP/1.1") {
        fail("the server answered the WebSocket upgrade with \"" + m_statusLine +
             "\"; an upgrade needs HTTP/1.1 (RFC 6455 section 4.1)");
        return;
    }
    const std::string *upgrade = header("upgrade");
    if (!upgrade) {
        fail("the server answered 101 without an Upgrade header (RFC 6455 section 4.1, item 2)");
        return;
    }
    if (headerCount("upgrade") > 1 || !equalsIgnoringCase(*upgrade, "websocket")) {
        fail("the server answered 101 with \"Upgrade: " + shown(*upgrade) +
             "\" instead of \"websocket\" (RFC 6455 section 4.1, item 2)");
        return;
    }
    bool connectionUpgrade = false;
    std::string connection;
    for (const auto &[name, value] : m_headers) {
        if (name != "connection")
            continue;
        connection += (connection.empty() ? "" : ", ") + value;
        std::string_view rest = value;
        while (!rest.empty()) {
            const std::size_t comma = rest.find(',');
            if (equalsIgnoringCase(trimmed(rest.substr(0, comma)), "upgrade"))
                connectionUpgrade = true;
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        }
    }
    if (!connectionUpgrade) {
        fail(headerCount("connection") == 0
                 ? std::string(
                       "the server answered 101 without a Connection header (RFC 6455 section 4.1, item 3)")
                 : "the server answered 101 with \"Connection: " + shown(connection) +
                       "\", which lacks the \"upgrade\" token (RFC 6455 section 4.1, item 3)");
        return;
    }
    const std::string *accept = header("sec-websocket-accept");
    if (!accept) {
        fail("the server answered 101 without Sec-WebSocket-Accept (RFC 6455 section 4.1, item 4)");
        return;
    }
    const std::string expected = webSocketAccept(m_key);
    if (headerCount("sec-websocket-accept") > 1 || *accept != expected) {
        fail("the server's Sec-WebSocket-Accept \"" + shown(*accept) +
             "\" does not match our key (expected \"" + expected +
             "\", RFC 6455 section 4.1, item 4); something that is not this WebSocket server answered");
        return;
    }
    // We offer no extension (permessage-deflate would need RSV1 handling), so any is a violation.
    for (const auto &[name, value] : m_headers) {
        if (name == "sec-websocket-extensions" && !value.empty()) {
            fail("the server enabled the extension \"" + shown(value) +
                 "\", which we did not offer (RFC 6455 section 4.1, item 5)");
            return;
        }
    }
    if (headerCount("sec-websocket-protocol") > 1) {
        fail("the server sent Sec-WebSocket-Protocol more than once (RFC 6455 section 11.3.4)");
        return;
    }
    if (const std::string *chosen = header("sec-websocket-protocol"); chosen && !chosen->empty()) {
        if (std::find(m_offered.begin(), m_offered.end(), *chosen) == m_offered.end()) {
            std::string offered;
            for (const std::string &name : m_offered)
                offered += (offered.empty() ? "" : ", ") + name;
            fail("the server chose the subprotocol \"" + shown(*chosen) +
                 "\", which we did not offer (we offered " +
                 (offered.empty() ? std::string("none") : offered) + "; RFC 6455 section 4.1, item 6)");
            return;
        }
        m_subprotocol = *chosen;
    }
    m_status = Status::Done;
}

bool UpgradeResponseParser::fail(std::string text)
{
    m_status = Status::Failed;
    m_error = std::move(text);
    return false;
}

} // namespace kw::stream
