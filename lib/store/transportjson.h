#pragma once

#include "endpointconfig.h"
#include "jsonreader.h"

#include <QJsonObject>
#include <QStringList>

namespace kw {

// Workspace key "tls" (kinds tcp and websocket). A wss:// URL turns TLS on by itself.
void parseTls(JsonObjectReader &endpoint, TlsConfig &tls, QStringList &errors, QStringList &warnings);
QJsonObject tlsToJson(const EndpointConfig &config);

// Kind websocket: "url" (ws:// or wss://, sets host, port and path) and the "websocket" object.
void parseWebSocket(JsonObjectReader &endpoint, EndpointConfig &config, QStringList &errors,
                    QStringList &warnings);
void putWebSocket(QJsonObject &out, const EndpointConfig &config);

} // namespace kw
