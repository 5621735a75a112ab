#include "poller.h"

#include "poller_backends.h"

#if defined(_WIN32)
#include <winsock2.h>
#else
#include <cerrno>
#endif

namespace kw::net {

PollerBackend defaultPollerBackend()
{
#if defined(__linux__)
    return PollerBackend::Epoll;
#else
    return PollerBackend::Poll;
#endif
}

std::unique_ptr<Poller> makePoller(int *error)
{
    return makePoller(defaultPollerBackend(), error);
}

std::unique_ptr<Poller> makePoller(PollerBackend backend, int *error)
{
    int ignored = 0;
    int &failure = error ? *error : ignored;
    switch (backend) {
    case PollerBackend::Epoll:
#if defined(__linux__)
        return detail::makeEpollPoller(&failure);
#else
        break;
#endif
    case PollerBackend::Poll:
        return detail::makePollPoller(&failure);
    }
#if defined(_WIN32)
    failure = WSAEOPNOTSUPP;
#else
    failure = ENOSYS;
#endif
    return nullptr;
}

} // namespace kw::net
