#include "deadlinescheduler.h"

#include <algorithm>
#include <utility>

namespace kw {

namespace {
// Four children per node: half the depth of a binary heap, and the children of a node share a
// cache line or two, so sifting down after the top ran touches fewer lines.
constexpr std::size_t kArity = 4;

constexpr std::uint32_t slotOf(DeadlineScheduler::TimerId id)
{
    return static_cast<std::uint32_t>(id & 0xffffffffU) - 1;
}
constexpr std::uint32_t generationOf(DeadlineScheduler::TimerId id)
{
    return static_cast<std::uint32_t>(id >> 32);
}
} // namespace

DeadlineScheduler::TimerId DeadlineScheduler::schedule(TimePoint when, std::function<void()> fn)
{
    std::uint32_t slot = m_freeHead;
    if (slot != kNone) {
        m_freeHead = m_slots[slot].position;
    } else {
        slot = static_cast<std::uint32_t>(m_slots.size());
        m_slots.emplace_back();
    }
    Slot &timer = m_slots[slot];
    timer.when = when;
    timer.fn = std::move(fn);
    timer.live = true;
    ++m_live;
    push(Entry{when, m_nextOrder++, slot, timer.generation});
    return (TimerId(timer.generation) << 32) | (TimerId(slot) + 1);
}

bool DeadlineScheduler::cancel(TimerId id)
{
    const std::uint32_t slot = liveSlot(id);
    if (slot == kNone)
        return false;
    // A deferred timer (runDue() under way) is out of the heap; runDue() skips it when restoring.
    if (const std::uint32_t position = m_slots[slot].position; position != kDeferred)
        removeAt(position);
    release(slot);
    return true;
}

std::optional<TimePoint> DeadlineScheduler::deadlineOf(TimerId id) const
{
    const std::uint32_t slot = liveSlot(id);
    if (slot == kNone)
        return std::nullopt;
    return m_slots[slot].when;
}

std::optional<TimePoint> DeadlineScheduler::nextDeadline() const
{
    if (m_heap.empty())
        return std::nullopt;
    return m_heap.front().when;
}

std::size_t DeadlineScheduler::runDue(TimePoint now,
                                      const std::function<void(TimePoint deadline)> &beforeEach)
{
    // Timers scheduled by the callbacks below have an order >= this and wait for the next call,
    // even when due.
    const std::uint64_t firstNew = m_nextOrder;
    std::size_t ran = 0;

    // Puts deferred timers back even if a callback throws.
    struct Restore
    {
        DeadlineScheduler &scheduler;
        std::vector<Entry> deferred;
        ~Restore()
        {
            for (const Entry &entry : deferred) {
                const Slot &timer = scheduler.m_slots[entry.slot];
                // Unless cancelled meanwhile (the slot perhaps reused by another timer).
                if (timer.live && timer.generation == entry.generation)
                    scheduler.push(entry);
            }
            deferred.clear();
            scheduler.m_deferred = std::move(deferred);
        }
    } restore{*this, std::move(m_deferred)};
    restore.deferred.clear();

    while (!m_heap.empty() && m_heap.front().when <= now) {
        const Entry entry = m_heap.front();
        removeAt(0);
        Slot &timer = m_slots[entry.slot];
        if (entry.order >= firstNew) {
            timer.position = kDeferred;
            restore.deferred.push_back(entry);
            continue;
        }
        std::function<void()> fn = std::move(timer.fn);
        release(entry.slot); // `timer` may dangle from here: callbacks schedule
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
    for (std::uint32_t slot = 0; slot < m_slots.size(); ++slot) {
        if (m_slots[slot].live)
            release(slot);
    }
    m_heap.clear();
}

std::uint32_t DeadlineScheduler::liveSlot(TimerId id) const
{
    const std::uint32_t slot = slotOf(id); // id 0 wraps to kNone
    if (slot >= m_slots.size())
        return kNone;
    const Slot &timer = m_slots[slot];
    return timer.live && timer.generation == generationOf(id) ? slot : kNone;
}

void DeadlineScheduler::release(std::uint32_t slot)
{
    Slot &timer = m_slots[slot];
    timer.fn = nullptr;
    timer.live = false;
    ++timer.generation; // every id handed out for this slot so far is stale now
    if (timer.generation == 0)
        timer.generation = 1; // keeps ids != kInvalidTimer
    timer.position = m_freeHead;
    m_freeHead = slot;
    --m_live;
}

void DeadlineScheduler::place(std::size_t index, const Entry &entry)
{
    m_heap[index] = entry;
    m_slots[entry.slot].position = static_cast<std::uint32_t>(index);
}

void DeadlineScheduler::siftUp(std::size_t index, Entry entry)
{
    while (index > 0) {
        const std::size_t parent = (index - 1) / kArity;
        if (!before(entry, m_heap[parent]))
            break;
        place(index, m_heap[parent]);
        index = parent;
    }
    place(index, entry);
}

void DeadlineScheduler::siftDown(std::size_t index, Entry entry)
{
    const std::size_t count = m_heap.size();
    for (;;) {
        const std::size_t first = index * kArity + 1;
        if (first >= count)
            break;
        const std::size_t last = std::min(first + kArity, count);
        std::size_t best = first;
        for (std::size_t child = first + 1; child < last; ++child) {
            if (before(m_heap[child], m_heap[best]))
                best = child;
        }
        if (!before(m_heap[best], entry))
            break;
        place(index, m_heap[best]);
        index = best;
    }
    place(index, entry);
}

void DeadlineScheduler::removeAt(std::size_t index)
{
    const Entry last = m_heap.back();
    m_heap.pop_back();
    if (index == m_heap.size())
        return; // it was the last one
    // The last entry fills the hole and moves whichever way it belongs.
    if (index > 0 && before(last, m_heap[(index - 1) / kArity]))
        siftUp(index, last);
    else
        siftDown(index, last);
}

void DeadlineScheduler::push(const Entry &entry)
{
    m_heap.push_back(entry);
    siftUp(m_heap.size() - 1, entry);
}

} // namespace kw
