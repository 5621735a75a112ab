#pragma once

#include "endpointconfig.h"
#include "jsonreader.h"

#include <QStringList>

#include <optional>

namespace kw {

// The endpoint keys of the liveness mechanisms: "keepalive" (TCP keepalive, checked by
// net::validateTcpKeepalive), "reconnect", "heartbeat" and "idle". Each reads the nested object of
// `endpoint` when present and reports problems under its JSON path.
void parseKeepalive(JsonObjectReader &endpoint, net::TcpKeepaliveSettings &keepalive, QStringList &errors,
                    QStringList &warnings);
void parseReconnect(JsonObjectReader &endpoint, ReconnectConfig &reconnect, QStringList &errors,
                    QStringList &warnings);
void parseHeartbeat(JsonObjectReader &endpoint, std::optional<HeartbeatConfig> &heartbeat,
                    QStringList &errors, QStringList &warnings);
void parseIdle(JsonObjectReader &endpoint, IdleConfig &idle, QStringList &errors, QStringList &warnings);

} // namespace kw
