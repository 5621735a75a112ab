#pragma once

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QTcpServer>

class QTcpSocket;

namespace kw::test {

// The far end most tests need: a server on 127.0.0.1 that answers every line
// it receives with "PONG\n", as the heartbeat services Keepwatch watches do.
// Accepted sockets stay in sockets() (children of this object, in accept
// order, closed ones included) so a test can close, reset or count them.
class PongServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PongServer)

public:
    static constexpr char kReply[] = "PONG\n";

    explicit PongServer(QObject *parent = nullptr);

    // On 127.0.0.1; port 0: any free one.
    bool listen(quint16 port = 0) { return listen(QHostAddress(QHostAddress::LocalHost), port); }
    bool listen(const QHostAddress &address, quint16 port);
    void close() { m_server.close(); }
    bool isListening() const { return m_server.isListening(); }
    quint16 port() const { return m_server.serverPort(); }
    QString errorString() const { return m_server.errorString(); }
    QTcpServer &server() { return m_server; }

    // Off: reads and never answers, a peer whose application hung.
    void setAnswering(bool answering) { m_answering = answering; }
    const QList<QTcpSocket *> &sockets() const { return m_sockets; }
    // Lines answered so far, over all connections.
    qint64 replies() const { return m_replies; }

Q_SIGNALS:
    // Before anything is read from the socket.
    void accepted(QTcpSocket *socket);

private:
    void acceptAll();
    void answer(QTcpSocket *socket);

    QTcpServer m_server;
    QList<QTcpSocket *> m_sockets;
    bool m_answering = true;
    qint64 m_replies = 0;
};

} // namespace kw::test
