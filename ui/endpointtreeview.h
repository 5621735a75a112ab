#pragma once

#include <QTreeView>

#include <utility>

namespace kw {

// The endpoint list's view: a QTreeView that hands a dataChanged range spanning many rows on to
// QTreeView clipped to the rows in view. QTreeView (6.4) works out a rectangle for every row of a
// range (QTreeViewPrivate::intersectedRect: two visualRect calls a row) and walks its height cache
// row by row, only to repaint the part that meets the viewport; the model's once-a-second refresh
// of relative times is one range over every row, so at 10,000 endpoints that was 20,000
// visualRect calls a second for the ~40 rows on screen (10 % of the window's thread in the
// profile). A row outside the viewport draws nothing, so the clipped range repaints exactly the
// same pixels. Row 0 is passed on whenever the range holds it, since QTreeView takes every row's
// height from it (uniform row heights); ranges are passed whole while an assistive technology
// listens, which hears about every changed cell.
class EndpointTreeView final : public QTreeView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EndpointTreeView)

public:
    explicit EndpointTreeView(QWidget *parent = nullptr);

    // For the tests: the rows of the last range passed on to QTreeView (first, last), after
    // clipping; {-1, -1} when none was.
    std::pair<int, int> lastPassedRows() const { return m_lastPassed; }

protected:
    void dataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                     const QList<int> &roles = QList<int>()) override;

private:
    // The first and last rows of [first, last] under parent whose row meets the viewport, found by
    // bisection (a parent's rows run down the view in order); first > last when none does.
    std::pair<int, int> rowsInView(const QModelIndex &parent, int column, int first, int last) const;
    void passOn(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles);

    std::pair<int, int> m_lastPassed{-1, -1};
};

} // namespace kw
