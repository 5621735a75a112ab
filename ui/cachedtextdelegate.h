#pragma once

#include <QCache>
#include <QFont>
#include <QPointF>
#include <QRect>
#include <QString>
#include <QStyledItemDelegate>

#include <memory>

class QTextLayout;

namespace kw {

// Paints an item view's cells as QStyledItemDelegate does, but keeps the part that costs: the
// style lays the text out twice per cell and paint (once to size it, once to elide and draw it),
// ~30 ms for the ~450 cells of a 41-row endpoint list. Here each distinct (text, cell size, font,
// alignment, elision, decoration) keeps its rectangles and its elided, shaped QTextLayout, so an
// unchanged cell only draws its background, icon, glyphs and focus frame; a cell whose text,
// width or font changed is another key and is laid out anew, so the cache never shows stale text.
//
// Only for styles whose CE_ItemViewItem is QCommonStyle's (Fusion, Windows), which this mirrors
// step by step; any other style (and style sheets, check boxes, editing) is painted by the style.
class CachedTextDelegate : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CachedTextDelegate)

public:
    explicit CachedTextDelegate(QObject *parent = nullptr);
    ~CachedTextDelegate() override;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;

    // For the tests and the benchmark: cells laid out anew and cells painted from the cache.
    qint64 layouts() const { return m_layouts; }
    qint64 hits() const { return m_hits; }
    int cachedCells() const { return m_cache.size(); }
    // Whether cells in this style are painted from the cache (false: the style paints them).
    static bool canCache(const QStyle *style);

    // Paints an initialised option: from the cache when the style allows, else by the style.
    void paintCell(QPainter *painter, const QStyleOptionViewItem &opt) const;

private:
    struct Key
    {
        QString text;
        QFont font;
        QSize size;
        const QStyle *style = nullptr;
        QSize decorationSize;
        int features = 0;
        int displayAlignment = 0;
        int decorationAlignment = 0;
        int decorationPosition = 0;
        int direction = 0;
        int elideMode = 0;
        bool hasIcon = false;
        bool showDecorationSelected = false;

        bool operator==(const Key &other) const = default;
    };
    friend size_t qHash(const Key &key, size_t seed) noexcept;

    // A cell's layout relative to its rectangle's top left.
    struct Cell
    {
        QRect iconRect;
        QRect focusRect;
        QPointF textPosition;
        std::unique_ptr<QTextLayout> text; // nullptr when the cell has no text
        Cell();
        ~Cell();
    };

    const Cell &cellFor(const QStyleOptionViewItem &opt, const QStyle *style) const;

    // About ten screens of a 41-row, 12-column list; RTT and "since" texts come and go.
    static constexpr int kMaxCells = 5000;
    mutable QCache<Key, Cell> m_cache{kMaxCells};
    mutable qint64 m_layouts = 0;
    mutable qint64 m_hits = 0;
};

} // namespace kw
