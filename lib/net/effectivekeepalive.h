#pragma once

// The keepalive a socket ended up with, as plain data. No socket header, so the user interface can
// compute detection bounds (detectionbound.h) from settings without touching a socket.

#include <chrono>
#include <optional>

namespace kw::net {

// What the socket reports, or where the OS cannot tell (Windows before 10 1709), what was sent.
struct EffectiveKeepalive
{
    bool enabled = false;
    std::optional<std::chrono::seconds> idle{}; // absent: the system default applies (SystemDefaults)
    std::optional<std::chrono::seconds> interval{};
    std::optional<int> count{};
    bool countFixedByOs = false; // Windows SIO_KEEPALIVE_VALS path: 10 probes on Vista and later
    std::optional<std::chrono::milliseconds> userTimeout{}; // absent: retransmission give-up applies
    bool readBack = false;                                  // true when the values came from getsockopt

    bool operator==(const EffectiveKeepalive &) const = default;
};

} // namespace kw::net
