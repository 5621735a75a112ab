#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kw {

// Why an endpoint (or one of its peers) went down: the vocabulary of DESIGN.md, defined once. Most
// causes are named here at the socket layer, from the kernel's own error codes; the others by the
// layers and probes above (TLS, WebSocket, heartbeats, MQTT). Strings appear only at the edges (JSON,
// SQL, display) through name() and fromName().
enum class CauseCode {
    None,
    Refused,
    Dns,
    Unreachable,
    ConnectTimeout,
    Tls,
    Reset,
    PeerClosed,
    KeepaliveTimeout,
    UserTimeout,
    HeartbeatTimeout,
    ReaderIdle,
    WriterIdle,
    AllIdle,
    WsHandshake,
    WsPongTimeout,
    WsClose, // reason: the close code, "ws-close:1001"
    MqttPingTimeout,
    MqttRefused,    // reason: the CONNACK reason, "mqtt-refused:bad-credentials"
    MqttDisconnect, // reason: the DISCONNECT reason
    DeviceSilent,
    DeviceWill,
    ProtocolError,
    LocalLimit, // this machine ran out of something (descriptors, buffers, memory), not the peer
    Bind,       // a listen endpoint cannot bind its address
    Network,    // no better word applies; the detail carries the errno
    Stopped,
};

struct Cause
{
    CauseCode code = CauseCode::None;
    std::string reason; // only for the causes that take one (ws-close, mqtt-refused, mqtt-disconnect)

    Cause() = default;
    Cause(CauseCode c, std::string r = {}) : code(c), reason(std::move(r)) {} // NOLINT: implicit on purpose

    bool isNone() const { return code == CauseCode::None; }
    // "reset", "ws-close:1001"; empty for None.
    std::string name() const;
    // The inverse of name(); nullopt for an unknown name, None for "".
    static std::optional<Cause> fromName(std::string_view name);

    bool operator==(const Cause &) const = default;
};

// "reset", "ws-close" (without the reason).
std::string_view causeCodeName(CauseCode code);
// The causes whose name carries ":<reason>".
bool causeTakesReason(CauseCode code);

} // namespace kw
