#pragma once

#include "clock.h"

#include <chrono>
#include <cstdint>
#include <string_view>

namespace kw {

// Where an endpoint's periodic work (heartbeats, WebSocket and MQTT pings, TCP_INFO sweeps) falls
// within its interval: on the points anchor + phase + k × interval, with the monotonic clock's epoch
// as the anchor. Scheduling the next run on this grid, never at "last run + interval", keeps the
// average period exact when EngineTimers runs a deadline a little late to share a wake-up, and keeps
// endpoints that started in the same second out of step: at 10,000 endpoints their replies fill the
// interval evenly instead of arriving in a few bursts of thousands.
//
// The phase comes from a hash of the endpoint's name, not from a random draw, so an endpoint keeps
// its phase across reconnects and restarts (a graph of its RTT, or a server's log of its pings, shows
// the same rhythm) and two processes watching the same endpoints put the same load on them.
struct PhaseGrid
{
    Duration interval{std::chrono::seconds(1)}; // > 0
    Duration phase{0};                          // in [0, interval)

    // The grid of `interval` for the endpoint named `name` (UTF-8).
    static PhaseGrid forName(std::string_view name, Duration interval);
    static PhaseGrid forSeed(std::uint64_t seed, Duration interval);
    // A stable, well-mixed hash of a name: FNV-1a (64 bit) over its bytes, then the finaliser of
    // splitmix64 so that names differing only in their last digit land far apart.
    static std::uint64_t seedOf(std::string_view name);

    // The first grid point at or after `t`, and the last at or before it.
    TimePoint atOrAfter(TimePoint t) const;
    TimePoint atOrBefore(TimePoint t) const;

    bool operator==(const PhaseGrid &) const = default;
};

} // namespace kw
