#include "mqttsession.h"

#include "devicewatch.h"
#include "mqttcodec.h"
#include "mqttreasons.h"
#include "sessionlogging.h"
#include "sessiontext.h"
#include "snapshot.h"
#include "websocketlayer.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QSysInfo>

#include <algorithm>

namespace kw {

using namespace std::chrono;

namespace {

std::string toStd(const QString &text)
{
    return text.toStdString();
}

stream::WebSocketOptions webSocketOptions(const EndpointConfig &config)
{
    stream::WebSocketOptions options;
    options.host = config.host.toStdString();
    options.port = config.port;
    options.secure = config.mqtt.transport == MqttTransport::Wss;
    options.path = config.mqtt.path.toStdString();
    // MQTT over WebSocket: the subprotocol is "mqtt" (3.1.1 section 6; 5.0 section 6).
    options.subprotocols.push_back("mqtt");
    return options;
}

} // namespace

QString MqttSession::generatedClientId(const QString &endpointName)
{
    const QByteArray digest = QCryptographicHash::hash(
        (QSysInfo::machineHostName() + u'\n' + endpointName).toUtf8(), QCryptographicHash::Sha256);
    static constexpr char kAlphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    // Letters and digits only, 19 of them: an id every broker must accept (3.1.1 section 3.1.3.1).
    QString id = u"keepwatch"_qs;
    for (int i = 0; i < 10; ++i)
        id += QLatin1Char(kAlphabet[quint8(digest.at(i)) % 36]);
    return id;
}

MqttSession::MqttSession(SharedEndpointConfig config, SessionContext context, QObject *parent)
    : OutboundSession(std::move(config), context, parent)
{
    const MqttConfig &mqtt = m_config.mqtt;
    m_clientId = mqtt.clientId.isEmpty() ? generatedClientId(m_config.name) : mqtt.clientId;
    m_effectiveKeepAlive = mqtt.keepAlive;
    if (!mqtt.watch.isEmpty()) {
        m_devices = std::make_unique<DeviceWatch>(m_config.name, mqtt.watch,
                                                  [this](Event event) { emitEvent(std::move(event)); });
    }
}

MqttSession::~MqttSession()
{
    stopProbe();
}

mqtt::Version MqttSession::wireVersion() const
{
    return m_config.mqtt.version == MqttConfig::Version::V311 ? mqtt::Version::V311 : mqtt::Version::V5;
}

QString MqttSession::versionName() const
{
    return m_config.mqtt.version == MqttConfig::Version::V311 ? u"3.1.1"_qs : u"5"_qs;
}

milliseconds MqttSession::pingTimeout() const
{
    return m_config.mqtt.effectivePingTimeout(m_effectiveKeepAlive);
}

std::uint16_t MqttSession::nextPacketId()
{
    if (++m_packetId == 0)
        m_packetId = 1; // 0 is not a packet id (3.1.1 section 2.3.1)
    return m_packetId;
}

// --- the stack and the handshake ---

bool MqttSession::buildLayers(std::vector<std::unique_ptr<stream::Layer>> &layers, QString *error)
{
    if (!OutboundSession::buildLayers(layers, error))
        return false;
    const MqttTransport transport = m_config.mqtt.transport;
    if (transport == MqttTransport::Ws || transport == MqttTransport::Wss)
        layers.push_back(std::make_unique<stream::WebSocketLayer>(webSocketOptions(m_config)));
    return true;
}

QString MqttSession::pendingHandshake() const
{
    return m_awaitingConnack ? tr("MQTT CONNACK") : QString();
}

void MqttSession::onTransportReady()
{
    const MqttConfig &config = m_config.mqtt;
    const mqtt::Version version = wireVersion();
    m_decoder = std::make_unique<mqtt::Decoder>(mqtt::Role::Client, version);
    m_attempted = true;
    m_effectiveKeepAlive = config.keepAlive;
    m_serverKeepAlive = false;
    m_sessionPresent = false;
    m_brokerLimits.clear();
    m_watchProblems.clear();
    m_clientId = config.clientId.isEmpty() ? generatedClientId(m_config.name) : config.clientId;

    mqtt::Connect connect;
    connect.version = version;
    connect.cleanStart = config.cleanStart;
    connect.keepAlive = std::uint16_t(std::min<qint64>(config.keepAlive.count(), 65535));
    connect.clientId = toStd(m_clientId);
    if (!config.username.isEmpty())
        connect.username = toStd(config.username);
    if (!config.passwordEnv.isEmpty()) {
        // Read at every attempt, so a fixed variable is picked up without a restart; never kept.
        const QByteArray password = qgetenv(config.passwordEnv.toLocal8Bit().constData());
        if (!password.isNull())
            connect.password = std::string(password.constData(), std::size_t(password.size()));
    }
    if (config.will) {
        mqtt::Will will;
        will.topic = toStd(config.will->topic);
        will.payload =
            std::string(config.will->payload.constData(), std::size_t(config.will->payload.size()));
        will.qos = std::uint8_t(config.will->qos);
        will.retain = config.will->retain;
        connect.will = std::move(will);
    }
    if (version == mqtt::Version::V5) {
        if (config.sessionExpiry)
            connect.properties.sessionExpiryInterval = std::uint32_t(config.sessionExpiry->count());
        // Nothing larger than our decoder takes; no topic aliases (the default, 0).
        connect.properties.maximumPacketSize = mqtt::kDefaultMaxPacketSize;
    }
    m_awaitingConnack = true;
    m_connectSentAt = m_context.timers.now();
    m_lastHeardAt = m_connectSentAt;
    if (!sendPacket(connect))
        return;
    // A broker answers CONNECT at once; one that does not within the ping timeout is not going to.
    m_connackTimer = m_context.timers.after(pingTimeout(), [this] { connackOverdue(); });
}

void MqttSession::connackOverdue()
{
    m_connackTimer = EngineTimers::kNoTimer;
    if (!m_awaitingConnack)
        return;
    fail(CauseCode::ConnectTimeout,
         tr("connected to %1 and sent CONNECT (MQTT %2), but no CONNACK within %3: the port may not "
            "speak MQTT%4, or the broker is overloaded")
             .arg(m_config.target(), versionName(), formatDuration(pingTimeout()),
                  m_config.mqtt.transport == MqttTransport::Tcp
                      ? tr(" (or expects TLS: mqtt.transport \"tls\")")
                      : QString()));
}

bool MqttSession::sendPacket(const mqtt::Packet &packet)
{
    std::string bytes;
    mqtt::encode(packet, wireVersion(), bytes);
    const TimePoint calledAt = m_context.timers.now();
    if (!writeStream(QByteArrayView(bytes.data(), qsizetype(bytes.size()))))
        return false;
    m_lastSentAt = writtenAt(calledAt);
    return true;
}

// --- receiving ---

void MqttSession::onData(QByteArrayView data, TimePoint now)
{
    if (!m_decoder)
        return;
    // A broker that speaks only 3.1.1 answers a 5.0 CONNECT with a 3.1.1 CONNACK, return code 1
    // (5.0 section 3.1.2.2 allows it): two bytes where 5.0 has properties.
    if (m_awaitingConnack && wireVersion() == mqtt::Version::V5 && m_decoder->buffered() == 0 &&
        data.size() >= 4 && quint8(data[0]) == 0x20 && quint8(data[1]) == 0x02 && quint8(data[3]) == 0x01) {
        fail(Cause(CauseCode::MqttRefused, "unacceptable-protocol-version"),
             tr("the broker answered in MQTT 3.1.1 with return code 1 (unacceptable protocol version): it "
                "does not speak MQTT 5; set mqtt.version to \"3.1.1\""));
        return;
    }
    m_lastHeardAt = now;
    // What a watching session mostly reads: a PINGRESP alone, two bytes (3.1.1 and 5.0 section
    // 3.13). It needs no decoder and no packet list; anything else, or a PINGRESP with a partial
    // packet before or after it, goes through the decoder.
    if (!m_awaitingConnack && m_decoder->buffered() == 0 && data.size() == 2 && quint8(data[0]) == 0xD0 &&
        data[1] == 0) {
        onPingresp(now);
        return;
    }
    std::vector<mqtt::Packet> packets;
    const bool ok =
        m_decoder->feed(std::string_view(data.data(), std::size_t(data.size())),
                        [&packets](mqtt::Packet &&packet) { packets.push_back(std::move(packet)); });
    const quint64 generation = m_generation;
    for (const mqtt::Packet &packet : packets) {
        handlePacket(packet, now);
        if (generation != m_generation)
            return; // that packet ended the connection
    }
    if (!ok) {
        const mqtt::DecodeError &error = *m_decoder->error();
        protocolError(tr("the broker sent a malformed packet: %1").arg(toQString(error.message)),
                      error.reasonCode);
    }
}

void MqttSession::handlePacket(const mqtt::Packet &packet, TimePoint now)
{
    const mqtt::PacketType type = mqtt::packetType(packet);
    if (m_awaitingConnack && type != mqtt::PacketType::Connack) {
        if (type == mqtt::PacketType::Disconnect) {
            onDisconnect(std::get<mqtt::Disconnect>(packet));
            return;
        }
        protocolError(tr("%1 before CONNACK: the first packet a broker sends must be CONNACK (3.1.1 section "
                         "3.2; 5.0 section 3.2)")
                          .arg(QLatin1StringView(mqtt::packetTypeName(type))),
                      0x82);
        return;
    }
    switch (type) {
    case mqtt::PacketType::Connack:
        if (!m_awaitingConnack) {
            protocolError(tr("a second CONNACK: a broker sends CONNACK once per connection (5.0 section "
                             "3.2)"),
                          0x82);
            return;
        }
        onConnack(std::get<mqtt::Connack>(packet), now);
        return;
    case mqtt::PacketType::Pingresp:
        onPingresp(now);
        return;
    case mqtt::PacketType::Publish:
        onPublish(std::get<mqtt::Publish>(packet), now);
        return;
    case mqtt::PacketType::Pubrel: {
        const auto &ack = std::get<mqtt::PublishAck>(packet);
        std::erase(m_qos2Pending, ack.packetId);
        mqtt::PublishAck complete;
        complete.type = mqtt::PacketType::Pubcomp;
        complete.packetId = ack.packetId;
        sendPacket(complete);
        return;
    }
    case mqtt::PacketType::Suback:
        onSuback(std::get<mqtt::SubscribeAck>(packet), now);
        return;
    case mqtt::PacketType::Disconnect:
        onDisconnect(std::get<mqtt::Disconnect>(packet));
        return;
    case mqtt::PacketType::Auth:
        protocolError(tr("AUTH, but this client sent no Authentication Method (5.0 section 4.12)"), 0x82);
        return;
    case mqtt::PacketType::Puback:
    case mqtt::PacketType::Pubrec:
    case mqtt::PacketType::Pubcomp:
    case mqtt::PacketType::Unsuback:
        // We publish nothing at QoS 1 or 2 and never unsubscribe: an ack of nothing.
        qCDebug(lcSession) << m_config.name << "ignored" << mqtt::packetTypeName(type);
        return;
    case mqtt::PacketType::Connect:
    case mqtt::PacketType::Subscribe:
    case mqtt::PacketType::Unsubscribe:
    case mqtt::PacketType::Pingreq:
        break; // the client-side decoder rejects these
    }
}

void MqttSession::onConnack(const mqtt::Connack &connack, TimePoint now)
{
    m_awaitingConnack = false;
    m_context.timers.cancel(m_connackTimer);
    if (!mqtt::connackAccepted(connack.reasonCode)) {
        refuse(connack);
        return;
    }
    const MqttConfig &config = m_config.mqtt;
    const mqtt::Properties &p = connack.properties;
    m_sessionPresent = connack.sessionPresent;
    if (p.serverKeepAlive) {
        m_effectiveKeepAlive = seconds(*p.serverKeepAlive);
        m_serverKeepAlive = true;
    }
    if (p.assignedClientIdentifier)
        m_clientId = toQString(*p.assignedClientIdentifier);

    QStringList limits;
    if (p.maximumPacketSize)
        limits << tr("max packet %1 bytes").arg(*p.maximumPacketSize);
    if (p.receiveMaximum)
        limits << tr("receive max %1").arg(*p.receiveMaximum);
    if (p.maximumQos)
        limits << tr("max QoS %1").arg(*p.maximumQos);
    if (p.topicAliasMaximum)
        limits << tr("topic aliases %1").arg(*p.topicAliasMaximum);
    if (p.retainAvailable && *p.retainAvailable == 0)
        limits << tr("no retained messages");
    if (p.wildcardSubscriptionAvailable && *p.wildcardSubscriptionAvailable == 0)
        limits << tr("no wildcard subscriptions");
    if (p.sessionExpiryInterval)
        limits << tr("session expiry %1 s").arg(*p.sessionExpiryInterval);
    m_brokerLimits = limits.join(u", ");
    refreshDetectionBound();

    QString keepAlive = m_effectiveKeepAlive.count() == 0
                            ? tr("keep alive off")
                            : tr("keep alive %1").arg(formatDuration(m_effectiveKeepAlive));
    if (m_serverKeepAlive && m_effectiveKeepAlive != config.keepAlive)
        keepAlive += tr(" (asked %1: the broker's Server Keep Alive)").arg(formatDuration(config.keepAlive));
    QString detail = tr("MQTT %1 session up · %2 · ping timeout %3 · client id %4")
                         .arg(versionName(), keepAlive, formatDuration(pingTimeout()), m_clientId);
    if (m_sessionPresent)
        detail += tr(" · session resumed");

    QJsonObject data{{u"mqtt_version"_qs, versionName()},
                     {u"keepalive_requested_s"_qs, int(config.keepAlive.count())},
                     {u"keepalive_effective_s"_qs, int(m_effectiveKeepAlive.count())},
                     {u"server_keep_alive"_qs, m_serverKeepAlive},
                     {u"ping_timeout_ms"_qs, double(pingTimeout().count())},
                     {u"client_id"_qs, m_clientId},
                     {u"session_present"_qs, m_sessionPresent},
                     {u"connack_ms"_qs, msValue(now - m_connectSentAt)}};
    if (!m_brokerLimits.isEmpty())
        data.insert(u"broker_limits"_qs, m_brokerLimits);
    if (p.reasonString)
        data.insert(u"reason_string"_qs, toQString(*p.reasonString));
    emitEvent(Event::info(m_config.name, detail, data));
    if (m_serverKeepAlive && m_effectiveKeepAlive != config.keepAlive) {
        qCInfo(lcSession) << m_config.name << "broker set keep alive" << m_effectiveKeepAlive.count()
                          << "s (asked" << config.keepAlive.count() << "s)";
    }
    const quint64 generation = m_generation;
    declareUp(detail);
    if (generation != m_generation)
        return;
    subscribe();
}

void MqttSession::protocolError(const QString &text, std::uint8_t reasonCode)
{
    if (wireVersion() == mqtt::Version::V5) {
        // 5.0 section 4.13: say why before closing.
        mqtt::Disconnect disconnect;
        disconnect.reasonCode = reasonCode;
        sendPacket(disconnect);
    }
    fail(CauseCode::ProtocolError, text);
}

void MqttSession::onPublish(const mqtt::Publish &publish, TimePoint now)
{
    if (publish.topic.empty()) {
        protocolError(
            tr("PUBLISH without a topic name: topic aliases were not allowed (Topic Alias Maximum 0, "
               "5.0 section 3.3.2.3.4)"),
            0x82);
        return;
    }
    bool duplicate = false;
    if (publish.qos == 1) {
        mqtt::PublishAck ack;
        ack.type = mqtt::PacketType::Puback;
        ack.packetId = publish.packetId;
        sendPacket(ack);
    } else if (publish.qos == 2) {
        duplicate =
            std::find(m_qos2Pending.begin(), m_qos2Pending.end(), publish.packetId) != m_qos2Pending.end();
        if (!duplicate)
            m_qos2Pending.push_back(publish.packetId);
        mqtt::PublishAck received;
        received.type = mqtt::PacketType::Pubrec;
        received.packetId = publish.packetId;
        sendPacket(received);
    }
    if (m_devices && !duplicate)
        m_devices->onMessage(publish.topic, publish.payload, publish.retain, now);
}

void MqttSession::subscribe()
{
    if (!m_devices)
        return;
    mqtt::Subscribe subscribe;
    subscribe.packetId = nextPacketId();
    m_subscribeId = subscribe.packetId;
    for (const MqttWatchConfig &rule : m_devices->rules()) {
        mqtt::Subscription subscription;
        subscription.filter = toStd(rule.topic);
        subscription.qos = std::uint8_t(rule.qos);
        subscribe.subscriptions.push_back(std::move(subscription));
    }
    sendPacket(subscribe);
}

void MqttSession::onSuback(const mqtt::SubscribeAck &suback, TimePoint now)
{
    if (!m_devices || suback.packetId != m_subscribeId)
        return;
    const QList<MqttWatchConfig> &rules = m_devices->rules();
    const mqtt::Version version = wireVersion();
    m_watchProblems.clear();
    for (std::size_t i = 0; i < suback.reasonCodes.size() && qsizetype(i) < rules.size(); ++i) {
        const std::uint8_t code = suback.reasonCodes[i];
        if (code < 0x80)
            continue;
        const mqtt::ReasonText reason = mqtt::subackReason(version, code);
        m_watchProblems << tr("the broker refused the subscription to %1: %2")
                               .arg(rules.at(qsizetype(i)).topic, toQString(reason.phrase));
    }
    if (suback.properties.reasonString && !m_watchProblems.isEmpty())
        m_watchProblems.last() += tr(" (\"%1\")").arg(toQString(*suback.properties.reasonString));
    for (const QString &problem : std::as_const(m_watchProblems)) {
        emitEvent(
            Event::info(m_config.name, problem, QJsonObject{{u"warning"_qs, u"subscription-refused"_qs}}));
        qCWarning(lcSession).noquote() << m_config.name << problem;
    }
    m_devices->subscribed(now);
    const milliseconds every = m_devices->sweepInterval();
    m_sweepTimer =
        m_context.timers.at(EngineTimers::onGrid(now + every, every / 4), [this] { sweepDevices(); });
}

void MqttSession::sweepDevices()
{
    m_sweepTimer = EngineTimers::kNoTimer;
    if (!m_devices || !isLive())
        return;
    const TimePoint now = m_context.timers.now();
    // A device is blamed only once the broker answered after its deadline: ask the broker now
    // instead of waiting for the keep alive, so a hung broker is never read as silent devices.
    if (m_devices->sweep(now, m_lastHeardAt) && m_pings.empty())
        sendPing();
    if (!isLive())
        return;
    const milliseconds every = m_devices->sweepInterval();
    m_sweepTimer =
        m_context.timers.at(EngineTimers::onGrid(now + every, every / 4), [this] { sweepDevices(); });
}

// --- teardown ---

void MqttSession::stopProbe()
{
    ++m_generation;
    EngineTimers &timers = m_context.timers;
    timers.cancel(m_connackTimer);
    timers.cancel(m_pingTimer);
    timers.cancel(m_pingCheckTimer);
    timers.cancel(m_sweepTimer);
    m_pings.clear();
    m_qos2Pending.clear();
    m_awaitingConnack = false;
    m_decoder.reset();
    if (m_devices)
        m_devices->brokerDown(timers.now());
}

// --- what the window sees ---

void MqttSession::fillSnapshot(EndpointSnapshot &snapshot) const
{
    OutboundSession::fillSnapshot(snapshot);
    snapshot.mqtt = mqttRow();
}

bool MqttSession::snapshotDrifted(const EndpointSnapshot &row) const
{
    // Pings in flight and the devices move without an event of the endpoint's own.
    return OutboundSession::snapshotDrifted(row) || mqttRow() != row.mqtt;
}

std::shared_ptr<const MqttSnapshot> MqttSession::mqttRow() const
{
    MqttSnapshot mqtt;
    const MqttConfig &config = m_config.mqtt;
    mqtt.version = versionName();
    mqtt.transport = mqttTransportName(config.transport);
    mqtt.clientId = m_clientId;
    mqtt.requestedKeepAliveS = int(config.keepAlive.count());
    mqtt.effectiveKeepAliveS = int(m_effectiveKeepAlive.count());
    mqtt.serverKeepAlive = m_serverKeepAlive;
    mqtt.pingTimeoutMs = int(pingTimeout().count());
    mqtt.sessionPresent = m_sessionPresent;
    mqtt.brokerLimits = m_brokerLimits;
    mqtt.pingsOutstanding = int(m_pings.size());
    mqtt.watchProblems = m_watchProblems;
    if (m_devices)
        m_devices->fill(mqtt, m_context.timers.now(), QDateTime::currentDateTimeUtc());
    // The same object while nothing in it changed: the rows that share it are equal by pointer.
    if (!m_mqttRow || *m_mqttRow != mqtt)
        m_mqttRow = std::make_shared<const MqttSnapshot>(std::move(mqtt));
    return m_mqttRow;
}

} // namespace kw
