#include "statestyle.h"

#include <QPainter>
#include <QPixmap>

namespace kw {

QString StateStyle::label(EndpointState state)
{
    switch (state) {
    case EndpointState::Disabled:
        return tr("Disabled");
    case EndpointState::Connecting:
        return tr("Connecting");
    case EndpointState::Up:
        return tr("Up");
    case EndpointState::Suspect:
        return tr("Suspect");
    case EndpointState::Down:
        return tr("Down");
    case EndpointState::Waiting:
        return tr("Waiting");
    }
    return {};
}

QString StateStyle::name(EndpointState state)
{
    const std::string_view n = endpointStateName(state);
    return QString::fromLatin1(n.data(), qsizetype(n.size()));
}

QColor StateStyle::color(EndpointState state, bool dark)
{
    // Material palette tones: 800 on light backgrounds, 300-400 on dark ones,
    // both above 4.5:1 contrast against the default window colours.
    switch (state) {
    case EndpointState::Up:
        return dark ? QColor(0x66, 0xbb, 0x6a) : QColor(0x2e, 0x7d, 0x32);
    case EndpointState::Suspect:
        return dark ? QColor(0xff, 0xb3, 0x00) : QColor(0xa3, 0x5f, 0x00);
    case EndpointState::Down:
        return dark ? QColor(0xef, 0x53, 0x50) : QColor(0xc6, 0x28, 0x28);
    case EndpointState::Connecting:
    case EndpointState::Waiting:
        return dark ? QColor(0x90, 0xa4, 0xae) : QColor(0x45, 0x5a, 0x64);
    case EndpointState::Disabled:
        return dark ? QColor(0x9e, 0x9e, 0x9e) : QColor(0x75, 0x75, 0x75);
    }
    return {};
}

QColor StateStyle::tint(EndpointState state, bool dark)
{
    if (state != EndpointState::Suspect && state != EndpointState::Down)
        return {};
    QColor c = color(state, dark);
    c.setAlpha(dark ? 60 : 38);
    return c;
}

QIcon StateStyle::dot(EndpointState state, bool dark)
{
    return dot(color(state, dark));
}

QIcon StateStyle::dot(const QColor &fill)
{
    QIcon icon;
    for (const int size : {12, 16, 24, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(fill);
        const qreal margin = size / 4.0;
        painter.drawEllipse(QRectF(margin, margin, size - 2 * margin, size - 2 * margin));
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

int StateStyle::severity(EndpointState state)
{
    switch (state) {
    case EndpointState::Down:
        return 5;
    case EndpointState::Suspect:
        return 4;
    case EndpointState::Waiting:
        return 3;
    case EndpointState::Connecting:
        return 2;
    case EndpointState::Up:
        return 1;
    case EndpointState::Disabled:
        return 0;
    }
    return 0;
}

bool StateStyle::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

} // namespace kw
