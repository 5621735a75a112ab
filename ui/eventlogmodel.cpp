#include "eventlogmodel.h"

#include "historyreader.h"
#include "statestyle.h"
#include "timeformat.h"

#include <QBrush>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QLocale>
#include <QTimer>

#include <algorithm>

namespace kw {

namespace {
const QString kExtentChannel = QStringLiteral("eventlog.extent");
const QString kPagesChannel = QStringLiteral("eventlog.pages");
// Pages read in one request: a screen or two either side of the latest place looked at.
constexpr int kMaxPagesPerRequest = 6;
// Events of the newest timestamp compared with live ones; more in one millisecond is not expected.
constexpr int kMaxKeyEvents = 256;

} // namespace

EventLogModel::EventLogModel(QObject *parent)
    : QAbstractTableModel(parent), m_fetchTimer(new QTimer(this)),
      m_dark(StateStyle::isDark(QGuiApplication::palette()))
{
    // Every row painted in one pass asks for its page; one request reads them all.
    m_fetchTimer->setSingleShot(true);
    m_fetchTimer->setInterval(0);
    connect(m_fetchTimer, &QTimer::timeout, this, &EventLogModel::fetchPages);
}

EventLogModel::~EventLogModel()
{
    if (m_reader) {
        m_reader->cancel(kExtentChannel);
        m_reader->cancel(kPagesChannel);
    }
}

HistoryReader *EventLogModel::historyReader() const
{
    return m_reader;
}

bool EventLogModel::hasLog() const
{
    return m_reader && m_reader->hasLog();
}

void EventLogModel::setHistoryReader(HistoryReader *reader)
{
    if (reader == m_reader)
        return;
    if (m_reader) {
        m_reader->cancel(kExtentChannel);
        m_reader->cancel(kPagesChannel);
    }
    m_reader = reader;
    resetRows();
    if (hasLog())
        requestExtent(false);
}

void EventLogModel::setFilter(const EventQuery &filter)
{
    m_filter = filter;
    m_filter.maxId.reset();
    m_filter.offset = 0;
    m_filter.limit = -1;
    m_filter.newestFirst = false;
    resetRows();
    if (hasLog())
        requestExtent(false);
}

void EventLogModel::refresh()
{
    if (hasLog())
        requestExtent(true);
}

// Back to no log rows and the live events the filter selects, until the new count arrives.
void EventLogModel::resetRows()
{
    beginResetModel();
    ++m_generation;
    m_logCount = 0;
    m_firstId = 0;
    m_lastId = 0;
    m_pages.clear();
    m_wanted.clear();
    m_inFlight.clear();
    if (m_reader)
        m_reader->cancel(kPagesChannel);
    const QList<Live> live = liveRows();
    m_live.assign(live.cbegin(), live.cend());
    endResetModel();
}

void EventLogModel::requestExtent(bool fold)
{
    const EventQuery filter = m_filter;
    const quint64 generation = m_generation;
    setCounting(true);
    m_reader->run<Extent>(
        this, kExtentChannel,
        [filter](const EventLog &log, const std::atomic_bool &cancelled, QString *error) {
            Extent result;
            const std::optional<EventLogExtent> extent = log.extent(filter, error);
            if (!extent || cancelled)
                return result;
            result.extent = *extent;
            if (extent->lastTs) {
                EventQuery newest;
                newest.since = *extent->lastTs;
                newest.maxId = extent->lastId;
                newest.limit = kMaxKeyEvents;
                result.atLastTs = log.query(newest, error);
            }
            // The last page and the one before, so the first screen is whole even when the last
            // page holds a few rows only.
            const qint64 count = extent->count;
            result.tailStart =
                count > 0 ? std::max<qint64>(0, (count - kPageSize) / kPageSize * kPageSize) : 0;
            if (count > result.tailStart && !cancelled) {
                EventQuery tail = filter;
                tail.maxId = extent->lastId;
                tail.newestFirst = true;
                tail.limit = int(count - result.tailStart);
                result.tail = log.query(tail, error);
                std::reverse(result.tail.begin(), result.tail.end());
            }
            result.ok = error->isEmpty();
            return result;
        },
        [this, generation, fold](Extent result, const QString &error) {
            if (generation != m_generation)
                return;
            setCounting(false);
            setError(error);
            if (result.ok)
                applyExtent(result, fold);
        });
}

void EventLogModel::applyExtent(const Extent &result, bool fold)
{
    const EventLogExtent &extent = result.extent;
    // Retention removed the oldest rows: every offset moved, so the cached pages are stale.
    if (!fold || extent.firstId != m_firstId || extent.count < m_logCount) {
        beginResetModel();
        ++m_generation;
        m_pages.clear();
        m_inFlight.clear();
        m_reader->cancel(kPagesChannel);
        m_logCount = extent.count;
        m_firstId = extent.firstId;
        m_lastId = extent.lastId;
        m_keyTs = extent.lastTs;
        m_keyEvents = result.atLastTs;
        storeTail(result);
        const QList<Live> live = liveRows();
        m_live.assign(live.cbegin(), live.cend());
        endResetModel();
        Q_EMIT pagesLoaded();
        return;
    }

    // The log rows so far stay where they are; the live rows give way to the rows the log now has
    // for them, and the live events it has not caught up with come after those again.
    if (!m_live.empty()) {
        beginRemoveRows({}, int(m_logCount), int(m_logCount) + int(m_live.size()) - 1);
        m_live.clear();
        endRemoveRows();
    }
    const qint64 lastPartial = m_logCount / kPageSize; // it may have grown
    m_inFlight.clear();
    m_reader->cancel(kPagesChannel);
    m_lastId = extent.lastId;
    m_keyTs = extent.lastTs;
    m_keyEvents = result.atLastTs;
    if (extent.count > m_logCount) {
        beginInsertRows({}, int(m_logCount), int(extent.count) - 1);
        m_logCount = extent.count;
        endInsertRows();
    }
    // The last page read before may have grown: it is replaced by the tail or read again.
    m_pages.removeIf([lastPartial](const Pages::iterator it) { return it.key() >= lastPartial; });
    storeTail(result);
    const QList<Live> live = liveRows();
    if (!live.isEmpty()) {
        beginInsertRows({}, int(m_logCount), int(m_logCount) + int(live.size()) - 1);
        m_live.assign(live.cbegin(), live.cend());
        endInsertRows();
    }
    // Rows of the last page that were shown as "…" may be loaded now.
    if (m_logCount > 0) {
        const int first = int(std::min(m_logCount - 1, lastPartial * kPageSize));
        Q_EMIT dataChanged(index(first, 0), index(int(m_logCount) - 1, ColumnCount - 1));
    }
    Q_EMIT pagesLoaded();
}

void EventLogModel::storeTail(const Extent &result)
{
    for (qsizetype i = 0; i < result.tail.size(); i += kPageSize) {
        const qint64 page = (result.tailStart + i) / kPageSize;
        m_pages.insert(page, result.tail.mid(i, kPageSize));
    }
    m_lastWanted = m_logCount / kPageSize;
    evictPages();
}

bool EventLogModel::aboveKey(const Event &event) const
{
    if (!hasLog() || !m_keyTs)
        return true;
    if (event.ts != *m_keyTs)
        return event.ts > *m_keyTs;
    return !m_keyEvents.contains(event);
}

QList<EventLogModel::Live> EventLogModel::liveRows() const
{
    QList<Live> rows;
    for (const Live &live : m_recent) {
        if (m_filter.matches(live.event) && aboveKey(live.event))
            rows.append(live);
    }
    return rows;
}

void EventLogModel::fetchPages()
{
    if (!hasLog() || m_logCount == 0) {
        m_wanted.clear();
        return;
    }
    QList<qint64> missing;
    for (const qint64 page : std::as_const(m_wanted)) {
        if (!m_pages.contains(page) && page * kPageSize < m_logCount)
            missing.append(page);
    }
    m_wanted.clear();
    bool news = false;
    for (const qint64 page : std::as_const(missing))
        news = news || !m_inFlight.contains(page);
    if (!news)
        return;
    // A new request replaces the one in flight: it reads what that one was reading too, nearest the
    // place looked at last first, so a fast scroll through a million rows never queues up pages
    // nobody looks at any more.
    std::sort(missing.begin(), missing.end());
    m_lastWanted = missing.last();
    for (const qint64 page : std::as_const(m_inFlight)) {
        if (!missing.contains(page))
            missing.append(page);
    }
    const qint64 near = m_lastWanted;
    std::stable_sort(missing.begin(), missing.end(),
                     [near](qint64 a, qint64 b) { return std::abs(a - near) < std::abs(b - near); });
    missing.resize(std::min<qsizetype>(missing.size(), kMaxPagesPerRequest));
    m_inFlight = QSet<qint64>(missing.cbegin(), missing.cend());

    EventQuery filter = m_filter;
    filter.maxId = m_lastId;
    const qint64 count = m_logCount;
    const quint64 generation = m_generation;
    m_reader->run<Pages>(
        this, kPagesChannel,
        [filter, count, missing](const EventLog &log, const std::atomic_bool &cancelled, QString *error) {
            Pages pages;
            for (const qint64 page : missing) {
                if (cancelled)
                    break;
                const qint64 start = page * kPageSize;
                const qint64 length = std::min<qint64>(kPageSize, count - start);
                EventQuery query = filter;
                query.limit = int(length);
                // SQLite steps over an offset row by row: read from the nearer end (at 1,000,000
                // events the middle is 70 ms away from either).
                if (start * 2 > count) {
                    query.newestFirst = true;
                    query.offset = count - start - length;
                } else {
                    query.offset = start;
                }
                QList<Event> events = log.query(query, error);
                if (!error->isEmpty())
                    break;
                if (query.newestFirst)
                    std::reverse(events.begin(), events.end());
                pages.insert(page, events);
            }
            return pages;
        },
        [this, generation](Pages pages, const QString &error) {
            if (generation != m_generation)
                return;
            m_inFlight.clear();
            setError(error);
            storePages(pages);
        });
}

void EventLogModel::readRows(const QList<int> &rows, std::function<void(QList<Event> events)> done)
{
    // Rows at hand (live ones, cached pages) are taken here; the others become runs of log rows.
    QList<std::pair<qint64, qint64>> runs; // start, length
    bool missing = false;
    for (const int row : rows) {
        if (eventAt(row) || row >= m_logCount)
            continue;
        missing = true;
        if (!runs.isEmpty() && runs.last().first + runs.last().second == row)
            ++runs.last().second;
        else
            runs.append({row, 1});
    }
    const auto collect = [this, rows](const QHash<qint64, Event> &read) {
        QList<Event> events;
        for (const int row : rows) {
            if (const Event *event = eventAt(row))
                events.append(*event);
            else if (const auto it = read.constFind(row); it != read.cend())
                events.append(*it);
        }
        return events;
    };
    if (!missing || !hasLog()) {
        done(collect({}));
        return;
    }
    EventQuery filter = m_filter;
    filter.maxId = m_lastId;
    const qint64 count = m_logCount;
    const quint64 generation = m_generation;
    m_reader->run<QHash<qint64, Event>>(
        this, QStringLiteral("eventlog.rows"),
        [filter, count, runs](const EventLog &log, const std::atomic_bool &cancelled, QString *error) {
            QHash<qint64, Event> read;
            for (const auto &[start, length] : runs) {
                if (cancelled || !error->isEmpty())
                    break;
                EventQuery query = filter;
                query.limit = int(length);
                const bool fromEnd = start * 2 > count;
                query.newestFirst = fromEnd;
                query.offset = fromEnd ? count - start - length : start;
                QList<Event> events = log.query(query, error);
                if (fromEnd)
                    std::reverse(events.begin(), events.end());
                for (qsizetype i = 0; i < events.size(); ++i)
                    read.insert(start + i, events.at(i));
            }
            return read;
        },
        [this, generation, collect, done = std::move(done)](QHash<qint64, Event> read, const QString &error) {
            if (generation != m_generation)
                return;
            setError(error);
            done(collect(read));
        });
}

void EventLogModel::storePages(const Pages &pages)
{
    for (auto it = pages.cbegin(); it != pages.cend(); ++it) {
        m_pages.insert(it.key(), it.value());
        const int first = int(it.key() * kPageSize);
        const int last = int(std::min<qint64>(m_logCount, first + kPageSize)) - 1;
        if (last >= first)
            Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
    }
    evictPages();
    if (!pages.isEmpty())
        Q_EMIT pagesLoaded();
    // Rows painted while these were read may want pages of their own.
    if (!m_wanted.isEmpty())
        m_fetchTimer->start();
}

// The pages farthest from where the view looked last go first.
void EventLogModel::evictPages()
{
    if (m_pages.size() <= kMaxPages)
        return;
    QList<qint64> keys = m_pages.keys();
    const qint64 near = m_lastWanted;
    std::sort(keys.begin(), keys.end(),
              [near](qint64 a, qint64 b) { return std::abs(a - near) > std::abs(b - near); });
    for (qsizetype i = 0; i < keys.size() - kMaxPages; ++i)
        m_pages.remove(keys.at(i));
}

void EventLogModel::setCounting(bool counting)
{
    if (counting == m_counting)
        return;
    m_counting = counting;
    Q_EMIT countingChanged(counting);
}

void EventLogModel::setError(const QString &message)
{
    if (message == m_lastError)
        return;
    m_lastError = message;
    Q_EMIT errorChanged(message);
}

void EventLogModel::appendEvents(const QList<Event> &events)
{
    if (events.isEmpty())
        return;
    // A batch larger than the ring only contributes its newest events.
    const qsizetype skip = std::max<qsizetype>(0, events.size() - m_capacity);
    m_dropped += skip;
    const int overflow = int(m_recent.size() + (events.size() - skip)) - m_capacity;
    if (overflow > 0)
        dropOldest(overflow);

    QList<Live> shown;
    for (auto it = events.cbegin() + skip; it != events.cend(); ++it) {
        Live live{m_nextSeq++, *it};
        if (m_filter.matches(live.event) && aboveKey(live.event))
            shown.append(live);
        m_recent.push_back(std::move(live));
    }
    if (!shown.isEmpty()) {
        const int first = rowCount();
        beginInsertRows({}, first, first + int(shown.size()) - 1);
        m_live.insert(m_live.end(), shown.cbegin(), shown.cend());
        endInsertRows();
    }
    if (hasLog() && !m_counting && m_live.size() > size_t(kFoldThreshold))
        refresh();
}

void EventLogModel::dropOldest(int count)
{
    count = std::min(count, int(m_recent.size()));
    if (count <= 0)
        return;
    const quint64 keptFrom = m_recent.at(size_t(count - 1)).seq + 1;
    m_recent.erase(m_recent.begin(), m_recent.begin() + count);
    m_dropped += count;
    int gone = 0;
    while (gone < int(m_live.size()) && m_live.at(size_t(gone)).seq < keptFrom)
        ++gone;
    if (gone > 0) {
        beginRemoveRows({}, int(m_logCount), int(m_logCount) + gone - 1);
        m_live.erase(m_live.begin(), m_live.begin() + gone);
        endRemoveRows();
    }
}

void EventLogModel::clear()
{
    if (!m_live.empty()) {
        beginRemoveRows({}, int(m_logCount), int(m_logCount) + int(m_live.size()) - 1);
        m_live.clear();
        endRemoveRows();
    }
    m_recent.clear();
    m_dropped = 0;
}

void EventLogModel::setCapacity(int capacity)
{
    m_capacity = std::max(1, capacity);
    const int overflow = int(m_recent.size()) - m_capacity;
    if (overflow > 0)
        dropOldest(overflow);
}

void EventLogModel::setDarkPalette(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, StateColumn), index(rowCount() - 1, StateColumn), {Qt::ForegroundRole});
}

const Event *EventLogModel::eventAt(int row) const
{
    if (row < 0)
        return nullptr;
    if (row >= m_logCount) {
        const qint64 live = row - m_logCount;
        return live < qint64(m_live.size()) ? &m_live.at(size_t(live)).event : nullptr;
    }
    const auto page = m_pages.constFind(row / kPageSize);
    if (page == m_pages.cend() || row % kPageSize >= page->size())
        return nullptr;
    return &page->at(row % kPageSize);
}

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_logCount) + int(m_live.size());
}

int EventLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int column = index.column();
    const Event *event = eventAt(index.row());
    if (!event) {
        if (role == Qt::DisplayRole && index.row() < m_logCount) {
            m_wanted.insert(index.row() / kPageSize);
            if (!m_fetchTimer->isActive())
                m_fetchTimer->start();
        }
        if (role == Qt::DisplayRole && column == TimeColumn)
            return QStringLiteral("…");
        if (role == Qt::ToolTipRole)
            return tr("Reading the event log…");
        if (role == LoadedRole)
            return false;
        return {};
    }
    const Event &e = *event;

    switch (role) {
    case Qt::DisplayRole:
        return displayText(e, column);
    case Qt::ToolTipRole:
        if (column == TimeColumn)
            return QString(TimeFormat::absolute(e.ts) + e.ts.toLocalTime().toString(QStringLiteral(".zzz")));
        if (column == DetailColumn) {
            QString text = e.detail;
            if (const QJsonObject data = e.allData(); !data.isEmpty()) {
                const QString json = QString::fromUtf8(QJsonDocument(data).toJson(QJsonDocument::Indented));
                text = text.isEmpty() ? json : text + u'\n' + json;
            }
            return text.isEmpty() ? QVariant() : QVariant(text);
        }
        return {};
    case Qt::ForegroundRole:
        if (column == StateColumn) {
            if (e.state)
                return QBrush(StateStyle::color(*e.state, m_dark));
        }
        return {};
    case EndpointRole:
        return e.endpoint;
    case KindRole:
        return e.kind ? QVariant::fromValue(*e.kind) : QVariant();
    case TimestampRole:
        return e.ts;
    case RttRole:
        return e.rttMs ? QVariant(*e.rttMs) : QVariant();
    case LoadedRole:
        return true;
    default:
        return {};
    }
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case EndpointColumn:
        return tr("Endpoint");
    case KindColumn:
        return tr("Kind");
    case StateColumn:
        return tr("State");
    case CauseColumn:
        return tr("Cause");
    case DetailColumn:
        return tr("Detail / RTT");
    default:
        return {};
    }
}

} // namespace kw
