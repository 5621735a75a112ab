#pragma once

#include "mqttpacket.h"

#include <cstdint>
#include <string>
#include <string_view>

// The standard's words for its return and reason codes, as two spellings each: a slug for causes
// ("mqtt-refused:not-authorized") and the specification's phrase for people ("not authorized").
// Both views refer to static storage: they stay valid for the life of the program.
namespace kw::mqtt {

struct ReasonText
{
    std::string_view slug;   // "not-authorized", "bad-username-or-password"; "code-158" when unknown
    std::string_view phrase; // "not authorized", "bad user name or password"
};

// CONNACK: 3.1.1 return codes (section 3.2.2.3: 1 unacceptable protocol version, 2 identifier
// rejected, 3 server unavailable, 4 bad user name or password, 5 not authorized) and 5.0 reason
// codes (section 3.2.2.2). An unknown code gives slug "code-<n>" and phrase "unknown code <n>".
ReasonText connackReason(Version version, std::uint8_t code);
// 5.0 DISCONNECT reason codes (section 3.14.2.1).
ReasonText disconnectReason(std::uint8_t code);
// SUBACK return/reason codes (3.1.1 section 3.9.3: 0x80 failure; 5.0 section 3.9.3).
ReasonText subackReason(Version version, std::uint8_t code);

// True when the CONNACK accepted the connection.
inline bool connackAccepted(std::uint8_t code)
{
    return code == 0;
}

} // namespace kw::mqtt
