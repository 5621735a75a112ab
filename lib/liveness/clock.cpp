#include "clock.h"

namespace kw {

Clock::~Clock() = default;

Clock::JumpSubscription Clock::onJump(std::function<void()>) const
{
    return {};
}

TimePoint SteadyClock::now() const
{
    return std::chrono::steady_clock::now();
}

} // namespace kw
