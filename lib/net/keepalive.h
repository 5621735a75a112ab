#pragma once

#include "socketheader.h"

#include "effectivekeepalive.h"
#include "nativesocket.h"
#include "tcpkeepalivesettings.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace kw::net {

enum class OptionStatus {
    Applied,      // the socket accepted the value
    Unsupported,  // ENOPROTOOPT / WSAENOPROTOOPT, or the option does not exist on this OS
    Failed,       // the socket refused the value for another reason (see error/message)
    Invalid,      // refused by validateTcpKeepalive(); the socket was not touched for this option
    NotRequested, // the setting was unset, so the system default stays
};
std::string optionStatusName(OptionStatus status); // "applied", "unsupported", ...

struct OptionResult
{
    std::string option{}; // the OS name: "SO_KEEPALIVE", "TCP_KEEPIDLE", "SIO_KEEPALIVE_VALS", ...
    OptionStatus status = OptionStatus::NotRequested;
    std::optional<long long> requested{}; // in `unit`
    std::optional<long long> readBack{};  // in `unit`, when the OS can report it
    std::string unit{};                   // "s", "ms" or "" (flags, counts)
    int error = 0;                        // errno / WSA error code when not applied
    std::string message{};                // why, in words; empty when applied as asked
    // Refused by the OS, but the value still reached the socket another way
    // (Windows before 10 1709: TCP_KEEPIDLE refused, carried by SIO_KEEPALIVE_VALS).
    bool carriedByFallback = false;
};

struct KeepaliveReport
{
    std::vector<OptionResult> options{};
    EffectiveKeepalive effective{};

    // True when every requested setting reached the socket (directly or by a fallback).
    bool allApplied() const;
    // One line, e.g. "keepalive on: idle 2 s, interval 1 s, count 3, user timeout 3000 ms (read back)";
    // refused options are named after it.
    std::string summary() const;
};

// Sets SO_KEEPALIVE first, then the timing options, then reads everything back. Invalid settings are
// reported per option (status Invalid) and not sent. Apply after every connect: each connect makes a
// new native socket.
KeepaliveReport applyKeepalive(NativeSocket socket, const TcpKeepaliveSettings &settings);
// What the socket reports now. Windows before 10 1709 cannot report times set with SIO_KEEPALIVE_VALS
// (idle/interval stay absent): keep the EffectiveKeepalive from applyKeepalive() for those.
EffectiveKeepalive readKeepalive(NativeSocket socket);

// One line for an EffectiveKeepalive, as used by KeepaliveReport::summary().
std::string describeKeepalive(const EffectiveKeepalive &effective);

} // namespace kw::net
