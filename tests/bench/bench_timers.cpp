// DeadlineScheduler at the engine's load (docs/benchmarks.md): N live timers (default 30,000, what
// 10,000 TCP endpoints keep: heartbeat sends, reply checks, TCP_INFO polls) over a 5 s horizon,
// time advancing in 16 ms wake-ups. Each wake-up runs what is due, arms every timer that ran again
// and re-arms a few others (cancel, then schedule: a reply check moved by a heartbeat), so the
// scheduler stays at N timers. Prints ns per schedule, cancel and run (the callback itself is a
// push_back), the best of several trials, for two deadline mixes:
//   clustered  deadlines coalesced as EngineTimers does (16, 128 and 256 ms grids): a few hundred
//              distinct deadlines for all N timers;
//   distinct   deadlines at nanosecond resolution: every timer its own.
//
//   kw_bench_timers [TIMERS] [TRIALS]

#include "deadlinescheduler.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <set>
#include <vector>

using namespace std::chrono_literals;
using kw::DeadlineScheduler;
using kw::TimePoint;

namespace {

constexpr std::chrono::milliseconds kHorizon{5000};
constexpr std::chrono::milliseconds kTick{16};
// ~2,000 reply checks re-armed a second at 10,000 endpoints: 32 per 16 ms wake-up.
constexpr int kRearmsPerTick = 32;
constexpr int kMeasuredTicks = 1250; // 20 s of engine time

enum class Mix { Clustered, Distinct };

struct Figures
{
    double scheduleNs = 0, cancelNs = 0, runNs = 0;
    std::size_t distinctDeadlines = 0;
};

class Workload
{
public:
    Workload(Mix mix, int timers, unsigned seed)
        : m_mix(mix), m_ids(std::size_t(timers)), m_rng(seed), m_pick(0, timers - 1)
    {
        m_ran.reserve(std::size_t(timers));
        for (int i = 0; i < timers; ++i)
            m_ids[std::size_t(i)] = m_scheduler.schedule(deadlineFor(i), callbackFor(i));
    }

    // One 16 ms wake-up; adds the elapsed nanoseconds and counts to the totals when `measure`.
    void tick(bool measure)
    {
        m_now += kTick;
        const auto runStart = Clock::now();
        const std::size_t ran = m_scheduler.runDue(m_now);
        const auto runEnd = Clock::now();

        m_deadlines.clear();
        for (const std::uint32_t i : m_ran)
            m_deadlines.push_back(deadlineFor(int(i)));
        const auto armStart = Clock::now();
        for (std::size_t k = 0; k < m_ran.size(); ++k)
            m_ids[m_ran[k]] = m_scheduler.schedule(m_deadlines[k], callbackFor(int(m_ran[k])));
        const auto armEnd = Clock::now();
        const std::size_t armed = m_ran.size();
        m_ran.clear();

        m_victims.clear();
        m_deadlines.clear();
        for (int k = 0; k < kRearmsPerTick; ++k) {
            m_victims.push_back(std::uint32_t(m_pick(m_rng)));
            m_deadlines.push_back(deadlineFor(int(m_victims.back())));
        }
        const auto cancelStart = Clock::now();
        std::size_t cancelled = 0;
        for (const std::uint32_t i : m_victims)
            cancelled += m_scheduler.cancel(m_ids[i]) ? 1 : 0;
        const auto cancelEnd = Clock::now();
        for (std::size_t k = 0; k < m_victims.size(); ++k)
            m_ids[m_victims[k]] = m_scheduler.schedule(m_deadlines[k], callbackFor(int(m_victims[k])));
        const auto rearmEnd = Clock::now();

        if (!measure)
            return;
        m_runNs += nsBetween(runStart, runEnd);
        m_runs += ran;
        m_scheduleNs += nsBetween(armStart, armEnd) + nsBetween(cancelEnd, rearmEnd);
        m_schedules += armed + m_victims.size();
        m_cancelNs += nsBetween(cancelStart, cancelEnd);
        m_cancels += cancelled;
    }

    Figures figures() const
    {
        Figures f;
        f.scheduleNs = m_scheduleNs / double(std::max<std::size_t>(m_schedules, 1));
        f.cancelNs = m_cancelNs / double(std::max<std::size_t>(m_cancels, 1));
        f.runNs = m_runNs / double(std::max<std::size_t>(m_runs, 1));
        std::set<TimePoint> deadlines;
        for (const DeadlineScheduler::TimerId id : m_ids) {
            if (const auto when = m_scheduler.deadlineOf(id))
                deadlines.insert(*when);
        }
        f.distinctDeadlines = deadlines.size();
        return f;
    }

private:
    using Clock = std::chrono::steady_clock;

    static double nsBetween(Clock::time_point a, Clock::time_point b)
    {
        return double(std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count());
    }

    TimePoint deadlineFor(int timer)
    {
        const auto delay = std::chrono::nanoseconds(m_delay(m_rng));
        if (m_mix == Mix::Distinct)
            return m_now + delay;
        // A third each on the send grid (16 ms) and the 128 and 256 ms grids of checks and polls,
        // rounded up the way EngineTimers::onGrid does.
        static constexpr std::chrono::nanoseconds kGrids[] = {16ms, 128ms, 256ms};
        const auto grid = kGrids[timer % 3];
        const auto since = (m_now + delay).time_since_epoch();
        return TimePoint{} + (since + grid - std::chrono::nanoseconds(1)) / grid * grid;
    }

    std::function<void()> callbackFor(int timer)
    {
        return [ran = &m_ran, timer] { ran->push_back(std::uint32_t(timer)); };
    }

    Mix m_mix;
    DeadlineScheduler m_scheduler;
    TimePoint m_now = TimePoint{} + 1h;
    std::vector<DeadlineScheduler::TimerId> m_ids;
    std::vector<std::uint32_t> m_ran;
    std::vector<std::uint32_t> m_victims;
    std::vector<TimePoint> m_deadlines;
    std::mt19937_64 m_rng;
    std::uniform_int_distribution<std::int64_t> m_delay{
        1, std::chrono::duration_cast<std::chrono::nanoseconds>(kHorizon).count()};
    std::uniform_int_distribution<int> m_pick;
    double m_scheduleNs = 0, m_cancelNs = 0, m_runNs = 0;
    std::size_t m_schedules = 0, m_cancels = 0, m_runs = 0;
};

Figures measure(Mix mix, int timers, unsigned seed)
{
    Workload workload(mix, timers, seed);
    const int warmUp = int(kHorizon / kTick); // every timer has run once, from a steady state
    for (int t = 0; t < warmUp; ++t)
        workload.tick(false);
    for (int t = 0; t < kMeasuredTicks; ++t)
        workload.tick(true);
    return workload.figures();
}

} // namespace

int main(int argc, char **argv)
{
    const int timers = argc > 1 ? std::atoi(argv[1]) : 30000;
    const int trials = argc > 2 ? std::atoi(argv[2]) : 5;
    if (timers < 1 || trials < 1) {
        std::fprintf(stderr, "usage: kw_bench_timers [TIMERS >= 1] [TRIALS >= 1]\n");
        return 2;
    }
    std::printf("DeadlineScheduler, %d timers, %d ms wake-ups, %d re-arms per wake-up, best of %d\n\n",
                timers, int(kTick.count()), kRearmsPerTick, trials);
    std::printf("| deadlines | distinct live | schedule ns | cancel ns | run ns |\n");
    std::printf("|---|---:|---:|---:|---:|\n");
    for (const Mix mix : {Mix::Clustered, Mix::Distinct}) {
        Figures best;
        best.scheduleNs = best.cancelNs = best.runNs = 1e300;
        for (int trial = 0; trial < trials; ++trial) {
            const Figures f = measure(mix, timers, unsigned(trial + 1));
            best.scheduleNs = std::min(best.scheduleNs, f.scheduleNs);
            best.cancelNs = std::min(best.cancelNs, f.cancelNs);
            best.runNs = std::min(best.runNs, f.runNs);
            best.distinctDeadlines = f.distinctDeadlines;
        }
        std::printf("| %s | %zu | %.1f | %.1f | %.1f |\n", mix == Mix::Clustered ? "clustered" : "distinct",
                    best.distinctDeadlines, best.scheduleNs, best.cancelNs, best.runNs);
    }
    return 0;
}
