#pragma once

#include "clock.h"

#include <array>
#include <cstdint>

namespace kw {

// p50 / p99 / max of the last samples of one kind of lateness, as LatenessSummary hands them out.
struct LatenessFigures
{
    std::uint64_t count = 0; // samples in the window
    Duration p50{};
    Duration p99{};
    Duration max{};
    // Every sample since the start, for a Prometheus summary's _count and _sum.
    std::uint64_t totalCount = 0;
    double totalSeconds = 0.0;
};

// A rolling summary of how late the engine itself ran (timer callbacks after their coalesced
// deadline, bytes left waiting in a ready socket), so a person can tell the network's latency from
// the monitor's load. The window is kSlots slots of kSlot each: the current slot and the full ones
// before it, so figures cover between 50 and 60 s. Each slot is a fixed histogram with four buckets
// per power of two (about 19 % apart) from 1 µs up to about 18 minutes: noting a sample is a bit
// scan and an increment, with no allocation, and reading the figures (at most 4 times a second, for
// the snapshot) merges the slots.
//
// A quantile is reported as the upper edge of its bucket (never below the true value, at most ~19 %
// above it), and never above the window's exact maximum.
class LatenessSummary
{
public:
    static constexpr Duration kSlot = std::chrono::seconds(10);
    static constexpr int kSlots = 6;
    static constexpr int kBuckets = 121;

    // A negative lateness (a clock that was read earlier elsewhere) counts as zero.
    void note(Duration lateness, TimePoint now);
    LatenessFigures figures(TimePoint now) const;

    // Every sample since the start, for a Prometheus summary's _count and _sum.
    std::uint64_t totalCount() const { return m_totalCount; }
    double totalSeconds() const { return m_totalSeconds; }

    // The bucket a lateness falls in and the largest lateness that bucket holds (for the tests).
    static int bucketOf(Duration lateness);
    static Duration upperEdge(int bucket);

private:
    struct Slot
    {
        std::int64_t epoch = -1; // which kSlot-long stretch of the clock it holds; -1: never used
        std::uint64_t count = 0;
        Duration max{};
        std::array<std::uint32_t, kBuckets> buckets{};
    };

    static std::int64_t epochOf(TimePoint now);

    std::array<Slot, kSlots> m_slots{};
    std::uint64_t m_totalCount = 0;
    double m_totalSeconds = 0.0;
};

} // namespace kw
