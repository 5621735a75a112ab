#pragma once

#include "connectspreader.h"
#include "enginetimers.h"
#include "hostconnectspreader.h"
#include "systemdefaults.h"

namespace kw {

// What every session borrows from the engine that owns it. Nothing here is a
// singleton: tests hand in their own.
struct SessionContext
{
    EngineTimers &timers;
    ConnectSpreader &spreader; // reconnects after a failure, engine-wide
    const net::SystemDefaults &systemDefaults;
    // First connects of a watch, per destination host; none: they start at once.
    HostConnectSpreader *firstConnects = nullptr;
};

} // namespace kw
