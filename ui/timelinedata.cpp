#include "timelinedata.h"

#include "eventlog.h"

#include <QTimeZone>

#include <algorithm>
#include <limits>

namespace kw {

bool isRttSeries(TimelineSeries series)
{
    return series != TimelineSeries::Probes && series != TimelineSeries::Retransmits &&
           series != TimelineSeries::Count;
}

// --- ColumnDecimator -------------------------------------------------------------------------------

ColumnDecimator::ColumnDecimator(qint64 fromMs, qint64 toMs, int columns)
    : m_from(fromMs), m_to(std::max(toMs, fromMs + 1)), m_columns(size_t(std::max(columns, 1)))
{}

qint64 ColumnDecimator::columnMs() const
{
    return std::max<qint64>(1, (m_to - m_from) / qint64(m_columns.size()));
}

void ColumnDecimator::add(qint64 ms, double value)
{
    if (ms < m_from || ms >= m_to)
        return;
    // 128-bit-free: (ms - from) < 2^40 for any range of years, columns < 2^20.
    const size_t index = size_t((ms - m_from) * qint64(m_columns.size()) / (m_to - m_from));
    Column &c = m_columns[std::min(index, m_columns.size() - 1)];
    ++m_added;
    if (!c.used) {
        c.min = c.max = {ms, value};
        c.used = true;
        return;
    }
    // Ties keep the earliest, so the result does not depend on how often a value repeats.
    if (value < c.min.value || (value == c.min.value && ms < c.min.ms))
        c.min = {ms, value};
    if (value > c.max.value || (value == c.max.value && ms < c.max.ms))
        c.max = {ms, value};
}

QList<TimelineSample> ColumnDecimator::points() const
{
    QList<TimelineSample> out;
    for (const Column &c : m_columns) {
        if (!c.used)
            continue;
        if (c.min == c.max) {
            out.append(c.min);
        } else if (c.min.ms <= c.max.ms) {
            out.append(c.min);
            out.append(c.max);
        } else {
            out.append(c.max);
            out.append(c.min);
        }
    }
    return out;
}

// --- events -> samples and changes ---------------------------------------------------------------

bool EventSamples::any() const
{
    return std::any_of(values.cbegin(), values.cend(), [](const auto &v) { return v.has_value(); });
}

namespace {
TimelineSeries seriesOfSource(const QString &source)
{
    if (source == u"connect")
        return TimelineSeries::Connect;
    if (source == u"heartbeat")
        return TimelineSeries::Heartbeat;
    if (source == u"ws-ping")
        return TimelineSeries::WsPing;
    if (source == u"mqtt-ping")
        return TimelineSeries::MqttPing;
    if (source == u"tcpinfo")
        return TimelineSeries::TcpInfoRtt;
    return TimelineSeries::OtherRtt;
}

qint64 msOf(const Event &event)
{
    return event.ts.toMSecsSinceEpoch();
}
} // namespace

EventSamples samplesOf(const Event &event)
{
    EventSamples out;
    if (event.kind == EventKind::Rtt && event.rttMs) {
        out.values[size_t(seriesOfSource(event.source))] = *event.rttMs;
    } else if (event.kind == EventKind::TcpInfo) {
        if (event.rttMs)
            out.values[size_t(TimelineSeries::TcpInfoRtt)] = *event.rttMs;
        // Built in OutboundSession::pollTcpInfo(): "probes" and "retransmits" are written only when
        // the kernel reports them.
        if (const auto v = event.tcpInfoValue(TcpInfoSample::Probes))
            out.values[size_t(TimelineSeries::Probes)] = *v;
        if (const auto v = event.tcpInfoValue(TcpInfoSample::Retransmits))
            out.values[size_t(TimelineSeries::Retransmits)] = *v;
    }
    return out;
}

std::optional<TimelineChange> changeOf(const Event &event)
{
    if (event.kind != EventKind::State || !event.state)
        return std::nullopt;
    TimelineChange change{msOf(event), *event.state, event.cause, event.detail, std::nullopt};
    // RetryingSession::scheduleRetry() puts the delay in "next_attempt_ms".
    if (const QJsonValue v = event.data.value(u"next_attempt_ms"); v.isDouble())
        change.nextAttemptMs = qint64(v.toDouble());
    return change;
}

// --- spans and markers ---------------------------------------------------------------------------

QList<TimelineSpan> buildSpans(const std::optional<TimelineChange> &opening,
                               const QList<TimelineChange> &changes, qint64 fromMs, qint64 toMs)
{
    QList<TimelineSpan> out;
    const auto add = [&](qint64 from, qint64 to, EndpointState state) {
        from = std::max(from, fromMs);
        to = std::min(to, toMs);
        if (to <= from)
            return;
        if (!out.isEmpty() && out.last().state == state && out.last().toMs == from) {
            out.last().toMs = to;
            return;
        }
        out.append({from, to, state});
    };
    std::optional<TimelineChange> current = opening;
    for (const TimelineChange &change : changes) {
        if (current)
            add(current->ms, change.ms, current->state);
        current = change;
    }
    if (current)
        add(current->ms, toMs, current->state);
    return out;
}

QList<TimelineMarker> buildMarkers(const std::optional<TimelineChange> &opening,
                                   const QList<TimelineChange> &changes, qint64 fromMs, qint64 toMs)
{
    QList<TimelineMarker> out;
    std::optional<EndpointState> previous;
    std::optional<TimelineChange> lastDrop;
    if (opening) {
        previous = opening->state;
        // Connecting alone may be the first connect, which ends no outage.
        if (opening->state == EndpointState::Down || opening->state == EndpointState::Waiting)
            lastDrop = opening;
    }
    for (qsizetype i = 0; i < changes.size(); ++i) {
        const TimelineChange &c = changes.at(i);
        const bool inRange = c.ms >= fromMs && c.ms < toMs;
        if (c.state == EndpointState::Down && previous != EndpointState::Down) {
            // The failed attempts of one outage are drops too, but the reconnect ends the outage
            // from its first drop: its cause is the one that matters.
            if (!lastDrop)
                lastDrop = c;
            if (inRange) {
                TimelineMarker m{TimelineMarker::Kind::Drop, c.ms, c.cause, c.detail, std::nullopt, {}, {}};
                // The Waiting that follows says how long the backoff is.
                for (qsizetype j = i + 1; j < changes.size(); ++j) {
                    const TimelineChange &next = changes.at(j);
                    if (next.state == EndpointState::Down)
                        continue; // the same drop reported again
                    if (next.state == EndpointState::Waiting) {
                        m.backoffMs = next.nextAttemptMs;
                        m.backoffDetail = next.detail;
                    }
                    break;
                }
                out.append(m);
            }
        } else if (c.state == EndpointState::Up && previous != EndpointState::Up &&
                   previous != EndpointState::Suspect && lastDrop) {
            if (inRange)
                out.append({TimelineMarker::Kind::Reconnect,
                            c.ms,
                            lastDrop->cause,
                            lastDrop->detail,
                            std::nullopt,
                            {},
                            c.ms - lastDrop->ms});
            lastDrop.reset();
        }
        if (c.state == EndpointState::Disabled)
            lastDrop.reset(); // stopped: the next Up is a start, not a reconnect
        previous = c.state;
    }
    return out;
}

// --- history --------------------------------------------------------------------------------------

TimelineHistory TimelineHistory::load(const EventLog &log, const QString &endpoint, qint64 fromMs,
                                      qint64 toMs, const std::atomic_bool &cancelled, QString *error)
{
    TimelineHistory h;
    h.endpoint = endpoint;
    h.fromMs = fromMs;
    h.toMs = toMs;
    h.newestMs = fromMs - 1;
    const QDateTime from = QDateTime::fromMSecsSinceEpoch(fromMs, QTimeZone::utc());

    EventQuery before;
    before.endpoint = endpoint;
    before.kinds = {EventKind::State};
    before.until = from;
    before.limit = 1;
    before.newestFirst = true;
    const QList<Event> last = log.query(before, error);
    if (!last.isEmpty())
        h.opening = changeOf(last.first());

    std::vector<ColumnDecimator> columns;
    columns.reserve(kTimelineSeriesCount);
    for (int i = 0; i < kTimelineSeriesCount; ++i)
        columns.emplace_back(fromMs, toMs, kColumns);

    EventQuery query;
    query.endpoint = endpoint;
    query.kinds = {EventKind::State, EventKind::Rtt, EventKind::TcpInfo};
    query.since = from;
    query.until = QDateTime::fromMSecsSinceEpoch(toMs, QTimeZone::utc());
    log.forEach(
        query,
        [&](const Event &e) {
            if (cancelled)
                return false;
            ++h.eventsRead;
            h.newestMs = std::max(h.newestMs, msOf(e));
            if (std::optional<TimelineChange> change = changeOf(e)) {
                h.changes.append(std::move(*change));
                if (h.changes.size() > kMaxChanges)
                    h.changes.removeFirst();
                return true;
            }
            const EventSamples s = samplesOf(e);
            for (size_t i = 0; i < s.values.size(); ++i) {
                if (s.values[i])
                    columns[i].add(msOf(e), *s.values[i]);
            }
            return true;
        },
        error);
    for (size_t i = 0; i < columns.size(); ++i) {
        h.samples[i] = columns[i].points();
        h.decimated = h.decimated || columns[i].added() > h.samples[i].size();
    }
    return h;
}

// --- TimelineTrack -----------------------------------------------------------------------------------

bool TimelineTrack::append(const Event &event)
{
    const qint64 ms = msOf(event);
    const qint64 boundary = m_history ? m_history->newestMs : std::numeric_limits<qint64>::min();
    if (std::optional<TimelineChange> change = changeOf(event)) {
        // A change the log already gave us is not drawn twice.
        if (ms <= boundary && m_changes.contains(*change))
            return false;
        m_lastEventMs = std::max(m_lastEventMs, ms);
        insertChange(std::move(*change));
        return true;
    }
    const EventSamples s = samplesOf(event);
    if (!s.any() || ms <= boundary)
        return false;
    m_lastEventMs = std::max(m_lastEventMs, ms);
    for (size_t i = 0; i < s.values.size(); ++i) {
        if (!s.values[i])
            continue;
        QList<TimelineSample> &live = m_live[i];
        const TimelineSample sample{ms, *s.values[i]};
        if (live.isEmpty() || live.last().ms <= ms)
            live.append(sample);
        else
            live.insert(std::upper_bound(live.begin(), live.end(), ms,
                                         [](qint64 t, const TimelineSample &x) { return t < x.ms; }),
                        sample);
        if (live.size() > kMaxLiveSamples)
            live.removeFirst();
    }
    return true;
}

void TimelineTrack::insertChange(TimelineChange change)
{
    if (m_changes.isEmpty() || m_changes.last().ms <= change.ms)
        m_changes.append(std::move(change));
    else
        m_changes.insert(std::upper_bound(m_changes.begin(), m_changes.end(), change.ms,
                                          [](qint64 t, const TimelineChange &x) { return t < x.ms; }),
                         std::move(change));
    if (m_changes.size() > kMaxChanges)
        m_changes.removeFirst();
}

void TimelineTrack::install(TimelineHistory history)
{
    const qint64 boundary = history.newestMs;
    for (QList<TimelineSample> &live : m_live)
        live.removeIf([boundary](const TimelineSample &s) { return s.ms <= boundary; });
    // Live changes the log has not got yet (after its newest event, or not among its changes).
    QList<TimelineChange> merged = std::move(history.changes);
    history.changes.clear();
    for (const TimelineChange &c : std::as_const(m_changes)) {
        if (c.ms > boundary || (c.ms >= history.fromMs && !merged.contains(c)))
            merged.append(c);
    }
    std::stable_sort(merged.begin(), merged.end(),
                     [](const TimelineChange &a, const TimelineChange &b) { return a.ms < b.ms; });
    while (merged.size() > kMaxChanges)
        merged.removeFirst();
    m_changes = std::move(merged);
    m_history = std::move(history);
}

void TimelineTrack::trimToTail(qint64 nowMs)
{
    m_history.reset();
    const qint64 oldest = nowMs - kTailWindowMs;
    for (QList<TimelineSample> &live : m_live) {
        live.removeIf([oldest](const TimelineSample &s) { return s.ms < oldest; });
        if (live.size() > kTailSamples)
            live.remove(0, live.size() - kTailSamples);
        live.squeeze();
    }
    if (m_changes.size() > kTailChanges)
        m_changes.remove(0, m_changes.size() - kTailChanges);
    m_changes.squeeze();
}

QList<TimelineSample> TimelineTrack::samples(TimelineSeries series, qint64 fromMs, qint64 toMs) const
{
    QList<TimelineSample> out;
    const auto take = [&](const QList<TimelineSample> &list) {
        auto it = std::lower_bound(list.cbegin(), list.cend(), fromMs,
                                   [](const TimelineSample &x, qint64 t) { return x.ms < t; });
        for (; it != list.cend() && it->ms <= toMs; ++it)
            out.append(*it);
    };
    if (m_history)
        take(m_history->samples[size_t(series)]);
    take(m_live[size_t(series)]);
    return out;
}

std::optional<TimelineChange> TimelineTrack::openingAt(qint64 fromMs) const
{
    auto it = std::lower_bound(m_changes.cbegin(), m_changes.cend(), fromMs,
                               [](const TimelineChange &x, qint64 t) { return x.ms < t; });
    if (it != m_changes.cbegin())
        return *(it - 1);
    if (m_history && m_history->fromMs <= fromMs)
        return m_history->opening;
    return std::nullopt;
}

QList<TimelineChange> TimelineTrack::changesIn(qint64 fromMs, qint64 toMs) const
{
    QList<TimelineChange> out;
    auto it = std::lower_bound(m_changes.cbegin(), m_changes.cend(), fromMs,
                               [](const TimelineChange &x, qint64 t) { return x.ms < t; });
    for (; it != m_changes.cend() && it->ms < toMs; ++it)
        out.append(*it);
    return out;
}

qsizetype TimelineTrack::sampleCount() const
{
    qsizetype n = 0;
    for (size_t i = 0; i < m_live.size(); ++i)
        n += m_live[i].size() + (m_history ? m_history->samples[i].size() : 0);
    return n;
}

bool TimelineTrack::liveFull() const
{
    return std::any_of(m_live.cbegin(), m_live.cend(),
                       [](const QList<TimelineSample> &l) { return l.size() >= kMaxLiveSamples; });
}

bool TimelineTrack::overTail() const
{
    return m_changes.size() > 2 * kTailChanges ||
           std::any_of(m_live.cbegin(), m_live.cend(),
                       [](const QList<TimelineSample> &l) { return l.size() > 2 * kTailSamples; });
}

} // namespace kw
