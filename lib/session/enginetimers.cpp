#include "enginetimers.h"

#include <QThread>
#include <QTimerEvent>

#include <algorithm>
#include <bit>
#include <chrono>
#include <climits>
#include <cstdint>

namespace kw {

EngineTimers::EngineTimers(const Clock &clock, QObject *parent) : QObject(parent), m_clock(clock)
{
    m_clockJumps = m_clock.onJump([this] { onClockJumped(); });
    m_onSystemClock = dynamic_cast<const SteadyClock *>(&m_clock) != nullptr;
}

TimePoint EngineTimers::onGrid(TimePoint when, std::chrono::milliseconds step)
{
    using namespace std::chrono;
    if (step < milliseconds(2))
        return when;
    const Duration grid = milliseconds(std::bit_floor(static_cast<std::uint64_t>(step.count())));
    const Duration since = when.time_since_epoch();
    return TimePoint((since + grid - Duration(1)) / grid * grid);
}

TimePoint EngineTimers::coalesced(TimePoint when, TimePoint now)
{
    using namespace std::chrono;
    return onGrid(when, std::min(duration_cast<milliseconds>((when - now) / 20), kMaxSlack));
}

EngineTimers::TimerId EngineTimers::atSpread(TimePoint requested, std::function<void()> fn)
{
    using namespace std::chrono;
    const TimePoint now = m_clock.now();
    const milliseconds slack = std::min(duration_cast<milliseconds>((requested - now) / 20), kSpreadSlack);
    return schedule(onGrid(requested, slack), std::move(fn));
}

EngineTimers::TimerId EngineTimers::betweenSends(TimePoint requested, std::function<void()> fn)
{
    return schedule(onGrid(requested, kSpreadSlack) + kSpreadSlack / 2, std::move(fn));
}

EngineTimers::TimerId EngineTimers::at(TimePoint requested, std::function<void()> fn)
{
    return schedule(coalesced(requested, m_clock.now()), std::move(fn));
}

EngineTimers::TimerId EngineTimers::schedule(TimePoint when, std::function<void()> fn)
{
    const TimerId id = m_scheduler.schedule(when, std::move(fn));
    if (!m_firing && (!m_armedFor || when < *m_armedFor))
        rearm();
    return id;
}

void EngineTimers::cancel(TimerId &id)
{
    if (id != kNoTimer)
        m_scheduler.cancel(id);
    id = kNoTimer;
}

void EngineTimers::onClockJumped()
{
    if (thread() == QThread::currentThread()) {
        runDue();
        return;
    }
    QMetaObject::invokeMethod(this, &EngineTimers::runDue, Qt::BlockingQueuedConnection);
}

void EngineTimers::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_timer.stop(); // single shot
    runDue();
}

void EngineTimers::runDue()
{
    // A callback that moved the clock: the pass under way re-arms for what became due.
    if (m_firing)
        return;
    m_firing = true;
    m_armedFor.reset();
    // Lateness beyond coalescing: each callback's start against the deadline it was given (already
    // coalesced by at()), so the callbacks that waited for others of the same wake-up count too.
    m_scheduler.runDue(m_clock.now(), [this](TimePoint deadline) {
        const TimePoint now = m_clock.now();
        m_timerLateness.note(now - deadline, now);
    });
    m_firing = false;
    rearm();
}

void EngineTimers::rearm()
{
    const std::optional<TimePoint> next = m_scheduler.nextDeadline();
    if (!next) {
        m_timer.stop();
        m_armedFor.reset();
        return;
    }
    if (m_armedFor == next && m_timer.isActive())
        return;
    using namespace std::chrono;
    const auto wait = ceil<milliseconds>(*next - m_clock.now());
    m_armedFor = next;
    m_timer.start(static_cast<int>(std::clamp<milliseconds::rep>(wait.count(), 0, INT_MAX)), Qt::PreciseTimer,
                  this);
}

} // namespace kw
