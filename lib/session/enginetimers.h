#pragma once

#include "clock.h"
#include "deadlinescheduler.h"

#include <QObject>
#include <QTimer>

#include <functional>

namespace kw {

// All per-endpoint deadlines (heartbeats, reply timeouts, backoff, TCP_INFO
// polls, idle checks) share one DeadlineScheduler and one QTimer armed for
// the earliest deadline: thousands of endpoints cost one timer, not thousands.
class EngineTimers final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EngineTimers)

public:
    using TimerId = DeadlineScheduler::TimerId;
    static constexpr TimerId kNoTimer = DeadlineScheduler::kInvalidTimer;

    explicit EngineTimers(const Clock &clock, QObject *parent = nullptr);

    const Clock &clock() const { return m_clock; }
    TimePoint now() const { return m_clock.now(); }

    TimerId at(TimePoint when, std::function<void()> fn);
    TimerId after(Duration delay, std::function<void()> fn) { return at(now() + delay, std::move(fn)); }
    // Cancels and resets the id to kNoTimer; harmless on kNoTimer.
    void cancel(TimerId &id);
    std::size_t pending() const { return m_scheduler.size(); }

private:
    void fire();
    void rearm();

    const Clock &m_clock;
    DeadlineScheduler m_scheduler;
    QTimer m_timer;
    std::optional<TimePoint> m_armedFor;
    bool m_firing = false;
};

} // namespace kw
