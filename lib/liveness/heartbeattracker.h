#pragma once

#include "clock.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

namespace kw {

// Mirrors kw::HeartbeatConfig (timing part only).
struct HeartbeatParams
{
    std::chrono::milliseconds interval{5000};
    int misses = 3;                       // missed in a row -> dead (heartbeat-timeout)
    std::chrono::milliseconds timeout{0}; // 0: the reply is due before the next send

    bool operator==(const HeartbeatParams &) const = default;
};

struct HeartbeatStatus
{
    int missedInARow = 0;
    bool dead = false;    // missedInARow reached `misses`; stays set until restart()
    bool overdue = false; // at least one miss but not dead yet: the endpoint is Suspect

    bool operator==(const HeartbeatStatus &) const = default;
};

// Application heartbeats over one connection. Replies carry no id, so they are
// matched to heartbeats in send order, which is exact over TCP (in order, no
// loss). A heartbeat whose deadline passes counts as one miss, exactly once;
// its late reply still pairs with it (and reports its real round trip) rather
// than being taken for the reply to a newer heartbeat, and does not undo the miss.
class HeartbeatTracker
{
public:
    HeartbeatTracker(HeartbeatParams params, TimePoint start);

    const HeartbeatParams &params() const { return m_params; }

    // A new connection: forget everything; the first heartbeat is due at `start`.
    void restart(TimePoint start);

    void noteSent(TimePoint at);
    // Round trip of the oldest outstanding heartbeat, which the reply answers;
    // nullopt when nothing was outstanding (a stray reply).
    std::optional<std::chrono::microseconds> noteReply(TimePoint at);
    // Counts heartbeats whose deadline passed by `now`.
    HeartbeatStatus poll(TimePoint now);
    HeartbeatStatus status() const;

    TimePoint nextSendAt() const;
    // The earliest reply deadline still pending; nullopt when none is.
    std::optional<TimePoint> nextDeadline() const;
    // The earlier of nextSendAt() and nextDeadline(): when the owner must call
    // poll() and possibly send again.
    TimePoint nextWakeup() const;
    // When a reply to a heartbeat sent at `sentAt` is due.
    TimePoint replyDeadline(TimePoint sentAt) const;

    std::size_t outstanding() const { return m_outstanding.size(); }
    std::optional<std::chrono::microseconds> lastRtt() const { return m_lastRtt; }
    std::uint64_t sentCount() const { return m_sent; }
    std::uint64_t replyCount() const { return m_replies; }
    std::uint64_t lateReplyCount() const { return m_lateReplies; }
    std::uint64_t missCount() const { return m_missesTotal; }

private:
    struct Pending
    {
        TimePoint sentAt;
        TimePoint deadline;
        bool missed = false;
    };

    HeartbeatParams m_params;
    TimePoint m_start;
    std::optional<TimePoint> m_lastSent;
    std::deque<Pending> m_outstanding;
    int m_missedInARow = 0;
    bool m_dead = false;
    std::optional<std::chrono::microseconds> m_lastRtt;
    std::uint64_t m_sent = 0;
    std::uint64_t m_replies = 0;
    std::uint64_t m_lateReplies = 0;
    std::uint64_t m_missesTotal = 0;
};

} // namespace kw
