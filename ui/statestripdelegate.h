#pragma once

#include <QStyledItemDelegate>

namespace kw {

struct StateStrip;

// Paints EndpointTableModel's StripColumn: the last minutes as coloured
// segments (up, suspect, down, waiting/connecting in StateStyle's colours;
// nothing where the state is not known) with the RTT sparkline drawn over
// them. No widget per row: a row costs one paint when it is visible.
class StateStripDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StateStripDelegate)

public:
    explicit StateStripDelegate(QObject *parent = nullptr);
    ~StateStripDelegate() override;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // Drawn into `rect` with the colours for a dark or light background; public for the tests.
    static void paintStrip(QPainter *painter, const QRectF &rect, const StateStrip &strip, bool dark,
                           const QColor &lineColor);
};

} // namespace kw
