#pragma once

// A connected TCP pair on 127.0.0.1 made from plain sockets, so tests see exactly what the kernel does.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <initializer_list>

namespace kw::test {

class LoopbackPair
{
public:
    LoopbackPair()
    {
        m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (m_listener < 0 || ::bind(m_listener, asSockaddr(&address), sizeof address) != 0 ||
            ::listen(m_listener, 1) != 0 || ::getsockname(m_listener, asSockaddr(&address), &length) != 0)
            return;
        m_port = ntohs(address.sin_port);
        m_client = ::socket(AF_INET, SOCK_STREAM, 0);
        if (m_client < 0 || ::connect(m_client, asSockaddr(&address), sizeof address) != 0)
            return;
        m_server = ::accept(m_listener, nullptr, nullptr);
    }
    ~LoopbackPair()
    {
        for (int fd : {m_client, m_server, m_listener})
            if (fd >= 0)
                ::close(fd);
    }
    LoopbackPair(const LoopbackPair &) = delete;
    LoopbackPair &operator=(const LoopbackPair &) = delete;

    bool isValid() const { return m_client >= 0 && m_server >= 0; }
    int client() const { return m_client; }
    int server() const { return m_server; }
    std::uint16_t port() const { return m_port; }
    // Hands the server end over to the caller, who closes it.
    int takeServer()
    {
        const int fd = m_server;
        m_server = -1;
        return fd;
    }

    static sockaddr *asSockaddr(sockaddr_in *address) { return reinterpret_cast<sockaddr *>(address); }

private:
    int m_listener = -1;
    int m_client = -1;
    int m_server = -1;
    std::uint16_t m_port = 0;
};

} // namespace kw::test
