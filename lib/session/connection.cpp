#include "connection.h"

#include "poller.h"
#include "socketio.h"

#include <QHash>
#include <QMetaObject>
#include <QSocketNotifier>

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace kw {

namespace {
constexpr qsizetype kReadChunk = 16 * 1024;
// A peer that streams without pause must not starve every other endpoint on
// the engine thread: read at most this much per wake-up.
constexpr qsizetype kMaxReadPerWake = 256 * 1024;
// Sent bytes are dropped from the front of the write buffer once there are this many of them.
constexpr qsizetype kCompactAt = 64 * 1024;
// Ready sockets handled per wake-up of the poller's descriptor; the rest stay ready (level-triggered)
// and wake the thread again at once.
constexpr std::size_t kMaxEventsPerWake = 512;

// The Qt side of net::Poller: the connections of a thread share one poller, and Qt watches only its
// descriptor. Qt's event dispatchers poll() every socket notifier of a thread on every wake-up: with
// 10,000 connections that scan cost milliseconds each time and was the largest part (~40 %) of the
// engine thread's CPU; with the epoll set (Linux) a wake-up costs what is ready, not what is open.
//
// Where the poller has no descriptor for Qt to watch (poll(2) elsewhere on POSIX, WSAPoll on Windows),
// and for a socket the set refuses (epoll_ctl ENOSPC past fs.epoll.max_user_watches), each socket gets
// a notifier pair instead: calling poll() or WSAPoll on the whole set from here on every wake-up would
// be the very scan above, done twice. Qt's Windows dispatcher has no such scan in the first place: it
// arms WSAAsyncSelect per socket and gets a window message for each ready one.
class SocketHub final : public QObject
{
public:
    using Handler = std::function<void(const net::PollEvent &event)>;

    static SocketHub *existing() { return t_hub; }

    static SocketHub *forThisThread()
    {
        if (!t_hub)
            t_hub = new SocketHub;
        return t_hub;
    }

    void add(net::NativeSocket socket, Handler handler)
    {
        Watch watch;
        watch.handler = std::move(handler);
        if (m_poller) {
            int error = 0;
            watch.serial = m_poller->add(socket, net::PollInterest{}, &error);
        }
        if (watch.serial == 0) {
            watch.read = new QSocketNotifier(qintptr(socket), QSocketNotifier::Read, this);
            watch.write = new QSocketNotifier(qintptr(socket), QSocketNotifier::Write, this);
            watch.read->setEnabled(false);
            watch.write->setEnabled(false);
            connectNotifier(socket, watch.read, net::PollEvent{socket, 0, true, false, false, false});
            connectNotifier(socket, watch.write, net::PollEvent{socket, 0, false, true, false, false});
        }
        m_watched.insert(socket, std::move(watch));
    }

    void modify(net::NativeSocket socket, net::PollInterest interest)
    {
        const auto it = m_watched.constFind(socket);
        if (it == m_watched.cend())
            return;
        if (it->read) {
            it->read->setEnabled(interest.read);
            it->write->setEnabled(interest.write);
            return;
        }
        m_poller->modify(socket, interest);
    }

    // Before the socket is closed (see net::Poller::add).
    void remove(net::NativeSocket socket)
    {
        const auto it = m_watched.find(socket);
        if (it == m_watched.end())
            return;
        if (it->read) {
            // Either may be emitting activated() right now.
            for (QSocketNotifier *notifier : {it->read, it->write}) {
                notifier->setEnabled(false);
                notifier->deleteLater();
            }
        } else {
            m_poller->remove(socket);
        }
        m_watched.erase(it);
        if (m_watched.isEmpty() && t_hub == this) {
            t_hub = nullptr;
            deleteLater(); // may be inside onReady() right now
        }
    }

private:
    struct Watch
    {
        std::uint32_t serial = 0; // the poller's; 0 for a notifier pair
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        Handler handler;
    };

    SocketHub()
    {
        int error = 0;
        m_poller = net::makePoller(&error);
        const std::optional<net::NativeSocket> descriptor =
            m_poller ? m_poller->eventDescriptor() : std::nullopt;
        if (!descriptor) {
            m_poller.reset(); // no poller (out of descriptors) or none Qt can watch: notifier pairs
            return;
        }
        m_notifier = new QSocketNotifier(qintptr(*descriptor), QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, &SocketHub::onReady);
    }

    ~SocketHub() override
    {
        if (t_hub == this)
            t_hub = nullptr;
    }

    void connectNotifier(net::NativeSocket socket, QSocketNotifier *notifier, net::PollEvent event)
    {
        connect(notifier, &QSocketNotifier::activated, this, [this, socket, notifier, event] {
            const auto it = m_watched.constFind(socket);
            if (it == m_watched.cend() || (it->read != notifier && it->write != notifier))
                return;
            const Handler handler = it->handler;
            net::PollEvent ready = event;
            ready.readyAt = std::chrono::steady_clock::now();
            handler(ready);
        });
    }

    void onReady()
    {
        std::array<net::PollEvent, kMaxEventsPerWake> events;
        const net::PollWait ready = m_poller->wait(events, std::chrono::milliseconds(0));
        for (std::size_t i = 0; i < ready.count; ++i) {
            const net::PollEvent &event = events[i];
            // Handlers may close or open connections: look each one up again, and skip events of a
            // descriptor number that was given to a new socket meanwhile.
            const auto it = m_watched.constFind(event.socket);
            if (it == m_watched.cend() || it->serial != event.serial)
                continue;
            const Handler handler = it->handler; // the handler may remove its own watch
            handler(event);
        }
    }

    static thread_local SocketHub *t_hub;
    std::unique_ptr<net::Poller> m_poller; // null: every socket has a notifier pair
    QSocketNotifier *m_notifier = nullptr;
    QHash<net::NativeSocket, Watch> m_watched;
};

thread_local SocketHub *SocketHub::t_hub = nullptr;
} // namespace

Connection::Connection(QObject *parent) : QObject(parent) {}

Connection::~Connection()
{
    for (Alive *guard = m_alive; guard; guard = guard->m_outer)
        guard->m_connection = nullptr;
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
    net::enableReceiveTimestamps(m_socket); // without: stamped when read
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
    net::enableReceiveTimestamps(m_socket);
    watch();
    setReadInterest(true);
    return true;
}

void Connection::watch()
{
    m_wantRead = false;
    m_wantWrite = false;
    SocketHub::forThisThread()->add(m_socket, [this](const net::PollEvent &event) { onSocketEvents(event); });
}

void Connection::unwatch()
{
    if (m_socket != net::kInvalidSocket) {
        if (SocketHub *hub = SocketHub::existing())
            hub->remove(m_socket);
    }
    m_wantRead = false;
    m_wantWrite = false;
}

void Connection::setReadInterest(bool on)
{
    if (m_wantRead == on)
        return;
    m_wantRead = on;
    if (SocketHub *hub = SocketHub::existing())
        hub->modify(m_socket, net::PollInterest{m_wantRead, m_wantWrite});
}

void Connection::setWriteInterest(bool on)
{
    if (m_wantWrite == on)
        return;
    m_wantWrite = on;
    if (SocketHub *hub = SocketHub::existing())
        hub->modify(m_socket, net::PollInterest{m_wantRead, m_wantWrite});
}

void Connection::onSocketEvents(const net::PollEvent &event)
{
    // Errors and hang-ups are reported whatever was asked for: while
    // connecting they end the connect, afterwards the read sees them.
    const bool hangup = event.hangup || event.error;
    const Alive self(*this);
    if (!m_connected && (event.writable || hangup)) {
        onWritable();
        return;
    }
    if (m_wantWrite && event.writable) {
        onWritable();
        if (!self || !isOpen())
            return;
    }
    if (event.readable || hangup)
        onReadable(event.readyAt);
}

void Connection::write(QByteArrayView data)
{
    if (!isOpen() || data.isEmpty())
        return;
    if (m_connected && m_sent == m_outgoing.size()) {
        // Nothing queued: straight from the caller's bytes, so a heartbeat costs no copy and no
        // allocation; only what the socket does not take now is queued.
        const net::IoResult result =
            net::sendSome(m_socket, data.constData(), static_cast<std::size_t>(data.size()));
        if (result.error != 0) {
            fail(result.error);
            return;
        }
        if (result.bytes > 0)
            m_lastSentAt = result.at;
        if (!result.wouldBlock)
            data = data.sliced(qsizetype(result.bytes));
        if (data.isEmpty())
            return;
    }
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

void Connection::notifyConnected()
{
    if (m_observer)
        m_observer->connectionConnected();
    else
        Q_EMIT connected();
}

void Connection::notifyReceived(const QByteArray &data)
{
    if (m_observer)
        m_observer->connectionReceived(data);
    else
        Q_EMIT received(data);
}

void Connection::notifyPeerClosed()
{
    if (m_observer)
        m_observer->connectionPeerClosed();
    else
        Q_EMIT peerClosed();
}

void Connection::notifyFailed(int error)
{
    if (m_observer)
        m_observer->connectionFailed(error);
    else
        Q_EMIT failed(error);
}

void Connection::fail(int error)
{
    close();
    notifyFailed(error);
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
        const Alive self(*this);
        notifyConnected();
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
        if (result.bytes > 0)
            m_lastSentAt = result.at;
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

void Connection::onReadable(TimePoint readyAt)
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
            // The bytes delivered together carry the stamp of the read that brought the last of them.
            m_lastReceiveStampedByKernel = result.stampedByKernel;
            m_lastReceivedAt = result.at;
            if (result.stampedByKernel)
                m_lastReceiveWait = result.waited;
            else
                m_lastReceiveWait =
                    readyAt == TimePoint{} ? Duration{} : std::max(Duration{}, result.at - readyAt);
            // A short read emptied the socket's queue: no second call to hear EAGAIN (one system
            // call per heartbeat reply). Whatever arrives later, and a FIN behind the data, make
            // the socket ready again: every watch is level-triggered (net::Poller, the notifiers).
            if (result.bytes < std::ptrdiff_t(buffer.size()))
                break;
            continue;
        }
        endOfStream = result.endOfStream;
        error = result.error;
        break;
    }
    const Alive self(*this);
    if (!data.isEmpty()) {
        notifyReceived(data);
        if (!self || !isOpen())
            return;
    }
    if (error != 0) {
        fail(error);
    } else if (endOfStream) {
        close();
        notifyPeerClosed();
    }
}

} // namespace kw
