#include "deadlinescheduler.h"

#include <algorithm>
#include <utility>

namespace kw {

namespace {
// Below this many heap entries a rebuild is not worth its cost.
constexpr std::size_t kCompactMinimum = 64;
} // namespace

DeadlineScheduler::TimerId DeadlineScheduler::schedule(TimePoint when, std::function<void()> fn)
{
    const TimerId id = m_nextId++;
    m_live.emplace(id, Timer{when, std::move(fn)});
    m_heap.push_back({when, id});
    std::push_heap(m_heap.begin(), m_heap.end(), Later{});
    return id;
}

bool DeadlineScheduler::cancel(TimerId id)
{
    if (m_live.erase(id) == 0)
        return false;
    dropCancelledTop();
    compactIfSparse();
    return true;
}

std::optional<TimePoint> DeadlineScheduler::deadlineOf(TimerId id) const
{
    const auto it = m_live.find(id);
    if (it == m_live.end())
        return std::nullopt;
    return it->second.when;
}

std::optional<TimePoint> DeadlineScheduler::nextDeadline() const
{
    // dropCancelledTop() keeps a live entry on top after every change.
    if (m_heap.empty())
        return std::nullopt;
    return m_heap.front().when;
}

std::size_t DeadlineScheduler::runDue(TimePoint now,
                                      const std::function<void(TimePoint deadline)> &beforeEach)
{
    // Timers scheduled by the callbacks below get ids >= this and wait for the
    // next call, even when due.
    const TimerId firstNew = m_nextId;
    std::vector<Entry> deferred;
    std::size_t ran = 0;

    // Puts deferred entries back even if a callback throws.
    struct Restore
    {
        DeadlineScheduler &scheduler;
        std::vector<Entry> &deferred;
        ~Restore()
        {
            for (const Entry &entry : deferred) {
                scheduler.m_heap.push_back(entry);
                std::push_heap(scheduler.m_heap.begin(), scheduler.m_heap.end(), Later{});
            }
            scheduler.dropCancelledTop();
        }
    } restore{*this, deferred};

    while (!m_heap.empty() && m_heap.front().when <= now) {
        std::pop_heap(m_heap.begin(), m_heap.end(), Later{});
        const Entry entry = m_heap.back();
        m_heap.pop_back();
        if (entry.id >= firstNew) {
            deferred.push_back(entry);
            continue;
        }
        const auto it = m_live.find(entry.id);
        if (it == m_live.end())
            continue; // cancelled
        std::function<void()> fn = std::move(it->second.fn);
        m_live.erase(it);
        ++ran;
        if (beforeEach)
            beforeEach(entry.when);
        if (fn)
            fn();
    }
    return ran;
}

void DeadlineScheduler::clear()
{
    m_heap.clear();
    m_live.clear();
}

void DeadlineScheduler::dropCancelledTop()
{
    while (!m_heap.empty() && !m_live.contains(m_heap.front().id)) {
        std::pop_heap(m_heap.begin(), m_heap.end(), Later{});
        m_heap.pop_back();
    }
}

void DeadlineScheduler::compactIfSparse()
{
    if (m_heap.size() < kCompactMinimum || m_heap.size() <= 2 * m_live.size())
        return;
    std::erase_if(m_heap, [this](const Entry &entry) { return !m_live.contains(entry.id); });
    std::make_heap(m_heap.begin(), m_heap.end(), Later{});
}

} // namespace kw
