#pragma once

// The codec's building blocks, shared by the encoder, the decoder and the property code: not part of
// the public interface (nothing outside lib/mqtt includes this header).

#include "mqttpacket.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kw::mqtt::wire {

// Why a packet could not be decoded. Thrown inside the decoder only and caught by Decoder, which
// turns it into its sticky DecodeError: it never leaves the library.
struct Failure
{
    std::string message;
    std::uint8_t reasonCode;
};

// The 5.0 reason codes a decoder failure maps to (5.0 section 4.13).
inline constexpr std::uint8_t kMalformedPacket = 0x81;
inline constexpr std::uint8_t kProtocolError = 0x82;
inline constexpr std::uint8_t kUnsupportedProtocolVersion = 0x84;
inline constexpr std::uint8_t kPacketTooLarge = 0x95;

// A field of a packet with the sections of both standards that define it, so that every message can
// point to the paragraph a reader would check.
struct Field
{
    const char *name;
    const char *section311; // nullptr when the field exists in 5.0 only
    const char *section5;
};

// " (3.1.1 section 3.2.1)" or " (5.0 section 3.2.2.1)".
std::string cite(Version version, const char *section311, const char *section5);
inline std::string cite(Version version, const Field &field)
{
    return cite(version, field.section311, field.section5);
}

// Reads the variable header and payload of one packet. Every read names its field, so that a short
// or bad packet gives "SUBACK: packet identifier: needs 2 bytes, 1 left (3.1.1 section 3.9.2)".
class Reader
{
public:
    Reader(std::string_view data, PacketType packet, Version version)
        : m_data(data), m_packet(packet), m_version(version)
    {}

    std::uint8_t byte(const Field &field);
    std::uint16_t twoByteInteger(const Field &field);
    std::uint32_t fourByteInteger(const Field &field);
    std::uint32_t variableByteInteger(const Field &field);
    std::string utf8String(const Field &field);
    std::string binaryData(const Field &field);
    // A length-prefixed block (the property length and the properties after it) as a Reader of its own.
    Reader subReader(std::size_t size, const Field &field);
    std::string rest();

    std::size_t remaining() const { return m_data.size() - m_pos; }
    bool atEnd() const { return m_pos == m_data.size(); }
    PacketType packet() const { return m_packet; }
    Version version() const { return m_version; }

    [[noreturn]] void fail(const Field &field, const std::string &what,
                           std::uint8_t reasonCode = kMalformedPacket) const;
    [[noreturn]] void failPacket(const std::string &what, const char *section311, const char *section5,
                                 std::uint8_t reasonCode = kMalformedPacket) const;

private:
    void need(std::size_t count, const Field &field) const;

    std::string_view m_data;
    std::size_t m_pos = 0;
    PacketType m_packet;
    Version m_version;
};

// Why `text` is not an MQTT UTF-8 string, or empty when it is one (3.1.1 section 1.5.3; 5.0 section
// 1.5.4): "invalid UTF-8 byte 0xc0 at offset 3", "U+0000 at offset 0", "surrogate U+D800 at offset 2".
std::string utf8Problem(std::string_view text);

void putByte(std::uint8_t value, std::string &out);
void putTwoByteInteger(std::uint16_t value, std::string &out);
void putFourByteInteger(std::uint32_t value, std::string &out);
void putVariableByteInteger(std::uint32_t value, std::string &out);
void putUtf8String(std::string_view text, std::string &out);
void putBinaryData(std::string_view data, std::string &out);

std::string hexByte(std::uint8_t value); // "0x2f"

} // namespace kw::mqtt::wire
