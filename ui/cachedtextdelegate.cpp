#include "cachedtextdelegate.h"

#include <QApplication>
#include <QFontMetrics>
#include <QPainter>
#include <QStyle>
#include <QTextLayout>

#include <algorithm>

namespace kw {

namespace {
// QCommonStyle's viewItemTextLayout: lines of `lineWidth`, stacked.
void layOutLines(QTextLayout &layout, int lineWidth, int maxHeight = -1, int *lastVisibleLine = nullptr)
{
    if (lastVisibleLine)
        *lastVisibleLine = -1;
    qreal height = 0;
    layout.beginLayout();
    int i = 0;
    while (true) {
        QTextLine line = layout.createLine();
        if (!line.isValid())
            break;
        line.setLineWidth(lineWidth);
        line.setPosition(QPointF(0, height));
        height += line.height();
        // The next line is taken to be as high as this one.
        if (maxHeight > 0 && lastVisibleLine && height + line.height() > maxHeight) {
            const QTextLine next = layout.createLine();
            *lastVisibleLine = next.isValid() ? i : -1;
            break;
        }
        ++i;
    }
    layout.endLayout();
}

// QCommonStyle's calculateElidedText for an item view's cell (the last visible line elided): the
// text as drawn, and where its layout starts.
QString elidedText(const QString &text, const QTextOption &textOption, const QFont &font,
                   const QRect &textRect, Qt::Alignment valign, Qt::TextElideMode elideMode, QPointF *start)
{
    QTextLayout layout(text, font);
    layout.setTextOption(textOption);
    // Vertically centred lines that do not all fit show the start of the text, not its middle.
    const bool vCentred = valign.testFlag(Qt::AlignVCenter);
    int lastVisibleLine = -1;
    layOutLines(layout, textRect.width(), vCentred ? textRect.height() : -1, &lastVisibleLine);

    const QRectF bounds = layout.boundingRect();
    const QRect layoutRect =
        QStyle::alignedRect(Qt::LayoutDirectionAuto, valign, bounds.size().toSize(), textRect);
    *start = QPointF(textRect.x(), layoutRect.top());

    QString shown;
    qreal height = 0;
    const int lineCount = layout.lineCount();
    for (int i = 0; i < lineCount; ++i) {
        const QTextLine line = layout.lineAt(i);
        height += line.height();
        if (height + layoutRect.top() <= textRect.top()) { // above the visible rectangle
            start->ry() += line.height();
            continue;
        }
        const bool tooWide = line.naturalTextWidth() > textRect.width();
        bool elideLast = lastVisibleLine == i;
        if (!tooWide && i + 1 < lineCount) {
            const QTextLine next = layout.lineAt(i + 1);
            const int nextHeight = int(height + next.height() / 2);
            // Elided when less than half of the next line would show.
            if (nextHeight + layoutRect.top() > textRect.height() + textRect.top())
                elideLast = true;
        }
        QString part = layout.text().mid(line.textStart(), line.textLength());
        if (tooWide || elideLast) {
            if (elideLast) {
                if (part.endsWith(QChar::LineSeparator))
                    part.chop(1);
                part += QChar(0x2026);
            }
            shown += QFontMetrics(font).elidedText(part, elideMode, textRect.width());
            if (i < lineCount - 1 && !shown.endsWith(QChar::LineSeparator))
                shown += QChar::LineSeparator;
        } else {
            shown += part;
        }
        if (height + layoutRect.top() >= textRect.bottom() || (lastVisibleLine >= 0 && lastVisibleLine == i))
            break;
    }
    return shown;
}
} // namespace

size_t qHash(const CachedTextDelegate::Key &key, size_t seed) noexcept
{
    return qHashMulti(seed, key.text, key.font, key.size.width(), key.size.height(), key.style,
                      key.decorationSize.width(), key.decorationSize.height(), key.features,
                      key.displayAlignment, key.decorationAlignment, key.decorationPosition, key.direction,
                      key.elideMode, key.hasIcon, key.showDecorationSelected);
}

CachedTextDelegate::Cell::Cell() = default;
CachedTextDelegate::Cell::~Cell() = default;

CachedTextDelegate::CachedTextDelegate(QObject *parent) : QStyledItemDelegate(parent) {}

CachedTextDelegate::~CachedTextDelegate() = default;

bool CachedTextDelegate::canCache(const QStyle *style)
{
    if (!style || style->inherits("QStyleSheetStyle") || style->inherits("QProxyStyle"))
        return false;
    // Styles that leave CE_ItemViewItem to QCommonStyle.
    const QString name = style->name();
    return name.compare(u"fusion", Qt::CaseInsensitive) == 0 ||
           name.compare(u"windows", Qt::CaseInsensitive) == 0;
}

void CachedTextDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    paintCell(painter, opt);
}

const CachedTextDelegate::Cell &CachedTextDelegate::cellFor(const QStyleOptionViewItem &opt,
                                                            const QStyle *style) const
{
    Key key{opt.text,
            opt.font,
            opt.rect.size(),
            style,
            opt.decorationSize,
            int(opt.features),
            int(opt.displayAlignment),
            int(opt.decorationAlignment),
            int(opt.decorationPosition),
            int(opt.direction),
            int(opt.textElideMode),
            !opt.icon.isNull(),
            opt.showDecorationSelected};
    if (const Cell *cell = m_cache.object(key)) {
        ++m_hits;
        return *cell;
    }
    ++m_layouts;
    const QWidget *widget = opt.widget;
    const QPoint origin = opt.rect.topLeft();
    auto cell = std::make_unique<Cell>();
    cell->iconRect =
        style->subElementRect(QStyle::SE_ItemViewItemDecoration, &opt, widget).translated(-origin);
    cell->focusRect =
        style->subElementRect(QStyle::SE_ItemViewItemFocusRect, &opt, widget).translated(-origin);
    if (!opt.text.isEmpty()) {
        // As QCommonStyle's viewItemDrawText: the text rectangle less the focus frame's margin.
        const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
        const QRect textRect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget)
                                   .translated(-origin)
                                   .adjusted(margin, 0, -margin, 0);
        QTextOption textOption;
        textOption.setWrapMode(opt.features & QStyleOptionViewItem::WrapText ? QTextOption::WordWrap
                                                                             : QTextOption::ManualWrap);
        textOption.setTextDirection(opt.direction);
        textOption.setAlignment(QStyle::visualAlignment(opt.direction, opt.displayAlignment));
        const QString shown = elidedText(opt.text, textOption, opt.font, textRect, opt.displayAlignment,
                                         opt.textElideMode, &cell->textPosition);
        cell->text = std::make_unique<QTextLayout>(shown, opt.font);
        cell->text->setTextOption(textOption);
        layOutLines(*cell->text, textRect.width());
        cell->text->setCacheEnabled(true);
    }
    const Cell *stored = cell.get();
    m_cache.insert(key, cell.release());
    return *stored;
}

void CachedTextDelegate::paintCell(QPainter *painter, const QStyleOptionViewItem &opt) const
{
    const QWidget *widget = opt.widget;
    const QStyle *style = widget ? widget->style() : QApplication::style();
    if (!canCache(style) || (opt.features & QStyleOptionViewItem::HasCheckIndicator) ||
        (opt.state & QStyle::State_Editing)) {
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
        return;
    }
    const Cell &cell = cellFor(opt, style);
    const QPoint origin = opt.rect.topLeft();

    // QCommonStyle's CE_ItemViewItem, with the layouts from the cache.
    painter->save();
    painter->setClipRect(opt.rect);
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);

    QIcon::Mode mode = QIcon::Normal;
    if (!(opt.state & QStyle::State_Enabled))
        mode = QIcon::Disabled;
    else if (opt.state & QStyle::State_Selected)
        mode = QIcon::Selected;
    const QIcon::State iconState = opt.state & QStyle::State_Open ? QIcon::On : QIcon::Off;
    opt.icon.paint(painter, cell.iconRect.translated(origin), opt.decorationAlignment, mode, iconState);

    if (cell.text) {
        QPalette::ColorGroup group =
            opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
        if (group == QPalette::Normal && !(opt.state & QStyle::State_Active))
            group = QPalette::Inactive;
        painter->setPen(opt.palette.color(
            group, opt.state & QStyle::State_Selected ? QPalette::HighlightedText : QPalette::Text));
        cell.text->draw(painter, cell.textPosition + QPointF(origin));
    }

    if (opt.state & QStyle::State_HasFocus) {
        QStyleOptionFocusRect focus;
        focus.QStyleOption::operator=(opt);
        focus.rect = cell.focusRect.translated(origin);
        focus.state |= QStyle::State_KeyboardFocusChange;
        focus.state |= QStyle::State_Item;
        const QPalette::ColorGroup group =
            opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
        focus.backgroundColor = opt.palette.color(
            group, opt.state & QStyle::State_Selected ? QPalette::Highlight : QPalette::Window);
        style->drawPrimitive(QStyle::PE_FrameFocusRect, &focus, painter, widget);
    }
    painter->restore();
}

} // namespace kw
