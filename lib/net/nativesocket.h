#pragma once

#include <cstdint>

namespace kw::net {

// An int file descriptor on POSIX, a SOCKET on Windows; wide enough for both.
using NativeSocket = std::intptr_t;

} // namespace kw::net
