#pragma once

#include "socketheader.h"

#include "cause.h"
#include "nativesocket.h"
#include "resourcelimits.h"
#include "tcpsnapshot.h"

#include <optional>
#include <string>

namespace kw::net {

// getsockopt(SO_ERROR): the pending error, 0 when none (also clears it, as the OS does).
int pendingSocketError(NativeSocket socket);

struct ErrorContext
{
    bool userTimeoutSet = false; // TCP_USER_TIMEOUT / TCP_MAXRT was applied
    bool keepaliveOn = false;
    bool duringConnect = false;
    std::optional<TcpSnapshot> lastSnapshot{}; // last poll before the error; data in flight decides causes
    // The limit named in a local-limit detail; unset: this process's limit when the error is classified.
    std::optional<DescriptorLimit> descriptorLimit{};
};

struct Classification
{
    // One of refused, unreachable, connect-timeout, reset, peer-closed, keepalive-timeout,
    // user-timeout, local-limit (this machine ran out of descriptors or socket memory, not the peer's
    // fault), network.
    Cause cause{};
    // Code, name and text plus what the context adds, e.g.
    // "ETIMEDOUT (110): Connection timed out; 3 keepalive probes unanswered".
    std::string detail{};
};

// error is an errno value on POSIX, a WSA error code on Windows; 0 means no error (peer closed).
Classification classifySocketError(int error, const ErrorContext &context);

// "ECONNRESET", "WSAECONNRESET"; "error 1234" when unknown.
std::string errorName(int error);
// Short text for the error ("Connection reset by peer"), stable across C libraries for common codes.
std::string errorText(int error);

} // namespace kw::net
