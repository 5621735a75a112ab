#include "manualclock.h"

#include <algorithm>
#include <mutex>
#include <vector>

namespace kw::test {

struct ManualClock::Subscribers
{
    // Recursive: a callback may subscribe or unsubscribe on the moving thread.
    std::recursive_mutex mutex;
    std::vector<const std::function<void()> *> callbacks;
};

ManualClock::ManualClock(TimePoint start)
    : m_now(start.time_since_epoch().count()), m_subscribers(std::make_shared<Subscribers>())
{}

ManualClock::~ManualClock() = default;

TimePoint ManualClock::now() const
{
    return TimePoint(Duration(m_now.load(std::memory_order_acquire)));
}

Clock::JumpSubscription ManualClock::onJump(std::function<void()> jumped) const
{
    auto *callback = new std::function<void()>(std::move(jumped));
    const std::lock_guard lock(m_subscribers->mutex);
    m_subscribers->callbacks.push_back(callback);
    return JumpSubscription(callback, [subscribers = m_subscribers](void *p) {
        auto *callback = static_cast<std::function<void()> *>(p);
        {
            const std::lock_guard lock(subscribers->mutex);
            std::erase(subscribers->callbacks, callback);
        }
        delete callback;
    });
}

void ManualClock::advance(Duration by)
{
    m_now.fetch_add(by.count(), std::memory_order_acq_rel);
    notify();
}

void ManualClock::set(TimePoint to)
{
    m_now.store(to.time_since_epoch().count(), std::memory_order_release);
    notify();
}

void ManualClock::notify()
{
    // Held throughout, so that no subscriber is called after its subscription was dropped.
    const std::lock_guard lock(m_subscribers->mutex);
    const std::vector<const std::function<void()> *> callbacks = m_subscribers->callbacks;
    for (const std::function<void()> *callback : callbacks) {
        // A callback before this one may have dropped it.
        if (std::ranges::find(m_subscribers->callbacks, callback) != m_subscribers->callbacks.end())
            (*callback)();
    }
}

} // namespace kw::test
