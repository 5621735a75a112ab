#include "connectspreader.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace kw {

ConnectSpreader::ConnectSpreader(SpreaderParams params) : m_params(params)
{
    m_params.burst = std::max(m_params.burst, 1);
    if (!(m_params.ratePerSecond > 0))
        m_params.ratePerSecond = 1;
    const auto interval = std::chrono::duration<double>(1.0 / m_params.ratePerSecond);
    m_emissionInterval = std::max(Duration(1), std::chrono::round<Duration>(interval));
    m_tolerance = m_emissionInterval * (m_params.burst - 1);
}

TimePoint ConnectSpreader::reserve(TimePoint desired)
{
    const TimePoint start = desired + delayFor(desired);
    // GCRA: the theoretical arrival time advances one emission interval per
    // attempt; an attempt may start up to `tolerance` ahead of it (the burst).
    const TimePoint tat = m_theoreticalArrival ? std::max(*m_theoreticalArrival, start) : start;
    m_theoreticalArrival = tat + m_emissionInterval;
    return start;
}

Duration ConnectSpreader::delayFor(TimePoint desired) const
{
    if (!m_theoreticalArrival)
        return Duration::zero();
    const TimePoint earliest = *m_theoreticalArrival - m_tolerance;
    return std::max(Duration::zero(), earliest - desired);
}

void ConnectSpreader::reset()
{
    m_theoreticalArrival.reset();
}

} // namespace kw
