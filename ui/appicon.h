#pragma once

#include <QIcon>

namespace kw {

// The application icon. resources/icons/keepwatch.svg is the source; when Qt's
// SVG plugins are not installed (Debian: libqt6svg6) the same drawing is
// painted here, so the window never shows a blank icon.
class AppIcon
{
public:
    static QIcon icon();
    static QPixmap paint(int size);
};

} // namespace kw
