#pragma once

#include "clock.h"
#include "systemdefaults.h"

namespace kw {

// What the engine takes from outside instead of reaching for it: the
// application hands in the steady clock and this machine's defaults, a test
// a manual clock and defaults of its choosing.
struct MonitorDependencies
{
    // The monotonic timeline of every deadline (heartbeats, backoff, publishing,
    // statistics). Must outlive the Monitor.
    const Clock &clock;
    // What the sessions compare per-socket keepalive settings against.
    net::SystemDefaults systemDefaults;
};

} // namespace kw
