#pragma once

// The backends behind makePoller(); each is built only where its OS interface exists (netsources.cmake).
#include "poller.h"

#include <memory>

namespace kw::net::detail {

#if defined(__linux__)
std::unique_ptr<Poller> makeEpollPoller(int *error);
#endif
std::unique_ptr<Poller> makePollPoller(int *error);

} // namespace kw::net::detail
