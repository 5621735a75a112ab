#pragma once

#include "socketheader.h"

// Non-blocking TCP primitives that keep the operating system's own error
// codes. Qt's socket engine folds ECONNRESET into end-of-file and reports
// ETIMEDOUT as a generic NetworkError; Keepwatch must tell a reset from a
// clean close and a keepalive timeout from a user timeout, so the session
// layer drives these calls from its event loop (QSocketNotifier) instead.

#include "nativesocket.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace kw::net {

inline constexpr NativeSocket kInvalidSocket = -1;

// Once per process on Windows (WSAStartup); nothing elsewhere. Idempotent.
bool initializeSockets();

struct ConnectStart
{
    NativeSocket socket = kInvalidSocket;
    bool inProgress = false; // true: wait for writability, then finishConnect()
    int error = 0;           // errno / WSA error when socket is invalid or the connect failed at once
};

// Creates a non-blocking TCP socket for the numeric address (IPv4 or IPv6
// literal, as produced by QHostAddress::toString()) and starts connecting.
ConnectStart startConnect(const std::string &numericAddress, std::uint16_t port);

// After the socket became writable: 0 when connected, else the error.
int finishConnect(NativeSocket socket);

struct IoResult
{
    std::ptrdiff_t bytes = 0; // > 0 transferred
    bool wouldBlock = false;
    bool endOfStream = false; // receive only: orderly shutdown by the peer (FIN)
    int error = 0;            // errno / WSA error
    // When the bytes moved, on the steady clock (CLOCK_MONOTONIC on Linux); unset when none did. A
    // send: when send() was called for the bytes it accepted (a reply cannot be stamped earlier, so an
    // RTT is never negative; the call itself lasts microseconds). A receive: when the kernel queued the last
    // of them (its software receive timestamp, enableReceiveTimestamps()), or else right after recv()
    // returned.
    std::chrono::steady_clock::time_point at{};
    // A receive with the kernel's timestamp: how long the bytes sat in the socket before this read.
    bool stampedByKernel = false;
    std::chrono::nanoseconds waited{0};
};

// Asks the kernel to stamp arriving data (Linux: SO_TIMESTAMPING with software receive timestamps),
// so that receiveSome() reports when the bytes arrived instead of when the engine got round to them.
// False where the OS has no such stamp (reads then report the time of the read).
bool enableReceiveTimestamps(NativeSocket socket);

IoResult receiveSome(NativeSocket socket, char *buffer, std::size_t size);
IoResult sendSome(NativeSocket socket, const char *data, std::size_t size);

// Makes an accepted socket non-blocking (server side of heartbeat listeners).
bool makeNonBlocking(NativeSocket socket, int *error);

void closeSocket(NativeSocket socket);

// SO_LINGER {on, 0}: the next close() sends RST instead of FIN (test peers and
// the demo use it to produce a "reset" on purpose).
bool setResetOnClose(NativeSocket socket);

// "198.51.100.2:5000" / "[2001:db8::2]:5000" for the local or peer end.
std::string localEndpoint(NativeSocket socket);
std::string peerEndpoint(NativeSocket socket);

// True when the error means "the connect is still in progress".
bool isInProgress(int error);

} // namespace kw::net
