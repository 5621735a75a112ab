#include "poller.h"

#include "poller_backends.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <unordered_map>
#include <vector>

namespace kw::net::detail {

namespace {

// One epoll_wait hands back at most this many events, however large the caller's span; what is left
// stays ready (level-triggered) and comes with the next wait.
constexpr std::size_t kMaxEventsPerWait = 1024;

std::uint32_t epollEvents(PollInterest interest)
{
    return (interest.read ? std::uint32_t(EPOLLIN) : 0u) | (interest.write ? std::uint32_t(EPOLLOUT) : 0u);
}

// Level-triggered (no EPOLLET), so a wake-up that leaves data unread is reported again, as with poll(2).
// Each registration carries its descriptor and serial in epoll_event.data: epoll(7) keys its set by the
// open file description, not the number, so events of a closed descriptor can still arrive (a duplicate
// keeps the description open, or they were read before the close) and the serial tells them apart from
// those of a new socket under the same number.
class EpollPoller final : public Poller
{
public:
    explicit EpollPoller(int epoll) : m_epoll(epoll) {}
    ~EpollPoller() override { ::close(m_epoll); }

    PollerBackend backend() const override { return PollerBackend::Epoll; }

    std::uint32_t add(NativeSocket socket, PollInterest interest, int *error) override
    {
        const int fd = static_cast<int>(socket);
        const std::uint32_t serial = nextSerial();
        epoll_event event{};
        event.events = epollEvents(interest);
        event.data.u64 = key(fd, serial);
        // EEXIST: this open socket was added before and not removed; the new registration replaces it.
        if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event) != 0 &&
            (errno != EEXIST || ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event) != 0)) {
            if (error)
                *error = errno;
            m_serials.erase(fd); // whatever had this number before is gone from the set or closed
            return 0;
        }
        m_serials[fd] = serial;
        return serial;
    }

    bool modify(NativeSocket socket, PollInterest interest, int *error) override
    {
        const int fd = static_cast<int>(socket);
        const auto it = m_serials.find(fd);
        if (it == m_serials.end()) {
            if (error)
                *error = ENOENT;
            return false;
        }
        epoll_event event{};
        event.events = epollEvents(interest);
        event.data.u64 = key(fd, it->second);
        if (::epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event) != 0) {
            if (error)
                *error = errno;
            return false;
        }
        return true;
    }

    void remove(NativeSocket socket) override
    {
        const int fd = static_cast<int>(socket);
        if (m_serials.erase(fd) == 0)
            return;
        // Fails with EBADF or ENOENT when the socket was closed already; it then left the set by
        // itself, unless a duplicate of it is still open (epoll(7), "Questions and answers" 6).
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
    }

    bool isCurrent(const PollEvent &event) const override
    {
        const auto it = m_serials.find(static_cast<int>(event.socket));
        return it != m_serials.end() && it->second == event.serial;
    }

    std::size_t size() const override { return m_serials.size(); }

    PollWait wait(std::span<PollEvent> events, std::chrono::milliseconds timeout) override
    {
        const std::size_t capacity = std::min(events.size(), kMaxEventsPerWait);
        if (capacity == 0)
            return {};
        m_ready.resize(capacity);
        const int timeoutMs =
            timeout.count() < 0 ? -1 : static_cast<int>(std::min<long long>(timeout.count(), INT_MAX));
        const int ready = ::epoll_wait(m_epoll, m_ready.data(), static_cast<int>(capacity), timeoutMs);
        if (ready < 0)
            return PollWait{0, errno == EINTR ? 0 : errno};
        const auto readyAt = std::chrono::steady_clock::now();
        std::size_t count = 0;
        for (int i = 0; i < ready; ++i) {
            const epoll_event &raw = m_ready[static_cast<std::size_t>(i)];
            const int fd = static_cast<int>(raw.data.u64 & 0xFFFFFFFFu);
            const auto serial = static_cast<std::uint32_t>(raw.data.u64 >> 32);
            const auto it = m_serials.find(fd);
            if (it == m_serials.end() || it->second != serial)
                continue;
            PollEvent &event = events[count++];
            event.socket = fd;
            event.serial = serial;
            event.readable = (raw.events & EPOLLIN) != 0;
            event.writable = (raw.events & EPOLLOUT) != 0;
            event.hangup = (raw.events & EPOLLHUP) != 0;
            event.error = (raw.events & EPOLLERR) != 0;
            event.readyAt = readyAt;
        }
        return PollWait{count, 0};
    }

    std::optional<NativeSocket> eventDescriptor() const override { return m_epoll; }

private:
    static std::uint64_t key(int fd, std::uint32_t serial)
    {
        return (std::uint64_t(serial) << 32) | static_cast<std::uint32_t>(fd);
    }

    std::uint32_t nextSerial()
    {
        if (++m_serial == 0) // 0 means "not registered"
            ++m_serial;
        return m_serial;
    }

    int m_epoll = -1;
    std::unordered_map<int, std::uint32_t> m_serials; // descriptor -> serial of its registration
    std::uint32_t m_serial = 0;
    std::vector<epoll_event> m_ready;
};

} // namespace

std::unique_ptr<Poller> makeEpollPoller(int *error)
{
    const int epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll < 0) {
        *error = errno;
        return nullptr;
    }
    return std::make_unique<EpollPoller>(epoll);
}

} // namespace kw::net::detail
