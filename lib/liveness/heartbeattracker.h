#pragma once

#include "clock.h"
#include "phasegrid.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace kw {

// Mirrors kw::HeartbeatConfig (timing part only), plus where the endpoint's sends fall.
struct HeartbeatParams
{
    std::chrono::milliseconds interval{5000};
    int misses = 3;                       // intervals of silence after the last reply -> dead
    std::chrono::milliseconds timeout{0}; // 0: the reply is due before the next send
    // The grid sends go out on (PhaseGrid::forName of the endpoint); its interval is `interval`.
    Duration phase{0};

    // How long after its last reply (or, before any reply, after the first heartbeat of the
    // connection) a silent peer is dead: interval × misses + timeout. The heartbeat after the last
    // reply always gets its whole reply window, so with misses 1 and no timeout that is 2 × interval
    // (one interval alone would declare the peer dead as its next heartbeat leaves). Shown
    // everywhere as the heartbeat's detection bound.
    std::chrono::milliseconds deadAfter() const;
    // When a reply to a heartbeat is due: the timeout, or the interval when it is 0.
    std::chrono::milliseconds replyWindow() const;

    bool operator==(const HeartbeatParams &) const = default;
};

struct HeartbeatStatus
{
    int missedInARow = 0; // heartbeats past their reply window since the last reply on time
    bool dead = false;    // silent for deadAfter(); stays set until restart()
    bool overdue = false; // at least one miss but not dead yet: the endpoint is Suspect

    bool operator==(const HeartbeatStatus &) const = default;
};

// Application heartbeats over one connection. Replies carry no id, so they are matched to
// heartbeats in send order, which is exact over TCP (in order, no loss). A heartbeat whose reply
// window passes counts as one miss, exactly once (Suspect); its late reply still pairs with it (and
// reports its real round trip) rather than being taken for the reply to a newer heartbeat, and does
// not undo the miss. The verdict dead is silence: no reply for deadAfter(), so a slow peer whose
// replies all come late but within the bound is Suspect, never Down.
//
// Sends follow the phase grid: the first at once (it proves the connection carries heartbeats), then
// on the last grid point within one interval of it, and from then on every grid point. A send the
// engine ran late does not move the next one, and no gap is longer than the interval.
class HeartbeatTracker
{
public:
    HeartbeatTracker(HeartbeatParams params, TimePoint start);

    const HeartbeatParams &params() const { return m_params; }

    // A new connection: forget everything; the first heartbeat is due at `start`.
    void restart(TimePoint start);

    void noteSent(TimePoint at);
    // Round trip of the oldest outstanding heartbeat, which the reply answers; nullopt when nothing
    // was outstanding (a stray reply, which still proves the peer alive).
    std::optional<std::chrono::microseconds> noteReply(TimePoint at);
    // Counts heartbeats whose reply window passed by `now`, and whether the silence reached the bound.
    HeartbeatStatus poll(TimePoint now);
    HeartbeatStatus status() const;

    TimePoint nextSendAt() const;
    // The earliest reply deadline still pending; nullopt when none is.
    std::optional<TimePoint> nextDeadline() const;
    // When the peer is dead if nothing arrives: deadAfter() after the last reply (or the first
    // heartbeat); nullopt while nothing is outstanding.
    std::optional<TimePoint> deadAt() const;
    // The earliest of nextSendAt(), nextDeadline() and deadAt(): when the owner must call poll() and
    // possibly send again.
    TimePoint nextWakeup() const;
    // The earlier of nextDeadline() and deadAt(): when the owner must poll() again.
    std::optional<TimePoint> nextCheck() const;
    // When a reply to a heartbeat sent at `sentAt` is due.
    TimePoint replyDeadline(TimePoint sentAt) const;
    // What the silence is measured from: the last reply, else the first heartbeat of the connection.
    std::optional<TimePoint> lastSignOfLife() const;
    // The newest reply (a stray one too); nullopt before any since restart().
    std::optional<TimePoint> lastReply() const { return m_lastReply; }

    std::size_t outstanding() const { return m_count; }
    // Outstanding heartbeats whose reply window passed.
    std::size_t outstandingMissed() const;
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

    // The outstanding heartbeats, oldest first, in a ring sized once per tracker (a deque allocates
    // ~600 bytes per endpoint).
    Pending &slot(std::size_t i) { return m_ring[(m_head + i) % m_ring.size()]; }
    const Pending &slot(std::size_t i) const { return m_ring[(m_head + i) % m_ring.size()]; }
    void popOldest();

    HeartbeatParams m_params;
    PhaseGrid m_grid;
    TimePoint m_start;
    std::optional<TimePoint> m_lastSent;
    std::optional<TimePoint> m_firstSent;
    std::optional<TimePoint> m_lastReply;
    std::vector<Pending> m_ring;
    std::size_t m_head = 0;
    std::size_t m_count = 0;
    int m_missedInARow = 0;
    bool m_dead = false;
    std::optional<std::chrono::microseconds> m_lastRtt;
    std::uint64_t m_sent = 0;
    std::uint64_t m_replies = 0;
    std::uint64_t m_lateReplies = 0;
    std::uint64_t m_missesTotal = 0;
};

} // namespace kw
