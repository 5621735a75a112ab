#pragma once

#include "socketheader.h"

#include "socketio.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>

namespace kw {

namespace net {
struct PollEvent;
}

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

Q_SIGNALS:
    void connected();
    void received(const QByteArray &data);
    void peerClosed();      // orderly shutdown (FIN) after all data was delivered
    void failed(int error); // errno / WSA error, never 0

private:
    void onReadable();
    void onWritable();
    void onSocketEvents(const net::PollEvent &event);
    void flush();
    void watch();
    void unwatch();
    void setReadInterest(bool on);
    void setWriteInterest(bool on);
    void fail(int error);

    net::NativeSocket m_socket = net::kInvalidSocket;
    // What the thread's socket hub (connection.cpp, over net::Poller) is asked to report.
    bool m_wantRead = false;
    bool m_wantWrite = false;
    // Bytes queued for the socket; the first m_sent of them are gone already. A partial send moves
    // the offset instead of copying what is left to the front of the buffer each time.
    QByteArray m_outgoing;
    qsizetype m_sent = 0;
    bool m_connected = false;
};

} // namespace kw
