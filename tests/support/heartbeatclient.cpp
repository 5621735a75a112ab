#include "heartbeatclient.h"

namespace kw::test {

HeartbeatClient::HeartbeatClient(const QHostAddress &address, quint16 port, QByteArray payload,
                                 std::chrono::milliseconds every, QObject *parent)
    : QObject(parent), m_address(address), m_port(port), m_payload(std::move(payload))
{
    m_socket.setParent(this);
    m_timer.setParent(this);
    connect(&m_socket, &QTcpSocket::readyRead, this, [this] { m_received += m_socket.readAll(); });
    connect(&m_socket, &QTcpSocket::connected, this, &HeartbeatClient::send);
    connect(&m_timer, &QTimer::timeout, this, &HeartbeatClient::beat);
    m_socket.connectToHost(m_address, m_port);
    m_timer.start(every);
}

void HeartbeatClient::resume()
{
    send();
    m_timer.start();
}

void HeartbeatClient::send()
{
    if (isConnected() && !m_payload.isEmpty())
        m_socket.write(m_payload);
}

void HeartbeatClient::beat()
{
    if (m_reconnecting && m_socket.state() == QAbstractSocket::UnconnectedState) {
        m_socket.connectToHost(m_address, m_port);
        return;
    }
    send();
}

} // namespace kw::test
