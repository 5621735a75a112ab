#include "backoff.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>

namespace kw {

namespace {

// splitmix64 (Steele, Lea and Flood 2014): eight bytes of state, so the lambda fits in
// std::function's own storage. A std::mt19937_64 here was 2.5 KB on the heap for every endpoint,
// for a few jitter draws an hour.
Backoff::Random seededUniform(std::uint64_t seed)
{
    return [state = seed]() mutable {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        z ^= z >> 31;
        return double(z >> 11) * 0x1.0p-53; // [0, 1) with 53 random bits
    };
}

double toMs(std::chrono::milliseconds value)
{
    return static_cast<double>(value.count());
}

std::chrono::milliseconds fromMs(double ms)
{
    return std::chrono::milliseconds(std::llround(std::max(0.0, ms)));
}

} // namespace

Backoff::Backoff(BackoffParams params) : Backoff(params, std::random_device{}()) {}

Backoff::Backoff(BackoffParams params, std::uint64_t seed) : Backoff(params, seededUniform(seed)) {}

Backoff::Backoff(BackoffParams params, Random random)
    : m_params(params), m_random(random ? std::move(random) : seededUniform(std::random_device{}()))
{
    // Nonsense from a hand-edited workspace must not produce a zero or shrinking delay.
    m_params.initial = std::max(m_params.initial, std::chrono::milliseconds(0));
    m_params.max = std::max(m_params.max, m_params.initial);
    m_params.multiplier = std::max(m_params.multiplier, 1.0);
    m_params.jitter = std::clamp(m_params.jitter, 0.0, 1.0);
    reset();
}

std::chrono::milliseconds Backoff::nextDelay()
{
    const double base = m_currentMs;
    const double u = std::clamp(m_random(), 0.0, 1.0);
    const double delay = base * (1.0 + m_params.jitter * (2.0 * u - 1.0));
    m_lastBaseMs = base;
    m_currentMs = std::min(m_currentMs * m_params.multiplier, toMs(m_params.max));
    ++m_attempts;
    return fromMs(delay);
}

std::chrono::milliseconds Backoff::connectTimeout() const
{
    return std::max(m_params.minConnectTimeout, fromMs(m_lastBaseMs));
}

std::chrono::milliseconds Backoff::currentBackoff() const
{
    return fromMs(m_currentMs);
}

void Backoff::reset()
{
    m_currentMs = toMs(m_params.initial);
    m_lastBaseMs = m_currentMs;
    m_attempts = 0;
}

void Backoff::noteConnected(TimePoint at)
{
    m_connectedAt = at;
}

void Backoff::noteDisconnected(TimePoint at)
{
    if (m_connectedAt && at - *m_connectedAt >= m_params.stablePeriod)
        reset();
    m_connectedAt.reset();
}

} // namespace kw
