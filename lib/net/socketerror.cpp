#include "socketerror.h"

#if defined(_WIN32)
#include "winsockcompat.h"
#else
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#endif

#include <string>

namespace kw::net {

namespace {

enum class Kind { Refused, Unreachable, TimedOut, Reset, Aborted, NetReset, LocalLimit, Other };

struct ErrorEntry
{
    int code;
    const char *name;
    const char *text;
    Kind kind;
};

// Texts are fixed here rather than taken from strerror/FormatMessage so that logs and exports read the
// same on every system (Wine and some C libraries return empty or localised texts).
#if defined(_WIN32)
constexpr ErrorEntry kErrors[] = {
    {WSAECONNREFUSED, "WSAECONNREFUSED", "Connection refused", Kind::Refused},
    {WSAECONNRESET, "WSAECONNRESET", "Connection reset by peer", Kind::Reset},
    // Winsock: "aborted by the software in your host computer, possibly due to a data transmission time-out".
    {WSAECONNABORTED, "WSAECONNABORTED", "Connection aborted by the local host", Kind::Aborted},
    {WSAETIMEDOUT, "WSAETIMEDOUT", "Connection timed out", Kind::TimedOut},
    {WSAEHOSTUNREACH, "WSAEHOSTUNREACH", "No route to host", Kind::Unreachable},
    {WSAENETUNREACH, "WSAENETUNREACH", "Network is unreachable", Kind::Unreachable},
    {WSAEHOSTDOWN, "WSAEHOSTDOWN", "Host is down", Kind::Unreachable},
    {WSAENETDOWN, "WSAENETDOWN", "Network is down", Kind::Unreachable},
    // Winsock: "broken due to keep-alive activity detecting a failure while the operation was in progress".
    {WSAENETRESET, "WSAENETRESET", "Connection broken by keep-alive failure", Kind::NetReset},
    {WSAENOTCONN, "WSAENOTCONN", "Socket is not connected", Kind::Other},
    {WSAESHUTDOWN, "WSAESHUTDOWN", "Cannot send after socket shutdown", Kind::Other},
    {WSAEADDRNOTAVAIL, "WSAEADDRNOTAVAIL", "Cannot assign requested address", Kind::Other},
    {WSAEADDRINUSE, "WSAEADDRINUSE", "Address already in use", Kind::Other},
    {WSAEWOULDBLOCK, "WSAEWOULDBLOCK", "Operation would block", Kind::Other},
    {WSAEINPROGRESS, "WSAEINPROGRESS", "Operation now in progress", Kind::Other},
    {WSAEINTR, "WSAEINTR", "Interrupted function call", Kind::Other},
    {WSAENOTSOCK, "WSAENOTSOCK", "Not a socket", Kind::Other},
    {WSAEINVAL, "WSAEINVAL", "Invalid argument", Kind::Other},
    {WSAENOPROTOOPT, "WSAENOPROTOOPT", "Protocol not available", Kind::Other},
    {WSAEOPNOTSUPP, "WSAEOPNOTSUPP", "Operation not supported", Kind::Other},
    {WSAENOBUFS, "WSAENOBUFS", "No buffer space available", Kind::LocalLimit},
    {WSAEACCES, "WSAEACCES", "Permission denied", Kind::Other},
    {WSAEMFILE, "WSAEMFILE", "Too many open sockets", Kind::LocalLimit},
    {WSANOTINITIALISED, "WSANOTINITIALISED", "Winsock not initialised (WSAStartup)", Kind::Other},
    {WSAHOST_NOT_FOUND, "WSAHOST_NOT_FOUND", "Host not found", Kind::Other},
};
#else
constexpr ErrorEntry kErrors[] = {
    {ECONNREFUSED, "ECONNREFUSED", "Connection refused", Kind::Refused},
    {ECONNRESET, "ECONNRESET", "Connection reset by peer", Kind::Reset},
    {EPIPE, "EPIPE", "Broken pipe", Kind::Reset},
    {ECONNABORTED, "ECONNABORTED", "Software caused connection abort", Kind::Aborted},
    {ETIMEDOUT, "ETIMEDOUT", "Connection timed out", Kind::TimedOut},
    {EHOSTUNREACH, "EHOSTUNREACH", "No route to host", Kind::Unreachable},
    {ENETUNREACH, "ENETUNREACH", "Network is unreachable", Kind::Unreachable},
    {EHOSTDOWN, "EHOSTDOWN", "Host is down", Kind::Unreachable},
    {ENETDOWN, "ENETDOWN", "Network is down", Kind::Unreachable},
#if defined(ENONET)
    {ENONET, "ENONET", "Machine is not on the network", Kind::Unreachable},
#endif
    {ENETRESET, "ENETRESET", "Connection reset by network", Kind::NetReset},
    {ENOTCONN, "ENOTCONN", "Transport endpoint is not connected", Kind::Other},
    {EADDRNOTAVAIL, "EADDRNOTAVAIL", "Cannot assign requested address", Kind::Other},
    {EADDRINUSE, "EADDRINUSE", "Address already in use", Kind::Other},
    {EINPROGRESS, "EINPROGRESS", "Operation now in progress", Kind::Other},
    {EAGAIN, "EAGAIN", "Resource temporarily unavailable", Kind::Other},
    {EINTR, "EINTR", "Interrupted system call", Kind::Other},
    {EBADF, "EBADF", "Bad file descriptor", Kind::Other},
    {ENOTSOCK, "ENOTSOCK", "Socket operation on non-socket", Kind::Other},
    {EINVAL, "EINVAL", "Invalid argument", Kind::Other},
    {ENOPROTOOPT, "ENOPROTOOPT", "Protocol not available", Kind::Other},
    {ENOBUFS, "ENOBUFS", "No buffer space available", Kind::LocalLimit},
    {ENOMEM, "ENOMEM", "Cannot allocate memory", Kind::LocalLimit},
    {EACCES, "EACCES", "Permission denied", Kind::Other},
    {EPERM, "EPERM", "Operation not permitted", Kind::Other},
    {EPROTO, "EPROTO", "Protocol error", Kind::Other},
    {EMFILE, "EMFILE", "Too many open files", Kind::LocalLimit},
    {ENFILE, "ENFILE", "Too many open files in system", Kind::LocalLimit},
};
#endif

const ErrorEntry *findError(int error)
{
    for (const ErrorEntry &entry : kErrors)
        if (entry.code == error)
            return &entry;
    return nullptr;
}

std::string unacknowledged(const ErrorContext &context)
{
    const TcpSnapshot &snapshot = *context.lastSnapshot;
    if (snapshot.unacked)
        return std::to_string(*snapshot.unacked) + " segments unacknowledged";
    return std::to_string(snapshot.bytesInFlight.value_or(0)) + " bytes unacknowledged";
}

// ETIMEDOUT (and Windows' local abort) after the connection was up: which timer fired depends on whether
// data was waiting for an acknowledgement, because keepalive never probes while it is
// (net/ipv4/tcp_timer.c tcp_keepalive_timer).
Classification classifyTimeout(const std::string &base, const ErrorContext &context)
{
    const bool dataKnown = context.lastSnapshot.has_value();
    const bool dataInFlight = dataKnown && context.lastSnapshot->hasDataInFlight();
    if (dataInFlight) {
        if (context.userTimeoutSet)
            return {CauseCode::UserTimeout,
                    base + "; " + unacknowledged(context) + " longer than the user timeout"};
        return {CauseCode::Unreachable, base + "; retransmissions gave up with " + unacknowledged(context) +
                                            " (system retransmission limit; a user timeout bounds this)"};
    }
    if (context.keepaliveOn) {
        std::string probes = "keepalive probes unanswered";
        if (dataKnown && context.lastSnapshot->probes)
            probes = std::to_string(*context.lastSnapshot->probes) + " " + probes;
        if (context.userTimeoutSet)
            probes += " (the user timeout decides when keepalive gives up)";
        return {CauseCode::KeepaliveTimeout, base + "; " + probes};
    }
    if (context.userTimeoutSet)
        return {CauseCode::UserTimeout, base + "; nothing acknowledged within the user timeout"};
    return {CauseCode::Unreachable, base + "; the peer stopped answering retransmissions"};
}

// socket(), connect() or accept() failed for want of something on this machine. The descriptor limit is
// named for every one of them: a process at its limit also meets ENOBUFS/ENOMEM from the allocations that
// come with each socket, and the person reading the detail needs the number either way.
Classification classifyLocalLimit(int error, const std::string &base, const ErrorContext &context)
{
    const DescriptorLimit limit = context.descriptorLimit.value_or(descriptorLimit());
    const std::string limitText = describeDescriptorLimit(limit);
    std::string detail;
#if defined(_WIN32)
    if (error == WSAEMFILE)
        detail = base + "; this machine has no more sockets for this process (not the peer); " + limitText +
                 ": " + descriptorLimitFix();
    else
        detail = base + "; no buffer space for another socket on this machine (not the peer); " + limitText +
                 ": " + descriptorLimitFix();
#else
    if (error == EMFILE)
        detail = base + "; " + limitText + ", the last " + std::to_string(kReservedDescriptors) +
                 " kept for the event log and Qt: " + descriptorLimitFix();
    else if (error == ENFILE)
        detail = base + "; the whole system is out of open files (fs.file-max), not only this process; " +
                 limitText + ": close files elsewhere or raise fs.file-max";
    else
        detail = base +
                 "; the kernel has no memory left for another socket on this machine (not the peer); " +
                 limitText + ": free memory or close other connections on this machine";
#endif
    return {CauseCode::LocalLimit, detail};
}

} // namespace

std::string errorName(int error)
{
    if (const ErrorEntry *entry = findError(error))
        return entry->name;
    return "error " + std::to_string(error);
}

std::string errorText(int error)
{
    if (const ErrorEntry *entry = findError(error))
        return entry->text;
#if defined(_WIN32)
    char buffer[256] = {};
    const DWORD length = ::FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr,
                                          static_cast<DWORD>(error), 0, buffer, sizeof buffer, nullptr);
    std::string text(buffer, length);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == '.'))
        text.pop_back();
    return text.empty() ? std::string("Unknown socket error") : text;
#else
    return std::strerror(error);
#endif
}

int pendingSocketError(NativeSocket socket)
{
    int error = 0;
#if defined(_WIN32)
    int length = sizeof error;
    if (::getsockopt(win::toSocket(socket), SOL_SOCKET, SO_ERROR, reinterpret_cast<char *>(&error),
                     &length) != 0)
        return ::WSAGetLastError();
#else
    socklen_t length = sizeof error;
    if (::getsockopt(static_cast<int>(socket), SOL_SOCKET, SO_ERROR, &error, &length) != 0)
        return errno;
#endif
    return error;
}

Classification classifySocketError(int error, const ErrorContext &context)
{
    if (error == 0)
        return {CauseCode::PeerClosed,
                "no socket error pending: the peer closed the connection (end of stream)"};
    const ErrorEntry *entry = findError(error);
    const std::string base = errorName(error) + " (" + std::to_string(error) + "): " + errorText(error);
    switch (entry ? entry->kind : Kind::Other) {
    case Kind::Refused:
        return {CauseCode::Refused, base + "; nothing listens on that port, or a firewall rejects it"};
    case Kind::Unreachable:
        return {CauseCode::Unreachable,
                base + (context.duringConnect ? std::string("; while connecting")
                                              : std::string("; an ICMP error ended the connection"))};
    case Kind::TimedOut:
        if (context.duringConnect)
            return {CauseCode::ConnectTimeout, base + "; no answer to the connection attempt"};
        return classifyTimeout(base, context);
    case Kind::Reset:
        return {CauseCode::Reset,
                base + (context.duringConnect ? std::string("; while connecting") : std::string())};
    case Kind::Aborted:
        if (context.lastSnapshot && context.lastSnapshot->hasDataInFlight())
            return classifyTimeout(base, context);
        return {CauseCode::Reset, base};
    case Kind::NetReset:
        if (context.keepaliveOn)
            return {CauseCode::KeepaliveTimeout, base + "; keepalive probes unanswered"};
        return {CauseCode::Reset, base};
    case Kind::LocalLimit:
        return classifyLocalLimit(error, base, context);
    case Kind::Other:
        break;
    }
    return {CauseCode::Network, base};
}

} // namespace kw::net
