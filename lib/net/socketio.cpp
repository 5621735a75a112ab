#include "socketio.h"

#include "resourcelimits.h"

#include <cstring>

#if defined(_WIN32)
// winsock2.h must precede windows.h (MinGW-w64 warns, and -Werror stops the Windows build).
#include <winsock2.h>

#include <ws2tcpip.h>

#include <windows.h>
#else
#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#endif
#if defined(__linux__)
#include <linux/net_tstamp.h>
#include <sys/uio.h>

#include <ctime>
#endif

namespace kw::net {

namespace {

#if defined(_WIN32)
int lastError()
{
    return WSAGetLastError();
}
SOCKET toNative(NativeSocket s)
{
    return static_cast<SOCKET>(s);
}
#else
int lastError()
{
    return errno;
}
int toNative(NativeSocket s)
{
    return static_cast<int>(s);
}
#endif

bool setNonBlocking(NativeSocket s, int *error)
{
#if defined(_WIN32)
    u_long on = 1;
    if (ioctlsocket(toNative(s), FIONBIO, &on) != 0) {
        *error = lastError();
        return false;
    }
#else
    const int flags = fcntl(toNative(s), F_GETFL, 0);
    if (flags < 0 || fcntl(toNative(s), F_SETFL, flags | O_NONBLOCK) < 0) {
        *error = lastError();
        return false;
    }
#endif
    return true;
}

// A failed recv/send: "try again later" is not an error.
void noteFailure(IoResult &result)
{
    const int error = lastError();
#if defined(_WIN32)
    result.wouldBlock = error == WSAEWOULDBLOCK;
#else
    result.wouldBlock = error == EAGAIN || error == EWOULDBLOCK;
#endif
    if (!result.wouldBlock)
        result.error = error;
}

#if defined(__linux__)
// A kernel stamp older than this is not believed: the bytes cannot have waited that long in a socket
// the engine watches, so CLOCK_REALTIME was stepped between arrival and read (see stampArrival()).
constexpr std::chrono::seconds kMaxStampAge{60};

// The kernel stamps in CLOCK_REALTIME (Documentation/networking/timestamping.rst: software stamps are
// system time, and there is no monotonic variant), and a clock step moves it. So the stamp becomes an
// age, the realtime clock read now minus the stamp, and the age is taken from the monotonic clock read
// at the same moment: an NTP slew (at most 500 ppm) errs by nanoseconds over any plausible age, and a
// step between arrival and read is caught by the bounds below (a negative age, or one past
// kMaxStampAge) and falls back to the time of the read.
void stampArrival(IoResult &result, const timespec &stamp)
{
    const auto readAt = std::chrono::steady_clock::now();
    timespec realNow{};
    ::clock_gettime(CLOCK_REALTIME, &realNow);
    result.at = readAt;
    if (stamp.tv_sec == 0 && stamp.tv_nsec == 0)
        return;
    const std::chrono::nanoseconds age = std::chrono::seconds(realNow.tv_sec - stamp.tv_sec) +
                                         std::chrono::nanoseconds(realNow.tv_nsec - stamp.tv_nsec);
    if (age < std::chrono::nanoseconds(0) || age > kMaxStampAge)
        return;
    result.at = readAt - age;
    result.stampedByKernel = true;
    result.waited = age;
}
#endif

std::string formatEndpoint(const sockaddr_storage &address)
{
    char host[INET6_ADDRSTRLEN] = {};
    if (address.ss_family == AF_INET) {
        sockaddr_in in{};
        std::memcpy(&in, &address, sizeof in);
        inet_ntop(AF_INET, &in.sin_addr, host, sizeof host);
        return std::string(host) + ':' + std::to_string(ntohs(in.sin_port));
    }
    if (address.ss_family == AF_INET6) {
        sockaddr_in6 in6{};
        std::memcpy(&in6, &address, sizeof in6);
        inet_ntop(AF_INET6, &in6.sin6_addr, host, sizeof host);
        return '[' + std::string(host) + "]:" + std::to_string(ntohs(in6.sin6_port));
    }
    return {};
}

} // namespace

bool initializeSockets()
{
#if defined(_WIN32)
    static const bool started = [] {
        WSADATA data;
        return WSAStartup(MAKEWORD(2, 2), &data) == 0;
    }();
    return started;
#else
    return true;
#endif
}

bool isInProgress(int error)
{
#if defined(_WIN32)
    return error == WSAEWOULDBLOCK || error == WSAEINPROGRESS;
#else
    return error == EINPROGRESS || error == EINTR;
#endif
}

ConnectStart startConnect(const std::string &numericAddress, std::uint16_t port)
{
    ConnectStart result;
    initializeSockets();

    sockaddr_storage address{};
    socklen_t length = 0;
    sockaddr_in in{};
    sockaddr_in6 in6{};
    if (inet_pton(AF_INET, numericAddress.c_str(), &in.sin_addr) == 1) {
        in.sin_family = AF_INET;
        in.sin_port = htons(port);
        std::memcpy(&address, &in, sizeof in);
        length = sizeof in;
    } else if (inet_pton(AF_INET6, numericAddress.c_str(), &in6.sin6_addr) == 1) {
        in6.sin6_family = AF_INET6;
        in6.sin6_port = htons(port);
        std::memcpy(&address, &in6, sizeof in6);
        length = sizeof in6;
    } else {
#if defined(_WIN32)
        result.error = WSAEAFNOSUPPORT;
#else
        result.error = EAFNOSUPPORT;
#endif
        return result;
    }

#if defined(_WIN32)
    SOCKET s = ::socket(address.ss_family, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET) {
        result.error = lastError();
        return result;
    }
#else
    int s = ::socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
    if (s < 0) {
        result.error = lastError();
        return result;
    }
    // The last descriptors are not ours to take: without them the event log, a name lookup or a new
    // thread of Qt's fails instead, and GLib aborts the whole process.
    if (eatsIntoDescriptorReserve(s)) {
        ::close(s);
        result.error = EMFILE;
        return result;
    }
#endif
    const auto native = static_cast<NativeSocket>(s);
    if (!setNonBlocking(native, &result.error)) {
        closeSocket(native);
        return result;
    }
    // Heartbeats are small and latency matters more than segment count.
    int one = 1;
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char *>(&one), sizeof one);

    if (::connect(s, reinterpret_cast<const sockaddr *>(&address), length) == 0) {
        result.socket = native;
        return result;
    }
    const int error = lastError();
    if (isInProgress(error)) {
        result.socket = native;
        result.inProgress = true;
        return result;
    }
    result.error = error;
    closeSocket(native);
    return result;
}

int finishConnect(NativeSocket socket)
{
    int error = 0;
    socklen_t length = sizeof error;
    if (getsockopt(toNative(socket), SOL_SOCKET, SO_ERROR, reinterpret_cast<char *>(&error), &length) != 0)
        return lastError();
    return error;
}

bool enableReceiveTimestamps(NativeSocket socket)
{
#if defined(__linux__)
    // Software receive stamps, generated when the packet enters the stack and reported on recvmsg().
    // For TCP (Linux 4.14, "tcp: Extend SOF_TIMESTAMPING_RX_SOFTWARE to TCP recvmsg") the stamp is the
    // one of the highest sequence number a read returns: the arrival of its last byte.
    const int flags = SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;
    return setsockopt(toNative(socket), SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof flags) == 0;
#else
    (void)socket;
    return false;
#endif
}

IoResult receiveSome(NativeSocket socket, char *buffer, std::size_t size)
{
    IoResult result;
#if defined(_WIN32)
    const int n = ::recv(toNative(socket), buffer, static_cast<int>(size), 0);
    if (n > 0)
        result.at = std::chrono::steady_clock::now();
#elif defined(__linux__)
    iovec data{buffer, size};
    // struct scm_timestamping: software, (deprecated), hardware stamps.
    alignas(cmsghdr) char control[CMSG_SPACE(3 * sizeof(timespec))];
    msghdr message{};
    message.msg_iov = &data;
    message.msg_iovlen = 1;
    ssize_t n;
    do {
        message.msg_control = control;
        message.msg_controllen = sizeof control;
        n = ::recvmsg(toNative(socket), &message, 0);
    } while (n < 0 && errno == EINTR);
    if (n > 0) {
        timespec stamp{};
        for (cmsghdr *c = CMSG_FIRSTHDR(&message); c; c = CMSG_NXTHDR(&message, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPING &&
                c->cmsg_len >= CMSG_LEN(sizeof(timespec)))
                std::memcpy(&stamp, CMSG_DATA(c), sizeof stamp);
        }
        stampArrival(result, stamp);
    }
#else
    ssize_t n;
    do {
        n = ::recv(toNative(socket), buffer, size, 0);
    } while (n < 0 && errno == EINTR);
    if (n > 0)
        result.at = std::chrono::steady_clock::now();
#endif
    if (n > 0) {
        result.bytes = n;
    } else if (n == 0) {
        result.endOfStream = true;
    } else {
        noteFailure(result);
    }
    return result;
}

IoResult sendSome(NativeSocket socket, const char *data, std::size_t size)
{
    IoResult result;
    // Read before the call: on loopback a peer on another core can answer before send() has returned,
    // and a reply stamped before its request would make a negative RTT.
    const auto calledAt = std::chrono::steady_clock::now();
#if defined(_WIN32)
    const int n = ::send(toNative(socket), data, static_cast<int>(size), 0);
#else
    ssize_t n;
    do {
        // MSG_NOSIGNAL: a write to a reset connection must be an error value, not SIGPIPE.
        n = ::send(toNative(socket), data, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
#endif
    if (n >= 0) {
        result.bytes = n;
        result.at = calledAt;
    } else {
        noteFailure(result);
    }
    return result;
}

bool makeNonBlocking(NativeSocket socket, int *error)
{
    int ignored = 0;
    return setNonBlocking(socket, error ? error : &ignored);
}

void closeSocket(NativeSocket socket)
{
    if (socket == kInvalidSocket)
        return;
#if defined(_WIN32)
    ::closesocket(toNative(socket));
#else
    ::close(toNative(socket));
#endif
}

bool setResetOnClose(NativeSocket socket)
{
    linger option{};
    option.l_onoff = 1;
    option.l_linger = 0;
    return setsockopt(toNative(socket), SOL_SOCKET, SO_LINGER, reinterpret_cast<const char *>(&option),
                      sizeof option) == 0;
}

std::string localEndpoint(NativeSocket socket)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (getsockname(toNative(socket), reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return {};
    return formatEndpoint(address);
}

std::string peerEndpoint(NativeSocket socket)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (getpeername(toNative(socket), reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return {};
    return formatEndpoint(address);
}

} // namespace kw::net
