#include "pongserver.h"

#include <QTcpSocket>

namespace kw::test {

namespace {
// A peer that never sends a newline must not grow our buffer without end.
constexpr qint64 kMaxLine = 4096;
} // namespace

PongServer::PongServer(QObject *parent) : QObject(parent)
{
    m_server.setParent(this);
    connect(&m_server, &QTcpServer::newConnection, this, &PongServer::acceptAll);
}

bool PongServer::listen(const QHostAddress &address, quint16 port)
{
    return m_server.listen(address, port);
}

void PongServer::acceptAll()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        socket->setParent(this);
        m_sockets.append(socket);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { answer(socket); });
        Q_EMIT accepted(socket);
    }
}

void PongServer::answer(QTcpSocket *socket)
{
    if (!m_answering) {
        socket->readAll();
        return;
    }
    while (socket->canReadLine()) {
        socket->readLine();
        socket->write(kReply);
        ++m_replies;
    }
    if (socket->bytesAvailable() > kMaxLine)
        socket->readAll();
}

} // namespace kw::test
