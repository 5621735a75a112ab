#include "demomqttbroker.h"

#include "mqttcodec.h"
#include "mqtttopic.h"

#include <QHostAddress>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <set>
#include <vector>

Q_LOGGING_CATEGORY(lcDemoMqtt, "keepwatch.demo.mqtt", QtInfoMsg)

namespace kw {

using namespace std::chrono;

namespace {

// 5.0 reason codes the broker sends (5.0 section 2.4).
constexpr std::uint8_t kNoSubscriptionExisted = 0x11;
constexpr std::uint8_t kProtocolError = 0x82;
constexpr std::uint8_t kUnsupportedProtocolVersion = 0x84;
constexpr std::uint8_t kClientIdentifierNotValid = 0x85;
constexpr std::uint8_t kKeepAliveTimeout = 0x8D;
constexpr std::uint8_t kTopicAliasInvalid = 0x94;
constexpr std::uint8_t kQosNotSupported = 0x9B;
constexpr std::uint8_t kSharedSubscriptionsNotSupported = 0x9E;
constexpr std::uint8_t kSubscriptionIdentifiersNotSupported = 0xA1;
constexpr std::uint8_t kDisconnectWithWill = 0x04;
// 3.1.1 CONNACK return codes (section 3.2.2.3).
constexpr std::uint8_t kUnacceptableProtocolVersion311 = 0x01;
constexpr std::uint8_t kIdentifierRejected311 = 0x02;

// The properties a PUBLISH keeps on its way from publisher to subscriber (5.0 section 3.3.2.3):
// the payload format, expiry, content type, response topic, correlation data and user properties.
// Topic aliases are per connection and subscription identifiers per subscriber.
mqtt::Properties forwardedProperties(const mqtt::Properties &in)
{
    mqtt::Properties out;
    out.payloadFormatIndicator = in.payloadFormatIndicator;
    out.messageExpiryInterval = in.messageExpiryInterval;
    out.contentType = in.contentType;
    out.responseTopic = in.responseTopic;
    out.correlationData = in.correlationData;
    out.userProperties = in.userProperties;
    return out;
}

} // namespace

struct DemoMqttBroker::Client
{
    QPointer<QTcpSocket> socket;
    mqtt::Decoder decoder{mqtt::Role::Server, std::nullopt};
    QTimer *keepAliveTimer = nullptr; // child of the socket
    bool connected = false;           // CONNECT accepted, CONNACK sent
    mqtt::Version version = mqtt::Version::V311;
    std::string clientId;
    seconds keepAlive{0};
    std::optional<mqtt::Will> will;
    std::vector<mqtt::Subscription> subscriptions;
    std::set<std::uint16_t> awaitingPubrel; // 3.1.1 QoS 2 from the client, by packet id
    std::uint16_t lastPacketId = 0;

    std::uint16_t nextPacketId()
    {
        lastPacketId = lastPacketId == 0xFFFF ? 1 : static_cast<std::uint16_t>(lastPacketId + 1);
        return lastPacketId;
    }
};

DemoMqttBroker::DemoMqttBroker(QObject *parent) : DemoMqttBroker(Options{}, parent) {}

DemoMqttBroker::DemoMqttBroker(Options options, QObject *parent) : QObject(parent), m_options(options)
{
    m_server = new QTcpServer(this);
    connect(m_server, &QTcpServer::newConnection, this, &DemoMqttBroker::onNewConnection);
}

DemoMqttBroker::~DemoMqttBroker()
{
    // The sockets are the server's children; their handlers must not find a half-destroyed map.
    for (auto &[socket, client] : m_clients)
        socket->disconnect(this);
    m_clients.clear();
}

bool DemoMqttBroker::listen(QString *error)
{
    if (!m_server->listen(QHostAddress::LocalHost, 0)) {
        *error = tr("demo: cannot listen on 127.0.0.1: %1").arg(m_server->errorString());
        return false;
    }
    return true;
}

quint16 DemoMqttBroker::port() const
{
    return m_server->serverPort();
}

void DemoMqttBroker::publish(const mqtt::Publish &message)
{
    route(message, nullptr);
}

void DemoMqttBroker::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        auto client = std::make_unique<Client>();
        client->socket = socket;
        client->keepAliveTimer = new QTimer(socket);
        client->keepAliveTimer->setSingleShot(true);
        client->keepAliveTimer->start(m_options.connectTimeout);
        connect(client->keepAliveTimer, &QTimer::timeout, this, [this, socket] {
            const auto it = m_clients.find(socket);
            if (it == m_clients.end())
                return;
            qCDebug(lcDemoMqtt) << "keep alive expired for" << it->second->clientId.c_str();
            close(*it->second, kKeepAliveTimeout);
        });
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            // The client went away without DISCONNECT: its Will is due (3.1.1 section 3.1.2.5).
            const auto it = m_clients.find(socket);
            if (it != m_clients.end())
                close(*it->second, std::nullopt);
        });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        m_clients.emplace(socket, std::move(client));
    }
}

void DemoMqttBroker::onReadyRead(QTcpSocket *socket)
{
    const auto it = m_clients.find(socket);
    if (it == m_clients.end()) {
        socket->readAll();
        return;
    }
    Client &client = *it->second;
    const QByteArray bytes = socket->readAll();
    // Handled after feed() returns: a packet may end the connection, and the decoder with it.
    std::vector<mqtt::Packet> packets;
    const bool ok =
        client.decoder.feed(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())),
                            [&packets](mqtt::Packet &&packet) { packets.push_back(std::move(packet)); });
    const std::optional<mqtt::DecodeError> error = client.decoder.error();
    for (mqtt::Packet &packet : packets) {
        if (!m_clients.contains(socket))
            return;
        handle(client, std::move(packet));
    }
    if (!ok && m_clients.contains(socket)) {
        qCDebug(lcDemoMqtt) << "closing" << client.clientId.c_str() << ":"
                            << (error ? error->message.c_str() : "decoder error");
        const std::uint8_t reason = error ? error->reasonCode : kProtocolError;
        if (!client.connected) {
            // A bad CONNECT is answered with a refusing CONNACK (5.0 section 4.13.1). A protocol
            // level we do not speak gets 3.1.1's "unacceptable protocol version", the answer an
            // older client can read ([MQTT-3.1.2-2]).
            if (reason == kUnsupportedProtocolVersion) {
                sendAs(client, mqtt::Connack{false, kUnacceptableProtocolVersion311, {}},
                       mqtt::Version::V311);
            } else if (client.decoder.version() == mqtt::Version::V5) {
                sendAs(client, mqtt::Connack{false, reason, {}}, mqtt::Version::V5);
            }
        }
        // 5.0 section 4.13: DISCONNECT with the reason (0x81 Malformed Packet, 0x82 Protocol Error,
        // ...), then close.
        close(client, reason);
    }
}

void DemoMqttBroker::handle(Client &client, mqtt::Packet &&packet)
{
    // The decoder has seen to the order: CONNECT first (3.1.1 section 3.1), and only once.
    restartKeepAlive(client);
    switch (mqtt::packetType(packet)) {
    case mqtt::PacketType::Connect:
        onConnect(client, std::get<mqtt::Connect>(packet));
        return;
    case mqtt::PacketType::Publish:
        onPublish(client, std::get<mqtt::Publish>(std::move(packet)));
        return;
    case mqtt::PacketType::Pubrel: {
        const auto &release = std::get<mqtt::PublishAck>(packet);
        client.awaitingPubrel.erase(release.packetId);
        send(client, mqtt::PublishAck{mqtt::PacketType::Pubcomp, release.packetId, 0, {}});
        return;
    }
    case mqtt::PacketType::Puback:
    case mqtt::PacketType::Pubrec:
    case mqtt::PacketType::Pubcomp:
        // Acknowledgements of what we delivered at QoS 1. Sessions are clean, nothing is resent.
        return;
    case mqtt::PacketType::Subscribe:
        onSubscribe(client, std::get<mqtt::Subscribe>(packet));
        return;
    case mqtt::PacketType::Unsubscribe:
        onUnsubscribe(client, std::get<mqtt::Unsubscribe>(packet));
        return;
    case mqtt::PacketType::Pingreq:
        onPingreq(client);
        return;
    case mqtt::PacketType::Disconnect: {
        const auto &disconnect = std::get<mqtt::Disconnect>(packet);
        // A normal DISCONNECT discards the Will; 5.0 reason 0x04 asks for it (section 3.14.2.1).
        close(client, std::nullopt,
              client.version == mqtt::Version::V5 && disconnect.reasonCode == kDisconnectWithWill);
        return;
    }
    case mqtt::PacketType::Auth:
        // We offered no authentication method, so AUTH is a protocol error (5.0 section 4.12).
    case mqtt::PacketType::Connack:
    case mqtt::PacketType::Suback:
    case mqtt::PacketType::Unsuback:
    case mqtt::PacketType::Pingresp:
        break;
    }
    close(client, kProtocolError);
}

void DemoMqttBroker::onConnect(Client &client, const mqtt::Connect &connect)
{
    client.version = connect.version;
    const bool v5 = connect.version == mqtt::Version::V5;
    mqtt::Connack ack;
    if (connect.clientId.empty() && !connect.cleanStart && !v5) {
        // 3.1.1 section 3.1.3.1: an empty client id needs a clean session.
        send(client, mqtt::Connack{false, kIdentifierRejected311, {}});
        close(client, std::nullopt, false);
        return;
    }
    if (v5 && connect.will && connect.will->qos > 1) {
        // We announce Maximum QoS 1 (5.0 section 3.2.2.3.4).
        send(client, mqtt::Connack{false, kQosNotSupported, {}});
        close(client, std::nullopt, false);
        return;
    }
    if (!connect.clientId.empty() && !mqtt::isValidMqttUtf8(connect.clientId)) {
        send(client, mqtt::Connack{false, v5 ? kClientIdentifierNotValid : kIdentifierRejected311, {}});
        close(client, std::nullopt, false);
        return;
    }
    client.clientId = connect.clientId;
    if (client.clientId.empty()) {
        client.clientId = "keepwatch-demo-" + std::to_string(++m_assignedIds);
        if (v5)
            ack.properties.assignedClientIdentifier = client.clientId;
    }
    client.keepAlive = seconds(connect.keepAlive);
    if (v5) {
        if (connect.keepAlive > kMaxKeepAliveS) {
            ack.properties.serverKeepAlive = kMaxKeepAliveS;
            client.keepAlive = seconds(kMaxKeepAliveS);
        }
        ack.properties.maximumQos = 1;
        ack.properties.sharedSubscriptionAvailable = 0;
        ack.properties.subscriptionIdentifierAvailable = 0;
    }
    client.will = connect.will;
    client.connected = true;
    send(client, ack);
    restartKeepAlive(client);
    qCDebug(lcDemoMqtt) << "connected" << client.clientId.c_str() << "keep alive" << client.keepAlive.count();
}

void DemoMqttBroker::onPublish(Client &client, mqtt::Publish &&message)
{
    const bool v5 = client.version == mqtt::Version::V5;
    // We announce no Topic Alias Maximum, so it is 0 (5.0 section 3.2.2.3.8); without an alias an
    // empty topic is a protocol error (section 3.3.2.1). The decoder checked every other topic.
    if (v5 && (message.properties.topicAlias || message.topic.empty())) {
        close(client, message.properties.topicAlias ? kTopicAliasInvalid : kProtocolError);
        return;
    }
    if (v5 && message.qos > 1) {
        close(client, kQosNotSupported);
        return;
    }
    if (message.qos == 1) {
        send(client, mqtt::PublishAck{mqtt::PacketType::Puback, message.packetId, 0, {}});
    } else if (message.qos == 2) {
        // 3.1.1 section 4.3.3, method B: deliver on PUBLISH, once per packet id until PUBREL.
        send(client, mqtt::PublishAck{mqtt::PacketType::Pubrec, message.packetId, 0, {}});
        if (!client.awaitingPubrel.insert(message.packetId).second)
            return;
    }
    message.properties = forwardedProperties(message.properties);
    route(message, &client);
}

void DemoMqttBroker::onSubscribe(Client &client, const mqtt::Subscribe &subscribe)
{
    const bool v5 = client.version == mqtt::Version::V5;
    if (v5 && !subscribe.properties.subscriptionIdentifiers.empty()) {
        close(client, kSubscriptionIdentifiersNotSupported);
        return;
    }
    mqtt::SubscribeAck ack{mqtt::PacketType::Suback, subscribe.packetId, {}, {}};
    struct Granted
    {
        mqtt::Subscription subscription;
        bool isNew;
    };
    std::vector<Granted> granted;
    // Invalid filters never get here: the decoder ends the connection on them (0x8F).
    for (const mqtt::Subscription &requested : subscribe.subscriptions) {
        if (v5 && requested.filter.starts_with("$share/")) {
            ack.reasonCodes.push_back(kSharedSubscriptionsNotSupported);
            continue;
        }
        mqtt::Subscription subscription = requested;
        subscription.qos = std::min<std::uint8_t>(requested.qos, 1);
        // A subscription to a filter the client holds replaces it (3.1.1 section 3.8.4).
        const auto existing =
            std::find_if(client.subscriptions.begin(), client.subscriptions.end(),
                         [&](const mqtt::Subscription &s) { return s.filter == subscription.filter; });
        const bool isNew = existing == client.subscriptions.end();
        if (isNew)
            client.subscriptions.push_back(subscription);
        else
            *existing = subscription;
        ack.reasonCodes.push_back(subscription.qos);
        granted.push_back({subscription, isNew});
    }
    send(client, ack);

    // Retained messages go to a new subscription with the retain flag set (3.1.1 section 3.3.1.3);
    // 5.0 Retain Handling 1 sends them only to a new one, 2 never (section 3.8.3.1).
    for (const Granted &g : granted) {
        if (v5 && (g.subscription.retainHandling == 2 || (g.subscription.retainHandling == 1 && !g.isNew)))
            continue;
        for (const auto &[topic, message] : m_retained) {
            if (mqtt::topicMatches(g.subscription.filter, topic))
                deliver(client, message, g.subscription.qos, true);
        }
    }
}

void DemoMqttBroker::onUnsubscribe(Client &client, const mqtt::Unsubscribe &unsubscribe)
{
    const bool v5 = client.version == mqtt::Version::V5;
    mqtt::SubscribeAck ack{mqtt::PacketType::Unsuback, unsubscribe.packetId, {}, {}};
    for (const std::string &filter : unsubscribe.filters) {
        const auto removed = std::erase_if(
            client.subscriptions, [&filter](const mqtt::Subscription &s) { return s.filter == filter; });
        if (v5)
            ack.reasonCodes.push_back(removed > 0 ? 0 : kNoSubscriptionExisted);
    }
    send(client, ack);
}

void DemoMqttBroker::onPingreq(Client &client)
{
    std::uniform_int_distribution<int> oneIn(1, std::max(1, m_options.slowPingOneIn));
    if (m_options.slowPingOneIn <= 0 || oneIn(m_random) != 1) {
        send(client, mqtt::Pingresp{});
        return;
    }
    std::uniform_int_distribution<qint64> delay(m_options.slowPingMin.count(), m_options.slowPingMax.count());
    QTcpSocket *socket = client.socket;
    QTimer::singleShot(milliseconds(delay(m_random)), socket, [this, socket] {
        const auto it = m_clients.find(socket);
        if (it != m_clients.end())
            send(*it->second, mqtt::Pingresp{});
    });
}

void DemoMqttBroker::route(const mqtt::Publish &message, const Client *origin)
{
    if (message.retain) {
        if (message.payload.empty()) {
            m_retained.erase(message.topic);
        } else {
            mqtt::Publish kept = message;
            kept.dup = false;
            kept.packetId = 0;
            m_retained.insert_or_assign(message.topic, std::move(kept));
        }
    }
    std::vector<QTcpSocket *> sockets;
    sockets.reserve(m_clients.size());
    for (const auto &[socket, client] : m_clients)
        sockets.push_back(socket);
    for (QTcpSocket *socket : sockets) {
        const auto it = m_clients.find(socket);
        if (it == m_clients.end() || !it->second->connected)
            continue;
        Client &client = *it->second;
        // Overlapping subscriptions: one copy at the highest QoS granted (3.1.1 section 3.3.5).
        int qos = -1;
        bool retainAsPublished = false;
        for (const mqtt::Subscription &s : client.subscriptions) {
            if (!mqtt::topicMatches(s.filter, message.topic))
                continue;
            if (client.version == mqtt::Version::V5 && s.noLocal && origin == &client)
                continue;
            qos = std::max<int>(qos, s.qos);
            retainAsPublished = retainAsPublished || s.retainAsPublished;
        }
        // A message published live goes out with the retain flag clear unless the subscriber
        // asked for it as published (5.0 section 3.3.1.3).
        if (qos >= 0)
            deliver(client, message, static_cast<std::uint8_t>(qos), message.retain && retainAsPublished);
    }
}

void DemoMqttBroker::deliver(Client &client, const mqtt::Publish &message, std::uint8_t qos, bool retain)
{
    mqtt::Publish out;
    out.topic = message.topic;
    out.payload = message.payload;
    out.retain = retain;
    out.qos = std::min(message.qos, qos);
    if (out.qos > 0)
        out.packetId = client.nextPacketId();
    if (client.version == mqtt::Version::V5)
        out.properties = forwardedProperties(message.properties);
    send(client, out);
}

void DemoMqttBroker::send(Client &client, const mqtt::Packet &packet)
{
    sendAs(client, packet, client.version);
}

void DemoMqttBroker::sendAs(Client &client, const mqtt::Packet &packet, mqtt::Version version)
{
    if (!client.socket)
        return;
    const std::string bytes = mqtt::encode(packet, version);
    client.socket->write(bytes.data(), static_cast<qint64>(bytes.size()));
}

void DemoMqttBroker::close(Client &client, std::optional<std::uint8_t> reason, bool publishWill)
{
    QPointer<QTcpSocket> socket = client.socket;
    if (reason && client.connected && client.version == mqtt::Version::V5)
        send(client, mqtt::Disconnect{*reason, {}});
    std::optional<mqtt::Will> will = publishWill && client.connected ? std::move(client.will) : std::nullopt;
    // From here `client` is gone.
    m_clients.erase(socket.data());
    if (will) {
        mqtt::Publish message;
        message.topic = std::move(will->topic);
        message.payload = std::move(will->payload);
        message.qos = will->qos;
        message.retain = will->retain;
        message.properties = forwardedProperties(will->properties);
        route(message, nullptr);
    }
    if (socket && socket->state() != QAbstractSocket::UnconnectedState)
        socket->disconnectFromHost();
}

void DemoMqttBroker::restartKeepAlive(Client &client)
{
    if (!client.connected)
        return;
    // 3.1.1 section 3.1.2.10: nothing from the client within one and a half times the Keep Alive
    // and the server must close the connection; 0 turns the mechanism off.
    if (client.keepAlive.count() == 0) {
        client.keepAliveTimer->stop();
        return;
    }
    client.keepAliveTimer->start(duration_cast<milliseconds>(client.keepAlive) * 3 / 2);
}

} // namespace kw
