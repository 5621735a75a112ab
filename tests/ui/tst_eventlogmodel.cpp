#include "eventexport.h"
#include "eventlogmodel.h"
#include "eventlogview.h"
#include "eventtostring.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QCheckBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace kw;

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
    void exportWritesVisibleRows_data();
    void exportWritesVisibleRows();
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
    QCOMPARE(model.eventAt(4).detail, u"4"_qs);
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
             kStart.toLocalTime().toString(u"HH:mm:ss.zzz"_qs));
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
    QCOMPARE(model.eventAt(0).detail, QString::number(firstKept));
    QCOMPARE(model.eventAt(rows - 1).detail, QString::number(next - 1)); // newest always kept
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
    QCOMPARE(model.eventAt(0).detail, u"6"_qs);
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
    const QList<Event> visible = view.visibleEvents();
    QCOMPARE(visible.first().detail, u"3"_qs);
    QCOMPARE(visible.last().detail, u"8"_qs);

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
    QCOMPARE(view.visibleEvents().first().state, EndpointState::Down);

    // Both filters at once.
    view.setSelectedEndpoint(u"cache"_qs);
    view.setOnlySelected(true);
    QCOMPARE(view.visibleCount(), 1);
    QCOMPARE(view.visibleEvents().first().endpoint, u"cache"_qs);
    // Samples arriving while hidden stay hidden.
    view.appendEvents(numbered(10, 3, u"cache"_qs));
    QCOMPARE(view.visibleCount(), 1);
    view.setShowRtt(true);
    QCOMPARE(view.visibleCount(), 4);
}

void TestEventLogModel::exportWritesVisibleRows_data()
{
    QTest::addColumn<bool>("csv");
    QTest::newRow("csv") << true;
    QTest::newRow("jsonl") << false;
}

void TestEventLogModel::exportWritesVisibleRows()
{
    QFETCH(bool, csv);
    QList<Event> events = numbered(0, 2, u"db"_qs);
    Event tricky =
        Event::stateChange(u"a,\"b\""_qs, EndpointState::Down, CauseCode::Reset, u"line one\nline two ü"_qs);
    tricky.ts = kStart.addSecs(5);
    events.append(tricky);

    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QString error;
    QVERIFY2(writeEvents(events, csv ? ExportFormat::Csv : ExportFormat::Jsonl, buffer, &error),
             qPrintable(error));
    const QByteArray bytes = buffer.data();
    if (csv) {
        QVERIFY(bytes.startsWith(csvHeader()));
        QVERIFY(bytes.contains("\"a,\"\"b\"\"\""));
        QVERIFY(bytes.contains("\"line one\nline two \xc3\xbc\""));
        QVERIFY(bytes.endsWith("\r\n"));
    } else {
        const QList<QByteArray> lines = bytes.trimmed().split('\n');
        QCOMPARE(lines.size(), events.size());
        for (int i = 0; i < lines.size(); ++i) {
            const auto parsed = Event::fromJson(QJsonDocument::fromJson(lines.at(i)).object());
            QVERIFY(parsed);
            QCOMPARE(parsed->endpoint, events.at(i).endpoint);
            QCOMPARE(parsed->detail, events.at(i).detail);
            QCOMPARE(parsed->ts, events.at(i).ts);
        }
    }

    // A device that refuses writes is an error in words, not a silent loss.
    QBuffer closed;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"device not open"_qs));
    QVERIFY(!writeEvents(events, ExportFormat::Jsonl, closed, &error));
    QVERIFY(error.contains(u"Could not write"));
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

QTEST_MAIN(TestEventLogModel)
#include "tst_eventlogmodel.moc"
