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
// reaches the slot's next timer. An intrusive 4-ary min-heap of the slots
// (each slot knows its heap position) makes schedule and cancel O(log n)
// without tombstones or a hash map, and nothing is allocated per timer once
// the vectors have grown (callbacks up to std::function's small buffer: a
// captured `this` and a pointer).
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
    // Slot::position of a timer taken out of the heap by runDue() for the next call.
    static constexpr std::uint32_t kDeferred = 0xfffffffeU;

    struct Slot
    {
        TimePoint when;
        std::function<void()> fn;
        std::uint32_t generation = 1;
        // Live: the index in m_heap (or kDeferred). Free: the next free slot (or kNone).
        std::uint32_t position = kNone;
        bool live = false;
    };
    struct Entry
    {
        TimePoint when;
        std::uint64_t order; // grows with every schedule: equal deadlines run FIFO
        std::uint32_t slot;
        std::uint32_t generation; // the slot's when scheduled (fills the padding)
    };
    static bool before(const Entry &a, const Entry &b)
    {
        return a.when != b.when ? a.when < b.when : a.order < b.order;
    }

    std::uint32_t liveSlot(TimerId id) const;
    void release(std::uint32_t slot);
    void place(std::size_t index, const Entry &entry);
    void siftUp(std::size_t index, Entry entry);
    void siftDown(std::size_t index, Entry entry);
    void removeAt(std::size_t index);
    void push(const Entry &entry);

    std::vector<Slot> m_slots;
    std::vector<Entry> m_heap;
    std::vector<Entry> m_deferred; // runDue()'s, kept for its capacity
    std::uint32_t m_freeHead = kNone;
    std::size_t m_live = 0;
    std::uint64_t m_nextOrder = 1;
};

} // namespace kw
