#pragma once

#include "mqttpacket.h"

#include <QObject>
#include <QString>

#include <chrono>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>

class QTcpServer;
class QTcpSocket;

namespace kw {

// The demo's MQTT broker: enough of one, on our own codec (lib/mqtt), for the demo's MQTT endpoint
// to show what it shows against a real broker. Clean sessions only, QoS 0 and 1 (3.1.1 also QoS 2
// from clients), retained messages, Wills, keep-alive enforcement; no authentication, no
// persistence, no shared subscriptions, no topic aliases.
class DemoMqttBroker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoMqttBroker)

public:
    struct Options
    {
        // A connection that sends no CONNECT within this is closed (3.1.1 section 3.1.4 leaves the
        // time to the server; 5.0 section 4.2 says "reasonable").
        std::chrono::milliseconds connectTimeout{10000};
        // One PINGRESP in this many is held back by slowPingDelay, so the ping RTT chart has shape.
        int slowPingOneIn = 6;
        std::chrono::milliseconds slowPingMin{50};
        std::chrono::milliseconds slowPingMax{300};
    };

    // The Server Keep Alive (5.0 section 3.2.2.3.14) a 5.0 client asking for more is told to use.
    static constexpr std::uint16_t kMaxKeepAliveS = 60;

    explicit DemoMqttBroker(QObject *parent = nullptr);
    DemoMqttBroker(Options options, QObject *parent = nullptr);
    ~DemoMqttBroker() override;

    // Listens on 127.0.0.1, on a port the system picks.
    bool listen(QString *error);
    quint16 port() const;
    int clientCount() const { return static_cast<int>(m_clients.size()); }

    // Publishes as the broker does on a publisher's behalf: to every client whose subscription
    // matches, and kept as the topic's retained message when `message.retain` (an empty payload
    // removes it, 3.1.1 section 3.3.1.3).
    void publish(const mqtt::Publish &message);

private:
    struct Client;

    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void handle(Client &client, mqtt::Packet &&packet);
    void onConnect(Client &client, const mqtt::Connect &connect);
    void onPublish(Client &client, mqtt::Publish &&message);
    void onSubscribe(Client &client, const mqtt::Subscribe &subscribe);
    void onUnsubscribe(Client &client, const mqtt::Unsubscribe &unsubscribe);
    void onPingreq(Client &client);
    void route(const mqtt::Publish &message, const Client *origin);
    void deliver(Client &client, const mqtt::Publish &message, std::uint8_t qos, bool retain);
    void send(Client &client, const mqtt::Packet &packet);
    void sendAs(Client &client, const mqtt::Packet &packet, mqtt::Version version);
    // Ends the connection; a 5.0 client is told why first when `reason` is set and its CONNECT
    // was accepted. The Will is published unless the client disconnected normally.
    void close(Client &client, std::optional<std::uint8_t> reason, bool publishWill = true);
    void restartKeepAlive(Client &client);

    Options m_options;
    QTcpServer *m_server = nullptr;
    std::unordered_map<QTcpSocket *, std::unique_ptr<Client>> m_clients;
    std::map<std::string, mqtt::Publish> m_retained;
    quint64 m_assignedIds = 0;
    std::mt19937 m_random{std::random_device{}()};
};

} // namespace kw
