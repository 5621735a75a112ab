#include "phasegrid.h"

#include <algorithm>

namespace kw {

std::uint64_t PhaseGrid::seedOf(std::string_view name)
{
    std::uint64_t hash = 0xcbf29ce484222325ULL; // FNV-1a offset basis
    for (const char c : name) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL; // FNV prime
    }
    // splitmix64's finaliser (Steele, Lea, Flood 2014)
    hash = (hash ^ (hash >> 30)) * 0xbf58476d1ce4e5b9ULL;
    hash = (hash ^ (hash >> 27)) * 0x94d049bb133111ebULL;
    return hash ^ (hash >> 31);
}

PhaseGrid PhaseGrid::forSeed(std::uint64_t seed, Duration interval)
{
    PhaseGrid grid;
    grid.interval = std::max(interval, Duration(1));
    // Whole microseconds are fine enough: the engine coalesces onto milliseconds.
    const auto steps = static_cast<std::uint64_t>(std::max<std::chrono::microseconds::rep>(
        std::chrono::duration_cast<std::chrono::microseconds>(grid.interval).count(), 1));
    grid.phase = std::min(Duration(std::chrono::microseconds(static_cast<std::int64_t>(seed % steps))),
                          grid.interval - Duration(1));
    return grid;
}

PhaseGrid PhaseGrid::forName(std::string_view name, Duration interval)
{
    return forSeed(seedOf(name), interval);
}

TimePoint PhaseGrid::atOrBefore(TimePoint t) const
{
    // Floor division that holds for readings before epoch + phase too.
    const Duration::rep since = (t.time_since_epoch() - phase).count();
    const Duration::rep step = interval.count();
    Duration::rep k = since / step;
    if (since % step != 0 && since < 0)
        --k;
    return TimePoint(phase + Duration(k * step));
}

TimePoint PhaseGrid::atOrAfter(TimePoint t) const
{
    const TimePoint before = atOrBefore(t);
    return before == t ? t : before + interval;
}

} // namespace kw
