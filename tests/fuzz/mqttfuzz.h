#pragma once

// The body of fuzz_mqtt, shared with tests/mqtt/tst_mqttcorpus.cpp so that the seed corpus runs in
// every ordinary test run, not only under libFuzzer. Returns an empty string when every invariant
// held, else what broke.
//
// Input: byte 0 seeds the slicing and, with its top bit, picks a small maximum packet size; the rest
// is what a peer sent. It goes to five decoders (a client told 3.1.1 or 5.0, a server told either or
// learning it from CONNECT), each whole, one byte at a time and in pseudo-random slices; the three
// must agree. Every packet decoded is encoded again and must decode to itself.

#include "mqttcodec.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kw::mqtt::fuzz {

struct DecodedPacket
{
    Packet packet;
    std::optional<Version> version; // the decoder's version when it delivered the packet
    bool operator==(const DecodedPacket &) const = default;
};

struct Outcome
{
    std::vector<DecodedPacket> packets;
    std::optional<DecodeError> error;
    bool operator==(const Outcome &) const = default;
};

inline const char *roleName(Role role)
{
    return role == Role::Client ? "client" : "server";
}

inline std::string runMqttInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return {};
    const std::string_view input(reinterpret_cast<const char *>(data + 1), size - 1);
    const std::uint32_t maxPacketSize = (data[0] & 0x80) ? 64 : kDefaultMaxPacketSize;

    struct Config
    {
        Role role;
        std::optional<Version> version;
    };
    const Config configs[] = {
        {Role::Client, Version::V311}, {Role::Client, Version::V5},  {Role::Server, Version::V311},
        {Role::Server, Version::V5},   {Role::Server, std::nullopt},
    };

    for (const Config &config : configs) {
        std::string problem;
        const auto run = [&](auto &&nextSlice) {
            Decoder decoder(config.role, config.version, maxPacketSize);
            Outcome outcome;
            std::size_t pos = 0;
            while (pos < input.size()) {
                const std::size_t length = std::min(nextSlice(), input.size() - pos);
                const bool ok = decoder.feed(input.substr(pos, length), [&](Packet &&packet) {
                    outcome.packets.push_back({std::move(packet), decoder.version()});
                });
                pos += length;
                if (decoder.buffered() > maxPacketSize)
                    problem = "buffered " + std::to_string(decoder.buffered()) + " bytes, over the maximum";
                if (!ok)
                    break;
            }
            outcome.error = decoder.error();
            if (outcome.error && outcome.error->message.empty())
                problem = "an error without a message";
            if (outcome.error && decoder.buffered() != 0)
                problem = "bytes held after an error";
            return outcome;
        };

        const Outcome whole = run([&] { return input.size(); });
        const Outcome bytewise = run([] { return std::size_t(1); });
        std::uint32_t state = 0x9E3779B9u ^ data[0];
        const Outcome sliced = run([&] {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            return std::size_t(state % 23);
        });
        if (!problem.empty())
            return std::string(roleName(config.role)) + " decoder: " + problem;
        for (const Outcome *other : {&bytewise, &sliced}) {
            if (!(*other == whole))
                return std::string(roleName(config.role)) +
                       " decoder: the outcome depends on the slicing: \"" +
                       (whole.error ? whole.error->message : "no error") + "\" / \"" +
                       (other->error ? other->error->message : "no error") + "\", " +
                       std::to_string(whole.packets.size()) + " / " + std::to_string(other->packets.size()) +
                       " packets";
        }

        for (const DecodedPacket &decoded : whole.packets) {
            const Version version = std::holds_alternative<Connect>(decoded.packet)
                                        ? std::get<Connect>(decoded.packet).version
                                        : decoded.version.value_or(Version::V311);
            const std::string wire = encode(decoded.packet, version);
            // A server learns the version from CONNECT: give the re-decoder nothing for one.
            const std::optional<Version> told =
                std::holds_alternative<Connect>(decoded.packet) && config.role == Role::Server
                    ? std::nullopt
                    : std::optional(version);
            DecodeError error;
            const std::optional<Packet> again = decodePacket(wire, config.role, told, &error);
            if (!again)
                return std::string(packetTypeName(packetType(decoded.packet))) +
                       " did not decode after encoding: " + error.message;
            if (!(*again == decoded.packet))
                return std::string(packetTypeName(packetType(decoded.packet))) +
                       " changed through encode and decode";
        }
    }
    return {};
}

} // namespace kw::mqtt::fuzz
