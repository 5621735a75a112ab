#pragma once

#include "clock.h"
#include "deadlinescheduler.h"
#include "latenesssummary.h"

#include <QBasicTimer>
#include <QObject>

#include <functional>

namespace kw {

// All per-endpoint deadlines (heartbeats, reply timeouts, backoff, TCP_INFO
// polls, idle checks) share one DeadlineScheduler and one QTimer armed for
// the earliest deadline: thousands of endpoints cost one timer, not thousands.
//
// Deadlines are coalesced the way Qt::CoarseTimer coalesces timers: one may
// run up to 5 % of its delay late (at most kMaxSlack), never early. Every
// wake-up of the engine thread is a turn of its event loop, and where the
// sockets' poller has no epoll set (poll(2) on macOS, WSAPoll on Windows) a
// wait that hands every socket to the kernel, which at 10,000 endpoints costs
// milliseconds: deadlines spread over every millisecond must share wake-ups.
class EngineTimers final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EngineTimers)

public:
    using TimerId = DeadlineScheduler::TimerId;
    static constexpr TimerId kNoTimer = DeadlineScheduler::kInvalidTimer;
    static constexpr std::chrono::milliseconds kMaxSlack{250};
    // The slack of work that is already spread on a phase grid (PhaseGrid: heartbeats, WebSocket
    // and MQTT pings). Coalescing such sends onto a 128 ms grid would gather the evenly spread
    // sends of thousands of endpoints into a few bursts again, and a burst queues at the peers
    // and in the kernel: at 10,000 endpoints the replies' RTT p99 doubled. 16 ms still shares a
    // wake-up between the ~30 sends that fall in it at 2,000 sends/s.
    static constexpr std::chrono::milliseconds kSpreadSlack{16};

    explicit EngineTimers(const Clock &clock, QObject *parent = nullptr);

    const Clock &clock() const { return m_clock; }
    TimePoint now() const { return m_clock.now(); }

    TimerId at(TimePoint when, std::function<void()> fn);
    // As at(), with the slack capped at kSpreadSlack: for sends placed on a phase grid.
    TimerId atSpread(TimePoint when, std::function<void()> fn);
    // For work that runs long (the Monitor's publishing: the log's flush, a snapshot of every
    // endpoint): at or after `when`, midway between two of the sends' grid points, so it never
    // shares a wake-up with the sends of one. A send wakes its peer, and a peer on this machine
    // (loopback, a container on the same host) is woken onto the engine's core, where it runs
    // once the engine sleeps: work right after a grid point's sends held every one of their
    // replies back by its own length (at 10,000 endpoints, 30 replies at a time late by 2-3 ms,
    // the RTT p99 2.6 ms against 1.1 ms with the work here). Sends that fall due while the work
    // runs leave when it ends: they count in the timer lateness, not in any RTT.
    TimerId betweenSends(TimePoint when, std::function<void()> fn);
    TimerId after(Duration delay, std::function<void()> fn) { return at(now() + delay, std::move(fn)); }
    // Cancels and resets the id to kNoTimer; harmless on kNoTimer.
    void cancel(TimerId &id);
    std::size_t pending() const { return m_scheduler.size(); }

    // True when the clock is the system's steady clock, the one the sockets stamp their bytes with
    // (Connection::lastReceivedAt()); a session on any other clock (a test's manual clock) keeps
    // reading that clock instead.
    bool onSystemClock() const { return m_onSystemClock; }

    // The engine's own lateness (LatenessSummary): how late each callback ran after its coalesced
    // deadline, measured here, and how long received bytes waited in their socket before being
    // read, which the sessions note from their connection.
    void noteSocketWait(Duration waited) { m_socketLateness.note(waited, m_clock.now()); }
    const LatenessSummary &timerLateness() const { return m_timerLateness; }
    const LatenessSummary &socketLateness() const { return m_socketLateness; }

    // Runs every deadline due by the clock's reading and re-arms for the next.
    // The QTimer calls it as real time passes; a clock that jumps (a test's
    // manual clock, Clock::onJump) calls it at once: directly on this object's
    // thread, and from another thread blocking until it has run here, so that
    // the jump's consequences are there when the jump returns.
    void runDue();

    // When a deadline asked for at `when` runs: `when` rounded up onto a grid
    // whose step is a power of two milliseconds no larger than the slack, so
    // that deadlines with different slack still land on shared grid points.
    static TimePoint coalesced(TimePoint when, TimePoint now);
    // `when` rounded up onto the grid of the largest power of two milliseconds
    // <= step: recurring work of many sessions (samples, publishing) put on
    // such a grid shares wake-ups with each other and with coalesced deadlines.
    static TimePoint onGrid(TimePoint when, std::chrono::milliseconds step);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    TimerId schedule(TimePoint when, std::function<void()> fn);
    void rearm();
    void onClockJumped();

    const Clock &m_clock;
    DeadlineScheduler m_scheduler;
    // A timer event straight to timerEvent(), without QTimer's signal; Qt moves it to the engine
    // thread with this object.
    QBasicTimer m_timer;
    std::optional<TimePoint> m_armedFor;
    bool m_firing = false;
    bool m_onSystemClock = false;
    LatenessSummary m_timerLateness;
    LatenessSummary m_socketLateness;
    // Last, so it is dropped first: no jump reaches a half-destroyed object.
    Clock::JumpSubscription m_clockJumps;
};

} // namespace kw
