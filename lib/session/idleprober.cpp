#include "idleprober.h"

#include "connection.h"
#include "keepalive.h"
#include "socketerror.h"
#include "tcpsnapshot.h"

#include <QCoreApplication>
#include <QTimer>

#include <algorithm>
#include <cerrno>

namespace kw {

using std::chrono::milliseconds;

namespace {

constexpr milliseconds kMinAckWait{1500};
constexpr milliseconds kAckPollEvery{20};

bool isResetError(int error)
{
#if defined(_WIN32)
    return error == WSAECONNRESET || error == WSAECONNABORTED;
#else
    return error == ECONNRESET || error == EPIPE || error == ECONNABORTED;
#endif
}

} // namespace

IdleProber::IdleProber(const Clock &clock, const QHostAddress &address, quint16 port,
                       const IdleSearchOptions &options, QObject *parent)
    : QObject(parent), m_clock(clock), m_address(address), m_port(port), m_search(clock, options)
{}

IdleProber::~IdleProber()
{
    for (auto &[id, probe] : m_probes) {
        delete probe.timer;
        delete probe.connection;
    }
    for (Connection *connection : m_spare)
        delete connection;
}

QString IdleProber::target() const
{
    const QString host = m_address.protocol() == QAbstractSocket::IPv6Protocol
                             ? u'[' + m_address.toString() + u']'
                             : m_address.toString();
    return host + u':' + QString::number(m_port);
}

void IdleProber::start()
{
    startRequests();
}

void IdleProber::startRequests()
{
    for (const IdleSearch::Request &request : m_search.takeRequests())
        launch(request.id);
    finishIfDone();
}

void IdleProber::launch(int id)
{
    Probe &probe = m_probes[id];
    probe.id = id;
    probe.timer = new QTimer(this);
    probe.timer->setSingleShot(true);
    probe.timer->setTimerType(Qt::PreciseTimer);
    if (!m_spare.empty()) {
        probe.connection = m_spare.back();
        probe.reused = true;
        m_spare.pop_back();
        attach(probe);
        // Straight after an acknowledged write, so its idle time starts now.
        QMetaObject::invokeMethod(
            this, [this, id] { onConnected(id); }, Qt::QueuedConnection);
        return;
    }
    probe.connection = new Connection(this);
    attach(probe);
    connect(probe.timer, &QTimer::timeout, this, [this, id] {
        const auto it = m_probes.find(id);
        if (it == m_probes.end() || it->second.phase != Phase::Connecting)
            return;
        release(it->second, false, false);
        m_probes.erase(it);
        m_search.failed(id, tr("no answer from %1 within %2 s: check the address, the port and any firewall "
                               "on the way")
                                .arg(target())
                                .arg(m_connectTimeout.count() / 1000.0));
        applyCancels();
        startRequests();
    });
    probe.timer->start(m_connectTimeout);
    probe.connection->connectTo(m_address, m_port);
}

void IdleProber::attach(Probe &probe)
{
    const int id = probe.id;
    connect(probe.connection, &Connection::connected, this, [this, id] { onConnected(id); });
    connect(probe.connection, &Connection::received, this, [this, id] { onReceived(id); });
    connect(probe.connection, &Connection::peerClosed, this, [this, id] { onPeerClosed(id); });
    connect(probe.connection, &Connection::failed, this, [this, id](int error) { onFailed(id, error); });
}

void IdleProber::onConnected(int id)
{
    const auto it = m_probes.find(id);
    if (it == m_probes.end())
        return;
    Probe &probe = it->second;
    const bool reused = probe.reused;
    probe.timer->stop();
    probe.timer->disconnect();
    if (!reused) {
        // Keepalive explicitly off: a system default of keepalive on would refresh the middlebox and
        // hide the very timeout being looked for.
        net::TcpKeepaliveSettings off;
        off.enabled = false;
        const net::KeepaliveReport report = net::applyKeepalive(probe.connection->socket(), off);
        if (!report.allApplied()) {
            release(probe, false, false);
            m_probes.erase(it);
            m_search.failed(id, tr("cannot turn TCP keepalive off on the probe connection (%1)")
                                    .arg(QString::fromStdString(report.summary())));
            applyCancels();
            startRequests();
            return;
        }
    }
    probe.phase = Phase::Idle;
    m_search.begun(id);
    const IdleProbeRecord *record = m_search.probe(id);
    connect(probe.timer, &QTimer::timeout, this, [this, id] { onGapOver(id); });
    probe.timer->start(record->gap);
    Q_EMIT probeStarted(id, reused);
}

void IdleProber::onGapOver(int id)
{
    const auto it = m_probes.find(id);
    if (it == m_probes.end())
        return;
    Probe &probe = it->second;
    probe.phase = Phase::AwaitingAck;
    probe.writtenAt = m_clock.now();
    probe.ackWait = kMinAckWait;
    if (const auto snapshot = net::readTcpSnapshot(probe.connection->socket())) {
        const auto us = [](std::optional<std::uint32_t> v) { return milliseconds(v.value_or(0) / 1000); };
        probe.ackWait = std::max(kMinAckWait, 4 * us(snapshot->rttUs) + 3 * us(snapshot->rtoUs));
        probe.retransAtWrite = snapshot->totalRetrans.value_or(0);
    }
    probe.connection->write(m_payload);
    probe.timer->disconnect();
    probe.timer->setSingleShot(false);
    connect(probe.timer, &QTimer::timeout, this, [this, id] { pollAck(id); });
    probe.timer->start(kAckPollEvery);
}

bool IdleProber::acknowledged(const Probe &probe) const
{
    if (!probe.connection->isOpen() || probe.connection->bytesToWrite() > 0)
        return false;
    const auto snapshot = net::readTcpSnapshot(probe.connection->socket());
    return snapshot && !snapshot->hasDataInFlight();
}

void IdleProber::pollAck(int id)
{
    const auto it = m_probes.find(id);
    if (it == m_probes.end())
        return;
    Probe &probe = it->second;
    if (acknowledged(probe))
        conclude(id, IdleProbeOutcome::Survived);
    else if (m_clock.now() - probe.writtenAt >= probe.ackWait)
        conclude(id, IdleProbeOutcome::SilentDrop);
}

void IdleProber::onReceived(int id)
{
    const auto it = m_probes.find(id);
    if (it == m_probes.end())
        return;
    Probe &probe = it->second;
    if (probe.phase == Phase::AwaitingAck) {
        conclude(id, IdleProbeOutcome::Survived); // answered
    } else if (probe.phase == Phase::Idle) {
        // The peer spoke on its own: the path saw traffic, the idle time starts again.
        m_search.restarted(id);
        probe.timer->start(m_search.probe(id)->gap);
    }
}

void IdleProber::onPeerClosed(int id)
{
    const auto it = m_probes.find(id);
    if (it == m_probes.end())
        return;
    Probe &probe = it->second;
    if (probe.phase == Phase::Connecting) {
        onFailed(id, 0);
        return;
    }
    // A FIN after the write is the service's answer to it (some close on an empty line): the path carried
    // both ways, so the flow was alive. A FIN while idle is an idle timeout of the peer or a proxy.
    conclude(id, probe.phase == Phase::AwaitingAck ? IdleProbeOutcome::Survived : IdleProbeOutcome::Closed);
}

void IdleProber::onFailed(int id, int error)
{
    const auto it = m_probes.find(id);
    if (it == m_probes.end())
        return;
    Probe &probe = it->second;
    if (probe.phase == Phase::Connecting) {
        release(probe, false, false);
        m_probes.erase(it);
        m_search.failed(id, connectFailure(error));
        applyCancels();
        startRequests();
        return;
    }
    conclude(id, isResetError(error) ? IdleProbeOutcome::Reset : IdleProbeOutcome::SilentDrop);
}

QString IdleProber::connectFailure(int error) const
{
    const QString code = QString::fromStdString(net::errorName(error) + ": " + net::errorText(error));
    if (error == 0)
        return tr("%1 closed the connection as soon as it was made: probe a port whose service keeps "
                  "connections open")
            .arg(target());
    const net::Classification classified =
        net::classifySocketError(error, net::ErrorContext{.duringConnect = true});
    switch (classified.cause.code) {
    case CauseCode::Refused:
        return tr("nothing listens on %1 (%2): check the port and that the service runs").arg(target(), code);
    case CauseCode::Unreachable:
        return tr("%1 is unreachable (%2): check the address and the route to it").arg(target(), code);
    case CauseCode::ConnectTimeout:
        return tr("no answer from %1 (%2): check the address, the port and any firewall on the way")
            .arg(target(), code);
    case CauseCode::LocalLimit:
        return tr("this machine cannot open another connection (%1): raise the open-file limit (ulimit -n)")
            .arg(code);
    default:
        break;
    }
    return tr("cannot connect to %1 (%2)").arg(target(), code);
}

void IdleProber::conclude(int id, IdleProbeOutcome outcome)
{
    const auto it = m_probes.find(id);
    if (it == m_probes.end())
        return;
    Probe &probe = it->second;
    int retransmits = 0;
    if (outcome == IdleProbeOutcome::Survived && probe.phase == Phase::AwaitingAck &&
        probe.connection->isOpen()) {
        if (const auto snapshot = net::readTcpSnapshot(probe.connection->socket()))
            retransmits = int(snapshot->totalRetrans.value_or(0) -
                              std::min(snapshot->totalRetrans.value_or(0), probe.retransAtWrite));
    }
    m_search.report(id, outcome, retransmits);
    const bool reusable = outcome == IdleProbeOutcome::Survived && probe.connection->isConnected();
    release(probe, reusable, outcome == IdleProbeOutcome::SilentDrop);
    m_probes.erase(it);
    Q_EMIT probeEnded(id);
    applyCancels();
    startRequests();
}

void IdleProber::release(Probe &probe, bool keepConnection, bool reset)
{
    probe.timer->stop();
    probe.timer->disconnect();
    probe.timer->deleteLater();
    probe.timer = nullptr;
    Connection *connection = probe.connection;
    probe.connection = nullptr;
    QObject::disconnect(connection, nullptr, this, nullptr);
    if (keepConnection) {
        m_spare.push_back(connection);
        return;
    }
    // A forgotten flow would retransmit for minutes: a RST (SO_LINGER 0) frees it at once.
    if (reset && connection->isOpen())
        net::setResetOnClose(connection->socket());
    connection->close();
    connection->deleteLater();
}

void IdleProber::applyCancels()
{
    for (const int id : m_search.takeCancels()) {
        const auto it = m_probes.find(id);
        if (it == m_probes.end())
            continue;
        release(it->second, false, false);
        m_probes.erase(it);
        Q_EMIT probeCancelled(id);
    }
}

void IdleProber::finishIfDone()
{
    if (m_finishedSignalled || !m_search.finished())
        return;
    applyCancels();
    m_finishedSignalled = true;
    for (Connection *connection : m_spare) {
        connection->close();
        connection->deleteLater();
    }
    m_spare.clear();
    QMetaObject::invokeMethod(
        this, [this] { Q_EMIT finished(); }, Qt::QueuedConnection);
}

} // namespace kw
