#include "connection.h"

#include "socketio.h"

#include <QHash>
#include <QMetaObject>
#include <QPointer>
#include <QSocketNotifier>

#include <array>
#include <cstdint>
#include <functional>

#if defined(Q_OS_LINUX)
#include <sys/epoll.h>
#include <unistd.h>
#endif

namespace kw {

namespace {
constexpr qsizetype kReadChunk = 16 * 1024;
// A peer that streams without pause must not starve every other endpoint on
// the engine thread: read at most this much per wake-up.
constexpr qsizetype kMaxReadPerWake = 256 * 1024;
// Sent bytes are dropped from the front of the write buffer once there are this many of them.
constexpr qsizetype kCompactAt = 64 * 1024;

#if defined(Q_OS_LINUX)
// Qt's event dispatchers poll() every socket notifier of a thread on every
// wake-up: with 10,000 connections that scan costs milliseconds each time and
// was the largest part of the engine thread's CPU. Instead, the connections
// of a thread share one level-triggered epoll set, and Qt polls only its
// descriptor. Level-triggered keeps poll()'s semantics: what a wake-up does
// not read is reported again.
class EpollHub final : public QObject
{
public:
    using Handler = std::function<void(std::uint32_t events)>;

    static EpollHub *existing() { return t_hub; }

    static EpollHub *forThisThread()
    {
        if (!t_hub)
            t_hub = new EpollHub;
        return t_hub->m_epoll >= 0 ? t_hub : nullptr;
    }

    bool add(int fd, Handler handler)
    {
        const quint32 serial = ++m_serial;
        epoll_event event{};
        event.data.u64 = key(fd, serial);
        if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event) != 0)
            return false;
        m_watched.insert(fd, Watch{serial, std::move(handler)});
        return true;
    }

    void modify(int fd, bool read, bool write)
    {
        const auto it = m_watched.constFind(fd);
        if (it == m_watched.cend())
            return;
        epoll_event event{};
        event.events = (read ? EPOLLIN : 0u) | (write ? EPOLLOUT : 0u);
        event.data.u64 = key(fd, it->serial);
        ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event);
    }

    // Before the descriptor is closed: a closed one leaves the set by itself
    // only when no duplicate of it exists.
    void remove(int fd)
    {
        if (m_watched.remove(fd) == 0)
            return;
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
        if (m_watched.isEmpty() && t_hub == this) {
            t_hub = nullptr;
            deleteLater(); // may be inside onReady() right now
        }
    }

private:
    struct Watch
    {
        quint32 serial = 0;
        Handler handler;
    };

    EpollHub() : m_epoll(::epoll_create1(EPOLL_CLOEXEC))
    {
        if (m_epoll < 0)
            return;
        m_notifier = new QSocketNotifier(m_epoll, QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, &EpollHub::onReady);
    }

    ~EpollHub() override
    {
        if (t_hub == this)
            t_hub = nullptr;
        if (m_epoll >= 0)
            ::close(m_epoll);
    }

    static std::uint64_t key(int fd, quint32 serial)
    {
        return (std::uint64_t(serial) << 32) | std::uint32_t(fd);
    }

    void onReady()
    {
        std::array<epoll_event, 512> events;
        const int ready = ::epoll_wait(m_epoll, events.data(), int(events.size()), 0);
        for (int i = 0; i < ready; ++i) {
            const std::uint64_t data = events[std::size_t(i)].data.u64;
            // Handlers may close or open connections: look each one up again,
            // and skip events of a descriptor number that was reused meanwhile.
            const auto it = m_watched.constFind(int(data & 0xFFFFFFFFu));
            if (it == m_watched.cend() || it->serial != quint32(data >> 32))
                continue;
            const Handler handler = it->handler;
            handler(events[std::size_t(i)].events);
        }
    }

    static thread_local EpollHub *t_hub;
    int m_epoll = -1;
    QSocketNotifier *m_notifier = nullptr;
    QHash<int, Watch> m_watched;
    quint32 m_serial = 0;
};

thread_local EpollHub *EpollHub::t_hub = nullptr;
#endif
} // namespace

Connection::Connection(QObject *parent) : QObject(parent) {}

Connection::~Connection()
{
    close();
}

void Connection::connectTo(const QHostAddress &address, quint16 port)
{
    close();
    const net::ConnectStart start = net::startConnect(address.toString().toStdString(), port);
    if (start.socket == net::kInvalidSocket || (!start.inProgress && start.error != 0)) {
        const int error = start.error != 0 ? start.error : -1;
        // Keep the contract that outcomes arrive from the event loop.
        QMetaObject::invokeMethod(
            this, [this, error] { fail(error); }, Qt::QueuedConnection);
        return;
    }
    m_socket = start.socket;
    watch();
    if (start.inProgress) {
        setWriteInterest(true);
    } else {
        QMetaObject::invokeMethod(
            this, [this] { onWritable(); }, Qt::QueuedConnection);
    }
}

bool Connection::adopt(net::NativeSocket socket, int *error)
{
    close();
    if (!net::makeNonBlocking(socket, error)) {
        net::closeSocket(socket);
        return false;
    }
    m_socket = socket;
    m_connected = true;
    watch();
    setReadInterest(true);
    return true;
}

void Connection::watch()
{
    m_wantRead = false;
    m_wantWrite = false;
#if defined(Q_OS_LINUX)
    if (EpollHub *hub = EpollHub::forThisThread()) {
        const bool added = hub->add(int(m_socket), [this](std::uint32_t events) {
            onSocketEvents(events & EPOLLIN, events & EPOLLOUT, events & (EPOLLERR | EPOLLHUP));
        });
        if (added)
            return;
    }
#endif
    m_readNotifier = new QSocketNotifier(m_socket, QSocketNotifier::Read, this);
    m_writeNotifier = new QSocketNotifier(m_socket, QSocketNotifier::Write, this);
    m_readNotifier->setEnabled(false);
    m_writeNotifier->setEnabled(false);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &Connection::onReadable);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &Connection::onWritable);
}

void Connection::unwatch()
{
    if (m_readNotifier) {
        m_readNotifier->setEnabled(false);
        m_readNotifier->deleteLater();
        m_readNotifier = nullptr;
        m_writeNotifier->setEnabled(false);
        m_writeNotifier->deleteLater();
        m_writeNotifier = nullptr;
    }
#if defined(Q_OS_LINUX)
    else if (m_socket != net::kInvalidSocket) {
        if (EpollHub *hub = EpollHub::existing())
            hub->remove(int(m_socket));
    }
#endif
    m_wantRead = false;
    m_wantWrite = false;
}

void Connection::setReadInterest(bool on)
{
    if (m_wantRead == on)
        return;
    m_wantRead = on;
    if (m_readNotifier) {
        m_readNotifier->setEnabled(on);
        return;
    }
#if defined(Q_OS_LINUX)
    if (EpollHub *hub = EpollHub::existing())
        hub->modify(int(m_socket), m_wantRead, m_wantWrite);
#endif
}

void Connection::setWriteInterest(bool on)
{
    if (m_wantWrite == on)
        return;
    m_wantWrite = on;
    if (m_writeNotifier) {
        m_writeNotifier->setEnabled(on);
        return;
    }
#if defined(Q_OS_LINUX)
    if (EpollHub *hub = EpollHub::existing())
        hub->modify(int(m_socket), m_wantRead, m_wantWrite);
#endif
}

void Connection::onSocketEvents(bool readable, bool writable, bool hangup)
{
    // epoll reports errors and hang-ups whatever was asked for: while
    // connecting they end the connect, afterwards the read sees them.
    QPointer<Connection> self(this);
    if (!m_connected && (writable || hangup)) {
        onWritable();
        return;
    }
    if (m_wantWrite && writable) {
        onWritable();
        if (!self || !isOpen())
            return;
    }
    if (readable || hangup)
        onReadable();
}

void Connection::write(const QByteArray &data)
{
    if (!isOpen())
        return;
    m_outgoing.append(data);
    if (m_connected)
        flush();
}

void Connection::close()
{
    unwatch();
    if (m_socket != net::kInvalidSocket) {
        net::closeSocket(m_socket);
        m_socket = net::kInvalidSocket;
    }
    m_connected = false;
    m_outgoing.clear();
    m_sent = 0;
}

QString Connection::localEndpoint() const
{
    return isOpen() ? QString::fromStdString(net::localEndpoint(m_socket)) : QString();
}

QString Connection::peerEndpoint() const
{
    return isOpen() ? QString::fromStdString(net::peerEndpoint(m_socket)) : QString();
}

void Connection::fail(int error)
{
    close();
    Q_EMIT failed(error);
}

void Connection::onWritable()
{
    if (!isOpen())
        return;
    if (!m_connected) {
        const int error = net::finishConnect(m_socket);
        if (error != 0) {
            fail(error);
            return;
        }
        m_connected = true;
        setWriteInterest(false);
        setReadInterest(true);
        QPointer<Connection> self(this);
        Q_EMIT connected();
        if (!self || !isOpen())
            return;
    }
    flush();
}

void Connection::flush()
{
    while (m_sent < m_outgoing.size()) {
        const net::IoResult result = net::sendSome(m_socket, m_outgoing.constData() + m_sent,
                                                   static_cast<std::size_t>(m_outgoing.size() - m_sent));
        if (result.error != 0) {
            fail(result.error);
            return;
        }
        if (result.wouldBlock)
            break;
        m_sent += result.bytes;
    }
    if (m_sent == m_outgoing.size()) {
        m_outgoing.clear();
        m_sent = 0;
    } else if (m_sent >= kCompactAt && m_sent * 2 >= m_outgoing.size()) {
        // Once most of the buffer is sent, drop that part: one copy of the rest per half buffer.
        m_outgoing.remove(0, m_sent);
        m_sent = 0;
    }
    setWriteInterest(m_sent < m_outgoing.size());
}

void Connection::onReadable()
{
    if (!isOpen())
        return;
    QByteArray data;
    bool endOfStream = false;
    int error = 0;
    std::array<char, kReadChunk> buffer;
    while (data.size() < kMaxReadPerWake) {
        const net::IoResult result = net::receiveSome(m_socket, buffer.data(), buffer.size());
        if (result.bytes > 0) {
            data.append(buffer.data(), result.bytes);
            continue;
        }
        endOfStream = result.endOfStream;
        error = result.error;
        break;
    }
    QPointer<Connection> self(this);
    if (!data.isEmpty()) {
        Q_EMIT received(data);
        if (!self || !isOpen())
            return;
    }
    if (error != 0) {
        fail(error);
    } else if (endOfStream) {
        close();
        Q_EMIT peerClosed();
    }
}

} // namespace kw
