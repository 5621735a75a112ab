#include "heartbeattracker.h"

#include <algorithm>

namespace kw {

namespace {
// Heartbeats kept for pairing late replies beyond the ones that can still
// count; older ones are forgotten (their replies then count as stray).
constexpr std::size_t kExtraRemembered = 4;
} // namespace

HeartbeatTracker::HeartbeatTracker(HeartbeatParams params, TimePoint start) : m_params(params)
{
    m_params.interval = std::max(m_params.interval, std::chrono::milliseconds(1));
    m_params.misses = std::max(m_params.misses, 1);
    m_params.timeout = std::max(m_params.timeout, std::chrono::milliseconds(0));
    restart(start);
}

void HeartbeatTracker::restart(TimePoint start)
{
    m_start = start;
    m_lastSent.reset();
    m_outstanding.clear();
    m_missedInARow = 0;
    m_dead = false;
    m_lastRtt.reset();
}

TimePoint HeartbeatTracker::replyDeadline(TimePoint sentAt) const
{
    return sentAt + (m_params.timeout.count() > 0 ? m_params.timeout : m_params.interval);
}

void HeartbeatTracker::noteSent(TimePoint at)
{
    m_lastSent = at;
    ++m_sent;
    m_outstanding.push_back({at, replyDeadline(at), false});
    const std::size_t limit = static_cast<std::size_t>(m_params.misses) + kExtraRemembered;
    while (m_outstanding.size() > limit && m_outstanding.front().missed)
        m_outstanding.pop_front();
}

std::optional<std::chrono::microseconds> HeartbeatTracker::noteReply(TimePoint at)
{
    if (m_outstanding.empty())
        return std::nullopt;
    const Pending answered = m_outstanding.front();
    m_outstanding.pop_front();
    ++m_replies;
    // Microseconds: loopback and LAN replies are well under a millisecond.
    const auto rtt = std::chrono::duration_cast<std::chrono::microseconds>(
        std::max(Duration::zero(), at - answered.sentAt));
    m_lastRtt = rtt;
    // A reply that beats a deadline poll() has not looked at yet is on time
    // even if poll() runs later; one whose miss was already counted is late.
    const bool late = answered.missed || at > answered.deadline;
    if (late) {
        ++m_lateReplies;
        if (!answered.missed) {
            // Its deadline passed but nobody polled: count the miss now, once.
            ++m_missesTotal;
            ++m_missedInARow;
            m_dead = m_dead || m_missedInARow >= m_params.misses;
        }
    } else if (!m_dead) {
        m_missedInARow = 0;
    }
    return rtt;
}

HeartbeatStatus HeartbeatTracker::poll(TimePoint now)
{
    for (Pending &pending : m_outstanding) {
        if (pending.missed || now < pending.deadline)
            continue;
        pending.missed = true;
        ++m_missesTotal;
        ++m_missedInARow;
    }
    m_dead = m_dead || m_missedInARow >= m_params.misses;
    return status();
}

HeartbeatStatus HeartbeatTracker::status() const
{
    return {m_missedInARow, m_dead, m_missedInARow > 0 && !m_dead};
}

TimePoint HeartbeatTracker::nextSendAt() const
{
    return m_lastSent ? *m_lastSent + m_params.interval : m_start;
}

std::optional<TimePoint> HeartbeatTracker::nextDeadline() const
{
    for (const Pending &pending : m_outstanding) {
        if (!pending.missed)
            return pending.deadline;
    }
    return std::nullopt;
}

TimePoint HeartbeatTracker::nextWakeup() const
{
    const TimePoint send = nextSendAt();
    const auto deadline = nextDeadline();
    return deadline ? std::min(send, *deadline) : send;
}

} // namespace kw
