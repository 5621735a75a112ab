// The endpoint list's delegates and their caches. CachedTextDelegate against QStyledItemDelegate: the
// same pixels for every cell state, and never a stale text or a stale elision when a cell's text or
// width changes. StateStripDelegate's kept pictures against drawing the strip directly.
#include "cachedtextdelegate.h"
#include "endpointtablemodel.h"
#include "statestripdelegate.h"

#include <QApplication>
#include <QHeaderView>
#include <QImage>
#include <QPainter>
#include <QPixmap>
#include <QStandardItemModel>
#include <QStyle>
#include <QTest>
#include <QTreeView>

#include <algorithm>
#include <cstdlib>
#include <memory>

using namespace kw;

namespace {
QIcon dot()
{
    QPixmap pixmap(12, 12);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setBrush(QColor(0xd0, 0x30, 0x30));
    painter.setPen(Qt::NoPen);
    painter.drawEllipse(1, 1, 10, 10);
    return QIcon(pixmap);
}

// One cell painted by `delegate` into an image of the cell's size.
QImage paintCell(const QAbstractItemDelegate &delegate, const QTreeView &view, const QModelIndex &index,
                 QSize size, QStyle::State state)
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QStyleOptionViewItem option;
    option.initFrom(&view);
    option.widget = &view;
    option.rect = QRect(QPoint(0, 0), size);
    option.state = state;
    option.showDecorationSelected = true;
    option.decorationSize = QSize(16, 16);
    option.textElideMode = Qt::ElideRight;
    QPainter painter(&image);
    delegate.paint(&painter, option, index);
    return image;
}

// The largest difference of one colour channel between two images of one size.
int maxChannelDifference(const QImage &a, const QImage &b)
{
    int worst = 0;
    for (int y = 0; y < a.height(); ++y) {
        for (int x = 0; x < a.width(); ++x) {
            const QRgb p = a.pixel(x, y);
            const QRgb q = b.pixel(x, y);
            worst = std::max({worst, std::abs(qRed(p) - qRed(q)), std::abs(qGreen(p) - qGreen(q)),
                              std::abs(qBlue(p) - qBlue(q)), std::abs(qAlpha(p) - qAlpha(q))});
        }
    }
    return worst;
}

QImage grabViewport(QTreeView &view)
{
    return view.viewport()->grab().toImage().convertToFormat(QImage::Format_ARGB32_Premultiplied);
}
} // namespace

class TestCachedTextDelegate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void samePixelsAsTheStyle_data();
    void samePixelsAsTheStyle();
    void editedCellShowsItsNewText();
    void narrowerColumnElidesAgain();
    void otherStylesArePaintedByTheStyle();
    void stripPictureIsTheDrawnStrip();

private:
    // Two views of one model: one through CachedTextDelegate, one through QStyledItemDelegate.
    void makeViews();

    std::unique_ptr<QStandardItemModel> m_model;
    std::unique_ptr<QTreeView> m_cachedView;
    std::unique_ptr<QTreeView> m_styleView;
    CachedTextDelegate *m_delegate = nullptr;
};

void TestCachedTextDelegate::initTestCase()
{
    QVERIFY(QApplication::setStyle(QStringLiteral("Fusion")));
    QVERIFY(CachedTextDelegate::canCache(QApplication::style()));
}

void TestCachedTextDelegate::samePixelsAsTheStyle_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("width");
    QTest::addColumn<bool>("icon");
    QTest::addColumn<bool>("bold");
    QTest::addColumn<int>("alignment");
    QTest::addColumn<int>("state");

    const int enabled = int(QStyle::State_Enabled | QStyle::State_Active);
    const int left = int(Qt::AlignLeft | Qt::AlignVCenter);
    const int right = int(Qt::AlignRight | Qt::AlignVCenter);
    const QString longText = QStringLiteral("connection reset by peer while reading the heartbeat reply");
    QTest::newRow("plain") << QStringLiteral("ep-00042") << 120 << false << false << left << enabled;
    QTest::newRow("elided") << longText << 140 << false << false << left << enabled;
    QTest::newRow("right-aligned number")
        << QStringLiteral("12.34") << 80 << false << false << right << enabled;
    QTest::newRow("icon and text") << QStringLiteral("Down · 12 devices") << 160 << true << false << left
                                   << enabled;
    QTest::newRow("icon, elided") << longText << 110 << true << false << left << enabled;
    QTest::newRow("bold group") << QStringLiteral("prod (3) — 1 down, 2 up") << 220 << true << true << left
                                << enabled;
    QTest::newRow("selected") << QStringLiteral("10.0.0.1:5000") << 120 << false << false << left
                              << (enabled | int(QStyle::State_Selected));
    QTest::newRow("selected with focus") << QStringLiteral("10.0.0.1:5000") << 120 << true << false << left
                                         << (enabled | int(QStyle::State_Selected | QStyle::State_HasFocus));
    QTest::newRow("hovered") << QStringLiteral("3 min ago") << 100 << false << false << left
                             << (enabled | int(QStyle::State_MouseOver));
    QTest::newRow("inactive window, selected") << QStringLiteral("ep-00042") << 100 << false << false << left
                                               << int(QStyle::State_Enabled | QStyle::State_Selected);
    QTest::newRow("disabled") << QStringLiteral("paused") << 100 << true << false << left << 0;
    QTest::newRow("empty") << QString() << 100 << false << false << left << enabled;
    QTest::newRow("right-to-left elided") << longText << 150 << true << false << left << enabled;
}

void TestCachedTextDelegate::samePixelsAsTheStyle()
{
    QFETCH(QString, text);
    QFETCH(int, width);
    QFETCH(bool, icon);
    QFETCH(bool, bold);
    QFETCH(int, alignment);
    QFETCH(int, state);

    QStandardItemModel model(1, 1);
    auto *item = new QStandardItem(text);
    if (icon)
        item->setIcon(dot());
    if (bold) {
        QFont font = item->font();
        font.setBold(true);
        item->setFont(font);
    }
    item->setTextAlignment(Qt::Alignment(alignment));
    model.setItem(0, 0, item);
    QTreeView view;
    view.setModel(&model);
    if (QByteArray(QTest::currentDataTag()).startsWith("right-to-left"))
        view.setLayoutDirection(Qt::RightToLeft);
    const QModelIndex index = model.index(0, 0);
    const QSize size(width, 24);

    CachedTextDelegate cached;
    QStyledItemDelegate plain;
    const QImage expected = paintCell(plain, view, index, size, QStyle::State(state));
    const QImage first = paintCell(cached, view, index, size, QStyle::State(state));
    QCOMPARE(first, expected);
    // The second paint comes from the cache and is still the style's picture.
    const QImage second = paintCell(cached, view, index, size, QStyle::State(state));
    QCOMPARE(cached.layouts(), 1);
    QCOMPARE(cached.hits(), 1);
    QCOMPARE(second, expected);
}

void TestCachedTextDelegate::makeViews()
{
    m_model = std::make_unique<QStandardItemModel>(6, 3);
    for (int row = 0; row < 6; ++row) {
        m_model->setItem(row, 0, new QStandardItem(QStringLiteral("ep-%1").arg(row, 5, 10, QChar(u'0'))));
        m_model->setItem(row, 1,
                         new QStandardItem(QStringLiteral("connection reset by peer, row %1").arg(row)));
        auto *rtt = new QStandardItem(QStringLiteral("%1.25").arg(row));
        rtt->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_model->setItem(row, 2, rtt);
    }
    m_model->item(2, 0)->setIcon(dot());
    const auto makeView = [this] {
        auto view = std::make_unique<QTreeView>();
        view->setModel(m_model.get());
        view->setRootIsDecorated(false);
        view->setUniformRowHeights(true);
        view->setAlternatingRowColors(true);
        view->setSelectionBehavior(QAbstractItemView::SelectRows);
        view->setWordWrap(false);
        view->resize(420, 220);
        view->setColumnWidth(0, 100);
        view->setColumnWidth(1, 220);
        view->selectionModel()->select(m_model->index(1, 0),
                                       QItemSelectionModel::Select | QItemSelectionModel::Rows);
        view->show();
        return view;
    };
    m_cachedView = makeView();
    m_delegate = new CachedTextDelegate(m_cachedView.get());
    m_cachedView->setItemDelegate(m_delegate);
    m_styleView = makeView();
    QVERIFY(QTest::qWaitForWindowExposed(m_cachedView.get()));
    QVERIFY(QTest::qWaitForWindowExposed(m_styleView.get()));
}

void TestCachedTextDelegate::editedCellShowsItsNewText()
{
    makeViews();
    const QImage before = grabViewport(*m_cachedView);
    QCOMPARE(before, grabViewport(*m_styleView));
    grabViewport(*m_cachedView); // every cell now from the cache
    QVERIFY(m_delegate->hits() >= 18);
    const qint64 layoutsBefore = m_delegate->layouts();

    m_model->item(3, 2)->setText(QStringLiteral("17.50"));
    m_model->item(4, 1)->setText(QStringLiteral("timeout"));
    const QImage after = grabViewport(*m_cachedView);
    QVERIFY(after != before);
    QCOMPARE(after, grabViewport(*m_styleView));
    QCOMPARE(m_delegate->layouts(), layoutsBefore + 2); // only the two edited cells laid out anew

    // And back: the old text's layout is still cached and shows the old picture again.
    m_model->item(3, 2)->setText(QStringLiteral("3.25"));
    m_model->item(4, 1)->setText(QStringLiteral("connection reset by peer, row 4"));
    QCOMPARE(grabViewport(*m_cachedView), before);
    QCOMPARE(m_delegate->layouts(), layoutsBefore + 2);
}

void TestCachedTextDelegate::narrowerColumnElidesAgain()
{
    makeViews();
    const QImage wide = grabViewport(*m_cachedView);
    QCOMPARE(wide, grabViewport(*m_styleView));
    for (QTreeView *view : {m_cachedView.get(), m_styleView.get()})
        view->setColumnWidth(1, 90);
    const QImage narrow = grabViewport(*m_cachedView);
    QVERIFY(narrow != wide);
    QCOMPARE(narrow, grabViewport(*m_styleView));
    for (QTreeView *view : {m_cachedView.get(), m_styleView.get()})
        view->setColumnWidth(1, 400);
    QCOMPARE(grabViewport(*m_cachedView), grabViewport(*m_styleView));
}

void TestCachedTextDelegate::otherStylesArePaintedByTheStyle()
{
    QTreeView view;
    view.setStyleSheet(QStringLiteral("QTreeView::item { padding: 4px; color: navy; }"));
    QVERIFY(!CachedTextDelegate::canCache(view.style()));
    QStandardItemModel model(1, 1);
    model.setItem(0, 0, new QStandardItem(QStringLiteral("ep-00042")));
    view.setModel(&model);
    CachedTextDelegate cached;
    QStyledItemDelegate plain;
    const QStyle::State state = QStyle::State_Enabled | QStyle::State_Active;
    QCOMPARE(paintCell(cached, view, model.index(0, 0), QSize(120, 24), state),
             paintCell(plain, view, model.index(0, 0), QSize(120, 24), state));
    QCOMPARE(cached.layouts(), 0);
    QCOMPARE(cached.hits(), 0);
}

void TestCachedTextDelegate::stripPictureIsTheDrawnStrip()
{
    const QDateTime now(QDate(2026, 12, 1), QTime(12, 0), Qt::UTC);
    StateStrip strip;
    strip.to = now;
    strip.from = now.addSecs(-900);
    strip.spans = {StateSpan{strip.from.addSecs(100), now.addSecs(-300), EndpointState::Up},
                   StateSpan{now.addSecs(-300), now, EndpointState::Up}};
    for (int s = 800; s > 0; s -= 15)
        strip.rtt.append(RttPoint{now.addSecs(-s), 0.4 + (s % 7) * 0.2});
    QStandardItemModel model(2, 1);
    model.setData(model.index(0, 0), QVariant::fromValue(strip), EndpointTableModel::StripRole);
    model.setData(model.index(0, 0), QStringLiteral("ep-1"), EndpointTableModel::NameRole);
    // Without a name the strip is drawn directly: the reference.
    model.setData(model.index(1, 0), QVariant::fromValue(strip), EndpointTableModel::StripRole);
    QTreeView view;
    view.setModel(&model);
    const QSize size(186, 24);
    const QStyle::State state = QStyle::State_Enabled | QStyle::State_Active;

    StateStripDelegate delegate;
    const QImage direct = paintCell(delegate, view, model.index(1, 0), size, state);
    QCOMPARE(delegate.drawn(), 0);
    const QImage first = paintCell(delegate, view, model.index(0, 0), size, state);
    const QImage second = paintCell(delegate, view, model.index(0, 0), size, state);
    QCOMPARE(delegate.drawn(), 1);
    QCOMPARE(delegate.blitted(), 1);
    QCOMPARE(second, first);
    // Blending the picture rounds differently from drawing on the cell by at most a level or two.
    QVERIFY2(maxChannelDifference(first, direct) <= 2, "the kept picture is not the drawn strip");

    // A drop: the kept picture goes, the new strip shows.
    strip.spans.last().state = EndpointState::Down;
    model.setData(model.index(0, 0), QVariant::fromValue(strip), EndpointTableModel::StripRole);
    model.setData(model.index(1, 0), QVariant::fromValue(strip), EndpointTableModel::StripRole);
    const QImage dropped = paintCell(delegate, view, model.index(0, 0), size, state);
    QCOMPARE(delegate.drawn(), 2);
    QVERIFY(maxChannelDifference(dropped, first) > 40);
    QVERIFY(maxChannelDifference(dropped, paintCell(delegate, view, model.index(1, 0), size, state)) <= 2);
    // Selected: other colours, drawn again.
    paintCell(delegate, view, model.index(0, 0), size, state | QStyle::State_Selected);
    QCOMPARE(delegate.drawn(), 3);
}

QTEST_MAIN(TestCachedTextDelegate)
#include "tst_cachedtextdelegate.moc"
