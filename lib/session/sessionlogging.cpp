#include "sessionlogging.h"

namespace kw {
Q_LOGGING_CATEGORY(lcSession, "keepwatch.session", QtInfoMsg)
}
