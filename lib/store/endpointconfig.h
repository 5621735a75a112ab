#pragma once

#include "alertjson.h"
#include "tcpkeepalivesettings.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

namespace kw {

enum class EndpointKind {
    Tcp,       // we connect and hold the connection
    Mqtt,      // we connect and speak MQTT (keepalive by PINGREQ/PINGRESP)
    Listen,    // heartbeat server: peers connect to us and send heartbeats
    WebSocket, // we connect, upgrade to RFC 6455 and ping
};

// Workspace key "reconnect" (gRPC connection-backoff defaults).
struct ReconnectConfig
{
    std::chrono::milliseconds initial{1000};
    std::chrono::milliseconds max{120000};
    double multiplier = 1.6;
    double jitter = 0.2;
    std::chrono::milliseconds minConnectTimeout{20000};

    bool operator==(const ReconnectConfig &) const = default;
};

// Workspace key "heartbeat": send a payload every interval; a reply that
// contains `expect` (empty = any bytes) is a heartbeat; `misses` in a row
// is Down with cause heartbeat-timeout.
struct HeartbeatConfig
{
    std::chrono::milliseconds interval{5000};
    QByteArray send;   // unescaped bytes (\r \n \xNN already decoded)
    QByteArray expect; // unescaped bytes; empty matches any reply
    int misses = 3;
    std::chrono::milliseconds timeout{0}; // 0: a reply is due before the next send

    bool operator==(const HeartbeatConfig &) const = default;
};

enum class IdleAction { Suspect, Ping, Close };

// Workspace key "idle": Netty IdleStateHandler semantics; 0 disables each.
struct IdleConfig
{
    std::chrono::seconds reader{0};
    std::chrono::seconds writer{0};
    std::chrono::seconds all{0};
    IdleAction action = IdleAction::Suspect;

    bool isEnabled() const { return reader.count() > 0 || writer.count() > 0 || all.count() > 0; }
    bool operator==(const IdleConfig &) const = default;
};

// Workspace key "tls": TLS on the connection (kinds tcp, websocket and mqtt). Verification is
// on unless `insecure` says otherwise; private keys stay in their files, never in the workspace.
struct TlsConfig
{
    bool enabled = false;
    QString caFile;   // empty: the system trust store
    QString certFile; // client certificate (with keyFile) for servers that ask for one
    QString keyFile;
    QString peerName; // SNI and the name the certificate must carry; empty: the host
    bool insecure = false;
    QStringList alpn;
    int warnExpiryDays = 14;

    bool operator==(const TlsConfig &) const = default;
};

// Workspace keys "url" and "websocket" of kind websocket.
struct WebSocketConfig
{
    QString url; // ws://host:port/path or wss://... as written
    bool secure = false;
    QString path = QStringLiteral("/");
    std::chrono::milliseconds pingInterval{10000};
    std::chrono::milliseconds pongTimeout{5000};
    QStringList subprotocols;
    QList<QPair<QString, QString>> headers;

    bool operator==(const WebSocketConfig &) const = default;
};

// One entry of the workspace key "mqtt.watch": devices that publish heartbeats on topics matching
// `topic`. Each matching topic is a device with its own state: device-silent when nothing fresh
// arrived within `timeout`, device-will when the broker publishes its Will (a payload containing
// `willPayload` on a matching topic).
struct MqttWatchConfig
{
    QString topic; // a topic filter: "devices/+/heartbeat"
    std::chrono::milliseconds timeout{30000};
    QByteArray expect;           // a message counts only if it contains these bytes; empty: any
    QByteArray willPayload;      // a message containing these bytes is the device's Will; empty: none
    bool retainedCounts = false; // a retained message (old by definition) counts as fresh
    int qos = 0;                 // the subscription's maximum QoS

    bool operator==(const MqttWatchConfig &) const = default;
};

enum class MqttTransport { Tcp, Tls, Ws, Wss };

// Workspace key "mqtt" of kind mqtt. The password is never in the workspace: `passwordEnv` names
// the environment variable that holds it.
struct MqttConfig
{
    enum class Version { V311, V5 };
    Version version = Version::V5;
    std::chrono::seconds keepAlive{60};
    // No PINGRESP within this of a PINGREQ is Down (mqtt-ping-timeout); absent: the keep alive,
    // capped at 30 s.
    std::optional<std::chrono::milliseconds> pingTimeout;
    QString clientId; // empty: one is generated ("keepwatch<10 letters and digits>") and kept
    QString username; // empty: none
    QString passwordEnv;
    bool cleanStart = true;
    std::optional<std::chrono::seconds> sessionExpiry; // 5.0 Session Expiry Interval
    struct Will
    {
        QString topic;
        QByteArray payload;
        int qos = 0;
        bool retain = false;
        bool operator==(const Will &) const = default;
    };
    std::optional<Will> will;
    MqttTransport transport = MqttTransport::Tcp;
    QString path = QStringLiteral("/mqtt"); // transport ws/wss
    QList<MqttWatchConfig> watch;

    // The ping timeout in force: pingTimeout, else min(keep alive, 30 s).
    std::chrono::milliseconds effectivePingTimeout(std::chrono::seconds keepAlive) const;
    bool operator==(const MqttConfig &) const = default;
};

QString mqttTransportName(MqttTransport transport);
std::optional<MqttTransport> mqttTransportFromName(const QString &name);
// The port of a kind mqtt endpoint without "port": the IANA MQTT ports 1883 and 8883 (tcp, tls),
// the HTTP ports 80 and 443 (ws, wss).
quint16 mqttDefaultPort(MqttTransport transport);
// "3.1.1" and "5", as the workspace key "mqtt.version" spells them.
QString mqttVersionName(MqttConfig::Version version);
std::optional<MqttConfig::Version> mqttVersionFromName(const QString &name);

struct EndpointConfig
{
    QString name; // unique within a workspace
    EndpointKind kind = EndpointKind::Tcp;
    QString host;     // kind tcp/mqtt: where we connect
    quint16 port = 0; // tcp/mqtt: remote port; listen: local port
    QString bind;     // kind listen: local address, default 127.0.0.1
    bool enabled = true;
    QStringList tags; // workspace key "tags": free words to filter and group by, e.g. "prod", "db"
    net::TcpKeepaliveSettings keepalive; // workspace key "keepalive"
    ReconnectConfig reconnect;
    std::optional<HeartbeatConfig> heartbeat;
    IdleConfig idle;
    TlsConfig tls;
    WebSocketConfig websocket; // kind websocket
    MqttConfig mqtt;           // kind mqtt
    AlertConfig alert;         // workspace key "alert": overrides the workspace's default (alertjson.h)

    // The endpoint's JSON object as read, so keys this version does not know
    // survive a load/save round trip.
    QJsonObject raw;

    QString target() const;
    bool operator==(const EndpointConfig &other) const; // compares everything but `raw`
};

QString endpointKindName(EndpointKind kind);
std::optional<EndpointKind> endpointKindFromName(const QString &name);
QString idleActionName(IdleAction action);
std::optional<IdleAction> idleActionFromName(const QString &name);

} // namespace kw
