#pragma once

#include "workspace.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTimer>

#include <random>

class QSslServer;
class QTcpSocket;
class QThread;
class QWebSocket;
class QWebSocketServer;

namespace kw {

class DemoMqttBroker;
class DemoMqttDevices;

// The embedded demo: local peers started in-process so that a first run has
// something alive to watch. Runs on its own thread so the window never waits
// on it.
//  - a heartbeat responder: answers every line with "PONG\n";
//  - a TLS heartbeat responder, its certificate issued at start by a demo CA
//    made for this run, which the demo endpoint verifies against;
//  - a WebSocket server that echoes and answers pings, and every 45–90 s
//    closes its clients with 1001 "going away" and refuses for a few seconds;
//  - a flaky peer: every 30–60 s drops its connections (alternating a clean
//    close and a reset) and refuses new ones for a few seconds;
//  - an MQTT broker on our own codec, with devices publishing heartbeats
//    through it; now and then one goes silent or drops and leaves its Will
//    (DemoMqttDevices has the timings).
class DemoPeers final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoPeers)

public:
    DemoPeers();
    ~DemoPeers() override;

    // Starts the peers on 127.0.0.1 and returns the workspace that watches them.
    bool start(QString *error);
    Workspace workspace() const;

private:
    // Runs on m_thread.
    bool listen(QString *error);
    bool listenTls(QString *error);
    bool listenWebSocket(QString *error);
    bool listenMqtt(QString *error);
    void onResponderConnection();
    void onTlsConnection();
    void onWebSocketConnection();
    void restartWebSocketServer();
    void reopenWebSocketServer();
    void scheduleWebSocketRestart();
    void onFlakyConnection();
    void dropFlakyConnections();
    void reopenFlaky();
    void scheduleNextDrop();

    QThread *m_thread = nullptr;
    QTcpServer *m_responder = nullptr;
    QTcpServer *m_flaky = nullptr;
    QSslServer *m_tlsResponder = nullptr;
    QWebSocketServer *m_webSocketServer = nullptr;
    DemoMqttBroker *m_mqttBroker = nullptr;
    DemoMqttDevices *m_mqttDevices = nullptr;
    QTimer *m_dropTimer = nullptr;
    QTimer *m_webSocketRestartTimer = nullptr;
    QList<QPointer<QTcpSocket>> m_flakyConnections;
    QList<QPointer<QWebSocket>> m_webSocketClients;
    // The demo CA's PEM for tls.ca_file; removed with the demo.
    QTemporaryDir m_certificateDir;
    QString m_caFile;
    quint16 m_responderPort = 0;
    quint16 m_tlsPort = 0;
    quint16 m_webSocketPort = 0;
    quint16 m_flakyPort = 0;
    quint16 m_mqttPort = 0;
    quint16 m_closedPort = 0;
    bool m_resetNext = false;
    std::mt19937 m_random{std::random_device{}()};
};

} // namespace kw
