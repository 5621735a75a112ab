#include "poller.h"

#include "poller_backends.h"

#include <algorithm>
#include <climits>
#include <unordered_map>
#include <vector>

#if defined(_WIN32)
// winsock2.h must precede windows.h.
#include <winsock2.h>

#include <windows.h>
#else
#include <poll.h>

#include <cerrno>
#endif

namespace kw::net::detail {

namespace {

#if defined(_WIN32)
// WSAPoll refuses POLLPRI and POLLRDBAND in events (WSAEINVAL, "WSAPoll function" on Microsoft Learn),
// so ask for the normal-data flags only. Before Windows 10 2004 (build 19041) it did not report a failed
// connect at all (the bug curl and libuv avoid it for); since then a refused connect is
// POLLHUP | POLLERR | POLLWRNORM.
using PollFd = WSAPOLLFD;
constexpr short kReadFlags = POLLRDNORM;
constexpr short kWriteFlags = POLLWRNORM;
constexpr short kReadableFlags = POLLRDNORM | POLLRDBAND;

int pollNow(PollFd *fds, std::size_t count, int timeoutMs)
{
    if (count == 0) {
        // WSAPoll wants at least one socket; poll(2) with none just sleeps, so do that.
        ::Sleep(timeoutMs < 0 ? INFINITE : static_cast<DWORD>(timeoutMs));
        return 0;
    }
    return ::WSAPoll(fds, static_cast<ULONG>(count), timeoutMs);
}

int pollError()
{
    return ::WSAGetLastError();
}

bool interrupted(int)
{
    return false;
}
#else
using PollFd = pollfd;
constexpr short kReadFlags = POLLIN;
constexpr short kWriteFlags = POLLOUT;
constexpr short kReadableFlags = POLLIN;

int pollNow(PollFd *fds, std::size_t count, int timeoutMs)
{
    return ::poll(fds, static_cast<nfds_t>(count), timeoutMs);
}

int pollError()
{
    return errno;
}

bool interrupted(int error)
{
    return error == EINTR;
}
#endif

short pollFlags(PollInterest interest)
{
    return static_cast<short>((interest.read ? kReadFlags : 0) | (interest.write ? kWriteFlags : 0));
}

// The set lives in user space and goes to the kernel whole on every wait, so a wait costs time in
// proportion to the number of sockets (what epoll avoids, see poller_epoll.cpp), and there is no
// descriptor for another event loop to watch. POLLHUP, POLLERR and POLLNVAL are reported whatever
// was asked for (poll(2)), which matches epoll's EPOLLHUP and EPOLLERR.
class PollPoller final : public Poller
{
public:
    PollerBackend backend() const override { return PollerBackend::Poll; }

    std::uint32_t add(NativeSocket socket, PollInterest interest, int *) override
    {
        const std::uint32_t serial = nextSerial();
        const auto it = m_index.find(socket);
        if (it != m_index.end()) {
            // The number was closed and given to a new socket without remove(): replace it.
            m_fds[it->second].events = pollFlags(interest);
            m_fds[it->second].revents = 0;
            m_serials[it->second] = serial;
            return serial;
        }
        PollFd entry{};
        entry.fd = static_cast<decltype(entry.fd)>(socket);
        entry.events = pollFlags(interest);
        m_index.emplace(socket, m_fds.size());
        m_fds.push_back(entry);
        m_serials.push_back(serial);
        return serial;
    }

    bool modify(NativeSocket socket, PollInterest interest, int *error) override
    {
        const auto it = m_index.find(socket);
        if (it == m_index.end()) {
            if (error)
#if defined(_WIN32)
                *error = WSAENOTSOCK;
#else
                *error = ENOENT;
#endif
            return false;
        }
        m_fds[it->second].events = pollFlags(interest);
        return true;
    }

    void remove(NativeSocket socket) override
    {
        const auto it = m_index.find(socket);
        if (it == m_index.end())
            return;
        // The last entry takes the removed one's place: no gap for poll() to skip.
        const std::size_t index = it->second;
        m_index.erase(it);
        const std::size_t last = m_fds.size() - 1;
        if (index != last) {
            m_fds[index] = m_fds[last];
            m_serials[index] = m_serials[last];
            m_index[static_cast<NativeSocket>(m_fds[index].fd)] = index;
        }
        m_fds.pop_back();
        m_serials.pop_back();
    }

    bool isCurrent(const PollEvent &event) const override
    {
        const auto it = m_index.find(event.socket);
        return it != m_index.end() && m_serials[it->second] == event.serial;
    }

    std::size_t size() const override
    {
        return m_fds.size();
    }

    PollWait wait(std::span<PollEvent> events, std::chrono::milliseconds timeout) override
    {
        if (events.empty())
            return {};
        const int timeoutMs =
            timeout.count() < 0 ? -1 : static_cast<int>(std::min<long long>(timeout.count(), INT_MAX));
        const int ready = pollNow(m_fds.data(), m_fds.size(), timeoutMs);
        if (ready < 0) {
            const int error = pollError();
            return PollWait{0, interrupted(error) ? 0 : error};
        }
        const auto readyAt = std::chrono::steady_clock::now();
        // More ready sockets than room for events: start the next wait where this one stopped, so the
        // sockets at the front of the set cannot keep the others waiting.
        const std::size_t size = m_fds.size();
        std::size_t count = 0;
        std::size_t found = 0;
        std::size_t i = size == 0 ? 0 : m_cursor % size;
        for (std::size_t step = 0; step < size && found < static_cast<std::size_t>(ready); ++step) {
            const PollFd &entry = m_fds[i];
            const std::size_t at = i;
            i = i + 1 == size ? 0 : i + 1;
            if (entry.revents == 0)
                continue;
            ++found;
            if (count == events.size()) {
                m_cursor = at;
                return PollWait{count, 0};
            }
            PollEvent &event = events[count++];
            event.socket = static_cast<NativeSocket>(entry.fd);
            event.serial = m_serials[at];
            event.readable = (entry.revents & kReadableFlags) != 0;
            event.writable = (entry.revents & kWriteFlags) != 0;
            event.hangup = (entry.revents & POLLHUP) != 0;
            event.error = (entry.revents & (POLLERR | POLLNVAL)) != 0;
            event.readyAt = readyAt;
        }
        m_cursor = i;
        return PollWait{count, 0};
    }

    std::optional<NativeSocket> eventDescriptor() const override
    {
        return std::nullopt;
    }

private:
    std::uint32_t nextSerial()
    {
        if (++m_serial == 0) // 0 means "not registered"
            ++m_serial;
        return m_serial;
    }

    std::vector<PollFd> m_fds;                             // handed to poll() / WSAPoll as it is
    std::vector<std::uint32_t> m_serials;                  // parallel to m_fds
    std::unordered_map<NativeSocket, std::size_t> m_index; // socket -> its place in m_fds
    std::size_t m_cursor = 0;
    std::uint32_t m_serial = 0;
};

} // namespace

std::unique_ptr<Poller> makePollPoller(int *)
{
    return std::make_unique<PollPoller>();
}

} // namespace kw::net::detail
