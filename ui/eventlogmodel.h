#pragma once

#include "event.h"
#include "eventlog.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QSet>

#include <deque>
#include <functional>
#include <optional>

class QTimer;

namespace kw {

class HistoryReader;

// The event log as a table, oldest first, in two parts.
//
// With a HistoryReader over a log, the first rows are the log's events that the filter selects:
// counted on the reader's thread, read in pages of kPageSize rows when a view asks for them (at
// most kMaxPages kept; a row not read yet shows "…"), and held still under the last row id of the
// count while the engine writes on. After them come the live events published since, until the log
// catches up: every count also returns the newest timestamp in the log, and a live event at or
// before it is already among the log rows (the engine writes a batch before it publishes it), so it
// is never shown twice.
//
// Without a log (no data directory, tests) the rows are the latest `capacity` live events in a ring.
// Batches are appended with one row insert each, so views keep their scroll position and selection.
class EventLogModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLogModel)

public:
    static constexpr int kDefaultCapacity = 10'000;
    static constexpr int kPageSize = 256;
    // 16,384 events: a few screens either way of every place looked at, about 5 MB.
    static constexpr int kMaxPages = 64;
    // Live rows past this many are folded into the log rows by a new count.
    static constexpr int kFoldThreshold = 2'000;

    enum Column {
        TimeColumn,
        EndpointColumn,
        KindColumn,
        StateColumn,
        CauseColumn,
        DetailColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        EndpointRole = Qt::UserRole + 1, // QString, any column
        KindRole,                        // kw::EventKind
        TimestampRole,                   // QDateTime (UTC)
        RttRole,                         // double ms, or invalid
        LoadedRole,                      // bool: false while the row's page is being read
    };
    Q_ENUM(Role)

    explicit EventLogModel(QObject *parent = nullptr);
    ~EventLogModel() override;

    // Null, or a reader without a log: live events only. The reader must outlive the model or be
    // replaced first.
    void setHistoryReader(HistoryReader *reader);
    HistoryReader *historyReader() const;
    bool hasLog() const;

    // What the rows show; maxId, offset, limit and newestFirst are the model's own.
    void setFilter(const EventQuery &filter);
    const EventQuery &filter() const { return m_filter; }
    // Counts the log again, folding the live rows it has caught up with into the log rows.
    void refresh();
    bool isCounting() const { return m_counting; }
    QString lastError() const { return m_lastError; }

    void appendEvents(const QList<Event> &events);
    // Forgets the live events (the log rows stay).
    void clear();

    int capacity() const { return m_capacity; }
    void setCapacity(int capacity);
    // Live events dropped from the ring since the model was created or cleared.
    qint64 droppedCount() const { return m_dropped; }

    qint64 logRowCount() const { return m_logCount; }
    int liveRowCount() const { return int(m_live.size()); }
    // Null while the row's page is being read.
    const Event *eventAt(int row) const;
    // The events of `rows` (ascending), those not in the cache read on the reader's thread; `done`
    // runs on this thread, with the rows that could be read, unless the rows changed meanwhile.
    void readRows(const QList<int> &rows, std::function<void(QList<Event> events)> done);
    bool isRowLoaded(int row) const { return eventAt(row) != nullptr; }
    void setDarkPalette(bool dark);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The text of one cell as the table shows it (also what Copy writes).
    static QString displayText(const Event &event, int column);
    // "18:00:00.123" today, "2026-11-21 18:00:00.123" on another day (local time).
    static QString timeText(const QDateTime &ts);

Q_SIGNALS:
    void countingChanged(bool counting);
    // Rows of a page arrived (the view's summary and tests wait on it).
    void pagesLoaded();
    void errorChanged(const QString &message);

private:
    struct Live
    {
        quint64 seq = 0;
        Event event;
    };
    struct Extent
    {
        EventLogExtent extent;
        QList<Event> atLastTs; // every event of the newest timestamp, for telling live rows apart
        qint64 tailStart = 0;  // the page-aligned first row of `tail`
        QList<Event> tail;     // the last rows, so the view's first screen needs one round trip
        bool ok = false;
    };
    using Pages = QHash<qint64, QList<Event>>;

    void requestExtent(bool fold);
    void applyExtent(const Extent &result, bool fold);
    void storeTail(const Extent &result);
    void fetchPages();
    void storePages(const Pages &pages);
    void evictPages();
    void resetRows();
    void setCounting(bool counting);
    void setError(const QString &message);
    bool aboveKey(const Event &event) const;
    QList<Live> liveRows() const;
    void dropOldest(int count);

    QPointer<HistoryReader> m_reader;
    EventQuery m_filter;
    quint64 m_generation = 0; // a reset makes every reply in flight stale

    // The log rows.
    qint64 m_logCount = 0;
    qint64 m_firstId = 0;
    qint64 m_lastId = 0;
    std::optional<QDateTime> m_keyTs;
    QList<Event> m_keyEvents;
    Pages m_pages;
    mutable QSet<qint64> m_wanted; // pages asked for by data() since the last fetch
    QSet<qint64> m_inFlight;
    qint64 m_lastWanted = 0;
    QTimer *m_fetchTimer = nullptr;
    bool m_counting = false;
    QString m_lastError;

    // The live rows after them, and every recent live event (the filter may change).
    std::deque<Live> m_live;
    std::deque<Live> m_recent;
    quint64 m_nextSeq = 1;
    int m_capacity = kDefaultCapacity;
    qint64 m_dropped = 0;
    bool m_dark = false;
};

} // namespace kw
