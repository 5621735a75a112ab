#include "heartbeattracker.h"

#include <algorithm>

namespace kw {

namespace {
// Heartbeats kept for pairing late replies beyond the ones that can be outstanding while the peer
// counts as alive; older ones are forgotten (their replies then pair with a newer heartbeat).
constexpr std::size_t kExtraRemembered = 4;
// A cap for absurd settings (misses in the thousands): the bound is still kept by the silence, only
// the pairing of very late replies suffers.
constexpr std::size_t kMaxRemembered = 64;
} // namespace

std::chrono::milliseconds HeartbeatParams::replyWindow() const
{
    return timeout.count() > 0 ? timeout : interval;
}

std::chrono::milliseconds HeartbeatParams::deadAfter() const
{
    return std::max(interval * misses + std::max(timeout, std::chrono::milliseconds(0)),
                    interval + replyWindow());
}

HeartbeatTracker::HeartbeatTracker(HeartbeatParams params, TimePoint start) : m_params(params)
{
    m_params.interval = std::max(m_params.interval, std::chrono::milliseconds(1));
    m_params.misses = std::max(m_params.misses, 1);
    m_params.timeout = std::max(m_params.timeout, std::chrono::milliseconds(0));
    m_grid.interval = m_params.interval;
    m_grid.phase = std::clamp(m_params.phase, Duration(0), Duration(m_params.interval) - Duration(1));
    m_params.phase = m_grid.phase;
    // Outstanding while alive: at most one per interval of the bound, plus the one just sent.
    const auto alive = static_cast<std::size_t>(m_params.deadAfter() / m_params.interval) + 1;
    m_ring.resize(std::min(alive + kExtraRemembered, kMaxRemembered));
    restart(start);
}

void HeartbeatTracker::restart(TimePoint start)
{
    m_start = start;
    m_lastSent.reset();
    m_firstSent.reset();
    m_lastReply.reset();
    m_head = 0;
    m_count = 0;
    m_missedInARow = 0;
    m_dead = false;
    m_lastRtt.reset();
}

TimePoint HeartbeatTracker::replyDeadline(TimePoint sentAt) const
{
    return sentAt + m_params.replyWindow();
}

void HeartbeatTracker::popOldest()
{
    m_head = (m_head + 1) % m_ring.size();
    --m_count;
}

void HeartbeatTracker::noteSent(TimePoint at)
{
    m_lastSent = at;
    if (!m_firstSent)
        m_firstSent = at;
    ++m_sent;
    if (m_count == m_ring.size()) {
        // Full: forget the oldest. Its window passed long ago unless the settings are absurd; if not,
        // it counts as missed here, once.
        if (!slot(0).missed) {
            ++m_missesTotal;
            ++m_missedInARow;
        }
        popOldest();
    }
    slot(m_count) = {at, replyDeadline(at), false};
    ++m_count;
}

std::optional<std::chrono::microseconds> HeartbeatTracker::noteReply(TimePoint at)
{
    // Any reply proves the peer alive, even one nothing was outstanding for.
    m_lastReply = m_lastReply ? std::max(*m_lastReply, at) : at;
    if (m_count == 0)
        return std::nullopt;
    const Pending answered = slot(0);
    popOldest();
    ++m_replies;
    // Microseconds: loopback and LAN replies are well under a millisecond.
    const auto rtt = std::chrono::duration_cast<std::chrono::microseconds>(
        std::max(Duration::zero(), at - answered.sentAt));
    m_lastRtt = rtt;
    // A reply that beats a deadline poll() has not looked at yet is on time even if poll() runs later;
    // one whose miss was already counted is late.
    const bool late = answered.missed || at > answered.deadline;
    if (late) {
        ++m_lateReplies;
        if (!answered.missed) {
            // Its deadline passed but nobody polled: count the miss now, once.
            ++m_missesTotal;
            ++m_missedInARow;
        }
    } else if (!m_dead) {
        m_missedInARow = 0;
    }
    return rtt;
}

HeartbeatStatus HeartbeatTracker::poll(TimePoint now)
{
    for (std::size_t i = 0; i < m_count; ++i) {
        Pending &pending = slot(i);
        if (pending.missed || now < pending.deadline)
            continue;
        pending.missed = true;
        ++m_missesTotal;
        ++m_missedInARow;
    }
    if (const auto dead = deadAt(); dead && now >= *dead)
        m_dead = true;
    return status();
}

HeartbeatStatus HeartbeatTracker::status() const
{
    return {m_missedInARow, m_dead, m_missedInARow > 0 && !m_dead};
}

TimePoint HeartbeatTracker::nextSendAt() const
{
    // The last grid point no later than one interval after the last send: the gaps are never longer
    // than the interval the bound assumes (the first heartbeat went out at once, off the grid, so the
    // second may follow it closely), and a send the engine ran late leaves the next on its point.
    return m_lastSent ? m_grid.atOrBefore(*m_lastSent + m_params.interval) : m_start;
}

std::optional<TimePoint> HeartbeatTracker::lastSignOfLife() const
{
    if (m_lastReply && m_firstSent)
        return std::max(*m_lastReply, *m_firstSent);
    return m_firstSent ? m_firstSent : m_lastReply;
}

std::optional<TimePoint> HeartbeatTracker::deadAt() const
{
    const auto since = lastSignOfLife();
    if (m_count == 0 || !since)
        return std::nullopt;
    // Never before the oldest unanswered heartbeat had its whole reply window: a stalled engine that
    // sends late must not blame the peer for the silence it caused.
    return std::max(*since + m_params.deadAfter(), slot(0).deadline);
}

std::optional<TimePoint> HeartbeatTracker::nextDeadline() const
{
    for (std::size_t i = 0; i < m_count; ++i) {
        if (!slot(i).missed)
            return slot(i).deadline;
    }
    return std::nullopt;
}

std::optional<TimePoint> HeartbeatTracker::nextCheck() const
{
    const auto deadline = nextDeadline();
    const auto dead = m_dead ? std::nullopt : deadAt();
    if (deadline && dead)
        return std::min(*deadline, *dead);
    return deadline ? deadline : dead;
}

TimePoint HeartbeatTracker::nextWakeup() const
{
    const TimePoint send = nextSendAt();
    const auto check = nextCheck();
    return check ? std::min(send, *check) : send;
}

std::size_t HeartbeatTracker::outstandingMissed() const
{
    std::size_t missed = 0;
    for (std::size_t i = 0; i < m_count; ++i)
        missed += slot(i).missed ? 1 : 0;
    return missed;
}

} // namespace kw
