#pragma once

#include "manualclock.h"

#include <chrono>
#include <functional>

namespace kw::test {

// Driving an engine on a ManualClock against real sockets: the deadlines
// follow the manual clock, the sockets real time. These move the clock in
// steps and, between steps, run this thread's event loop for `pause` of real
// time, so that loopback peers answer and queued signals (snapshots, events)
// arrive before the clock moves on.
struct ClockSteps
{
    Duration step = std::chrono::milliseconds(16);
    std::chrono::milliseconds pause{2};
};

// Moves `clock` by `total` in steps.
void advanceBy(ManualClock &clock, Duration total, ClockSteps steps = {});

// Moves `clock` step by step until `done()` holds; checks first, so no time
// passes when it holds already. False once `limit` of clock time has passed
// without it.
[[nodiscard]] bool advanceUntil(ManualClock &clock, const std::function<bool()> &done, Duration limit,
                                ClockSteps steps = {});

} // namespace kw::test
