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
// DISCONNECT would carry for it: 0x81 malformed packet, 0x82 protocol error, 0x95 packet too large.
struct DecodeError
{
    std::string message; // "CONNACK: remaining length 3, expected 2 (3.1.1 section 3.2.1)"
    std::uint8_t reasonCode = 0x81;
};

// Incremental decoder: feed it the bytes as they arrive, in slices of any size (one byte at a time
// works), and it calls back once per complete packet, in order. Checks, each with a precise
// message: the Variable Byte Integer (at most 4 bytes, minimal in 5.0), the fixed header's reserved
// flags per packet type, every length against the remaining length, UTF-8 strings (well formed, no
// U+0000, no surrogates: 3.1.1 section 1.5.3), property identifiers, duplicates and the packets they
// may appear in, QoS 3, packet id 0 where one is required, and the maximum packet size, which is
// checked from the fixed header before a byte of the body is buffered. The first error is
// sticky: the connection is over (3.1.1 section 4.8).
//
// A server-side decoder learns the version from CONNECT; a client-side one is told it.
class Decoder
{
public:
    using PacketHandler = std::function<void(Packet &&packet)>;

    Decoder(Role role, std::optional<Version> version, std::uint32_t maxPacketSize = kDefaultMaxPacketSize);

    // Decodes every complete packet in `bytes` (with what was buffered before) and calls `onPacket`
    // for each. False once an error happened (now or earlier); error() says what.
    bool feed(std::string_view bytes, const PacketHandler &onPacket);

    const std::optional<DecodeError> &error() const { return m_error; }
    std::optional<Version> version() const { return m_version; }
    void setVersion(Version version) { m_version = version; }
    std::uint32_t maxPacketSize() const { return m_maxPacketSize; }
    void setMaxPacketSize(std::uint32_t size) { m_maxPacketSize = size; }
    // Bytes held for a packet not yet complete.
    std::size_t buffered() const { return m_buffer.size(); }
    void reset();

private:
    bool fail(std::string message, std::uint8_t reasonCode = 0x81);
    bool decodeOne(std::uint8_t header, std::string_view body, const PacketHandler &onPacket);

    Role m_role;
    std::optional<Version> m_version;
    std::uint32_t m_maxPacketSize;
    std::string m_buffer; // the fixed header and body of the packet in progress
    std::optional<DecodeError> m_error;
};

// Decodes one whole packet (fixed header included); nullopt with *error for anything else,
// trailing bytes included.
std::optional<Packet> decodePacket(std::string_view bytes, Role role, std::optional<Version> version,
                                   DecodeError *error = nullptr);

// Appends the Variable Byte Integer (value <= kMaxRemainingLength).
void encodeVariableByteInteger(std::uint32_t value, std::string &out);

// True for well-formed UTF-8 an MQTT string may carry (no U+0000, no surrogates, no overlongs).
bool isValidMqttUtf8(std::string_view text);

} // namespace kw::mqtt
