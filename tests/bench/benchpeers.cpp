// kw_bench_peers: the far end of the scale benchmark. A single-threaded epoll
// responder that answers every line it receives with "PONG\n" on several
// listening ports on 127.0.0.1. It runs as its own process so its CPU time is
// not counted as Keepwatch's, and so the benchmark can kill it and start it
// again on the same ports to provoke a reconnect storm.
//
//   kw_bench_peers [--ports N | --port P ...]
//
// Prints "ports P1 P2 ..." on stdout once every port listens, then serves
// until killed.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

constexpr int kBacklog = 4096; // capped by net.core.somaxconn
constexpr char kReply[] = "PONG\n";
constexpr std::size_t kReplySize = sizeof(kReply) - 1;

void raiseFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

int listenOn(unsigned short port, unsigned short *bound)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    // A restarted peer must get its old ports back while the previous run's
    // connections sit in TIME_WAIT.
    const int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0 ||
        ::listen(fd, kBacklog) != 0) {
        ::close(fd);
        return -1;
    }
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
    *bound = ntohs(address.sin_port);
    return fd;
}

} // namespace

int main(int argc, char **argv)
{
    std::vector<unsigned short> requested;
    int count = 8;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--ports" && i + 1 < argc) {
            count = std::atoi(argv[++i]);
        } else if (arg == "--port" && i + 1 < argc) {
            requested.push_back(static_cast<unsigned short>(std::atoi(argv[++i])));
        } else {
            std::fprintf(stderr, "usage: %s [--ports N | --port P ...]\n", argv[0]);
            return 2;
        }
    }
    if (requested.empty())
        requested.assign(static_cast<std::size_t>(std::max(count, 1)), 0);

    raiseFileLimit();
    const int epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll < 0) {
        std::perror("epoll_create1");
        return 1;
    }

    std::vector<int> listeners;
    std::string line = "ports";
    for (const unsigned short port : requested) {
        unsigned short bound = 0;
        const int fd = listenOn(port, &bound);
        if (fd < 0) {
            std::fprintf(stderr, "cannot listen on 127.0.0.1:%u: %s\n", port, std::strerror(errno));
            return 1;
        }
        listeners.push_back(fd);
        line += ' ' + std::to_string(bound);
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u64 = (std::uint64_t{1} << 63) | static_cast<std::uint64_t>(fd);
        ::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event);
    }
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);

    std::array<epoll_event, 512> events{};
    std::array<char, 4096> buffer{};
    std::string replies;
    for (;;) {
        const int ready = ::epoll_wait(epoll, events.data(), int(events.size()), -1);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            std::perror("epoll_wait");
            return 1;
        }
        for (int i = 0; i < ready; ++i) {
            const std::uint64_t tag = events[std::size_t(i)].data.u64;
            const int fd = static_cast<int>(tag & 0xFFFFFFFFu);
            if (tag >> 63) {
                for (;;) {
                    const int client = ::accept4(fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (client < 0)
                        break; // EAGAIN, or EMFILE: the kernel keeps the rest queued
                    epoll_event event{};
                    event.events = EPOLLIN | EPOLLRDHUP;
                    event.data.u64 = static_cast<std::uint64_t>(client);
                    ::epoll_ctl(epoll, EPOLL_CTL_ADD, client, &event);
                }
                continue;
            }
            bool closeIt = false;
            for (;;) {
                const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
                if (n > 0) {
                    replies.clear();
                    for (ssize_t b = 0; b < n; ++b) {
                        if (buffer[std::size_t(b)] == '\n')
                            replies.append(kReply, kReplySize);
                    }
                    // A few bytes on loopback never fill the send buffer; a
                    // reply that would block is dropped like a lost heartbeat.
                    if (!replies.empty())
                        ::send(fd, replies.data(), replies.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
                    continue;
                }
                closeIt = n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
                break;
            }
            if (closeIt) {
                ::epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nullptr);
                ::close(fd);
            }
        }
    }
}
