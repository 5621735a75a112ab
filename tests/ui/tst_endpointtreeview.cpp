// EndpointTreeView clips a many-row dataChanged to the rows in view: it must repaint exactly what
// QTreeView repaints for the same change, in a flat list and under groups, scrolled or not.

#include "endpointtreeview.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QPaintEvent>
#include <QRegion>
#include <QScrollBar>
#include <QTest>
#include <QTreeView>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

// Rows of text, flat or under two groups, whose cells can be said to change without changing.
class RowsModel final : public QAbstractItemModel
{
public:
    RowsModel(int rows, bool grouped) : m_rows(rows), m_grouped(grouped) {}

    void touch(int first, int last, int group = -1)
    {
        const QModelIndex parent = group < 0 ? QModelIndex() : index(group, 0);
        ++m_generation;
        Q_EMIT dataChanged(index(first, 0, parent), index(last, kColumns - 1, parent), {Qt::DisplayRole});
    }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override
    {
        if (!hasIndex(row, column, parent))
            return {};
        // internalId 0: a top-level row; g + 1: a row of group g.
        return createIndex(row, column, parent.isValid() ? quintptr(parent.row() + 1) : quintptr(0));
    }
    QModelIndex parent(const QModelIndex &child) const override
    {
        if (!child.isValid() || child.internalId() == 0)
            return {};
        return createIndex(int(child.internalId() - 1), 0, quintptr(0));
    }
    int rowCount(const QModelIndex &parent = {}) const override
    {
        if (!m_grouped)
            return parent.isValid() ? 0 : m_rows;
        if (!parent.isValid())
            return 2;
        return parent.internalId() == 0 && parent.column() == 0 ? m_rows : 0;
    }
    int columnCount(const QModelIndex & = {}) const override { return kColumns; }
    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role != Qt::DisplayRole)
            return {};
        return u"r%1 c%2 g%3"_s.arg(index.row()).arg(index.column()).arg(m_generation);
    }

private:
    static constexpr int kColumns = 3;
    int m_rows;
    bool m_grouped;
    int m_generation = 0;
};

// The region a viewport was asked to repaint, from its paint events.
class PaintRecorder final : public QObject
{
public:
    QRegion region;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            region += static_cast<QPaintEvent *>(event)->region();
        return QObject::eventFilter(watched, event);
    }
};

struct Pair
{
    RowsModel model;
    kw::EndpointTreeView clipped;
    QTreeView plain;
    PaintRecorder clippedPaints;
    PaintRecorder plainPaints;

    Pair(int rows, bool grouped) : model(rows, grouped)
    {
        for (QTreeView *view : {static_cast<QTreeView *>(&clipped), &plain}) {
            view->setModel(&model);
            view->setUniformRowHeights(true);
            view->resize(400, 300);
            view->expandAll();
            view->show();
        }
        clipped.viewport()->installEventFilter(&clippedPaints);
        plain.viewport()->installEventFilter(&plainPaints);
    }

    bool exposed() { return QTest::qWaitForWindowExposed(&clipped) && QTest::qWaitForWindowExposed(&plain); }

    void scrollTo(int value)
    {
        clipped.verticalScrollBar()->setValue(value);
        plain.verticalScrollBar()->setValue(value);
    }

    // Paints what is pending, then forgets it.
    void settle()
    {
        for (int i = 0; i < 3; ++i) {
            clipped.viewport()->repaint();
            plain.viewport()->repaint();
            QApplication::processEvents();
        }
        clippedPaints.region = {};
        plainPaints.region = {};
    }
};

} // namespace

class TestEndpointTreeView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void repaintsWhatQTreeViewRepaints_data();
    void repaintsWhatQTreeViewRepaints();
    void passesOnOnlyTheRowsInView();
    void collapsedGroupRepaintsNothing();
};

void TestEndpointTreeView::repaintsWhatQTreeViewRepaints_data()
{
    QTest::addColumn<bool>("grouped");
    QTest::addColumn<int>("scroll"); // the vertical scroll bar's value (rows, or pixels per item)
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("last");
    QTest::addColumn<int>("group"); // -1: top level
    QTest::addColumn<bool>("visible");

    QTest::newRow("flat, every row, at the top") << false << 0 << 0 << 1999 << -1 << true;
    QTest::newRow("flat, every row, scrolled") << false << 900 << 0 << 1999 << -1 << true;
    QTest::newRow("flat, from above into the view") << false << 900 << 100 << 905 << -1 << true;
    QTest::newRow("flat, from the view on down") << false << 900 << 903 << 1500 << -1 << true;
    QTest::newRow("flat, within the view") << false << 900 << 901 << 915 << -1 << true;
    QTest::newRow("flat, above the view") << false << 900 << 10 << 800 << -1 << false;
    QTest::newRow("flat, below the view") << false << 0 << 100 << 1999 << -1 << false;
    QTest::newRow("flat, short range") << false << 0 << 2 << 5 << -1 << true;
    QTest::newRow("grouped, second group, at the top") << true << 0 << 0 << 1999 << 1 << false;
    QTest::newRow("grouped, first group, at the top") << true << 0 << 0 << 1999 << 0 << true;
    QTest::newRow("grouped, second group, scrolled to it") << true << 2005 << 0 << 1999 << 1 << true;
    QTest::newRow("grouped, first group's end, scrolled") << true << 1990 << 1000 << 1999 << 0 << true;
}

void TestEndpointTreeView::repaintsWhatQTreeViewRepaints()
{
    QFETCH(bool, grouped);
    QFETCH(int, scroll);
    QFETCH(int, first);
    QFETCH(int, last);
    QFETCH(int, group);
    QFETCH(bool, visible);

    Pair pair(2000, grouped);
    QVERIFY(pair.exposed());
    pair.scrollTo(scroll);
    pair.settle();
    pair.model.touch(first, last, group);
    if (visible) {
        QTRY_VERIFY(!pair.plainPaints.region.isEmpty());
        QTRY_VERIFY(!pair.clippedPaints.region.isEmpty());
    }
    for (int i = 0; i < 3; ++i)
        QApplication::processEvents();
    QCOMPARE(pair.clippedPaints.region, pair.plainPaints.region);
    QCOMPARE(pair.plainPaints.region.isEmpty(), !visible);
}

void TestEndpointTreeView::passesOnOnlyTheRowsInView()
{
    Pair pair(2000, false);
    QVERIFY(pair.exposed());
    pair.scrollTo(900);
    pair.settle();
    const QModelIndex top = pair.clipped.indexAt(QPoint(1, 0));
    const QModelIndex bottom = pair.clipped.indexAt(QPoint(1, pair.clipped.viewport()->height() - 1));
    QVERIFY(top.isValid());
    QVERIFY(bottom.isValid());
    pair.model.touch(0, 1999);
    const auto [from, to] = pair.clipped.lastPassedRows();
    QCOMPARE(from, top.row());
    QCOMPARE(to, bottom.row());
}

void TestEndpointTreeView::collapsedGroupRepaintsNothing()
{
    Pair pair(2000, true);
    QVERIFY(pair.exposed());
    pair.clipped.collapse(pair.model.index(0, 0));
    pair.plain.collapse(pair.model.index(0, 0));
    pair.settle();
    pair.model.touch(0, 1999, 0);
    for (int i = 0; i < 3; ++i)
        QApplication::processEvents();
    QCOMPARE(pair.clippedPaints.region, pair.plainPaints.region);
    QCOMPARE(pair.clipped.lastPassedRows().first, 0); // row 0 alone, which QTreeView sizes rows by
    QCOMPARE(pair.clipped.lastPassedRows().second, 0);
}

QTEST_MAIN(TestEndpointTreeView)
#include "tst_endpointtreeview.moc"
