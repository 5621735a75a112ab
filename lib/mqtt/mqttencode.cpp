// encode(): packets to bytes. The shortest form the standard allows is written (a 5.0 PUBACK with
// reason 0 and no properties is two bytes, 5.0 section 3.4.2.1), so that what the decoder reads
// back compares equal to what was encoded.

#include "mqttcodec.h"
#include "mqttproperties.h"
#include "mqttwire.h"

#include <cassert>
#include <type_traits>

namespace kw::mqtt {

namespace {

using namespace wire;

std::uint8_t firstByte(PacketType type, std::uint8_t flags = 0)
{
    return static_cast<std::uint8_t>((static_cast<int>(type) << 4) | flags);
}

PropertyBlock ackBlock(PacketType type)
{
    switch (type) {
    case PacketType::Pubrec:
        return PropertyBlock::Pubrec;
    case PacketType::Pubrel:
        return PropertyBlock::Pubrel;
    case PacketType::Pubcomp:
        return PropertyBlock::Pubcomp;
    default:
        return PropertyBlock::Puback;
    }
}

void putProperties(const Properties &properties, PropertyBlock block, std::string &out)
{
    assert(propertiesFit(properties, block));
    (void)block;
    writeProperties(properties, out);
}

std::uint8_t encodeConnect(const Connect &c, std::string &body)
{
    const bool v5 = c.version == Version::V5;
    putUtf8String("MQTT", body);
    putByte(static_cast<std::uint8_t>(c.version), body);
    std::uint8_t flags = 0;
    if (c.cleanStart)
        flags |= 0x02;
    if (c.will) {
        assert(c.will->qos <= 2);
        flags |= 0x04 | static_cast<std::uint8_t>(c.will->qos << 3);
        if (c.will->retain)
            flags |= 0x20;
    }
    // 3.1.1 section 3.1.2.9: a password needs a user name [MQTT-3.1.2-22]; 5.0 dropped the rule.
    assert(v5 || !c.password || c.username);
    if (c.password)
        flags |= 0x40;
    if (c.username)
        flags |= 0x80;
    putByte(flags, body);
    putTwoByteInteger(c.keepAlive, body);
    if (v5)
        putProperties(c.properties, PropertyBlock::Connect, body);
    putUtf8String(c.clientId, body);
    if (c.will) {
        if (v5)
            putProperties(c.will->properties, PropertyBlock::Will, body);
        putUtf8String(c.will->topic, body);
        putBinaryData(c.will->payload, body);
    }
    if (c.username)
        putUtf8String(*c.username, body);
    if (c.password)
        putBinaryData(*c.password, body);
    return firstByte(PacketType::Connect);
}

std::uint8_t encodeConnack(const Connack &c, Version version, std::string &body)
{
    putByte(c.sessionPresent ? 1 : 0, body);
    putByte(c.reasonCode, body);
    if (version == Version::V5)
        putProperties(c.properties, PropertyBlock::Connack, body);
    return firstByte(PacketType::Connack);
}

std::uint8_t encodePublish(const Publish &p, Version version, std::string &body)
{
    assert(p.qos <= 2);
    assert(p.qos > 0 ? p.packetId != 0 : p.packetId == 0);
    putUtf8String(p.topic, body);
    if (p.qos > 0)
        putTwoByteInteger(p.packetId, body);
    if (version == Version::V5)
        putProperties(p.properties, PropertyBlock::Publish, body);
    body += p.payload;
    const auto flags = static_cast<std::uint8_t>((p.dup ? 0x08 : 0) | (p.qos << 1) | (p.retain ? 0x01 : 0));
    return firstByte(PacketType::Publish, flags);
}

std::uint8_t encodePublishAck(const PublishAck &a, Version version, std::string &body)
{
    assert(a.type == PacketType::Puback || a.type == PacketType::Pubrec || a.type == PacketType::Pubrel ||
           a.type == PacketType::Pubcomp);
    assert(a.packetId != 0);
    putTwoByteInteger(a.packetId, body);
    if (version == Version::V5 && (a.reasonCode != 0 || !a.properties.empty())) {
        putByte(a.reasonCode, body);
        if (!a.properties.empty())
            putProperties(a.properties, ackBlock(a.type), body);
    }
    // 3.1.1 section 3.6.1 / 5.0 section 3.6.1: PUBREL's fixed header flags are 0010.
    return firstByte(a.type, a.type == PacketType::Pubrel ? 0x02 : 0);
}

std::uint8_t encodeSubscribe(const Subscribe &s, Version version, std::string &body)
{
    assert(s.packetId != 0 && !s.subscriptions.empty());
    putTwoByteInteger(s.packetId, body);
    if (version == Version::V5)
        putProperties(s.properties, PropertyBlock::Subscribe, body);
    for (const Subscription &sub : s.subscriptions) {
        assert(sub.qos <= 2 && sub.retainHandling <= 2);
        putUtf8String(sub.filter, body);
        std::uint8_t options = sub.qos;
        if (version == Version::V5) {
            if (sub.noLocal)
                options |= 0x04;
            if (sub.retainAsPublished)
                options |= 0x08;
            options |= static_cast<std::uint8_t>(sub.retainHandling << 4);
        }
        putByte(options, body);
    }
    return firstByte(PacketType::Subscribe, 0x02);
}

std::uint8_t encodeUnsubscribe(const Unsubscribe &u, Version version, std::string &body)
{
    assert(u.packetId != 0 && !u.filters.empty());
    putTwoByteInteger(u.packetId, body);
    if (version == Version::V5)
        putProperties(u.properties, PropertyBlock::Unsubscribe, body);
    for (const std::string &filter : u.filters)
        putUtf8String(filter, body);
    return firstByte(PacketType::Unsubscribe, 0x02);
}

std::uint8_t encodeSubscribeAck(const SubscribeAck &a, Version version, std::string &body)
{
    assert(a.type == PacketType::Suback || a.type == PacketType::Unsuback);
    assert(a.packetId != 0);
    putTwoByteInteger(a.packetId, body);
    // 3.1.1 section 3.11: UNSUBACK is the packet identifier alone.
    if (version == Version::V311 && a.type == PacketType::Unsuback)
        return firstByte(a.type);
    assert(!a.reasonCodes.empty());
    if (version == Version::V5)
        putProperties(a.properties,
                      a.type == PacketType::Suback ? PropertyBlock::Suback : PropertyBlock::Unsuback, body);
    for (const std::uint8_t code : a.reasonCodes)
        putByte(code, body);
    return firstByte(a.type);
}

std::uint8_t encodeDisconnect(const Disconnect &d, Version version, std::string &body)
{
    // 5.0 section 3.14.2.1: reason and property length may be left out when the reason is 0 and there
    // are no properties.
    if (version == Version::V5 && (d.reasonCode != 0 || !d.properties.empty())) {
        putByte(d.reasonCode, body);
        if (!d.properties.empty())
            putProperties(d.properties, PropertyBlock::Disconnect, body);
    }
    return firstByte(PacketType::Disconnect);
}

std::uint8_t encodeAuth(const Auth &a, Version version, std::string &body)
{
    assert(version == Version::V5); // AUTH is reserved in 3.1.1 (section 2.2.1)
    (void)version;
    // 5.0 section 3.15.2.1: both left out only together.
    if (a.reasonCode != 0 || !a.properties.empty()) {
        putByte(a.reasonCode, body);
        putProperties(a.properties, PropertyBlock::Auth, body);
    }
    return firstByte(PacketType::Auth);
}

} // namespace

void encode(const Packet &packet, Version version, std::string &out)
{
    std::string body;
    const std::uint8_t header = std::visit(
        [&](const auto &p) -> std::uint8_t {
            using T = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<T, Connect>)
                return encodeConnect(p, body);
            else if constexpr (std::is_same_v<T, Connack>)
                return encodeConnack(p, version, body);
            else if constexpr (std::is_same_v<T, Publish>)
                return encodePublish(p, version, body);
            else if constexpr (std::is_same_v<T, PublishAck>)
                return encodePublishAck(p, version, body);
            else if constexpr (std::is_same_v<T, Subscribe>)
                return encodeSubscribe(p, version, body);
            else if constexpr (std::is_same_v<T, Unsubscribe>)
                return encodeUnsubscribe(p, version, body);
            else if constexpr (std::is_same_v<T, SubscribeAck>)
                return encodeSubscribeAck(p, version, body);
            else if constexpr (std::is_same_v<T, Pingreq>)
                return firstByte(PacketType::Pingreq);
            else if constexpr (std::is_same_v<T, Pingresp>)
                return firstByte(PacketType::Pingresp);
            else if constexpr (std::is_same_v<T, Disconnect>)
                return encodeDisconnect(p, version, body);
            else
                return encodeAuth(p, version, body);
        },
        packet);
    assert(body.size() <= kMaxRemainingLength);
    out.push_back(static_cast<char>(header));
    putVariableByteInteger(static_cast<std::uint32_t>(body.size()), out);
    out += body;
}

std::string encode(const Packet &packet, Version version)
{
    std::string out;
    encode(packet, version, out);
    return out;
}

void encodeVariableByteInteger(std::uint32_t value, std::string &out)
{
    putVariableByteInteger(value, out);
}

} // namespace kw::mqtt
