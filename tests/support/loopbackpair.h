#pragma once

// Plain loopback sockets on 127.0.0.1, so tests see exactly what the kernel does: a listener on a
// kernel-chosen port, and a connected pair.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <initializer_list>

namespace kw::test {

inline sockaddr *asSockaddr(sockaddr_in *address)
{
    return reinterpret_cast<sockaddr *>(address);
}

// A listening socket on 127.0.0.1 with a port the kernel chose; port() is 0 when it failed.
class LoopbackListener
{
public:
    explicit LoopbackListener(int backlog = 4)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address = loopback(0);
        socklen_t length = sizeof address;
        if (m_fd >= 0 && ::bind(m_fd, asSockaddr(&address), sizeof address) == 0 &&
            ::listen(m_fd, backlog) == 0 && ::getsockname(m_fd, asSockaddr(&address), &length) == 0)
            m_port = ntohs(address.sin_port);
    }
    ~LoopbackListener()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    LoopbackListener(const LoopbackListener &) = delete;
    LoopbackListener &operator=(const LoopbackListener &) = delete;

    int fd() const { return m_fd; }
    std::uint16_t port() const { return m_port; }

    static sockaddr_in loopback(std::uint16_t port)
    {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(port);
        return address;
    }

private:
    int m_fd = -1;
    std::uint16_t m_port = 0;
};

class LoopbackPair
{
public:
    LoopbackPair() : m_listener(1)
    {
        if (m_listener.port() == 0)
            return;
        sockaddr_in address = LoopbackListener::loopback(m_listener.port());
        m_client = ::socket(AF_INET, SOCK_STREAM, 0);
        if (m_client < 0 || ::connect(m_client, asSockaddr(&address), sizeof address) != 0)
            return;
        m_server = ::accept(m_listener.fd(), nullptr, nullptr);
    }
    ~LoopbackPair()
    {
        for (int fd : {m_client, m_server})
            if (fd >= 0)
                ::close(fd);
    }
    LoopbackPair(const LoopbackPair &) = delete;
    LoopbackPair &operator=(const LoopbackPair &) = delete;

    bool isValid() const { return m_client >= 0 && m_server >= 0; }
    int client() const { return m_client; }
    int server() const { return m_server; }
    std::uint16_t port() const { return m_listener.port(); }
    // Hands the server end over to the caller, who closes it.
    int takeServer()
    {
        const int fd = m_server;
        m_server = -1;
        return fd;
    }

private:
    LoopbackListener m_listener;
    int m_client = -1;
    int m_server = -1;
};

} // namespace kw::test
