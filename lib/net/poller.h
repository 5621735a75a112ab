#pragma once

#include "socketheader.h"

// One readiness poller per OS for many sockets, outside the socket and stream types (libuv keeps
// uv__io_start / uv__io_poll the same way). Level-triggered on every backend, as poll(2) is: what a
// wake-up does not read or write is reported again by the next wait().
//
// The poller owns no event loop. A caller with a loop of its own (Qt's, in lib/session) watches
// eventDescriptor() for readability and then calls wait() with a zero timeout; a poller that has no
// such descriptor must be waited on directly, or the caller watches each socket itself.

#include "nativesocket.h"
#include "socketio.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

namespace kw::net {

struct PollInterest
{
    bool read = false;
    bool write = false;
};

// One ready socket. Errors and hang-ups are reported whatever the interest, as epoll(7) and poll(2)
// do; the socket's own receive or SO_ERROR then says which error it was.
struct PollEvent
{
    NativeSocket socket = kInvalidSocket;
    std::uint32_t serial = 0; // of the registration the event belongs to
    bool readable = false;
    bool writable = false;
    bool hangup = false; // EPOLLHUP / POLLHUP: both directions are shut, or the connect failed
    bool error = false;  // EPOLLERR / POLLERR (and POLLNVAL: the socket was closed but not removed)
    // When the wait() that reported it returned: what a handler starts later than this, the socket
    // waited for the events handled before it in the same wake-up (the engine's own lateness).
    std::chrono::steady_clock::time_point readyAt{};
};

struct PollWait
{
    std::size_t count = 0; // events written to the front of the span
    int error = 0;         // errno / WSA error of the wait itself; EINTR is not one
};

enum class PollerBackend {
    Epoll, // Linux: one epoll set, whose descriptor an event loop can watch
    Poll,  // poll(2) on other POSIX systems, WSAPoll on Windows: no descriptor to watch
};

class Poller
{
public:
    virtual ~Poller() = default;
    Poller(const Poller &) = delete;
    Poller &operator=(const Poller &) = delete;

    virtual PollerBackend backend() const = 0;

    // Starts watching a socket; returns the registration's serial (never 0), or 0 and *error.
    // Every add() gets a new serial, so an event that was read before its socket was removed and
    // the descriptor number given to a new socket can be told from the new socket's: compare
    // PollEvent::serial with what add() returned, or ask isCurrent().
    //
    // remove() a socket before closing it. A number still registered (closed without remove())
    // is taken to be a new socket: the old registration is replaced and its events are dropped.
    virtual std::uint32_t add(NativeSocket socket, PollInterest interest, int *error) = 0;
    // False (and *error when given) when the socket is not registered or the OS refused.
    virtual bool modify(NativeSocket socket, PollInterest interest, int *error = nullptr) = 0;
    virtual void remove(NativeSocket socket) = 0;
    virtual bool isCurrent(const PollEvent &event) const = 0;
    virtual std::size_t size() const = 0;

    // Ready sockets, at most events.size() of them; timeout 0 returns at once, a negative one
    // waits until something is ready. Events of registrations removed or replaced meanwhile are
    // not reported.
    virtual PollWait wait(std::span<PollEvent> events, std::chrono::milliseconds timeout) = 0;

    // The descriptor that becomes readable while wait() would report something (the epoll set
    // itself; poll(2) on it works), or none for backends that keep their set in user space.
    virtual std::optional<NativeSocket> eventDescriptor() const = 0;

protected:
    Poller() = default;
};

// The best backend of this OS: Epoll on Linux, Poll elsewhere.
PollerBackend defaultPollerBackend();
// Null and *error when the poller cannot be made: errno / WSA error (EMFILE from epoll_create1 when
// out of descriptors), ENOSYS / WSAEOPNOTSUPP for a backend this OS lacks.
std::unique_ptr<Poller> makePoller(int *error);
std::unique_ptr<Poller> makePoller(PollerBackend backend, int *error);

} // namespace kw::net
