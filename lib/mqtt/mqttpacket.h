#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

// MQTT control packets, 3.1.1 (OASIS, 2014) and 5.0 (OASIS, 2019), as plain values. Plain C++, no
// Qt and no I/O: the codec (mqttcodec.h) turns them into bytes and back; the session, the demo
// broker and the tests' hostile broker all speak through it.
namespace kw::mqtt {

// The protocol level byte of CONNECT (3.1.1 section 3.1.2.2; 5.0 section 3.1.2.2).
enum class Version : std::uint8_t {
    V311 = 4,
    V5 = 5,
};

// 3.1.1 section 2.2.1; 5.0 section 2.1.2.
enum class PacketType : std::uint8_t {
    Connect = 1,
    Connack = 2,
    Publish = 3,
    Puback = 4,
    Pubrec = 5,
    Pubrel = 6,
    Pubcomp = 7,
    Subscribe = 8,
    Suback = 9,
    Unsubscribe = 10,
    Unsuback = 11,
    Pingreq = 12,
    Pingresp = 13,
    Disconnect = 14,
    Auth = 15, // 5.0 only
};

// "CONNACK", "PINGRESP", ...
const char *packetTypeName(PacketType type);

struct UserProperty
{
    std::string name;
    std::string value;
    bool operator==(const UserProperty &) const = default;
};

// MQTT 5 properties (5.0 section 2.2.2.2), every one the standard defines, parsed and kept. Which
// ones a packet may carry is checked by the decoder (a property in the wrong packet is malformed,
// section 2.2.2.2); the encoder writes what is set. Empty (all unset) for MQTT 3.1.1.
struct Properties
{
    std::optional<std::uint8_t> payloadFormatIndicator;          // 0x01
    std::optional<std::uint32_t> messageExpiryInterval;          // 0x02
    std::optional<std::string> contentType;                      // 0x03
    std::optional<std::string> responseTopic;                    // 0x08
    std::optional<std::string> correlationData;                  // 0x09 (binary)
    std::vector<std::uint32_t> subscriptionIdentifiers;          // 0x0B (may repeat in PUBLISH)
    std::optional<std::uint32_t> sessionExpiryInterval;          // 0x11
    std::optional<std::string> assignedClientIdentifier;         // 0x12
    std::optional<std::uint16_t> serverKeepAlive;                // 0x13
    std::optional<std::string> authenticationMethod;             // 0x15
    std::optional<std::string> authenticationData;               // 0x16 (binary)
    std::optional<std::uint8_t> requestProblemInformation;       // 0x17
    std::optional<std::uint32_t> willDelayInterval;              // 0x18
    std::optional<std::uint8_t> requestResponseInformation;      // 0x19
    std::optional<std::string> responseInformation;              // 0x1A
    std::optional<std::string> serverReference;                  // 0x1C
    std::optional<std::string> reasonString;                     // 0x1F
    std::optional<std::uint16_t> receiveMaximum;                 // 0x21
    std::optional<std::uint16_t> topicAliasMaximum;              // 0x22
    std::optional<std::uint16_t> topicAlias;                     // 0x23
    std::optional<std::uint8_t> maximumQos;                      // 0x24
    std::optional<std::uint8_t> retainAvailable;                 // 0x25
    std::vector<UserProperty> userProperties;                    // 0x26 (may repeat, order kept)
    std::optional<std::uint32_t> maximumPacketSize;              // 0x27
    std::optional<std::uint8_t> wildcardSubscriptionAvailable;   // 0x28
    std::optional<std::uint8_t> subscriptionIdentifierAvailable; // 0x29
    std::optional<std::uint8_t> sharedSubscriptionAvailable;     // 0x2A

    bool empty() const { return *this == Properties{}; }
    bool operator==(const Properties &) const = default;
};

struct Will
{
    std::string topic;
    std::string payload; // binary
    std::uint8_t qos = 0;
    bool retain = false;
    Properties properties; // 5.0 Will Properties (will delay, message expiry, ...)
    bool operator==(const Will &) const = default;
};

struct Connect
{
    Version version = Version::V5;
    bool cleanStart = true; // 3.1.1 "Clean Session"
    std::uint16_t keepAlive = 60;
    std::string clientId; // may be empty (the server assigns one)
    std::optional<std::string> username;
    std::optional<std::string> password; // binary
    std::optional<Will> will;
    Properties properties;
    bool operator==(const Connect &) const = default;
};

struct Connack
{
    bool sessionPresent = false;
    // 3.1.1: the return code (0 accepted .. 5 not authorized); 5.0: the reason code (0 success, >= 0x80
    // refused).
    std::uint8_t reasonCode = 0;
    Properties properties;
    bool operator==(const Connack &) const = default;
};

struct Publish
{
    bool dup = false;
    std::uint8_t qos = 0;
    bool retain = false;
    std::string topic;          // may be empty in 5.0 when a topic alias stands for it
    std::uint16_t packetId = 0; // QoS 1 and 2 only
    Properties properties;
    std::string payload; // binary
    bool operator==(const Publish &) const = default;
};

// PUBACK, PUBREC, PUBREL, PUBCOMP: a packet id, and in 5.0 a reason code and properties.
struct PublishAck
{
    PacketType type = PacketType::Puback;
    std::uint16_t packetId = 0;
    std::uint8_t reasonCode = 0;
    Properties properties;
    bool operator==(const PublishAck &) const = default;
};

struct Subscription
{
    std::string filter;
    std::uint8_t qos = 0;
    bool noLocal = false;            // 5.0
    bool retainAsPublished = false;  // 5.0
    std::uint8_t retainHandling = 0; // 5.0: 0 send retained, 1 only if new, 2 never
    bool operator==(const Subscription &) const = default;
};

struct Subscribe
{
    std::uint16_t packetId = 0;
    Properties properties;
    std::vector<Subscription> subscriptions; // at least one
    bool operator==(const Subscribe &) const = default;
};

struct Unsubscribe
{
    std::uint16_t packetId = 0;
    Properties properties;
    std::vector<std::string> filters; // at least one
    bool operator==(const Unsubscribe &) const = default;
};

// SUBACK and UNSUBACK: one return/reason code per filter (3.1.1 UNSUBACK carries none).
struct SubscribeAck
{
    PacketType type = PacketType::Suback;
    std::uint16_t packetId = 0;
    Properties properties;
    std::vector<std::uint8_t> reasonCodes;
    bool operator==(const SubscribeAck &) const = default;
};

struct Pingreq
{
    bool operator==(const Pingreq &) const = default;
};

struct Pingresp
{
    bool operator==(const Pingresp &) const = default;
};

struct Disconnect
{
    std::uint8_t reasonCode = 0; // 5.0; 3.1.1 has none
    Properties properties;
    bool operator==(const Disconnect &) const = default;
};

// 5.0 only (section 3.15).
struct Auth
{
    std::uint8_t reasonCode = 0;
    Properties properties;
    bool operator==(const Auth &) const = default;
};

using Packet = std::variant<Connect, Connack, Publish, PublishAck, Subscribe, Unsubscribe, SubscribeAck,
                            Pingreq, Pingresp, Disconnect, Auth>;

PacketType packetType(const Packet &packet);

} // namespace kw::mqtt
