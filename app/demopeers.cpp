#include "demopeers.h"

#include "democertificates.h"
#include "demomqttbroker.h"
#include "demomqttdevices.h"
#include "socketio.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpSocket>
#include <QThread>
#include <QWebSocket>
#include <QWebSocketServer>

namespace kw {

using namespace std::chrono;

namespace {

// Answers every line with "PONG\n", like the services the demo stands in for.
void answerHeartbeats(QTcpSocket *socket)
{
    QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket] {
        while (socket->canReadLine()) {
            socket->readLine();
            socket->write("PONG\n");
        }
        // A peer that never sends a newline must not grow our buffer.
        if (socket->bytesAvailable() > 4096)
            socket->readAll();
    });
}

} // namespace

DemoPeers::DemoPeers() : m_certificateDir(QDir::tempPath() + u"/keepwatch-demo-XXXXXX"_qs)
{
    m_thread = new QThread;
    m_thread->setObjectName(u"keepwatch-demo-peers"_qs);
    moveToThread(m_thread);
    m_thread->start();
}

DemoPeers::~DemoPeers()
{
    QMetaObject::invokeMethod(
        this,
        [this] {
            for (const QPointer<QWebSocket> &socket : std::as_const(m_webSocketClients))
                delete socket.data();
            delete m_responder;
            delete m_flaky;
            delete m_tlsResponder;
            delete m_webSocketServer;
            delete m_mqttDevices;
            delete m_mqttBroker;
            m_mqttDevices = nullptr;
            m_mqttBroker = nullptr;
            delete m_dropTimer;
            delete m_webSocketRestartTimer;
            m_responder = m_flaky = nullptr;
            m_tlsResponder = nullptr;
            m_webSocketServer = nullptr;
            m_dropTimer = m_webSocketRestartTimer = nullptr;
        },
        Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

bool DemoPeers::start(QString *error)
{
    bool ok = false;
    QMetaObject::invokeMethod(
        this, [&] { ok = listen(error); }, Qt::BlockingQueuedConnection);
    return ok;
}

bool DemoPeers::listen(QString *error)
{
    m_responder = new QTcpServer;
    if (!m_responder->listen(QHostAddress::LocalHost, 0)) {
        *error = tr("demo: cannot listen on 127.0.0.1: %1").arg(m_responder->errorString());
        return false;
    }
    m_responderPort = m_responder->serverPort();
    connect(m_responder, &QTcpServer::newConnection, this, &DemoPeers::onResponderConnection);

    m_flaky = new QTcpServer;
    if (!m_flaky->listen(QHostAddress::LocalHost, 0)) {
        *error = tr("demo: cannot listen on 127.0.0.1: %1").arg(m_flaky->errorString());
        return false;
    }
    m_flakyPort = m_flaky->serverPort();
    connect(m_flaky, &QTcpServer::newConnection, this, &DemoPeers::onFlakyConnection);

    if (!listenTls(error) || !listenWebSocket(error) || !listenMqtt(error))
        return false;

    // A port where nothing listens: the demo shows "refused" and the backoff.
    QTcpServer probe;
    if (probe.listen(QHostAddress::LocalHost, 0))
        m_closedPort = probe.serverPort();
    probe.close();

    m_dropTimer = new QTimer;
    m_dropTimer->setSingleShot(true);
    connect(m_dropTimer, &QTimer::timeout, this, &DemoPeers::dropFlakyConnections);
    scheduleNextDrop();
    return true;
}

bool DemoPeers::listenTls(QString *error)
{
    if (!QSslSocket::supportsSsl()) {
        *error = tr("demo: Qt Network has no TLS backend here; install OpenSSL 3 (Debian: libssl3)");
        return false;
    }
    QString certificateError;
    const std::optional<DemoCertificates> certificates = DemoCertificates::create(&certificateError);
    if (!certificates) {
        *error = tr("demo: cannot make the demo's TLS certificates: %1").arg(certificateError);
        return false;
    }
    if (!m_certificateDir.isValid()) {
        *error = tr("demo: cannot create a folder for the demo CA certificate: %1")
                     .arg(m_certificateDir.errorString());
        return false;
    }
    QFile ca(m_certificateDir.filePath(u"keepwatch-demo-ca.pem"_qs));
    if (!ca.open(QIODevice::WriteOnly) ||
        ca.write(certificates->caCertificatePem) != certificates->caCertificatePem.size() || !ca.flush()) {
        *error =
            tr("demo: cannot write the demo CA certificate to %1: %2").arg(ca.fileName(), ca.errorString());
        return false;
    }
    m_caFile = ca.fileName();

    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(QSslCertificate(certificates->serverCertificatePem, QSsl::Pem));
    configuration.setPrivateKey(QSslKey(certificates->serverKeyPem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey));
    // The monitor is the only client and presents no certificate.
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    if (configuration.localCertificate().isNull() || configuration.privateKey().isNull()) {
        *error = tr("demo: Qt Network cannot read the demo's TLS certificate or key");
        return false;
    }
    m_tlsResponder = new QSslServer;
    m_tlsResponder->setSslConfiguration(configuration);
    if (!m_tlsResponder->listen(QHostAddress::LocalHost, 0)) {
        *error = tr("demo: cannot listen on 127.0.0.1: %1").arg(m_tlsResponder->errorString());
        return false;
    }
    m_tlsPort = m_tlsResponder->serverPort();
    // QSslServer queues a connection once its handshake is done; newConnection comes before that.
    connect(m_tlsResponder, &QSslServer::pendingConnectionAvailable, this, &DemoPeers::onTlsConnection);
    return true;
}

bool DemoPeers::listenWebSocket(QString *error)
{
    m_webSocketServer = new QWebSocketServer(u"keepwatch-demo"_qs, QWebSocketServer::NonSecureMode);
    if (!m_webSocketServer->listen(QHostAddress::LocalHost, 0)) {
        *error = tr("demo: cannot listen on 127.0.0.1: %1").arg(m_webSocketServer->errorString());
        return false;
    }
    m_webSocketPort = m_webSocketServer->serverPort();
    connect(m_webSocketServer, &QWebSocketServer::newConnection, this, &DemoPeers::onWebSocketConnection);

    m_webSocketRestartTimer = new QTimer;
    m_webSocketRestartTimer->setSingleShot(true);
    connect(m_webSocketRestartTimer, &QTimer::timeout, this, &DemoPeers::restartWebSocketServer);
    scheduleWebSocketRestart();
    return true;
}

bool DemoPeers::listenMqtt(QString *error)
{
    m_mqttBroker = new DemoMqttBroker;
    if (!m_mqttBroker->listen(error))
        return false;
    m_mqttPort = m_mqttBroker->port();
    m_mqttDevices = new DemoMqttDevices(m_mqttBroker);
    m_mqttDevices->start();
    return true;
}

void DemoPeers::onResponderConnection()
{
    while (QTcpSocket *socket = m_responder->nextPendingConnection())
        answerHeartbeats(socket);
}

void DemoPeers::onTlsConnection()
{
    while (QTcpSocket *socket = m_tlsResponder->nextPendingConnection())
        answerHeartbeats(socket);
}

void DemoPeers::onWebSocketConnection()
{
    while (QWebSocket *socket = m_webSocketServer->nextPendingConnection()) {
        // QWebSocket answers ping frames with pongs itself (RFC 6455 5.5.2); those are what the
        // demo endpoint times. Messages are echoed for a user who points a client at the port.
        connect(socket, &QWebSocket::textMessageReceived, socket,
                [socket](const QString &message) { socket->sendTextMessage(message); });
        connect(socket, &QWebSocket::binaryMessageReceived, socket,
                [socket](const QByteArray &message) { socket->sendBinaryMessage(message); });
        connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        m_webSocketClients.append(socket);
    }
}

// What a server being redeployed does: a close frame with 1001 "going away" (RFC 6455 7.4.1),
// then nothing listening until the new one is up. The demo shows the drop as ws-close:1001 and
// the reconnect once the port answers again.
void DemoPeers::restartWebSocketServer()
{
    for (const QPointer<QWebSocket> &socket : std::as_const(m_webSocketClients)) {
        if (socket)
            socket->close(QWebSocketProtocol::CloseCodeGoingAway, tr("demo server restarting"));
    }
    m_webSocketClients.clear();
    m_webSocketServer->close();
    std::uniform_int_distribution<int> refuseFor(3000, 6000);
    QTimer::singleShot(refuseFor(m_random), this, &DemoPeers::reopenWebSocketServer);
}

void DemoPeers::reopenWebSocketServer()
{
    if (!m_webSocketServer->listen(QHostAddress::LocalHost, m_webSocketPort)) {
        // The port is briefly unavailable; try again shortly.
        QTimer::singleShot(1000, this, &DemoPeers::reopenWebSocketServer);
        return;
    }
    scheduleWebSocketRestart();
}

void DemoPeers::scheduleWebSocketRestart()
{
    std::uniform_int_distribution<int> restartIn(45000, 90000);
    m_webSocketRestartTimer->start(restartIn(m_random));
}

void DemoPeers::onFlakyConnection()
{
    while (QTcpSocket *socket = m_flaky->nextPendingConnection()) {
        answerHeartbeats(socket);
        m_flakyConnections.append(socket);
    }
}

void DemoPeers::dropFlakyConnections()
{
    const bool reset = m_resetNext;
    m_resetNext = !m_resetNext;
    for (const QPointer<QTcpSocket> &socket : std::as_const(m_flakyConnections)) {
        if (!socket)
            continue;
        if (reset) {
            // SO_LINGER 0 makes close() send RST: the monitor must say "reset".
            net::setResetOnClose(socket->socketDescriptor());
            socket->abort();
        } else {
            socket->disconnectFromHost();
        }
    }
    m_flakyConnections.clear();
    m_flaky->close();
    std::uniform_int_distribution<int> refuseFor(3000, 8000);
    QTimer::singleShot(refuseFor(m_random), this, &DemoPeers::reopenFlaky);
}

void DemoPeers::reopenFlaky()
{
    if (!m_flaky->listen(QHostAddress::LocalHost, m_flakyPort)) {
        // The port is briefly unavailable; try again shortly.
        QTimer::singleShot(1000, this, &DemoPeers::reopenFlaky);
        return;
    }
    scheduleNextDrop();
}

void DemoPeers::scheduleNextDrop()
{
    std::uniform_int_distribution<int> dropIn(30000, 60000);
    m_dropTimer->start(dropIn(m_random));
}

Workspace DemoPeers::workspace() const
{
    Workspace workspace;
    const auto endpoint = [](const QString &name, quint16 port) {
        EndpointConfig e;
        e.name = name;
        e.kind = EndpointKind::Tcp;
        e.host = u"127.0.0.1"_qs;
        e.port = port;
        e.keepalive.enabled = true;
        e.keepalive.idle = seconds(10);
        e.keepalive.interval = seconds(2);
        e.keepalive.count = 3;
        e.keepalive.userTimeout = milliseconds(16000);
        return e;
    };

    EndpointConfig heartbeat = endpoint(u"heartbeat-service"_qs, m_responderPort);
    HeartbeatConfig hb;
    hb.interval = milliseconds(2000);
    hb.send = "PING\n";
    hb.expect = "PONG";
    hb.misses = 3;
    heartbeat.heartbeat = hb;
    workspace.endpoints.append(heartbeat);

    ReconnectConfig quickReconnect;
    quickReconnect.initial = milliseconds(500);
    quickReconnect.max = milliseconds(10000);

    // Verification stays on: the certificate is checked against this run's demo CA and must
    // name localhost, as tls.ca_file and tls.peer_name would be set for an internal CA.
    EndpointConfig tls = endpoint(u"tls-service"_qs, m_tlsPort);
    tls.heartbeat = hb;
    tls.tls.enabled = true;
    tls.tls.caFile = m_caFile;
    tls.tls.peerName = u"localhost"_qs;
    workspace.endpoints.append(tls);

    EndpointConfig feed = endpoint(u"websocket-feed"_qs, m_webSocketPort);
    feed.kind = EndpointKind::WebSocket;
    feed.websocket.url = u"ws://127.0.0.1:%1/demo"_qs.arg(m_webSocketPort);
    feed.websocket.path = u"/demo"_qs;
    feed.websocket.pingInterval = milliseconds(2000);
    feed.websocket.pongTimeout = milliseconds(2000);
    feed.reconnect = quickReconnect;
    workspace.endpoints.append(feed);

    EndpointConfig flaky = endpoint(u"flaky-service"_qs, m_flakyPort);
    flaky.heartbeat = hb;
    flaky.reconnect = quickReconnect;
    workspace.endpoints.append(flaky);

    workspace.endpoints.append(endpoint(u"tcp-keepalive-only"_qs, m_responderPort));

    // Keep alive 5 s so the ping RTT chart fills quickly; the devices beat every ~5 s and the watch
    // allows 15 s, so only a device that is really silent (40–70 s) or gone (its Will) turns Down.
    EndpointConfig broker = endpoint(u"mqtt-broker"_qs, m_mqttPort);
    broker.kind = EndpointKind::Mqtt;
    broker.reconnect = quickReconnect;
    broker.mqtt.version = MqttConfig::Version::V5;
    broker.mqtt.keepAlive = seconds(5);
    broker.mqtt.pingTimeout = milliseconds(3000);
    MqttWatchConfig devices;
    devices.topic = u"devices/+/heartbeat"_qs;
    devices.timeout = seconds(15);
    devices.willPayload = QByteArray(DemoMqttDevices::kWillPayload.data(),
                                     static_cast<qsizetype>(DemoMqttDevices::kWillPayload.size()));
    broker.mqtt.watch.append(devices);
    workspace.endpoints.append(broker);

    EndpointConfig retired = endpoint(u"retired-service"_qs, m_closedPort);
    retired.reconnect.max = milliseconds(30000);
    workspace.endpoints.append(retired);
    return workspace;
}

} // namespace kw
