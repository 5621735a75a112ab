#include "clock.h"

namespace kw {

Clock::~Clock() = default;

TimePoint SteadyClock::now() const
{
    return std::chrono::steady_clock::now();
}

ManualClock::ManualClock(TimePoint start) : m_now(start) {}

TimePoint ManualClock::now() const
{
    return m_now;
}

void ManualClock::advance(Duration by)
{
    m_now += by;
}

void ManualClock::set(TimePoint to)
{
    m_now = to;
}

} // namespace kw
