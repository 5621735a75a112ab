#include "eventlog.h"

#include "eventloginsert.h"
#include "eventquerysql.h"

#include "resourcelimits.h"
#include "storelogging.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <atomic>

namespace kw {

using namespace Qt::StringLiterals;

namespace {

const QString kFileName = u"events.sqlite"_s;
// PRAGMA application_id marks the file as ours ("KPWE"), so `file` and we can
// tell a Keepwatch log from any other SQLite database.
constexpr qint64 kApplicationId = 0x4B505745;

// SQLite primary result codes (https://www.sqlite.org/rescode.html).
constexpr int kSqliteReadOnly = 8;
constexpr int kSqliteIoErr = 10;
constexpr int kSqliteFull = 13;
constexpr int kSqliteCantOpen = 14;
constexpr int kSqliteNotADb = 26;

int sqliteCode(const QSqlError &error)
{
    return detail::failureOf(error).code;
}

QString sqlText(const QSqlError &error)
{
    return detail::failureOf(error).text;
}

// SQLite reports a failed open() of its own files, EMFILE included, as SQLITE_CANTOPEN ("unable to open
// database file") without the errno, which reads like a permissions problem. Asking the kernel for one
// more descriptor tells the two apart.
bool cannotOpenFiles(int code)
{
    return (code == kSqliteCantOpen || code == kSqliteIoErr) && net::descriptorsExhausted();
}

QString outOfDescriptorsText()
{
    return u"this process is out of file descriptors ("_s +
           QString::fromStdString(net::describeDescriptorLimit(net::descriptorLimit())) +
           u"), not a permissions problem"_s;
}

QString descriptorFixText()
{
    return QString::fromStdString(net::descriptorLimitFix());
}

bool setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
    qCWarning(lcStore).noquote() << message;
    return false;
}

const QStringList kSchema{
    u"CREATE TABLE events ("
    "id INTEGER PRIMARY KEY,"
    "ts INTEGER NOT NULL," // ms since the epoch, UTC
    "endpoint TEXT NOT NULL,"
    "kind TEXT NOT NULL,"
    "state TEXT, cause TEXT, detail TEXT, rtt_ms REAL, source TEXT,"
    "data TEXT)"_s, // compact JSON object of the remaining fields
    u"CREATE INDEX events_endpoint_ts ON events (endpoint, ts)"_s,
    u"CREATE INDEX events_ts ON events (ts)"_s,
    u"PRAGMA application_id = "_s + QString::number(kApplicationId),
    u"PRAGMA user_version = "_s + QString::number(EventLog::kSchemaVersion),
};

} // namespace

EventLog::EventLog(QString path, QString connectionName, bool directInsert)
    : m_path(std::move(path)), m_connectionName(std::move(connectionName)), m_directInsert(directInsert)
{}

EventLog::~EventLog()
{
    m_inserter.reset(); // its statements go before the connection closes
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close(); // the last connection to close checkpoints the WAL into the database
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

QString EventLog::path() const
{
    return m_path;
}

std::unique_ptr<EventLog> EventLog::open(const QString &dataDir, QString *error,
                                         const EventLogOptions &options)
{
    const QString dirPath = QDir::toNativeSeparators(QDir(dataDir).absolutePath());
    if (!QDir().mkpath(dataDir)) {
        setError(error, dirPath +
                            u": cannot create the data directory; check the path and its permissions, "_s
                            u"or choose another data directory"_s);
        return nullptr;
    }
    const QFileInfo dirInfo(dataDir);
    if (!dirInfo.isDir() || !dirInfo.isWritable()) {
        setError(error, dirPath + u": the data directory is not writable by this user; fix its permissions "_s
                                  u"or choose another data directory"_s);
        return nullptr;
    }
    const QString path = QDir::toNativeSeparators(QDir(dataDir).absoluteFilePath(kFileName));
    const QFileInfo fileInfo(path);
    if (fileInfo.exists() && (!fileInfo.isFile() || !fileInfo.isWritable())) {
        setError(error,
                 path + u": the event log is not a writable file; fix its permissions or move it away"_s);
        return nullptr;
    }

    static std::atomic<int> serial{0};
    const QString connectionName = u"keepwatch.eventlog."_s + QString::number(++serial);
    std::unique_ptr<EventLog> log(new EventLog(path, connectionName, options.directInsert));

    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connectionName);
    if (!db.isValid()) {
        setError(error, u"the Qt SQLite driver (QSQLITE) is not available; install the Qt 6 SQLite plugin "_s
                        u"(Debian: libqt6sql6-sqlite)"_s);
        return nullptr;
    }
    db.setDatabaseName(path);
    // Another Keepwatch (e.g. `export` while the monitor runs) may hold the
    // write lock for a moment; wait for it instead of failing at once.
    db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
    if (!db.open()) {
        if (cannotOpenFiles(sqliteCode(db.lastError()))) {
            setError(error, path + u": cannot open the event log: "_s + outOfDescriptorsText() + u"; "_s +
                                descriptorFixText());
        } else {
            setError(error, path + u": cannot open the event log: "_s + sqlText(db.lastError()) +
                                u"; check the permissions of the file and its directory"_s);
        }
        return nullptr;
    }

    QSqlQuery q(db);
    const auto scalar = [&q](const QString &sql) -> std::optional<QVariant> {
        if (!q.exec(sql) || !q.next())
            return std::nullopt;
        return q.value(0);
    };

    // The first read is where SQLite looks at the file header.
    const std::optional<QVariant> applicationId = scalar(u"PRAGMA application_id"_s);
    if (!applicationId) {
        const QSqlError e = q.lastError();
        if (sqliteCode(e) == kSqliteNotADb) {
            setError(
                error,
                path + u" is not a Keepwatch event log: "_s + sqlText(e) +
                    u"; move it away (Keepwatch then starts a new log) or choose another data directory"_s);
        } else if (cannotOpenFiles(sqliteCode(e))) {
            setError(error, path + u": cannot read the event log: "_s + outOfDescriptorsText() + u"; "_s +
                                descriptorFixText());
        } else {
            setError(error, path + u": cannot read the event log: "_s + sqlText(e));
        }
        return nullptr;
    }
    const int userVersion = scalar(u"PRAGMA user_version"_s).value_or(QVariant(0)).toInt();
    const int tables = scalar(u"SELECT count(*) FROM sqlite_master"_s).value_or(QVariant(0)).toInt();

    if (tables == 0 && userVersion == 0 && applicationId->toLongLong() == 0) {
        // Before the first table, the only time SQLite allows it: deleted rows' pages can then be
        // handed back to the file system a few at a time (EventLog::releaseFreePages) instead of
        // by a VACUUM that rewrites the whole file. Logs created earlier reuse their free pages.
        if (!q.exec(u"PRAGMA auto_vacuum = INCREMENTAL"_s))
            qCWarning(lcStore).noquote()
                << path << "could not set incremental vacuum:" << sqlText(q.lastError());
        // WAL before the first table: readers (export) never block the writer,
        // and a killed process leaves every committed batch readable.
        if (!scalar(u"PRAGMA journal_mode = WAL"_s))
            qCWarning(lcStore).noquote() << path << "could not switch to WAL:" << sqlText(q.lastError());
        if (!db.transaction()) {
            setError(error, path + u": cannot create the event log: "_s + sqlText(db.lastError()));
            return nullptr;
        }
        for (const QString &statement : kSchema) {
            if (!q.exec(statement)) {
                const QString text = sqlText(q.lastError());
                db.rollback();
                setError(error, path + u": cannot create the event log: "_s + text);
                return nullptr;
            }
        }
        if (!db.commit()) {
            const QString text = sqlText(db.lastError());
            db.rollback();
            setError(error, path + u": cannot create the event log: "_s + text);
            return nullptr;
        }
        qCInfo(lcStore).noquote() << "created event log" << path;
    } else if (applicationId->toLongLong() != kApplicationId) {
        setError(error,
                 path + u" is not a Keepwatch event log: it is an SQLite database of another program; "_s
                        u"move it away (Keepwatch then starts a new log) or choose another data directory"_s);
        return nullptr;
    } else if (userVersion > kSchemaVersion) {
        setError(error, path + u": the event log was written by a newer Keepwatch (schema "_s +
                            QString::number(userVersion) + u", this version reads up to "_s +
                            QString::number(kSchemaVersion) +
                            u"); upgrade Keepwatch or choose another data directory"_s);
        return nullptr;
    } else if (userVersion < 1) {
        setError(error, path + u": the event log has no schema version; it was not written completely. "_s
                               u"Move it away (Keepwatch then starts a new log)"_s);
        return nullptr;
    }

    const std::optional<QVariant> mode = scalar(u"PRAGMA journal_mode = WAL"_s);
    if (!mode || mode->toString().compare(u"wal"_s, Qt::CaseInsensitive) != 0) {
        // Network file systems lack the shared memory WAL needs; the rollback
        // journal is slower but just as safe against a killed process.
        qCWarning(lcStore).noquote() << path << "is not in WAL mode (the file system may not support it);"
                                     << "using" << (mode ? mode->toString() : u"the default journal"_s);
    }
    // NORMAL in WAL mode: a killed process loses nothing committed; a power
    // cut may lose the last batches but never corrupts the file.
    q.exec(u"PRAGMA synchronous = NORMAL"_s);
    // Statement journals and sorts stay in memory instead of temporary files,
    // so that a write never needs a descriptor it does not already hold.
    q.exec(u"PRAGMA temp_store = MEMORY"_s);
    // The log view's filters by kind (RTT samples hidden) and by state count through this index
    // instead of every row: 23 ms instead of 310 ms at 1,000,000 events. Added at open, so logs
    // written before it get it too (about a second per million events, once); schema 1 either way.
    if (!q.exec(u"CREATE INDEX IF NOT EXISTS events_kind_ts ON events (kind, ts)"_s))
        qCWarning(lcStore).noquote() << path << "could not add the kind index:" << sqlText(q.lastError());
    // SQLite opens -wal and -shm lazily, at the first transaction after the
    // switch to WAL. In a new log that was the first append, after every
    // endpoint had taken its socket: with the descriptors used up, no batch
    // could be written (measured: 150 endpoints under a limit of 64, every
    // append failed until shutdown). A read now opens them while descriptors
    // are to be had; the connection keeps them open until it closes.
    if (!q.exec(u"SELECT count(*) FROM sqlite_master"_s) || !q.next()) {
        setError(error, path + u": cannot read the event log: "_s + sqlText(q.lastError()));
        return nullptr;
    }
    q.finish();
    if (options.maxSizeBytes > 0) {
        const qint64 pageSize = scalar(u"PRAGMA page_size"_s).value_or(QVariant(4096)).toLongLong();
        const qint64 pages = std::max<qint64>(1, options.maxSizeBytes / std::max<qint64>(pageSize, 512));
        q.exec(u"PRAGMA max_page_count = "_s + QString::number(pages));
    }
    return log;
}

bool EventLog::append(const QList<Event> &batch, QString *error)
{
    if (batch.isEmpty())
        return true;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const auto fail = [&](const detail::SqlFailure &e) {
        const int code = e.code;
        QString message;
        if (code == kSqliteFull) {
            message = m_path + u": the disk is full (or the event log reached its size limit); "_s +
                      QString::number(batch.size()) +
                      u" events are kept in memory until it can be written; free disk space"_s;
        } else if (cannotOpenFiles(code)) {
            // Without the count: the caller keeps the events and retries, and
            // the same words each time are logged once, not on every retry.
            message = m_path + u": cannot write the event log: "_s + outOfDescriptorsText() +
                      u"; the events are kept in memory and written once a descriptor is free; "_s +
                      descriptorFixText();
        } else if (code == kSqliteReadOnly || code == kSqliteCantOpen) {
            message = m_path + u": "_s + QString::number(batch.size()) + u" events not written: "_s + e.text +
                      u"; check the permissions of the file and its directory"_s;
        } else {
            message = m_path + u": "_s + QString::number(batch.size()) + u" events not written: "_s + e.text;
        }
        if (error)
            *error = message;
        if (message != m_lastAppendError)
            qCWarning(lcStore).noquote() << message;
        m_lastAppendError = message;
        return false;
    };

    if (!db.transaction())
        return fail(detail::failureOf(db.lastError()));
    if (!m_inserter)
        m_inserter = detail::EventInserter::create(db, m_directInsert);
    detail::SqlFailure failure;
    if (!m_inserter->insert(batch, &failure)) {
        db.rollback();
        return fail(failure);
    }
    if (!db.commit()) {
        const detail::SqlFailure e = detail::failureOf(db.lastError());
        db.rollback();
        return fail(e);
    }
    if (!m_lastAppendError.isEmpty()) {
        qCInfo(lcStore).noquote() << m_path << "written again after:" << m_lastAppendError;
        m_lastAppendError.clear();
    }
    return true;
}

bool EventLog::forEach(const EventQuery &query, const std::function<bool(const Event &)> &fn,
                       QString *error) const
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const detail::WhereClause where = detail::whereClause(query);
    QString sql = u"SELECT ts, endpoint, kind, state, cause, detail, rtt_ms, source, data FROM events"_s +
                  where.sql + (query.newestFirst ? u" ORDER BY ts DESC, id DESC"_s : u" ORDER BY ts, id"_s);
    if (query.limit >= 0 || query.offset > 0)
        sql += u" LIMIT "_s + QString::number(query.limit);
    if (query.offset > 0)
        sql += u" OFFSET "_s + QString::number(query.offset);

    QSqlQuery q(db);
    q.setForwardOnly(true); // rows are stepped through, never all held in memory
    if (!q.prepare(sql))
        return setError(error, m_path + u": cannot read the event log: "_s + sqlText(q.lastError()));
    for (qsizetype i = 0; i < where.values.size(); ++i)
        q.bindValue(int(i), where.values.at(i));
    if (!q.exec())
        return setError(error, m_path + u": cannot read the event log: "_s + sqlText(q.lastError()));

    // Names this version does not know come from a database written by a newer Keepwatch (or edited by
    // hand). A row of an unknown kind or state cannot be shown or counted, so it is skipped; an unknown
    // cause is kept as "network" with its name in the detail (Event::setCauseFromName). Each name is
    // warned about once per read, not once per row.
    QSet<QString> warned;
    const auto warnOnce = [this, &warned](const QString &field, const QString &name, const QString &outcome) {
        const QString message = m_path + u": "_s + field + u" \""_s + name +
                                u"\" is not known to this version of Keepwatch; "_s + outcome;
        if (!warned.contains(message)) {
            warned.insert(message);
            qCWarning(lcStore).noquote() << message;
        }
    };
    while (q.next()) {
        Event event;
        event.ts = QDateTime::fromMSecsSinceEpoch(q.value(0).toLongLong(), Qt::UTC);
        event.endpoint = q.value(1).toString();
        const QString kind = q.value(2).toString();
        event.kind = eventKindFromName(kind);
        if (!event.kind && !kind.isEmpty()) {
            warnOnce(u"event kind"_s, kind, u"those events are skipped"_s);
            continue;
        }
        const QString state = q.value(3).toString();
        event.state = endpointStateFromName(state.toStdString());
        if (!event.state && !state.isEmpty()) {
            warnOnce(u"state"_s, state, u"those events are skipped"_s);
            continue;
        }
        event.detail = q.value(5).toString();
        if (const QString cause = q.value(4).toString(); !cause.isEmpty() && !event.setCauseFromName(cause))
            warnOnce(u"cause"_s, cause, u"shown as network with the name in the detail"_s);
        if (!q.isNull(6))
            event.rttMs = q.value(6).toDouble();
        event.source = q.value(7).toString();
        if (!q.isNull(8))
            event.data = QJsonDocument::fromJson(q.value(8).toString().toUtf8()).object();
        event.adoptTcpInfoData();
        if (!fn(event))
            return true;
    }
    if (q.lastError().isValid())
        return setError(error, m_path + u": reading the event log stopped: "_s + sqlText(q.lastError()));
    return true;
}

QList<Event> EventLog::query(const EventQuery &query, QString *error) const
{
    QList<Event> events;
    forEach(
        query,
        [&events](const Event &event) {
            events << event;
            return true;
        },
        error);
    return events;
}

qint64 EventLog::count(const EventQuery &query, QString *error) const
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const detail::WhereClause where = detail::whereClause(query);
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.prepare(u"SELECT count(*) FROM events"_s + where.sql)) {
        setError(error, m_path + u": cannot read the event log: "_s + sqlText(q.lastError()));
        return -1;
    }
    for (qsizetype i = 0; i < where.values.size(); ++i)
        q.bindValue(int(i), where.values.at(i));
    if (!q.exec() || !q.next()) {
        setError(error, m_path + u": cannot read the event log: "_s + sqlText(q.lastError()));
        return -1;
    }
    const qint64 total = std::max<qint64>(0, q.value(0).toLongLong() - query.offset);
    return query.limit >= 0 ? std::min<qint64>(total, query.limit) : total;
}

std::optional<EventLogExtent> EventLog::extent(const EventQuery &query, QString *error) const
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    // One read transaction: in WAL mode both statements see the same snapshot, so the count is the
    // number of rows up to lastId even while the engine appends.
    if (!db.transaction()) {
        setError(error, m_path + u": cannot read the event log: "_s + sqlText(db.lastError()));
        return std::nullopt;
    }
    EventLogExtent extent;
    {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        // One aggregate per SELECT: SQLite answers a lone min() or max() from the index in a few
        // steps, but three in one statement scan the table (300 ms at 1,000,000 events).
        if (!q.exec(u"SELECT (SELECT min(id) FROM events), (SELECT max(id) FROM events), "
                    "(SELECT max(ts) FROM events)"_s) ||
            !q.next()) {
            const QString text = sqlText(q.lastError());
            q.finish();
            db.rollback();
            setError(error, m_path + u": cannot read the event log: "_s + text);
            return std::nullopt;
        }
        extent.firstId = q.value(0).toLongLong();
        extent.lastId = q.value(1).toLongLong();
        if (!q.isNull(2))
            extent.lastTs = QDateTime::fromMSecsSinceEpoch(q.value(2).toLongLong(), Qt::UTC);
    }
    EventQuery counted = query;
    counted.maxId.reset(); // the transaction bounds it, and the count stays on the covering indexes
    counted.offset = 0;
    counted.limit = -1;
    extent.count = count(counted, error);
    db.commit();
    if (extent.count < 0)
        return std::nullopt;
    return extent;
}

qint64 EventLog::removeBefore(const QDateTime &before, QString *error)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery q(db);
    if (!q.prepare(u"DELETE FROM events WHERE ts < ?"_s)) {
        setError(error, m_path + u": cannot prune the event log: "_s + sqlText(q.lastError()));
        return -1;
    }
    q.bindValue(0, before.toMSecsSinceEpoch());
    if (!q.exec()) {
        setError(error, m_path + u": cannot prune the event log: "_s + sqlText(q.lastError()));
        return -1;
    }
    return q.numRowsAffected();
}

} // namespace kw
