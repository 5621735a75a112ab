// FleetReconnectChart's ranges and the colours and words of its causes: fixed tables, kept apart
// from the widget.
#include "fleetreconnectchart.h"

#include <QHash>

namespace kw {

FleetReconnectChart::RangeSpec FleetReconnectChart::rangeSpec(Range range)
{
    switch (range) {
    case Range::Hour:
        return {std::chrono::minutes(1), 60};
    case Range::Day:
        return {std::chrono::minutes(15), 96};
    case Range::Week:
        return {std::chrono::minutes(60), 168};
    }
    return {std::chrono::minutes(15), 96};
}

QString FleetReconnectChart::rangeText(Range range)
{
    switch (range) {
    case Range::Hour:
        return tr("1 h");
    case Range::Day:
        return tr("24 h");
    case Range::Week:
        return tr("7 d");
    }
    return {};
}

QColor FleetReconnectChart::causeColor(const QString &cause)
{
    // Tableau 20 tones: the ten strong ones go to the causes seen most in practice, so the usual
    // stacks (keepalive-timeout over reset over refused) stay apart for red-green colour blindness
    // too; every tone is mid-light, so a bar reads on the light and the dark background alike.
    static const QHash<QString, QRgb> kFixed = {
        {QStringLiteral("keepalive-timeout"), 0xe15759},
        {QStringLiteral("reset"), 0xf28e2b},
        {QStringLiteral("refused"), 0x4e79a7},
        {QStringLiteral("connect-timeout"), 0xb07aa1},
        {QStringLiteral("peer-closed"), 0x76b7b2},
        {QStringLiteral("heartbeat-timeout"), 0xedc948},
        {QStringLiteral("dns"), 0x9c755f},
        {QStringLiteral("unreachable"), 0xff9da7},
        {QStringLiteral("tls"), 0x59a14f},
        {QStringLiteral("user-timeout"), 0xa0cbe8},
        {QStringLiteral("mqtt-ping-timeout"), 0xb6992d},
        {QStringLiteral("mqtt-refused"), 0x499894},
        {QStringLiteral("mqtt-disconnect"), 0x86bcb6},
        {QStringLiteral("ws-pong-timeout"), 0xd37295},
        {QStringLiteral("ws-close"), 0xffbe7d},
        {QStringLiteral("ws-handshake"), 0x8cd17d},
        {QStringLiteral("reader-idle"), 0xf1ce63},
        {QStringLiteral("writer-idle"), 0xd4a6c8},
        {QStringLiteral("all-idle"), 0xfabfd2},
        {QStringLiteral("protocol-error"), 0x79706e},
        {QStringLiteral("local-limit"), 0xd7b5a6},
        {QStringLiteral("bind"), 0x8c8c8c},
        {QStringLiteral("network"), 0xbab0ac},
        {QString(), 0xc7c7c7},
    };
    const qsizetype colon = cause.indexOf(u':');
    const QString code = colon < 0 ? cause : cause.left(colon);
    const auto it = kFixed.constFind(code);
    // qHash with an explicit seed is the same in every run, unlike the hash tables' seed.
    QColor color = it != kFixed.cend() ? QColor::fromRgb(*it)
                                       : QColor::fromHsv(int(qHash(code, size_t(0)) % 360), 120, 200);
    if (colon >= 0) {
        // The reasons of one cause ("ws-close:1001", "ws-close:1006") as shades of its colour.
        const int shade = int(qHash(cause.mid(colon + 1), size_t(0)) % 3);
        color = shade == 0 ? color : shade == 1 ? color.darker(125) : color.lighter(120);
    }
    return color;
}

QString FleetReconnectChart::causeLabel(const QString &cause)
{
    return cause.isEmpty() ? tr("no cause") : cause;
}

} // namespace kw
