#include "mqttcodec.h"
#include "mqttdecode.h"
#include "mqttwire.h"

#include <algorithm>
#include <limits>

namespace kw::mqtt {

using wire::Failure;

Decoder::Decoder(Role role, std::optional<Version> version, std::uint32_t maxPacketSize)
    : m_role(role), m_initialVersion(version), m_version(version), m_maxPacketSize(maxPacketSize)
{}

void Decoder::reset()
{
    m_version = m_initialVersion;
    m_buffer.clear();
    m_header.reset();
    m_connectSeen = false;
    m_error.reset();
}

bool Decoder::fail(std::string message, std::uint8_t reasonCode)
{
    m_error = DecodeError{std::move(message), reasonCode};
    m_buffer.clear();
    m_buffer.shrink_to_fit();
    m_header.reset();
    return false;
}

Decoder::HeaderStatus Decoder::parseHeader(std::string_view bytes, FixedHeader &header)
{
    if (bytes.empty())
        return HeaderStatus::NeedMore;
    const auto first = static_cast<std::uint8_t>(bytes[0]);
    try {
        wire::checkFirstByte(first, m_role, m_version, m_connectSeen);
    } catch (const Failure &failure) {
        fail(failure.message, failure.reasonCode);
        return HeaderStatus::Failed;
    }
    const Version citeVersion = m_version.value_or(Version::V311);
    const std::string packet = packetTypeName(static_cast<PacketType>(first >> 4));
    std::uint32_t value = 0;
    std::size_t i = 1;
    for (;; ++i) {
        if (i >= bytes.size())
            return HeaderStatus::NeedMore;
        const auto b = static_cast<std::uint8_t>(bytes[i]);
        value |= std::uint32_t(b & 0x7F) << (7 * (i - 1));
        if ((b & 0x80) == 0) {
            // 5.0 section 1.5.5 [MQTT-1.5.5-1]: the minimum number of bytes. 3.1.1 section 2.2.3 has
            // no such rule, so a 3.1.1 peer's padded length is read.
            if (i > 1 && b == 0 && m_version == Version::V5) {
                fail(packet + ": remaining length in " + std::to_string(i) +
                         " bytes where fewer suffice (not minimal, [MQTT-1.5.5-1])" +
                         wire::cite(citeVersion, nullptr, "1.5.5"),
                     wire::kMalformedPacket);
                return HeaderStatus::Failed;
            }
            break;
        }
        if (i == 4) {
            fail(packet + ": remaining length longer than 4 bytes" +
                     wire::cite(citeVersion, "2.2.3", "1.5.5"),
                 wire::kMalformedPacket);
            return HeaderStatus::Failed;
        }
    }
    header.first = first;
    header.remainingLength = value;
    header.size = i + 1;
    try {
        wire::checkRemainingLength(first, value, m_version);
    } catch (const Failure &failure) {
        fail(failure.message, failure.reasonCode);
        return HeaderStatus::Failed;
    }
    const std::uint64_t total = std::uint64_t(header.size) + value;
    if (total > m_maxPacketSize) {
        fail(packet + ": packet of " + std::to_string(total) + " bytes is over the maximum packet size of " +
                 std::to_string(m_maxPacketSize) + " bytes" +
                 (citeVersion == Version::V5
                      ? wire::cite(citeVersion, nullptr, m_role == Role::Client ? "3.1.2.11.4" : "3.2.2.3.6")
                      : std::string(" (this decoder's limit; 3.1.1 has no Maximum Packet Size)")),
             wire::kPacketTooLarge);
        return HeaderStatus::Failed;
    }
    return HeaderStatus::Complete;
}

bool Decoder::decodeOne(std::uint8_t header, std::string_view body, const PacketHandler &onPacket)
{
    std::optional<Packet> packet;
    try {
        packet = wire::decodeBody(header, body, m_version.value_or(Version::V311), m_role);
    } catch (const Failure &failure) {
        return fail(failure.message, failure.reasonCode);
    }
    if (const auto *connect = std::get_if<Connect>(&*packet)) {
        m_connectSeen = true;
        m_version = connect->version;
    }
    if (onPacket)
        onPacket(std::move(*packet));
    return true;
}

bool Decoder::feed(std::string_view bytes, const PacketHandler &onPacket)
{
    if (m_error)
        return false;
    if (m_role == Role::Client && !m_version)
        return fail("decoder: a client-side decoder needs the protocol version of the CONNECT it sent",
                    wire::kProtocolError);

    // A packet whose fixed header is complete and whose body has fully arrived.
    const auto completeBuffered = [&]() {
        if (!m_header || m_buffer.size() < m_header->size + m_header->remainingLength)
            return true;
        const FixedHeader header = *m_header;
        std::string packetBytes = std::move(m_buffer);
        m_buffer.clear();
        m_header.reset();
        return decodeOne(header.first, std::string_view(packetBytes).substr(header.size), onPacket);
    };

    while (!bytes.empty() && !m_error) {
        if (!m_header && m_buffer.empty()) {
            // Nothing held: decode straight from the caller's bytes when a whole packet is there.
            FixedHeader header;
            const HeaderStatus status = parseHeader(bytes, header);
            if (status == HeaderStatus::Failed)
                return false;
            if (status == HeaderStatus::NeedMore) {
                m_buffer.assign(bytes); // at most 4 bytes: the first byte and part of the length
                return true;
            }
            if (bytes.size() - header.size >= header.remainingLength) {
                const std::string_view body = bytes.substr(header.size, header.remainingLength);
                bytes.remove_prefix(header.size + header.remainingLength);
                if (!decodeOne(header.first, body, onPacket))
                    return false;
                continue;
            }
            m_header = header;
            m_buffer.assign(bytes.substr(0, header.size));
            bytes.remove_prefix(header.size);
        } else if (!m_header) {
            // A fixed header split across slices: one byte at a time, so nothing past it is taken.
            m_buffer.push_back(bytes.front());
            bytes.remove_prefix(1);
            FixedHeader header;
            const HeaderStatus status = parseHeader(m_buffer, header);
            if (status == HeaderStatus::Failed)
                return false;
            if (status == HeaderStatus::Complete)
                m_header = header;
        } else {
            const std::size_t missing = m_header->size + m_header->remainingLength - m_buffer.size();
            const std::size_t take = std::min(missing, bytes.size());
            m_buffer.append(bytes.substr(0, take));
            bytes.remove_prefix(take);
        }
        if (!completeBuffered())
            return false;
    }
    return !m_error;
}

std::optional<Packet> decodePacket(std::string_view bytes, Role role, std::optional<Version> version,
                                   DecodeError *error)
{
    const auto failed = [&](DecodeError e) -> std::optional<Packet> {
        if (error)
            *error = std::move(e);
        return std::nullopt;
    };
    // The packet's extent from its fixed header, so that trailing bytes are named as such rather
    // than decoded as a second packet. A malformed length is the decoder's to report.
    std::size_t extent = bytes.size();
    std::uint32_t length = 0;
    for (std::size_t i = 1; i < bytes.size() && i <= 4; ++i) {
        const auto b = static_cast<std::uint8_t>(bytes[i]);
        length |= std::uint32_t(b & 0x7F) << (7 * (i - 1));
        if ((b & 0x80) == 0) {
            extent = std::min<std::size_t>(bytes.size(), i + 1 + std::size_t(length));
            break;
        }
    }
    Decoder decoder(role, version, std::numeric_limits<std::uint32_t>::max());
    std::optional<Packet> result;
    decoder.feed(bytes.substr(0, extent), [&](Packet &&packet) { result = std::move(packet); });
    if (decoder.error())
        return failed(*decoder.error());
    if (!result)
        return failed({"incomplete packet: " + std::to_string(bytes.size()) + " bytes" +
                           (decoder.buffered() > 0 ? ", the packet needs more" : ""),
                       wire::kMalformedPacket});
    if (extent < bytes.size())
        return failed({std::to_string(bytes.size() - extent) + " bytes after the " +
                           packetTypeName(packetType(*result)),
                       wire::kMalformedPacket});
    return result;
}

bool isValidMqttUtf8(std::string_view text)
{
    return wire::utf8Problem(text).empty();
}

} // namespace kw::mqtt
