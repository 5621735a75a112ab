#include "connection.h"

#include "socketio.h"

#include <QMetaObject>
#include <QPointer>
#include <QSocketNotifier>

#include <array>

namespace kw {

namespace {
constexpr qsizetype kReadChunk = 16 * 1024;
// A peer that streams without pause must not starve every other endpoint on
// the engine thread: read at most this much per wake-up.
constexpr qsizetype kMaxReadPerWake = 256 * 1024;
} // namespace

Connection::Connection(QObject *parent)
    : QObject(parent)
{
}

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
        QMetaObject::invokeMethod(this, [this, error] { fail(error); }, Qt::QueuedConnection);
        return;
    }
    m_socket = start.socket;
    setupNotifiers();
    if (start.inProgress) {
        m_writeNotifier->setEnabled(true);
    } else {
        QMetaObject::invokeMethod(this, [this] { onWritable(); }, Qt::QueuedConnection);
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
    setupNotifiers();
    m_readNotifier->setEnabled(true);
    return true;
}

void Connection::setupNotifiers()
{
    m_readNotifier = new QSocketNotifier(m_socket, QSocketNotifier::Read, this);
    m_writeNotifier = new QSocketNotifier(m_socket, QSocketNotifier::Write, this);
    m_readNotifier->setEnabled(false);
    m_writeNotifier->setEnabled(false);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &Connection::onReadable);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &Connection::onWritable);
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
    if (m_readNotifier) {
        m_readNotifier->setEnabled(false);
        m_readNotifier->deleteLater();
        m_readNotifier = nullptr;
    }
    if (m_writeNotifier) {
        m_writeNotifier->setEnabled(false);
        m_writeNotifier->deleteLater();
        m_writeNotifier = nullptr;
    }
    if (m_socket != net::kInvalidSocket) {
        net::closeSocket(m_socket);
        m_socket = net::kInvalidSocket;
    }
    m_connected = false;
    m_outgoing.clear();
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
        m_writeNotifier->setEnabled(false);
        m_readNotifier->setEnabled(true);
        QPointer<Connection> self(this);
        Q_EMIT connected();
        if (!self || !isOpen())
            return;
    }
    flush();
}

void Connection::flush()
{
    while (!m_outgoing.isEmpty()) {
        const net::IoResult result = net::sendSome(m_socket, m_outgoing.constData(),
                                                   static_cast<std::size_t>(m_outgoing.size()));
        if (result.error != 0) {
            fail(result.error);
            return;
        }
        if (result.wouldBlock)
            break;
        m_outgoing.remove(0, result.bytes);
    }
    m_writeNotifier->setEnabled(!m_outgoing.isEmpty());
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
