#pragma once

#include "event.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace kw {

struct EventQuery
{
    QString endpoint;               // empty: every endpoint
    QList<EventKind> kinds;         // empty: every kind
    std::optional<QDateTime> since; // inclusive
    std::optional<QDateTime> until; // exclusive
    int limit = -1;                 // < 0: no limit
    bool newestFirst = false;       // descending ts: with a limit, the newest events
};

struct EventLogOptions
{
    // 0: no limit. Reaching the limit fails append() like a full disk does,
    // so the log can never fill the disk it shares with the service it watches.
    qint64 maxSizeBytes = 0;
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
    // Retention: deletes events older than `before`; the number removed, -1 on error.
    qint64 removeBefore(const QDateTime &before, QString *error);

private:
    EventLog(QString path, QString connectionName);

    QString m_path;
    QString m_connectionName;
    QString m_lastAppendError; // logged once, not on every retry of the same failure
};

} // namespace kw
