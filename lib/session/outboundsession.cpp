#include "outboundsession.h"

#include "connection.h"
#include "resourcelimits.h"
#include "sessionlogging.h"
#include "sessiontext.h"
#include "snapshot.h"
#include "socketerror.h"
#include "streamlayer.h"
#include "websocketlayer.h"

#include <QHostInfo>
#include <QJsonArray>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace kw {

using namespace std::chrono;

OutboundSession::OutboundSession(SharedEndpointConfig config, SessionContext context, QObject *parent)
    : RetryingSession(std::move(config), context, parent),
      m_phaseSeed(PhaseGrid::seedOf(m_config.name.toUtf8().toStdString()))
{}

OutboundSession::~OutboundSession()
{
    teardown();
}

double OutboundSession::shownPhi(double phi)
{
    return std::round(phi * 10.0) / 10.0;
}

void OutboundSession::fillSnapshot(EndpointSnapshot &snapshot) const
{
    RetryingSession::fillSnapshot(snapshot);
    snapshot.lastRttMs = m_lastRttMs;
    snapshot.lastRttSource = m_lastRttSource;
    snapshot.lastRttKernelStamped = m_lastRttKernelStamped;
    snapshot.keepalive = m_keepalive.summary;
    snapshot.detectionBound = detectionBoundText();
    snapshot.phi = shownPhi(phi());
    snapshot.tls = m_tlsSummary;
    snapshot.tlsDaysLeft = m_tlsDaysLeft;
    snapshot.tlsExpiryWarning = m_tlsDaysLeft && *m_tlsDaysLeft <= m_config.tls.warnExpiryDays;
    snapshot.tlsInsecure = m_config.tls.enabled && m_config.tls.insecure;
}

bool OutboundSession::snapshotDrifted(const EndpointSnapshot &row) const
{
    return shownPhi(phi()) != row.phi;
}

QString OutboundSession::detectionBoundText() const
{
    return m_boundText;
}

bool OutboundSession::isLive() const
{
    return state() == EndpointState::Up || state() == EndpointState::Suspect;
}

// --- what a kind supplies: the defaults ---

void OutboundSession::onTransportReady()
{
    declareUp();
}

void OutboundSession::onData(QByteArrayView, TimePoint) {}
void OutboundSession::startProbe(TimePoint) {}
void OutboundSession::stopProbe() {}
void OutboundSession::onSample(TimePoint) {}

milliseconds OutboundSession::tcpInfoPollInterval() const
{
    return kTcpInfoPoll;
}

std::optional<TimePoint> OutboundSession::everythingAnsweredAt() const
{
    return std::nullopt;
}

bool OutboundSession::probeCarriesTcpInfo() const
{
    return false;
}

bool OutboundSession::sendIdlePing()
{
    return false;
}

QStringList OutboundSession::probeBoundParts() const
{
    return {};
}

Cause OutboundSession::causeOfLayerFailure(const stream::Failure &failure, bool handshakeDone) const
{
    if (failure.layer == stream::LayerKind::Tls)
        return CauseCode::Tls;
    if (failure.layer == stream::LayerKind::WebSocket && !handshakeDone)
        return CauseCode::WsHandshake;
    return CauseCode::ProtocolError;
}

Cause OutboundSession::causeOfPeerClose(const stream::Failure &how) const
{
    // 1005 (no status) and 1006 (no close frame) are never sent on the wire (RFC 6455 section
    // 7.4.1): the server just closed the connection.
    if (how.layer == stream::LayerKind::WebSocket && how.code != 0 && how.code != stream::kCloseNoStatus &&
        how.code != stream::kCloseAbnormal)
        return Cause(CauseCode::WsClose, std::to_string(how.code));
    return CauseCode::PeerClosed;
}

QString OutboundSession::pendingHandshake() const
{
    return {};
}

// --- connecting ---

void OutboundSession::attempt()
{
    setState(EndpointState::Connecting, cause(),
             tr("connecting to %1 (attempt %2)").arg(m_config.target()).arg(attemptNumber()));

    const milliseconds timeout = m_backoff.connectTimeout();
    m_connectTimer = m_context.timers.after(timeout, [this] { onConnectTimeout(); });

    QHostAddress literal;
    if (literal.setAddress(m_config.host)) {
        onLookedUp({literal}, {});
        return;
    }
    m_lookupId = QHostInfo::lookupHost(m_config.host, this, [this](const QHostInfo &info) {
        m_lookupId = -1;
        onLookedUp(info.addresses(), info.error() == QHostInfo::NoError ? QString() : info.errorString());
    });
}

void OutboundSession::onLookedUp(const QList<QHostAddress> &addresses, const QString &error)
{
    if ((!error.isEmpty() || addresses.isEmpty()) && net::descriptorsExhausted()) {
        // The resolver needs a socket too; without one the name is not at fault.
        fail(CauseCode::LocalLimit,
             tr("cannot resolve %1: out of descriptors; %2: %3")
                 .arg(m_config.host,
                      QString::fromStdString(net::describeDescriptorLimit(net::descriptorLimit())),
                      QString::fromStdString(net::descriptorLimitFix())));
        return;
    }
    if (!error.isEmpty() || addresses.isEmpty()) {
        fail(CauseCode::Dns,
             tr("cannot resolve %1: %2").arg(m_config.host, error.isEmpty() ? tr("no addresses") : error));
        return;
    }
    // IPv4 first: the common case for ops targets, and it keeps attempts predictable.
    m_addresses = addresses;
    std::stable_partition(m_addresses.begin(), m_addresses.end(), [](const QHostAddress &a) {
        return a.protocol() == QAbstractSocket::IPv4Protocol;
    });
    m_addressIndex = 0;
    tryNextAddress();
}

void OutboundSession::tryNextAddress()
{
    const QHostAddress address = m_addresses.at(m_addressIndex);
    m_tcpConnected = false;
    m_connection = new Connection(this);
    m_connection->setObserver(this);
    m_connectStartedAt = m_context.timers.now();
    m_connection->connectTo(address, m_config.port);
}

void OutboundSession::onConnectTimeout()
{
    m_connectTimer = EngineTimers::kNoTimer;
    const milliseconds waited = duration_cast<milliseconds>(m_context.timers.now() - m_connectStartedAt);
    if (m_tcpConnected) {
        // Connected, but a layer above never finished its handshake: a server that accepts and then
        // says nothing (a hung process, a port that does not speak this protocol).
        const auto pending =
            std::find_if(m_layers.begin(), m_layers.end(), [](const auto &l) { return !l->isReady(); });
        if (pending == m_layers.end() && !pendingHandshake().isEmpty()) {
            fail(CauseCode::ConnectTimeout,
                 tr("connected to %1, but no %2 within %3")
                     .arg(m_config.target(), pendingHandshake(), formatDuration(waited)));
            return;
        }
        const stream::LayerKind layer =
            pending != m_layers.end() ? (*pending)->kind() : stream::LayerKind::Tcp;
        const Cause cause = layer == stream::LayerKind::Tls         ? Cause(CauseCode::Tls)
                            : layer == stream::LayerKind::WebSocket ? Cause(CauseCode::WsHandshake)
                                                                    : Cause(CauseCode::ConnectTimeout);
        fail(cause, tr("connected to %1, but the %2 handshake did not complete within %3")
                        .arg(m_config.target(), toQString(stream::layerName(layer)), formatDuration(waited)));
        return;
    }
    fail(CauseCode::ConnectTimeout,
         tr("no answer from %1 within %2").arg(m_config.target(), formatDuration(waited)));
}

void OutboundSession::onConnected()
{
    const TimePoint now = m_context.timers.now();
    m_tcpConnected = true;
    m_tcpUpAt = now;
    emitRtt(fractionalMs(now - m_connectStartedAt), u"connect"_qs);
    applyKeepalive();
    startStack();
}

void OutboundSession::applyKeepalive()
{
    const AppliedKeepalive applied =
        kw::applyKeepalive(m_connection->socket(), m_config.keepalive, m_context.systemDefaults);
    m_keepalive = applied.inForce();
    // Built here, not per snapshot: a full engine fills 10,000 rows four times a second.
    m_kernelBoundParts = applied.boundParts();
    refreshDetectionBound();
    const Event event = applied.event(m_config.name);
    emitEvent(event);
    if (!applied.report.allApplied())
        qCWarning(lcSession) << m_config.name << "keepalive not fully applied:" << event.detail;
}

// --- up ---

void OutboundSession::declareUp(const QString &detail)
{
    m_context.timers.cancel(m_connectTimer);
    const TimePoint now = m_context.timers.now();
    m_upSince = now;
    m_backoff.noteConnected(now);
    m_suspicions.clear();
    noteSucceeded();
    setState(EndpointState::Up, {},
             detail.isEmpty()
                 ? tr("connected %1 → %2").arg(m_connection->localEndpoint(), m_connection->peerEndpoint())
                 : detail);
    startLivenessChecks();
}

void OutboundSession::startLivenessChecks()
{
    const TimePoint now = m_context.timers.now();
    m_lastSnapshot.reset();
    m_lastTcpInfoEvent = now;
    startProbe(now);
    if (!m_connection)
        return; // the probe's first step ended the connection
    if (m_config.idle.isEnabled()) {
        const IdleConfig &idle = m_config.idle;
        m_idle = std::make_unique<IdleDetector>(IdleParams{idle.reader, idle.writer, idle.all}, now);
        checkIdle();
    }
    if (probeCarriesTcpInfo()) {
        m_tcpInfoAlongside = true; // from the probe's next wake-up on
        return;
    }
    // Samples go on the endpoint's phase within the poll interval, rounded onto a grid shared by
    // every session: a full engine samples a share of its sockets at each of a few wake-ups a
    // second (the ones heartbeats use too), never all of them in one.
    const milliseconds poll = tcpInfoPollInterval();
    m_tcpInfoTimer =
        m_context.timers.at(EngineTimers::onGrid(phaseGrid(poll).atOrAfter(now + poll / 2), kTcpInfoPoll / 4),
                            [this] { pollTcpInfo(); });
}

void OutboundSession::checkIdle()
{
    m_idleTimer = EngineTimers::kNoTimer;
    if (!m_idle)
        return;
    const TimePoint now = m_context.timers.now();
    for (const IdleEvent &event : m_idle->poll(now)) {
        const Cause idle = idleCause(event.kind);
        const QString what = tr("%1 for %2").arg(causeText(idle), formatDuration(event.idleFor));
        switch (m_config.idle.action) {
        case IdleAction::Close:
            fail(idle, what, m_idle->params().limit(event.kind)); // the bound, not how long it was
            return;
        case IdleAction::Ping:
            if (sendIdlePing())
                m_idle->noteWrite(now);
            break;
        case IdleAction::Suspect:
            if (event.kind != IdleKind::Writer)
                setSuspicion(Suspicions::kIdle, true, what);
            break;
        }
    }
    if (const auto deadline = m_idle->nextDeadline())
        m_idleTimer = m_context.timers.at(*deadline, [this] { checkIdle(); });
}

void OutboundSession::pollTcpInfo()
{
    m_tcpInfoTimer = EngineTimers::kNoTimer;
    if (!m_connection || !m_connection->isConnected())
        return;
    sweepTcpInfo(m_context.timers.now());
}

void OutboundSession::sweepTcpInfoAlongside(TimePoint now)
{
    if (!m_tcpInfoAlongside || !m_connection || !m_connection->isConnected())
        return;
    m_tcpInfoAlongside = false;
    sweepTcpInfo(now);
}

void OutboundSession::sweepTcpInfo(TimePoint now)
{
    std::string error;
    const std::optional<net::TcpSnapshot> snapshot =
        kernelViewKnown(now) ? std::nullopt : net::readTcpSnapshot(m_connection->socket(), &error);
    if (snapshot) {
        m_lastTcpInfoRead = now;
        const auto changed = [&](auto field) {
            return !m_lastSnapshot || (*m_lastSnapshot).*field != (*snapshot).*field;
        };
        const bool interesting =
            changed(&net::TcpSnapshot::probes) || changed(&net::TcpSnapshot::retransmits);
        m_lastSnapshot = snapshot;

        // The texts are only built when they are shown: this runs for every
        // endpoint every second, and healthy ones need none.
        const unsigned probes = snapshot->probes.value_or(0);
        setSuspicion(Suspicions::kKeepaliveProbes, probes > 0,
                     probes > 0 ? tr("%1 keepalive probe(s) unanswered").arg(probes) : QString());
        const unsigned retransmits = snapshot->retransmits.value_or(0);
        const bool retransmitting = retransmits > 0 && snapshot->hasDataInFlight();
        setSuspicion(Suspicions::kRetransmitting, retransmitting,
                     retransmitting ? tr("retransmitting (%1 timeouts in a row)").arg(retransmits)
                                    : QString());

        if (interesting || now - m_lastTcpInfoEvent >= kTcpInfoEventEvery) {
            m_lastTcpInfoEvent = now;
            Event event;
            event.endpoint = m_config.name;
            event.kind = EventKind::TcpInfo;
            if (snapshot->rttUs)
                event.rttMs = *snapshot->rttUs / 1000.0;
            event.source = u"tcpinfo"_qs;
            TcpInfoSample &sample = event.tcpInfo.emplace();
            sample.set(TcpInfoSample::Probes, snapshot->probes);
            sample.set(TcpInfoSample::Retransmits, snapshot->retransmits);
            sample.set(TcpInfoSample::Unacked, snapshot->unacked);
            sample.set(TcpInfoSample::TotalRetrans, snapshot->totalRetrans);
            sample.set(TcpInfoSample::RttVarUs, snapshot->rttVarUs);
            sample.set(TcpInfoSample::LastDataRecvMs, snapshot->lastDataRecvMs);
            sample.set(TcpInfoSample::LastAckRecvMs, snapshot->lastAckRecvMs);
            if (snapshot->stateName)
                sample.tcpState = TcpInfoSample::stateText(*snapshot->stateName);
            emitEvent(event);
            if (event.rttMs) {
                m_lastRttMs = event.rttMs;
                m_lastRttSource = event.source;
                m_lastRttKernelStamped = false; // the kernel's own estimate, no stamp of ours
            }
        }
    }
    onSample(now);
    if (!m_connection)
        return;
    if (!m_suspicions.any() && probeCarriesTcpInfo()) {
        m_tcpInfoAlongside = true;
        return;
    }
    // Poll faster while something is suspicious so the end is seen promptly.
    const milliseconds next = m_suspicions.any() ? kTcpInfoPoll / 4 : tcpInfoPollInterval();
    const TimePoint at = m_suspicions.any() ? EngineTimers::onGrid(now + next, next / 4)
                                            : EngineTimers::onGrid(phaseGrid(next).atOrAfter(now + next / 2),
                                                                   kTcpInfoPoll / 4);
    m_tcpInfoTimer = m_context.timers.at(at, [this] { pollTcpInfo(); });
}

bool OutboundSession::kernelViewKnown(TimePoint now) const
{
    // A read tells something new only if the kernel could be retransmitting or probing, or when the
    // periodic event is due. Neither can it while the probe shows, since the last read, that the peer
    // received everything sent (nothing is unacknowledged: no retransmission; an acknowledgement
    // clears the keepalive probe count) and it answered within keepalive's idle time (no probe has
    // been sent since; tcp_keepalive_timer in net/ipv4/tcp_timer.c). At 10,000 heartbeat endpoints
    // the getsockopt and its parsing were ~5 % of the engine thread, and a healthy endpoint now reads
    // only for the periodic event. Any suspicion reads at once and on every sweep, as before.
    if (!m_lastSnapshot || m_suspicions.any() || now - m_lastTcpInfoEvent >= kTcpInfoEventEvery ||
        m_connection->bytesToWrite() > 0)
        return false;
    const std::optional<TimePoint> answered = everythingAnsweredAt();
    if (!answered || *answered < m_lastTcpInfoRead)
        return false;
    if (!m_keepalive.effective.enabled)
        return true;
    // The system default when it was not read back: assumed as short as keepalive allows.
    const Duration idle = m_keepalive.effective.idle.value_or(seconds(1));
    return now - *answered < idle;
}

void OutboundSession::setSuspicion(QLatin1StringView reason, bool on, const QString &text)
{
    const bool newSuspicion = m_suspicions.set(reason, on, text);
    // Suspicion from the application side (a late heartbeat, silence, phi):
    // ask the kernel at once whether it is probing or retransmitting too.
    const bool fromKernel = reason == Suspicions::kKeepaliveProbes || reason == Suspicions::kRetransmitting;
    if (newSuspicion && !fromKernel && (m_tcpInfoTimer != EngineTimers::kNoTimer || m_tcpInfoAlongside)) {
        m_tcpInfoAlongside = false;
        m_context.timers.cancel(m_tcpInfoTimer);
        m_tcpInfoTimer = m_context.timers.after(Duration::zero(), [this] { pollTcpInfo(); });
    }
    if (!isLive())
        return;
    if (m_suspicions.any()) {
        const QString detailText = m_suspicions.text();
        if (state() == EndpointState::Up || detail() != detailText)
            setState(EndpointState::Suspect, {}, detailText,
                     QJsonObject{{u"reasons"_qs, QJsonArray::fromStringList(m_suspicions.reasons())}});
    } else if (state() == EndpointState::Suspect) {
        setState(EndpointState::Up, {}, tr("liveness checks pass again"));
    }
}

// --- ending ---

void OutboundSession::onConnectionFailed(int error)
{
    const bool duringConnect = state() == EndpointState::Connecting;
    // Out of descriptors, the next address fails the same way: say so at once.
    const bool localLimit = net::classifySocketError(error, {}).cause.code == CauseCode::LocalLimit;
    if (duringConnect && !m_tcpConnected && !localLimit && m_addressIndex + 1 < m_addresses.size()) {
        ++m_addressIndex;
        qCInfo(lcSession) << m_config.name << "address failed, trying the next one:"
                          << QString::fromStdString(net::errorName(error));
        tryNextAddress();
        return;
    }
    net::ErrorContext context;
    context.duringConnect = duringConnect && !m_tcpConnected;
    if (const stream::Failure *end = m_tcpConnected ? heardPeerEnd() : nullptr) {
        // The peer had already ended the session in its own terms (a close frame, close_notify):
        // that is why it went. A server that closes its socket with bytes of ours unread (a ping in
        // flight) resets the connection, and the reset often meets the answer: said after.
        failByPeerEnd(*end, QString::fromStdString(net::classifySocketError(error, context).detail));
        return;
    }
    context.keepaliveOn = m_keepalive.effective.enabled;
    context.userTimeoutSet = m_keepalive.userTimeoutSet;
    context.lastSnapshot = m_lastSnapshot;
    const net::Classification classification = net::classifySocketError(error, context);
    const Cause &cause = classification.cause;
    std::optional<milliseconds> bound;
    if (cause.code == CauseCode::KeepaliveTimeout)
        bound = m_keepalive.silentPeerBound;
    else if (cause.code == CauseCode::UserTimeout)
        bound = m_keepalive.unackedBound;
    fail(cause, QString::fromStdString(classification.detail), bound);
}

void OutboundSession::onPeerClosed()
{
    if (!m_layers.empty()) {
        // TLS and WebSocket end in their own terms first (close_notify, a close frame): the layers
        // say how this end looks to them, and the generation check tells whether they ended it.
        const quint64 generation = m_stackGeneration;
        m_layers.front()->belowEnded();
        if (generation != m_stackGeneration || !m_connection)
            return;
    }
    fail(CauseCode::PeerClosed, tr("%1 closed the connection (FIN)").arg(m_config.target()));
}

void OutboundSession::fail(const Cause &cause, const QString &detail, std::optional<milliseconds> bound)
{
    const TimePoint now = m_context.timers.now();
    const bool wasUp = isLive();
    teardown();
    QJsonObject data;
    if (bound)
        data.insert(u"bound_ms"_qs, static_cast<double>(bound->count()));
    if (wasUp) {
        data.insert(u"up_for_ms"_qs,
                    static_cast<double>(duration_cast<milliseconds>(now - m_upSince).count()));
        m_backoff.noteDisconnected(now);
    }
    setState(EndpointState::Down, cause, detail, data);
    scheduleRetry(true);
}

void OutboundSession::teardown()
{
    stopProbe();
    EngineTimers &timers = m_context.timers;
    timers.cancel(m_connectTimer);
    timers.cancel(m_idleTimer);
    timers.cancel(m_tcpInfoTimer);
    m_tcpInfoAlongside = false;
    if (m_lookupId >= 0) {
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
    }
    ++m_stackGeneration;
    if (!m_layers.empty()) {
        // teardown() may run inside a layer's callback: the layers go once that call has returned.
        auto retired = std::make_shared<std::vector<std::unique_ptr<stream::Layer>>>(std::move(m_layers));
        m_layers.clear();
        QTimer::singleShot(0, this, [retired] { retired->clear(); });
    }
    if (m_connection) {
        m_connection->setObserver(nullptr);
        m_connection->close();
        m_connection->deleteLater();
        m_connection = nullptr;
    }
    m_tcpConnected = false;
    m_idle.reset();
    m_suspicions.clear();
}

void OutboundSession::refreshDetectionBound()
{
    // Endpoints with the same settings have the same text: the last one built is shared (per thread,
    // as the sessions are), so 10,000 rows of a snapshot point at one string.
    thread_local QStringList lastParts;
    thread_local QString lastText;
    const QStringList parts = m_kernelBoundParts + probeBoundParts();
    if (parts != lastParts) {
        lastText = parts.join(u"; ");
        lastParts = parts;
    }
    m_boundText = lastText;
}

void OutboundSession::emitRtt(double ms, const QString &source, const QJsonObject &data)
{
    m_lastRttMs = ms;
    m_lastRttSource = source;
    // A reply being delivered now (heartbeat, ping): stamped as its bytes were; a connect: timed here.
    m_lastRttKernelStamped = m_receivedAt && m_receivedStampedByKernel;
    Event event = Event::rtt(m_config.name, ms, source);
    event.data = data;
    emitEvent(event);
}

} // namespace kw
