#include "stallprobe.h"

#include <algorithm>

namespace kw::bench {

StallProbe::StallProbe(QObject *parent) : QObject(parent)
{
    // A coarse timer may fire up to 5 % early or late by design; only a
    // precise one makes lateness mean "the thread was busy".
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(kPeriod);
    connect(&m_timer, &QTimer::timeout, this, &StallProbe::onTick);
}

void StallProbe::start()
{
    m_latenessMs.reserve(1 << 16);
    m_sinceTick.start();
    m_timer.start();
}

void StallProbe::reset()
{
    m_latenessMs.clear();
}

void StallProbe::onTick()
{
    const double elapsedMs = double(m_sinceTick.nsecsElapsed()) / 1e6;
    m_sinceTick.start();
    m_latenessMs.push_back(float(std::max(0.0, elapsedMs - double(kPeriod.count()))));
}

StallStats StallProbe::stats() const
{
    StallStats stats;
    stats.ticks = m_latenessMs.size();
    if (m_latenessMs.empty())
        return stats;
    std::vector<float> sorted = m_latenessMs;
    std::sort(sorted.begin(), sorted.end());
    const auto at = [&sorted](double q) {
        const auto index = std::size_t(q * double(sorted.size() - 1) + 0.5);
        return double(sorted[std::min(index, sorted.size() - 1)]);
    };
    stats.p50Ms = at(0.50);
    stats.p99Ms = at(0.99);
    stats.maxMs = double(sorted.back());
    return stats;
}

} // namespace kw::bench
