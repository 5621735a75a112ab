#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QTcpSocket>
#include <QTimer>

#include <chrono>

namespace kw::test {

// The near end of an inbound-heartbeat test: connects to a listening
// Keepwatch and sends `payload` right after connecting and then every
// `every`, as the devices a listen endpoint watches do.
class HeartbeatClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeartbeatClient)

public:
    // Connects and starts beating at once.
    HeartbeatClient(const QHostAddress &address, quint16 port, QByteArray payload,
                    std::chrono::milliseconds every = std::chrono::milliseconds(40),
                    QObject *parent = nullptr);

    // On: a beat that finds the connection gone connects again, as a device
    // that retries on its own schedule. Off (the default): one connection only,
    // so a test sees exactly what the far side did to it.
    void setReconnecting(bool reconnecting) { m_reconnecting = reconnecting; }
    void setPayload(QByteArray payload) { m_payload = std::move(payload); }
    void quiet() { m_timer.stop(); }
    void resume();
    void send();

    QTcpSocket &socket() { return m_socket; }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    // Everything the far side sent.
    const QByteArray &received() const { return m_received; }

private:
    void beat();

    QHostAddress m_address;
    quint16 m_port;
    QByteArray m_payload;
    QByteArray m_received;
    QTcpSocket m_socket;
    QTimer m_timer;
    bool m_reconnecting = false;
};

} // namespace kw::test
