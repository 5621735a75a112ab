// What a broker's refusal (CONNACK) and DISCONNECT mean, in the standard's words and with the
// setting to change: the part of MqttSession that is text for people.

#include "mqttsession.h"

#include "mqttreasons.h"
#include "sessiontext.h"

#include <algorithm>

namespace kw {

namespace {

// 1-23 letters and digits: what every broker must accept as a client id (3.1.1 section 3.1.3.1).
bool isPortableClientId(const QString &id)
{
    if (id.isEmpty() || id.size() > 23)
        return false;
    return std::all_of(id.begin(), id.end(), [](QChar c) {
        return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
    });
}

} // namespace

void MqttSession::refuse(const mqtt::Connack &connack)
{
    const MqttConfig &config = m_config.mqtt;
    const mqtt::Version version = wireVersion();
    const mqtt::ReasonText reason = mqtt::connackReason(version, connack.reasonCode);
    QString detail =
        tr("the broker refused the connection: %1 (MQTT %2 %3 %4)")
            .arg(toQString(reason.phrase), versionName(),
                 version == mqtt::Version::V311 ? tr("return code") : tr("reason code"),
                 version == mqtt::Version::V311 ? QString::number(connack.reasonCode)
                                                : u"0x"_qs + QString::number(connack.reasonCode, 16));
    if (connack.properties.reasonString)
        detail += tr(": \"%1\"").arg(toQString(*connack.properties.reasonString));

    const bool credentials =
        (version == mqtt::Version::V311 && (connack.reasonCode == 4 || connack.reasonCode == 5)) ||
        connack.reasonCode == 0x86 || connack.reasonCode == 0x87 || connack.reasonCode == 0x8C;
    QString fix;
    if (version == mqtt::Version::V311 && connack.reasonCode == 2) {
        // Mosquitto answers 2 to a 3.1.1 client that asks for more than its max_keepalive
        // (test/broker/01-connect-max-keepalive.py); an id of 1-23 letters and digits is one
        // every broker must accept, so with such an id the keep alive is the likely cause.
        if (isPortableClientId(m_clientId)) {
            fix =
                tr("the client id \"%1\" is one every broker must accept (1-23 letters and digits), so the "
                   "broker refused the keep alive: mosquitto answers this when keepalive_s (%2) is above its "
                   "max_keepalive. Lower mqtt.keepalive_s, or use mqtt.version \"5\", where the broker "
                   "answers "
                   "with the keep alive it allows")
                    .arg(m_clientId)
                    .arg(config.keepAlive.count());
        } else {
            fix =
                tr("the client id \"%1\" is not one every broker must accept (1-23 letters and digits): set "
                   "mqtt.client_id to such an id or remove it; a mosquitto broker also answers this when "
                   "keepalive_s (%2) is above its max_keepalive")
                    .arg(m_clientId)
                    .arg(config.keepAlive.count());
        }
    } else if (credentials) {
        if (config.username.isEmpty()) {
            fix = tr("no user name was sent: set mqtt.username and mqtt.password_env");
        } else if (!config.passwordEnv.isEmpty() &&
                   qgetenv(config.passwordEnv.toLocal8Bit().constData()).isNull()) {
            fix = tr("user %1 was sent without a password: the environment variable %2 (mqtt.password_env) "
                     "is not set for Keepwatch")
                      .arg(config.username, config.passwordEnv);
        } else {
            fix = tr("check user %1 and the password in %2, and the broker's ACL for this client")
                      .arg(config.username,
                           config.passwordEnv.isEmpty() ? tr("(no mqtt.password_env)") : config.passwordEnv);
        }
    } else if ((version == mqtt::Version::V311 && connack.reasonCode == 1) || connack.reasonCode == 0x84) {
        fix = version == mqtt::Version::V5
                  ? tr("the broker does not speak MQTT 5: set mqtt.version to \"3.1.1\"")
                  : tr("the broker does not speak MQTT 3.1.1: set mqtt.version to \"5\"");
    } else if (connack.reasonCode == 0x85) {
        fix = tr("set mqtt.client_id to 1-23 letters and digits");
    } else if (connack.reasonCode == 0x9C || connack.reasonCode == 0x9D) {
        if (connack.properties.serverReference)
            fix = tr("the broker points to %1: change host/port")
                      .arg(toQString(*connack.properties.serverReference));
    } else if (connack.reasonCode == 0x8A) {
        fix = tr("this client (id %1, from this address) is banned by the broker").arg(m_clientId);
    }
    if (!fix.isEmpty())
        detail += u"; "_qs + fix;
    fail(Cause(CauseCode::MqttRefused, std::string(reason.slug)), detail);
}

void MqttSession::onDisconnect(const mqtt::Disconnect &disconnect)
{
    const mqtt::ReasonText reason = mqtt::disconnectReason(disconnect.reasonCode);
    QString detail = tr("the broker disconnected: %1 (reason code 0x%2)")
                         .arg(toQString(reason.phrase), QString::number(disconnect.reasonCode, 16));
    if (disconnect.properties.reasonString)
        detail += tr(": \"%1\"").arg(toQString(*disconnect.properties.reasonString));
    if (disconnect.reasonCode == 0x8D) {
        detail += tr("; it heard nothing from us within 1.5 × the keep alive (%1)")
                      .arg(formatDuration(m_effectiveKeepAlive));
    } else if (disconnect.reasonCode == 0x8E) {
        detail += tr("; another client connected with client id %1").arg(m_clientId);
    }
    if (disconnect.properties.serverReference)
        detail += tr("; the broker points to %1").arg(toQString(*disconnect.properties.serverReference));
    fail(Cause(CauseCode::MqttDisconnect, std::string(reason.slug)), detail);
}

} // namespace kw
