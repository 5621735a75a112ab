#pragma once

#include "cause.h"
#include "clock.h"

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

namespace kw {

enum class IdleKind { Reader, Writer, All };

// The matching cause (reader-idle, writer-idle, all-idle).
CauseCode idleCause(IdleKind kind);

struct IdleEvent
{
    IdleKind kind = IdleKind::Reader;
    bool first = true; // first event of this idle period (Netty FIRST_*_IDLE_STATE_EVENT)
    std::chrono::milliseconds idleFor{0};

    bool operator==(const IdleEvent &) const = default;
};

// Netty IdleStateHandler durations; 0 disables each.
struct IdleParams
{
    std::chrono::milliseconds reader{0};
    std::chrono::milliseconds writer{0};
    std::chrono::milliseconds all{0};

    bool isEnabled() const { return reader.count() > 0 || writer.count() > 0 || all.count() > 0; }
    // The duration of one kind: its detection bound (action close ends the connection that long
    // after the last read or write, plus the engine's coalescing).
    std::chrono::milliseconds limit(IdleKind kind) const;
    bool operator==(const IdleParams &) const = default;
};

// Netty IdleStateHandler semantics without its timers: an event fires once the
// channel has been idle for the duration, then again every duration while it
// stays idle (rescheduled from the firing, not from the last activity); any
// activity starts a new idle period whose first event has first == true.
// Activity never needs a timer re-armed: like Netty's task, the owner arms one
// timer for nextDeadline(), calls poll() when it fires (which may find that
// activity pushed the deadline and return nothing) and re-arms for the new
// nextDeadline(), so a busy connection costs nothing per read or write.
class IdleDetector
{
public:
    // `start` is channelActive: both activity clocks begin there.
    IdleDetector(IdleParams params, TimePoint start);

    const IdleParams &params() const { return m_params; }

    void restart(TimePoint start);
    void noteRead(TimePoint at);
    void noteWrite(TimePoint at);

    // The earliest time poll() can return an event; nullopt when all disabled.
    std::optional<TimePoint> nextDeadline() const;
    // Events due at `now`, at most one per kind, in order Reader, Writer, All.
    std::vector<IdleEvent> poll(TimePoint now);

    TimePoint lastRead() const { return m_lastRead; }
    TimePoint lastWrite() const { return m_lastWrite; }

private:
    struct Track
    {
        std::optional<TimePoint> lastFired; // within the current idle period
        bool first = true;
    };

    std::optional<TimePoint> deadline(std::chrono::milliseconds idle, TimePoint activity,
                                      const Track &track) const;

    IdleParams m_params;
    TimePoint m_lastRead;
    TimePoint m_lastWrite;
    Track m_reader;
    Track m_writer;
    Track m_all;
};

} // namespace kw
