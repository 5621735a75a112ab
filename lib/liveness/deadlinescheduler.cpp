#include "deadlinescheduler.h"

#include <algorithm>
#include <utility>

namespace kw {

namespace {
// Four children per node: half the depth of a binary heap, and the children of a node share a
// cache line, so sifting down after the top ran touches fewer lines.
constexpr std::size_t kArity = 4;
// 1,024 recent deadlines: the engine's few hundred live ones rarely share an entry.
constexpr int kRecentBits = 10;

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
    std::uint32_t slot = m_freeSlot;
    if (slot != kNone) {
        m_freeSlot = m_slots[slot].next;
    } else {
        slot = static_cast<std::uint32_t>(m_slots.size());
        m_slots.emplace_back();
    }
    {
        Slot &timer = m_slots[slot];
        timer.fn = std::move(fn);
        timer.order = m_nextOrder++;
    }
    ++m_live;

    if (m_recent.empty())
        m_recent.resize(std::size_t(1) << kRecentBits);
    const std::size_t recentAt = recentIndex(when);
    const Recent recent = m_recent[recentAt];
    if (recent.item != kNone && recent.when == when) { // live: forget() drops it
        std::uint32_t bucket = recent.item & ~kBucketBit;
        if ((recent.item & kBucketBit) == 0) {
            // A second timer at this deadline: the first one's place in the heap becomes a bucket's.
            const std::uint32_t alone = recent.item;
            bucket = bucketOfAlone(alone, when, m_slots[alone].prev);
            m_recent[recentAt].item = bucket | kBucketBit;
        }
        append(bucket, slot);
    } else {
        Slot &timer = m_slots[slot];
        timer.bucket = kAlone;
        timer.next = kNone;
        m_recent[recentAt] = Recent{when, slot};
        push(HeapEntry{when, slot});
    }
    const Slot &timer = m_slots[slot];
    return (TimerId(timer.generation) << 32) | (TimerId(slot) + 1);
}

bool DeadlineScheduler::cancel(TimerId id)
{
    const std::uint32_t slot = liveSlot(id);
    if (slot == kNone)
        return false;
    const std::uint32_t bucket = m_slots[slot].bucket;
    if (bucket == kAlone) {
        const std::uint32_t position = m_slots[slot].prev;
        forget(m_heap[position].when, slot);
        removeAt(position);
        release(slot);
        return true;
    }
    unlink(slot);
    release(slot);
    // A bucket out of the heap (runDue() under way) is runDue()'s to free or put back.
    if (const Bucket &list = m_buckets[bucket]; list.head == kNone && list.position != kOut)
        freeBucket(bucket);
    return true;
}

std::optional<TimePoint> DeadlineScheduler::deadlineOf(TimerId id) const
{
    const std::uint32_t slot = liveSlot(id);
    if (slot == kNone)
        return std::nullopt;
    const Slot &timer = m_slots[slot];
    return timer.bucket == kAlone ? m_heap[timer.prev].when : m_buckets[timer.bucket].when;
}

std::optional<TimePoint> DeadlineScheduler::nextDeadline() const
{
    // Every item in the heap holds a timer: cancel() frees a bucket it empties.
    if (m_heap.empty())
        return std::nullopt;
    return m_heap.front().when;
}

std::size_t DeadlineScheduler::runDue(TimePoint now,
                                      const std::function<void(TimePoint deadline)> &beforeEach)
{
    // Timers scheduled by the callbacks below have an order >= this and wait for the next call,
    // even when due. A bucket's list is in schedule order, so once its head is such a timer, so
    // is the rest: the bucket waits whole.
    const std::uint64_t firstNew = m_nextOrder;
    std::size_t ran = 0;

    // Puts the bucket under way and the waiting ones back (or frees them if cancels emptied them),
    // also if a callback throws.
    struct Restore
    {
        DeadlineScheduler &scheduler;
        std::vector<std::uint32_t> deferred;
        std::uint32_t running = kNone;
        ~Restore()
        {
            if (running != kNone)
                scheduler.settle(running);
            for (const std::uint32_t bucket : deferred)
                scheduler.settle(bucket);
            deferred.clear();
            scheduler.m_deferred = std::move(deferred);
        }
    } restore{*this, std::move(m_deferred)};
    restore.deferred.clear();

    while (!m_heap.empty() && m_heap.front().when <= now) {
        const HeapEntry top = m_heap.front();
        if ((top.item & kBucketBit) == 0) {
            const std::uint32_t slot = top.item;
            if (m_slots[slot].order >= firstNew) {
                // Waits in a bucket of its own, out of the heap, where deadlineOf() still finds it.
                restore.deferred.push_back(bucketOfAlone(slot, top.when, 0));
                removeAt(0);
                m_buckets[restore.deferred.back()].position = kOut;
                continue;
            }
            removeAt(0);
            forget(top.when, slot);
            std::function<void()> fn = std::move(m_slots[slot].fn);
            release(slot);
            ++ran;
            if (beforeEach)
                beforeEach(top.when);
            if (fn)
                fn();
            continue;
        }
        const std::uint32_t bucket = top.item & ~kBucketBit;
        removeAt(0);
        m_buckets[bucket].position = kOut;
        restore.running = bucket;
        // Callbacks may grow m_slots and m_buckets: no reference is kept across one.
        for (std::uint32_t slot = m_buckets[bucket].head; slot != kNone; slot = m_buckets[bucket].head) {
            Slot &timer = m_slots[slot];
            if (timer.order >= firstNew) {
                restore.deferred.push_back(bucket);
                restore.running = kNone;
                break;
            }
            std::function<void()> fn = std::move(timer.fn);
            unlink(slot);
            release(slot);
            ++ran;
            if (beforeEach)
                beforeEach(top.when);
            if (fn)
                fn();
        }
        if (restore.running != kNone) {
            restore.running = kNone;
            freeBucket(bucket); // ran empty
        }
    }
    return ran;
}

void DeadlineScheduler::clear()
{
    for (std::uint32_t slot = 0; slot < m_slots.size(); ++slot) {
        if (m_slots[slot].bucket != kNone)
            release(slot);
    }
    m_heap.clear();
    std::fill(m_recent.begin(), m_recent.end(), Recent{});
    for (std::uint32_t bucket = 0; bucket < m_buckets.size(); ++bucket) {
        Bucket &list = m_buckets[bucket];
        if (list.position == kNone)
            continue; // free
        list.head = list.tail = kNone;
        // One runDue() is running or holding stays for it to free.
        if (list.position != kOut) {
            list.position = kOut; // out of the heap already
            freeBucket(bucket);
        }
    }
}

std::uint32_t DeadlineScheduler::liveSlot(TimerId id) const
{
    const std::uint32_t slot = slotOf(id); // id 0 wraps to kNone
    if (slot >= m_slots.size())
        return kNone;
    const Slot &timer = m_slots[slot];
    return timer.bucket != kNone && timer.generation == generationOf(id) ? slot : kNone;
}

std::uint32_t DeadlineScheduler::newBucket(TimePoint when, std::uint64_t order)
{
    std::uint32_t bucket = m_freeBucket;
    if (bucket != kNone) {
        m_freeBucket = m_buckets[bucket].head;
    } else {
        bucket = static_cast<std::uint32_t>(m_buckets.size());
        m_buckets.emplace_back();
    }
    Bucket &list = m_buckets[bucket];
    list.when = when;
    list.order = order;
    list.head = list.tail = kNone;
    return bucket;
}

void DeadlineScheduler::append(std::uint32_t bucket, std::uint32_t slot)
{
    Slot &timer = m_slots[slot];
    Bucket &list = m_buckets[bucket];
    timer.bucket = bucket;
    timer.prev = list.tail;
    timer.next = kNone;
    if (list.tail != kNone)
        m_slots[list.tail].next = slot;
    else
        list.head = slot;
    list.tail = slot;
}

// The alone timer `slot` at heap index `position` becomes a bucket's first timer, the bucket taking
// its heap entry (and its Recent entry, if it has one).
std::uint32_t DeadlineScheduler::bucketOfAlone(std::uint32_t slot, TimePoint when, std::uint32_t position)
{
    const std::uint32_t bucket = newBucket(when, m_slots[slot].order);
    m_buckets[bucket].position = position;
    m_heap[position].item = bucket | kBucketBit;
    if (Recent &recent = m_recent[recentIndex(when)]; recent.item == slot)
        recent.item = bucket | kBucketBit;
    append(bucket, slot);
    return bucket;
}

void DeadlineScheduler::unlink(std::uint32_t slot)
{
    const Slot &timer = m_slots[slot];
    Bucket &list = m_buckets[timer.bucket];
    if (timer.prev != kNone)
        m_slots[timer.prev].next = timer.next;
    else
        list.head = timer.next;
    if (timer.next != kNone)
        m_slots[timer.next].prev = timer.prev;
    else
        list.tail = timer.prev;
}

void DeadlineScheduler::release(std::uint32_t slot)
{
    Slot &timer = m_slots[slot];
    timer.fn = nullptr;
    timer.bucket = kNone;
    ++timer.generation; // every id handed out for this slot so far is stale now
    if (timer.generation == 0)
        timer.generation = 1; // keeps ids != kInvalidTimer
    timer.next = m_freeSlot;
    m_freeSlot = slot;
    --m_live;
}

void DeadlineScheduler::freeBucket(std::uint32_t bucket)
{
    Bucket &list = m_buckets[bucket];
    if (list.position != kOut)
        removeAt(list.position);
    forget(list.when, bucket | kBucketBit);
    list.position = kNone;
    list.head = m_freeBucket;
    m_freeBucket = bucket;
}

void DeadlineScheduler::settle(std::uint32_t bucket)
{
    const Bucket &list = m_buckets[bucket];
    if (list.head == kNone)
        freeBucket(bucket);
    else
        push(HeapEntry{list.when, bucket | kBucketBit});
}

void DeadlineScheduler::forget(TimePoint when, std::uint32_t item)
{
    if (Recent &recent = m_recent[recentIndex(when)]; recent.item == item)
        recent.item = kNone;
}

void DeadlineScheduler::place(std::size_t index, const HeapEntry &entry)
{
    m_heap[index] = entry;
    const auto position = static_cast<std::uint32_t>(index);
    if ((entry.item & kBucketBit) != 0)
        m_buckets[entry.item & ~kBucketBit].position = position;
    else
        m_slots[entry.item].prev = position;
}

void DeadlineScheduler::siftUp(std::size_t index, HeapEntry entry)
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

void DeadlineScheduler::siftDown(std::size_t index, HeapEntry entry)
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
    const HeapEntry last = m_heap.back();
    m_heap.pop_back();
    if (index == m_heap.size())
        return; // it was the last one
    // The last entry fills the hole and moves whichever way it belongs.
    if (index > 0 && before(last, m_heap[(index - 1) / kArity]))
        siftUp(index, last);
    else
        siftDown(index, last);
}

void DeadlineScheduler::push(const HeapEntry &entry)
{
    m_heap.push_back(entry);
    siftUp(m_heap.size() - 1, entry);
}

// The deadlines EngineTimers hands in are multiples of a power-of-two millisecond count, so their
// low bits say little: MurmurHash3's 64-bit finaliser spreads every bit, and the top ones index.
std::size_t DeadlineScheduler::recentIndex(TimePoint when)
{
    auto x = static_cast<std::uint64_t>(when.time_since_epoch().count());
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return static_cast<std::size_t>(x >> (64 - kRecentBits));
}

} // namespace kw
