#include "cause.h"

#include <array>
#include <utility>

namespace kw {

namespace {

constexpr std::array<std::pair<CauseCode, std::string_view>, 27> kNames{{
    {CauseCode::None, ""},
    {CauseCode::Refused, "refused"},
    {CauseCode::Dns, "dns"},
    {CauseCode::Unreachable, "unreachable"},
    {CauseCode::ConnectTimeout, "connect-timeout"},
    {CauseCode::Tls, "tls"},
    {CauseCode::Reset, "reset"},
    {CauseCode::PeerClosed, "peer-closed"},
    {CauseCode::KeepaliveTimeout, "keepalive-timeout"},
    {CauseCode::UserTimeout, "user-timeout"},
    {CauseCode::HeartbeatTimeout, "heartbeat-timeout"},
    {CauseCode::ReaderIdle, "reader-idle"},
    {CauseCode::WriterIdle, "writer-idle"},
    {CauseCode::AllIdle, "all-idle"},
    {CauseCode::WsHandshake, "ws-handshake"},
    {CauseCode::WsPongTimeout, "ws-pong-timeout"},
    {CauseCode::WsClose, "ws-close"},
    {CauseCode::MqttPingTimeout, "mqtt-ping-timeout"},
    {CauseCode::MqttRefused, "mqtt-refused"},
    {CauseCode::MqttDisconnect, "mqtt-disconnect"},
    {CauseCode::DeviceSilent, "device-silent"},
    {CauseCode::DeviceWill, "device-will"},
    {CauseCode::ProtocolError, "protocol-error"},
    {CauseCode::LocalLimit, "local-limit"},
    {CauseCode::Bind, "bind"},
    {CauseCode::Network, "network"},
    {CauseCode::Stopped, "stopped"},
}};

} // namespace

std::string_view causeCodeName(CauseCode code)
{
    for (const auto &[c, name] : kNames) {
        if (c == code)
            return name;
    }
    return {};
}

bool causeTakesReason(CauseCode code)
{
    return code == CauseCode::WsClose || code == CauseCode::MqttRefused || code == CauseCode::MqttDisconnect;
}

std::string Cause::name() const
{
    std::string text(causeCodeName(code));
    if (causeTakesReason(code) && !reason.empty())
        text += ':' + reason;
    return text;
}

std::optional<Cause> Cause::fromName(std::string_view name)
{
    const std::size_t colon = name.find(':');
    const std::string_view head = name.substr(0, colon);
    for (const auto &[c, text] : kNames) {
        if (text != head)
            continue;
        if (colon == std::string_view::npos)
            return Cause{c};
        if (!causeTakesReason(c) || colon + 1 == name.size())
            return std::nullopt;
        return Cause{c, std::string(name.substr(colon + 1))};
    }
    return std::nullopt;
}

} // namespace kw
