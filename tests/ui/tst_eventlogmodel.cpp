#include "eventlog.h"
#include "eventlogmodel.h"
#include "eventlogview.h"
#include "eventtostring.h"
#include "historyreader.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QCheckBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace kw;

Q_DECLARE_METATYPE(kw::EventQuery)
Q_DECLARE_METATYPE(std::function<bool(const kw::Event &)>)

namespace {
const QDateTime kStart = QDateTime(QDate(2026, 11, 21), QTime(18, 0), Qt::UTC);

QList<Event> numbered(int from, int count, const QString &endpoint = u"db"_qs)
{
    QList<Event> events;
    for (int i = from; i < from + count; ++i) {
        Event e = Event::rtt(endpoint, 0.25 + i, u"connect"_qs);
        e.ts = kStart.addMSecs(i * 100);
        e.detail = QString::number(i);
        events.append(e);
    }
    return events;
}

// A log's worth of events: mostly RTT samples, every tenth a state change, every tenth+5 a TCP_INFO
// read, across seven endpoints; `i` is in the detail or the RTT, so each row is known exactly.
Event logged(int i)
{
    Event e;
    const QString endpoint = u"ep-"_qs + QString::number(i % 7);
    if (i % 10 == 0) {
        static const EndpointState states[] = {EndpointState::Up, EndpointState::Down,
                                               EndpointState::Waiting};
        const EndpointState state = states[(i / 10) % 3];
        Cause cause;
        if (state == EndpointState::Down)
            cause = (i / 30) % 2 ? Cause(CauseCode::WsClose, "1006") : Cause(CauseCode::Reset);
        e = Event::stateChange(endpoint, state, cause, QString::number(i));
    } else if (i % 10 == 5) {
        e = Event::rtt(endpoint, i * 0.5, u"tcpinfo"_qs);
        e.kind = EventKind::TcpInfo;
        e.data = QJsonObject{{u"probes"_qs, 0}};
    } else {
        e = Event::rtt(endpoint, i * 0.5, u"heartbeat"_qs);
    }
    e.ts = kStart.addMSecs(qint64(i) * 10);
    return e;
}

QList<Event> loggedRange(int from, int count)
{
    QList<Event> events;
    for (int i = from; i < from + count; ++i)
        events.append(logged(i));
    return events;
}

bool writeLog(const QString &dir, const QList<Event> &events)
{
    QString error;
    std::unique_ptr<EventLog> log = EventLog::open(dir, &error);
    if (!log || !log->append(events, &error)) {
        qWarning() << error;
        return false;
    }
    return true;
}

// Asks for the row as a view painting it would, then waits for its page.
bool loadRow(EventLogModel &model, int row)
{
    model.index(row, 0).data();
    return QTest::qWaitFor([&] { return model.isRowLoaded(row); }, 10'000);
}

bool counted(EventLogModel &model)
{
    return QTest::qWaitFor([&] { return !model.isCounting(); }, 10'000);
}
} // namespace

class TestEventLogModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }
    void appendsBatchesAtTheEnd();
    void columns();
    void deviceEventsRead_data();
    void deviceEventsRead();
    void ringBound_data();
    void ringBound();
    void shrinkingCapacityDropsOldest();
    void viewFiltersSelectedEndpoint();
    void viewHidesRttSamples();
    void noLogMeansLiveOnly();
    void rowsComeFromTheLog();
    void filtersAreSqlTerms_data();
    void filtersAreSqlTerms();
    void liveRowsNotDuplicatedOnceLogged();
    void liveRowsFoldIntoTheLog();
};

void TestEventLogModel::appendsBatchesAtTheEnd()
{
    EventLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

    model.appendEvents(numbered(0, 3));
    model.appendEvents({});
    model.appendEvents(numbered(3, 2));
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(inserted.size(), 2); // one insert per batch, none for an empty one
    QCOMPARE(inserted.at(1).at(1).toInt(), 3);
    QCOMPARE(inserted.at(1).at(2).toInt(), 4);
    QCOMPARE(model.eventAt(4)->detail, u"4"_qs);
}

void TestEventLogModel::columns()
{
    EventLogModel model;
    Event down = Event::stateChange(u"db"_qs, EndpointState::Down, Cause(CauseCode::KeepaliveTimeout),
                                    u"no ACK for 3 probes"_qs);
    down.ts = kStart;
    down.data.insert(u"bound_ms"_qs, 16000);
    Event rtt = Event::rtt(u"db"_qs, 0.4234, u"heartbeat"_qs);
    rtt.ts = kStart.addSecs(1);
    model.appendEvents({down, rtt});

    QCOMPARE(model.index(0, EventLogModel::EndpointColumn).data().toString(), u"db"_qs);
    QCOMPARE(model.index(0, EventLogModel::KindColumn).data().toString(), u"state"_qs);
    QCOMPARE(model.index(0, EventLogModel::StateColumn).data().toString(), u"down"_qs);
    QCOMPARE(model.index(0, EventLogModel::CauseColumn).data().toString(), u"keepalive-timeout"_qs);
    QCOMPARE(model.index(0, EventLogModel::DetailColumn).data().toString(), u"no ACK for 3 probes"_qs);
    QVERIFY(
        model.index(0, EventLogModel::DetailColumn).data(Qt::ToolTipRole).toString().contains(u"bound_ms"));
    QVERIFY(model.index(0, EventLogModel::StateColumn).data(Qt::ForegroundRole).isValid());
    QCOMPARE(model.index(0, EventLogModel::TimeColumn).data().toString(),
             kStart.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss.zzz"_qs)); // not today: with the date
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QCOMPARE(EventLogModel::timeText(now), now.toLocalTime().toString(u"HH:mm:ss.zzz"_qs));
    QCOMPARE(model.index(1, EventLogModel::DetailColumn).data().toString(), u"0.42 ms (heartbeat)"_qs);
    QCOMPARE(model.index(1, 0).data(EventLogModel::RttRole).toDouble(), 0.4234);
    QCOMPARE(model.index(1, 0).data(EventLogModel::TimestampRole).toDateTime(), kStart.addSecs(1));
}

void TestEventLogModel::ringBound_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<QList<int>>("batches");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("firstKept");
    QTest::addColumn<int>("dropped");

    QTest::newRow("below the bound") << 5 << QList<int>{2, 2} << 4 << 0 << 0;
    QTest::newRow("exactly full") << 5 << QList<int>{3, 2} << 5 << 0 << 0;
    QTest::newRow("second batch overflows") << 5 << QList<int>{3, 3} << 5 << 1 << 1;
    QTest::newRow("one batch larger than the ring") << 5 << QList<int>{7} << 5 << 2 << 2;
    QTest::newRow("many small batches") << 4 << QList<int>{1, 1, 1, 1, 1, 1, 1} << 4 << 3 << 3;
    QTest::newRow("default bound") << EventLogModel::kDefaultCapacity << QList<int>{6000, 6000}
                                   << EventLogModel::kDefaultCapacity << 2000 << 2000;
}

void TestEventLogModel::ringBound()
{
    QFETCH(int, capacity);
    QFETCH(QList<int>, batches);
    QFETCH(int, rows);
    QFETCH(int, firstKept);
    QFETCH(int, dropped);

    EventLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    if (capacity != EventLogModel::kDefaultCapacity)
        model.setCapacity(capacity);
    int next = 0;
    for (const int size : std::as_const(batches)) {
        model.appendEvents(numbered(next, size));
        next += size;
        QVERIFY(model.rowCount() <= capacity);
    }
    QCOMPARE(model.rowCount(), rows);
    QCOMPARE(model.eventAt(0)->detail, QString::number(firstKept));
    QCOMPARE(model.eventAt(rows - 1)->detail, QString::number(next - 1)); // newest always kept
    QCOMPARE(model.droppedCount(), qint64(dropped));
}

void TestEventLogModel::shrinkingCapacityDropsOldest()
{
    EventLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.appendEvents(numbered(0, 10));
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.setCapacity(4);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.first().at(1).toInt(), 0);
    QCOMPARE(removed.first().at(2).toInt(), 5);
    QCOMPARE(model.eventAt(0)->detail, u"6"_qs);
}

void TestEventLogModel::viewFiltersSelectedEndpoint()
{
    EventLogView view;
    view.appendEvents(numbered(0, 3, u"db"_qs) + numbered(3, 2, u"db-replica"_qs) + numbered(5, 1, u"db"_qs));
    QCOMPARE(view.visibleCount(), 6);

    view.setSelectedEndpoint(u"db"_qs);
    QCOMPARE(view.visibleCount(), 6); // the filter is off until asked for
    auto *only = view.findChild<QCheckBox *>(u"eventLogOnlySelected"_qs);
    QVERIFY(only);
    QSignalSpy counted(&view, &EventLogView::visibleCountChanged);
    only->click();
    QCOMPARE(view.visibleCount(), 4); // exact name: "db-replica" is not "db"
    QCOMPARE(counted.last().at(0).toInt(), 4);

    view.setSelectedEndpoint(u"db-replica"_qs);
    QCOMPARE(view.visibleCount(), 2);
    view.appendEvents(numbered(6, 3, u"db-replica"_qs));
    QCOMPARE(view.visibleCount(), 5);
    QCOMPARE(view.model()->eventAt(0)->detail, u"3"_qs);
    QCOMPARE(view.model()->eventAt(4)->detail, u"8"_qs);

    // No selection: nothing to narrow to, so everything shows.
    view.setSelectedEndpoint(QString());
    QCOMPARE(view.visibleCount(), 9);
    view.setSelectedEndpoint(u"db"_qs);
    QCOMPARE(view.visibleCount(), 4);
    only->click();
    QCOMPARE(view.visibleCount(), 9);
}

void TestEventLogModel::viewHidesRttSamples()
{
    EventLogView view;
    QList<Event> events = numbered(0, 5, u"db"_qs);
    Event down = Event::stateChange(u"db"_qs, EndpointState::Down, Cause(CauseCode::Reset));
    down.ts = kStart.addSecs(1);
    events.insert(2, down);
    events[4].kind = EventKind::TcpInfo; // a periodic TCP_INFO sample is hidden with the RTT samples
    Event other = Event::stateChange(u"cache"_qs, EndpointState::Up);
    other.ts = kStart.addSecs(2);
    events.append(other);
    view.appendEvents(events);
    QCOMPARE(view.visibleCount(), 7);

    auto *rtt = view.findChild<QCheckBox *>(u"eventLogShowRtt"_qs);
    QVERIFY(rtt && rtt->isChecked());
    rtt->click();
    QCOMPARE(view.visibleCount(), 2);
    QCOMPARE(view.model()->eventAt(0)->state, EndpointState::Down);

    // Both filters at once.
    view.setSelectedEndpoint(u"cache"_qs);
    view.setOnlySelected(true);
    QCOMPARE(view.visibleCount(), 1);
    QCOMPARE(view.model()->eventAt(0)->endpoint, u"cache"_qs);
    // Samples arriving while hidden stay hidden.
    view.appendEvents(numbered(10, 3, u"cache"_qs));
    QCOMPARE(view.visibleCount(), 1);
    view.setShowRtt(true);
    QCOMPARE(view.visibleCount(), 4);
}

void TestEventLogModel::deviceEventsRead_data()
{
    QTest::addColumn<int>("state");
    QTest::addColumn<int>("cause");
    QTest::addColumn<QString>("detail");
    QTest::addColumn<QJsonObject>("data");
    QTest::addColumn<QString>("stateText");
    QTest::addColumn<QString>("text");
    const QJsonObject pump{{u"device"_qs, u"plant/pump-2/heartbeat"_qs},
                           {u"id"_qs, u"pump-2"_qs},
                           {u"watch"_qs, u"plant/+/heartbeat"_qs}};
    QTest::newRow("silent") << int(EndpointState::Down) << int(CauseCode::DeviceSilent)
                            << u"nothing for 15 s"_qs << pump << u"silent"_qs
                            << u"pump-2 silent: nothing for 15 s"_qs;
    QTest::newRow("will") << int(EndpointState::Down) << int(CauseCode::DeviceWill) << QString() << pump
                          << u"will"_qs << u"pump-2 gone, the broker published its Will"_qs;
    QTest::newRow("back") << int(EndpointState::Up) << int(CauseCode::None) << QString() << pump << u"up"_qs
                          << u"pump-2 up"_qs;
    QTest::newRow("no id: the topic")
        << int(EndpointState::Down) << int(CauseCode::DeviceSilent) << QString()
        << QJsonObject{{u"device"_qs, u"plant/boiler"_qs}} << u"silent"_qs << u"plant/boiler silent"_qs;
    QTest::newRow("many at once") << int(EndpointState::Down) << int(CauseCode::DeviceSilent) << QString()
                                  << QJsonObject{{u"devices"_qs, 14},
                                                 {u"topics"_qs, QJsonArray{u"a/1"_qs, u"a/2"_qs}}}
                                  << u"silent"_qs << u"14 devices silent: a/1, a/2, …"_qs;
}

void TestEventLogModel::deviceEventsRead()
{
    QFETCH(int, state);
    QFETCH(int, cause);
    QFETCH(QString, detail);
    QFETCH(QJsonObject, data);
    QFETCH(QString, stateText);
    QFETCH(QString, text);
    Event e = Event::stateChange(u"broker"_qs, EndpointState(state), Cause(CauseCode(cause)), detail);
    e.kind = EventKind::Device;
    e.ts = QDateTime::currentDateTimeUtc();
    e.data = data;
    EventLogModel model;
    model.appendEvents({e});
    QCOMPARE(model.index(0, EventLogModel::KindColumn).data().toString(), u"device"_qs);
    QCOMPARE(model.index(0, EventLogModel::StateColumn).data().toString(), stateText);
    QCOMPARE(model.index(0, EventLogModel::DetailColumn).data().toString(), text);
}

void TestEventLogModel::noLogMeansLiveOnly()
{
    HistoryReader reader{QString()};
    EventLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHistoryReader(&reader);
    QVERIFY(!model.hasLog());
    QVERIFY(!model.isCounting());
    model.appendEvents(numbered(0, 5));
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.logRowCount(), 0);
    EventQuery two;
    two.since = kStart.addMSecs(300);
    model.setFilter(two); // filters apply to live rows too
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.eventAt(0)->detail, u"3"_qs);
}

void TestEventLogModel::rowsComeFromTheLog()
{
    constexpr int kCount = 12'345;
    QTemporaryDir dir;
    const QList<Event> events = loggedRange(0, kCount);
    QVERIFY(writeLog(dir.path(), events));

    HistoryReader reader(dir.path());
    EventLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHistoryReader(&reader);
    QVERIFY(model.hasLog());
    QVERIFY(counted(model));
    QVERIFY2(model.lastError().isEmpty(), qPrintable(model.lastError()));
    QCOMPARE(model.rowCount(), kCount);
    QCOMPARE(model.logRowCount(), qint64(kCount));
    // The last rows come with the count: the view's first screen needs no second read.
    QVERIFY(model.isRowLoaded(kCount - 1));
    QVERIFY(model.isRowLoaded(kCount - 40));
    // Far rows are read when asked for, and show a placeholder until then.
    QVERIFY(!model.isRowLoaded(0));
    QCOMPARE(model.index(0, EventLogModel::TimeColumn).data().toString(), u"…"_qs);
    QCOMPARE(model.index(0, 0).data(EventLogModel::LoadedRole).toBool(), false);

    for (const int row : {0, 1, 255, 256, kCount / 2, kCount / 2 + 1, kCount - 257, kCount - 1}) {
        QVERIFY2(loadRow(model, row), qPrintable(QString::number(row)));
        QCOMPARE(*model.eventAt(row), events.at(row));
    }
    QCOMPARE(model.index(10, EventLogModel::StateColumn).data().toString(), u"down"_qs);
    QCOMPARE(model.index(10, EventLogModel::CauseColumn).data().toString(), u"reset"_qs);
    QCOMPARE(model.index(10, EventLogModel::DetailColumn).data().toString(), u"10"_qs);
    QCOMPARE(model.index(kCount / 2, EventLogModel::EndpointColumn).data().toString(),
             events.at(kCount / 2).endpoint);

    // The cache is bounded however far the view travels.
    for (int row = 0; row < kCount; row += EventLogModel::kPageSize)
        QVERIFY(loadRow(model, row));
    int loaded = 0;
    for (int row = 0; row < kCount; row += EventLogModel::kPageSize)
        loaded += model.isRowLoaded(row) ? 1 : 0;
    QVERIFY2(loaded <= EventLogModel::kMaxPages, qPrintable(QString::number(loaded)));
    QVERIFY(loaded > 0);
}

void TestEventLogModel::filtersAreSqlTerms_data()
{
    QTest::addColumn<EventQuery>("filter");
    QTest::addColumn<std::function<bool(const Event &)>>("expected");

    EventQuery endpoint;
    endpoint.endpoints = {u"ep-3"_qs};
    QTest::newRow("endpoint") << endpoint << std::function<bool(const Event &)>([](const Event &e) {
        return e.endpoint == u"ep-3";
    });
    EventQuery selected;
    selected.endpoint = u"ep-5"_qs;
    QTest::newRow("selected endpoint")
        << selected
        << std::function<bool(const Event &)>([](const Event &e) { return e.endpoint == u"ep-5"; });
    EventQuery kind;
    kind.kinds = {EventKind::TcpInfo};
    QTest::newRow("kind") << kind << std::function<bool(const Event &)>([](const Event &e) {
        return e.kind == EventKind::TcpInfo;
    });
    EventQuery state;
    state.states = {EndpointState::Waiting};
    QTest::newRow("state") << state << std::function<bool(const Event &)>([](const Event &e) {
        return e.state == EndpointState::Waiting;
    });
    EventQuery cause;
    cause.causes = {CauseCode::WsClose};
    QTest::newRow("cause") << cause << std::function<bool(const Event &)>([](const Event &e) {
        return e.cause.code == CauseCode::WsClose;
    });
    EventQuery range;
    range.since = kStart.addMSecs(30'000);
    range.until = kStart.addMSecs(60'000);
    QTest::newRow("time range") << range << std::function<bool(const Event &)>([](const Event &e) {
        const qint64 ms = kStart.msecsTo(e.ts);
        return ms >= 30'000 && ms < 60'000;
    });
    EventQuery both;
    both.endpoints = {u"ep-2"_qs};
    both.states = {EndpointState::Down};
    QTest::newRow("endpoint and state") << both << std::function<bool(const Event &)>([](const Event &e) {
        return e.endpoint == u"ep-2" && e.state == EndpointState::Down;
    });
}

void TestEventLogModel::filtersAreSqlTerms()
{
    QFETCH(EventQuery, filter);
    QFETCH(std::function<bool(const Event &)>, expected);
    QTemporaryDir dir;
    const QList<Event> events = loggedRange(0, 10'000);
    QVERIFY(writeLog(dir.path(), events));
    QList<Event> want;
    for (const Event &e : events) {
        if (expected(e))
            want.append(e);
    }
    QVERIFY(!want.isEmpty());

    HistoryReader reader(dir.path());
    EventLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHistoryReader(&reader);
    QVERIFY(counted(model));
    QCOMPARE(model.rowCount(), events.size());
    model.setFilter(filter);
    QVERIFY(counted(model));
    QCOMPARE(model.rowCount(), want.size());
    for (const int row : {0, int(want.size()) / 2, int(want.size()) - 1}) {
        QVERIFY(loadRow(model, row));
        QCOMPARE(*model.eventAt(row), want.at(row));
    }
    // A live event is held to the same filter: one like the last selected, after the log's end
    // (outside the time range), and one of an endpoint nobody asked for.
    Event live = want.last();
    live.ts = events.last().ts.addMSecs(1);
    Event other = Event::info(u"nobody"_qs, u"not selected"_qs);
    other.ts = live.ts;
    model.appendEvents({other, live});
    QCOMPARE(model.rowCount(), want.size() + (filter.until ? 0 : 1));
}

void TestEventLogModel::liveRowsNotDuplicatedOnceLogged()
{
    QTemporaryDir dir;
    QVERIFY(writeLog(dir.path(), loggedRange(0, 100)));
    HistoryReader reader(dir.path());
    EventLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHistoryReader(&reader);
    QVERIFY(counted(model));
    QCOMPARE(model.rowCount(), 100);

    // The engine publishes five events; the log has not caught up with them yet.
    const QList<Event> live = loggedRange(100, 5);
    model.appendEvents(live);
    QCOMPARE(model.rowCount(), 105);
    QCOMPARE(model.liveRowCount(), 5);

    // It writes three of them; a new count shows each once, the three now as log rows.
    QVERIFY(writeLog(dir.path(), live.mid(0, 3)));
    model.refresh();
    QVERIFY(counted(model));
    QCOMPARE(model.rowCount(), 105);
    QCOMPARE(model.logRowCount(), qint64(103));
    QCOMPARE(model.liveRowCount(), 2);
    for (int row = 100; row < 105; ++row) {
        QVERIFY(loadRow(model, row));
        QCOMPARE(*model.eventAt(row), live.at(row - 100));
    }

    // A batch published after the log has it (the engine writes, then publishes) is not added again,
    // nor is one with the newest logged timestamp; a later one is.
    QVERIFY(writeLog(dir.path(), live.mid(3)));
    model.refresh();
    QVERIFY(counted(model));
    QCOMPARE(model.rowCount(), 105);
    QCOMPARE(model.liveRowCount(), 0);
    model.appendEvents(live.mid(3));
    QCOMPARE(model.rowCount(), 105);
    Event sameMs = Event::info(u"ep-1"_qs, u"same millisecond, not logged yet"_qs);
    sameMs.ts = live.last().ts;
    model.appendEvents({sameMs});
    QCOMPARE(model.rowCount(), 106);
    QCOMPARE(model.eventAt(105)->detail, sameMs.detail);
}

void TestEventLogModel::liveRowsFoldIntoTheLog()
{
    QTemporaryDir dir;
    QVERIFY(writeLog(dir.path(), loggedRange(0, 10)));
    HistoryReader reader(dir.path());
    EventLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHistoryReader(&reader);
    QVERIFY(counted(model));

    // The engine writes each batch before it publishes it; past the fold threshold the model counts
    // again and the live rows become log rows, every event still shown once.
    const int total = EventLogModel::kFoldThreshold + 50;
    const QList<Event> more = loggedRange(10, total);
    for (qsizetype i = 0; i < more.size(); i += 100) {
        const QList<Event> batch = more.mid(i, 100);
        QVERIFY(writeLog(dir.path(), batch));
        model.appendEvents(batch);
    }
    QVERIFY(counted(model));
    QCOMPARE(model.rowCount(), 10 + total);
    QVERIFY(model.liveRowCount() < EventLogModel::kFoldThreshold);
    QVERIFY(model.logRowCount() > 10);
    const int last = model.rowCount() - 1;
    QVERIFY(loadRow(model, last));
    QCOMPARE(*model.eventAt(last), more.last());
}

QTEST_MAIN(TestEventLogModel)
#include "tst_eventlogmodel.moc"
