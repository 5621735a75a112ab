#include "endpointtreeview.h"

#include <QAccessible>
#include <QHeaderView>

#include <algorithm>

namespace kw {

namespace {
// A range this short costs less passed whole than bisected.
constexpr int kClipFromRows = 8;
} // namespace

EndpointTreeView::EndpointTreeView(QWidget *parent) : QTreeView(parent) {}

void EndpointTreeView::dataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                   const QList<int> &roles)
{
    const QModelIndex parent = topLeft.parent();
    const int first = topLeft.row();
    const int last = bottomRight.row();
    if (!topLeft.isValid() || !bottomRight.isValid() || last - first < kClipFromRows ||
        bottomRight.parent() != parent || QAccessible::isActive()) {
        passOn(topLeft, bottomRight, roles);
        return;
    }
    // Any shown column gives the rows' places; with none shown there is nothing to repaint.
    int column = -1;
    for (int visual = 0; visual < header()->count() && column < 0; ++visual) {
        const int logical = header()->logicalIndex(visual);
        if (!header()->isSectionHidden(logical))
            column = logical;
    }
    if (column < 0) {
        passOn(topLeft, bottomRight, roles);
        return;
    }
    const QAbstractItemModel *m = model();
    if (first == 0)
        passOn(topLeft, m->index(0, bottomRight.column(), parent), roles);
    const auto [from, to] = rowsInView(parent, column, first == 0 ? 1 : first, last);
    if (from <= to)
        passOn(m->index(from, topLeft.column(), parent), m->index(to, bottomRight.column(), parent), roles);
}

std::pair<int, int> EndpointTreeView::rowsInView(const QModelIndex &parent, int column, int first,
                                                 int last) const
{
    if (first > last)
        return {first, last};
    // Rows under a collapsed group have no place in the view.
    for (QModelIndex up = parent; up.isValid(); up = up.parent()) {
        if (!isExpanded(up))
            return {first + 1, first};
    }
    const QAbstractItemModel *m = model();
    const int height = viewport()->height();
    const auto rectOf = [&](int row) { return visualRect(m->index(row, column, parent)); };
    // The first row that ends below the viewport's top...
    int lo = first;
    int hi = last + 1;
    while (lo < hi) {
        const int mid = lo + (hi - lo) / 2;
        if (rectOf(mid).bottom() < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    const int from = lo;
    // ...and the last one that starts above its bottom.
    lo = from;
    hi = last + 1;
    while (lo < hi) {
        const int mid = lo + (hi - lo) / 2;
        if (rectOf(mid).top() < height)
            lo = mid + 1;
        else
            hi = mid;
    }
    return {from, lo - 1};
}

void EndpointTreeView::passOn(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                              const QList<int> &roles)
{
    m_lastPassed = {topLeft.row(), bottomRight.row()};
    QTreeView::dataChanged(topLeft, bottomRight, roles);
}

} // namespace kw
