#pragma once

#include "snapshot.h"

#include <QColor>
#include <QCoreApplication>
#include <QDateTime>
#include <QString>

namespace kw {

// What the window says about an MQTT session and its devices, in one place so the details panel,
// the endpoint table and the device table use the same words.
class MqttText
{
    Q_DECLARE_TR_FUNCTIONS(kw::MqttText)

public:
    // "MQTT 5 over TLS · client id keepwatch-x1 · session present"
    static QString session(const MqttSnapshot &mqtt);
    // "keep alive 10 s (asked 60 s; the broker's Server Keep Alive) · ping timeout 5 s · last ping
    // RTT 1.84 ms". `e` supplies the last RTT when it was measured by a ping.
    static QString keepAlive(const EndpointSnapshot &e, const MqttSnapshot &mqtt);
    // "12 devices: 11 up, 1 silent (pump-2 for 47 s), 0 will"; names a few silent and will devices.
    static QString devices(const MqttSnapshot &mqtt, const QDateTime &now);
    // The endpoint table's summary: "12 devices, 1 silent"; empty when no device is watched.
    static QString deviceSummary(const MqttSnapshot &mqtt);
    static int deviceCount(const MqttSnapshot &mqtt);
    static QString devicesWord(int count); // "1 device", "12 devices"
    // Devices that need someone: silent or will.
    static int devicesInTrouble(const MqttSnapshot &mqtt) { return mqtt.devicesSilent + mqtt.devicesWill; }

    static QString transportLabel(const QString &transport); // "TLS", "WebSocket over TLS"
    static QString deviceStateLabel(DeviceSnapshot::State state);
    static QString deviceStateToolTip(DeviceSnapshot::State state);
    static QColor deviceStateColor(DeviceSnapshot::State state, bool dark);
    // Sort order by urgency: will and silent first, up last.
    static int deviceSeverity(DeviceSnapshot::State state);
};

} // namespace kw
