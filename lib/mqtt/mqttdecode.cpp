#include "mqttdecode.h"
#include "mqttproperties.h"
#include "mqtttopic.h"
#include "mqttwire.h"

namespace kw::mqtt::wire {

namespace {

PacketType typeOf(std::uint8_t first)
{
    return static_cast<PacketType>(first >> 4);
}

// Where a packet's own sections start: "3.4" for PUBACK ...
const char *chapter(PacketType type)
{
    switch (type) {
    case PacketType::Connect:
        return "3.1";
    case PacketType::Connack:
        return "3.2";
    case PacketType::Publish:
        return "3.3";
    case PacketType::Puback:
        return "3.4";
    case PacketType::Pubrec:
        return "3.5";
    case PacketType::Pubrel:
        return "3.6";
    case PacketType::Pubcomp:
        return "3.7";
    case PacketType::Subscribe:
        return "3.8";
    case PacketType::Suback:
        return "3.9";
    case PacketType::Unsubscribe:
        return "3.10";
    case PacketType::Unsuback:
        return "3.11";
    case PacketType::Pingreq:
        return "3.12";
    case PacketType::Pingresp:
        return "3.13";
    case PacketType::Disconnect:
        return "3.14";
    case PacketType::Auth:
        return "3.15";
    }
    return "2.1.2";
}

// Section strings built once per type: "3.4.1", "3.4.2", "3.4.2.1", ...
struct Sections
{
    std::string fixedHeader;    // x.1
    std::string variableHeader; // x.2
    std::string reasonCode;     // x.2.1 (5.0 acks)
    std::string payload;        // x.3
};

Sections sectionsOf(PacketType type)
{
    const std::string base = chapter(type);
    return {base + ".1", base + ".2", base + ".2.1", base + ".3"};
}

[[noreturn]] void failHeader(PacketType type, std::optional<Version> version, const std::string &what,
                             const char *section311, const char *section5, std::uint8_t reasonCode)
{
    throw Failure{std::string(packetTypeName(type)) + ": " + what +
                      cite(version.value_or(Version::V311), section311, section5),
                  reasonCode};
}

bool clientMaySend(PacketType type)
{
    switch (type) {
    case PacketType::Connect:
    case PacketType::Publish:
    case PacketType::Puback:
    case PacketType::Pubrec:
    case PacketType::Pubrel:
    case PacketType::Pubcomp:
    case PacketType::Subscribe:
    case PacketType::Unsubscribe:
    case PacketType::Pingreq:
    case PacketType::Disconnect:
    case PacketType::Auth:
        return true;
    default:
        return false;
    }
}

bool serverMaySend(PacketType type, Version version)
{
    switch (type) {
    case PacketType::Connack:
    case PacketType::Publish:
    case PacketType::Puback:
    case PacketType::Pubrec:
    case PacketType::Pubrel:
    case PacketType::Pubcomp:
    case PacketType::Suback:
    case PacketType::Unsuback:
    case PacketType::Pingresp:
    case PacketType::Auth:
        return true;
    case PacketType::Disconnect:
        // 3.1.1 section 3.14: DISCONNECT is "sent from the Client to the Server" only.
        return version == Version::V5;
    default:
        return false;
    }
}

void expectEnd(const Reader &r, const Sections &s)
{
    if (!r.atEnd())
        r.failPacket(std::to_string(r.remaining()) + (r.remaining() == 1 ? " byte" : " bytes") +
                         " after the last field, within the remaining length",
                     s.payload.c_str(), s.payload.c_str());
}

std::uint16_t nonZeroPacketId(Reader &r, const Sections &s)
{
    const Field field{"packet identifier", s.variableHeader.c_str(), s.variableHeader.c_str()};
    const std::uint16_t id = r.twoByteInteger(field);
    // 3.1.1 section 2.3.1 [MQTT-2.3.1-1]; 5.0 section 2.2.1 [MQTT-2.2.1-3].
    if (id == 0)
        r.fail(Field{"packet identifier", "2.3.1", "2.2.1"}, "0, where a non-zero identifier is required",
               kProtocolError);
    return id;
}

// A topic name in PUBLISH or in a will: 3.1.1 section 4.7.3 (at least one character), 3.3.2.1 (no
// wildcards). 5.0 allows an empty PUBLISH topic with a Topic Alias; the caller checks that.
void checkTopicName(const Reader &r, const Field &field, const std::string &topic, bool emptyAllowed)
{
    if (topic.empty() && emptyAllowed)
        return;
    if (const std::string problem = validateTopicName(topic); !problem.empty())
        r.fail(field, "\"" + topic + "\": " + problem,
               0x90); // 0x90 Topic Name invalid (5.0 section 3.14.2.1)
}

Connect decodeConnect(std::string_view body)
{
    Reader head(body, PacketType::Connect, Version::V311);
    const std::string name = head.utf8String(Field{"protocol name", "3.1.2.1", "3.1.2.1"});
    const std::uint8_t level = head.byte(Field{"protocol level", "3.1.2.2", "3.1.2.2"});
    if (name == "MQIsdp")
        head.fail(Field{"protocol name", "3.1.2.1", "3.1.2.1"},
                  "\"MQIsdp\" (MQTT 3.1); only 3.1.1 and 5.0 are supported", kUnsupportedProtocolVersion);
    if (name != "MQTT")
        head.fail(Field{"protocol name", "3.1.2.1", "3.1.2.1"}, "\"" + name + "\", expected \"MQTT\"",
                  kUnsupportedProtocolVersion);
    if (level != 4 && level != 5)
        head.fail(Field{"protocol level", "3.1.2.2", "3.1.2.2"},
                  std::to_string(level) + ", expected 4 (3.1.1) or 5 (5.0)", kUnsupportedProtocolVersion);

    Connect c;
    c.version = static_cast<Version>(level);
    const bool v5 = c.version == Version::V5;
    Reader r(body.substr(body.size() - head.remaining()), PacketType::Connect, c.version);
    const Field flagsField{"connect flags", "3.1.2.3", "3.1.2.3"};
    const std::uint8_t flags = r.byte(flagsField);
    if (flags & 0x01)
        r.fail(flagsField, "reserved bit 0 set ([MQTT-3.1.2-3])");
    c.cleanStart = flags & 0x02;
    const bool willFlag = flags & 0x04;
    const auto willQos = static_cast<std::uint8_t>((flags >> 3) & 0x03);
    const bool willRetain = flags & 0x20;
    const bool passwordFlag = flags & 0x40;
    const bool usernameFlag = flags & 0x80;
    if (willQos == 3)
        r.fail(Field{"connect flags", "3.1.2.6", "3.1.2.6"}, "Will QoS 3 ([MQTT-3.1.2-14])");
    if (!willFlag && willQos != 0)
        r.fail(Field{"connect flags", "3.1.2.6", "3.1.2.6"},
               "Will QoS " + std::to_string(willQos) + " without the Will Flag ([MQTT-3.1.2-13])");
    if (!willFlag && willRetain)
        r.fail(Field{"connect flags", "3.1.2.7", "3.1.2.7"},
               "Will Retain without the Will Flag ([MQTT-3.1.2-15])");
    if (!v5 && passwordFlag && !usernameFlag)
        r.fail(Field{"connect flags", "3.1.2.9", "3.1.2.9"},
               "Password Flag without the User Name Flag ([MQTT-3.1.2-22])");
    c.keepAlive = r.twoByteInteger(Field{"keep alive", "3.1.2.10", "3.1.2.10"});
    if (v5) {
        c.properties = readProperties(r, PropertyBlock::Connect);
        if (c.properties.authenticationData && !c.properties.authenticationMethod)
            r.fail(Field{"properties", nullptr, "3.1.2.11.10"},
                   "Authentication Data without an Authentication Method, a protocol error", kProtocolError);
    }
    c.clientId = r.utf8String(Field{"client identifier", "3.1.3.1", "3.1.3.1"});
    if (willFlag) {
        Will will;
        will.qos = willQos;
        will.retain = willRetain;
        if (v5)
            will.properties = readProperties(r, PropertyBlock::Will);
        const Field topicField{"will topic", "3.1.3.2", "3.1.3.3"};
        will.topic = r.utf8String(topicField);
        checkTopicName(r, topicField, will.topic, false);
        will.payload = r.binaryData(Field{v5 ? "will payload" : "will message", "3.1.3.3", "3.1.3.4"});
        c.will = std::move(will);
    }
    if (usernameFlag)
        c.username = r.utf8String(Field{"user name", "3.1.3.4", "3.1.3.5"});
    if (passwordFlag)
        c.password = r.binaryData(Field{"password", "3.1.3.5", "3.1.3.6"});
    expectEnd(r, sectionsOf(PacketType::Connect));
    return c;
}

Connack decodeConnack(std::string_view body, Version version)
{
    Reader r(body, PacketType::Connack, version);
    const bool v5 = version == Version::V5;
    const Field flagsField{"connect acknowledge flags", "3.2.2.1", "3.2.2.1"};
    const std::uint8_t flags = r.byte(flagsField);
    if (flags & 0xFE)
        r.fail(flagsField, "reserved bits set in " + hexByte(flags) + " (bits 7-1 must be 0)");
    Connack c;
    c.sessionPresent = flags & 0x01;
    c.reasonCode =
        r.byte(v5 ? Field{"reason code", nullptr, "3.2.2.2"} : Field{"return code", "3.2.2.3", nullptr});
    // 3.1.1 [MQTT-3.2.2-4], 5.0 [MQTT-3.2.2-6]: a refusal carries Session Present 0.
    if (c.sessionPresent && c.reasonCode != 0)
        r.fail(Field{"session present", "3.2.2.2", "3.2.2.1.1"},
               "set on a refusal (code " + hexByte(c.reasonCode) + "), a protocol error", kProtocolError);
    if (v5)
        c.properties = readProperties(r, PropertyBlock::Connack);
    expectEnd(r, sectionsOf(PacketType::Connack));
    return c;
}

Publish decodePublish(std::uint8_t first, std::string_view body, Version version, Role role)
{
    Reader r(body, PacketType::Publish, version);
    const bool v5 = version == Version::V5;
    Publish p;
    p.dup = first & 0x08;
    p.qos = static_cast<std::uint8_t>((first >> 1) & 0x03);
    p.retain = first & 0x01;
    const Field topicField{"topic name", "3.3.2.1", "3.3.2.1"};
    p.topic = r.utf8String(topicField);
    checkTopicName(r, topicField, p.topic, v5);
    const Sections s = sectionsOf(PacketType::Publish);
    if (p.qos > 0)
        p.packetId = nonZeroPacketId(r, s);
    if (v5) {
        p.properties = readProperties(r, PropertyBlock::Publish);
        if (p.topic.empty() && !p.properties.topicAlias)
            r.fail(topicField, "empty without a Topic Alias, a protocol error", kProtocolError);
        // 5.0 section 3.3.4 [MQTT-3.3.4-6]: only a server adds Subscription Identifiers.
        if (role == Role::Server && !p.properties.subscriptionIdentifiers.empty())
            r.fail(Field{"properties", nullptr, "3.3.4"},
                   "Subscription Identifier in a PUBLISH from a client, a protocol error", kProtocolError);
    }
    p.payload = r.rest();
    return p;
}

PublishAck decodePublishAck(PacketType type, std::string_view body, Version version)
{
    Reader r(body, type, version);
    const Sections s = sectionsOf(type);
    PublishAck a;
    a.type = type;
    a.packetId = nonZeroPacketId(r, s);
    if (version == Version::V5) {
        // 5.0 section 3.4.2.1: remaining length 2 means reason 0 and no properties; 3 means no properties.
        if (!r.atEnd())
            a.reasonCode = r.byte(Field{"reason code", nullptr, s.reasonCode.c_str()});
        if (!r.atEnd()) {
            const PropertyBlock block = type == PacketType::Puback   ? PropertyBlock::Puback
                                        : type == PacketType::Pubrec ? PropertyBlock::Pubrec
                                        : type == PacketType::Pubrel ? PropertyBlock::Pubrel
                                                                     : PropertyBlock::Pubcomp;
            a.properties = readProperties(r, block);
        }
    }
    expectEnd(r, s);
    return a;
}

Subscribe decodeSubscribe(std::string_view body, Version version)
{
    Reader r(body, PacketType::Subscribe, version);
    const bool v5 = version == Version::V5;
    const Sections s = sectionsOf(PacketType::Subscribe);
    Subscribe sub;
    sub.packetId = nonZeroPacketId(r, s);
    if (v5)
        sub.properties = readProperties(r, PropertyBlock::Subscribe);
    const Field filterField{"topic filter", "3.8.3", "3.8.3"};
    const Field optionsField{v5 ? "subscription options" : "requested QoS", "3.8.3", "3.8.3.1"};
    while (!r.atEnd()) {
        Subscription entry;
        entry.filter = r.utf8String(filterField);
        if (const std::string problem = validateTopicFilter(entry.filter); !problem.empty())
            r.fail(filterField, "\"" + entry.filter + "\": " + problem, 0x8F); // 0x8F Topic Filter invalid
        const std::uint8_t options = r.byte(optionsField);
        entry.qos = options & 0x03;
        if (entry.qos == 3)
            r.fail(optionsField, "QoS 3");
        if (!v5) {
            if (options & 0xFC)
                r.fail(optionsField, "reserved bits set in " + hexByte(options) + " ([MQTT-3-8.3-4])");
        } else {
            if (options & 0xC0)
                r.fail(optionsField, "reserved bits 7-6 set in " + hexByte(options) + " ([MQTT-3.8.3-5])");
            entry.noLocal = options & 0x04;
            entry.retainAsPublished = options & 0x08;
            entry.retainHandling = static_cast<std::uint8_t>((options >> 4) & 0x03);
            if (entry.retainHandling == 3)
                r.fail(optionsField, "Retain Handling 3, a protocol error", kProtocolError);
            if (entry.noLocal && entry.filter.starts_with("$share/"))
                r.fail(optionsField,
                       "No Local on the shared subscription \"" + entry.filter +
                           "\", a protocol error ([MQTT-3.8.3-4])",
                       kProtocolError);
        }
        sub.subscriptions.push_back(std::move(entry));
    }
    if (sub.subscriptions.empty())
        r.failPacket("no topic filter; at least one is required ([MQTT-3.8.3-3])", "3.8.3", "3.8.3",
                     kProtocolError);
    return sub;
}

Unsubscribe decodeUnsubscribe(std::string_view body, Version version)
{
    Reader r(body, PacketType::Unsubscribe, version);
    const Sections s = sectionsOf(PacketType::Unsubscribe);
    Unsubscribe u;
    u.packetId = nonZeroPacketId(r, s);
    if (version == Version::V5)
        u.properties = readProperties(r, PropertyBlock::Unsubscribe);
    const Field filterField{"topic filter", "3.10.3", "3.10.3"};
    while (!r.atEnd()) {
        std::string filter = r.utf8String(filterField);
        if (const std::string problem = validateTopicFilter(filter); !problem.empty())
            r.fail(filterField, "\"" + filter + "\": " + problem, 0x8F);
        u.filters.push_back(std::move(filter));
    }
    if (u.filters.empty())
        r.failPacket("no topic filter; at least one is required ([MQTT-3.10.3-2])", "3.10.3", "3.10.3",
                     kProtocolError);
    return u;
}

SubscribeAck decodeSubscribeAck(PacketType type, std::string_view body, Version version)
{
    Reader r(body, type, version);
    const Sections s = sectionsOf(type);
    SubscribeAck a;
    a.type = type;
    a.packetId = nonZeroPacketId(r, s);
    if (version == Version::V311 && type == PacketType::Unsuback) {
        expectEnd(r, s);
        return a;
    }
    if (version == Version::V5)
        a.properties =
            readProperties(r, type == PacketType::Suback ? PropertyBlock::Suback : PropertyBlock::Unsuback);
    const std::string codes = r.rest();
    if (codes.empty())
        r.failPacket(std::string("no ") + (version == Version::V5 ? "reason" : "return") +
                         " code; one per topic filter is required",
                     s.payload.c_str(), s.payload.c_str(), kProtocolError);
    for (const char code : codes) {
        const auto value = static_cast<std::uint8_t>(code);
        // 3.1.1 section 3.9.3 [MQTT-3.9.3-2]: 0x00, 0x01, 0x02 and 0x80 only.
        if (version == Version::V311 && value > 2 && value != 0x80)
            r.fail(Field{"return code", "3.9.3", nullptr}, hexByte(value) + " is reserved ([MQTT-3.9.3-2])");
        a.reasonCodes.push_back(value);
    }
    return a;
}

Disconnect decodeDisconnect(std::string_view body, Version version, Role role)
{
    Reader r(body, PacketType::Disconnect, version);
    Disconnect d;
    if (version == Version::V5) {
        // 5.0 section 3.14.2.1 and 3.14.2.2.1: remaining length 0 is reason 0, 1 is no properties.
        if (!r.atEnd())
            d.reasonCode = r.byte(Field{"reason code", nullptr, "3.14.2.1"});
        if (!r.atEnd())
            d.properties = readProperties(r, PropertyBlock::Disconnect);
        if (role == Role::Client && d.properties.sessionExpiryInterval)
            r.fail(Field{"properties", nullptr, "3.14.2.2.2"},
                   "Session Expiry Interval from a server, a protocol error ([MQTT-3.14.2-2])",
                   kProtocolError);
    }
    expectEnd(r, sectionsOf(PacketType::Disconnect));
    return d;
}

Auth decodeAuth(std::string_view body)
{
    Reader r(body, PacketType::Auth, Version::V5);
    Auth a;
    // 5.0 section 3.15.2.1: reason and property length are left out together or not at all.
    if (!r.atEnd()) {
        a.reasonCode = r.byte(Field{"reason code", nullptr, "3.15.2.1"});
        a.properties = readProperties(r, PropertyBlock::Auth);
    }
    expectEnd(r, sectionsOf(PacketType::Auth));
    return a;
}

} // namespace

void checkFirstByte(std::uint8_t first, Role role, std::optional<Version> version, bool connectSeen)
{
    const int typeValue = first >> 4;
    const std::uint8_t flags = first & 0x0F;
    const Version citeVersion = version.value_or(Version::V311);
    if (typeValue == 0 || (typeValue == 15 && version == Version::V311))
        throw Failure{"reserved packet type " + std::to_string(typeValue) + " (first byte " + hexByte(first) +
                          ")" + cite(citeVersion, "2.2.1", "2.1.2"),
                      kMalformedPacket};
    const PacketType type = typeOf(first);
    const char *name = packetTypeName(type);

    if (role == Role::Server) {
        if (!clientMaySend(type))
            failHeader(type, version,
                       std::string("a client may not send ") + name +
                           " (it flows from server to client only), a protocol error",
                       "2.2.1", "2.1.2", kProtocolError);
        // 3.1.1 section 3.1 [MQTT-3.1.0-1, -2]: CONNECT first, and once.
        if (!version && !connectSeen && type != PacketType::Connect)
            failHeader(type, version,
                       "received before CONNECT; a client's first packet must be CONNECT, a protocol error",
                       "3.1", "3.1", kProtocolError);
        if (connectSeen && type == PacketType::Connect)
            failHeader(type, version, "a second CONNECT on the connection, a protocol error ([MQTT-3.1.0-2])",
                       "3.1", "3.1", kProtocolError);
    } else if (!serverMaySend(type, citeVersion)) {
        failHeader(type, version,
                   std::string("a server may not send ") + name +
                       (type == PacketType::Disconnect
                            ? " in 3.1.1 (only clients send it), a protocol error"
                            : " (it flows from client to server only), a protocol error"),
                   "2.2.1", "2.1.2", kProtocolError);
    }

    if (type == PacketType::Publish) {
        const int qos = (flags >> 1) & 0x03;
        if (qos == 3)
            failHeader(type, version,
                       "QoS 3 in the fixed header flags " + hexByte(flags) + " ([MQTT-3.3.1-4])", "3.3.1.2",
                       "3.3.1.2", kMalformedPacket);
        if (qos == 0 && (flags & 0x08))
            failHeader(type, version, "DUP flag set on a QoS 0 message ([MQTT-3.3.1-2])", "3.3.1.1",
                       "3.3.1.1", kMalformedPacket);
        return;
    }
    const bool flagsTwo =
        type == PacketType::Pubrel || type == PacketType::Subscribe || type == PacketType::Unsubscribe;
    const std::uint8_t expected = flagsTwo ? 0x02 : 0x00;
    if (flags != expected)
        failHeader(type, version,
                   "fixed header flags " + hexByte(flags) + ", expected " + hexByte(expected) + " (reserved)",
                   "2.2.2", "2.1.3", kMalformedPacket);
}

void checkRemainingLength(std::uint8_t first, std::uint32_t remaining, std::optional<Version> version)
{
    const PacketType type = typeOf(first);
    const Sections s = sectionsOf(type);
    const auto expect = [&](std::uint32_t length, const char *section311, const char *section5) {
        if (remaining != length)
            failHeader(type, version,
                       "remaining length " + std::to_string(remaining) + ", expected " +
                           std::to_string(length),
                       section311, section5, kMalformedPacket);
    };
    const auto atLeast = [&](std::uint32_t length, const char *section5) {
        if (remaining < length)
            failHeader(type, version,
                       "remaining length " + std::to_string(remaining) + ", expected at least " +
                           std::to_string(length),
                       nullptr, section5, kMalformedPacket);
    };
    const bool v311 = version == Version::V311;
    switch (type) {
    case PacketType::Pingreq:
    case PacketType::Pingresp:
        expect(0, s.fixedHeader.c_str(), s.fixedHeader.c_str());
        break;
    case PacketType::Connack:
        if (v311)
            expect(2, "3.2.1", nullptr);
        else
            atLeast(3, "3.2.2");
        break;
    case PacketType::Puback:
    case PacketType::Pubrec:
    case PacketType::Pubrel:
    case PacketType::Pubcomp:
        if (v311)
            expect(2, s.fixedHeader.c_str(), nullptr);
        else
            atLeast(2, s.variableHeader.c_str());
        break;
    case PacketType::Unsuback:
        if (v311)
            expect(2, "3.11.1", nullptr);
        else
            atLeast(3, "3.11.2");
        break;
    case PacketType::Disconnect:
        if (v311)
            expect(0, "3.14.1", nullptr);
        break;
    case PacketType::Auth:
        if (remaining == 1)
            failHeader(type, version, "remaining length 1, expected 0 or at least 2", nullptr, "3.15.2.1",
                       kMalformedPacket);
        break;
    default:
        break;
    }
}

Packet decodeBody(std::uint8_t first, std::string_view body, Version version, Role role)
{
    const PacketType type = typeOf(first);
    switch (type) {
    case PacketType::Connect:
        return decodeConnect(body);
    case PacketType::Connack:
        return decodeConnack(body, version);
    case PacketType::Publish:
        return decodePublish(first, body, version, role);
    case PacketType::Puback:
    case PacketType::Pubrec:
    case PacketType::Pubrel:
    case PacketType::Pubcomp:
        return decodePublishAck(type, body, version);
    case PacketType::Subscribe:
        return decodeSubscribe(body, version);
    case PacketType::Unsubscribe:
        return decodeUnsubscribe(body, version);
    case PacketType::Suback:
    case PacketType::Unsuback:
        return decodeSubscribeAck(type, body, version);
    case PacketType::Pingreq:
        return Pingreq{};
    case PacketType::Pingresp:
        return Pingresp{};
    case PacketType::Disconnect:
        return decodeDisconnect(body, version, role);
    case PacketType::Auth:
        return decodeAuth(body);
    }
    throw Failure{"reserved packet type 0", kMalformedPacket};
}

} // namespace kw::mqtt::wire
