#pragma once

#include "clock.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

namespace kw {

// One timer queue for every per-endpoint deadline (heartbeats, ping timeouts,
// backoff, TCP_INFO polls): the engine arms a single QTimer for nextDeadline()
// and calls runDue() when it fires, instead of one QTimer per endpoint.
// A binary min-heap with lazy cancellation: schedule and cancel are O(log n);
// cancelled entries are dropped when they reach the top or, once they
// outnumber live ones, by rebuilding the heap.
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
    bool isScheduled(TimerId id) const { return m_live.contains(id); }
    std::optional<TimePoint> deadlineOf(TimerId id) const;

    std::optional<TimePoint> nextDeadline() const;
    // Runs the callbacks due at or before `now`, earliest first and in schedule
    // order for equal deadlines. Callbacks may schedule and cancel; a timer they
    // schedule at or before `now` runs on the next call, so a callback that
    // re-arms itself cannot spin this loop. Returns how many ran. `beforeEach`, when given, is told
    // the deadline of each callback right before it runs (EngineTimers measures its lateness).
    std::size_t runDue(TimePoint now, const std::function<void(TimePoint deadline)> &beforeEach = {});

    std::size_t size() const { return m_live.size(); }
    bool isEmpty() const { return m_live.empty(); }
    void clear();

private:
    struct Entry
    {
        TimePoint when;
        TimerId id; // ids grow monotonically, so they order equal deadlines FIFO
    };
    struct Later
    {
        bool operator()(const Entry &a, const Entry &b) const
        {
            return a.when != b.when ? a.when > b.when : a.id > b.id;
        }
    };
    struct Timer
    {
        TimePoint when;
        std::function<void()> fn;
    };

    void dropCancelledTop();
    void compactIfSparse();

    std::vector<Entry> m_heap;
    std::unordered_map<TimerId, Timer> m_live;
    TimerId m_nextId = 1;
};

} // namespace kw
