#pragma once

#include "peerprocess.h"

#include <QString>

namespace kw::test {

// mqtt_wsbridge (tests/session) run for one test: MQTT over ws:// or wss:// on 127.0.0.1, piped to a
// broker's TCP listener, because Debian's mosquitto has no WebSocket listener. The WebSocket side is
// Qt WebSockets' server, the MQTT side the real broker.
class MqttWebSocketBridge
{
public:
    // The built program, or empty when this build has none (no Qt WebSockets).
    static QString program();

    // ws:// on a port the kernel chooses, in front of 127.0.0.1:brokerPort; waited for until it listens.
    bool start(quint16 brokerPort, QString *error) { return start(brokerPort, {}, {}, error); }
    // wss:// with this PEM certificate chain and key (TestPki's localhost.pem / localhost.key).
    bool start(quint16 brokerPort, const QString &certFile, const QString &keyFile, QString *error);
    void stop() { m_process.stop(); }
    bool pause() { return m_process.pause(); }   // SIGSTOP: neither direction moves
    bool resume() { return m_process.resume(); } // SIGCONT

    quint16 port() const { return m_port; }
    // What it printed (its errors among it).
    QByteArray output() { return m_process.output(); }

private:
    PeerProcess m_process;
    quint16 m_port = 0;
};

} // namespace kw::test
