#pragma once

#include "endpointhistory.h"

#include <QHash>
#include <QPixmap>
#include <QStyledItemDelegate>

namespace kw {

// Paints EndpointTableModel's StripColumn: the last minutes as coloured
// segments (up, suspect, down, waiting/connecting in StateStyle's colours;
// nothing where the state is not known) with the RTT sparkline drawn over
// them. No widget per row: a row costs one paint when it is visible. Each row's strip is kept as a
// picture while its strip, size, colours and pixel ratio stay the same (a strip moves once a second,
// the list repaints at 4 Hz), so most repaints blit it instead of drawing spans and the sparkline.
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

    // For the tests: strips drawn anew and strips blitted from their kept picture.
    qint64 drawn() const { return m_drawn; }
    qint64 blitted() const { return m_blitted; }

private:
    struct Picture
    {
        StateStrip strip;
        QSize size;
        qreal pixelRatio = 1;
        bool dark = false;
        QRgb line = 0;
        QPixmap pixmap;
    };
    // Per endpoint name; about 40 rows are visible, scrolling adds more until the bound clears them.
    static constexpr qsizetype kMaxPictures = 2048;
    mutable QHash<QString, Picture> m_pictures;
    mutable qint64 m_drawn = 0;
    mutable qint64 m_blitted = 0;
};

} // namespace kw
