#pragma once

#include "endpointconfig.h"
#include "jsonreader.h"

#include <QJsonObject>
#include <QStringList>

namespace kw {

// Kind mqtt: the "mqtt" object (protocol version, keep alive, identity, Will, transport, watched
// topics), the port by transport when "port" is absent, and the shared "tls" object, which goes with
// transport "tls" or "wss" only. Call after parseTls(). docs/workspace.md documents every key.
void parseMqtt(JsonObjectReader &endpoint, EndpointConfig &config, QStringList &errors,
               QStringList &warnings);

// The "mqtt" object merged over the one read (unknown keys survive, in "will" and in "watch" entries
// too), and "port" when it is not the transport's default or was already in the file.
void putMqtt(QJsonObject &out, const EndpointConfig &config);

} // namespace kw
