#pragma once

#include <QLoggingCategory>

namespace kw {
Q_DECLARE_LOGGING_CATEGORY(lcMonitor)
}
