#include "mqttwire.h"

#include <cassert>
#include <limits>

namespace kw::mqtt::wire {

std::string cite(Version version, const char *section311, const char *section5)
{
    if (version == Version::V311 && section311)
        return std::string(" (3.1.1 section ") + section311 + ')';
    return std::string(" (5.0 section ") + section5 + ')';
}

std::string hexByte(std::uint8_t value)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    return std::string("0x") + kDigits[value >> 4] + kDigits[value & 0xF];
}

void Reader::fail(const Field &field, const std::string &what, std::uint8_t reasonCode) const
{
    throw Failure{std::string(packetTypeName(m_packet)) + ": " + field.name + ": " + what +
                      cite(m_version, field),
                  reasonCode};
}

void Reader::failPacket(const std::string &what, const char *section311, const char *section5,
                        std::uint8_t reasonCode) const
{
    throw Failure{std::string(packetTypeName(m_packet)) + ": " + what + cite(m_version, section311, section5),
                  reasonCode};
}

void Reader::need(std::size_t count, const Field &field) const
{
    if (remaining() < count)
        fail(field, "needs " + std::to_string(count) + (count == 1 ? " byte, " : " bytes, ") +
                        std::to_string(remaining()) + " left in the remaining length");
}

std::uint8_t Reader::byte(const Field &field)
{
    need(1, field);
    return static_cast<std::uint8_t>(m_data[m_pos++]);
}

std::uint16_t Reader::twoByteInteger(const Field &field)
{
    need(2, field);
    const auto high = static_cast<std::uint8_t>(m_data[m_pos]);
    const auto low = static_cast<std::uint8_t>(m_data[m_pos + 1]);
    m_pos += 2;
    return static_cast<std::uint16_t>((high << 8) | low);
}

std::uint32_t Reader::fourByteInteger(const Field &field)
{
    need(4, field);
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i)
        value = (value << 8) | static_cast<std::uint8_t>(m_data[m_pos++]);
    return value;
}

std::uint32_t Reader::variableByteInteger(const Field &field)
{
    // 5.0 section 1.5.5: at most four bytes; "the encoded value MUST use the minimum number of bytes
    // necessary" [MQTT-1.5.5-1]. A fifth byte, or a last byte of 0 after the first (0x80 0x00 for 0),
    // is malformed.
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
        if (atEnd())
            fail(field, "Variable Byte Integer cut short after " + std::to_string(i) +
                            (i == 1 ? " byte" : " bytes"));
        const auto b = static_cast<std::uint8_t>(m_data[m_pos++]);
        value |= std::uint32_t(b & 0x7F) << (7 * i);
        if ((b & 0x80) == 0) {
            if (i > 0 && b == 0)
                fail(field, "Variable Byte Integer in " + std::to_string(i + 1) +
                                " bytes where fewer suffice (not minimal, [MQTT-1.5.5-1])");
            return value;
        }
    }
    fail(field, "Variable Byte Integer longer than 4 bytes");
}

std::string Reader::utf8String(const Field &field)
{
    const std::uint16_t length = twoByteInteger(field);
    if (remaining() < length)
        fail(field, "string of " + std::to_string(length) + " bytes, " + std::to_string(remaining()) +
                        " left in the remaining length");
    std::string text(m_data.substr(m_pos, length));
    m_pos += length;
    if (const std::string problem = utf8Problem(text); !problem.empty())
        throw Failure{std::string(packetTypeName(m_packet)) + ": " + field.name +
                          ": not a valid MQTT UTF-8 string, " + problem + cite(m_version, "1.5.3", "1.5.4"),
                      kMalformedPacket};
    return text;
}

std::string Reader::binaryData(const Field &field)
{
    const std::uint16_t length = twoByteInteger(field);
    if (remaining() < length)
        fail(field, "data of " + std::to_string(length) + " bytes, " + std::to_string(remaining()) +
                        " left in the remaining length");
    std::string data(m_data.substr(m_pos, length));
    m_pos += length;
    return data;
}

Reader Reader::subReader(std::size_t size, const Field &field)
{
    if (remaining() < size)
        fail(field, "length " + std::to_string(size) + ", " + std::to_string(remaining()) +
                        " left in the remaining length");
    Reader sub(m_data.substr(m_pos, size), m_packet, m_version);
    m_pos += size;
    return sub;
}

std::string Reader::rest()
{
    std::string data(m_data.substr(m_pos));
    m_pos = m_data.size();
    return data;
}

std::string utf8Problem(std::string_view text)
{
    const auto at = [](std::size_t offset) { return " at offset " + std::to_string(offset); };
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<std::uint8_t>(text[i]);
        if (lead < 0x80) {
            if (lead == 0)
                return "U+0000" + at(i);
            ++i;
            continue;
        }
        std::size_t length = 0;
        std::uint32_t code = 0;
        std::uint32_t minimum = 0;
        if ((lead & 0xE0) == 0xC0) {
            length = 2;
            code = lead & 0x1F;
            minimum = 0x80;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3;
            code = lead & 0x0F;
            minimum = 0x800;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4;
            code = lead & 0x07;
            minimum = 0x10000;
        } else {
            return "invalid UTF-8 byte " + hexByte(lead) + at(i);
        }
        if (text.size() - i < length)
            return "UTF-8 sequence cut short" + at(i);
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<std::uint8_t>(text[i + k]);
            if ((next & 0xC0) != 0x80)
                return "invalid UTF-8 byte " + hexByte(next) + at(i + k);
            code = (code << 6) | (next & 0x3F);
        }
        if (code < minimum)
            return "overlong UTF-8 sequence" + at(i);
        if (code >= 0xD800 && code <= 0xDFFF)
            return "surrogate code point" + at(i);
        if (code > 0x10FFFF)
            return "code point above U+10FFFF" + at(i);
        i += length;
    }
    return {};
}

void putByte(std::uint8_t value, std::string &out)
{
    out.push_back(static_cast<char>(value));
}

void putTwoByteInteger(std::uint16_t value, std::string &out)
{
    out.push_back(static_cast<char>(value >> 8));
    out.push_back(static_cast<char>(value & 0xFF));
}

void putFourByteInteger(std::uint32_t value, std::string &out)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((value >> shift) & 0xFF));
}

void putVariableByteInteger(std::uint32_t value, std::string &out)
{
    assert(value <= 268'435'455);
    do {
        std::uint8_t b = value & 0x7F;
        value >>= 7;
        if (value > 0)
            b |= 0x80;
        out.push_back(static_cast<char>(b));
    } while (value > 0);
}

void putUtf8String(std::string_view text, std::string &out)
{
    assert(text.size() <= std::numeric_limits<std::uint16_t>::max());
    putTwoByteInteger(static_cast<std::uint16_t>(text.size()), out);
    out.append(text);
}

void putBinaryData(std::string_view data, std::string &out)
{
    putUtf8String(data, out);
}

} // namespace kw::mqtt::wire
