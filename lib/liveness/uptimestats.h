#pragma once

#include "cause.h"
#include "clock.h"
#include "endpointstate.h"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kw {

// Availability numbers for one endpoint, fed with its state changes.
//
// What is counted, and from when:
// - Counting starts at a verdict: the first Up, Suspect or Down after the watch
//   starts (the engine starting it, a start after a stop or pause, a restart to
//   apply edited settings). Until then the endpoint is pending, and pending time
//   counts neither as up nor as down: a slow first connect that then succeeds is
//   100 % so far; a first connect that is refused counts down from the refusal.
// - After a verdict, Up and Suspect count as up; Down, Waiting and Connecting
//   (backoff and reconnect after a drop or a failed connect) as down.
// - Disabled (stopped, paused, being restarted with new settings) is left out of
//   numerator and denominator, and the next start is pending again.
// - Muting or a maintenance window changes nothing here: they silence alerts, the
//   figures still say what happened.
//
// The windows: uptimePercent(now) is up / counted over everything watched since
// the engine began watching the endpoint (edits keep the statistics); the 1 h and
// 24 h figures are the same over the counted part of the last hour / day.
//
// Failures and repairs:
// - A failure is a move from up (Up or Suspect) to Down. A failed first connect is
//   not one (nothing had been up), only down time.
// - A repair (a reconnect) is the next Up after a failure with no stop in between;
//   its repair time runs from the failure to that Up (Down, Waiting, Connecting).
// - MTTR is the mean repair time over completed repairs; an outage still running,
//   or ended by a stop, is not in it.
// - MTBF is the mean length of the up periods (Suspect included) that ended in a
//   failure; a period still running, or ended by a stop, is not in it.
//
// (Whether it flaps is the alert rules' to say: AlertRules, alertrules.h.)
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

    // Percentages in [0, 100]; nullopt while no counted time exists (nothing
    // watched yet, or no verdict yet).
    std::optional<double> uptimePercent(TimePoint now) const; // since watching began
    std::optional<double> uptimePercent(TimePoint now, Duration window) const;
    std::optional<double> uptime1hPercent(TimePoint now) const;
    std::optional<double> uptime24hPercent(TimePoint now) const;

    // Repairs: Up again after a failure (the first connect is not one; a stop in
    // between forgets the failure).
    int reconnects() const { return m_reconnects; }
    // Moves from up (Up, Suspect) to Down.
    int failures() const { return m_failures; }
    // Mean time from a failure to the Up that repaired it.
    std::optional<std::chrono::milliseconds> mttr() const;
    // Mean length of the up periods that ended in a failure.
    std::optional<std::chrono::milliseconds> mtbf() const;
    // False from the start of a watch until its first Up, Suspect or Down.
    bool hasVerdict() const { return !m_pending; }

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

    static bool isVerdict(EndpointState state);
    Category categoryOf(EndpointState state) const;
    void prune(TimePoint now);

    TimePoint m_start;
    EndpointState m_state;
    TimePoint m_stateSince;
    Category m_category;
    TimePoint m_categorySince;
    bool m_pending = true; // no verdict since the watch started: Connecting and Waiting are not counted

    // Session totals, updated at each category change.
    Duration m_upTotal{};
    Duration m_countedTotal{};

    std::vector<Change> m_changes; // category changes, oldest first, <= 24 h and kMaxTransitions

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
