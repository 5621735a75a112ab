#pragma once

#include "cause.h"
#include "clock.h"
#include "endpointstate.h"

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace kw {

// Availability numbers for one endpoint, fed with its state changes.
// Up and Suspect count as up; Connecting, Down and Waiting as down; Disabled
// time is left out of both numerator and denominator. (Whether it flaps is the
// alert rules' to say: AlertRules, alertrules.h.)
class UptimeStats
{
public:
    static constexpr std::chrono::hours kRetention{24};
    // Upper bound on remembered up/down changes (a few per backoff cycle at most
    // with the default 120 s cap, so 24 h of a flapping peer fits).
    static constexpr std::size_t kMaxTransitions = 4096;

    explicit UptimeStats(TimePoint start, EndpointState initial = EndpointState::Disabled);

    // Times earlier than the previous change are taken as that change's time.
    void noteState(EndpointState state, TimePoint at, const Cause &cause = {});

    EndpointState state() const { return m_state; }
    TimePoint stateSince() const { return m_stateSince; }

    // Percentages in [0, 100]; nullopt while no monitored (non-Disabled) time exists.
    std::optional<double> uptimePercent(TimePoint now) const; // since start
    std::optional<double> uptimePercent(TimePoint now, Duration window) const;
    std::optional<double> uptime1hPercent(TimePoint now) const;
    std::optional<double> uptime24hPercent(TimePoint now) const;

    // Successful re-establishments after a failure (the first connect is not one;
    // a user stop in between forgets the failure).
    int reconnects() const { return m_reconnects; }
    int failures() const { return m_failures; }
    // Mean time from a failure (up -> down) to being up again.
    std::optional<std::chrono::milliseconds> mttr() const;
    // Mean length of the up periods that ended in a failure.
    std::optional<std::chrono::milliseconds> mtbf() const;

    // Cause of the most recent change that carried one ("reset", "stopped" ...).
    const Cause &lastCause() const { return m_lastCause; }
    // The most recent move to Down and its cause; kept after the endpoint recovers.
    const Cause &lastDropCause() const { return m_lastDropCause; }
    std::optional<TimePoint> lastDropAt() const { return m_lastDropAt; }

    // Up/down changes held for the rolling windows (bounded by kMaxTransitions).
    std::size_t rememberedChanges() const { return m_changes.size(); }

private:
    enum class Category { Up, Down, Excluded };
    struct Change
    {
        TimePoint at;
        Category category;
    };

    static Category categoryOf(EndpointState state);
    void prune(TimePoint now);

    TimePoint m_start;
    EndpointState m_state;
    TimePoint m_stateSince;
    Category m_category;
    TimePoint m_categorySince;

    // Session totals, updated at each category change.
    Duration m_upTotal{};
    Duration m_countedTotal{};

    std::deque<Change> m_changes; // category changes, oldest first, <= 24 h and kMaxTransitions

    std::optional<TimePoint> m_failedAt; // pending repair
    int m_reconnects = 0;
    int m_failures = 0;
    Duration m_repairTotal{};
    int m_repairs = 0;
    Duration m_upSpellTotal{};
    int m_upSpells = 0;
    Cause m_lastCause;
    Cause m_lastDropCause;
    std::optional<TimePoint> m_lastDropAt;
};

} // namespace kw
