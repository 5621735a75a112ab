#include "eventlogretention.h"

#include "storelogging.h"

#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace kw {

using namespace Qt::StringLiterals;

namespace {

QString sqlText(const QSqlError &error)
{
    const QString text = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    return text.isEmpty() ? u"unknown SQLite error"_s : text;
}

bool setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
    qCWarning(lcStore).noquote() << message;
    return false;
}

const QList<EventKind> kSampleKinds{EventKind::Rtt, EventKind::TcpInfo};

} // namespace

qint64 EventLog::removeOldest(const EventPrune &prune, QString *error)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    // The inner SELECT walks one index from its oldest entry and stops at `limit`: the (kind, ts)
    // index for one kind, the ts index otherwise (INDEXED BY: with NOT IN the planner might sort).
    QString select = prune.kind ? u"SELECT id FROM events INDEXED BY events_kind_ts WHERE kind = ?"_s
                                : u"SELECT id FROM events INDEXED BY events_ts WHERE 1"_s;
    QVariantList values;
    if (prune.kind)
        values << eventKindName(*prune.kind);
    if (!prune.exceptKinds.isEmpty()) {
        QStringList marks;
        for (const EventKind kind : prune.exceptKinds) {
            marks << u"?"_s;
            values << eventKindName(kind);
        }
        select += u" AND kind NOT IN ("_s + marks.join(u',') + u')';
    }
    if (prune.before) {
        select += u" AND ts < ?"_s;
        values << prune.before->toMSecsSinceEpoch();
    }
    select += u" ORDER BY ts LIMIT ?"_s;
    values << std::max(0, prune.limit);

    const auto fail = [&](const QSqlError &e) {
        setError(error, m_path + u": cannot prune the event log: "_s + sqlText(e));
        return qint64(-1);
    };
    if (!db.transaction())
        return fail(db.lastError());
    QSqlQuery q(db);
    if (!q.prepare(u"DELETE FROM events WHERE id IN ("_s + select + u')')) {
        const QSqlError e = q.lastError();
        db.rollback();
        return fail(e);
    }
    for (qsizetype i = 0; i < values.size(); ++i)
        q.bindValue(int(i), values.at(i));
    if (!q.exec()) {
        const QSqlError e = q.lastError();
        q.finish();
        db.rollback();
        return fail(e);
    }
    const qint64 removed = q.numRowsAffected();
    q.finish();
    if (!db.commit()) {
        const QSqlError e = db.lastError();
        db.rollback();
        return fail(e);
    }
    return removed;
}

std::optional<EventLogSpace> EventLog::space(QString *error) const
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery q(db);
    const auto pragma = [&](const QString &name) -> std::optional<qint64> {
        if (!q.exec(u"PRAGMA "_s + name) || !q.next())
            return std::nullopt;
        const qint64 value = q.value(0).toLongLong();
        q.finish();
        return value;
    };
    const std::optional<qint64> pageSize = pragma(u"page_size"_s);
    const std::optional<qint64> pages = pragma(u"page_count"_s);
    const std::optional<qint64> freePages = pragma(u"freelist_count"_s);
    const std::optional<qint64> autoVacuum = pragma(u"auto_vacuum"_s);
    if (!pageSize || !pages || !freePages || !autoVacuum) {
        setError(error, m_path + u": cannot read the size of the event log: "_s + sqlText(q.lastError()));
        return std::nullopt;
    }
    return EventLogSpace{*pageSize, *pages, *freePages, *autoVacuum == 2};
}

bool EventLog::releaseFreePages(qint64 pages, QString *error)
{
    if (pages <= 0)
        return true;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const auto fail = [&](const QSqlError &e) {
        return setError(error, m_path + u": cannot shrink the event log: "_s + sqlText(e));
    };
    // SQLite frees one page per step of the pragma, and Qt steps a statement without result
    // columns once: one execution per page, all in one transaction (5 ms for 256 pages).
    // Without auto_vacuum = INCREMENTAL it does nothing; the pages stay for reuse.
    if (!db.transaction())
        return fail(db.lastError());
    QSqlQuery q(db);
    if (!q.prepare(u"PRAGMA incremental_vacuum(1)"_s)) {
        const QSqlError e = q.lastError();
        db.rollback();
        return fail(e);
    }
    for (qint64 i = 0; i < pages; ++i) {
        if (!q.exec()) {
            const QSqlError e = q.lastError();
            q.finish();
            db.rollback();
            return fail(e);
        }
        q.finish();
    }
    if (!db.commit()) {
        const QSqlError e = db.lastError();
        db.rollback();
        return fail(e);
    }
    return true;
}

EventLogPruner::EventLogPruner(EventLog &log, const LogRetention &retention)
    : m_log(log), m_retention(retention)
{}

void EventLogPruner::setRetention(const LogRetention &retention)
{
    m_retention = retention;
    m_shrinking = false;
}

qint64 EventLogPruner::remove(const EventPrune &prune, QString *error)
{
    EventPrune sized = prune;
    sized.limit = m_batchRows;
    QElapsedTimer timer;
    timer.start();
    const qint64 removed = m_log.removeOldest(sized, error);
    // Halve the batch when it took too long, grow it back when it was quick.
    const qint64 elapsed = timer.elapsed();
    if (removed > 0 && elapsed > kTargetStepMs)
        m_batchRows = std::max(kMinBatchRows, m_batchRows / 2);
    else if (removed == m_batchRows && elapsed < kTargetStepMs / 2)
        m_batchRows = std::min(kBatchRows, m_batchRows * 2);
    return removed;
}

qint64 EventLogPruner::removeSamples(const std::optional<QDateTime> &before, QString *error)
{
    // Both kinds, the one that went second last time first, so neither is used up alone.
    const EventKind first = m_rttFirst ? EventKind::Rtt : EventKind::TcpInfo;
    const EventKind second = m_rttFirst ? EventKind::TcpInfo : EventKind::Rtt;
    qint64 removed = remove({first, {}, before}, error);
    if (removed == 0)
        removed = remove({second, {}, before}, error);
    if (removed > 0)
        m_rttFirst = !m_rttFirst;
    return removed;
}

PruneStep EventLogPruner::step(const QDateTime &now)
{
    using std::chrono::milliseconds;
    PruneStep result;
    const auto failed = [&result](const QString &error) {
        result.failed = true;
        result.error = error;
        return result;
    };
    QString error;
    qint64 removed = 0;
    result.batchRows = m_batchRows;
    if (m_retention.keepSamples.count() > 0) {
        const QDateTime before =
            now.addMSecs(-std::chrono::duration_cast<milliseconds>(m_retention.keepSamples).count());
        removed = removeSamples(before, &error);
        if (removed < 0)
            return failed(error);
    }
    if (removed == 0 && m_retention.keep.count() > 0) {
        const QDateTime before =
            now.addMSecs(-std::chrono::duration_cast<milliseconds>(m_retention.keep).count());
        removed = remove({std::nullopt, kSampleKinds, before}, &error);
        if (removed < 0)
            return failed(error);
    }

    std::optional<EventLogSpace> space = m_log.space(&error);
    if (!space)
        return failed(error);
    if (m_retention.maxBytes > 0 && removed == 0) {
        const qint64 used = space->usedBytes();
        if (used > m_retention.maxBytes)
            m_shrinking = true;
        else if (used <= qint64(double(m_retention.maxBytes) * kShrinkTo))
            m_shrinking = false;
        if (m_shrinking) {
            removed = removeSamples(std::nullopt, &error);
            if (removed == 0)
                removed = remove({std::nullopt, {}, std::nullopt}, &error);
            if (removed < 0)
                return failed(error);
            if (removed == 0)
                m_shrinking = false; // the log is empty
            space = m_log.space(&error);
            if (!space)
                return failed(error);
        }
    }
    result.removed = removed;

    if (space->incrementalVacuum && space->freePages > kKeepFreePages) {
        const qint64 pages = std::min(kReleasePages, space->freePages - kKeepFreePages);
        if (!m_log.releaseFreePages(pages, &error))
            return failed(error);
        result.releasedPages = pages;
    }
    result.more = removed > 0 || m_shrinking ||
                  (space->incrementalVacuum && space->freePages - result.releasedPages > kKeepFreePages);
    return result;
}

} // namespace kw
