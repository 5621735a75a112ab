#pragma once

#include "mqttpacket.h"
#include "outboundsession.h"

#include <memory>
#include <vector>

namespace kw {

class DeviceWatch;
struct MqttSnapshot;
namespace mqtt {
class Decoder;
}

// Kind "mqtt": an MQTT 3.1.1 or 5.0 client session over the stream stack (TCP, TLS, WebSocket,
// secure WebSocket), with our own codec (lib/mqtt) so that every keep-alive exchange is timed here:
//
//   TCP (keepalive applied) -> [TLS] -> [WebSocket "mqtt"] -> CONNECT -> CONNACK accepted: Up
//   nothing sent for the keep alive -> PINGREQ -> PINGRESP: an RTT sample (source "mqtt-ping")
//   no PINGRESP for half the ping timeout: Suspect (pingresp-late); for all of it: Down, cause
//   mqtt-ping-timeout, within keep alive + ping timeout of the broker going silent
//
// A refused CONNACK is mqtt-refused:<reason> and a broker's DISCONNECT mqtt-disconnect:<reason>,
// in the standard's words with the broker's Reason String and what to change. A packet that breaks
// the standard is protocol-error with the decoder's message. MQTT 5 Server Keep Alive is honoured
// and shown beside the keep alive asked for.
//
// Devices (workspace "mqtt.watch") are subscribed after CONNACK and judged by DeviceWatch: a
// silent device is a device's state, never the broker's. Lives on the engine thread.
class MqttSession final : public OutboundSession
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MqttSession)

public:
    static constexpr QLatin1StringView kPingrespLate{"pingresp-late"};

    MqttSession(SharedEndpointConfig config, SessionContext context, QObject *parent = nullptr);
    ~MqttSession() override;

    void fillSnapshot(EndpointSnapshot &snapshot) const override;
    bool snapshotDrifted(const EndpointSnapshot &row) const override; // phi, pings, devices

    // The client id used when the workspace gives none: "keepwatch" and 10 letters and digits
    // derived from this machine's host name and the endpoint's name, so it is the same on every
    // start (a broker keeps a session by client id) and differs between machines.
    static QString generatedClientId(const QString &endpointName);
    QString clientId() const { return m_clientId; }
    std::chrono::seconds effectiveKeepAlive() const { return m_effectiveKeepAlive; }

private:
    bool buildLayers(std::vector<std::unique_ptr<stream::Layer>> &layers, QString *error) override;
    void onTransportReady() override;
    void onData(QByteArrayView data, TimePoint now) override;
    void startProbe(TimePoint now) override;
    void stopProbe() override;
    bool sendIdlePing() override;
    QStringList probeBoundParts() const override;
    QString pendingHandshake() const override;
    std::chrono::milliseconds tcpInfoPollInterval() const override;

    bool sendPacket(const mqtt::Packet &packet);
    void handlePacket(const mqtt::Packet &packet, TimePoint now);
    void onConnack(const mqtt::Connack &connack, TimePoint now);
    void onPublish(const mqtt::Publish &publish, TimePoint now);
    void onSuback(const mqtt::SubscribeAck &suback, TimePoint now);
    void onDisconnect(const mqtt::Disconnect &disconnect);
    void refuse(const mqtt::Connack &connack);
    void protocolError(const QString &text, std::uint8_t reasonCode);
    void subscribe();
    bool sendPing();
    TimePoint nextPingAt() const;
    void pingDue();
    void onPingresp(TimePoint now);
    void armPingCheck();
    void checkPingresp();
    void sweepDevices();
    void connackOverdue();
    std::chrono::milliseconds pingTimeout() const;
    mqtt::Version wireVersion() const;
    QString versionName() const;
    std::shared_ptr<const MqttSnapshot> mqttRow() const;
    std::uint16_t nextPacketId();

    std::unique_ptr<mqtt::Decoder> m_decoder;
    quint64 m_generation = 0; // bumped on every teardown: packets of an older connection are dropped
    bool m_awaitingConnack = false;
    TimePoint m_connectSentAt{};
    TimePoint m_lastSentAt{};
    TimePoint m_lastHeardAt{}; // the broker's last bytes: proof that it was alive then
    QString m_clientId;
    std::chrono::seconds m_effectiveKeepAlive{0};
    bool m_serverKeepAlive = false;
    bool m_sessionPresent = false;
    bool m_attempted = false;
    QString m_brokerLimits;
    QStringList m_watchProblems;
    std::uint16_t m_packetId = 0;
    std::uint16_t m_subscribeId = 0;
    std::vector<std::uint16_t> m_qos2Pending; // QoS 2 packet ids received, PUBREL not yet

    struct Ping
    {
        quint64 sequence = 0;
        TimePoint sentAt{};
    };
    // Oldest first; a PINGRESP answers the oldest. Mostly empty or one: a vector, since a deque
    // allocates a 512-byte block for every session whether or not a ping is ever outstanding.
    std::vector<Ping> m_pings;
    quint64 m_pingSequence = 0;

    EngineTimers::TimerId m_connackTimer = EngineTimers::kNoTimer;
    EngineTimers::TimerId m_pingTimer = EngineTimers::kNoTimer;
    EngineTimers::TimerId m_pingCheckTimer = EngineTimers::kNoTimer;
    EngineTimers::TimerId m_sweepTimer = EngineTimers::kNoTimer;

    std::unique_ptr<DeviceWatch> m_devices;
    // The last MQTT part of a row (mqttRow()), kept while nothing in it changes.
    mutable std::shared_ptr<const MqttSnapshot> m_mqttRow;
};

} // namespace kw
