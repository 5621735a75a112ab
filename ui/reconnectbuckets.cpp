#include "reconnectbuckets.h"

#include "eventlog.h"

#include <algorithm>

namespace kw {

namespace {
// How often the log scan looks at `cancelled`: often enough that a superseded 7-day count stops
// within a few milliseconds, rarely enough to cost nothing.
constexpr int kCancelCheckEvery = 512;

qint64 floorTo(qint64 ms, qint64 width)
{
    const qint64 q = ms / width;
    return (ms % width < 0 ? q - 1 : q) * width;
}
} // namespace

ReconnectBuckets::ReconnectBuckets(const QDateTime &now, std::chrono::milliseconds width, int count)
    : m_width(width)
{
    if (width.count() <= 0 || count <= 0 || !now.isValid()) {
        m_width = std::chrono::milliseconds(0);
        return;
    }
    m_firstMs = floorTo(now.toMSecsSinceEpoch(), width.count()) - qint64(count - 1) * width.count();
    m_buckets.resize(count);
}

bool ReconnectBuckets::isReconnect(const Event &event)
{
    return event.isState(EndpointState::Down) && event.cause.code != CauseCode::Stopped;
}

int ReconnectBuckets::indexOf(const QDateTime &ts) const
{
    if (m_buckets.isEmpty() || !ts.isValid())
        return -1;
    const qint64 offset = ts.toMSecsSinceEpoch() - m_firstMs;
    if (offset < 0)
        return -1;
    const qint64 index = offset / m_width.count();
    return index < m_buckets.size() ? int(index) : -1;
}

bool ReconnectBuckets::add(const Event &event)
{
    if (!isReconnect(event))
        return false;
    const int index = indexOf(event.ts);
    if (index < 0)
        return false;
    Bucket &bucket = m_buckets[index];
    Cell &cell = bucket.byCause[event.causeName()];
    ++cell.drops;
    cell.endpoints.insert(event.endpoint);
    ++bucket.total;
    ++m_total;
    m_latestMs = std::max(m_latestMs, event.ts.toMSecsSinceEpoch());
    return true;
}

bool ReconnectBuckets::advanceTo(const QDateTime &now)
{
    if (m_buckets.isEmpty() || !now.isValid())
        return false;
    const qint64 width = m_width.count();
    const qint64 lastStart = floorTo(now.toMSecsSinceEpoch(), width);
    const qint64 first = lastStart - qint64(m_buckets.size() - 1) * width;
    if (first <= m_firstMs) // the clock never makes the range go back
        return false;
    const qint64 shift = (first - m_firstMs) / width;
    if (shift >= m_buckets.size()) {
        m_buckets.fill(Bucket());
        m_total = 0;
    } else {
        for (qint64 i = 0; i < shift; ++i)
            m_total -= m_buckets.at(i).total;
        m_buckets.remove(0, shift);
        m_buckets.resize(m_buckets.size() + shift);
    }
    m_firstMs = first;
    return true;
}

bool ReconnectBuckets::countLog(const EventLog &log, const std::atomic_bool &cancelled, QString *error)
{
    if (m_buckets.isEmpty())
        return true;
    EventQuery query;
    query.kinds = {EventKind::State};
    query.since = since();
    query.until = until();
    int seen = 0;
    return log.forEach(
        query,
        [&](const Event &event) {
            add(event);
            return ++seen % kCancelCheckEvery != 0 || !cancelled.load();
        },
        error);
}

QDateTime ReconnectBuckets::since() const
{
    return m_buckets.isEmpty() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(m_firstMs, Qt::UTC);
}

QDateTime ReconnectBuckets::until() const
{
    return m_buckets.isEmpty() ? QDateTime() : bucketEnd(size() - 1);
}

QDateTime ReconnectBuckets::latest() const
{
    return m_latestMs == std::numeric_limits<qint64>::min()
               ? QDateTime()
               : QDateTime::fromMSecsSinceEpoch(m_latestMs, Qt::UTC);
}

QDateTime ReconnectBuckets::bucketStart(int index) const
{
    return QDateTime::fromMSecsSinceEpoch(m_firstMs + qint64(index) * m_width.count(), Qt::UTC);
}

QDateTime ReconnectBuckets::bucketEnd(int index) const
{
    return bucketStart(index + 1);
}

int ReconnectBuckets::total(int index) const
{
    return index >= 0 && index < size() ? m_buckets.at(index).total : 0;
}

int ReconnectBuckets::count(int index, const QString &cause) const
{
    if (index < 0 || index >= size())
        return 0;
    const auto it = m_buckets.at(index).byCause.constFind(cause);
    return it == m_buckets.at(index).byCause.cend() ? 0 : it->drops;
}

int ReconnectBuckets::maxTotal() const
{
    int most = 0;
    for (const Bucket &bucket : m_buckets)
        most = std::max(most, bucket.total);
    return most;
}

QList<ReconnectBuckets::CauseCount> ReconnectBuckets::sorted(const QHash<QString, int> &counts)
{
    QList<CauseCount> list;
    list.reserve(counts.size());
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        list.append({it.key(), it.value()});
    std::sort(list.begin(), list.end(), [](const CauseCount &a, const CauseCount &b) {
        return a.drops != b.drops ? a.drops > b.drops : a.cause < b.cause;
    });
    return list;
}

QList<ReconnectBuckets::CauseCount> ReconnectBuckets::causes() const
{
    QHash<QString, int> counts;
    for (const Bucket &bucket : m_buckets) {
        for (auto it = bucket.byCause.cbegin(); it != bucket.byCause.cend(); ++it)
            counts[it.key()] += it->drops;
    }
    return sorted(counts);
}

QList<ReconnectBuckets::CauseCount> ReconnectBuckets::causes(int index) const
{
    QHash<QString, int> counts;
    if (index >= 0 && index < size()) {
        const Bucket &bucket = m_buckets.at(index);
        for (auto it = bucket.byCause.cbegin(); it != bucket.byCause.cend(); ++it)
            counts.insert(it.key(), it->drops);
    }
    return sorted(counts);
}

QStringList ReconnectBuckets::endpoints(int index) const
{
    if (index < 0 || index >= size())
        return {};
    QSet<QString> all;
    for (const Cell &cell : m_buckets.at(index).byCause)
        all.unite(cell.endpoints);
    QStringList names(all.cbegin(), all.cend());
    names.sort();
    return names;
}

QStringList ReconnectBuckets::endpoints(int index, const QString &cause) const
{
    if (index < 0 || index >= size())
        return {};
    const auto it = m_buckets.at(index).byCause.constFind(cause);
    if (it == m_buckets.at(index).byCause.cend())
        return {};
    QStringList names(it->endpoints.cbegin(), it->endpoints.cend());
    names.sort();
    return names;
}

int ReconnectBuckets::endpointCount() const
{
    QSet<QString> all;
    for (const Bucket &bucket : m_buckets) {
        for (const Cell &cell : bucket.byCause)
            all.unite(cell.endpoints);
    }
    return int(all.size());
}

} // namespace kw
