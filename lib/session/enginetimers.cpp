#include "enginetimers.h"

#include <chrono>

namespace kw {

EngineTimers::EngineTimers(const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
{
    m_timer.setParent(this); // moves to the engine thread with us
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &EngineTimers::fire);
}

EngineTimers::TimerId EngineTimers::at(TimePoint when, std::function<void()> fn)
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

void EngineTimers::fire()
{
    m_firing = true;
    m_armedFor.reset();
    m_scheduler.runDue(m_clock.now());
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
    using namespace std::chrono;
    const auto wait = ceil<milliseconds>(*next - m_clock.now());
    m_armedFor = next;
    m_timer.start(std::max<milliseconds::rep>(0, wait.count()));
}

} // namespace kw
