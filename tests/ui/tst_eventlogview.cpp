#include "eventlog.h"
#include "eventlogmodel.h"
#include "eventlogview.h"
#include "eventtostring.h"
#include "historyreader.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace kw;

namespace {
const QDateTime kStart = QDateTime(QDate(2026, 11, 21), QTime(18, 0), Qt::UTC);

// Ten state changes between RTT samples, over three endpoints.
QList<Event> history(int count)
{
    QList<Event> events;
    for (int i = 0; i < count; ++i) {
        Event e;
        const QString endpoint = QStringList{u"db"_qs, u"cache"_qs, u"web"_qs}.at(i % 3);
        if (i % 10 == 0)
            e = Event::stateChange(endpoint, i % 20 ? EndpointState::Down : EndpointState::Up,
                                   i % 20 ? Cause(CauseCode::PeerClosed) : Cause(),
                                   u"n"_qs + QString::number(i));
        else
            e = Event::rtt(endpoint, i / 4.0, u"heartbeat"_qs);
        e.ts = kStart.addMSecs(qint64(i) * 100);
        events.append(e);
    }
    return events;
}

bool settle(EventLogView &view)
{
    return QTest::qWaitFor([&] { return !view.model()->isCounting(); }, 10'000);
}
} // namespace

class TestEventLogView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }
    void opensAtTheNewestRows();
    void filterControlsQueryTheLog();
    void copiesSelectedRows();
    void copiesRowsNotReadYet();
    void liveOnlyWithoutLog();
};

void TestEventLogView::opensAtTheNewestRows()
{
    QTemporaryDir dir;
    const QList<Event> events = history(5000);
    {
        QString error;
        auto log = EventLog::open(dir.path(), &error);
        QVERIFY2(log && log->append(events, &error), qPrintable(error));
    }
    HistoryReader reader(dir.path());
    EventLogView view;
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.resize(900, 400);
    view.setHistoryReader(&reader);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(settle(view));
    QCOMPARE(view.visibleCount(), 5000);
    // Scrolled to the end, and the rows there are real rows, not placeholders.
    QScrollBar *bar = view.table()->verticalScrollBar();
    QTRY_COMPARE(bar->value(), bar->maximum());
    const QModelIndex bottom = view.table()->indexAt(QPoint(5, view.table()->viewport()->height() - 5));
    QVERIFY(bottom.isValid());
    QTRY_VERIFY(view.model()->isRowLoaded(bottom.row()));
    QCOMPARE(view.model()->eventAt(4999)->ts, events.last().ts);

    // Scrolling to the top reads the first page.
    view.table()->scrollToTop();
    QTRY_VERIFY(view.model()->isRowLoaded(0));
    QCOMPARE(*view.model()->eventAt(0), events.first());
    // Someone reading the oldest rows is not pulled down by new ones, nor by a resize.
    Event early = Event::info(u"db"_qs, u"while reading"_qs);
    early.ts = events.last().ts.addMSecs(500);
    view.appendEvents({early});
    view.resize(900, 350);
    QCoreApplication::processEvents();
    QCOMPARE(bar->value(), 0);
    // Live events append under the last logged row and keep the view at the end.
    view.table()->scrollToBottom();
    Event live = Event::stateChange(u"db"_qs, EndpointState::Down, Cause(CauseCode::Reset));
    live.ts = events.last().ts.addSecs(1);
    view.appendEvents({live});
    QCOMPARE(view.visibleCount(), 5002);
    QTRY_COMPARE(bar->value(), bar->maximum());
    view.resize(900, 250);
    QTRY_COMPARE(bar->value(), bar->maximum());
}

void TestEventLogView::filterControlsQueryTheLog()
{
    QTemporaryDir dir;
    const QList<Event> events = history(3000);
    {
        QString error;
        auto log = EventLog::open(dir.path(), &error);
        QVERIFY2(log && log->append(events, &error), qPrintable(error));
    }
    const auto expected = [&events](const std::function<bool(const Event &)> &keep) {
        return int(std::count_if(events.cbegin(), events.cend(), keep));
    };
    HistoryReader reader(dir.path());
    EventLogView view;
    view.setHistoryReader(&reader);
    QVERIFY(settle(view));
    QCOMPARE(view.visibleCount(), 3000);

    auto *rtt = view.findChild<QCheckBox *>(u"eventLogShowRtt"_qs);
    rtt->click();
    QVERIFY(settle(view));
    QCOMPARE(view.visibleCount(), expected([](const Event &e) { return e.kind == EventKind::State; }));
    rtt->click();

    auto *state = view.findChild<QComboBox *>(u"eventLogStateFilter"_qs);
    state->setCurrentIndex(state->findText(u"down"_qs));
    QVERIFY(settle(view));
    QCOMPARE(view.visibleCount(), expected([](const Event &e) { return e.state == EndpointState::Down; }));

    auto *cause = view.findChild<QComboBox *>(u"eventLogCauseFilter"_qs);
    cause->setCurrentIndex(cause->findText(u"peer-closed"_qs));
    QVERIFY(settle(view));
    QCOMPARE(view.visibleCount(),
             expected([](const Event &e) { return e.cause.code == CauseCode::PeerClosed; }));
    cause->setCurrentIndex(cause->findText(u"reset"_qs));
    QVERIFY(settle(view));
    QCOMPARE(view.visibleCount(), 0);
    cause->setCurrentIndex(0);
    state->setCurrentIndex(0);

    auto *endpoint = view.findChild<QLineEdit *>(u"eventLogEndpointFilter"_qs);
    QTest::keyClicks(endpoint, u"cache"_qs);
    QTest::keyClick(endpoint, Qt::Key_Return);
    QVERIFY(settle(view));
    QCOMPARE(view.visibleCount(), expected([](const Event &e) { return e.endpoint == u"cache"; }));
    endpoint->clear();
    QTest::keyClick(endpoint, Qt::Key_Return);

    auto *kind = view.findChild<QComboBox *>(u"eventLogKindFilter"_qs);
    kind->setCurrentIndex(kind->findText(u"state"_qs));
    QVERIFY(settle(view));
    QCOMPARE(view.visibleCount(), expected([](const Event &e) { return e.kind == EventKind::State; }));
    kind->setCurrentIndex(0);

    view.setSelectedEndpoint(u"web"_qs);
    view.setOnlySelected(true);
    QVERIFY(settle(view));
    QCOMPARE(view.visibleCount(), expected([](const Event &e) { return e.endpoint == u"web"; }));
    view.setOnlySelected(false);

    // The log's events are from 2026-11-21, long before "the last hour" of whenever this runs.
    auto *range = view.findChild<QComboBox *>(u"eventLogRangeFilter"_qs);
    range->setCurrentIndex(2);
    QVERIFY(settle(view));
    QCOMPARE(view.visibleCount(), 0);
    QVERIFY(view.query().since.has_value());
    range->setCurrentIndex(0);
    QVERIFY(settle(view));
    QCOMPARE(view.visibleCount(), 3000);
}

void TestEventLogView::copiesSelectedRows()
{
    EventLogView view;
    QList<Event> events = history(4);
    events[2].detail = u"tab\there"_qs;
    events[2].rttMs.reset();
    events[2].kind = EventKind::Info;
    view.appendEvents(events);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QItemSelectionModel *selection = view.table()->selectionModel();
    selection->select(view.model()->index(2, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    selection->select(view.model()->index(0, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);

    const QString time0 = EventLogModel::timeText(events[0].ts);
    const QString time2 = EventLogModel::timeText(events[2].ts);
    QVERIFY(time0.startsWith(u"2026-11-21 "));
    const QString expected =
        time0 + u"\tdb\tstate\tup\t\tn0\n"_qs + time2 + u"\tweb\tinfo\t\t\ttab here\n"_qs;
    QCOMPARE(EventLogView::rowsText({events[0], events[2]}), expected);

    QApplication::clipboard()->clear();
    QSignalSpy copied(&view, &EventLogView::copied);
    view.table()->setFocus();
    QTest::keyClick(view.table(), Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(copied.size(), 1);
    QCOMPARE(copied.first().at(0).toString(), expected);
    QCOMPARE(QApplication::clipboard()->text(), expected);
}

// Rows selected far from anything read yet are read for the copy, not copied as "…".
void TestEventLogView::copiesRowsNotReadYet()
{
    QTemporaryDir dir;
    const QList<Event> events = history(5000);
    {
        QString error;
        auto log = EventLog::open(dir.path(), &error);
        QVERIFY2(log && log->append(events, &error), qPrintable(error));
    }
    HistoryReader reader(dir.path());
    EventLogView view;
    view.setHistoryReader(&reader);
    QVERIFY(settle(view));
    QVERIFY(!view.model()->isRowLoaded(1));
    QItemSelectionModel *selection = view.table()->selectionModel();
    const QItemSelection rows(view.model()->index(1, 0), view.model()->index(3, 0));
    selection->select(rows, QItemSelectionModel::Select | QItemSelectionModel::Rows);
    selection->select(view.model()->index(4999, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QSignalSpy copied(&view, &EventLogView::copied);
    view.copySelectedRows();
    QTRY_COMPARE(copied.size(), 1);
    QCOMPARE(copied.first().at(0).toString(),
             EventLogView::rowsText({events.at(1), events.at(2), events.at(3), events.at(4999)}));
    QVERIFY(!copied.first().at(0).toString().contains(u"…"));
}

void TestEventLogView::liveOnlyWithoutLog()
{
    HistoryReader reader{QString()};
    EventLogView view;
    view.setHistoryReader(&reader);
    view.appendEvents(history(30));
    QCOMPARE(view.visibleCount(), 30);
    auto *state = view.findChild<QComboBox *>(u"eventLogStateFilter"_qs);
    state->setCurrentIndex(state->findText(u"down"_qs));
    QCOMPARE(view.visibleCount(), 1); // rows 10 (down), 0 and 20 (up)
    QCOMPARE(view.model()->eventAt(0)->detail, u"n10"_qs);
}

QTEST_MAIN(TestEventLogView)
#include "tst_eventlogview.moc"
