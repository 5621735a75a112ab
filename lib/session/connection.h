#pragma once

#include "socketheader.h"

#include "socketio.h"

#include "clock.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>

namespace kw {

namespace net {
struct PollEvent;
}

// Who hears a connection when that is exactly one known object (the session that made it): direct
// calls instead of four signal-slot connections per connection. A call may close the connection or
// have it deleted later (deleteLater()); as with the signals, nothing follows a close().
class ConnectionObserver
{
public:
    virtual void connectionConnected() = 0;
    virtual void connectionReceived(const QByteArray &data) = 0;
    virtual void connectionPeerClosed() = 0;
    virtual void connectionFailed(int error) = 0;

protected:
    ConnectionObserver() = default;
    virtual ~ConnectionObserver() = default;
    Q_DISABLE_COPY_MOVE(ConnectionObserver)
};

// One non-blocking TCP connection driven by the event loop, reporting the
// operating system's own error codes (see socketio.h for why not QTcpSocket).
// Signals may delete the receiver's interest in this object; after close()
// no further signal is emitted.
class Connection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Connection)

public:
    explicit Connection(QObject *parent = nullptr);
    ~Connection() override;

    // Starts connecting; connected() or failed() follows from the event loop
    // (failed() may be queued when the connect fails at once).
    void connectTo(const QHostAddress &address, quint16 port);
    // Replaces the signals by direct calls to `observer`; nullptr: the signals again (tests and
    // anything else that watches from outside).
    void setObserver(ConnectionObserver *observer) { m_observer = observer; }
    // Takes over an accepted, connected socket (heartbeat listeners).
    bool adopt(net::NativeSocket socket, int *error);

    void write(QByteArrayView data);
    qsizetype bytesToWrite() const { return m_outgoing.size() - m_sent; }
    void close();

    bool isOpen() const { return m_socket != net::kInvalidSocket; }
    bool isConnected() const { return m_connected; }
    net::NativeSocket socket() const { return m_socket; }
    QString localEndpoint() const;
    QString peerEndpoint() const;

    // When the bytes of the last received() arrived, on the steady clock: the kernel's receive stamp
    // of their last byte where there is one (Linux), else right after the read returned. Taken before
    // any parsing, so what the thread did meanwhile (other sockets of the same wake-up, timers) is not
    // counted as network time.
    TimePoint lastReceivedAt() const { return m_lastReceivedAt; }
    // How long those bytes waited before Keepwatch read them: since the kernel stamped them, or since
    // the wake-up that reported the socket where there is no stamp.
    Duration lastReceiveWait() const { return m_lastReceiveWait; }
    bool lastReceiveStampedByKernel() const { return m_lastReceiveStampedByKernel; }
    // When send() was last called for bytes of this connection it accepted; the epoch before any.
    TimePoint lastSentAt() const { return m_lastSentAt; }

Q_SIGNALS:
    void connected();
    void received(const QByteArray &data);
    void peerClosed();      // orderly shutdown (FIN) after all data was delivered
    void failed(int error); // errno / WSA error, never 0

private:
    void onReadable(TimePoint readyAt);
    void onWritable();
    void onSocketEvents(const net::PollEvent &event);
    void flush();
    void watch();
    void unwatch();
    void setReadInterest(bool on);
    void setWriteInterest(bool on);
    void fail(int error);
    void notifyConnected();
    void notifyReceived(const QByteArray &data);
    void notifyPeerClosed();
    void notifyFailed(int error);

    // Whether this connection outlived an observer's callback (an observer may delete it there):
    // a QPointer would too, but it costs the object's shared refcount, a cache miss on every read
    // at 10,000 connections. Guards nest on the stack and are told by the destructor.
    class Alive
    {
    public:
// GCC cannot see that ~Alive() unlinks the guard before it goes out of scope.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdangling-pointer"
#endif
        explicit Alive(Connection &connection) : m_connection(&connection), m_outer(connection.m_alive)
        {
            connection.m_alive = this;
        }
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic pop
#endif
        ~Alive()
        {
            if (m_connection)
                m_connection->m_alive = m_outer;
        }
        Q_DISABLE_COPY_MOVE(Alive)
        explicit operator bool() const
        {
            return m_connection != nullptr;
        }

    private:
        friend class Connection;
        Connection *m_connection;
        Alive *m_outer;
    };

    ConnectionObserver *m_observer = nullptr;
    Alive *m_alive = nullptr;
    net::NativeSocket m_socket = net::kInvalidSocket;
    // What the thread's socket hub (connection.cpp, over net::Poller) is asked to report.
    bool m_wantRead = false;
    bool m_wantWrite = false;
    // Bytes queued for the socket; the first m_sent of them are gone already. A partial send moves
    // the offset instead of copying what is left to the front of the buffer each time.
    QByteArray m_outgoing;
    qsizetype m_sent = 0;
    bool m_connected = false;
    bool m_lastReceiveStampedByKernel = false;
    TimePoint m_lastReceivedAt{};
    Duration m_lastReceiveWait{};
    TimePoint m_lastSentAt{};
};

} // namespace kw
