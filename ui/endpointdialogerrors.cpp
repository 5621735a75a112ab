// How the endpoint dialog names the loader's errors: "endpoint.keepalive.idle_s: ..." becomes
// "Keepalive idle: ..." and marks the tab that holds the field.

#include "endpointdialog.h"

#include "endpointdialogfields.h"

#include <QHash>
#include <QList>
#include <QRegularExpression>

namespace kw {

using namespace dialogfields;

QString EndpointDialog::describeError(const QString &message, int *tab) const
{
    // parseEndpoint says "endpoint.keepalive.idle_s: expected ..."; the user
    // needs the field as the dialog labels it, not the JSON path.
    static const QString kWhere = QStringLiteral("endpoint");
    QString text = message;
    if (text.startsWith(kWhere + u'.'))
        text = text.mid(kWhere.size() + 1);
    else if (text.startsWith(kWhere + u':'))
        text = text.mid(kWhere.size() + 1).trimmed();

    struct Label
    {
        QString path;
        QString label;
        int tab;
    };
    const QList<Label> labels{
        {QStringLiteral("name"), tr("Name"), GeneralTab},
        {QStringLiteral("host"), tr("Host"), GeneralTab},
        {QStringLiteral("bind"), tr("Bind address"), GeneralTab},
        {QStringLiteral("url"), tr("URL"), GeneralTab},
        {QStringLiteral("tags"), tr("Tags"), GeneralTab},
        {QStringLiteral("port"), tr("Port"), GeneralTab},
        {QStringLiteral("enabled"), tr("Enabled"), GeneralTab},
        {QStringLiteral("keepalive.enabled"), tr("Keepalive"), KeepaliveTab},
        {QStringLiteral("keepalive.idle_s"), tr("Keepalive idle"), KeepaliveTab},
        {QStringLiteral("keepalive.interval_s"), tr("Keepalive probe interval"), KeepaliveTab},
        {QStringLiteral("keepalive.count"), tr("Keepalive probe count"), KeepaliveTab},
        {QStringLiteral("keepalive.user_timeout_ms"), tr("User timeout"), KeepaliveTab},
        {QStringLiteral("reconnect.initial_ms"), tr("First retry"), ReconnectTab},
        {QStringLiteral("reconnect.max_ms"), tr("Longest wait"), ReconnectTab},
        {QStringLiteral("reconnect.multiplier"), tr("Backoff multiplier"), ReconnectTab},
        {QStringLiteral("reconnect.jitter"), tr("Jitter"), ReconnectTab},
        {QStringLiteral("reconnect.min_connect_timeout_ms"), tr("Minimum connect timeout"), ReconnectTab},
        {QStringLiteral("heartbeat.interval_s"), tr("Heartbeat interval"), HeartbeatTab},
        {QStringLiteral("heartbeat.send"), tr("Heartbeat send"), HeartbeatTab},
        {QStringLiteral("heartbeat.expect"), tr("Heartbeat expect"), HeartbeatTab},
        {QStringLiteral("heartbeat.misses"), tr("Heartbeat misses"), HeartbeatTab},
        {QStringLiteral("heartbeat.timeout_ms"), tr("Heartbeat timeout"), HeartbeatTab},
        {QStringLiteral("idle.reader_s"), tr("Reader idle"), IdleTab},
        {QStringLiteral("idle.writer_s"), tr("Writer idle"), IdleTab},
        {QStringLiteral("idle.all_s"), tr("All idle"), IdleTab},
        {QStringLiteral("idle.action"), tr("Idle action"), IdleTab},
        {QStringLiteral("tls.ca_file"), tr("CA file"), TlsTab},
        {QStringLiteral("tls.cert_file"), tr("Client certificate"), TlsTab},
        {QStringLiteral("tls.key_file"), tr("Client key"), TlsTab},
        {QStringLiteral("tls.peer_name"), tr("Server name"), TlsTab},
        {QStringLiteral("tls.alpn"), tr("ALPN"), TlsTab},
        {QStringLiteral("tls.warn_expiry_days"), tr("Warn before expiry"), TlsTab},
        {QStringLiteral("tls"), tr("TLS"), TlsTab},
        {QStringLiteral("websocket.ping_interval_s"), tr("Ping interval"), WebSocketTab},
        {QStringLiteral("websocket.pong_timeout_s"), tr("Pong timeout"), WebSocketTab},
        {QStringLiteral("websocket.subprotocols"), tr("Subprotocols"), WebSocketTab},
        {QStringLiteral("websocket.headers"), tr("Headers"), WebSocketTab},
        {QStringLiteral("mqtt.version"), tr("MQTT version"), MqttTab},
        {QStringLiteral("mqtt.transport"), tr("Transport"), MqttTab},
        {QStringLiteral("mqtt.keepalive_s"), tr("Keep alive"), MqttTab},
        {QStringLiteral("mqtt.ping_timeout_s"), tr("Ping timeout"), MqttTab},
        {QStringLiteral("mqtt.client_id"), tr("Client id"), MqttTab},
        {QStringLiteral("mqtt.username"), tr("User name"), MqttTab},
        {QStringLiteral("mqtt.password_env"), tr("Password variable"), MqttTab},
        {QStringLiteral("mqtt.clean_start"), tr("Clean start"), MqttTab},
        {QStringLiteral("mqtt.path"), tr("WebSocket path"), MqttTab},
        {QStringLiteral("mqtt.session_expiry_s"), tr("Session expiry"), MqttTab},
        {QStringLiteral("mqtt.will.topic"), tr("Will topic"), MqttTab},
        {QStringLiteral("mqtt.will.payload"), tr("Will payload"), MqttTab},
        {QStringLiteral("mqtt.will.qos"), tr("Will QoS"), MqttTab},
    };
    // "mqtt.watch[2].topic: ..." is the third row of the watch table.
    static const QRegularExpression kWatchPath(QStringLiteral("^mqtt\\.watch\\[(\\d+)\\](?:\\.(\\w+))?:"));
    if (const QRegularExpressionMatch m = kWatchPath.match(text); m.hasMatch()) {
        const QHash<QString, QString> columns{{QStringLiteral("topic"), tr("topic filter")},
                                              {QStringLiteral("timeout_s"), tr("timeout")},
                                              {QStringLiteral("expect"), tr("expect")},
                                              {QStringLiteral("qos"), tr("QoS")},
                                              {QStringLiteral("will_payload"), tr("Will payload")},
                                              {QStringLiteral("retained_counts"), tr("retained counts")}};
        *tab = MqttTab;
        const QString column =
            m.captured(2).isEmpty() ? QString() : columns.value(m.captured(2), m.captured(2));
        const QString where = column.isEmpty()
                                  ? tr("Watch row %1").arg(m.captured(1).toInt() + 1)
                                  : tr("Watch row %1, %2").arg(m.captured(1).toInt() + 1).arg(column);
        return where + text.mid(m.capturedLength(0) - 1);
    }
    for (const Label &l : labels) {
        if (text.startsWith(l.path + u':')) {
            *tab = l.tab;
            return l.label + text.mid(l.path.size());
        }
        // "websocket.headers.X-Token: ..." names the header: "Headers, X-Token: ...".
        if (l.tab == WebSocketTab && text.startsWith(l.path + u'.')) {
            *tab = l.tab;
            return l.label + QStringLiteral(", ") + text.mid(l.path.size() + 1);
        }
    }
    *tab = text.startsWith(u"keepalive")   ? KeepaliveTab
           : text.startsWith(u"reconnect") ? ReconnectTab
           : text.startsWith(u"heartbeat") ? HeartbeatTab
           : text.startsWith(u"idle")      ? IdleTab
           : text.startsWith(u"tls")       ? TlsTab
           : text.startsWith(u"websocket") ? WebSocketTab
           : text.startsWith(u"mqtt")      ? MqttTab
                                           : GeneralTab;
    return text;
}

} // namespace kw
