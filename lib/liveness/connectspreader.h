#pragma once

#include "clock.h"

#include <optional>

namespace kw {

struct SpreaderParams
{
    int burst = 20;            // attempts that may start at the same instant
    double ratePerSecond = 50; // sustained attempts per second after the burst

    bool operator==(const SpreaderParams &) const = default;
};

// Keeps thousands of endpoints that fail together (a switch reboots, the broker
// restarts) from reconnecting in the same millisecond. A token bucket in its
// GCRA form: in any window of length W at most burst + rate x W attempts start.
// Reservations are never refused, only pushed later.
class ConnectSpreader
{
public:
    explicit ConnectSpreader(SpreaderParams params = {});

    const SpreaderParams &params() const { return m_params; }

    // The earliest time >= desired at which this attempt may start. The slot
    // is taken: call once per attempt.
    TimePoint reserve(TimePoint desired);
    // How much later than desired reserve(desired) would answer, without reserving.
    Duration delayFor(TimePoint desired) const;
    // True when the whole burst is available again at `now`: the spreader then
    // answers as a new one would, so a table of them may drop it.
    bool isIdle(TimePoint now) const { return !m_theoreticalArrival || *m_theoreticalArrival <= now; }
    void reset();

private:
    SpreaderParams m_params;
    Duration m_emissionInterval{};
    Duration m_tolerance{};
    std::optional<TimePoint> m_theoreticalArrival;
};

} // namespace kw
