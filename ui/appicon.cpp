#include "appicon.h"

#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace kw {

QIcon AppIcon::icon()
{
    QIcon svg(QStringLiteral(":/icons/keepwatch.svg"));
    if (!svg.pixmap(32, 32).isNull())
        return svg;
    QIcon painted;
    for (const int size : {16, 24, 32, 48, 64, 128, 256})
        painted.addPixmap(paint(size));
    return painted;
}

QPixmap AppIcon::paint(int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size / 256.0, size / 256.0); // drawn in the SVG's 256 × 256 coordinates

    QLinearGradient background(0, 8, 0, 248);
    background.setColorAt(0, QColor(0x37, 0x47, 0x4f));
    background.setColorAt(1, QColor(0x1f, 0x2a, 0x30));
    p.setPen(Qt::NoPen);
    p.setBrush(background);
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 48, 48);

    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(QColor(0x66, 0xbb, 0x6a), 14));
    p.drawEllipse(QPointF(128, 128), 82, 82);

    QPainterPath pulse;
    pulse.moveTo(34, 136);
    for (const QPointF &point : {QPointF(90, 136), QPointF(110, 88), QPointF(140, 180), QPointF(162, 116),
                                 QPointF(176, 136), QPointF(222, 136)})
        pulse.lineTo(point);
    p.setPen(QPen(Qt::white, 14, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.drawPath(pulse);
    return pixmap;
}

} // namespace kw
