// The event log's INSERTs (lib/store/eventloginsert.cpp): rows written through the SQLite C API in
// multi-row statements must be the rows QSqlQuery writes, column by column, NULLs included; a batch
// split over several statements stays whole and in order, and a failure anywhere in it stores none.

#include "eventlog.h"
#include "eventloginsert.h"

#include "eventtostring.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// 2026-11-21T18:00:00.000Z
const qint64 kT0 = 1795284000000;

QDateTime at(qint64 offsetMs)
{
    return QDateTime::fromMSecsSinceEpoch(kT0 + offsetMs, Qt::UTC);
}

kw::TcpInfoSample fullSample()
{
    kw::TcpInfoSample s;
    s.set(kw::TcpInfoSample::Probes, 2u);
    s.set(kw::TcpInfoSample::Retransmits, 1u);
    s.set(kw::TcpInfoSample::Unacked, 0u);
    s.set(kw::TcpInfoSample::TotalRetrans, 1000000u);
    s.set(kw::TcpInfoSample::RttVarUs, 4294967295u);
    s.set(kw::TcpInfoSample::LastDataRecvMs, 17u);
    s.set(kw::TcpInfoSample::LastAckRecvMs, 123456789u);
    s.tcpState = kw::TcpInfoSample::stateText("ESTABLISHED");
    return s;
}

// Every kind, every field set where the kind has it, and the fields left empty.
QList<kw::Event> everyKind()
{
    QList<kw::Event> events;
    kw::Event down = kw::Event::stateChange(u"broker"_s, kw::EndpointState::Down,
                                            kw::Cause(kw::CauseCode::MqttRefused, "not-authorized"),
                                            u"CONNACK 0x87, \"quoted\", ünïcode ✓ 𝄞\nsecond line"_s);
    down.rttMs = 12.5;
    down.source = u"mqtt-ping"_s;
    down.data = QJsonObject{{u"bound_ms"_s, 45000}, {u"list"_s, QJsonArray{1, 2}}, {u"ok"_s, false}};
    events << down;
    events << kw::Event::stateChange(u"db"_s, kw::EndpointState::Up);
    events << kw::Event::rtt(u"db"_s, 0.0, u"connect"_s);
    events << kw::Event::rtt(u"db"_s, 0.417, u"heartbeat"_s);
    kw::Event tcpInfo;
    tcpInfo.endpoint = u"db"_s;
    tcpInfo.kind = kw::EventKind::TcpInfo;
    tcpInfo.rttMs = 0.25;
    tcpInfo.source = u"tcpinfo"_s;
    tcpInfo.tcpInfo = fullSample();
    events << tcpInfo;
    kw::Event bare = tcpInfo; // no rtt, no fields: NULL rtt_ms and data
    bare.rttMs.reset();
    bare.tcpInfo.emplace();
    events << bare;
    kw::Event mixed = tcpInfo; // fields and other data: written through QJsonDocument
    mixed.data = QJsonObject{{u"snd_cwnd"_s, 10}};
    events << mixed;
    QJsonObject keepalive{{u"idle_s"_s, 60}, {u"interval_s"_s, 10}, {u"count"_s, 5}};
    kw::Event report = kw::Event::info(u"db"_s, u"keepalive applied"_s, keepalive);
    report.kind = kw::EventKind::Keepalive;
    events << report;
    events << kw::Event::info(QString(), u"engine-wide: no endpoint"_s);
    events << kw::Event::info(u""_s, QString()); // empty, not null, endpoint; no detail
    events << kw::Event::deviceChange(u"broker"_s, kw::EndpointState::Down,
                                      kw::Cause(kw::CauseCode::DeviceWill), u"will"_s,
                                      QJsonObject{{u"device"_s, u"site/1"_s}});
    events << kw::Event::alert(u"db"_s, u"down"_s, u"muted"_s, kw::EndpointState::Down,
                               kw::Cause(kw::CauseCode::Reset), u"reset"_s);
    for (qsizetype i = 0; i < events.size(); ++i)
        events[i].ts = at(i);
    return events;
}

// Each stored row as text, with each column's SQLite type: NULL and '' differ, 0 and 0.0 differ.
QStringList storedRows(const QString &path)
{
    QStringList rows;
    const QString name = u"tst_eventloginsert.side"_s;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            QString columns;
            for (const char *c :
                 {"ts", "endpoint", "kind", "state", "cause", "detail", "rtt_ms", "source", "data"})
                columns += (columns.isEmpty() ? u""_s : u" || '|' || "_s) + u"typeof("_s +
                           QLatin1StringView(c) + u") || ':' || quote("_s + QLatin1StringView(c) + u")"_s;
            if (q.exec(u"SELECT "_s + columns + u" FROM events ORDER BY id"_s)) {
                while (q.next())
                    rows << q.value(0).toString();
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return rows;
}

std::unique_ptr<kw::EventLog> openLog(const QString &dir, bool direct, qint64 maxSizeBytes = 0)
{
    kw::EventLogOptions options;
    options.directInsert = direct;
    options.maxSizeBytes = maxSizeBytes;
    QString error;
    auto log = kw::EventLog::open(dir, &error, options);
    if (!log)
        qWarning().noquote() << error;
    return log;
}

} // namespace

class TestEventLogInsert : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void directWhereTheLibraryIsShared();
    void dataTextIsQJsonDocuments_data();
    void dataTextIsQJsonDocuments();
    void bothPathsStoreTheSameRows();
    void nullAndEmpty_data();
    void nullAndEmpty();
    void batchSplitAcrossStatements_data();
    void batchSplitAcrossStatements();
    void failureInALaterStatementStoresNothing_data();
    void failureInALaterStatementStoresNothing();
    void fullLogKeepsTheBatchWhole_data();
    void fullLogKeepsTheBatchWhole();
};

void TestEventLogInsert::directWhereTheLibraryIsShared()
{
    QTemporaryDir dir;
    const QString name = u"tst_eventloginsert.probe"_s;
    bool direct = false;
    bool qt = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(dir.filePath(u"probe.sqlite"_s));
        if (db.open()) {
            direct = kw::detail::EventInserter::create(db, true)->isDirect();
            qt = kw::detail::EventInserter::create(db, false)->isDirect();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    QVERIFY(!qt);
#ifdef Q_OS_LINUX
    // setup.sh installs libsqlite3-dev and Debian's driver links the system SQLite: under CI the
    // direct path must be there, or the log's inserts silently take the slower one.
    if (!direct && qEnvironmentVariable("CI") == u"true"_s)
        QFAIL("the event log cannot insert through the SQLite C API: build with libsqlite3-dev (setup.sh "
              "installs it) against a Qt SQLite driver that links the system SQLite");
#endif
    if (!direct)
        QSKIP(
            "built without the SQLite headers, or Qt's driver has its own SQLite: rows go through QSqlQuery");
}

void TestEventLogInsert::dataTextIsQJsonDocuments_data()
{
    QTest::addColumn<kw::Event>("event");
    const QList<kw::Event> events = everyKind();
    for (const kw::Event &e : events)
        QTest::addRow("%s %lld", qPrintable(e.kindName()), qint64(&e - events.data())) << e;
    kw::Event odd = events.at(4);
    odd.tcpInfo->tcpState = u"ÉTAT \"x\"\\\t"_s;
    QTest::newRow("tcp_state escaped") << odd;
    kw::Event one = events.at(4);
    one.tcpInfo = kw::TcpInfoSample();
    one.tcpInfo->set(kw::TcpInfoSample::LastAckRecvMs, 0u);
    QTest::newRow("one field") << one;
    kw::Event state = events.at(4);
    state.tcpInfo = kw::TcpInfoSample();
    state.tcpInfo->tcpState = u"CLOSE_WAIT"_s;
    QTest::newRow("state alone") << state;
}

void TestEventLogInsert::dataTextIsQJsonDocuments()
{
    QFETCH(kw::Event, event);
    const QJsonObject all = event.allData();
    const QByteArray expected =
        all.isEmpty() ? QByteArray() : QJsonDocument(all).toJson(QJsonDocument::Compact);
    QCOMPARE(kw::detail::eventDataJson(event), expected);
}

void TestEventLogInsert::bothPathsStoreTheSameRows()
{
    // The QSqlQuery path binds as EventLog did before the C API path: the same rows either way.
    QTemporaryDir direct, qt;
    auto a = openLog(direct.path(), true);
    auto b = openLog(qt.path(), false);
    QVERIFY(a && b);
    const QList<kw::Event> events = everyKind();
    QString error;
    QVERIFY2(a->append(events, &error), qPrintable(error));
    QVERIFY2(b->append(events, &error), qPrintable(error));
    const QStringList rowsA = storedRows(a->path());
    QCOMPARE(rowsA.size(), events.size());
    QCOMPARE(rowsA, storedRows(b->path()));
    for (const auto *log : {a.get(), b.get()}) {
        const QList<kw::Event> back = log->query({}, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(back.size(), events.size());
        for (qsizetype i = 0; i < events.size(); ++i) {
            kw::Event expected = events.at(i);
            if (expected.endpoint.isNull())
                expected.endpoint = u""_s;
            QCOMPARE(back.at(i), expected);
            QCOMPARE(back.at(i).toJsonLine(), expected.toJsonLine());
        }
    }
}

void TestEventLogInsert::nullAndEmpty_data()
{
    QTest::addColumn<bool>("direct");
    QTest::newRow("C API") << true;
    QTest::newRow("QSqlQuery") << false;
}

void TestEventLogInsert::nullAndEmpty()
{
    QFETCH(bool, direct);
    QTemporaryDir dir;
    auto log = openLog(dir.path(), direct);
    QVERIFY(log);
    kw::Event zero = kw::Event::rtt(QString(), 0.0, QString());
    zero.ts = at(0);
    kw::Event empty;
    empty.ts = at(1);
    empty.endpoint = u"db"_s;
    empty.kind = kw::EventKind::TcpInfo;
    empty.tcpInfo.emplace(); // nothing reported
    QString error;
    QVERIFY2(log->append({zero, empty}, &error), qPrintable(error));
    const QStringList rows = storedRows(log->path());
    QCOMPARE(
        rows,
        (QStringList{
            u"integer:1795284000000|text:''|text:'rtt'|null:NULL|null:NULL|null:NULL|real:0.0|null:NULL|null:NULL"_s,
            u"integer:1795284000001|text:'db'|text:'tcpinfo'|null:NULL|null:NULL|null:NULL|null:NULL|null:NULL|null:NULL"_s,
        }));
}

void TestEventLogInsert::batchSplitAcrossStatements_data()
{
    QTest::addColumn<bool>("direct");
    QTest::addColumn<int>("size");
    // Around the statements' sizes (64, 16, 4, 1 rows) and the Monitor's ~93.
    for (const int size : {1, 3, 4, 5, 15, 16, 17, 63, 64, 65, 84, 93, 128, 129, 300}) {
        QTest::addRow("C API %d", size) << true << size;
        QTest::addRow("QSqlQuery %d", size) << false << size;
    }
}

void TestEventLogInsert::batchSplitAcrossStatements()
{
    QFETCH(bool, direct);
    QFETCH(int, size);
    QTemporaryDir dir;
    auto log = openLog(dir.path(), direct);
    QVERIFY(log);
    const QList<kw::Event> kinds = everyKind();
    QList<kw::Event> batch;
    for (int i = 0; i < size; ++i) {
        kw::Event e = kinds.at(i % kinds.size());
        e.endpoint = u"endpoint-"_s + QString::number(i);
        e.ts = at(i % 2); // ties: insertion order must survive the split
        batch << e;
    }
    QString error;
    for (int round = 0; round < 2; ++round) // the second runs on the statements kept from the first
        QVERIFY2(log->append(batch, &error), qPrintable(error));
    const QList<kw::Event> back = log->query({}, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QList<kw::Event> expected;
    for (int ts = 0; ts < 2; ++ts) {
        for (int round = 0; round < 2; ++round) {
            for (int i = ts; i < size; i += 2)
                expected << batch.at(i);
        }
    }
    QCOMPARE(back.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i)
        QCOMPARE(back.at(i), expected.at(i));
}

void TestEventLogInsert::failureInALaterStatementStoresNothing_data()
{
    nullAndEmpty_data();
}

void TestEventLogInsert::failureInALaterStatementStoresNothing()
{
    // A row without a kind breaks the NOT NULL constraint in the batch's third statement (rows 80..83):
    // the rows of the first two statements must go with it, and the log must write the next batch.
    QFETCH(bool, direct);
    QTemporaryDir dir;
    auto log = openLog(dir.path(), direct);
    QVERIFY(log);
    QList<kw::Event> batch;
    for (int i = 0; i < 93; ++i) {
        kw::Event e = kw::Event::rtt(u"db"_s, 1.0, u"heartbeat"_s);
        e.ts = at(i);
        batch << e;
    }
    QList<kw::Event> broken = batch;
    broken[81].kind.reset();
    QString error;
    QVERIFY(!log->append(broken, &error));
    QVERIFY2(
        error.startsWith(log->path() + u": 93 events not written: NOT NULL constraint failed: events.kind"_s),
        qPrintable(error));
    QCOMPARE(log->count({}, &error), 0);
    QVERIFY2(log->append(batch, &error), qPrintable(error));
    QCOMPARE(log->query({}, &error), batch);
}

void TestEventLogInsert::fullLogKeepsTheBatchWhole_data()
{
    nullAndEmpty_data();
}

void TestEventLogInsert::fullLogKeepsTheBatchWhole()
{
    // SQLITE_FULL part way through a batch of several statements: none of it stored, all of it
    // written once there is room, once.
    QFETCH(bool, direct);
    QTemporaryDir dir;
    auto log = openLog(dir.path(), direct, 96 * 1024);
    QVERIFY(log);
    const QString padding(300, u'x');
    const auto batchAt = [&padding](int first, int size) {
        QList<kw::Event> batch;
        for (int i = 0; i < size; ++i) {
            kw::Event e = kw::Event::info(u"db"_s, padding);
            e.ts = at(first + i);
            batch << e;
        }
        return batch;
    };
    QString error;
    int next = 0;
    qint64 stored = 0;
    QList<kw::Event> failed;
    while (next < 10000) {
        QList<kw::Event> batch = batchAt(next, 93);
        next += 93;
        if (!log->append(batch, &error)) {
            failed = batch;
            break;
        }
        stored += batch.size();
    }
    QVERIFY2(!failed.isEmpty(), "the size limit was never reached");
    QVERIFY2(stored > 0, "the first batch already failed");
    QCOMPARE(error, log->path() +
                        u": the disk is full (or the event log reached its size limit); 93 events are "
                        "kept in memory until it can be written; free disk space"_s);
    QCOMPARE(log->count({}, &error), stored);
    // Room again: the kept batch is written whole.
    QVERIFY(log->removeBefore(at(int(stored)), &error) == stored);
    QVERIFY2(log->append(failed, &error), qPrintable(error));
    QCOMPARE(log->query({}, &error), failed);
}

QTEST_GUILESS_MAIN(TestEventLogInsert)
#include "tst_eventloginsert.moc"
