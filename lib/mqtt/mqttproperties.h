#pragma once

// MQTT 5 properties on the wire (5.0 section 2.2.2): which packet may carry which property, and the
// reading and writing of a property block. Internal to the codec.

#include "mqttpacket.h"
#include "mqttwire.h"

#include <string>

namespace kw::mqtt::wire {

// The places a property block appears; the column headings of the table in 5.0 section 2.2.2.2,
// with the four publish acknowledgements kept apart so messages name the packet.
enum class PropertyBlock {
    Connect,
    Will,
    Connack,
    Publish,
    Puback,
    Pubrec,
    Pubrel,
    Pubcomp,
    Subscribe,
    Suback,
    Unsubscribe,
    Unsuback,
    Disconnect,
    Auth,
};

// The property length and the properties after it. Rejects an unknown identifier, a property the
// block may not carry and a second copy of one that may appear once (malformed or protocol error as
// 5.0 section 2.2.2.2 says), and values the standard rules out (Receive Maximum 0, Maximum QoS 2,
// Topic Alias 0, ...).
Properties readProperties(Reader &reader, PropertyBlock block);

// The property length and the properties, in identifier order (user properties in their order).
void writeProperties(const Properties &properties, std::string &out);

// True when every set property may appear in `block` (the encoder asserts it).
bool propertiesFit(const Properties &properties, PropertyBlock block);

} // namespace kw::mqtt::wire
