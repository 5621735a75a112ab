#pragma once

#include "clock.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>

namespace kw {

// gRPC connection backoff (doc/connection-backoff.md). Mirrors kw::ReconnectConfig
// field by field so the engine copies one into the other; lib/liveness does not
// depend on lib/store.
struct BackoffParams
{
    std::chrono::milliseconds initial{1000};
    std::chrono::milliseconds max{120000};
    double multiplier = 1.6;
    double jitter = 0.2; // each delay is the current backoff x (1 +/- jitter), uniform
    std::chrono::milliseconds minConnectTimeout{20000};
    // A connection must stay up this long before a drop starts the sequence
    // again from `initial`; shorter connections keep backing off (flapping peer).
    std::chrono::milliseconds stablePeriod{10000};

    bool operator==(const BackoffParams &) const = default;
};

class Backoff
{
public:
    // Returns a uniform value in [0, 1).
    using Random = std::function<double()>;

    explicit Backoff(BackoffParams params = {});
    Backoff(BackoffParams params, std::uint64_t seed);
    Backoff(BackoffParams params, Random random);

    const BackoffParams &params() const { return m_params; }

    // Delay before the next attempt: the current backoff with jitter applied;
    // then the backoff grows by `multiplier`, capped at `max`.
    std::chrono::milliseconds nextDelay();
    // Deadline for the attempt that follows the last delay:
    // max(minConnectTimeout, the un-jittered backoff behind that delay).
    std::chrono::milliseconds connectTimeout() const;
    // The un-jittered backoff the next nextDelay() starts from.
    std::chrono::milliseconds currentBackoff() const;
    // Delays handed out since construction or the last reset.
    int attempts() const { return m_attempts; }
    void reset();

    // Stable-period reset: a drop after at least `stablePeriod` of uptime resets
    // the sequence; a shorter one does not.
    void noteConnected(TimePoint at);
    void noteDisconnected(TimePoint at);
    std::optional<TimePoint> connectedSince() const { return m_connectedAt; }

private:
    BackoffParams m_params;
    Random m_random;
    double m_currentMs = 0;
    double m_lastBaseMs = 0;
    int m_attempts = 0;
    std::optional<TimePoint> m_connectedAt;
};

} // namespace kw
