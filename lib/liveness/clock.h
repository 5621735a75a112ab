#pragma once

#include <chrono>
#include <functional>
#include <memory>

namespace kw {

// Every liveness computation runs on the monotonic clock: wall-clock jumps and
// NTP slews must never fire or delay a timeout.
using TimePoint = std::chrono::steady_clock::time_point;
using Duration = std::chrono::steady_clock::duration;

// The time source handed to everything that needs "now", so tests drive time
// by hand instead of sleeping.
class Clock
{
public:
    // Keeps a subscription to onJump() alive; dropping it unsubscribes.
    using JumpSubscription = std::shared_ptr<void>;

    virtual ~Clock();
    virtual TimePoint now() const = 0;

    // Whoever waits for a time point by sleeping in real time (EngineTimers'
    // QTimer) would never notice a clock that jumps instead of flowing, such
    // as a test's manual clock. Such a clock calls `jumped` after every jump,
    // on the thread that moved it, for as long as the returned subscription
    // lives. A clock that flows never jumps: it returns an empty subscription.
    [[nodiscard]] virtual JumpSubscription onJump(std::function<void()> jumped) const;
};

class SteadyClock final : public Clock
{
public:
    TimePoint now() const override;
};

} // namespace kw
