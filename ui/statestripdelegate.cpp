#include "statestripdelegate.h"

#include "endpointhistory.h"
#include "endpointtablemodel.h"
#include "statestyle.h"

#include <QApplication>
#include <QPainter>
#include <QPolygonF>

#include <algorithm>

namespace kw {

namespace {
bool sameStrip(const StateStrip &a, const StateStrip &b)
{
    return a.from == b.from && a.to == b.to && a.drops == b.drops && a.spans == b.spans && a.rtt == b.rtt;
}
} // namespace

StateStripDelegate::StateStripDelegate(QObject *parent) : QStyledItemDelegate(parent) {}

StateStripDelegate::~StateStripDelegate() = default;

void StateStripDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    const QVariant value = index.data(EndpointTableModel::StripRole);
    if (!value.canConvert<StateStrip>()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    // The cell's own background, selection and focus first, without text.
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const QRectF rect = QRectF(option.rect).adjusted(3, 3, -3, -3);
    if (rect.width() < 4 || rect.height() < 4)
        return;
    const bool selected = option.state & QStyle::State_Selected;
    const QColor line = option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    const bool dark = StateStyle::isDark(option.palette);
    const QString name = index.data(EndpointTableModel::NameRole).toString();
    if (name.isEmpty()) {
        paintStrip(painter, rect, value.value<StateStrip>(), dark, line);
        return;
    }
    // The picture covers the whole cell: the sparkline's dots and the axis may reach into the margin.
    const qreal ratio = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
    const QSize size = option.rect.size();
    auto it = m_pictures.find(name);
    const StateStrip stripValue = value.value<StateStrip>(); // shares the lists with the model's
    const StateStrip *strip = &stripValue;
    if (it == m_pictures.end() || it->size != size || it->pixelRatio != ratio || it->dark != dark ||
        it->line != line.rgba() || !sameStrip(it->strip, *strip)) {
        if (it == m_pictures.end()) {
            if (m_pictures.size() >= kMaxPictures)
                m_pictures.clear();
            it = m_pictures.insert(name, Picture{});
        }
        QPixmap pixmap(size * ratio);
        pixmap.setDevicePixelRatio(ratio);
        pixmap.fill(Qt::transparent);
        {
            QPainter onPixmap(&pixmap);
            paintStrip(&onPixmap, QRectF(3, 3, rect.width(), rect.height()), *strip, dark, line);
        }
        *it = Picture{*strip, size, ratio, dark, line.rgba(), std::move(pixmap)};
        ++m_drawn;
    } else {
        ++m_blitted;
    }
    painter->drawPixmap(option.rect.topLeft(), it->pixmap);
}

void StateStripDelegate::paintStrip(QPainter *painter, const QRectF &rect, const StateStrip &strip, bool dark,
                                    const QColor &lineColor)
{
    const qint64 fromMs = strip.from.toMSecsSinceEpoch();
    const double spanMs = double(std::max<qint64>(1, strip.from.msecsTo(strip.to)));
    const auto xOf = [&](const QDateTime &t) {
        return rect.left() + rect.width() * double(t.toMSecsSinceEpoch() - fromMs) / spanMs;
    };

    painter->save();
    // A hairline for the unknown past, so an empty strip still reads as a time axis.
    QColor axis = lineColor;
    axis.setAlpha(60);
    painter->setPen(QPen(axis, 1));
    painter->drawLine(QPointF(rect.left(), rect.bottom()), QPointF(rect.right(), rect.bottom()));

    // Up is the calm state: a lighter fill, so the red and amber of trouble stand out.
    painter->setPen(Qt::NoPen);
    for (const StateSpan &span : strip.spans) {
        if (span.state == EndpointState::Disabled)
            continue;
        QColor fill = StateStyle::color(span.state, dark);
        if (span.state == EndpointState::Up)
            fill.setAlpha(dark ? 110 : 90);
        const double x0 = xOf(span.from);
        // At least a pixel: a drop of 200 ms in 15 minutes must still be seen.
        const double x1 = std::max(xOf(span.to), x0 + 1.0);
        painter->fillRect(QRectF(x0, rect.top(), x1 - x0, rect.height()), fill);
    }

    if (strip.rtt.size() >= 1) {
        double high = 0;
        for (const RttPoint &p : strip.rtt)
            high = std::max(high, p.ms);
        high = std::max(high, 0.001);
        const double bucketWidth = rect.width() * double(EndpointHistory::kRttBucket.count()) / spanMs;
        QPolygonF line;
        line.reserve(strip.rtt.size());
        for (const RttPoint &p : strip.rtt) {
            const double x = std::clamp(xOf(p.at) + bucketWidth / 2, rect.left(), rect.right());
            // Top 10 % left free so the largest sample does not sit on the cell border.
            const double y = rect.bottom() - (rect.height() * 0.9) * (p.ms / high);
            line.append(QPointF(x, y));
        }
        // A cosmetic one-pixel pen: the raster engine draws it without building a stroke path,
        // which at a thousand rows a second is most of the cost of a wider line.
        QPen pen(lineColor, 0);
        pen.setCosmetic(true);
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setBrush(Qt::NoBrush);
        painter->setPen(pen);
        if (line.size() == 1)
            painter->drawEllipse(line.first(), 1.5, 1.5);
        else
            painter->drawPolyline(line);
    }
    painter->restore();
}

QSize StateStripDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    // About a pixel per 5 s of a 15-minute window.
    size.setWidth(std::max(size.width(), 180));
    return size;
}

} // namespace kw
