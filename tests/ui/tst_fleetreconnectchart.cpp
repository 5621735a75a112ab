#include "endpointfilterproxymodel.h"
#include "endpointpanel.h"
#include "eventlog.h"
#include "eventlogmodel.h"
#include "eventlogview.h"
#include "fleetfilter.h"
#include "fleetreconnectchart.h"
#include "historyreader.h"
#include "snapshotbuilder.h"

#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QSignalSpy>
#include <QStackedBarSeries>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolTip>

#include <memory>

using namespace kw;

namespace {
// The chart's "now": the last 15-minute bar of the day range is 18:00-18:15, bar 95.
const QDateTime kNow = QDateTime(QDate(2026, 11, 21), QTime(18, 5), Qt::UTC);
const QDateTime kLastBar = QDateTime(QDate(2026, 11, 21), QTime(18, 0), Qt::UTC);

Event downAt(const QString &endpoint, const QDateTime &ts, const Cause &cause)
{
    Event e = Event::stateChange(endpoint, EndpointState::Down, cause, u"test"_qs);
    e.ts = ts;
    return e;
}

// Bar `index` of the day range starts this long before the last one.
QDateTime barStart(int index)
{
    return kLastBar.addSecs(qint64(index - 95) * 15 * 60);
}
} // namespace

class TestFleetReconnectChart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void countsTheLogByCause();
    void liveEventsAddToTheCurrentBar();
    void liveEventsDuringTheLoadAreNotCountedTwice();
    void clickingABarEmitsItsRange();
    void hoverNamesTheBucket();
    void emptyStateSaysSo();
    void withoutALogCountsLiveOnly();
    void barClickFiltersTheListAndTheLog();
    void rangesChangeTheBars_data();
    void rangesChangeTheBars();

private:
    void writeLog(const QList<Event> &events);
    void load(FleetReconnectChart &chart);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<HistoryReader> m_reader;
};

void TestFleetReconnectChart::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_reader = std::make_unique<HistoryReader>(m_dir->path());
}

void TestFleetReconnectChart::cleanup()
{
    m_reader.reset();
    m_dir.reset();
}

void TestFleetReconnectChart::writeLog(const QList<Event> &events)
{
    QString error;
    std::unique_ptr<EventLog> log = EventLog::open(m_dir->path(), &error);
    QVERIFY2(log, qPrintable(error));
    QVERIFY2(log->append(events, &error), qPrintable(error));
}

void TestFleetReconnectChart::load(FleetReconnectChart &chart)
{
    chart.setClock([] { return kNow; });
    chart.setRange(FleetReconnectChart::Range::Day);
    QSignalSpy loaded(&chart, &FleetReconnectChart::loaded);
    chart.setHistoryReader(m_reader.get());
    QVERIFY(chart.isLoading());
    QTRY_VERIFY(!loaded.isEmpty());
    QVERIFY(!chart.isLoading());
}

void TestFleetReconnectChart::countsTheLogByCause()
{
    writeLog({
        downAt(u"db"_qs, barStart(90).addSecs(10), CauseCode::KeepaliveTimeout),
        downAt(u"cache"_qs, barStart(90).addSecs(20), CauseCode::KeepaliveTimeout),
        downAt(u"db"_qs, barStart(90).addSecs(30), CauseCode::Reset),
        downAt(u"queue"_qs, barStart(10), CauseCode::Refused),
        downAt(u"db"_qs, barStart(95), CauseCode::Stopped),            // the user: not a reconnect
        downAt(u"db"_qs, barStart(0).addSecs(-1), CauseCode::Refused), // a day and a bit ago
    });
    FleetReconnectChart chart;
    load(chart);
    if (QTest::currentTestFailed())
        return;

    QCOMPARE(chart.buckets().size(), 96);
    QCOMPARE(chart.buckets().total(), 4);
    // Most drops at the bottom of the stack, then by name.
    QCOMPARE(chart.causes(), (QStringList{u"keepalive-timeout"_qs, u"refused"_qs, u"reset"_qs}));
    QBarSet *keepalive = chart.barSet(u"keepalive-timeout"_qs);
    QVERIFY(keepalive);
    QCOMPARE(keepalive->count(), 96);
    QCOMPARE(keepalive->at(90), 2.0);
    QCOMPARE(keepalive->at(89), 0.0);
    QCOMPARE(chart.barSet(u"reset"_qs)->at(90), 1.0);
    QCOMPARE(chart.barSet(u"refused"_qs)->at(10), 1.0);
    QCOMPARE(keepalive->label(), u"keepalive-timeout"_qs); // the legend's name
    QCOMPARE(keepalive->color(), FleetReconnectChart::causeColor(u"keepalive-timeout"_qs));
    QVERIFY(keepalive->color() != chart.barSet(u"reset"_qs)->color());
    QCOMPARE(chart.summaryText(), u"4 drops in the last 24 h, on 3 endpoints"_qs);
    QVERIFY(!chart.showsEmptyState());
    QCOMPARE(chart.legendText(), u"keepalive-timeout 2, refused 1, reset 1"_qs);

    auto *axis = qobject_cast<QCategoryAxis *>(chart.chart()->axes(Qt::Horizontal).value(0));
    QVERIFY(axis);
    QVERIFY2(axis->titleText().contains(u"15 minutes"), qPrintable(axis->titleText()));
    // Labels every three hours of local time, never two alike.
    QVERIFY(axis->count() >= 7 && axis->count() <= 8);
}

void TestFleetReconnectChart::liveEventsAddToTheCurrentBar()
{
    writeLog({downAt(u"db"_qs, barStart(95), CauseCode::Reset)});
    FleetReconnectChart chart;
    load(chart);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(chart.barSet(u"reset"_qs)->at(95), 1.0);

    QSignalSpy loaded(&chart, &FleetReconnectChart::loaded);
    Event up = Event::stateChange(u"db"_qs, EndpointState::Up);
    up.ts = kNow;
    chart.appendEvents(
        {downAt(u"db"_qs, kNow, CauseCode::Reset), up, downAt(u"cache"_qs, kNow, CauseCode::Tls)});
    QCOMPARE(chart.barSet(u"reset"_qs)->at(95), 2.0);
    QVERIFY(chart.barSet(u"tls"_qs)); // a cause not seen before gets its bar set
    QCOMPARE(chart.barSet(u"tls"_qs)->at(95), 1.0);
    QCOMPARE(chart.buckets().endpoints(95), (QStringList{u"cache"_qs, u"db"_qs}));
    QCOMPARE(chart.summaryText(), u"3 drops in the last 24 h, on 2 endpoints"_qs);
    QVERIFY(loaded.isEmpty()); // without a reload
    QVERIFY(!chart.isLoading());
}

void TestFleetReconnectChart::liveEventsDuringTheLoadAreNotCountedTwice()
{
    // The engine writes each batch before it publishes it: a drop that arrives live while the log
    // is read may be in what was read, or not yet.
    const Event inLog = downAt(u"db"_qs, kNow.addSecs(-60), CauseCode::Reset);
    writeLog({inLog});
    FleetReconnectChart chart;
    chart.setClock([] { return kNow; });
    chart.setRange(FleetReconnectChart::Range::Day);
    QSignalSpy loaded(&chart, &FleetReconnectChart::loaded);
    chart.setHistoryReader(m_reader.get());
    QVERIFY(chart.isLoading()); // delivered through the event loop, not before this returns
    chart.appendEvents({inLog, downAt(u"db"_qs, kNow, CauseCode::Reset)});
    QTRY_VERIFY(!loaded.isEmpty());
    QCOMPARE(chart.barSet(u"reset"_qs)->at(95), 2.0);
    QCOMPARE(chart.buckets().total(), 2);
}

void TestFleetReconnectChart::clickingABarEmitsItsRange()
{
    writeLog({
        downAt(u"db"_qs, barStart(93).addSecs(10), CauseCode::KeepaliveTimeout),
        downAt(u"cache"_qs, barStart(93).addSecs(20), CauseCode::KeepaliveTimeout),
        downAt(u"queue"_qs, barStart(93).addSecs(30), CauseCode::KeepaliveTimeout),
        downAt(u"web"_qs, barStart(93).addSecs(40), CauseCode::Reset),
        downAt(u"web"_qs, barStart(40), CauseCode::Reset),
    });
    FleetReconnectChart chart;
    chart.resize(1000, 420);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    load(chart);
    QCOMPARE(chart.causes(), (QStringList{u"keepalive-timeout"_qs, u"reset"_qs}));
    QVERIFY(chart.view()->isVisible());
    QApplication::processEvents();

    QSignalSpy activated(&chart, &FleetReconnectChart::bucketActivated);
    const auto clickAt = [&](int index, qreal value) {
        auto *series = qobject_cast<QStackedBarSeries *>(chart.chart()->series().value(0));
        QVERIFY(series);
        const QPointF inChart = chart.chart()->mapToPosition(QPointF(index, value), series);
        const QPoint inViewport = chart.view()->mapFromScene(chart.chart()->mapToScene(inChart));
        QTest::mouseClick(chart.view()->viewport(), Qt::LeftButton, {}, inViewport);
    };
    // Keepalive timeouts are the lower part of bar 93 (0..3), the reset the part above (3..4).
    clickAt(93, 1.5);
    QTRY_COMPARE(activated.size(), 1);
    QList<QVariant> args = activated.takeFirst();
    QCOMPARE(args.at(0).toDateTime(), barStart(93));
    QCOMPARE(args.at(1).toDateTime(), barStart(94));
    QCOMPARE(args.at(2).toString(), u"keepalive-timeout"_qs);
    QCOMPARE(args.at(3).toStringList(), (QStringList{u"cache"_qs, u"db"_qs, u"queue"_qs}));

    clickAt(93, 3.5);
    QTRY_COMPARE(activated.size(), 1);
    args = activated.takeFirst();
    QCOMPARE(args.at(0).toDateTime(), barStart(93));
    QCOMPARE(args.at(2).toString(), u"reset"_qs);
    QCOMPARE(args.at(3).toStringList(), QStringList{u"web"_qs});

    clickAt(40, 0.5);
    QTRY_COMPARE(activated.size(), 1);
    args = activated.takeFirst();
    QCOMPARE(args.at(0).toDateTime(), barStart(40));
    QCOMPARE(args.at(1).toDateTime(), barStart(41));
    QCOMPARE(args.at(2).toString(), u"reset"_qs);

    // Between bars nothing is activated.
    clickAt(60, 0.5);
    QTest::qWait(50);
    QCOMPARE(activated.size(), 0);

    // For a person to look at: the chart with a bar pointed at, light and dark, in the build tree.
    Q_EMIT chart.barSet(u"keepalive-timeout"_qs)->hovered(true, 93);
    QToolTip::hideText();
    const QString dir = QStringLiteral(KW_TEST_OUTPUT_DIR);
    QVERIFY(chart.grab().save(dir + u"/fleet-reconnects-light.png"_qs));
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
    chart.setPalette(dark);
    QVERIFY(chart.grab().save(dir + u"/fleet-reconnects-dark.png"_qs));
}

void TestFleetReconnectChart::hoverNamesTheBucket()
{
    QList<Event> events;
    for (int i = 0; i < 9; ++i)
        events.append(downAt(u"node-%1"_qs.arg(i), barStart(95).addSecs(i), CauseCode::KeepaliveTimeout));
    for (int i = 0; i < 3; ++i)
        events.append(downAt(u"edge-%1"_qs.arg(i), barStart(95).addSecs(20 + i), CauseCode::Reset));
    writeLog(events);
    FleetReconnectChart chart;
    load(chart);
    if (QTest::currentTestFailed())
        return;

    const QString from = barStart(95).toLocalTime().toString(u"HH:mm"_qs);
    const QString to = barStart(96).toLocalTime().toString(u"HH:mm"_qs);
    const QString text = chart.bucketText(95);
    QCOMPARE(text.section(u'\n', 0, 0), u"%1–%2: 12 drops — 9 keepalive-timeout, 3 reset"_qs.arg(from, to));
    QCOMPARE(text.section(u'\n', 1), u"edge-0, edge-1, edge-2, node-0, node-1, node-2 and 6 more"_qs);
    QCOMPARE(chart.bucketText(3).section(u'\n', 0, 0),
             u"%1–%2: no drops"_qs.arg(barStart(3).toLocalTime().toString(u"HH:mm"_qs),
                                       barStart(4).toLocalTime().toString(u"HH:mm"_qs)));

    auto *hover = chart.findChild<QLabel *>(u"fleetReconnectHover"_qs);
    QVERIFY(hover);
    QVERIFY(hover->text().startsWith(u"Point at a bar"));
    Q_EMIT chart.barSet(u"reset"_qs)->hovered(true, 95);
    QCOMPARE(hover->text(), text);
    Q_EMIT chart.barSet(u"reset"_qs)->hovered(false, 95);
    QVERIFY(hover->text().startsWith(u"Point at a bar"));
}

void TestFleetReconnectChart::emptyStateSaysSo()
{
    writeLog({downAt(u"db"_qs, barStart(50), CauseCode::Stopped)});
    FleetReconnectChart chart;
    load(chart);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(chart.showsEmptyState());
    QCOMPARE(chart.summaryText(), u"No drops in the last 24 h"_qs);
    auto *empty = chart.findChild<QLabel *>(u"fleetReconnectEmpty"_qs);
    QVERIFY(empty);
    QCOMPARE(empty->text(), u"No drops in the last 24 h"_qs);
    QCOMPARE(chart.findChild<QStackedWidget *>(u"fleetReconnectStack"_qs)->currentWidget(), empty);

    chart.appendEvents({downAt(u"db"_qs, kNow, CauseCode::Refused)});
    QVERIFY(!chart.showsEmptyState());
    QCOMPARE(chart.findChild<QStackedWidget *>(u"fleetReconnectStack"_qs)->currentWidget(),
             static_cast<QWidget *>(chart.view()));
}

void TestFleetReconnectChart::withoutALogCountsLiveOnly()
{
    HistoryReader none{QString()};
    FleetReconnectChart chart;
    QCOMPARE(chart.range(), FleetReconnectChart::Range::Hour); // per minute unless asked otherwise
    chart.setClock([] { return kNow; });
    chart.setRange(FleetReconnectChart::Range::Day);
    QSignalSpy loaded(&chart, &FleetReconnectChart::loaded);
    chart.setHistoryReader(&none);
    QCOMPARE(loaded.size(), 1);
    QVERIFY(!chart.isLoading());
    QCOMPARE(chart.summaryText(), u"No drops since the window opened"_qs);
    chart.appendEvents({downAt(u"db"_qs, kNow, CauseCode::Refused)});
    QCOMPARE(chart.barSet(u"refused"_qs)->at(95), 1.0);
    QCOMPARE(chart.summaryText(), u"1 drop in the last 24 h, on 1 endpoint (live only: no event log)"_qs);

    // Narrow: the line ends in an ellipsis, the tooltip has all of it.
    chart.resize(480, 300);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    auto *summary = chart.findChild<QLabel *>(u"fleetReconnectSummary"_qs);
    QVERIFY(summary);
    QCOMPARE(summary->toolTip(), chart.summaryText());
    QVERIFY2(summary->text().endsWith(QChar(0x2026)), qPrintable(summary->text()));
    QVERIFY(summary->fontMetrics().horizontalAdvance(summary->text()) <= summary->width());
}

void TestFleetReconnectChart::barClickFiltersTheListAndTheLog()
{
    FleetReconnectChart chart;
    EndpointPanel list;
    EventLogView log;
    auto *filter = new FleetFilter(&chart, &list, &log);
    list.applySnapshot(
        test::snapshotOf({test::endpoint(u"db"_qs), test::endpoint(u"cache"_qs), test::endpoint(u"web"_qs)}));
    QCOMPARE(list.proxy()->rowCount(), 3);
    const EventQuery own = log.model()->filter();

    Q_EMIT chart.bucketActivated(barStart(93), barStart(94), u"keepalive-timeout"_qs,
                                 {u"cache"_qs, u"db"_qs});
    QVERIFY(filter->isActive());
    QCOMPARE(list.proxy()->rowCount(), 2);
    QCOMPARE(list.proxy()->nameFilter(), (QSet<QString>{u"cache"_qs, u"db"_qs}));
    QVERIFY2(list.proxy()->nameFilterLabel().contains(u"with keepalive-timeout"),
             qPrintable(list.proxy()->nameFilterLabel()));
    const EventQuery narrowed = log.model()->filter();
    QCOMPARE(narrowed.since, std::optional<QDateTime>(barStart(93)));
    QCOMPARE(narrowed.until, std::optional<QDateTime>(barStart(94)));
    QCOMPARE(narrowed.endpoints, (QStringList{u"cache"_qs, u"db"_qs}));

    // Clear on the list's chip: the log's own filter is back.
    list.clearNameFilter();
    QVERIFY(!filter->isActive());
    QCOMPARE(list.proxy()->rowCount(), 3);
    QCOMPARE(log.model()->filter().since, own.since);
    QCOMPARE(log.model()->filter().until, own.until);
    QCOMPARE(log.model()->filter().endpoints, own.endpoints);
}

void TestFleetReconnectChart::rangesChangeTheBars_data()
{
    QTest::addColumn<FleetReconnectChart::Range>("range");
    QTest::addColumn<int>("bars");
    QTest::addColumn<int>("minutes");
    QTest::addColumn<QString>("title");
    QTest::addColumn<int>("droppedBars"); // bars holding the two drops below
    QTest::newRow("1 h") << FleetReconnectChart::Range::Hour << 60 << 1 << u"per minute"_qs << 1;
    QTest::newRow("24 h") << FleetReconnectChart::Range::Day << 96 << 15 << u"per 15 minutes"_qs << 2;
    QTest::newRow("7 d") << FleetReconnectChart::Range::Week << 168 << 60 << u"per hour"_qs << 2;
}

void TestFleetReconnectChart::rangesChangeTheBars()
{
    QFETCH(FleetReconnectChart::Range, range);
    QFETCH(int, bars);
    QFETCH(int, minutes);
    QFETCH(QString, title);
    QFETCH(int, droppedBars);
    // One drop 2 minutes ago, one 3 hours ago: the hour shows only the first.
    writeLog({downAt(u"db"_qs, kNow.addSecs(-120), CauseCode::Reset),
              downAt(u"db"_qs, kNow.addSecs(-3 * 3600), CauseCode::Reset)});
    FleetReconnectChart chart;
    load(chart);
    if (QTest::currentTestFailed())
        return;
    QSignalSpy loaded(&chart, &FleetReconnectChart::loaded);
    chart.setRange(range);
    QTRY_VERIFY(!loaded.isEmpty());
    QCOMPARE(chart.buckets().size(), bars);
    QCOMPARE(chart.buckets().width(), std::chrono::minutes(minutes));
    QCOMPARE(chart.barSet(u"reset"_qs)->count(), bars);
    int withDrops = 0;
    for (int i = 0; i < bars; ++i)
        withDrops += chart.buckets().total(i) > 0 ? 1 : 0;
    QCOMPARE(withDrops, droppedBars);
    auto *axis = qobject_cast<QCategoryAxis *>(chart.chart()->axes(Qt::Horizontal).value(0));
    QVERIFY2(axis->titleText().contains(title), qPrintable(axis->titleText()));
    QVERIFY(axis->count() > 0);
    QVERIFY(chart.summaryText().contains(FleetReconnectChart::rangeText(range)));
}

QTEST_MAIN(TestFleetReconnectChart)
#include "tst_fleetreconnectchart.moc"
