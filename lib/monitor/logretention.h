#pragma once

#include "enginetimers.h"
#include "eventlogretention.h"

#include <QDateTime>

#include <functional>

namespace kw {

// Runs an EventLogPruner on the engine thread from the Monitor's EngineTimers: a step every
// kBusyInterval while there is work (at most 5 batches a second of at most 1,000 rows and about
// 15 ms each: appends and snapshots keep their turn), every kIdleInterval otherwise. The first step waits
// kFirstDelay, so that starting many endpoints comes first.
class LogRetentionTimer
{
public:
    static constexpr std::chrono::milliseconds kFirstDelay{10'000};
    static constexpr std::chrono::milliseconds kBusyInterval{200};
    static constexpr std::chrono::milliseconds kIdleInterval{60'000};

    using WallClock = std::function<QDateTime()>;

    // `wallNow`: the events' time base (UTC); the system clock unless a test passes its own.
    LogRetentionTimer(EventLog &log, EngineTimers &timers, const LogRetention &retention,
                      WallClock wallNow = &QDateTime::currentDateTimeUtc);
    ~LogRetentionTimer();
    LogRetentionTimer(const LogRetentionTimer &) = delete;
    LogRetentionTimer &operator=(const LogRetentionTimer &) = delete;

    void start();
    void setRetention(const LogRetention &retention);
    const EventLogPruner &pruner() const { return m_pruner; }
    qint64 removedTotal() const { return m_removed; }

private:
    void run();

    EventLogPruner m_pruner;
    EngineTimers &m_timers;
    WallClock m_wallNow;
    EngineTimers::TimerId m_timer = EngineTimers::kNoTimer;
    qint64 m_removed = 0;
    QString m_lastError; // logged once, not on every step that meets it
};

} // namespace kw
