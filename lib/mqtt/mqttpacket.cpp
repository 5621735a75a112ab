#include "mqttpacket.h"

namespace kw::mqtt {

const char *packetTypeName(PacketType type)
{
    switch (type) {
    case PacketType::Connect:
        return "CONNECT";
    case PacketType::Connack:
        return "CONNACK";
    case PacketType::Publish:
        return "PUBLISH";
    case PacketType::Puback:
        return "PUBACK";
    case PacketType::Pubrec:
        return "PUBREC";
    case PacketType::Pubrel:
        return "PUBREL";
    case PacketType::Pubcomp:
        return "PUBCOMP";
    case PacketType::Subscribe:
        return "SUBSCRIBE";
    case PacketType::Suback:
        return "SUBACK";
    case PacketType::Unsubscribe:
        return "UNSUBSCRIBE";
    case PacketType::Unsuback:
        return "UNSUBACK";
    case PacketType::Pingreq:
        return "PINGREQ";
    case PacketType::Pingresp:
        return "PINGRESP";
    case PacketType::Disconnect:
        return "DISCONNECT";
    case PacketType::Auth:
        return "AUTH";
    }
    return "reserved packet type";
}

PacketType packetType(const Packet &packet)
{
    struct Visitor
    {
        PacketType operator()(const Connect &) const { return PacketType::Connect; }
        PacketType operator()(const Connack &) const { return PacketType::Connack; }
        PacketType operator()(const Publish &) const { return PacketType::Publish; }
        PacketType operator()(const PublishAck &ack) const { return ack.type; }
        PacketType operator()(const Subscribe &) const { return PacketType::Subscribe; }
        PacketType operator()(const Unsubscribe &) const { return PacketType::Unsubscribe; }
        PacketType operator()(const SubscribeAck &ack) const { return ack.type; }
        PacketType operator()(const Pingreq &) const { return PacketType::Pingreq; }
        PacketType operator()(const Pingresp &) const { return PacketType::Pingresp; }
        PacketType operator()(const Disconnect &) const { return PacketType::Disconnect; }
        PacketType operator()(const Auth &) const { return PacketType::Auth; }
    };
    return std::visit(Visitor{}, packet);
}

} // namespace kw::mqtt
