#pragma once

#include "mqttpacket.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace kw::mqtt {

// The largest Remaining Length the Variable Byte Integer can carry (3.1.1 section 2.2.3; 5.0
// section 1.5.5): 268,435,455.
inline constexpr std::uint32_t kMaxRemainingLength = 268'435'455;
// What a decoder accepts unless told otherwise: heartbeats and control packets are small, and a
// peer that declares more is not allowed to make us allocate it.
inline constexpr std::uint32_t kDefaultMaxPacketSize = 1024 * 1024;

// Appends the packet's bytes to `out`. `version` decides the wire shape of every packet but
// CONNECT, which carries its own. The packet must be valid for the version (a caller's bug
// otherwise: checked by assertions, never by the peer). Properties are written for 5.0 only.
void encode(const Packet &packet, Version version, std::string &out);
std::string encode(const Packet &packet, Version version);

// Which side of the connection reads: a client receives what servers send (CONNACK, PUBLISH, the
// publish acks, SUBACK, UNSUBACK, PINGRESP, DISCONNECT, AUTH) and a server what clients send
// (CONNECT, PUBLISH, the publish acks, SUBSCRIBE, UNSUBSCRIBE, PINGREQ, DISCONNECT, AUTH). A packet
// the other side may not send is a protocol error.
enum class Role {
    Client,
    Server,
};

// Why the decoder stopped: the standard's words where it has them. `reasonCode` is what a 5.0
// DISCONNECT (or, for a bad CONNECT, the CONNACK) would carry for it: 0x81 malformed packet, 0x82
// protocol error, 0x84 unsupported protocol version (a CONNECT with another protocol name or level),
// 0x8F topic filter invalid, 0x90 topic name invalid, 0x95 packet too large.
struct DecodeError
{
    std::string message; // "CONNACK: remaining length 3, expected 2 (3.1.1 section 3.2.1)"
    std::uint8_t reasonCode = 0x81;
    bool operator==(const DecodeError &) const = default;
};

// Incremental decoder: feed it the bytes as they arrive, in slices of any size (one byte at a time
// works), and it calls back once per complete packet, in order. Checks, each with a precise
// message: the Variable Byte Integer (at most 4 bytes; minimal in 5.0, whose section 1.5.5 requires
// it, while 3.1.1 states no such rule and is read leniently), the fixed header's reserved flags per
// packet type, every length against the remaining length, UTF-8 strings (well formed, no U+0000, no
// surrogates, no overlongs: 3.1.1 section 1.5.3), property identifiers, duplicates and the packets
// they may appear in, QoS 3, packet id 0 where one is required, the direction (a packet the other
// side may not send), and the maximum packet size, which is checked from the fixed header before a
// byte of the body is buffered. The first error is sticky: the connection is over (3.1.1 section
// 4.8). Reason codes are passed through as they came: naming an unknown one is mqttreasons.h's job.
//
// A server-side decoder learns the version from CONNECT, which may come only once and, when the
// decoder was given no version, must come first; a client-side one is told it (feed() fails
// without one). The remaining length of a server's first
// CONNECT is read by 3.1.1's lenient rule, since the version is not known yet.
class Decoder
{
public:
    using PacketHandler = std::function<void(Packet &&packet)>;

    Decoder(Role role, std::optional<Version> version, std::uint32_t maxPacketSize = kDefaultMaxPacketSize);

    // Decodes every complete packet in `bytes` (with what was buffered before) and calls `onPacket`
    // for each. False once an error happened (now or earlier); error() says what.
    bool feed(std::string_view bytes, const PacketHandler &onPacket);

    const std::optional<DecodeError> &error() const { return m_error; }
    Role role() const { return m_role; }
    std::optional<Version> version() const { return m_version; }
    void setVersion(Version version) { m_version = version; }
    // The limit on a whole packet, fixed header included (as 5.0's Maximum Packet Size counts it,
    // section 3.1.2.11.4). Changing it applies from the next packet on.
    std::uint32_t maxPacketSize() const { return m_maxPacketSize; }
    void setMaxPacketSize(std::uint32_t size) { m_maxPacketSize = size; }
    // Bytes held for a packet not yet complete.
    std::size_t buffered() const { return m_buffer.size(); }
    // Back to the state of a new connection: nothing buffered, no error, the version given to the
    // constructor (a server forgets what CONNECT told it).
    void reset();

private:
    enum class HeaderStatus { NeedMore, Complete, Failed };
    struct FixedHeader
    {
        std::uint8_t first = 0;
        std::uint32_t remainingLength = 0;
        std::size_t size = 0; // the first byte and the remaining length's 1 to 4 bytes
    };

    bool fail(std::string message, std::uint8_t reasonCode = 0x81);
    HeaderStatus parseHeader(std::string_view bytes, FixedHeader &header);
    bool decodeOne(std::uint8_t header, std::string_view body, const PacketHandler &onPacket);

    Role m_role;
    std::optional<Version> m_initialVersion;
    std::optional<Version> m_version;
    std::uint32_t m_maxPacketSize;
    std::string m_buffer;                // the fixed header and body of the packet in progress
    std::optional<FixedHeader> m_header; // once the packet in progress has a complete fixed header
    bool m_connectSeen = false;
    std::optional<DecodeError> m_error;
};

// Decodes one whole packet (fixed header included), with no limit on its size; nullopt with *error
// for anything else, an incomplete packet and trailing bytes included. A server-side call without a
// version accepts only CONNECT.
std::optional<Packet> decodePacket(std::string_view bytes, Role role, std::optional<Version> version,
                                   DecodeError *error = nullptr);

// Appends the Variable Byte Integer (value <= kMaxRemainingLength).
void encodeVariableByteInteger(std::uint32_t value, std::string &out);

// True for well-formed UTF-8 an MQTT string may carry (no U+0000, no surrogates, no overlongs, nothing
// above U+10FFFF). The control characters and non-characters 3.1.1 section 1.5.3 says a sender
// SHOULD NOT use are accepted: a receiver MAY refuse them, and a monitor should not.
bool isValidMqttUtf8(std::string_view text);

} // namespace kw::mqtt
