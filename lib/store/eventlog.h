#pragma once

#include "event.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace kw {

namespace detail {
class EventInserter;
}

struct EventQuery
{
    QString endpoint;               // empty: every endpoint
    QStringList endpoints;          // any of these; empty: every endpoint (with `endpoint`, both apply)
    QList<EventKind> kinds;         // empty: every kind
    QList<EndpointState> states;    // empty: any; else only events in one of these states
    QList<CauseCode> causes;        // empty: any; a cause with a reason ("ws-close:1001") matches its code
    std::optional<QDateTime> since; // inclusive
    std::optional<QDateTime> until; // exclusive
    // Only rows stored up to this id: pages of a log that grows while it is read stay where they were
    // (EventLog::extent() gives the id to pass).
    std::optional<qint64> maxId;
    qint64 offset = 0;        // events skipped, in the order asked for, before the first one returned
    int limit = -1;           // < 0: no limit
    bool newestFirst = false; // descending ts: with a limit, the newest events

    // The same terms (all but maxId, offset and limit) for an event that did not come from the log,
    // e.g. a live one the engine just published.
    bool matches(const Event &event) const;
};

// What a query selects, and where the log ended, read in one transaction so that they agree.
struct EventLogExtent
{
    qint64 count = 0;   // events the query selects (its limit and offset ignored)
    qint64 firstId = 0; // the lowest and highest row ids in the whole log; 0 when it is empty
    qint64 lastId = 0;
    std::optional<QDateTime> lastTs; // the newest timestamp in the whole log
};

// The database's size, from its page counts (eventlogretention.cpp).
struct EventLogSpace
{
    qint64 pageSize = 0;
    qint64 pages = 0;     // PRAGMA page_count: the file's size in pages
    qint64 freePages = 0; // PRAGMA freelist_count: pages no row uses, reused before the file grows
    // PRAGMA auto_vacuum = INCREMENTAL, set when the log was created: free pages can be handed back
    // to the file system in small steps (releaseFreePages). Logs created before it reuse them only.
    bool incrementalVacuum = false;

    qint64 usedBytes() const { return (pages - freePages) * pageSize; }
};

// What one removeOldest() call removes: the oldest events of one kind (through the (kind, ts)
// index), or of every kind but `exceptKinds` (through the ts index), older than `before` if given.
struct EventPrune
{
    std::optional<EventKind> kind;
    QList<EventKind> exceptKinds;
    std::optional<QDateTime> before; // exclusive
    int limit = 1000;                // rows, in one transaction
};

struct EventLogOptions
{
    // 0: no limit. Reaching the limit fails append() like a full disk does,
    // so the log can never fill the disk it shares with the service it watches.
    qint64 maxSizeBytes = 0;
    // false: rows are written through QSqlQuery even where the SQLite C API could write them (as it
    // does where the Qt driver uses another SQLite library); for tests of that path.
    bool directInsert = true;
};

// The SQLite event log (dataDir/events.sqlite): WAL journal, one transaction
// per batch, so a killed process leaves a readable database that misses at
// most the batch in flight.
//
// Not a QObject. QSqlDatabase connections belong to the thread that opened
// them: use one instance per thread (each has its own connection name).
class EventLog
{
public:
    static constexpr int kSchemaVersion = 1;

    // Creates dataDir if needed. nullptr with a message naming the file and
    // the fix when the directory is unwritable, the file is not a Keepwatch
    // event log, or it was written by a newer schema.
    static std::unique_ptr<EventLog> open(const QString &dataDir, QString *error,
                                          const EventLogOptions &options = {});

    ~EventLog();
    EventLog(const EventLog &) = delete;
    EventLog &operator=(const EventLog &) = delete;

    QString path() const;

    // One transaction. On false nothing of the batch is stored and the caller
    // still owns it (e.g. keeps it in memory when the disk is full).
    bool append(const QList<Event> &batch, QString *error);

    // Streams matching events in timestamp order (ties in insertion order);
    // `fn` returns false to stop early.
    bool forEach(const EventQuery &query, const std::function<bool(const Event &)> &fn, QString *error) const;
    QList<Event> query(const EventQuery &query, QString *error) const;
    // -1 on error.
    qint64 count(const EventQuery &query, QString *error) const;
    // nullopt on error.
    std::optional<EventLogExtent> extent(const EventQuery &query, QString *error) const;
    // Retention: deletes events older than `before`; the number removed, -1 on error.
    qint64 removeBefore(const QDateTime &before, QString *error);
    // Retention in small steps (eventlogretention.cpp, EventLogPruner). One transaction of at most
    // `prune.limit` rows; the number removed, -1 on error.
    qint64 removeOldest(const EventPrune &prune, QString *error);
    std::optional<EventLogSpace> space(QString *error) const;
    // PRAGMA incremental_vacuum: gives at most `pages` free pages back to the file system; nothing
    // (and true) for a log without incremental vacuum.
    bool releaseFreePages(qint64 pages, QString *error);

private:
    EventLog(QString path, QString connectionName, bool directInsert);

    QString m_path;
    QString m_connectionName;
    QString m_lastAppendError; // logged once, not on every retry of the same failure
    bool m_directInsert = true;
    // The INSERTs of append(), prepared once and kept while they work: every flush of the engine
    // (four a second) would prepare them again.
    std::unique_ptr<detail::EventInserter> m_inserter;
};

} // namespace kw
