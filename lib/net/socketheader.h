#pragma once

// Every header that touches a socket includes this one. The user interface is compiled with
// KEEPWATCH_NO_SOCKETS (ui/CMakeLists.txt), so the layer rule of DESIGN.md — ui/ reads snapshots and
// sends commands, it never touches a socket — is held by the compiler, not by review.
#ifdef KEEPWATCH_NO_SOCKETS
#error "ui/ reads snapshots and sends commands; it never includes a socket header (DESIGN.md, layers)"
#endif
