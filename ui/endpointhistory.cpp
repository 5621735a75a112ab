#include "endpointhistory.h"

#include <algorithm>

namespace kw {

bool EndpointHistory::addState(const QDateTime &at, EndpointState state)
{
    if (!at.isValid())
        return false;
    const qint64 atMs = at.toMSecsSinceEpoch();
    // The first change later than `at`: the new one goes before it.
    const auto next = std::upper_bound(m_changes.begin(), m_changes.end(), atMs,
                                       [](qint64 ms, const Change &c) { return ms < c.atMs; });
    if (next != m_changes.begin() && std::prev(next)->state == state)
        return false; // already in that state then
    // A later change to the same state stays: the events between the two may still arrive
    // (a snapshot's "up since" comes before the drop and the recovery that led to it).
    m_changes.insert(next - m_changes.begin(), Change{atMs, state});
    if (m_changes.size() > kMaxChanges)
        m_changes.removeFirst();
    return true;
}

bool EndpointHistory::addRtt(const QDateTime &at, double ms)
{
    if (!at.isValid())
        return false;
    const qint64 index = at.toMSecsSinceEpoch() / kRttBucket.count();
    if (!m_rtt.isEmpty() && index < m_rtt.first().index && m_rtt.size() >= kMaxRttPoints)
        return false; // older than everything kept
    auto it = std::lower_bound(m_rtt.begin(), m_rtt.end(), index,
                               [](const Bucket &b, qint64 i) { return b.index < i; });
    if (it != m_rtt.end() && it->index == index) {
        if (ms <= it->maxMs)
            return false;
        it->maxMs = ms;
        return true;
    }
    m_rtt.insert(it, Bucket{index, ms});
    if (m_rtt.size() > kMaxRttPoints)
        m_rtt.removeFirst();
    return true;
}

int EndpointHistory::dropsSince(const QDateTime &since) const
{
    const qint64 sinceMs = since.toMSecsSinceEpoch();
    int drops = 0;
    for (qsizetype i = 0; i < m_changes.size(); ++i) {
        const Change &c = m_changes.at(i);
        if (c.state == EndpointState::Down && c.atMs >= sinceMs &&
            (i == 0 || m_changes.at(i - 1).state != EndpointState::Down))
            ++drops;
    }
    return drops;
}

StateStrip EndpointHistory::strip(const QDateTime &now, std::chrono::milliseconds window) const
{
    StateStrip strip;
    strip.to = now;
    strip.from = now.addMSecs(-window.count());
    const qint64 fromMs = strip.from.toMSecsSinceEpoch();
    const qint64 toMs = now.toMSecsSinceEpoch();
    for (qsizetype i = 0; i < m_changes.size(); ++i) {
        const Change &c = m_changes.at(i);
        const qint64 end = i + 1 < m_changes.size() ? m_changes.at(i + 1).atMs : toMs;
        const qint64 spanFrom = std::max(c.atMs, fromMs);
        const qint64 spanTo = std::min(end, toMs);
        if (spanFrom >= spanTo)
            continue;
        const QDateTime to = QDateTime::fromMSecsSinceEpoch(spanTo, Qt::UTC);
        if (!strip.spans.isEmpty() && strip.spans.last().state == c.state) {
            strip.spans.last().to = to; // the same state known twice
            continue;
        }
        strip.spans.append(StateSpan{QDateTime::fromMSecsSinceEpoch(spanFrom, Qt::UTC), to, c.state});
        if (c.state == EndpointState::Down && c.atMs >= fromMs)
            ++strip.drops;
    }
    for (const Bucket &b : m_rtt) {
        const qint64 atMs = b.index * kRttBucket.count();
        if (atMs + kRttBucket.count() <= fromMs || atMs >= toMs)
            continue;
        strip.rtt.append(RttPoint{QDateTime::fromMSecsSinceEpoch(atMs, Qt::UTC), b.maxMs});
    }
    return strip;
}

} // namespace kw
