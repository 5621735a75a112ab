#pragma once

#include "alertkind.h"
#include "cause.h"
#include "clock.h"
#include "endpointstate.h"

#include <array>
#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

namespace kw {

// Wall-clock time, for what people write as dates and times of day: mute_until and maintenance
// windows. Durations (down_after_s, resend_every_s) stay on the monotonic Clock. Milliseconds, so
// that any date a file may hold fits (the system clock's nanoseconds end in 2262).
using WallTime = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

// "Now" on the wall clock and the machine's local time zone, handed to the alert rules so that
// tests set both by hand.
class WallClock
{
public:
    virtual ~WallClock();
    virtual WallTime now() const = 0;
    // How far local time is ahead of UTC at `at` (negative west of Greenwich).
    virtual std::chrono::seconds utcOffset(WallTime at) const = 0;
};

// The system clock and the local time zone of the machine (localtime_r / localtime_s).
class SystemWallClock final : public WallClock
{
public:
    WallTime now() const override;
    std::chrono::seconds utcOffset(WallTime at) const override;
};

// A time when nothing is announced (workspace key "alert.maintenance", docs/workspace.md).
// One-off: [from, until). Weekly: on each day of `days`, from `start` (time of day) for
// `duration`, which may run past midnight and past Sunday into Monday; in the local time of the
// machine unless `utc`. A local weekly window keeps its local start across a DST change.
struct MaintenanceWindow
{
    static constexpr std::chrono::minutes kMaxDuration{7 * 24 * 60};

    bool weekly = false;
    // One-off.
    WallTime from{};
    WallTime until{};
    // Weekly. Bit 0 Monday ... bit 6 Sunday.
    unsigned days = 0;
    std::chrono::minutes start{0}; // 0..1439
    std::chrono::minutes duration{0};
    bool utc = false;

    // When the window that contains `at` ends; nullopt when none does.
    std::optional<WallTime> activeUntil(WallTime at, const WallClock &wall) const;

    bool operator==(const MaintenanceWindow &) const = default;
};

// The rules of workspace key "alert", every key resolved (the workspace default overlaid with the
// endpoint's own keys: lib/store/alertjson.h).
struct AlertParams
{
    // Down is announced after `downAfter` consecutive failed checks, or once the run of failed
    // checks has lasted `downAfterS`, whichever comes first; neither set: at the first failure.
    std::optional<int> downAfter;
    std::optional<std::chrono::seconds> downAfterS;
    int upAfter = 1; // consecutive good checks before Up is announced
    std::optional<std::chrono::seconds> resendEvery;
    std::optional<WallTime> muteUntil;
    std::vector<MaintenanceWindow> maintenance;
    double flapHigh = 30.0; // percent
    double flapLow = 20.0;

    bool operator==(const AlertParams &) const = default;
};

// Why an alert was not announced. Names: alertSuppressionName().
enum class AlertSuppression {
    None,
    Muted,          // mute_until lies ahead
    Maintenance,    // inside a maintenance window
    Flapping,       // Down/Up held while the endpoint flaps
    BelowDownAfter, // a failed check, not yet down_after of them (or down_after_s)
    BelowUpAfter,   // a good check after an announced Down, not yet up_after of them
};

// "muted", "maintenance", "flapping", "below-down-after", "below-up-after"; "" for None.
const char *alertSuppressionName(AlertSuppression suppression);

// One decision of the rules: an alert announced, or one that would have been and why not.
struct AlertDecision
{
    AlertKind kind = AlertKind::Down;
    AlertSuppression suppressed = AlertSuppression::None;
    TimePoint at{};
    EndpointState state = EndpointState::Down; // the endpoint's state when decided
    Cause cause;                               // the outage's cause (Down, Reminder, Up)
    std::optional<TimePoint> downSince;        // Down, Reminder, Up: the first failed check
    std::optional<Duration> downFor;           // Up, Reminder
    int failedChecks = 0;                      // in a row, at the decision
    int goodChecks = 0;                        // in a row, at the decision
    double flapPercent = 0.0;

    bool announced() const { return suppressed == AlertSuppression::None; }
};

// Nagios's flap detection over the last kStates check results: each change between neighbours
// weighs from 0.75 (the oldest pair) to 1.25 (the newest) in even steps, and the percentage is the
// weighted sum over the kStates - 1 possible changes. With fewer results the missing oldest ones
// count as unchanged (the newest change still weighs 1.25).
class FlapDetector
{
public:
    static constexpr std::size_t kStates = 21;

    void add(bool good);
    double percent() const;
    std::size_t size() const { return m_size; }

private:
    std::array<bool, kStates> m_states{}; // ring, oldest at m_next when full
    std::size_t m_next = 0;
    std::size_t m_size = 0;
};

// The alert rules of one endpoint (issue #10, docs/alert-rules.md). The endpoint's state stays the
// truth; the rules decide only what is announced.
//
// They are fed check results. One "state" of the flap window is one check result:
//   failed: a Down verdict (each failed attempt: a drop, and each failed reconnect);
//   good:   an Up verdict, a passed liveness check (a heartbeat or ping reply), and a TCP_INFO
//           sample that shows the connection healthy (no unanswered probes, no retransmits).
// Suspect, Connecting and Waiting are no check results. Disabled (a user stop) ends any outage
// and resets what was announced without a notice. Before any notice, the endpoint is taken as
// announced up: a first connect that works says nothing.
//
// Time-based decisions (down_after_s, resend_every_s, the end of a mute or of a maintenance
// window) are made by evaluate(), which the owner calls at nextDeadline().
class AlertRules
{
public:
    AlertRules(const Clock &clock, const WallClock &wall, AlertParams params = {});

    const AlertParams &params() const { return m_params; }
    // New rules (an edit); what was announced, the counters and the flap history stay.
    void setParams(AlertParams params);

    // Each returns the decisions made, oldest first (often none).
    std::vector<AlertDecision> noteState(EndpointState state, const Cause &cause = {});
    std::vector<AlertDecision> noteGoodCheck();
    std::vector<AlertDecision> evaluate();

    // When evaluate() may decide something without a new check; nullopt: nothing pending.
    std::optional<TimePoint> nextDeadline() const;

    bool isFlapping() const { return m_flapping; }
    double flapPercent() const { return m_flap.percent(); }
    // True while Down is the last thing announced (Reminder included).
    bool announcedDown() const { return m_announcedDown; }
    AlertSuppression suppression() const; // muted / maintenance now, else None

private:
    void noteCheck(bool good, std::vector<AlertDecision> &out);
    void consider(std::vector<AlertDecision> &out);
    bool confirmedDown(TimePoint now) const;
    AlertDecision decision(AlertKind kind, AlertSuppression suppressed) const;
    void record(AlertKind kind, AlertSuppression suppressed, std::vector<AlertDecision> &out);
    std::optional<WallTime> suppressionEnd(WallTime now) const;

    const Clock &m_clock;
    const WallClock &m_wall;
    AlertParams m_params;
    EndpointState m_state = EndpointState::Disabled;

    int m_failed = 0;                    // consecutive failed checks
    int m_good = 0;                      // consecutive good checks
    std::optional<TimePoint> m_runSince; // first failed check of the current run
    Cause m_runCause;

    bool m_announcedDown = false;
    std::optional<TimePoint> m_announcedDownSince;
    Cause m_announcedCause;
    TimePoint m_lastAnnounced{};

    FlapDetector m_flap;
    bool m_flapping = false;

    // The last time-based suppression recorded, so evaluate() records each only once.
    std::optional<AlertKind> m_heldKind;
    AlertSuppression m_heldReason = AlertSuppression::None;
};

} // namespace kw
