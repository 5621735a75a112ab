#pragma once

#include "endpointstate.h"

#include <QColor>
#include <QCoreApplication>
#include <QIcon>
#include <QPalette>
#include <QString>

namespace kw {

// How a state looks everywhere in the window: its label, its colour and a
// coloured dot. Colours come in a light and a dark variant because a single
// mid-tone is unreadable as text on one of the two backgrounds.
class StateStyle
{
    Q_DECLARE_TR_FUNCTIONS(kw::StateStyle)

public:
    static QString label(EndpointState state);
    static QString name(EndpointState state); // "up", as in events and exports
    static QColor color(EndpointState state, bool dark);
    static QColor tint(EndpointState state, bool dark); // row/cell background, transparent when calm
    // Painted on each call: callers that draw often keep the result.
    static QIcon dot(EndpointState state, bool dark);
    static QIcon dot(const QColor &fill); // the same dot in any colour (a device's state)
    // Sort order by urgency: down first, disabled last.
    static int severity(EndpointState state);

    static bool isDark(const QPalette &palette);
};

} // namespace kw
