#include "alertrules.h"

#include <algorithm>
#include <ctime>

namespace kw {

using namespace std::chrono;

WallClock::~WallClock() = default;

WallTime SystemWallClock::now() const
{
    return time_point_cast<milliseconds>(system_clock::now());
}

seconds SystemWallClock::utcOffset(WallTime at) const
{
    const auto t = static_cast<std::time_t>(floor<seconds>(at.time_since_epoch()).count());
    std::tm local{};
#ifdef _WIN32
    localtime_s(&local, &t);
    // _mkgmtime reads the local broken-down time as if it were UTC.
    return seconds(static_cast<long long>(_mkgmtime(&local) - t));
#else
    localtime_r(&t, &local);
    return seconds(local.tm_gmtoff);
#endif
}

namespace {

constexpr long long kDay = 86400;

long long floorDiv(long long a, long long b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

} // namespace

std::optional<WallTime> MaintenanceWindow::activeUntil(WallTime at, const WallClock &wall) const
{
    if (!weekly) {
        if (from <= at && at < until)
            return until;
        return std::nullopt;
    }
    if (days == 0 || duration <= minutes::zero())
        return std::nullopt;
    const seconds offset = utc ? seconds::zero() : wall.utcOffset(at);
    const long long local = floor<seconds>(at.time_since_epoch()).count() + offset.count();
    const long long today = floorDiv(local, kDay);
    const long long length = duration_cast<seconds>(std::min(duration, kMaxDuration)).count();
    std::optional<WallTime> end;
    // A window may have begun up to a week ago (kMaxDuration).
    for (long long day = today - 7; day <= today; ++day) {
        // 1970-01-01 was a Thursday: Monday is 0.
        const long long weekday = ((day % 7) + 7 + 3) % 7;
        if (!(days & (1u << weekday)))
            continue;
        const long long begin = day * kDay + duration_cast<seconds>(start).count();
        if (begin <= local && local < begin + length) {
            const WallTime candidate{seconds(begin + length - offset.count())};
            end = end ? std::max(*end, candidate) : candidate;
        }
    }
    return end;
}

const char *alertSuppressionName(AlertSuppression suppression)
{
    switch (suppression) {
    case AlertSuppression::None:
        return "";
    case AlertSuppression::Muted:
        return "muted";
    case AlertSuppression::Maintenance:
        return "maintenance";
    case AlertSuppression::Flapping:
        return "flapping";
    case AlertSuppression::BelowDownAfter:
        return "below-down-after";
    case AlertSuppression::BelowUpAfter:
        return "below-up-after";
    }
    return "";
}

void FlapDetector::add(bool good)
{
    m_states[m_next] = good;
    m_next = (m_next + 1) % kStates;
    m_size = std::min(m_size + 1, kStates);
}

double FlapDetector::percent() const
{
    if (m_size < 2)
        return 0.0;
    const std::size_t oldest = (m_next + kStates - m_size) % kStates;
    double weighted = 0.0;
    // Change j (1..size-1) sits at position x = j + kStates - size of a full window, whose changes
    // x = 1..kStates-1 weigh 0.75 + (x - 1) * 0.5 / (kStates - 2).
    for (std::size_t j = 1; j < m_size; ++j) {
        const bool before = m_states[(oldest + j - 1) % kStates];
        const bool after = m_states[(oldest + j) % kStates];
        if (before == after)
            continue;
        const double x = double(j + kStates - m_size);
        weighted += 0.75 + (x - 1.0) * 0.5 / double(kStates - 2);
    }
    return weighted * 100.0 / double(kStates - 1);
}

AlertRules::AlertRules(const Clock &clock, const WallClock &wall, AlertParams params)
    : m_clock(clock), m_wall(wall), m_params(std::move(params))
{}

void AlertRules::setParams(AlertParams params)
{
    m_params = std::move(params);
    m_heldKind.reset();
    m_heldReason = AlertSuppression::None;
}

std::vector<AlertDecision> AlertRules::noteState(EndpointState state, const Cause &cause)
{
    std::vector<AlertDecision> out;
    m_state = state;
    switch (state) {
    case EndpointState::Up:
        noteCheck(true, out);
        break;
    case EndpointState::Down:
        if (!m_runSince)
            m_runCause = cause;
        noteCheck(false, out);
        break;
    case EndpointState::Disabled:
        // A user stop: nothing more is told about this outage.
        m_failed = 0;
        m_good = 0;
        m_runSince.reset();
        m_announcedDown = false;
        m_announcedDownSince.reset();
        m_heldKind.reset();
        m_heldReason = AlertSuppression::None;
        break;
    case EndpointState::Connecting:
    case EndpointState::Suspect:
    case EndpointState::Waiting:
        break;
    }
    return out;
}

std::vector<AlertDecision> AlertRules::noteGoodCheck()
{
    std::vector<AlertDecision> out;
    // A reply that arrives after the connection was given up is no check of anything.
    if (m_state == EndpointState::Up || m_state == EndpointState::Suspect)
        noteCheck(true, out);
    return out;
}

std::vector<AlertDecision> AlertRules::evaluate()
{
    std::vector<AlertDecision> out;
    consider(out);
    return out;
}

void AlertRules::noteCheck(bool good, std::vector<AlertDecision> &out)
{
    // Every heartbeat reply of a healthy endpoint comes here. Once the whole flap window holds
    // good checks (m_good counts the latest adds, all good), one more changes no percentage, and
    // with nothing announced down or held, consider() has nothing to want: the counters move and
    // no rule is asked (nor the clock, twice).
    if (good && !m_flapping && !m_announcedDown && !m_heldKind && m_good >= int(FlapDetector::kStates) &&
        m_params.flapHigh > 0) {
        ++m_good;
        m_failed = 0;
        m_runSince.reset();
        m_flap.add(true);
        return;
    }
    const TimePoint now = m_clock.now();
    if (good) {
        ++m_good;
        m_failed = 0;
        m_runSince.reset();
    } else {
        ++m_failed;
        m_good = 0;
        if (!m_runSince)
            m_runSince = now;
    }

    m_flap.add(good);
    const double percent = m_flap.percent();
    if (!m_flapping && percent >= m_params.flapHigh) {
        m_flapping = true;
        record(AlertKind::Flapping, suppression(), out);
    } else if (m_flapping && percent <= m_params.flapLow) {
        m_flapping = false;
        const AlertSuppression suppressed = suppression();
        record(AlertKind::Stable, suppressed, out);
        if (suppressed == AlertSuppression::None) {
            // The Stable notice says where it settled: that is what was announced now.
            m_announcedDown = confirmedDown(now);
            m_announcedDownSince = m_announcedDown ? m_runSince : std::nullopt;
            m_announcedCause = m_runCause;
            m_lastAnnounced = now;
            m_heldKind.reset();
            m_heldReason = AlertSuppression::None;
        }
    }

    const std::size_t before = out.size();
    consider(out);
    if (out.size() != before || m_heldKind)
        return;
    if (!good && !m_announcedDown)
        record(AlertKind::Down, AlertSuppression::BelowDownAfter, out);
    else if (good && m_announcedDown && m_good < m_params.upAfter)
        record(AlertKind::Up, AlertSuppression::BelowUpAfter, out);
}

bool AlertRules::confirmedDown(TimePoint now) const
{
    if (!m_runSince)
        return false;
    const bool byCount = m_params.downAfter && m_failed >= *m_params.downAfter;
    const bool byTime = m_params.downAfterS && now - *m_runSince >= *m_params.downAfterS;
    const bool byDefault = !m_params.downAfter && !m_params.downAfterS && m_failed >= 1;
    return byCount || byTime || byDefault;
}

AlertSuppression AlertRules::suppression() const
{
    const WallTime wallNow = m_wall.now();
    if (m_params.muteUntil && wallNow < *m_params.muteUntil)
        return AlertSuppression::Muted;
    for (const MaintenanceWindow &window : m_params.maintenance) {
        if (window.activeUntil(wallNow, m_wall))
            return AlertSuppression::Maintenance;
    }
    return AlertSuppression::None;
}

std::optional<WallTime> AlertRules::suppressionEnd(WallTime now) const
{
    if (m_params.muteUntil && now < *m_params.muteUntil)
        return m_params.muteUntil;
    std::optional<WallTime> end;
    for (const MaintenanceWindow &window : m_params.maintenance) {
        if (const std::optional<WallTime> until = window.activeUntil(now, m_wall))
            end = end ? std::min(*end, *until) : *until;
    }
    return end;
}

void AlertRules::consider(std::vector<AlertDecision> &out)
{
    const TimePoint now = m_clock.now();
    std::optional<AlertKind> want;
    if (!m_announcedDown) {
        if (confirmedDown(now))
            want = AlertKind::Down;
    } else if (!m_runSince && m_good >= m_params.upAfter) {
        want = AlertKind::Up;
    } else if (m_params.resendEvery && now - m_lastAnnounced >= *m_params.resendEvery) {
        want = AlertKind::Reminder;
    }
    if (!want) {
        m_heldKind.reset();
        m_heldReason = AlertSuppression::None;
        return;
    }
    AlertSuppression suppressed = suppression();
    if (suppressed == AlertSuppression::None && m_flapping)
        suppressed = AlertSuppression::Flapping;
    if (suppressed != AlertSuppression::None) {
        // Held until the suppression ends; said once, not at every check.
        if (m_heldKind != want || m_heldReason != suppressed)
            record(*want, suppressed, out);
        m_heldKind = want;
        m_heldReason = suppressed;
        return;
    }
    if (*want == AlertKind::Down) {
        m_announcedDownSince = m_runSince;
        m_announcedCause = m_runCause;
    }
    record(*want, AlertSuppression::None, out);
    m_announcedDown = *want != AlertKind::Up;
    if (!m_announcedDown)
        m_announcedDownSince.reset();
    m_lastAnnounced = now;
    m_heldKind.reset();
    m_heldReason = AlertSuppression::None;
}

AlertDecision AlertRules::decision(AlertKind kind, AlertSuppression suppressed) const
{
    AlertDecision d;
    d.kind = kind;
    d.suppressed = suppressed;
    d.at = m_clock.now();
    d.state = m_state;
    d.failedChecks = m_failed;
    d.goodChecks = m_good;
    d.flapPercent = m_flap.percent();
    const bool aboutAnnounced = m_announcedDown && (kind == AlertKind::Up || kind == AlertKind::Reminder);
    const std::optional<TimePoint> since = aboutAnnounced ? m_announcedDownSince : m_runSince;
    if (kind != AlertKind::Flapping) {
        d.cause = aboutAnnounced ? m_announcedCause : (m_runSince ? m_runCause : Cause{});
        d.downSince = since;
        if (since && (kind == AlertKind::Up || kind == AlertKind::Reminder))
            d.downFor = d.at - *since;
    }
    return d;
}

void AlertRules::record(AlertKind kind, AlertSuppression suppressed, std::vector<AlertDecision> &out)
{
    out.push_back(decision(kind, suppressed));
}

std::optional<TimePoint> AlertRules::nextDeadline() const
{
    const TimePoint now = m_clock.now();
    std::optional<TimePoint> next;
    const auto earliest = [&next](TimePoint at) { next = next ? std::min(*next, at) : at; };
    if (!m_announcedDown && m_runSince && m_params.downAfterS && !confirmedDown(now))
        earliest(*m_runSince + *m_params.downAfterS);
    const bool suppressed = suppression() != AlertSuppression::None;
    if (m_announcedDown && m_params.resendEvery && !suppressed && !m_flapping)
        earliest(std::max(now, m_lastAnnounced + *m_params.resendEvery));
    if (m_heldKind &&
        (m_heldReason == AlertSuppression::Muted || m_heldReason == AlertSuppression::Maintenance)) {
        const WallTime wallNow = m_wall.now();
        if (const std::optional<WallTime> end = suppressionEnd(wallNow)) {
            // A mute until the year 9999 is looked at again in a year, not overflowed into the past.
            earliest(now + duration_cast<Duration>(std::min<milliseconds>(*end - wallNow, hours(24 * 365))));
        }
    }
    return next;
}

} // namespace kw
