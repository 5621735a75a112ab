#pragma once

#include <optional>
#include <string_view>

namespace kw {

// The states every endpoint moves through (DESIGN.md, "Endpoint states"):
// Disabled -> Connecting -> Up <-> Suspect -> Down -> Waiting -> Connecting ...
enum class EndpointState {
    Disabled,
    Connecting,
    Up,
    Suspect,
    Down,
    Waiting,
};

// Lower-case names used in events, JSON and exports ("up", "suspect", ...).
std::string_view endpointStateName(EndpointState state);
std::optional<EndpointState> endpointStateFromName(std::string_view name);

// The causes a person reads on every Down (DESIGN.md). MQTT causes carry a
// reason suffix ("mqtt-refused:bad-credentials") and are built as strings.
namespace cause {
inline constexpr std::string_view kRefused = "refused";
inline constexpr std::string_view kDns = "dns";
inline constexpr std::string_view kUnreachable = "unreachable";
inline constexpr std::string_view kConnectTimeout = "connect-timeout";
inline constexpr std::string_view kTls = "tls";
inline constexpr std::string_view kReset = "reset";
inline constexpr std::string_view kPeerClosed = "peer-closed";
inline constexpr std::string_view kKeepaliveTimeout = "keepalive-timeout";
inline constexpr std::string_view kUserTimeout = "user-timeout";
inline constexpr std::string_view kHeartbeatTimeout = "heartbeat-timeout";
inline constexpr std::string_view kReaderIdle = "reader-idle";
inline constexpr std::string_view kWriterIdle = "writer-idle";
inline constexpr std::string_view kAllIdle = "all-idle";
inline constexpr std::string_view kMqttPingTimeout = "mqtt-ping-timeout";
inline constexpr std::string_view kProtocolError = "protocol-error";
inline constexpr std::string_view kBind = "bind"; // a listen endpoint cannot bind its address
inline constexpr std::string_view kStopped = "stopped";
inline constexpr std::string_view kLocalLimit = "local-limit"; // this machine ran out, not the peer
inline constexpr std::string_view kNetwork = "network";
} // namespace cause

} // namespace kw
