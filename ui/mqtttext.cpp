#include "mqtttext.h"

#include "statestyle.h"
#include "timeformat.h"

#include <QLocale>

#include <QStringList>

#include <algorithm>

namespace kw {

namespace {
// The details line names this many silent (and will) devices; the device table has the rest.
constexpr int kNamedDevices = 3;

QString seconds(int s)
{
    return MqttText::tr("%1 s").arg(QLocale().toString(s));
}

// "5 s" for whole seconds, as the workspace writes them; "2.5 s", "750 ms" otherwise.
QString milliseconds(int ms)
{
    if (ms >= 1000 && ms % 1000 == 0)
        return seconds(ms / 1000);
    return TimeFormat::duration(std::chrono::milliseconds(ms));
}

QString deviceName(const DeviceSnapshot &d)
{
    return d.id.isEmpty() ? d.topic : d.id;
}
} // namespace

QString MqttText::transportLabel(const QString &transport)
{
    if (transport == u"tcp")
        return tr("TCP");
    if (transport == u"tls")
        return tr("TLS");
    if (transport == u"ws")
        return tr("WebSocket");
    if (transport == u"wss")
        return tr("WebSocket over TLS");
    return transport;
}

QString MqttText::session(const MqttSnapshot &m)
{
    QStringList parts;
    QString head = m.version.isEmpty() ? tr("MQTT") : tr("MQTT %1").arg(m.version);
    if (!m.transport.isEmpty())
        head = tr("%1 over %2").arg(head, transportLabel(m.transport));
    parts << head;
    if (!m.clientId.isEmpty())
        parts << tr("client id %1").arg(m.clientId);
    parts << (m.sessionPresent ? tr("session present (the broker kept our subscriptions)")
                               : tr("new session"));
    return parts.join(QStringLiteral(" · "));
}

QString MqttText::keepAlive(const EndpointSnapshot &e, const MqttSnapshot &m)
{
    QStringList parts;
    if (m.effectiveKeepAliveS <= 0) {
        // MQTT §3.1.2.10: 0 switches the mechanism off; only TCP keepalive can find a dead broker.
        parts << tr("keep alive off: no PINGREQ is sent, a dead broker is found only by TCP");
    } else if (m.serverKeepAlive && m.requestedKeepAliveS != m.effectiveKeepAliveS) {
        parts << tr("keep alive %1 (asked %2; the broker's Server Keep Alive)")
                     .arg(seconds(m.effectiveKeepAliveS), seconds(m.requestedKeepAliveS));
    } else if (m.serverKeepAlive) {
        parts << tr("keep alive %1 (the broker's Server Keep Alive agrees)")
                     .arg(seconds(m.effectiveKeepAliveS));
    } else if (m.requestedKeepAliveS != m.effectiveKeepAliveS && m.requestedKeepAliveS > 0) {
        parts << tr("keep alive %1 (asked %2)")
                     .arg(seconds(m.effectiveKeepAliveS), seconds(m.requestedKeepAliveS));
    } else {
        parts << tr("keep alive %1").arg(seconds(m.effectiveKeepAliveS));
    }
    if (m.effectiveKeepAliveS > 0 && m.pingTimeoutMs > 0)
        parts << tr("ping timeout %1").arg(milliseconds(m.pingTimeoutMs));
    if (m.pingsOutstanding > 0)
        parts << tr("%n PINGREQ unanswered", nullptr, m.pingsOutstanding);
    if (e.lastRttMs && e.lastRttSource == u"mqtt-ping")
        parts << tr("last ping RTT %1 ms").arg(QLocale().toString(*e.lastRttMs, 'f', 2));
    return parts.join(QStringLiteral(" · "));
}

QString MqttText::devicesWord(int count)
{
    // Spelled out: the window ships without translations, where "%n device(s)" stays "(s)".
    return count == 1 ? tr("1 device") : tr("%1 devices").arg(QLocale().toString(count));
}

int MqttText::deviceCount(const MqttSnapshot &m)
{
    return m.devicesUp + m.devicesSilent + m.devicesWill + m.devicesAwaiting;
}

QString MqttText::devices(const MqttSnapshot &m, const QDateTime &now)
{
    const int total = deviceCount(m);
    if (total == 0)
        return tr("no device has published on the watched topics yet");

    // The engine sorts the list silent and will first, so this stops after the first rows; it does
    // not rely on that order, only on the counts.
    QStringList silent;
    QStringList will;
    const int wantSilent = std::min(kNamedDevices, m.devicesSilent);
    const int wantWill = std::min(kNamedDevices, m.devicesWill);
    if (m.devices) {
        for (const DeviceSnapshot &d : *m.devices) {
            if (silent.size() >= wantSilent && will.size() >= wantWill)
                break;
            if (d.state == DeviceSnapshot::State::Silent && silent.size() < wantSilent) {
                const QDateTime quietSince = d.lastMessage.isValid() ? d.lastMessage : d.since;
                silent << (quietSince.isValid()
                               ? tr("%1 for %2").arg(deviceName(d), TimeFormat::span(quietSince, now))
                               : deviceName(d));
            } else if (d.state == DeviceSnapshot::State::Will && will.size() < wantWill) {
                will << (d.since.isValid()
                             ? tr("%1 %2").arg(deviceName(d), TimeFormat::relative(d.since, now))
                             : deviceName(d));
            }
        }
    }
    const auto named = [](const QStringList &names, int count) -> QString {
        if (names.isEmpty())
            return QString();
        QString list = names.join(QStringLiteral(", "));
        if (count > names.size())
            list += tr(", %n more", nullptr, count - int(names.size()));
        return QStringLiteral(" (") + list + u')';
    };
    QStringList parts;
    parts << tr("%1 up").arg(QLocale().toString(m.devicesUp));
    parts << tr("%1 silent").arg(QLocale().toString(m.devicesSilent)) + named(silent, m.devicesSilent);
    parts << tr("%1 will").arg(QLocale().toString(m.devicesWill)) + named(will, m.devicesWill);
    if (m.devicesAwaiting > 0)
        parts << tr("%1 awaiting a fresh message").arg(QLocale().toString(m.devicesAwaiting));
    return tr("%1: %2").arg(devicesWord(total), parts.join(QStringLiteral(", ")));
}

QString MqttText::deviceSummary(const MqttSnapshot &m)
{
    const int total = deviceCount(m);
    if (total == 0)
        return {};
    QString text = devicesWord(total);
    if (m.devicesSilent > 0)
        text += tr(", %1 silent").arg(QLocale().toString(m.devicesSilent));
    if (m.devicesWill > 0)
        text += tr(", %1 will").arg(QLocale().toString(m.devicesWill));
    return text;
}

QString MqttText::deviceStateLabel(DeviceSnapshot::State state)
{
    switch (state) {
    case DeviceSnapshot::State::Awaiting:
        return tr("Awaiting");
    case DeviceSnapshot::State::Up:
        return tr("Up");
    case DeviceSnapshot::State::Silent:
        return tr("Silent");
    case DeviceSnapshot::State::Will:
        return tr("Will");
    }
    return {};
}

QString MqttText::deviceStateToolTip(DeviceSnapshot::State state)
{
    switch (state) {
    case DeviceSnapshot::State::Awaiting:
        return tr("Known (a retained or earlier message), no fresh message yet");
    case DeviceSnapshot::State::Up:
        return tr("A fresh message arrived within the watch's timeout");
    case DeviceSnapshot::State::Silent:
        return tr("Nothing fresh within the watch's timeout (device-silent)");
    case DeviceSnapshot::State::Will:
        return tr("The broker published the device's Will: its connection ended without a clean "
                  "disconnect (device-will)");
    }
    return {};
}

QColor MqttText::deviceStateColor(DeviceSnapshot::State state, bool dark)
{
    switch (state) {
    case DeviceSnapshot::State::Awaiting:
        return StateStyle::color(EndpointState::Connecting, dark);
    case DeviceSnapshot::State::Up:
        return StateStyle::color(EndpointState::Up, dark);
    case DeviceSnapshot::State::Silent:
    case DeviceSnapshot::State::Will:
        return StateStyle::color(EndpointState::Down, dark);
    }
    return {};
}

int MqttText::deviceSeverity(DeviceSnapshot::State state)
{
    switch (state) {
    case DeviceSnapshot::State::Will:
        return 3;
    case DeviceSnapshot::State::Silent:
        return 2;
    case DeviceSnapshot::State::Awaiting:
        return 1;
    case DeviceSnapshot::State::Up:
        return 0;
    }
    return 0;
}

} // namespace kw
