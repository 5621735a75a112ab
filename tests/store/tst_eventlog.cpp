#include "eventlog.h"

#include "eventtostring.h"
#include "unprivileged.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace {

// 2026-11-21T18:00:00.000Z
const qint64 kT0 = 1795284000000;

QDateTime at(qint64 offsetMs)
{
    return QDateTime::fromMSecsSinceEpoch(kT0 + offsetMs, Qt::UTC);
}

kw::Event makeEvent(const QString &endpoint, qint64 offsetMs, const QString &detail = {})
{
    kw::Event event;
    event.ts = at(offsetMs);
    event.endpoint = endpoint;
    event.kind = kw::EventKind::Info;
    event.detail = detail;
    return event;
}

// Runs SQL on the log file through a separate connection, as another program would.
QVariant sqlScalar(const QString &path, const QString &sql)
{
    QVariant result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"tst_eventlog.side"_s);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(sql) && q.next())
                result = q.value(0);
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(u"tst_eventlog.side"_s);
    return result;
}

QList<kw::Event> sample()
{
    kw::Event full;
    full.ts = at(5);
    full.endpoint = u"broker"_s;
    full.kind = kw::EventKind::State;
    full.state = kw::EndpointState::Down;
    full.cause = kw::Cause(kw::CauseCode::MqttRefused, "not-authorized");
    full.detail = u"CONNACK reason 0x87, \"quoted\", ünïcode ✓\nsecond line"_s;
    full.rttMs = 12.5;
    full.source = u"mqtt-ping"_s;
    full.data = QJsonObject{{u"bound_ms"_s, 45000}, {u"probes"_s, QJsonArray{1, 2}}, {u"ok"_s, false}};

    kw::Event rtt;
    rtt.ts = at(1);
    rtt.endpoint = u"db"_s;
    rtt.kind = kw::EventKind::Rtt;
    rtt.rttMs = 0.0;
    rtt.source = u"connect"_s;

    return {full,
            rtt,
            makeEvent(u"db"_s, 10, u"a"_s),
            makeEvent(u"db"_s, 10, u"b"_s),
            makeEvent(u"cache"_s, 20),
            makeEvent(u"db"_s, 30)};
}

} // namespace

class TestEventLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip();
    void engineWideEventIsStored();
    void deviceEventRoundTrips();
    void tcpInfoRoundTrips();
    void namesFromANewerVersion();
    void queryFilters_data();
    void queryFilters();
    void newestFirstKeepsTheNewest();
    void queryByKind();
    void walAndSchema();
    void notADatabase();
    void otherSqliteDatabase();
    void newerSchema();
    void dataDirIsAFile();
    void unwritableDataDir();
    void diskFullKeepsBatchWhole();
    void reopenAfterManyBatches();
    void killedWriterLeavesReadableLog();
    void secondReaderSeesCommittedBatches();
    void removeBefore();
    void stopEarly();
    void filterByStateCauseAndEndpoints_data();
    void filterByStateCauseAndEndpoints();
    void pagesByOffset();
    void maxIdHoldsPagesStill();
    void extentAgreesWithTheLog();
    void kindIndexAddedToOldLogs();
};

void TestEventLog::roundTrip()
{
    QTemporaryDir dir;
    QString error;
    const QString dataDir = dir.filePath(u"nested/data"_s);
    auto log = kw::EventLog::open(dataDir, &error);
    QVERIFY2(log, qPrintable(error));
    QCOMPARE(log->path(), QDir::toNativeSeparators(QDir(dataDir).absoluteFilePath(u"events.sqlite"_s)));
    QVERIFY(QFile::exists(log->path()));

    const QList<kw::Event> events = sample();
    QVERIFY2(log->append(events, &error), qPrintable(error));
    const QList<kw::Event> back = log->query({}, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // Timestamp order; equal timestamps keep the order they were appended in.
    const QList<kw::Event> expected{events[1], events[0], events[2], events[3], events[4], events[5]};
    QCOMPARE(back, expected);
    QCOMPARE(back[1].ts.timeSpec(), Qt::UTC);
    QCOMPARE(log->count({}, &error), 6);
}

void TestEventLog::engineWideEventIsStored()
{
    // Events about the whole process (the open-file limit warning, events dropped at the memory bound)
    // carry no endpoint; they must not fail the batch they are in.
    QTemporaryDir dir;
    QString error;
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    const kw::Event engineWide =
        kw::Event::info(QString(), u"this workspace needs about 214 file descriptors"_s);
    QVERIFY2(log->append({makeEvent(u"db"_s, 1), engineWide}, &error), qPrintable(error));
    const QList<kw::Event> back = log->query({}, &error);
    QCOMPARE(back.size(), 2);
    QCOMPARE(back.last().endpoint, QString());
    QCOMPARE(back.last().detail, engineWide.detail);
}

void TestEventLog::tcpInfoRoundTrips()
{
    // A tcpinfo event's fields are stored in the data column as JSON, as before they were a struct,
    // and come back as the struct; one with keys this version does not write comes back as data.
    QTemporaryDir dir;
    QString error;
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    kw::Event e = makeEvent(u"db"_s, 1);
    e.kind = kw::EventKind::TcpInfo;
    e.state.reset();
    e.cause = {};
    e.detail.clear();
    e.rttMs = 0.5;
    e.source = u"tcpinfo"_s;
    kw::TcpInfoSample &s = e.tcpInfo.emplace();
    s.set(kw::TcpInfoSample::Probes, 3u);
    s.set(kw::TcpInfoSample::LastDataRecvMs, 12u);
    s.tcpState = u"ESTABLISHED"_s;
    kw::Event other = e;
    other.ts = other.ts.addMSecs(1);
    other.tcpInfo.reset();
    other.data = QJsonObject{{u"probes"_s, 3.0}, {u"rttvar_ms"_s, 0.1}};
    QVERIFY2(log->append({e, other}, &error), qPrintable(error));
    const QList<kw::Event> back = log->query({}, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(back.size(), 2);
    QVERIFY(back[0].tcpInfo);
    QVERIFY(back[0] == e);
    QCOMPARE(back[0].toJsonLine(), e.toJsonLine());
    QVERIFY(!back[1].tcpInfo);
    QVERIFY(back[1] == other);
}

void TestEventLog::deviceEventRoundTrips()
{
    // A watched device's state and cause are stored in the state and cause columns, as an endpoint's are.
    QTemporaryDir dir;
    QString error;
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    kw::Event silent;
    silent.ts = at(7);
    silent.endpoint = u"plant-broker"_s;
    silent.kind = kw::EventKind::Device;
    silent.state = kw::EndpointState::Down;
    silent.cause = kw::Cause(kw::CauseCode::DeviceSilent);
    silent.detail = u"no heartbeat for 30 s"_s;
    silent.data = QJsonObject{{u"device"_s, u"devices/a17/heartbeat"_s},
                              {u"id"_s, u"a17"_s},
                              {u"watch"_s, u"devices/+/heartbeat"_s}};
    kw::Event will = silent;
    will.ts = at(8);
    will.cause = kw::Cause(kw::CauseCode::DeviceWill);
    will.detail = u"Will: offline"_s;
    kw::Event back = silent;
    back.ts = at(9);
    back.state = kw::EndpointState::Up;
    back.cause = {};
    back.detail.clear();
    QVERIFY2(log->append({silent, will, back}, &error), qPrintable(error));
    QCOMPARE(log->query({}, &error), (QList<kw::Event>{silent, will, back}));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QString path = log->path();
    QCOMPARE(sqlScalar(path, u"SELECT kind || ' ' || state || ' ' || cause FROM events ORDER BY ts LIMIT 1"_s)
                 .toString(),
             u"device down device-silent"_s);
}

void TestEventLog::namesFromANewerVersion()
{
    // A database written by a newer Keepwatch (or edited by hand) reads back without a crash: rows of a
    // kind or state this version does not know are skipped with a warning, a cause it does not know is
    // kept as "network" with its name in front of the detail.
    QTemporaryDir dir;
    QString error;
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    QVERIFY2(log->append({makeEvent(u"db"_s, 1)}, &error), qPrintable(error));
    const QString insert = u"INSERT INTO events (ts, endpoint, kind, state, cause, detail) VALUES ("_s;
    sqlScalar(log->path(), insert + QString::number(kT0 + 2) + u", 'db', 'latency', NULL, NULL, 'x')"_s);
    sqlScalar(log->path(), insert + QString::number(kT0 + 3) + u", 'db', 'state', 'asleep', NULL, NULL)"_s);
    sqlScalar(log->path(),
              insert + QString::number(kT0 + 4) + u", 'db', 'state', 'down', 'quic-idle', 'no packets')"_s);
    QCOMPARE(log->count({}, &error), 4);

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"event kind \"latency\" is not known.*skipped"_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"state \"asleep\" is not known.*skipped"_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"cause \"quic-idle\" is not known.*network"_s));
    const QList<kw::Event> back = log->query({}, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(back.size(), 2);
    QCOMPARE(back[0], makeEvent(u"db"_s, 1));
    QCOMPARE(back[1].kind, kw::EventKind::State);
    QCOMPARE(back[1].state, kw::EndpointState::Down);
    QCOMPARE(back[1].cause, kw::Cause(kw::CauseCode::Network));
    QCOMPARE(back[1].detail, u"quic-idle: no packets"_s);
}

void TestEventLog::queryFilters_data()
{
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<qint64>("since"); // -1: unset
    QTest::addColumn<qint64>("until"); // -1: unset
    QTest::addColumn<int>("limit");
    QTest::addColumn<QStringList>("expected"); // endpoint@offset

    QTest::newRow("all") << QString() << qint64(-1) << qint64(-1) << -1
                         << QStringList{u"db@1"_s,  u"broker@5"_s, u"db@10"_s,
                                        u"db@10"_s, u"cache@20"_s, u"db@30"_s};
    QTest::newRow("endpoint") << u"db"_s << qint64(-1) << qint64(-1) << -1
                              << QStringList{u"db@1"_s, u"db@10"_s, u"db@10"_s, u"db@30"_s};
    QTest::newRow("unknown endpoint") << u"nope"_s << qint64(-1) << qint64(-1) << -1 << QStringList{};
    QTest::newRow("since inclusive") << QString() << qint64(10) << qint64(-1) << -1
                                     << QStringList{u"db@10"_s, u"db@10"_s, u"cache@20"_s, u"db@30"_s};
    QTest::newRow("until exclusive") << QString() << qint64(-1) << qint64(10) << -1
                                     << QStringList{u"db@1"_s, u"broker@5"_s};
    QTest::newRow("window") << QString() << qint64(5) << qint64(21) << -1
                            << QStringList{u"broker@5"_s, u"db@10"_s, u"db@10"_s, u"cache@20"_s};
    QTest::newRow("endpoint and window")
        << u"db"_s << qint64(2) << qint64(30) << -1 << QStringList{u"db@10"_s, u"db@10"_s};
    QTest::newRow("limit") << QString() << qint64(-1) << qint64(-1) << 2
                           << QStringList{u"db@1"_s, u"broker@5"_s};
    QTest::newRow("limit zero") << QString() << qint64(-1) << qint64(-1) << 0 << QStringList{};
    QTest::newRow("empty window") << QString() << qint64(30) << qint64(30) << -1 << QStringList{};
}

void TestEventLog::queryFilters()
{
    QFETCH(QString, endpoint);
    QFETCH(qint64, since);
    QFETCH(qint64, until);
    QFETCH(int, limit);
    QFETCH(QStringList, expected);

    QTemporaryDir dir;
    QString error;
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    QVERIFY2(log->append(sample(), &error), qPrintable(error));

    kw::EventQuery query;
    query.endpoint = endpoint;
    if (since >= 0)
        query.since = at(since);
    if (until >= 0)
        query.until = at(until);
    query.limit = limit;
    QStringList got;
    for (const kw::Event &event : log->query(query, &error))
        got << event.endpoint + u'@' + QString::number(event.ts.toMSecsSinceEpoch() - kT0);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(got, expected);
    QCOMPARE(log->count(query, &error), expected.size());
}

// The charts read state changes and RTT samples without streaming every other kind.
void TestEventLog::queryByKind()
{
    QTemporaryDir dir;
    QString error;
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    QVERIFY2(log->append(sample(), &error), qPrintable(error));

    kw::EventQuery query;
    query.kinds = {kw::EventKind::State};
    QCOMPARE(log->count(query, &error), 1);
    query.kinds = {kw::EventKind::State, kw::EventKind::Rtt};
    QStringList got;
    for (const kw::Event &event : log->query(query, &error))
        got << event.endpoint;
    QCOMPARE(got, (QStringList{u"db"_s, u"broker"_s}));
    query.endpoint = u"db"_s;
    QCOMPARE(log->count(query, &error), 1);
    query.kinds = {kw::EventKind::Device};
    QCOMPARE(log->count(query, &error), 0);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

// A window reopened after a restart shows the newest events, not the oldest of a busy log.
void TestEventLog::newestFirstKeepsTheNewest()
{
    QTemporaryDir dir;
    QString error;
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    QVERIFY2(log->append(sample(), &error), qPrintable(error));

    kw::EventQuery query;
    query.since = at(2);
    query.limit = 3;
    query.newestFirst = true;
    QStringList got;
    for (const kw::Event &event : log->query(query, &error))
        got << event.endpoint + u'@' + QString::number(event.ts.toMSecsSinceEpoch() - kT0);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(got, (QStringList{u"db@30"_s, u"cache@20"_s, u"db@10"_s}));
}

void TestEventLog::walAndSchema()
{
    QTemporaryDir dir;
    QString error;
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    QVERIFY(log->append(sample(), &error));
    QVERIFY(QFile::exists(log->path() + u"-wal"_s));
    QCOMPARE(sqlScalar(log->path(), u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
    QCOMPARE(sqlScalar(log->path(), u"PRAGMA user_version"_s).toInt(), kw::EventLog::kSchemaVersion);
    QCOMPARE(sqlScalar(log->path(), u"SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                                    "name IN ('events_endpoint_ts', 'events_ts')"_s)
                 .toInt(),
             2);
    // Timestamps are integer milliseconds, data is compact JSON text.
    QCOMPARE(sqlScalar(log->path(), u"SELECT typeof(ts) || ' ' || ts FROM events WHERE endpoint = 'broker'"_s)
                 .toString(),
             u"integer "_s + QString::number(kT0 + 5));
    QCOMPARE(sqlScalar(log->path(), u"SELECT data FROM events WHERE endpoint = 'broker'"_s).toString(),
             u"{\"bound_ms\":45000,\"ok\":false,\"probes\":[1,2]}"_s);
}

void TestEventLog::notADatabase()
{
    QTemporaryDir dir;
    const QString path = QDir::toNativeSeparators(dir.filePath(u"events.sqlite"_s));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(4096, 'x'));
    file.close();

    QString error;
    QVERIFY(!kw::EventLog::open(dir.path(), &error));
    QCOMPARE(error,
             path + u" is not a Keepwatch event log: file is not a database; move it away (Keepwatch then "
                    "starts a new log) or choose another data directory"_s);
    QCOMPARE(file.size(), 4096);
}

void TestEventLog::otherSqliteDatabase()
{
    QTemporaryDir dir;
    const QString path = QDir::toNativeSeparators(dir.filePath(u"events.sqlite"_s));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"other"_s);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(u"CREATE TABLE photos (id INTEGER)"_s));
        db.close();
    }
    QSqlDatabase::removeDatabase(u"other"_s);

    QString error;
    QVERIFY(!kw::EventLog::open(dir.path(), &error));
    QCOMPARE(error,
             path + u" is not a Keepwatch event log: it is an SQLite database of another program; move it "
                    "away (Keepwatch then starts a new log) or choose another data directory"_s);
}

void TestEventLog::newerSchema()
{
    QTemporaryDir dir;
    QString error;
    QString path;
    {
        auto log = kw::EventLog::open(dir.path(), &error);
        QVERIFY(log);
        path = log->path();
    }
    sqlScalar(path, u"PRAGMA user_version = 2"_s);
    QCOMPARE(sqlScalar(path, u"PRAGMA user_version"_s).toInt(), 2);

    QVERIFY(!kw::EventLog::open(dir.path(), &error));
    QCOMPARE(error,
             path + u": the event log was written by a newer Keepwatch (schema 2, this version reads up to "
                    "1); upgrade Keepwatch or choose another data directory"_s);
}

void TestEventLog::dataDirIsAFile()
{
    QTemporaryDir dir;
    const QString notADir = dir.filePath(u"data"_s);
    QFile file(notADir);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();

    QString error;
    QVERIFY(!kw::EventLog::open(notADir, &error));
    QCOMPARE(error, QDir::toNativeSeparators(notADir) +
                        u": cannot create the data directory; check the path and its permissions, or choose "
                        "another data directory"_s);
}

void TestEventLog::unwritableDataDir()
{
    QTemporaryDir dir;
    bool opened = false;
    QString error;
    {
        // Root ignores directory permissions: the check runs as nobody, who owns the directory.
        const kw::test::AsUnprivilegedUser user({dir.path()});
        QVERIFY2(user.error().isEmpty(), qPrintable(user.error()));
        QVERIFY(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::ExeOwner));
        opened = bool(kw::EventLog::open(dir.path(), &error));
        QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    QVERIFY(!opened);
    QCOMPARE(error, QDir::toNativeSeparators(dir.path()) +
                        u": the data directory is not writable by this user; fix its permissions or choose "
                        "another data directory"_s);
}

void TestEventLog::diskFullKeepsBatchWhole()
{
    // The size limit makes SQLite answer SQLITE_FULL exactly as a full disk does.
    QTemporaryDir dir;
    QString error;
    kw::EventLogOptions options;
    options.maxSizeBytes = 64 * 1024;
    auto log = kw::EventLog::open(dir.path(), &error, options);
    QVERIFY2(log, qPrintable(error));

    const QString padding(200, u'x');
    qint64 stored = 0;
    bool failed = false;
    for (int batch = 0; batch < 100 && !failed; ++batch) {
        QList<kw::Event> events;
        for (int i = 0; i < 20; ++i)
            events << makeEvent(u"db"_s, batch * 20 + i, padding);
        if (log->append(events, &error))
            stored += events.size();
        else
            failed = true;
    }
    QVERIFY2(failed, "the size limit was never reached");
    QCOMPARE(error, log->path() +
                        u": the disk is full (or the event log reached its size limit); 20 events are "
                        "kept in memory until it can be written; free disk space"_s);
    // Nothing of the failed batch is half-written, and the log stays usable.
    QCOMPARE(log->count({}, &error), stored);
    QCOMPARE(log->query({}, &error).size(), stored);
    // Pruning frees pages, after which the kept batch fits again.
    QVERIFY(log->removeBefore(at(200), &error) > 0);
    QVERIFY2(log->append({makeEvent(u"db"_s, 5000, padding)}, &error), qPrintable(error));
}

void TestEventLog::reopenAfterManyBatches()
{
    QTemporaryDir dir;
    QString error;
    constexpr int kBatches = 200;
    constexpr int kPerBatch = 50;
    {
        auto log = kw::EventLog::open(dir.path(), &error);
        QVERIFY2(log, qPrintable(error));
        for (int b = 0; b < kBatches; ++b) {
            QList<kw::Event> batch;
            for (int i = 0; i < kPerBatch; ++i) {
                // Appended out of time order on purpose: queries sort by ts.
                kw::Event event = makeEvent(i % 2 ? u"db"_s : u"cache"_s, qint64(kBatches - b) * 1000 + i);
                event.data.insert(u"seq"_s, b * kPerBatch + i);
                batch << event;
            }
            QVERIFY2(log->append(batch, &error), qPrintable(error));
        }
    }
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    QCOMPARE(log->count({}, &error), kBatches * kPerBatch);
    kw::EventQuery dbOnly;
    dbOnly.endpoint = u"db"_s;
    QCOMPARE(log->count(dbOnly, &error), kBatches * kPerBatch / 2);

    QDateTime previous;
    qint64 seen = 0;
    QVERIFY(log->forEach(
        {},
        [&](const kw::Event &event) {
            if (previous.isValid() && event.ts < previous)
                return false;
            previous = event.ts;
            ++seen;
            return true;
        },
        &error));
    QCOMPARE(seen, kBatches * kPerBatch);
}

void TestEventLog::killedWriterLeavesReadableLog()
{
    QTemporaryDir dir;
    QProcess writer;
    writer.setProgram(QStringLiteral(KEEPWATCH_EVENTLOG_WRITER));
    writer.setArguments({dir.path(), u"25"_s});
    writer.start();
    QVERIFY2(writer.waitForStarted(), qPrintable(writer.errorString()));

    qint64 reported = 0;
    QByteArray pending;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            pending += writer.readAllStandardOutput();
            const qsizetype end = pending.lastIndexOf('\n');
            if (end >= 0) {
                const QList<QByteArray> lines = pending.left(end).split('\n');
                reported = lines.last().toLongLong();
                pending.remove(0, end + 1);
            }
            return reported >= 2000;
        }(),
        30000);
    writer.kill(); // SIGKILL: no destructor, no checkpoint, mid-batch
    QVERIFY(writer.waitForFinished());
    QCOMPARE(writer.exitStatus(), QProcess::CrashExit);

    QString error;
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    const qint64 count = log->count({}, &error);
    QVERIFY2(count >= reported, qPrintable(u"%1 stored, %2 reported committed"_s.arg(count).arg(reported)));
    QCOMPARE(count % 25, 0); // whole batches only
    QCOMPARE(sqlScalar(log->path(), u"PRAGMA integrity_check"_s).toString(), u"ok"_s);
    // The last stored event is intact.
    kw::EventQuery last;
    last.since = QDateTime::fromMSecsSinceEpoch(0, Qt::UTC);
    QList<kw::Event> events = log->query(last, &error);
    QCOMPARE(events.size(), count);
    qint64 maxSeq = -1;
    for (const kw::Event &event : std::as_const(events))
        maxSeq = std::max<qint64>(maxSeq, event.data.value(u"seq"_s).toInteger());
    QCOMPARE(maxSeq, count - 1);
}

void TestEventLog::secondReaderSeesCommittedBatches()
{
    // `keepwatch export` reads while the monitor writes: separate connections.
    QTemporaryDir dir;
    QString error;
    auto writer = kw::EventLog::open(dir.path(), &error);
    QVERIFY(writer);
    auto reader = kw::EventLog::open(dir.path(), &error);
    QVERIFY2(reader, qPrintable(error));
    QCOMPARE(reader->count({}, &error), 0);
    QVERIFY(writer->append(sample(), &error));
    QCOMPARE(reader->count({}, &error), sample().size());
    QCOMPARE(reader->query({}, &error).size(), sample().size());
}

void TestEventLog::removeBefore()
{
    QTemporaryDir dir;
    QString error;
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY(log);
    QVERIFY(log->append(sample(), &error));
    QCOMPARE(log->removeBefore(at(10), &error), 2);
    QCOMPARE(log->count({}, &error), 4);
    QCOMPARE(log->query({}, &error).first().ts, at(10));
}

void TestEventLog::stopEarly()
{
    QTemporaryDir dir;
    QString error;
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY(log);
    QVERIFY(log->append(sample(), &error));
    int calls = 0;
    QVERIFY(log->forEach(
        {}, [&calls](const kw::Event &) { return ++calls < 2; }, &error));
    QCOMPARE(calls, 2);
}

namespace {
// Six events with every filterable field set differently.
QList<kw::Event> filterable()
{
    using kw::Cause;
    using kw::CauseCode;
    using kw::EndpointState;
    auto state = [](const QString &endpoint, qint64 offset, EndpointState s, const Cause &cause) {
        kw::Event e = kw::Event::stateChange(endpoint, s, cause);
        e.ts = at(offset);
        return e;
    };
    kw::Event rtt = kw::Event::rtt(u"db"_s, 1.5, u"heartbeat"_s);
    rtt.ts = at(3);
    kw::Event device =
        kw::Event::deviceChange(u"broker"_s, EndpointState::Down, Cause(CauseCode::DeviceSilent), {},
                                QJsonObject{{u"device"_s, u"a/1"_s}});
    device.ts = at(6);
    return {state(u"db"_s, 1, EndpointState::Up, {}),
            state(u"db"_s, 2, EndpointState::Down, Cause(CauseCode::Reset)),
            rtt,
            state(u"web"_s, 4, EndpointState::Down, Cause(CauseCode::WsClose, "1006")),
            state(u"web"_s, 5, EndpointState::Waiting, Cause(CauseCode::WsClose, "1001")),
            device};
}
} // namespace

void TestEventLog::filterByStateCauseAndEndpoints_data()
{
    QTest::addColumn<QStringList>("endpoints");
    QTest::addColumn<QList<int>>("states");
    QTest::addColumn<QList<int>>("causes");
    QTest::addColumn<QList<qint64>>("expected"); // offsets

    QTest::newRow("nothing") << QStringList{} << QList<int>{} << QList<int>{}
                             << QList<qint64>{1, 2, 3, 4, 5, 6};
    QTest::newRow("state down: state and device events")
        << QStringList{} << QList<int>{int(kw::EndpointState::Down)} << QList<int>{}
        << QList<qint64>{2, 4, 6};
    QTest::newRow("two states") << QStringList{}
                                << QList<int>{int(kw::EndpointState::Up), int(kw::EndpointState::Waiting)}
                                << QList<int>{} << QList<qint64>{1, 5};
    QTest::newRow("cause with every reason")
        << QStringList{} << QList<int>{} << QList<int>{int(kw::CauseCode::WsClose)} << QList<qint64>{4, 5};
    QTest::newRow("two causes") << QStringList{} << QList<int>{}
                                << QList<int>{int(kw::CauseCode::Reset), int(kw::CauseCode::DeviceSilent)}
                                << QList<qint64>{2, 6};
    QTest::newRow("no cause") << QStringList{} << QList<int>{} << QList<int>{int(kw::CauseCode::None)}
                              << QList<qint64>{1, 3};
    QTest::newRow("endpoints") << QStringList{u"web"_s, u"broker"_s} << QList<int>{} << QList<int>{}
                               << QList<qint64>{4, 5, 6};
    QTest::newRow("endpoint, state and cause")
        << QStringList{u"web"_s} << QList<int>{int(kw::EndpointState::Down)}
        << QList<int>{int(kw::CauseCode::WsClose)} << QList<qint64>{4};
    QTest::newRow("cause prefix is not a cause") // "ws-close" must not match "ws-closed..." or "reset" "res"
        << QStringList{u"db"_s} << QList<int>{} << QList<int>{int(kw::CauseCode::WsClose)} << QList<qint64>{};
}

void TestEventLog::filterByStateCauseAndEndpoints()
{
    QFETCH(QStringList, endpoints);
    QFETCH(QList<int>, states);
    QFETCH(QList<int>, causes);
    QFETCH(QList<qint64>, expected);

    QTemporaryDir dir;
    QString error;
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    const QList<kw::Event> events = filterable();
    QVERIFY2(log->append(events, &error), qPrintable(error));

    kw::EventQuery query;
    query.endpoints = endpoints;
    for (const int state : std::as_const(states))
        query.states << kw::EndpointState(state);
    for (const int cause : std::as_const(causes))
        query.causes << kw::CauseCode(cause);
    QList<qint64> got;
    for (const kw::Event &event : log->query(query, &error))
        got << event.ts.toMSecsSinceEpoch() - kT0;
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(got, expected);
    QCOMPARE(log->count(query, &error), expected.size());
    // matches() is the same filter for events that never went through SQL.
    QList<qint64> matched;
    for (const kw::Event &event : events) {
        if (query.matches(event))
            matched << event.ts.toMSecsSinceEpoch() - kT0;
    }
    QCOMPARE(matched, expected);
}

void TestEventLog::pagesByOffset()
{
    QTemporaryDir dir;
    QString error;
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    QList<kw::Event> events;
    for (int i = 0; i < 1000; ++i)
        events << makeEvent(i % 2 ? u"odd"_s : u"even"_s, i / 3, QString::number(i)); // ties in ts
    QVERIFY2(log->append(events, &error), qPrintable(error));

    const auto details = [&](const kw::EventQuery &query) {
        QStringList got;
        for (const kw::Event &event : log->query(query, &error))
            got << event.detail;
        return got;
    };
    kw::EventQuery page;
    page.offset = 300;
    page.limit = 4;
    QCOMPARE(details(page), (QStringList{u"300"_s, u"301"_s, u"302"_s, u"303"_s}));
    QCOMPARE(log->count(page, &error), 4);
    // From the end: the same rows, newest first (ties in reverse insertion order).
    page.newestFirst = true;
    page.offset = 1000 - 304;
    QCOMPARE(details(page), (QStringList{u"303"_s, u"302"_s, u"301"_s, u"300"_s}));
    // An offset without a limit runs to the end; one past the end gives nothing.
    kw::EventQuery tail;
    tail.offset = 997;
    QCOMPARE(details(tail), (QStringList{u"997"_s, u"998"_s, u"999"_s}));
    QCOMPARE(log->count(tail, &error), 3);
    tail.offset = 1000;
    QCOMPARE(details(tail), QStringList{});
    QCOMPARE(log->count(tail, &error), 0);
    // With a filter: offsets count the selected rows only.
    kw::EventQuery odd;
    odd.endpoint = u"odd"_s;
    odd.offset = 10;
    odd.limit = 2;
    QCOMPARE(details(odd), (QStringList{u"21"_s, u"23"_s}));
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestEventLog::maxIdHoldsPagesStill()
{
    QTemporaryDir dir;
    QString error;
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    QVERIFY2(log->append(sample(), &error), qPrintable(error));
    const std::optional<kw::EventLogExtent> extent = log->extent({}, &error);
    QVERIFY2(extent, qPrintable(error));

    // The engine writes on while the view pages: an event older than the newest (another endpoint's
    // clock) would otherwise shift every row after it.
    QVERIFY2(log->append({makeEvent(u"late"_s, 15), makeEvent(u"new"_s, 40)}, &error), qPrintable(error));
    kw::EventQuery page;
    page.maxId = extent->lastId;
    page.newestFirst = true;
    page.limit = 2;
    QStringList got;
    for (const kw::Event &event : log->query(page, &error))
        got << event.endpoint + u'@' + QString::number(event.ts.toMSecsSinceEpoch() - kT0);
    QCOMPARE(got, (QStringList{u"db@30"_s, u"cache@20"_s}));
    page.limit = -1;
    QCOMPARE(log->count(page, &error), 6);
    page.maxId.reset();
    QCOMPARE(log->count(page, &error), 8);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestEventLog::extentAgreesWithTheLog()
{
    QTemporaryDir dir;
    QString error;
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    std::optional<kw::EventLogExtent> empty = log->extent({}, &error);
    QVERIFY2(empty, qPrintable(error));
    QCOMPARE(empty->count, 0);
    QCOMPARE(empty->lastId, 0);
    QVERIFY(!empty->lastTs);

    QVERIFY2(log->append(sample(), &error), qPrintable(error));
    kw::EventQuery db;
    db.endpoint = u"db"_s;
    db.limit = 1; // ignored: the extent counts everything the filter selects
    db.offset = 2;
    const std::optional<kw::EventLogExtent> extent = log->extent(db, &error);
    QVERIFY2(extent, qPrintable(error));
    QCOMPARE(extent->count, 4);
    QCOMPARE(extent->lastId - extent->firstId + 1, 6);
    QCOMPARE(extent->lastTs, std::optional<QDateTime>(at(30)));

    // Retention moves the first id: a pager can tell its offsets are stale.
    QCOMPARE(log->removeBefore(at(10), &error), 2);
    const std::optional<kw::EventLogExtent> pruned = log->extent({}, &error);
    QVERIFY2(pruned, qPrintable(error));
    QCOMPARE(pruned->count, 4);
    QVERIFY(pruned->firstId > extent->firstId);
    QCOMPARE(pruned->lastId, extent->lastId);
}

void TestEventLog::kindIndexAddedToOldLogs()
{
    QTemporaryDir dir;
    QString error;
    QString path;
    {
        auto log = kw::EventLog::open(dir.path(), &error);
        QVERIFY2(log, qPrintable(error));
        QVERIFY2(log->append(sample(), &error), qPrintable(error));
        path = log->path();
    }
    // A log written before the index existed.
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"tst_eventlog.old"_s);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(u"DROP INDEX events_kind_ts"_s));
        db.close();
    }
    QSqlDatabase::removeDatabase(u"tst_eventlog.old"_s);
    const QString indexCount = u"SELECT count(*) FROM sqlite_master WHERE name = 'events_kind_ts'"_s;
    QCOMPARE(sqlScalar(path, indexCount).toInt(), 0);

    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    QCOMPARE(sqlScalar(path, indexCount).toInt(), 1);
    QCOMPARE(sqlScalar(path, u"PRAGMA user_version"_s).toInt(), 1);
    kw::EventQuery states;
    states.kinds = {kw::EventKind::State};
    QCOMPARE(log->count(states, &error), 1);
}

QTEST_GUILESS_MAIN(TestEventLog)
#include "tst_eventlog.moc"
