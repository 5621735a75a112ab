#pragma once

#include "clock.h"

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

namespace kw {

// Akka cluster failure-detector defaults (reference.conf, akka.cluster.failure-detector).
struct PhiParams
{
    double threshold = 8.0;
    std::size_t maxSampleSize = 1000;
    std::chrono::milliseconds minStdDeviation{100};
    std::chrono::milliseconds acceptableHeartbeatPause{3000};
    std::chrono::milliseconds firstHeartbeatEstimate{1000};

    bool operator==(const PhiParams &) const = default;
};

// The phi accrual failure detector (Hayashibara et al. 2004) as Akka implements
// it: inter-arrival times in a sliding window, the acceptable pause added to the
// mean, and a logistic approximation of the normal CDF. phi is the suspicion
// level: 1 ~ 10 % chance of a wrong suspicion, 8 ~ 1e-8 %.
class PhiAccrualDetector
{
public:
    // Beyond this phi means nothing more; the cap keeps it finite for any input.
    static constexpr double kMaxPhi = 1000.0;

    explicit PhiAccrualDetector(PhiParams params = {});

    const PhiParams &params() const { return m_params; }

    // phi for `timeDiffMs` of silence against a normal distribution of
    // inter-arrival times (the acceptable pause already added to the mean).
    static double phiFor(double timeDiffMs, double meanMs, double stdDeviationMs);

    void heartbeat(TimePoint at);
    // 0 before the first heartbeat (an endpoint never heard from is not suspected).
    double phi(TimePoint now) const;
    bool isAvailable(TimePoint now) const;
    // When phi reaches `level` if no heartbeat arrives; lets one timer replace
    // polling. nullopt before the first heartbeat.
    std::optional<TimePoint> timeWhenPhiReaches(double level) const;
    std::optional<TimePoint> suspectAt() const { return timeWhenPhiReaches(m_params.threshold); }

    std::optional<TimePoint> lastHeartbeat() const { return m_last; }
    std::size_t sampleCount() const { return m_intervalsMs.size(); }
    // Bytes the window holds on the heap: it grows with the samples up to maxSampleSize floats.
    std::size_t windowBytes() const { return m_intervalsMs.capacity() * sizeof(float); }
    double meanIntervalMs() const;
    double stdDeviationMs() const; // raw, before minStdDeviation is applied
    void reset();

private:
    void addInterval(double ms);
    void recomputeSums();

    PhiParams m_params;
    std::optional<TimePoint> m_last;
    // The window as a ring: filled up to maxSampleSize, then m_oldest is overwritten and moves on.
    // Floats (sub-microsecond at a 5 s interval), not a std::deque of doubles: 10,000 endpoints
    // keep a full window each: 4 KB instead of 8 KB plus the deque's blocks.
    // The running sums are doubles of the stored floats, so evicting subtracts exactly what was added.
    std::vector<float> m_intervalsMs;
    std::size_t m_oldest = 0;
    double m_sum = 0;
    double m_squaredSum = 0;
    std::size_t m_evictionsSinceRecompute = 0;
};

} // namespace kw
