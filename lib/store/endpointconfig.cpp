#include "endpointconfig.h"

#include <algorithm>

namespace kw {

using namespace Qt::StringLiterals;

QString EndpointConfig::target() const
{
    const auto hostPort = [](const QString &host, quint16 port) -> QString {
        // RFC 3986 section 3.2.2: an IPv6 literal is bracketed before the port.
        const QString shown = host.contains(u':') ? u'[' + host + u']' : host;
        return shown + u':' + QString::number(port);
    };
    if (kind == EndpointKind::Listen)
        return u"listen "_s + hostPort(bind.isEmpty() ? u"127.0.0.1"_s : bind, port);
    if (kind == EndpointKind::WebSocket && !websocket.url.isEmpty())
        return websocket.url;
    if (kind == EndpointKind::Mqtt) {
        // The scheme says the transport: mqtt:// and mqtts:// as brokers document them, ws:// and
        // wss:// with the upgrade's path.
        switch (mqtt.transport) {
        case MqttTransport::Tcp:
            return u"mqtt://"_s + hostPort(host, port);
        case MqttTransport::Tls:
            return u"mqtts://"_s + hostPort(host, port);
        case MqttTransport::Ws:
            return u"ws://"_s + hostPort(host, port) + mqtt.path;
        case MqttTransport::Wss:
            return u"wss://"_s + hostPort(host, port) + mqtt.path;
        }
    }
    return hostPort(host, port);
}

bool EndpointConfig::operator==(const EndpointConfig &other) const
{
    return name == other.name && kind == other.kind && host == other.host && port == other.port &&
           bind == other.bind && enabled == other.enabled && tags == other.tags &&
           keepalive == other.keepalive && reconnect == other.reconnect && heartbeat == other.heartbeat &&
           idle == other.idle && tls == other.tls && websocket == other.websocket && mqtt == other.mqtt &&
           alert == other.alert;
}

QString endpointKindName(EndpointKind kind)
{
    switch (kind) {
    case EndpointKind::Tcp:
        return u"tcp"_s;
    case EndpointKind::Mqtt:
        return u"mqtt"_s;
    case EndpointKind::Listen:
        return u"listen"_s;
    case EndpointKind::WebSocket:
        return u"websocket"_s;
    }
    return {};
}

std::optional<EndpointKind> endpointKindFromName(const QString &name)
{
    for (const EndpointKind kind :
         {EndpointKind::Tcp, EndpointKind::Mqtt, EndpointKind::Listen, EndpointKind::WebSocket}) {
        if (endpointKindName(kind) == name)
            return kind;
    }
    return std::nullopt;
}

std::chrono::milliseconds MqttConfig::effectivePingTimeout(std::chrono::seconds keepAliveInForce) const
{
    if (pingTimeout)
        return *pingTimeout;
    return std::min<std::chrono::milliseconds>(keepAliveInForce, std::chrono::seconds(30));
}

QString mqttTransportName(MqttTransport transport)
{
    switch (transport) {
    case MqttTransport::Tcp:
        return u"tcp"_s;
    case MqttTransport::Tls:
        return u"tls"_s;
    case MqttTransport::Ws:
        return u"ws"_s;
    case MqttTransport::Wss:
        return u"wss"_s;
    }
    return {};
}

std::optional<MqttTransport> mqttTransportFromName(const QString &name)
{
    for (const MqttTransport t :
         {MqttTransport::Tcp, MqttTransport::Tls, MqttTransport::Ws, MqttTransport::Wss}) {
        if (mqttTransportName(t) == name)
            return t;
    }
    return std::nullopt;
}

quint16 mqttDefaultPort(MqttTransport transport)
{
    switch (transport) {
    case MqttTransport::Tcp:
        return 1883;
    case MqttTransport::Tls:
        return 8883;
    case MqttTransport::Ws:
        return 80;
    case MqttTransport::Wss:
        return 443;
    }
    return 1883;
}

QString mqttVersionName(MqttConfig::Version version)
{
    switch (version) {
    case MqttConfig::Version::V311:
        return u"3.1.1"_s;
    case MqttConfig::Version::V5:
        return u"5"_s;
    }
    return {};
}

std::optional<MqttConfig::Version> mqttVersionFromName(const QString &name)
{
    for (const MqttConfig::Version v : {MqttConfig::Version::V311, MqttConfig::Version::V5}) {
        if (mqttVersionName(v) == name)
            return v;
    }
    return std::nullopt;
}

QString idleActionName(IdleAction action)
{
    switch (action) {
    case IdleAction::Suspect:
        return u"suspect"_s;
    case IdleAction::Ping:
        return u"ping"_s;
    case IdleAction::Close:
        return u"close"_s;
    }
    return {};
}

std::optional<IdleAction> idleActionFromName(const QString &name)
{
    for (const IdleAction action : {IdleAction::Suspect, IdleAction::Ping, IdleAction::Close}) {
        if (idleActionName(action) == name)
            return action;
    }
    return std::nullopt;
}

} // namespace kw
