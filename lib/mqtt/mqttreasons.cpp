#include "mqttreasons.h"

#include <array>
#include <string>

namespace kw::mqtt {

namespace {

struct Entry
{
    std::uint8_t code;
    std::string_view slug;
    std::string_view phrase;
};

// 3.1.1 section 3.2.2.3, Table 3.1.
constexpr std::array kConnack311{
    Entry{0, "accepted", "connection accepted"},
    Entry{1, "unacceptable-protocol-version", "unacceptable protocol version"},
    Entry{2, "identifier-rejected", "identifier rejected"},
    Entry{3, "server-unavailable", "server unavailable"},
    Entry{4, "bad-username-or-password", "bad user name or password"},
    Entry{5, "not-authorized", "not authorized"},
};

// 5.0 section 3.2.2.2, Table 3-1.
constexpr std::array kConnack5{
    Entry{0x00, "success", "success"},
    Entry{0x80, "unspecified-error", "unspecified error"},
    Entry{0x81, "malformed-packet", "malformed packet"},
    Entry{0x82, "protocol-error", "protocol error"},
    Entry{0x83, "implementation-specific-error", "implementation specific error"},
    Entry{0x84, "unsupported-protocol-version", "unsupported protocol version"},
    Entry{0x85, "client-identifier-not-valid", "client identifier not valid"},
    Entry{0x86, "bad-username-or-password", "bad user name or password"},
    Entry{0x87, "not-authorized", "not authorized"},
    Entry{0x88, "server-unavailable", "server unavailable"},
    Entry{0x89, "server-busy", "server busy"},
    Entry{0x8A, "banned", "banned"},
    Entry{0x8C, "bad-authentication-method", "bad authentication method"},
    Entry{0x90, "topic-name-invalid", "topic name invalid"},
    Entry{0x95, "packet-too-large", "packet too large"},
    Entry{0x97, "quota-exceeded", "quota exceeded"},
    Entry{0x99, "payload-format-invalid", "payload format invalid"},
    Entry{0x9A, "retain-not-supported", "retain not supported"},
    Entry{0x9B, "qos-not-supported", "QoS not supported"},
    Entry{0x9C, "use-another-server", "use another server"},
    Entry{0x9D, "server-moved", "server moved"},
    Entry{0x9F, "connection-rate-exceeded", "connection rate exceeded"},
};

// 5.0 section 3.14.2.1, Table 3-10.
constexpr std::array kDisconnect5{
    Entry{0x00, "normal-disconnection", "normal disconnection"},
    Entry{0x04, "disconnect-with-will-message", "disconnect with will message"},
    Entry{0x80, "unspecified-error", "unspecified error"},
    Entry{0x81, "malformed-packet", "malformed packet"},
    Entry{0x82, "protocol-error", "protocol error"},
    Entry{0x83, "implementation-specific-error", "implementation specific error"},
    Entry{0x87, "not-authorized", "not authorized"},
    Entry{0x89, "server-busy", "server busy"},
    Entry{0x8B, "server-shutting-down", "server shutting down"},
    Entry{0x8D, "keep-alive-timeout", "keep alive timeout"},
    Entry{0x8E, "session-taken-over", "session taken over"},
    Entry{0x8F, "topic-filter-invalid", "topic filter invalid"},
    Entry{0x90, "topic-name-invalid", "topic name invalid"},
    Entry{0x93, "receive-maximum-exceeded", "receive maximum exceeded"},
    Entry{0x94, "topic-alias-invalid", "topic alias invalid"},
    Entry{0x95, "packet-too-large", "packet too large"},
    Entry{0x96, "message-rate-too-high", "message rate too high"},
    Entry{0x97, "quota-exceeded", "quota exceeded"},
    Entry{0x98, "administrative-action", "administrative action"},
    Entry{0x99, "payload-format-invalid", "payload format invalid"},
    Entry{0x9A, "retain-not-supported", "retain not supported"},
    Entry{0x9B, "qos-not-supported", "QoS not supported"},
    Entry{0x9C, "use-another-server", "use another server"},
    Entry{0x9D, "server-moved", "server moved"},
    Entry{0x9E, "shared-subscriptions-not-supported", "shared subscriptions not supported"},
    Entry{0x9F, "connection-rate-exceeded", "connection rate exceeded"},
    Entry{0xA0, "maximum-connect-time", "maximum connect time"},
    Entry{0xA1, "subscription-identifiers-not-supported", "subscription identifiers not supported"},
    Entry{0xA2, "wildcard-subscriptions-not-supported", "wildcard subscriptions not supported"},
};

// 3.1.1 section 3.9.3.
constexpr std::array kSuback311{
    Entry{0x00, "granted-qos-0", "success, maximum QoS 0"},
    Entry{0x01, "granted-qos-1", "success, maximum QoS 1"},
    Entry{0x02, "granted-qos-2", "success, maximum QoS 2"},
    Entry{0x80, "failure", "failure"},
};

// 5.0 section 3.9.3, Table 3-8.
constexpr std::array kSuback5{
    Entry{0x00, "granted-qos-0", "granted QoS 0"},
    Entry{0x01, "granted-qos-1", "granted QoS 1"},
    Entry{0x02, "granted-qos-2", "granted QoS 2"},
    Entry{0x80, "unspecified-error", "unspecified error"},
    Entry{0x83, "implementation-specific-error", "implementation specific error"},
    Entry{0x87, "not-authorized", "not authorized"},
    Entry{0x8F, "topic-filter-invalid", "topic filter invalid"},
    Entry{0x91, "packet-identifier-in-use", "packet identifier in use"},
    Entry{0x97, "quota-exceeded", "quota exceeded"},
    Entry{0x9E, "shared-subscriptions-not-supported", "shared subscriptions not supported"},
    Entry{0xA1, "subscription-identifiers-not-supported", "subscription identifiers not supported"},
    Entry{0xA2, "wildcard-subscriptions-not-supported", "wildcard subscriptions not supported"},
};

// "code-<n>" and "unknown code <n>" for every byte, made once so that ReasonText can stay a pair
// of views.
ReasonText unknown(std::uint8_t code)
{
    struct Texts
    {
        std::array<std::string, 256> slugs;
        std::array<std::string, 256> phrases;
        Texts()
        {
            for (int n = 0; n < 256; ++n) {
                slugs[n] = "code-" + std::to_string(n);
                phrases[n] = "unknown code " + std::to_string(n);
            }
        }
    };
    static const Texts texts;
    return {texts.slugs[code], texts.phrases[code]};
}

template<std::size_t N>
ReasonText lookup(const std::array<Entry, N> &table, std::uint8_t code)
{
    for (const Entry &entry : table)
        if (entry.code == code)
            return {entry.slug, entry.phrase};
    return unknown(code);
}

} // namespace

ReasonText connackReason(Version version, std::uint8_t code)
{
    return version == Version::V311 ? lookup(kConnack311, code) : lookup(kConnack5, code);
}

ReasonText disconnectReason(std::uint8_t code)
{
    return lookup(kDisconnect5, code);
}

ReasonText subackReason(Version version, std::uint8_t code)
{
    return version == Version::V311 ? lookup(kSuback311, code) : lookup(kSuback5, code);
}

} // namespace kw::mqtt
