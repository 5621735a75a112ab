#include "phiaccrualdetector.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace kw {

namespace {

double toMs(Duration d)
{
    return std::chrono::duration<double, std::milli>(d).count();
}

// Akka's logistic approximation of the normal CDF (Bowling et al. 2009):
// 1 - F(y) ~= e / (1 + e) with e = exp(-y (1.5976 + 0.070566 y^2)).
// Written as phi = log10(1 + exp(-z)) with z = -y (1.5976 + 0.070566 y^2), a
// softplus evaluated so that neither exp() overflows nor log10(0) appears,
// for any y. Akka's two branches are the same expression, split for precision.
double logisticPhi(double y)
{
    const double z = -y * (1.5976 + 0.070566 * y * y);
    const double x = -z;
    const double softplus = x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
    return softplus / std::numbers::ln10;
}

} // namespace

PhiAccrualDetector::PhiAccrualDetector(PhiParams params) : m_params(params)
{
    m_params.maxSampleSize = std::max<std::size_t>(m_params.maxSampleSize, 1);
    m_params.minStdDeviation = std::max(m_params.minStdDeviation, std::chrono::milliseconds(1));
}

void PhiAccrualDetector::heartbeat(TimePoint at)
{
    if (!m_last) {
        // Akka seeds the history with two samples around the first estimate
        // (mean +/- mean/4) so phi is meaningful from the second heartbeat on.
        const double mean = static_cast<double>(m_params.firstHeartbeatEstimate.count());
        const double stdDeviation = mean / 4;
        addInterval(mean - stdDeviation);
        addInterval(mean + stdDeviation);
        m_last = at;
        return;
    }
    if (at < *m_last)
        return; // not from a monotonic clock; ignore rather than learn a negative interval
    // The first heartbeat after the detector judged the peer unavailable is not
    // a sample of the normal rhythm (Akka does the same).
    if (isAvailable(at))
        addInterval(toMs(at - *m_last));
    m_last = at;
}

double PhiAccrualDetector::phiFor(double timeDiffMs, double meanMs, double stdDeviationMs)
{
    if (!(stdDeviationMs > 0))
        stdDeviationMs = 1;
    const double value = logisticPhi((timeDiffMs - meanMs) / stdDeviationMs);
    if (std::isnan(value))
        return 0.0;
    return std::clamp(value, 0.0, kMaxPhi);
}

bool PhiAccrualDetector::isAvailable(TimePoint now) const
{
    // Up to the mean (the acceptable pause included) phi is at most log10(2) ~ 0.30, the logistic at
    // zero: under any threshold above that the answer needs no exp/log. Every heartbeat asks this,
    // and almost all of them arrive well within the mean.
    constexpr double kPhiAtMean = std::numbers::ln2 / std::numbers::ln10;
    if (m_last && !m_intervalsMs.empty() && m_params.threshold > kPhiAtMean + 1e-9 &&
        toMs(now - *m_last) <=
            meanIntervalMs() + static_cast<double>(m_params.acceptableHeartbeatPause.count()))
        return true;
    return phi(now) < m_params.threshold;
}

double PhiAccrualDetector::phi(TimePoint now) const
{
    if (!m_last || m_intervalsMs.empty())
        return 0.0;
    const double timeDiff = toMs(now - *m_last);
    const double mean = meanIntervalMs() + static_cast<double>(m_params.acceptableHeartbeatPause.count());
    const double stdDeviation =
        std::max(stdDeviationMs(), static_cast<double>(m_params.minStdDeviation.count()));
    return phiFor(timeDiff, mean, stdDeviation);
}

std::optional<TimePoint> PhiAccrualDetector::timeWhenPhiReaches(double level) const
{
    if (!m_last || m_intervalsMs.empty())
        return std::nullopt;
    level = std::clamp(level, 0.0, kMaxPhi);
    // Invert phi = log10(1 + exp(-z)): z = -ln(10^level - 1), and
    // -z = y (1.5976 + 0.070566 y^2) is strictly increasing in y, so bisect.
    const double target =
        level > 300 ? level * std::numbers::ln10 : std::log(std::expm1(level * std::numbers::ln10));
    auto f = [](double y) { return y * (1.5976 + 0.070566 * y * y); };
    double lo = -1e3;
    double hi = 1e3;
    for (int i = 0; i < 200 && hi - lo > 1e-9; ++i) {
        const double mid = (lo + hi) / 2;
        (f(mid) < target ? lo : hi) = mid;
    }
    const double y = (lo + hi) / 2;
    const double mean = meanIntervalMs() + static_cast<double>(m_params.acceptableHeartbeatPause.count());
    const double stdDeviation =
        std::max(stdDeviationMs(), static_cast<double>(m_params.minStdDeviation.count()));
    const double offsetMs = std::max(0.0, mean + y * stdDeviation);
    return *m_last + std::chrono::ceil<Duration>(std::chrono::duration<double, std::milli>(offsetMs));
}

double PhiAccrualDetector::meanIntervalMs() const
{
    if (m_intervalsMs.empty())
        return 0;
    return m_sum / static_cast<double>(m_intervalsMs.size());
}

double PhiAccrualDetector::stdDeviationMs() const
{
    if (m_intervalsMs.empty())
        return 0;
    const double n = static_cast<double>(m_intervalsMs.size());
    const double mean = m_sum / n;
    return std::sqrt(std::max(0.0, m_squaredSum / n - mean * mean));
}

void PhiAccrualDetector::reset()
{
    m_last.reset();
    m_intervalsMs.clear();
    m_intervalsMs.shrink_to_fit();
    m_oldest = 0;
    m_sum = 0;
    m_squaredSum = 0;
    m_evictionsSinceRecompute = 0;
}

void PhiAccrualDetector::addInterval(double ms)
{
    const float stored = static_cast<float>(ms);
    const double value = stored;
    if (m_intervalsMs.size() >= m_params.maxSampleSize) {
        const double oldest = m_intervalsMs[m_oldest];
        m_intervalsMs[m_oldest] = stored;
        m_oldest = (m_oldest + 1) % m_intervalsMs.size();
        m_sum -= oldest;
        m_squaredSum -= oldest * oldest;
        ++m_evictionsSinceRecompute;
    } else {
        // Doubling, but never past the window: a full window is maxSampleSize floats exactly.
        if (m_intervalsMs.size() == m_intervalsMs.capacity())
            m_intervalsMs.reserve(
                std::min(m_params.maxSampleSize, std::max<std::size_t>(8, 2 * m_intervalsMs.size())));
        m_intervalsMs.push_back(stored);
    }
    m_sum += value;
    m_squaredSum += value * value;
    // Running sums drift when values are subtracted out again; a fresh sum once
    // per window length keeps the error bounded at amortised O(1).
    if (m_evictionsSinceRecompute >= m_params.maxSampleSize)
        recomputeSums();
}

void PhiAccrualDetector::recomputeSums()
{
    m_sum = 0;
    m_squaredSum = 0;
    for (const float stored : m_intervalsMs) {
        const double ms = stored;
        m_sum += ms;
        m_squaredSum += ms * ms;
    }
    m_evictionsSinceRecompute = 0;
}

} // namespace kw
