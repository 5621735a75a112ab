#include "latenesssummary.h"

#include <algorithm>
#include <bit>

namespace kw {

namespace {
// Below 2^10 ns (about 1 µs) everything shares bucket 0.
constexpr int kFirstPower = 10;
} // namespace

int LatenessSummary::bucketOf(Duration lateness)
{
    const auto ns = static_cast<std::uint64_t>(
        std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::nanoseconds>(lateness).count()));
    if (ns < (std::uint64_t(1) << kFirstPower))
        return 0;
    const int power = std::bit_width(ns) - 1;
    const int quarter = static_cast<int>((ns >> (power - 2)) & 3u); // the two bits below the top one
    return std::min(kBuckets - 1, (power - kFirstPower) * 4 + quarter + 1);
}

Duration LatenessSummary::upperEdge(int bucket)
{
    if (bucket <= 0)
        return std::chrono::nanoseconds((std::int64_t(1) << kFirstPower) - 1);
    const int power = (bucket - 1) / 4 + kFirstPower;
    const int quarter = (bucket - 1) % 4;
    // [2^p * (4 + q) / 4, 2^p * (5 + q) / 4): the last nanosecond before the next bucket.
    const std::int64_t next = (std::int64_t(4 + quarter + 1) << power) / 4;
    return std::chrono::nanoseconds(next - 1);
}

std::int64_t LatenessSummary::epochOf(TimePoint now)
{
    const auto since = now.time_since_epoch();
    return since.count() < 0 ? 0 : static_cast<std::int64_t>(since / kSlot);
}

void LatenessSummary::note(Duration lateness, TimePoint now)
{
    lateness = std::max(lateness, Duration{});
    const std::int64_t epoch = epochOf(now);
    Slot &slot = m_slots[static_cast<std::size_t>(epoch % kSlots)];
    if (slot.epoch != epoch) {
        slot = Slot{};
        slot.epoch = epoch;
    }
    ++slot.count;
    slot.max = std::max(slot.max, lateness);
    ++slot.buckets[static_cast<std::size_t>(bucketOf(lateness))];
    ++m_totalCount;
    m_totalSeconds += std::chrono::duration<double>(lateness).count();
}

LatenessFigures LatenessSummary::figures(TimePoint now) const
{
    const std::int64_t current = epochOf(now);
    std::array<std::uint64_t, kBuckets> merged{};
    LatenessFigures figures;
    figures.totalCount = m_totalCount;
    figures.totalSeconds = m_totalSeconds;
    for (const Slot &slot : m_slots) {
        if (slot.epoch < 0 || slot.epoch > current || current - slot.epoch >= kSlots)
            continue;
        figures.count += slot.count;
        figures.max = std::max(figures.max, slot.max);
        for (std::size_t i = 0; i < merged.size(); ++i)
            merged[i] += slot.buckets[i];
    }
    if (figures.count == 0)
        return figures;
    // The nearest-rank quantile: the smallest lateness with at least q of the samples at or below it.
    const auto quantile = [&](std::uint64_t rank) {
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < merged.size(); ++i) {
            seen += merged[i];
            if (seen >= rank)
                return std::min(upperEdge(static_cast<int>(i)), figures.max);
        }
        return figures.max;
    };
    figures.p50 = quantile((figures.count + 1) / 2);
    figures.p99 = quantile((figures.count * 99 + 99) / 100);
    return figures;
}

} // namespace kw
