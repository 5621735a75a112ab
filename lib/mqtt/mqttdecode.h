#pragma once

// The decoder's rules, packet by packet, apart from the buffering in Decoder. Every function throws
// wire::Failure with the message and reason code the Decoder makes its sticky error. Internal.

#include "mqttcodec.h"
#include "mqttpacket.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace kw::mqtt::wire {

// The first byte alone: a reserved packet type, a packet the other side may not send, a packet
// before CONNECT (server side), the reserved flags (3.1.1 section 2.2.2; 5.0 section 2.1.3), QoS 3.
// `version` is empty on a server before CONNECT.
void checkFirstByte(std::uint8_t first, Role role, std::optional<Version> version, bool connectSeen);

// The remaining length, before a byte of the body is read: the packets whose length the standard
// fixes (PINGREQ 0, 3.1.1 CONNACK 2, ...).
void checkRemainingLength(std::uint8_t first, std::uint32_t remaining, std::optional<Version> version);

// The variable header and payload. The version is CONNECT's own for CONNECT.
Packet decodeBody(std::uint8_t first, std::string_view body, Version version, Role role);

} // namespace kw::mqtt::wire
