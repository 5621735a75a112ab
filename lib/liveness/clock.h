#pragma once

#include <chrono>

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
    virtual ~Clock();
    virtual TimePoint now() const = 0;
};

class SteadyClock final : public Clock
{
public:
    TimePoint now() const override;
};

// A clock that only moves when told to. Starts at an arbitrary fixed point so
// that "start - something" stays representable.
class ManualClock final : public Clock
{
public:
    explicit ManualClock(TimePoint start = TimePoint{} + std::chrono::hours(24));

    TimePoint now() const override;
    void advance(Duration by);
    void set(TimePoint to);

private:
    TimePoint m_now;
};

} // namespace kw
