#include "logretention.h"

#include "monitorlogging.h"

namespace kw {

LogRetentionTimer::LogRetentionTimer(EventLog &log, EngineTimers &timers, const LogRetention &retention,
                                     WallClock wallNow)
    : m_pruner(log, retention), m_timers(timers), m_wallNow(std::move(wallNow))
{}

LogRetentionTimer::~LogRetentionTimer()
{
    m_timers.cancel(m_timer);
}

void LogRetentionTimer::start()
{
    m_timers.cancel(m_timer);
    m_timer = m_timers.after(kFirstDelay, [this] { run(); });
}

void LogRetentionTimer::setRetention(const LogRetention &retention)
{
    if (retention == m_pruner.retention())
        return;
    m_pruner.setRetention(retention);
    m_timers.cancel(m_timer);
    m_timer = m_timers.after(kBusyInterval, [this] { run(); });
}

void LogRetentionTimer::run()
{
    m_timer = EngineTimers::kNoTimer;
    const PruneStep step = m_pruner.step(m_wallNow());
    m_removed += step.removed;
    if (step.failed) {
        if (step.error != m_lastError)
            qCWarning(lcMonitor).noquote() << "event log retention:" << step.error;
        m_lastError = step.error;
    } else {
        m_lastError.clear();
    }
    // After a failure (a busy or full disk) the next try waits like an idle step.
    const bool busy = step.more && !step.failed;
    m_timer = m_timers.after(busy ? kBusyInterval : kIdleInterval, [this] { run(); });
}

} // namespace kw
