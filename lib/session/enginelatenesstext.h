#pragma once

#include "snapshot.h"

#include <QString>

namespace kw {

// The engine's own lateness in words, for beside an RTT (the details panel, the status bar, the
// terminal): a person can then tell the network's latency from the monitor's load.

// "engine lateness p99 2.1 ms": the larger p99 of the timers' and the sockets' lateness over the last
// minute; empty before the engine measured anything.
QString engineLatenessText(const Snapshot &snapshot);
// Both kinds with p50 / p99 / max, and what they mean, for a tooltip.
QString engineLatenessDetail(const Snapshot &snapshot);
// A lateness as a short number of milliseconds or seconds ("0.05 ms", "2.1 ms", "1.3 s").
QString formatLateness(Duration lateness);

} // namespace kw
