#pragma once

// The peers of tst_websocketlayer: a WebSocketLayer over a real loopback socket in a small poll
// loop, a program started for one test (ws_testserver, Python's http.server), and a one-connection
// responder for answers no real server gives on purpose.

#include "loopbackpair.h"
#include "socketio.h"
#include "websocketlayer.h"

#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtTest/QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kw::stream::test {

inline constexpr int kPeerTimeoutMs = 5000;

// What the layer reported, and what it handed below.
struct Recorder
{
    int ready = 0;
    std::string delivered;
    std::vector<std::pair<bool, std::string>> messages;
    std::vector<std::string> pongs;
    int serverPings = 0;
    std::optional<Failure> failed;
    std::optional<Failure> closed;
    int afterEnd = 0; // callbacks after failed() or closedByPeer(): must stay 0
    std::string sent;
    bool peerEndAtLastSend = false; // the layer knew the peer's end when it last sent (its answer)

    bool ended() const { return failed || closed; }

    void attach(WebSocketLayer &layer, bool messages, std::function<void(std::string_view)> below)
    {
        Layer::Callbacks callbacks;
        callbacks.sendBelow = [this, below, &layer](std::string_view bytes) {
            sent += bytes;
            peerEndAtLastSend = layer.peerEnd().has_value();
            if (below)
                below(bytes);
        };
        callbacks.ready = [this] { note(), ++ready; };
        callbacks.deliver = [this](std::string_view bytes) { note(), delivered += bytes; };
        callbacks.failed = [this](const Failure &how) { note(), failed = how; };
        callbacks.closedByPeer = [this](const Failure &how) { note(), closed = how; };
        layer.setCallbacks(callbacks);
        WebSocketLayer::WebSocketCallbacks ws;
        if (messages)
            ws.message = [this](bool text, std::string_view payload) {
                note(), this->messages.emplace_back(text, std::string(payload));
            };
        ws.pong = [this](std::string_view payload) { note(), pongs.emplace_back(payload); };
        ws.serverPing = [this] { note(), ++serverPings; };
        layer.setWebSocketCallbacks(ws);
    }
    void note()
    {
        if (ended())
            ++afterEnd;
    }
};

// A WebSocketLayer over a real non-blocking loopback TCP socket, driven by a small poll loop.
class Connection
{
public:
    explicit Connection(WebSocketOptions options, bool messages = true) : layer(std::move(options))
    {
        events.attach(layer, messages, [this](std::string_view bytes) { writeAll(bytes); });
    }
    ~Connection()
    {
        if (m_socket != kw::net::kInvalidSocket)
            kw::net::closeSocket(m_socket);
    }

    // Connects to 127.0.0.1:port and starts the upgrade.
    bool open(std::uint16_t port)
    {
        const kw::net::ConnectStart connect = kw::net::startConnect("127.0.0.1", port);
        m_socket = connect.socket;
        if (m_socket == kw::net::kInvalidSocket)
            return false;
        if (connect.inProgress) {
            pollfd waiter{int(m_socket), POLLOUT, 0};
            if (::poll(&waiter, 1, kPeerTimeoutMs) != 1 || kw::net::finishConnect(m_socket) != 0)
                return false;
        }
        layer.start();
        return true;
    }

    // Reads and feeds the layer until `done` or the time is up.
    bool pumpUntil(const std::function<bool()> &done, int timeoutMs = kPeerTimeoutMs)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        while (!done()) {
            if (m_endOfStream || std::chrono::steady_clock::now() > deadline)
                return done();
            pollfd waiter{int(m_socket), POLLIN, 0};
            if (::poll(&waiter, 1, 20) != 1)
                continue;
            char buffer[16 * 1024];
            const kw::net::IoResult read = kw::net::receiveSome(m_socket, buffer, sizeof buffer);
            if (read.bytes > 0) {
                layer.receive(std::string_view(buffer, std::size_t(read.bytes)));
            } else if (read.endOfStream) {
                m_endOfStream = true;
                layer.belowEnded();
            } else if (!read.wouldBlock) {
                readError = read.error;
                return done();
            }
        }
        return true;
    }
    bool pumpUntilEnded()
    {
        return pumpUntil([this] { return events.ended(); });
    }

    WebSocketLayer layer;
    Recorder events;
    int readError = 0;
    int writeError = 0;

private:
    void writeAll(std::string_view bytes)
    {
        while (!bytes.empty() && writeError == 0) {
            const kw::net::IoResult wrote = kw::net::sendSome(m_socket, bytes.data(), bytes.size());
            if (wrote.bytes > 0) {
                bytes.remove_prefix(std::size_t(wrote.bytes));
            } else if (wrote.wouldBlock) {
                pollfd waiter{int(m_socket), POLLOUT, 0};
                if (::poll(&waiter, 1, kPeerTimeoutMs) != 1)
                    writeError = ETIMEDOUT;
            } else {
                writeError = wrote.error;
            }
        }
    }

    kw::net::NativeSocket m_socket = kw::net::kInvalidSocket;
    bool m_endOfStream = false;
};

// A program started for one test, killed when the test ends; `listening` matches the line it
// prints once it accepts connections, with the port in the first capture.
class PeerProcess
{
public:
    ~PeerProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(2000);
        }
    }
    bool start(const QString &program, const QStringList &arguments, const QRegularExpression &listening)
    {
        m_process.setProgram(program);
        m_process.setArguments(arguments);
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start();
        if (!m_process.waitForStarted(5000))
            return false;
        QByteArray output;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < deadline) {
            if (!m_process.waitForReadyRead(200) && m_process.state() == QProcess::NotRunning)
                return false;
            output += m_process.readAllStandardOutput();
            const QRegularExpressionMatch match = listening.match(QString::fromUtf8(output));
            if (match.hasMatch()) {
                port = std::uint16_t(match.captured(1).toUInt());
                return port != 0;
            }
        }
        return false;
    }
    QString errors() { return QString::fromUtf8(m_process.readAllStandardError()); }

    std::uint16_t port = 0;

private:
    QProcess m_process;
};

// Answers one connection on 127.0.0.1 with whatever the test writes: for server behaviour no real
// server shows on purpose.
class FakeServer
{
public:
    FakeServer() : m_listener(1) { port = m_listener.port(); }
    ~FakeServer()
    {
        if (m_client >= 0)
            ::close(m_client);
    }
    // Accepts the client and reads its upgrade request.
    std::string acceptRequest()
    {
        pollfd waiter{m_listener.fd(), POLLIN, 0};
        if (::poll(&waiter, 1, kPeerTimeoutMs) != 1)
            return {};
        m_client = ::accept(m_listener.fd(), nullptr, nullptr);
        std::string request;
        while (m_client >= 0 && request.find("\r\n\r\n") == std::string::npos) {
            const std::string more = read(kPeerTimeoutMs);
            if (more.empty())
                break;
            request += more;
        }
        return request;
    }
    void write(std::string_view bytes)
    {
        QCOMPARE(::send(m_client, bytes.data(), bytes.size(), MSG_NOSIGNAL), ssize_t(bytes.size()));
    }
    // What the client sent within `timeoutMs` (empty at end of stream).
    std::string read(int timeoutMs)
    {
        pollfd waiter{m_client, POLLIN, 0};
        if (::poll(&waiter, 1, timeoutMs) != 1)
            return {};
        char buffer[4096];
        const ssize_t got = ::recv(m_client, buffer, sizeof buffer, 0);
        return got > 0 ? std::string(buffer, std::size_t(got)) : std::string();
    }
    void closeClient()
    {
        ::close(m_client);
        m_client = -1;
    }

    std::uint16_t port = 0;

private:
    kw::test::LoopbackListener m_listener;
    int m_client = -1;
};

} // namespace kw::stream::test
