#include "mqttwebsocketbridge.h"

#include <QFileInfo>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace kw::test {

QString MqttWebSocketBridge::program()
{
#ifdef KW_MQTT_WSBRIDGE
    return QFileInfo(QStringLiteral(KW_MQTT_WSBRIDGE)).isExecutable() ? QStringLiteral(KW_MQTT_WSBRIDGE)
                                                                      : QString();
#else
    return {};
#endif
}

bool MqttWebSocketBridge::start(quint16 brokerPort, const QString &certFile, const QString &keyFile,
                                QString *error)
{
    if (program().isEmpty()) {
        *error = u"mqtt_wsbridge is not built (it needs Qt WebSockets: qt6-websockets-dev)"_s;
        return false;
    }
    QStringList arguments{u"--port"_s, u"0"_s, u"--broker"_s, u"127.0.0.1:"_s + QString::number(brokerPort)};
    if (!certFile.isEmpty())
        arguments << u"--tls"_s << certFile << keyFile;
    // It prints "listening <port>\n" in one write once it listens.
    if (!m_process.start(program(), arguments, "\n", error))
        return false;
    const QRegularExpressionMatch match =
        QRegularExpression(u"listening (\\d+)\n"_s).match(QString::fromLocal8Bit(m_process.output()));
    m_port = match.hasMatch() ? quint16(match.captured(1).toUInt()) : 0;
    if (m_port == 0) {
        *error = u"mqtt_wsbridge did not say where it listens; it printed: "_s +
                 QString::fromLocal8Bit(m_process.output());
        m_process.stop();
        return false;
    }
    return true;
}

} // namespace kw::test
