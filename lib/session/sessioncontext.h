#pragma once

#include "connectspreader.h"
#include "enginetimers.h"
#include "systemdefaults.h"

namespace kw {

// What every session borrows from the engine that owns it. Nothing here is a
// singleton: tests hand in their own.
struct SessionContext
{
    EngineTimers &timers;
    ConnectSpreader &spreader;
    const net::SystemDefaults &systemDefaults;
};

} // namespace kw
