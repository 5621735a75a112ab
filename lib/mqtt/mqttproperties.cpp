#include "mqttproperties.h"

#include <array>
#include <bitset>
#include <cstdint>

namespace kw::mqtt::wire {

namespace {

constexpr std::uint32_t bit(PropertyBlock block)
{
    return std::uint32_t(1) << static_cast<int>(block);
}

constexpr std::uint32_t kConnect = bit(PropertyBlock::Connect);
constexpr std::uint32_t kWill = bit(PropertyBlock::Will);
constexpr std::uint32_t kConnack = bit(PropertyBlock::Connack);
constexpr std::uint32_t kPublish = bit(PropertyBlock::Publish);
constexpr std::uint32_t kAcks = bit(PropertyBlock::Puback) | bit(PropertyBlock::Pubrec) |
                                bit(PropertyBlock::Pubrel) | bit(PropertyBlock::Pubcomp);
constexpr std::uint32_t kSubscribe = bit(PropertyBlock::Subscribe);
constexpr std::uint32_t kSuback = bit(PropertyBlock::Suback);
constexpr std::uint32_t kUnsubscribe = bit(PropertyBlock::Unsubscribe);
constexpr std::uint32_t kUnsuback = bit(PropertyBlock::Unsuback);
constexpr std::uint32_t kDisconnect = bit(PropertyBlock::Disconnect);
constexpr std::uint32_t kAuth = bit(PropertyBlock::Auth);
constexpr std::uint32_t kEverywhere = kConnect | kWill | kConnack | kPublish | kAcks | kSubscribe | kSuback |
                                      kUnsubscribe | kUnsuback | kDisconnect | kAuth;

enum class Type { Byte, TwoByte, FourByte, VariableByte, Utf8, Binary, Pair };

struct PropertySpec
{
    std::uint8_t id;
    const char *name;
    Type type;
    std::uint32_t blocks;
};

// 5.0 section 2.2.2.2, Table 2-4.
constexpr std::array kProperties{
    PropertySpec{0x01, "Payload Format Indicator", Type::Byte, kPublish | kWill},
    PropertySpec{0x02, "Message Expiry Interval", Type::FourByte, kPublish | kWill},
    PropertySpec{0x03, "Content Type", Type::Utf8, kPublish | kWill},
    PropertySpec{0x08, "Response Topic", Type::Utf8, kPublish | kWill},
    PropertySpec{0x09, "Correlation Data", Type::Binary, kPublish | kWill},
    PropertySpec{0x0B, "Subscription Identifier", Type::VariableByte, kPublish | kSubscribe},
    PropertySpec{0x11, "Session Expiry Interval", Type::FourByte, kConnect | kConnack | kDisconnect},
    PropertySpec{0x12, "Assigned Client Identifier", Type::Utf8, kConnack},
    PropertySpec{0x13, "Server Keep Alive", Type::TwoByte, kConnack},
    PropertySpec{0x15, "Authentication Method", Type::Utf8, kConnect | kConnack | kAuth},
    PropertySpec{0x16, "Authentication Data", Type::Binary, kConnect | kConnack | kAuth},
    PropertySpec{0x17, "Request Problem Information", Type::Byte, kConnect},
    PropertySpec{0x18, "Will Delay Interval", Type::FourByte, kWill},
    PropertySpec{0x19, "Request Response Information", Type::Byte, kConnect},
    PropertySpec{0x1A, "Response Information", Type::Utf8, kConnack},
    PropertySpec{0x1C, "Server Reference", Type::Utf8, kConnack | kDisconnect},
    PropertySpec{0x1F, "Reason String", Type::Utf8,
                 kConnack | kAcks | kSuback | kUnsuback | kDisconnect | kAuth},
    PropertySpec{0x21, "Receive Maximum", Type::TwoByte, kConnect | kConnack},
    PropertySpec{0x22, "Topic Alias Maximum", Type::TwoByte, kConnect | kConnack},
    PropertySpec{0x23, "Topic Alias", Type::TwoByte, kPublish},
    PropertySpec{0x24, "Maximum QoS", Type::Byte, kConnack},
    PropertySpec{0x25, "Retain Available", Type::Byte, kConnack},
    PropertySpec{0x26, "User Property", Type::Pair, kEverywhere},
    PropertySpec{0x27, "Maximum Packet Size", Type::FourByte, kConnect | kConnack},
    PropertySpec{0x28, "Wildcard Subscription Available", Type::Byte, kConnack},
    PropertySpec{0x29, "Subscription Identifier Available", Type::Byte, kConnack},
    PropertySpec{0x2A, "Shared Subscription Available", Type::Byte, kConnack},
};

const PropertySpec *findProperty(std::uint32_t id)
{
    for (const PropertySpec &spec : kProperties)
        if (spec.id == id)
            return &spec;
    return nullptr;
}

struct BlockInfo
{
    const char *name;
    const char *section;
};

BlockInfo blockInfo(PropertyBlock block)
{
    switch (block) {
    case PropertyBlock::Connect:
        return {"properties", "3.1.2.11"};
    case PropertyBlock::Will:
        return {"will properties", "3.1.3.2"};
    case PropertyBlock::Connack:
        return {"properties", "3.2.2.3"};
    case PropertyBlock::Publish:
        return {"properties", "3.3.2.3"};
    case PropertyBlock::Puback:
        return {"properties", "3.4.2.2"};
    case PropertyBlock::Pubrec:
        return {"properties", "3.5.2.2"};
    case PropertyBlock::Pubrel:
        return {"properties", "3.6.2.2"};
    case PropertyBlock::Pubcomp:
        return {"properties", "3.7.2.2"};
    case PropertyBlock::Subscribe:
        return {"properties", "3.8.2.1"};
    case PropertyBlock::Suback:
        return {"properties", "3.9.2.1"};
    case PropertyBlock::Unsubscribe:
        return {"properties", "3.10.2.1"};
    case PropertyBlock::Unsuback:
        return {"properties", "3.11.2.1"};
    case PropertyBlock::Disconnect:
        return {"properties", "3.14.2.2"};
    case PropertyBlock::Auth:
        return {"properties", "3.15.2.2"};
    }
    return {"properties", "2.2.2"};
}

std::string describe(const PropertySpec &spec)
{
    return std::string(spec.name) + " (" + hexByte(spec.id) + ')';
}

// The properties the standard allows only 0 or 1 for ("It is a Protocol Error to include a value
// other than 0 or 1", e.g. 5.0 section 3.1.2.11.7 for Request Problem Information).
bool isBooleanByte(std::uint8_t id)
{
    switch (id) {
    case 0x01: // 3.3.2.3.2
    case 0x17: // 3.1.2.11.7
    case 0x19: // 3.1.2.11.6
    case 0x24: // 3.2.2.3.4
    case 0x25: // 3.2.2.3.5
    case 0x28: // 3.2.2.3.11
    case 0x29: // 3.2.2.3.12
    case 0x2A: // 3.2.2.3.13
        return true;
    default:
        return false;
    }
}

} // namespace

Properties readProperties(Reader &reader, PropertyBlock block)
{
    const BlockInfo info = blockInfo(block);
    const std::string lengthName = std::string(info.name) + " length";
    const Field lengthField{lengthName.c_str(), nullptr, info.section};
    const std::uint32_t length = reader.variableByteInteger(lengthField);
    Reader props = reader.subReader(length, lengthField);

    const Field blockField{info.name, nullptr, info.section};
    const Field tableField{info.name, nullptr, "2.2.2.2"};
    Properties result;
    std::bitset<0x30> seen;
    while (!props.atEnd()) {
        const std::uint32_t id = props.variableByteInteger(Field{"property identifier", nullptr, "2.2.2.2"});
        const PropertySpec *spec = findProperty(id);
        if (!spec)
            props.fail(tableField, "unknown property identifier " + std::to_string(id));
        if ((spec->blocks & bit(block)) == 0)
            props.fail(tableField,
                       describe(*spec) + " may not appear in " +
                           (block == PropertyBlock::Will ? std::string("a will")
                                                         : std::string(packetTypeName(reader.packet()))));
        const bool repeatable = spec->id == 0x26 || (spec->id == 0x0B && block == PropertyBlock::Publish);
        if (seen[spec->id] && !repeatable)
            props.fail(blockField, describe(*spec) + " appears more than once, a protocol error",
                       kProtocolError);
        seen[spec->id] = true;

        const Field value{spec->name, nullptr, info.section};
        const auto zeroIsError = [&](std::uint32_t v) {
            if (v == 0)
                props.fail(blockField, describe(*spec) + " of 0 is a protocol error", kProtocolError);
        };
        switch (spec->type) {
        case Type::Byte: {
            const std::uint8_t v = props.byte(value);
            if (isBooleanByte(spec->id) && v > 1)
                props.fail(blockField,
                           describe(*spec) + " of " + std::to_string(v) + ", not 0 or 1, a protocol error",
                           kProtocolError);
            switch (spec->id) {
            case 0x01:
                result.payloadFormatIndicator = v;
                break;
            case 0x17:
                result.requestProblemInformation = v;
                break;
            case 0x19:
                result.requestResponseInformation = v;
                break;
            case 0x24:
                result.maximumQos = v;
                break;
            case 0x25:
                result.retainAvailable = v;
                break;
            case 0x28:
                result.wildcardSubscriptionAvailable = v;
                break;
            case 0x29:
                result.subscriptionIdentifierAvailable = v;
                break;
            case 0x2A:
                result.sharedSubscriptionAvailable = v;
                break;
            }
            break;
        }
        case Type::TwoByte: {
            const std::uint16_t v = props.twoByteInteger(value);
            switch (spec->id) {
            case 0x13:
                result.serverKeepAlive = v;
                break;
            case 0x21:
                zeroIsError(v);
                result.receiveMaximum = v;
                break; // 3.1.2.11.3, 3.2.2.3.3
            case 0x22:
                result.topicAliasMaximum = v;
                break;
            case 0x23:
                zeroIsError(v);
                result.topicAlias = v;
                break; // 3.3.2.3.4
            }
            break;
        }
        case Type::FourByte: {
            const std::uint32_t v = props.fourByteInteger(value);
            switch (spec->id) {
            case 0x02:
                result.messageExpiryInterval = v;
                break;
            case 0x11:
                result.sessionExpiryInterval = v;
                break;
            case 0x18:
                result.willDelayInterval = v;
                break;
            case 0x27:
                zeroIsError(v);
                result.maximumPacketSize = v;
                break; // 3.1.2.11.4, 3.2.2.3.6
            }
            break;
        }
        case Type::VariableByte: {
            const std::uint32_t v = props.variableByteInteger(value);
            zeroIsError(v); // 3.3.2.3.8, 3.8.2.1.2: 1 to 268,435,455
            result.subscriptionIdentifiers.push_back(v);
            break;
        }
        case Type::Utf8: {
            std::string v = props.utf8String(value);
            switch (spec->id) {
            case 0x03:
                result.contentType = std::move(v);
                break;
            case 0x08:
                result.responseTopic = std::move(v);
                break;
            case 0x12:
                result.assignedClientIdentifier = std::move(v);
                break;
            case 0x15:
                result.authenticationMethod = std::move(v);
                break;
            case 0x1A:
                result.responseInformation = std::move(v);
                break;
            case 0x1C:
                result.serverReference = std::move(v);
                break;
            case 0x1F:
                result.reasonString = std::move(v);
                break;
            }
            break;
        }
        case Type::Binary: {
            std::string v = props.binaryData(value);
            if (spec->id == 0x09)
                result.correlationData = std::move(v);
            else
                result.authenticationData = std::move(v);
            break;
        }
        case Type::Pair: {
            UserProperty pair;
            pair.name = props.utf8String(Field{"User Property name", nullptr, info.section});
            pair.value = props.utf8String(Field{"User Property value", nullptr, info.section});
            result.userProperties.push_back(std::move(pair));
            break;
        }
        }
    }
    // 3.3.2.3.5: "It is a Protocol Error to include the Response Topic more than once"; the value is a
    // Topic Name, and "the Response Topic MUST NOT contain wildcard characters" [MQTT-3.3.2-14].
    if (result.responseTopic &&
        (result.responseTopic->empty() || result.responseTopic->find_first_of("+#") != std::string::npos))
        reader.fail(blockField,
                    "Response Topic (0x08) \"" + *result.responseTopic +
                        "\" is not a topic name (empty or with a wildcard), a protocol error",
                    kProtocolError);
    return result;
}

namespace {

void putId(std::uint8_t id, std::string &out)
{
    putByte(id, out);
}

} // namespace

void writeProperties(const Properties &p, std::string &out)
{
    std::string body;
    const auto byteProperty = [&](std::uint8_t id, const std::optional<std::uint8_t> &v) {
        if (v) {
            putId(id, body);
            putByte(*v, body);
        }
    };
    const auto twoByteProperty = [&](std::uint8_t id, const std::optional<std::uint16_t> &v) {
        if (v) {
            putId(id, body);
            putTwoByteInteger(*v, body);
        }
    };
    const auto fourByteProperty = [&](std::uint8_t id, const std::optional<std::uint32_t> &v) {
        if (v) {
            putId(id, body);
            putFourByteInteger(*v, body);
        }
    };
    const auto stringProperty = [&](std::uint8_t id, const std::optional<std::string> &v) {
        if (v) {
            putId(id, body);
            putUtf8String(*v, body);
        }
    };

    byteProperty(0x01, p.payloadFormatIndicator);
    fourByteProperty(0x02, p.messageExpiryInterval);
    stringProperty(0x03, p.contentType);
    stringProperty(0x08, p.responseTopic);
    stringProperty(0x09, p.correlationData);
    for (const std::uint32_t id : p.subscriptionIdentifiers) {
        putId(0x0B, body);
        putVariableByteInteger(id, body);
    }
    fourByteProperty(0x11, p.sessionExpiryInterval);
    stringProperty(0x12, p.assignedClientIdentifier);
    twoByteProperty(0x13, p.serverKeepAlive);
    stringProperty(0x15, p.authenticationMethod);
    stringProperty(0x16, p.authenticationData);
    byteProperty(0x17, p.requestProblemInformation);
    fourByteProperty(0x18, p.willDelayInterval);
    byteProperty(0x19, p.requestResponseInformation);
    stringProperty(0x1A, p.responseInformation);
    stringProperty(0x1C, p.serverReference);
    stringProperty(0x1F, p.reasonString);
    twoByteProperty(0x21, p.receiveMaximum);
    twoByteProperty(0x22, p.topicAliasMaximum);
    twoByteProperty(0x23, p.topicAlias);
    byteProperty(0x24, p.maximumQos);
    byteProperty(0x25, p.retainAvailable);
    for (const UserProperty &pair : p.userProperties) {
        putId(0x26, body);
        putUtf8String(pair.name, body);
        putUtf8String(pair.value, body);
    }
    fourByteProperty(0x27, p.maximumPacketSize);
    byteProperty(0x28, p.wildcardSubscriptionAvailable);
    byteProperty(0x29, p.subscriptionIdentifierAvailable);
    byteProperty(0x2A, p.sharedSubscriptionAvailable);

    putVariableByteInteger(static_cast<std::uint32_t>(body.size()), out);
    out += body;
}

bool propertiesFit(const Properties &p, PropertyBlock block)
{
    const auto allowed = [&](std::uint8_t id) { return (findProperty(id)->blocks & bit(block)) != 0; };
    const auto check = [&](bool present, std::uint8_t id) { return !present || allowed(id); };
    return check(p.payloadFormatIndicator.has_value(), 0x01) &&
           check(p.messageExpiryInterval.has_value(), 0x02) && check(p.contentType.has_value(), 0x03) &&
           check(p.responseTopic.has_value(), 0x08) && check(p.correlationData.has_value(), 0x09) &&
           check(!p.subscriptionIdentifiers.empty(), 0x0B) &&
           (block == PropertyBlock::Publish || p.subscriptionIdentifiers.size() <= 1) &&
           check(p.sessionExpiryInterval.has_value(), 0x11) &&
           check(p.assignedClientIdentifier.has_value(), 0x12) &&
           check(p.serverKeepAlive.has_value(), 0x13) && check(p.authenticationMethod.has_value(), 0x15) &&
           check(p.authenticationData.has_value(), 0x16) &&
           check(p.requestProblemInformation.has_value(), 0x17) &&
           check(p.willDelayInterval.has_value(), 0x18) &&
           check(p.requestResponseInformation.has_value(), 0x19) &&
           check(p.responseInformation.has_value(), 0x1A) && check(p.serverReference.has_value(), 0x1C) &&
           check(p.reasonString.has_value(), 0x1F) && check(p.receiveMaximum.has_value(), 0x21) &&
           check(p.topicAliasMaximum.has_value(), 0x22) && check(p.topicAlias.has_value(), 0x23) &&
           check(p.maximumQos.has_value(), 0x24) && check(p.retainAvailable.has_value(), 0x25) &&
           check(p.maximumPacketSize.has_value(), 0x27) &&
           check(p.wildcardSubscriptionAvailable.has_value(), 0x28) &&
           check(p.subscriptionIdentifierAvailable.has_value(), 0x29) &&
           check(p.sharedSubscriptionAvailable.has_value(), 0x2A);
}

} // namespace kw::mqtt::wire
