#include "monitorlogging.h"

namespace kw {
Q_LOGGING_CATEGORY(lcMonitor, "keepwatch.monitor", QtInfoMsg)
}
