#include "storelogging.h"

namespace kw {
Q_LOGGING_CATEGORY(lcStore, "keepwatch.store")
} // namespace kw
