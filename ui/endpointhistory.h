#pragma once

#include "endpointstate.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>

#include <chrono>

namespace kw {

// One stretch of the state strip: [from, to) in one state.
struct StateSpan
{
    QDateTime from;
    QDateTime to;
    EndpointState state = EndpointState::Disabled;
    bool operator==(const StateSpan &) const = default;
};

// One point of the RTT sparkline: the largest sample of a bucket (a spike is what an operator looks
// for; a mean would hide it).
struct RttPoint
{
    QDateTime at; // the bucket's start
    double ms = 0;
    bool operator==(const RttPoint &) const = default;
};

// What the state strip delegate draws for one row: the window, its spans and the sparkline.
struct StateStrip
{
    QDateTime from;
    QDateTime to;
    QList<StateSpan>
        spans;           // oldest first, clipped to [from, to); time before the first known state is absent
    QList<RttPoint> rtt; // oldest first, within [from, to)
    int drops = 0;       // Down spans that begin inside the window
};

// The recent past of one endpoint, kept by the endpoint list for its state strip: the state changes
// and RTT samples of the events it was given, seeded from the snapshots' state and since.
//
// Memory is bounded whatever the rate of events: at most kMaxChanges state changes (16 bytes each)
// and kMaxRttPoints RTT buckets (16 bytes each), about 2.5 KB per endpoint at most, 25 MB at 10,000. A
// flapping endpoint that changes state more than kMaxChanges times within the window shows only
// its latest changes; the strip is blank before the oldest one kept.
class EndpointHistory
{
public:
    static constexpr std::chrono::minutes kWindow{15};
    static constexpr int kMaxChanges = 64;
    static constexpr int kMaxRttPoints = 90; // one bucket per 10 s of the window
    static constexpr std::chrono::milliseconds kRttBucket =
        std::chrono::milliseconds(kWindow) / kMaxRttPoints;

    // Both return true when the strip changed. Changes may arrive out of order (a snapshot's
    // since before the events that led to it): they are kept sorted, and a change to the state
    // already in force at that time is no change.
    bool addState(const QDateTime &at, EndpointState state);
    bool addRtt(const QDateTime &at, double ms);

    StateStrip strip(const QDateTime &now, std::chrono::milliseconds window = kWindow) const;

    // Down changes at or after `since`, without building a strip (the strip column's sort key).
    int dropsSince(const QDateTime &since) const;

    qsizetype changeCount() const { return m_changes.size(); }
    qsizetype rttPointCount() const { return m_rtt.size(); }
    bool isEmpty() const { return m_changes.isEmpty() && m_rtt.isEmpty(); }

private:
    struct Change
    {
        qint64 atMs;
        EndpointState state;
    };
    struct Bucket
    {
        qint64 index; // msecs since the epoch / kRttBucket
        double maxMs;
    };
    QList<Change> m_changes; // sorted by atMs; none in the state of the one before, unless it came later
    QList<Bucket> m_rtt;     // sorted by index
};

} // namespace kw

Q_DECLARE_METATYPE(kw::StateStrip)
