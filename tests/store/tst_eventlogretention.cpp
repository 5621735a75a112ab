// Event log retention on real SQLite files: removal by age and kind, the size cap, bounded
// batches, incremental vacuum in new logs and old logs without it; and the "log" workspace key.

#include "eventlogretention.h"
#include "logjson.h"
#include "workspace.h"

#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace kw;
using namespace Qt::StringLiterals;
using namespace std::chrono;

namespace {

// 2026-11-21T18:00:00.000Z
const QDateTime kNow = QDateTime::fromMSecsSinceEpoch(1795284000000, Qt::UTC);

Event eventOf(EventKind kind, const QDateTime &ts, int i)
{
    Event e;
    e.ts = ts;
    e.endpoint = u"endpoint-"_s + QString::number(i % 50);
    e.kind = kind;
    if (kind == EventKind::Rtt) {
        e.rttMs = 0.25 + i % 7;
        e.source = u"heartbeat"_s;
    } else if (kind == EventKind::TcpInfo) {
        e.rttMs = 0.3;
        e.data = QJsonObject{{u"rttvar_ms"_s, 0.1}, {u"retransmits"_s, 0}, {u"probes"_s, 0}};
    } else if (kind == EventKind::State) {
        e.state = EndpointState::Down;
        e.cause = Cause(CauseCode::Reset);
        e.detail = u"connection reset by peer"_s;
    } else {
        e.detail = u"note "_s + QString::number(i);
    }
    return e;
}

// `count` events of `kind`, `ageDays` old, one millisecond apart.
bool appendAged(EventLog &log, EventKind kind, int ageDays, int count)
{
    QList<Event> batch;
    for (int i = 0; i < count; ++i)
        batch << eventOf(kind, kNow.addDays(-ageDays).addMSecs(i), i);
    QString error;
    return log.append(batch, &error);
}

qint64 countOf(const EventLog &log, EventKind kind)
{
    EventQuery q;
    q.kinds = {kind};
    QString error;
    return log.count(q, &error);
}

// Runs SQL on the file through a separate connection, as another program would.
bool sideExec(const QString &path, const QStringList &statements)
{
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"tst_retention.side"_s);
        db.setDatabaseName(path);
        ok = db.open();
        QSqlQuery q(db);
        for (const QString &sql : statements)
            ok = ok && q.exec(sql);
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(u"tst_retention.side"_s);
    return ok;
}

LogRetention retention(int keepDays, int samplesDays, qint64 maxBytes)
{
    LogRetention r;
    r.keep = hours(24 * keepDays);
    r.keepSamples = hours(24 * samplesDays);
    r.maxBytes = maxBytes;
    return r;
}

// Steps until no work is left; the steps taken, -1 past `maxSteps` or on an error.
int runToIdle(EventLogPruner &pruner, int maxSteps, qint64 *largestBatch = nullptr)
{
    for (int steps = 1; steps <= maxSteps; ++steps) {
        const PruneStep step = pruner.step(kNow);
        if (step.failed) {
            qWarning() << step.error;
            return -1;
        }
        if (largestBatch)
            *largestBatch = std::max(*largestBatch, step.removed);
        if (qEnvironmentVariableIsSet("KW_DEBUG_PRUNE"))
            qDebug() << steps << step.removed << step.releasedPages << step.more;
        if (!step.more)
            return steps;
    }
    return -1;
}

} // namespace

class TestEventLogRetention : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void samplesGoBeforeFailures();
    void batchesAreBounded();
    void sizeCapHonoured();
    void newLogsShrinkInSteps();
    void oldLogWithoutIncrementalVacuum();
    void noLimitsRemoveNothing();
    void logKey_data();
    void logKey();
    void logKeyRoundTrip();
    void defaults();
};

void TestEventLogRetention::samplesGoBeforeFailures()
{
    QTemporaryDir dir;
    QString error;
    auto log = EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    // 20 days old: past keep_samples_days (14), within keep_days (90). 100 days old: past both.
    for (const EventKind kind : {EventKind::Rtt, EventKind::TcpInfo, EventKind::State, EventKind::Info,
                                 EventKind::Keepalive, EventKind::Device, EventKind::Alert}) {
        QVERIFY(appendAged(*log, kind, 100, 30));
        QVERIFY(appendAged(*log, kind, 20, 40));
        QVERIFY(appendAged(*log, kind, 1, 50));
    }
    EventLogPruner pruner(*log, retention(90, 14, 0));
    QVERIFY(runToIdle(pruner, 100) > 0);
    for (const EventKind kind : {EventKind::Rtt, EventKind::TcpInfo})
        QCOMPARE(countOf(*log, kind), 50); // only the day-old samples
    for (const EventKind kind :
         {EventKind::State, EventKind::Info, EventKind::Keepalive, EventKind::Device, EventKind::Alert})
        QCOMPARE(countOf(*log, kind), 90); // 20 days and 1 day old
    // Nothing past keep_days is left of any kind, nothing younger than keep_samples_days is gone.
    EventQuery old;
    old.until = kNow.addDays(-90);
    QCOMPARE(log->count(old, &error), 0);
    EventQuery young;
    young.since = kNow.addDays(-14);
    QCOMPARE(log->count(young, &error), 7 * 50);
}

void TestEventLogRetention::batchesAreBounded()
{
    QTemporaryDir dir;
    QString error;
    auto log = EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    QVERIFY(appendAged(*log, EventKind::Rtt, 30, 3500));
    QVERIFY(appendAged(*log, EventKind::State, 1, 10));
    EventLogPruner pruner(*log, retention(90, 14, 0));
    // One transaction of at most kBatchRows rows per step (fewer when a batch is slow), and `more`
    // until the backlog is gone.
    qint64 total = 0;
    int steps = 0;
    for (; steps < 200; ++steps) {
        const PruneStep step = pruner.step(kNow);
        QVERIFY2(!step.failed, qPrintable(step.error));
        QVERIFY(step.batchRows >= EventLogPruner::kMinBatchRows &&
                step.batchRows <= EventLogPruner::kBatchRows);
        QVERIFY(step.removed <= step.batchRows);
        total += step.removed;
        QCOMPARE(countOf(*log, EventKind::Rtt), 3500 - total);
        if (!step.more)
            break;
        QVERIFY(step.removed > 0);
    }
    QVERIFY(steps >= 3); // 3,500 rows never go in one step
    QCOMPARE(total, 3500);
    QCOMPARE(countOf(*log, EventKind::Rtt), 0);
    QCOMPARE(countOf(*log, EventKind::State), 10);
}

void TestEventLogRetention::sizeCapHonoured()
{
    QTemporaryDir dir;
    QString error;
    auto log = EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    // All of it young: only the cap removes anything. Failures are older than the samples, and
    // still the samples go first.
    QVERIFY(appendAged(*log, EventKind::State, 2, 2000));
    for (int i = 0; i < 8; ++i) {
        QVERIFY(appendAged(*log, EventKind::Rtt, 1, 5000));
        QVERIFY(appendAged(*log, EventKind::TcpInfo, 1, 5000));
    }
    const std::optional<EventLogSpace> before = log->space(&error);
    QVERIFY2(before, qPrintable(error));
    QVERIFY(before->incrementalVacuum);
    const qint64 cap = before->usedBytes() / 4;
    QVERIFY2(cap > 1024 * 1024, qPrintable(QString::number(before->usedBytes())));

    EventLogPruner pruner(*log, retention(90, 14, cap));
    qint64 largest = 0;
    QVERIFY(runToIdle(pruner, 500, &largest) > 0);
    QVERIFY(largest <= EventLogPruner::kBatchRows);
    const std::optional<EventLogSpace> after = log->space(&error);
    QVERIFY(after);
    QVERIFY2(after->usedBytes() <= cap, qPrintable(QString::number(after->usedBytes())));
    QVERIFY(after->usedBytes() >= cap / 2); // it stops near the cap, it does not empty the log
    QCOMPARE(countOf(*log, EventKind::State), 2000);
    QVERIFY(countOf(*log, EventKind::Rtt) > 0);
    QVERIFY(countOf(*log, EventKind::TcpInfo) > 0);
    // The file shrank too: incremental vacuum handed the free pages back.
    QVERIFY(after->pages < before->pages / 2);
    QVERIFY(after->freePages <= EventLogPruner::kKeepFreePages);

    // Only failures left over the cap: the oldest of them go next.
    EventLogPruner tight(*log, retention(90, 14, 256 * 1024));
    QVERIFY(runToIdle(tight, 500) > 0);
    QCOMPARE(countOf(*log, EventKind::Rtt), 0);
    QCOMPARE(countOf(*log, EventKind::TcpInfo), 0);
    const qint64 states = countOf(*log, EventKind::State);
    QVERIFY(states > 0 && states < 2000);
    EventQuery newest;
    newest.newestFirst = true;
    newest.limit = 1;
    QCOMPARE(log->query(newest, &error).first().ts, kNow.addDays(-2).addMSecs(1999));
    // The file on disk follows once the WAL is checkpointed (at the latest when the log closes).
    const QString path = log->path();
    const qint64 finalBytes = log->space(&error)->pages * after->pageSize;
    log.reset();
    QCOMPARE(QFileInfo(path).size(), finalBytes);
    QVERIFY(finalBytes < before->pages * before->pageSize / 4);
}

void TestEventLogRetention::newLogsShrinkInSteps()
{
    QTemporaryDir dir;
    QString error;
    auto log = EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    for (int i = 0; i < 4; ++i)
        QVERIFY(appendAged(*log, EventKind::Rtt, 30, 5000));
    const qint64 pagesBefore = log->space(&error)->pages;
    EventLogPruner pruner(*log, retention(90, 14, 0));
    qint64 largestRelease = 0;
    for (int i = 0; i < 200; ++i) {
        const PruneStep step = pruner.step(kNow);
        QVERIFY2(!step.failed, qPrintable(step.error));
        largestRelease = std::max(largestRelease, step.releasedPages);
        if (!step.more)
            break;
    }
    QCOMPARE(countOf(*log, EventKind::Rtt), 0);
    QVERIFY(largestRelease > 0 && largestRelease <= EventLogPruner::kReleasePages);
    const EventLogSpace after = *log->space(&error);
    QVERIFY2(after.pages < pagesBefore / 2, qPrintable(QString::number(after.pages)));
    QVERIFY(after.freePages <= EventLogPruner::kKeepFreePages);
}

void TestEventLogRetention::oldLogWithoutIncrementalVacuum()
{
    QTemporaryDir dir;
    QString error;
    const QString path = dir.filePath(u"events.sqlite"_s);
    {
        auto log = EventLog::open(dir.path(), &error);
        QVERIFY2(log, qPrintable(error));
        for (int i = 0; i < 4; ++i)
            QVERIFY(appendAged(*log, EventKind::Rtt, 30, 5000));
        QVERIFY(appendAged(*log, EventKind::State, 1, 100));
    }
    // What a log created before incremental vacuum looks like.
    QVERIFY(sideExec(path, {u"PRAGMA auto_vacuum = NONE"_s, u"VACUUM"_s}));

    auto log = EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    const EventLogSpace before = *log->space(&error);
    QVERIFY(!before.incrementalVacuum);
    EventLogPruner pruner(*log, retention(90, 14, 0));
    QVERIFY(runToIdle(pruner, 100) > 0);
    QCOMPARE(countOf(*log, EventKind::Rtt), 0);
    QCOMPARE(countOf(*log, EventKind::State), 100);
    // The file keeps its size, the pages are free and the next appends reuse them.
    const EventLogSpace after = *log->space(&error);
    QCOMPARE(after.pages, before.pages);
    QVERIFY(after.freePages > before.pages / 2);
    QVERIFY(after.usedBytes() < before.usedBytes() / 2);
    QVERIFY(appendAged(*log, EventKind::Rtt, 0, 5000));
    const EventLogSpace reused = *log->space(&error);
    QCOMPARE(reused.pages, before.pages);
    QVERIFY(reused.freePages < after.freePages);
    QVERIFY(log->releaseFreePages(100, &error)); // harmless without incremental vacuum
    QCOMPARE(log->space(&error)->pages, before.pages);
}

void TestEventLogRetention::noLimitsRemoveNothing()
{
    QTemporaryDir dir;
    QString error;
    auto log = EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    QVERIFY(appendAged(*log, EventKind::Rtt, 3000, 100));
    QVERIFY(appendAged(*log, EventKind::State, 3000, 100));
    EventLogPruner pruner(*log, retention(0, 0, 0));
    const PruneStep step = pruner.step(kNow);
    QVERIFY(!step.failed);
    QCOMPARE(step.removed, 0);
    QVERIFY(!step.more);
    EventQuery all;
    QCOMPARE(log->count(all, &error), 200);
}

void TestEventLogRetention::logKey_data()
{
    QTest::addColumn<QByteArray>("log");
    QTest::addColumn<QString>("message"); // empty: valid
    QTest::newRow("all three") << QByteArray(R"({"keep_days": 30, "keep_samples_days": 7, "max_mb": 512})")
                               << QString();
    QTest::newRow("no limits") << QByteArray(R"({"keep_days": 0, "keep_samples_days": 0, "max_mb": 0})")
                               << QString();
    QTest::newRow("negative days") << QByteArray(R"({"keep_days": -1})")
                                   << u"log.keep_days: expected an integer 0–36500 days"_s;
    QTest::newRow("fractional") << QByteArray(R"({"keep_samples_days": 1.5})")
                                << u"log.keep_samples_days: expected an integer 0–36500"_s;
    QTest::newRow("text size")
        << QByteArray(R"({"max_mb": "2G"})")
        << u"log.max_mb: expected an integer 0–16777216 MB (0: no size limit), got \"2G\""_s;
    QTest::newRow("tiny size")
        << QByteArray(R"({"max_mb": 3})")
        << u"log.max_mb: 3 MB holds a few minutes of a large workspace; give at least 16"_s;
    QTest::newRow("samples longer")
        << QByteArray(R"({"keep_days": 7, "keep_samples_days": 30})")
        << u"log.keep_samples_days: 30 keeps rtt and tcpinfo samples longer than keep_days (7)"_s;
    QTest::newRow("not an object") << QByteArray(R"(90)") << u"log: expected an object"_s;
}

void TestEventLogRetention::logKey()
{
    QFETCH(QByteArray, log);
    QFETCH(QString, message);
    const QByteArray json = R"({"version": 1, "endpoints": [], "log": )" + log + "}";
    const WorkspaceResult result = parseWorkspace(json, u"ws.json"_s);
    if (message.isEmpty()) {
        QVERIFY2(result.ok(), qPrintable(result.errors.join(u"\n"_s)));
        QVERIFY(result.warnings.isEmpty());
        return;
    }
    QVERIFY(!result.ok());
    QVERIFY2(result.errors.join(u"\n"_s).contains(u"ws.json: "_s + message),
             qPrintable(result.errors.join(u"\n"_s)));
}

void TestEventLogRetention::logKeyRoundTrip()
{
    const QByteArray json =
        R"({"version": 1, "endpoints": [], "log": {"keep_days": 30, "max_mb": 512, "note": "kept"}})";
    const WorkspaceResult first = parseWorkspace(json, u"ws.json"_s);
    QVERIFY2(first.ok(), qPrintable(first.errors.join(u"\n"_s)));
    QCOMPARE(first.warnings.size(), 1); // the unknown key, kept
    QCOMPARE(first.workspace->log.keepDays, 30);
    QVERIFY(!first.workspace->log.keepSamplesDays);
    QCOMPARE(first.workspace->log.maxMb, 512);
    const QByteArray saved = workspaceToJson(*first.workspace);
    const WorkspaceResult second = parseWorkspace(saved, u"saved.json"_s);
    QVERIFY(second.ok());
    QVERIFY(second.workspace->log == first.workspace->log);
    QCOMPARE(second.workspace->log.raw, first.workspace->log.raw);
    QCOMPARE(workspaceToJson(*second.workspace), saved);
    // Not written when not set.
    Workspace plain;
    QVERIFY(!workspaceToJson(plain).contains("\"log\""));
    // keep_days shorter than the samples' default: samples follow it down.
    const LogRetention resolved = resolveLogRetention(first.workspace->log);
    QCOMPARE(resolved.keep, hours(24 * 30));
    QCOMPARE(resolved.keepSamples, hours(24 * 14));
    LogConfig week;
    week.keepDays = 7;
    QCOMPARE(resolveLogRetention(week).keepSamples, hours(24 * 7));
    QCOMPARE(resolveLogRetention(first.workspace->log).maxBytes, qint64(512) * 1024 * 1024);
}

void TestEventLogRetention::defaults()
{
    const LogRetention r = resolveLogRetention({});
    QCOMPARE(r.keep, hours(24 * 90));
    QCOMPARE(r.keepSamples, hours(24 * 14));
    QCOMPARE(r.maxBytes, qint64(1536) * 1024 * 1024);
    QVERIFY(r == LogRetention{});
}

QTEST_GUILESS_MAIN(TestEventLogRetention)
#include "tst_eventlogretention.moc"
