#pragma once

#include "clock.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace kw {

// One timer queue for every per-endpoint deadline (heartbeats, ping timeouts,
// backoff, TCP_INFO polls): the engine arms a single QTimer for nextDeadline()
// and calls runDue() when it fires, instead of one QTimer per endpoint.
//
// Timers live in a slot vector with a free list; an id is the slot's index and
// its generation, which every release of the slot bumps, so a stale id never
// reaches the slot's next timer.
//
// Timers with the same deadline share a bucket: a FIFO list threaded through
// the slots (prev/next indices), so equal deadlines run in schedule order and a
// cancel unlinks in O(1). Only buckets, and timers alone at their deadline, are
// ordered, in an intrusive 4-ary min-heap, and a small direct-mapped table finds
// the bucket (or the alone timer) of a deadline seen recently. EngineTimers
// coalesces deadlines onto power-of-two millisecond grids, so the engine's
// ~30,000 timers share about 300 buckets: the heap is small, and a schedule,
// cancel or run rarely touches it (kw_bench_timers, 30,000 timers, best runs:
// schedule 46 -> 22 ns, cancel 87 -> 38 ns, run 226 -> 38 ns against a heap of
// every timer). With every deadline distinct it stays that heap of timers, at
// about its cost (31 / 50 / 112 ns then, 31 / 51 / 109 now). Nothing is allocated per
// timer once the vectors have grown (callbacks up to std::function's small
// buffer: a captured `this` and a pointer).
class DeadlineScheduler
{
public:
    using TimerId = std::uint64_t;
    static constexpr TimerId kInvalidTimer = 0;

    DeadlineScheduler() = default;
    DeadlineScheduler(const DeadlineScheduler &) = delete;
    DeadlineScheduler &operator=(const DeadlineScheduler &) = delete;

    TimerId schedule(TimePoint when, std::function<void()> fn);
    // False when the timer already ran, was cancelled or never existed.
    bool cancel(TimerId id);
    bool isScheduled(TimerId id) const { return liveSlot(id) != kNone; }
    std::optional<TimePoint> deadlineOf(TimerId id) const;

    std::optional<TimePoint> nextDeadline() const;
    // Runs the callbacks due at or before `now`, earliest first and in schedule
    // order for equal deadlines. Callbacks may schedule and cancel; a timer they
    // schedule at or before `now` runs on the next call, so a callback that
    // re-arms itself cannot spin this loop. Returns how many ran. `beforeEach`, when given, is told
    // the deadline of each callback right before it runs (EngineTimers measures its lateness).
    std::size_t runDue(TimePoint now, const std::function<void(TimePoint deadline)> &beforeEach = {});

    std::size_t size() const { return m_live; }
    bool isEmpty() const { return m_live == 0; }
    void clear();

private:
    static constexpr std::uint32_t kNone = 0xffffffffU;
    // Bucket::position of a bucket out of the heap while runDue() runs it or holds it for the next
    // call. A timer scheduled at its deadline still joins it, and runDue() frees it or puts it
    // back, never cancel().
    static constexpr std::uint32_t kOut = 0xfffffffeU;
    // Slot::bucket of a timer alone at its deadline: in the heap itself, Slot::prev its position.
    static constexpr std::uint32_t kAlone = 0xfffffffdU;
    // A heap entry's (and a Recent's) item: a bucket's index with this bit, or an alone slot's.
    static constexpr std::uint32_t kBucketBit = 0x80000000U;

    struct Slot
    {
        std::function<void()> fn;
        std::uint64_t order = 0; // grows with every schedule: runDue() tells timers armed during it
        std::uint32_t generation = 1;
        // Live: the bucket, or kAlone. Free: kNone.
        std::uint32_t bucket = kNone;
        // In a bucket: neighbours in its list. Alone: `prev` is the index in m_heap. Free: `next`
        // is the next free slot (or kNone).
        std::uint32_t prev = kNone;
        std::uint32_t next = kNone;
    };
    struct Bucket
    {
        TimePoint when;
        // Orders the items of one deadline (see m_recent): the order of its first timer.
        std::uint64_t order = 0;
        std::uint32_t head = kNone; // free: the next free bucket
        std::uint32_t tail = kNone;
        // Live: the index in m_heap, or kOut. Free: kNone.
        std::uint32_t position = kNone;
    };
    struct HeapEntry
    {
        TimePoint when; // the item's, here so sifting reads no slot or bucket
        std::uint32_t item;
    };

    std::uint32_t liveSlot(TimerId id) const;
    std::uint32_t newBucket(TimePoint when, std::uint64_t order);
    void append(std::uint32_t bucket, std::uint32_t slot);
    std::uint32_t bucketOfAlone(std::uint32_t slot, TimePoint when, std::uint32_t position);
    void unlink(std::uint32_t slot);
    void release(std::uint32_t slot);
    void freeBucket(std::uint32_t bucket);
    void settle(std::uint32_t bucket);
    void forget(TimePoint when, std::uint32_t item);

    void place(std::size_t index, const HeapEntry &entry);
    void siftUp(std::size_t index, HeapEntry entry);
    void siftDown(std::size_t index, HeapEntry entry);
    void removeAt(std::size_t index);
    void push(const HeapEntry &entry);

    std::uint64_t orderOf(std::uint32_t item) const
    {
        return (item & kBucketBit) != 0 ? m_buckets[item & ~kBucketBit].order : m_slots[item].order;
    }
    bool before(const HeapEntry &a, const HeapEntry &b) const
    {
        return a.when != b.when ? a.when < b.when : orderOf(a.item) < orderOf(b.item);
    }
    static std::size_t recentIndex(TimePoint when);

    std::vector<Slot> m_slots;
    std::vector<Bucket> m_buckets;
    std::vector<HeapEntry> m_heap;
    // The item last made for a deadline that hashes here, while it lives. A deadline whose entry
    // another one took gets a new item, after its older ones in the heap (their order) and the one
    // its later timers join: FIFO holds without an exact map of every deadline.
    struct Recent
    {
        TimePoint when; // here too, so a miss reads no slot or bucket
        std::uint32_t item = kNone;
    };
    std::vector<Recent> m_recent;
    std::vector<std::uint32_t> m_deferred; // runDue()'s buckets, kept for its capacity
    std::uint32_t m_freeSlot = kNone;
    std::uint32_t m_freeBucket = kNone;
    std::size_t m_live = 0;
    std::uint64_t m_nextOrder = 1;
};

} // namespace kw
