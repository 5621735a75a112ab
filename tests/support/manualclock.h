#pragma once

#include "clock.h"

#include <atomic>
#include <functional>
#include <memory>

namespace kw::test {

// A clock that only moves when told to. Starts at an arbitrary fixed point so
// that "start - something" stays representable.
//
// The engine reads it on its own thread while a test moves it on another, so
// the reading is atomic. Every move tells the onJump() subscribers before it
// returns: EngineTimers subscribes and runs what became due (waiting for its
// thread when it lives on another), so once advance() returns, every engine
// deadline up to the new reading has run.
class ManualClock final : public Clock
{
public:
    explicit ManualClock(TimePoint start = TimePoint{} + std::chrono::hours(24));
    ~ManualClock() override;
    ManualClock(const ManualClock &) = delete;
    ManualClock &operator=(const ManualClock &) = delete;

    TimePoint now() const override;
    // A subscriber called back by a move must not create or destroy another
    // subscriber on a thread other than the one moving the clock: the move
    // holds the subscriber list while it waits for the callbacks.
    JumpSubscription onJump(std::function<void()> jumped) const override;

    void advance(Duration by);
    void set(TimePoint to);

private:
    struct Subscribers;

    void notify();

    std::atomic<Duration::rep> m_now;
    std::shared_ptr<Subscribers> m_subscribers; // shared with the subscriptions, which may outlive us
};

} // namespace kw::test
