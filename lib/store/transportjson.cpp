#include "transportjson.h"

#include "jsonwriter.h"

#include <QJsonArray>
#include <QUrl>

namespace kw {

using namespace Qt::StringLiterals;

void parseTls(JsonObjectReader &endpoint, TlsConfig &tls, QStringList &errors, QStringList &warnings)
{
    const std::optional<QJsonObject> object = endpoint.object(u"tls"_s);
    if (!object)
        return;
    JsonObjectReader r(*object, endpoint.pathOf(u"tls"_s), errors, warnings);
    // {"tls": {}} or any TLS setting asks for TLS; "enabled": false switches it off explicitly.
    tls.enabled = r.boolean(u"enabled"_s).value_or(true);
    const auto file = [&r](const QString &key, QString &out) {
        if (const auto v = r.string(key)) {
            if (v->trimmed().isEmpty())
                r.error(key, u"expected the path of a PEM file, got an empty string; remove the key"_s);
            else
                out = *v;
        }
    };
    file(u"ca_file"_s, tls.caFile);
    file(u"cert_file"_s, tls.certFile);
    file(u"key_file"_s, tls.keyFile);
    if (tls.certFile.isEmpty() != tls.keyFile.isEmpty()) {
        const QString missing = tls.certFile.isEmpty() ? u"cert_file"_s : u"key_file"_s;
        r.error(missing, u"required with "_s + (tls.certFile.isEmpty() ? u"key_file"_s : u"cert_file"_s) +
                             u": a client certificate needs both its certificate and its private key"_s);
    }
    if (r.has(u"peer_name"_s)) {
        if (const auto name = r.word(u"peer_name"_s, {}))
            tls.peerName = *name;
    }
    if (const auto insecure = r.boolean(u"insecure"_s))
        tls.insecure = *insecure;
    if (tls.enabled && tls.insecure) {
        // An explicit choice, and said so wherever the endpoint shows up (check, start, every event).
        warnings << r.pathOf(u"insecure"_s) +
                        u": TLS certificate and host-name verification are off: anyone on the path can "
                        u"pose as this server; set tls.ca_file to the server's CA instead"_s;
    }
    if (const auto alpn = r.words(u"alpn"_s, u"protocol names such as \"h2\" or \"mqtt\""_s))
        tls.alpn = *alpn;
    if (const auto days = r.integer(u"warn_expiry_days"_s, 0, 3650))
        tls.warnExpiryDays = int(*days);
    if (r.has(u"password"_s) || r.has(u"key_password"_s)) {
        const QString key = r.has(u"password"_s) ? u"password"_s : u"key_password"_s;
        r.value(key);
        r.error(key, u"secrets are never kept in the workspace; use an unencrypted key file readable "
                     u"only by this user"_s);
    }
    r.reportUnknownKeys();
}

QJsonObject tlsToJson(const EndpointConfig &config)
{
    const TlsConfig defaults;
    const TlsConfig &t = config.tls;
    const bool hadTls = config.raw.contains(u"tls"_s);
    // Nothing to write when TLS is off, or when a wss:// URL or an MQTT transport "tls"/"wss" alone
    // turned it on.
    TlsConfig byUrl;
    byUrl.enabled = true;
    const bool byTransport =
        config.kind == EndpointKind::Mqtt &&
        (config.mqtt.transport == MqttTransport::Tls || config.mqtt.transport == MqttTransport::Wss);
    if (!hadTls && (!t.enabled || ((config.websocket.secure || byTransport) && t == byUrl)))
        return {};
    QJsonObject o = config.raw.value(u"tls"_s).toObject();
    // In a "tls" object TLS is on unless it says "enabled": false.
    put(o, u"enabled"_s, t.enabled, t.enabled);
    const auto putText = [&o](const QString &key, const QString &value) {
        if (value.isEmpty())
            o.remove(key);
        else
            o.insert(key, value);
    };
    putText(u"ca_file"_s, t.caFile);
    putText(u"cert_file"_s, t.certFile);
    putText(u"key_file"_s, t.keyFile);
    putText(u"peer_name"_s, t.peerName);
    put(o, u"insecure"_s, t.insecure, !t.insecure);
    if (t.alpn.isEmpty())
        o.remove(u"alpn"_s);
    else
        o.insert(u"alpn"_s, QJsonArray::fromStringList(t.alpn));
    put(o, u"warn_expiry_days"_s, t.warnExpiryDays, t.warnExpiryDays == defaults.warnExpiryDays);
    if (o.isEmpty())
        o.insert(u"enabled"_s, true);
    return o;
}

void parseWebSocket(JsonObjectReader &endpoint, EndpointConfig &config, QStringList &errors,
                    QStringList &warnings)
{
    WebSocketConfig &ws = config.websocket;
    if (const auto text = endpoint.word(u"url"_s, u"required for kind \"websocket\": ws://host:port/path or "
                                                  u"wss://host:port/path"_s)) {
        const QUrl url(*text, QUrl::StrictMode);
        const QString scheme = url.scheme().toLower();
        if (!url.isValid() || (scheme != u"ws" && scheme != u"wss") || url.host().isEmpty()) {
            endpoint.error(u"url"_s, u"expected ws://host[:port]/path or wss://host[:port]/path, got "_s +
                                         describeJson(*text));
        } else if (!url.userInfo().isEmpty()) {
            endpoint.error(u"url"_s, u"credentials in the URL would be written into the log; send them in a "
                                     u"header from websocket.headers instead"_s);
        } else {
            ws.url = *text;
            ws.secure = scheme == u"wss";
            config.host = url.host();
            config.port = quint16(url.port(ws.secure ? 443 : 80));
            ws.path = url.path(QUrl::FullyEncoded).isEmpty() ? u"/"_s : url.path(QUrl::FullyEncoded);
            if (url.hasQuery())
                ws.path += u'?' + url.query(QUrl::FullyEncoded);
            if (ws.secure)
                config.tls.enabled = true;
        }
    }
    const std::optional<QJsonObject> object = endpoint.object(u"websocket"_s);
    if (!object)
        return;
    JsonObjectReader r(*object, endpoint.pathOf(u"websocket"_s), errors, warnings);
    if (const auto v = r.seconds(u"ping_interval_s"_s))
        ws.pingInterval = *v;
    if (const auto v = r.seconds(u"pong_timeout_s"_s))
        ws.pongTimeout = *v;
    if (const auto v = r.words(u"subprotocols"_s, u"subprotocol names such as \"graphql-ws\""_s))
        ws.subprotocols = *v;
    if (const auto headers = r.object(u"headers"_s)) {
        for (auto it = headers->begin(); it != headers->end(); ++it) {
            const QString where = u"headers."_s + it.key();
            if (!it.value().isString()) {
                r.error(where, u"expected a string, got "_s + describeJson(it.value()));
                continue;
            }
            const QString value = it.value().toString();
            if (it.key().contains(u'\r') || it.key().contains(u'\n') || value.contains(u'\r') ||
                value.contains(u'\n') || it.key().contains(u':') || it.key().trimmed().isEmpty()) {
                r.error(where, u"a header name and value must not contain CR, LF or (in the name) ':'"_s);
                continue;
            }
            ws.headers.append({it.key(), value});
        }
    }
    r.reportUnknownKeys();
}

void putWebSocket(QJsonObject &out, const EndpointConfig &config)
{
    const WebSocketConfig defaults;
    const WebSocketConfig &ws = config.websocket;
    out.insert(u"url"_s, ws.url);
    out.remove(u"host"_s);
    out.remove(u"port"_s);
    QJsonObject o = config.raw.value(u"websocket"_s).toObject();
    put(o, u"ping_interval_s"_s, secondsJson(ws.pingInterval), ws.pingInterval == defaults.pingInterval);
    put(o, u"pong_timeout_s"_s, secondsJson(ws.pongTimeout), ws.pongTimeout == defaults.pongTimeout);
    if (ws.subprotocols.isEmpty())
        o.remove(u"subprotocols"_s);
    else
        o.insert(u"subprotocols"_s, QJsonArray::fromStringList(ws.subprotocols));
    QJsonObject headers;
    for (const auto &[name, value] : ws.headers)
        headers.insert(name, value);
    if (headers.isEmpty())
        o.remove(u"headers"_s);
    else
        o.insert(u"headers"_s, headers);
    out = putNested(out, u"websocket"_s, o);
}

} // namespace kw
