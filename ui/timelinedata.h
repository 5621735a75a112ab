#pragma once

#include "cause.h"
#include "endpointstate.h"
#include "event.h"

#include <QList>
#include <QString>
#include <QtGlobal>

#include <array>
#include <atomic>
#include <optional>
#include <vector>

namespace kw {

class EventLog;

// What one line of an endpoint's timeline shows. The RTT series are named after the `source` the
// sessions give their samples (connect, heartbeat, ws-ping, mqtt-ping, tcpinfo); the last two are
// TCP_INFO's keepalive probes outstanding and retransmission timeouts in a row, on their own axis.
enum class TimelineSeries {
    Connect,
    Heartbeat,
    WsPing,
    MqttPing,
    TcpInfoRtt,
    OtherRtt, // a source this version does not know
    Probes,
    Retransmits,
    Count,
};
constexpr int kTimelineSeriesCount = int(TimelineSeries::Count);
bool isRttSeries(TimelineSeries series);

struct TimelineSample
{
    qint64 ms; // since the epoch
    double value;
    bool operator==(const TimelineSample &) const = default;
};

// One state event of the endpoint, as much of it as the band and the markers need.
struct TimelineChange
{
    qint64 ms;
    EndpointState state;
    Cause cause;
    QString detail;
    std::optional<qint64> nextAttemptMs; // Waiting: the backoff delay (data "next_attempt_ms")
    bool operator==(const TimelineChange &) const = default;
};

struct TimelineSpan
{
    qint64 fromMs;
    qint64 toMs;
    EndpointState state;
    bool operator==(const TimelineSpan &) const = default;
};

// A drop (a change to Down) or a reconnect (Up again after a drop).
struct TimelineMarker
{
    enum class Kind { Drop, Reconnect };
    Kind kind;
    qint64 ms;
    Cause cause;                     // the drop's cause; for a reconnect, the cause of the drop it ends
    QString detail;                  // the drop's detail
    std::optional<qint64> backoffMs; // Drop: the wait before the next attempt, when one followed
    QString backoffDetail;           // "next attempt in 2 s"
    std::optional<qint64> downForMs; // Reconnect: time since the drop
};

// Min and max per pixel column: however many samples fall into a column, it keeps at most two,
// its lowest and its highest, in time order, so a line through them draws the column's full
// extent. 24 h of 1 Hz samples on an 800-pixel plot become at most 1,600 points.
class ColumnDecimator
{
public:
    // Columns of equal width over [fromMs, toMs); samples outside are ignored.
    ColumnDecimator(qint64 fromMs, qint64 toMs, int columns);

    void add(qint64 ms, double value);
    template<typename Range>
    void addAll(const Range &samples)
    {
        for (const TimelineSample &s : samples)
            add(s.ms, s.value);
    }
    // Column by column: the min and the max in the order they occurred; one point when the column
    // holds one distinct value.
    QList<TimelineSample> points() const;
    qint64 columnMs() const;
    int columns() const { return int(m_columns.size()); }
    qsizetype added() const { return m_added; }

private:
    struct Column
    {
        TimelineSample min{0, 0};
        TimelineSample max{0, 0};
        bool used = false;
    };
    qint64 m_from;
    qint64 m_to;
    std::vector<Column> m_columns;
    qsizetype m_added = 0;
};

// Which series an event feeds and with what values: an rtt event its source's RTT; a tcpinfo
// event the kernel's smoothed RTT, its probes and its retransmits.
struct EventSamples
{
    std::array<std::optional<double>, kTimelineSeriesCount> values;
    bool any() const;
};
EventSamples samplesOf(const Event &event);
std::optional<TimelineChange> changeOf(const Event &event);

// The coloured spans of [fromMs, toMs): `opening` is the last change before fromMs (the state
// the range opens in), `changes` the changes in time order. Runs of one state merge.
QList<TimelineSpan> buildSpans(const std::optional<TimelineChange> &opening,
                               const QList<TimelineChange> &changes, qint64 fromMs, qint64 toMs);
// Every drop and reconnect within [fromMs, toMs). A repeated Down (the same state reported again)
// is not a new drop; an Up is a reconnect only after a drop (the first connect is not one).
QList<TimelineMarker> buildMarkers(const std::optional<TimelineChange> &opening,
                                   const QList<TimelineChange> &changes, qint64 fromMs, qint64 toMs);

// What the event log holds for one endpoint over a range, read on the history reader's thread.
// Samples are decimated while they stream in (kColumns columns over the range), so a load of 7 d
// of 1 Hz samples holds at most 2 x kColumns samples per series, not 604,800.
struct TimelineHistory
{
    static constexpr int kColumns = 2048;
    static constexpr int kMaxChanges = 5000; // the newest are kept

    QString endpoint;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    // The newest event read: live events at or before it are already in here.
    qint64 newestMs = 0;
    bool decimated = false; // some column had more than two samples
    qsizetype eventsRead = 0;
    std::array<QList<TimelineSample>, kTimelineSeriesCount> samples;
    std::optional<TimelineChange> opening;
    QList<TimelineChange> changes;

    // EventQuery{endpoint, {State, Rtt, TcpInfo}, from, to}, plus the last state change before
    // `from`. Stops early (returns what it has) when `cancelled` turns true.
    static TimelineHistory load(const EventLog &log, const QString &endpoint, qint64 fromMs, qint64 toMs,
                                const std::atomic_bool &cancelled, QString *error);
};

// Everything the timeline keeps for one endpoint: the history loaded for the range on screen and
// the live events since. Memory per endpoint is bounded:
//   shown:     history <= 2 x TimelineHistory::kColumns samples per series (32 K samples, 512 KB at
//              most over the 8 series) + live <= kMaxLiveSamples per series (the oldest fall out
//              first; with an event log the timeline reloads before that, which moves them into the
//              decimated history) + <= kMaxChanges state changes;
//   not shown: trimToTail() drops the history and keeps the last kTailWindowMs, at most
//              kTailSamples per series and kTailChanges changes; the timeline trims again at twice
//              that (overTail()), so an endpoint with two RTT sources holds at most 4 KB of samples
//              (40 MB at 10,000 endpoints, the old ten-minute RTT chart's budget) and switching back
//              shows the recent past at once while the log loads. The shown track's live samples
//              are 16 bytes each: 7200 x 8 series is 920 KB at most.
class TimelineTrack
{
public:
    static constexpr qsizetype kMaxLiveSamples = 7200; // 2 h of 1 Hz samples
    static constexpr qsizetype kMaxChanges = 5000;
    static constexpr qsizetype kTailSamples = 60;
    static constexpr qsizetype kTailChanges = 64;
    static constexpr qint64 kTailWindowMs = 10 * 60 * 1000;

    // True when the event changed what the track holds (a duplicate of history does not).
    bool append(const Event &event);
    // Replaces the history; live samples at or before its newest event are dropped (the log has
    // them), live changes not in it are kept.
    void install(TimelineHistory history);
    void trimToTail(qint64 nowMs);

    bool hasHistory() const { return m_history.has_value(); }
    const std::optional<TimelineHistory> &history() const { return m_history; }
    // History and live samples of one series within [fromMs, toMs], oldest first.
    QList<TimelineSample> samples(TimelineSeries series, qint64 fromMs, qint64 toMs) const;
    std::optional<TimelineChange> openingAt(qint64 fromMs) const;
    QList<TimelineChange> changesIn(qint64 fromMs, qint64 toMs) const;
    const QList<TimelineChange> &changes() const { return m_changes; }

    qsizetype sampleCount() const; // history + live, every series
    qsizetype liveCount(TimelineSeries series) const { return m_live[size_t(series)].size(); }
    bool liveFull() const;
    bool overTail() const; // past twice the tail's bounds: time to trimToTail()
    qint64 lastEventMs() const { return m_lastEventMs; }

private:
    void insertChange(TimelineChange change);

    std::optional<TimelineHistory> m_history; // its changes move into m_changes
    std::array<QList<TimelineSample>, kTimelineSeriesCount> m_live;
    QList<TimelineChange> m_changes; // loaded and live, in time order
    qint64 m_lastEventMs = 0;
};

} // namespace kw
