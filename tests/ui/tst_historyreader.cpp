#include "historyreader.h"

#include <QSemaphore>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;

namespace {

const qint64 kT0 = 1'780'000'000'000;

kw::Event stateEvent(const QString &endpoint, qint64 offsetMs, kw::EndpointState state)
{
    kw::Event event;
    event.ts = QDateTime::fromMSecsSinceEpoch(kT0 + offsetMs, Qt::UTC);
    event.endpoint = endpoint;
    event.kind = kw::EventKind::State;
    event.state = state;
    return event;
}

} // namespace

class TestHistoryReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void queryAndCount();
    void runsOffTheCallersThread();
    void newerRequestOnAChannelSupersedes();
    void destroyedContextGetsNothing();
    void withoutDataDir();
};

void TestHistoryReader::queryAndCount()
{
    QTemporaryDir dir;
    QString error;
    {
        auto log = kw::EventLog::open(dir.path(), &error);
        QVERIFY2(log, qPrintable(error));
        QVERIFY(log->append({stateEvent(u"db"_s, 0, kw::EndpointState::Up),
                             stateEvent(u"db"_s, 10, kw::EndpointState::Down),
                             stateEvent(u"cache"_s, 20, kw::EndpointState::Up)},
                            &error));
    }
    kw::HistoryReader reader(dir.path());
    QVERIFY(reader.hasLog());
    QList<kw::Event> got;
    qint64 counted = -2;
    QString queryError = u"unset"_s;
    kw::EventQuery query;
    query.endpoint = u"db"_s;
    reader.query(this, {}, query, [&](QList<kw::Event> events, const QString &e) {
        got = std::move(events);
        queryError = e;
    });
    reader.count(this, {}, {}, [&](qint64 n, const QString &) { counted = n; });
    QVERIFY(reader.waitForIdle());
    QVERIFY2(queryError.isEmpty(), qPrintable(queryError));
    QCOMPARE(counted, 3);
    QCOMPARE(got.size(), 2);
    QCOMPARE(got.at(1).state, kw::EndpointState::Down);
    QCOMPARE(counted, 3);
}

void TestHistoryReader::runsOffTheCallersThread()
{
    QTemporaryDir dir;
    kw::HistoryReader reader(dir.path());
    QThread *workThread = nullptr;
    QThread *doneThread = nullptr;
    reader.run<int>(
        this, {},
        [&](const kw::EventLog &, const std::atomic_bool &, QString *) {
            workThread = QThread::currentThread();
            return 1;
        },
        [&](int, const QString &) { doneThread = QThread::currentThread(); });
    QVERIFY(reader.waitForIdle());
    QVERIFY(workThread);
    QVERIFY(workThread != QThread::currentThread());
    QCOMPARE(doneThread, QThread::currentThread());
}

void TestHistoryReader::newerRequestOnAChannelSupersedes()
{
    QTemporaryDir dir;
    kw::HistoryReader reader(dir.path());
    // The first job blocks until released, so the second and third are queued behind it.
    QSemaphore started;
    QSemaphore release;
    bool firstSawCancel = false;
    QStringList delivered;
    reader.run<int>(
        this, u"range"_s,
        [&](const kw::EventLog &, const std::atomic_bool &cancelled, QString *) {
            started.release();
            release.acquire();
            firstSawCancel = cancelled.load();
            return 1;
        },
        [&](int, const QString &) { delivered << u"first"_s; });
    QVERIFY(started.tryAcquire(1, 5000));
    int secondRan = 0;
    reader.run<int>(
        this, u"range"_s,
        [&](const kw::EventLog &, const std::atomic_bool &, QString *) { return ++secondRan; },
        [&](int, const QString &) { delivered << u"second"_s; });
    reader.run<int>(
        this, u"range"_s, [](const kw::EventLog &, const std::atomic_bool &, QString *) { return 3; },
        [&](int, const QString &) { delivered << u"third"_s; });
    reader.run<int>(
        this, u"other"_s, [](const kw::EventLog &, const std::atomic_bool &, QString *) { return 4; },
        [&](int, const QString &) { delivered << u"other"_s; });
    release.release();
    QVERIFY(reader.waitForIdle());
    QVERIFY(firstSawCancel);
    QCOMPARE(secondRan, 0); // skipped: superseded before it started
    QCOMPARE(delivered, (QStringList{u"third"_s, u"other"_s}));
}

void TestHistoryReader::destroyedContextGetsNothing()
{
    QTemporaryDir dir;
    kw::HistoryReader reader(dir.path());
    bool delivered = false;
    auto context = std::make_unique<QObject>();
    reader.run<int>(
        context.get(), {}, [](const kw::EventLog &, const std::atomic_bool &, QString *) { return 1; },
        [&](int, const QString &) { delivered = true; });
    context.reset();
    QVERIFY(reader.waitForIdle());
    QVERIFY(!delivered);
}

void TestHistoryReader::withoutDataDir()
{
    kw::HistoryReader reader({});
    QVERIFY(!reader.hasLog());
    QString error;
    bool ran = false;
    reader.run<int>(
        this, {},
        [&](const kw::EventLog &, const std::atomic_bool &, QString *) {
            ran = true;
            return 1;
        },
        [&](int, const QString &e) { error = e; });
    QVERIFY(reader.waitForIdle());
    QVERIFY(!ran);
    QVERIFY2(error.contains(u"no event log"_s), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestHistoryReader)
#include "tst_historyreader.moc"
