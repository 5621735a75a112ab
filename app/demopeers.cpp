#include "demopeers.h"

#include "socketio.h"

#include <QHostAddress>
#include <QTcpSocket>
#include <QThread>

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

DemoPeers::DemoPeers()
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
            delete m_responder;
            delete m_flaky;
            delete m_dropTimer;
            m_responder = m_flaky = nullptr;
            m_dropTimer = nullptr;
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

void DemoPeers::onResponderConnection()
{
    while (QTcpSocket *socket = m_responder->nextPendingConnection())
        answerHeartbeats(socket);
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

    EndpointConfig flaky = endpoint(u"flaky-service"_qs, m_flakyPort);
    flaky.heartbeat = hb;
    flaky.reconnect.initial = milliseconds(500);
    flaky.reconnect.max = milliseconds(10000);
    workspace.endpoints.append(flaky);

    workspace.endpoints.append(endpoint(u"tcp-keepalive-only"_qs, m_responderPort));

    EndpointConfig retired = endpoint(u"retired-service"_qs, m_closedPort);
    retired.reconnect.max = milliseconds(30000);
    workspace.endpoints.append(retired);
    return workspace;
}

} // namespace kw
