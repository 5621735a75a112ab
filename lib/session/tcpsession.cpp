#include "tcpsession.h"

#include "connection.h"
#include "detectionbound.h"
#include "sessionlogging.h"
#include "sessiontext.h"
#include "snapshot.h"
#include "socketerror.h"

#include <QHostInfo>
#include <QJsonArray>

#include <algorithm>
#include <bit>
#include <cmath>

namespace kw {

using namespace std::chrono;

namespace {

// Replies are matched in a bounded window: a peer that streams data without
// ever sending the expected reply must not grow memory.
constexpr qsizetype kMaxRxBuffer = 64 * 1024;

double toMs(Duration d)
{
    return duration_cast<duration<double, std::milli>>(d).count();
}

QJsonObject optionsToJson(const net::KeepaliveReport &report)
{
    QJsonArray options;
    for (const net::OptionResult &option : report.options) {
        QJsonObject o{{u"option"_qs, QString::fromStdString(option.option)},
                      {u"status"_qs, QString::fromStdString(net::optionStatusName(option.status))}};
        if (option.requested)
            o.insert(u"requested"_qs, static_cast<double>(*option.requested));
        if (option.readBack)
            o.insert(u"read_back"_qs, static_cast<double>(*option.readBack));
        if (!option.unit.empty())
            o.insert(u"unit"_qs, QString::fromStdString(option.unit));
        if (!option.message.empty())
            o.insert(u"message"_qs, QString::fromStdString(option.message));
        options.append(o);
    }
    return QJsonObject{{u"options"_qs, options}, {u"all_applied"_qs, report.allApplied()}};
}

} // namespace

net::KeepaliveSettings toNetKeepalive(const KeepaliveConfig &config)
{
    net::KeepaliveSettings settings;
    settings.enabled = config.enabled;
    settings.idle = config.idle;
    settings.interval = config.interval;
    settings.count = config.count;
    settings.userTimeout = config.userTimeout;
    // Asking for any keepalive timing means asking for keepalive.
    if (!settings.enabled && (config.idle || config.interval || config.count))
        settings.enabled = true;
    return settings;
}

BackoffParams toBackoffParams(const ReconnectConfig &config)
{
    BackoffParams params;
    params.initial = config.initial;
    params.max = config.max;
    params.multiplier = config.multiplier;
    params.jitter = config.jitter;
    params.minConnectTimeout = config.minConnectTimeout;
    return params;
}

TcpSession::TcpSession(EndpointConfig config, SessionContext context, QObject *parent)
    : Session(std::move(config), parent), m_context(context), m_backoff(toBackoffParams(m_config.reconnect))
{}

TcpSession::~TcpSession()
{
    teardown();
    m_context.timers.cancel(m_reconnectTimer);
}

void TcpSession::fillSnapshot(EndpointSnapshot &snapshot) const
{
    Session::fillSnapshot(snapshot);
    snapshot.nextAttempt = m_nextAttempt;
    snapshot.lastRttMs = m_lastRttMs;
    snapshot.lastRttSource = m_lastRttSource;
    snapshot.keepalive = m_keepaliveSummary;
    snapshot.detectionBound = m_boundText;
    snapshot.phi = phi();
}

double TcpSession::phi() const
{
    return m_phi.sampleCount() > 0 ? m_phi.phi(m_context.timers.now()) : 0.0;
}

void TcpSession::start()
{
    if (!m_config.enabled) {
        setState(EndpointState::Disabled, {}, tr("disabled in the workspace"));
        return;
    }
    m_backoff.reset();
    m_attempt = 0;
    beginConnect();
}

void TcpSession::stop(const QString &reason)
{
    teardown();
    m_context.timers.cancel(m_reconnectTimer);
    m_nextAttempt = {};
    setState(EndpointState::Disabled, toQString(cause::kStopped), reason);
}

void TcpSession::beginConnect()
{
    teardown();
    m_context.timers.cancel(m_reconnectTimer);
    m_nextAttempt = {};
    ++m_attempt;
    setState(EndpointState::Connecting, cause(),
             tr("connecting to %1 (attempt %2)").arg(m_config.target()).arg(m_attempt));

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

void TcpSession::onLookedUp(const QList<QHostAddress> &addresses, const QString &error)
{
    if (!error.isEmpty() || addresses.isEmpty()) {
        fail(toQString(cause::kDns),
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

void TcpSession::tryNextAddress()
{
    const QHostAddress address = m_addresses.at(m_addressIndex);
    m_connection = new Connection(this);
    connect(m_connection, &Connection::connected, this, &TcpSession::onConnected);
    connect(m_connection, &Connection::failed, this, &TcpSession::onConnectionFailed);
    connect(m_connection, &Connection::received, this, &TcpSession::onReceived);
    connect(m_connection, &Connection::peerClosed, this, &TcpSession::onPeerClosed);
    m_connectStartedAt = m_context.timers.now();
    m_connection->connectTo(address, m_config.port);
}

void TcpSession::onConnectTimeout()
{
    m_connectTimer = EngineTimers::kNoTimer;
    const milliseconds waited = duration_cast<milliseconds>(m_context.timers.now() - m_connectStartedAt);
    fail(toQString(cause::kConnectTimeout),
         tr("no answer from %1 within %2").arg(m_config.target(), formatDuration(waited)));
}

void TcpSession::onConnected()
{
    m_context.timers.cancel(m_connectTimer);
    const TimePoint now = m_context.timers.now();
    m_upSince = now;
    m_backoff.noteConnected(now);
    emitRtt(toMs(now - m_connectStartedAt), u"connect"_qs);
    applyKeepalive();
    m_suspicion = 0;
    m_suspicionTexts.fill(QString());
    m_attempt = 0;
    setState(EndpointState::Up, {},
             tr("connected %1 → %2").arg(m_connection->localEndpoint(), m_connection->peerEndpoint()));
    startLivenessChecks();
}

void TcpSession::applyKeepalive()
{
    const net::KeepaliveSettings settings = toNetKeepalive(m_config.keepalive);
    const net::KeepaliveReport report = net::applyKeepalive(m_connection->socket(), settings);
    m_effectiveKeepalive = report.effective;
    m_userTimeoutSet = report.effective.userTimeout.has_value() && report.effective.userTimeout->count() > 0;
    m_keepaliveSummary = QString::fromStdString(net::describeKeepalive(report.effective));

    const net::DetectionBound bound = net::detectionBound(report.effective, m_context.systemDefaults);
    m_silentPeerBound = bound.silentPeer;
    m_unackedBound = bound.unackedData;
    QStringList parts;
    if (bound.silentPeer)
        parts << tr("silent peer %1").arg(formatDuration(*bound.silentPeer));
    if (bound.unackedData)
        parts << tr("unacked data %1").arg(formatDuration(*bound.unackedData));
    if (m_config.heartbeat) {
        const HeartbeatConfig &hb = *m_config.heartbeat;
        parts << tr("heartbeat %1").arg(formatDuration(hb.interval * hb.misses + hb.timeout));
    }
    m_boundText = parts.join(u"; ");

    Event event;
    event.ts = QDateTime::currentDateTimeUtc();
    event.endpoint = m_config.name;
    event.kind = u"keepalive"_qs;
    event.detail = QString::fromStdString(report.summary());
    event.data = optionsToJson(report);
    if (bound.silentPeer)
        event.data.insert(u"bound_ms"_qs, static_cast<double>(bound.silentPeer->count()));
    if (bound.unackedData)
        event.data.insert(u"unacked_bound_ms"_qs, static_cast<double>(bound.unackedData->count()));
    emitEvent(event);
    if (!report.allApplied())
        qCWarning(lcSession) << m_config.name << "keepalive not fully applied:" << event.detail;
}

void TcpSession::startLivenessChecks()
{
    const TimePoint now = m_context.timers.now();
    m_rxBuffer.clear();
    m_phi.reset();
    m_lastSnapshot.reset();
    m_lastTcpInfoEvent = now;

    if (m_config.heartbeat) {
        const HeartbeatConfig &hb = *m_config.heartbeat;
        m_heartbeat =
            std::make_unique<HeartbeatTracker>(HeartbeatParams{hb.interval, hb.misses, hb.timeout}, now);
        PhiParams phi;
        phi.firstHeartbeatEstimate = hb.interval;
        m_phi = PhiAccrualDetector(phi);
        sendHeartbeat();
    }
    if (m_config.idle.isEnabled()) {
        const IdleConfig &idle = m_config.idle;
        m_idle = std::make_unique<IdleDetector>(IdleParams{idle.reader, idle.writer, idle.all}, now);
        checkIdle();
    }
    // Samples go on a grid shared by every session: a full engine samples its
    // sockets in a few sweeps a second, one wake-up of the engine thread each.
    m_tcpInfoTimer = m_context.timers.at(EngineTimers::onGrid(now + kTcpInfoPoll, kTcpInfoPoll / 4),
                                         [this] { pollTcpInfo(); });
}

void TcpSession::sendHeartbeat()
{
    m_heartbeatSendTimer = EngineTimers::kNoTimer;
    if (!m_heartbeat || !m_connection)
        return;
    const TimePoint now = m_context.timers.now();
    // With an empty payload the peer pushes heartbeats on its own; the
    // tracker still expects one per interval.
    if (!m_config.heartbeat->send.isEmpty()) {
        m_connection->write(m_config.heartbeat->send);
        if (m_idle)
            m_idle->noteWrite(now);
    }
    m_heartbeat->noteSent(now);
    m_heartbeatSendTimer = m_context.timers.at(m_heartbeat->nextSendAt(), [this] { sendHeartbeat(); });
    m_context.timers.cancel(m_heartbeatCheckTimer);
    if (const auto deadline = m_heartbeat->nextDeadline())
        m_heartbeatCheckTimer = m_context.timers.at(*deadline, [this] { checkHeartbeat(); });
}

void TcpSession::checkHeartbeat()
{
    m_heartbeatCheckTimer = EngineTimers::kNoTimer;
    if (!m_heartbeat)
        return;
    const HeartbeatStatus status = m_heartbeat->poll(m_context.timers.now());
    const HeartbeatConfig &hb = *m_config.heartbeat;
    if (status.dead) {
        fail(toQString(cause::kHeartbeatTimeout),
             tr("%1 heartbeats in a row got no reply (interval %2)")
                 .arg(status.missedInARow)
                 .arg(formatDuration(hb.interval)),
             hb.interval * hb.misses + hb.timeout);
        return;
    }
    setSuspicion(SuspectHeartbeatOverdue, status.overdue,
                 tr("%1 of %2 heartbeats missed").arg(status.missedInARow).arg(hb.misses));
    if (const auto deadline = m_heartbeat->nextDeadline())
        m_heartbeatCheckTimer = m_context.timers.at(*deadline, [this] { checkHeartbeat(); });
}

void TcpSession::onReceived(const QByteArray &data)
{
    const TimePoint now = m_context.timers.now();
    if (m_idle) {
        m_idle->noteRead(now);
        setSuspicion(SuspectIdle, false);
    }
    if (!m_heartbeat)
        return;
    m_rxBuffer.append(data);
    matchHeartbeatReplies();
    if (m_rxBuffer.size() > kMaxRxBuffer)
        m_rxBuffer = m_rxBuffer.right(std::max<qsizetype>(m_config.heartbeat->expect.size(), 1));
}

void TcpSession::matchHeartbeatReplies()
{
    const QByteArray &expect = m_config.heartbeat->expect;
    int replies = 0;
    if (expect.isEmpty()) {
        replies = m_rxBuffer.isEmpty() ? 0 : 1;
        m_rxBuffer.clear();
    } else {
        qsizetype from = 0;
        qsizetype at;
        while ((at = m_rxBuffer.indexOf(expect, from)) >= 0) {
            ++replies;
            from = at + expect.size();
        }
        // Keep a tail that may hold the start of a reply split across reads.
        m_rxBuffer = from > 0 ? m_rxBuffer.mid(from) : m_rxBuffer;
    }
    const TimePoint now = m_context.timers.now();
    for (int i = 0; i < replies; ++i) {
        const std::optional<microseconds> rtt = m_heartbeat->noteReply(now);
        m_phi.heartbeat(now);
        if (rtt)
            emitRtt(toMs(*rtt), u"heartbeat"_qs);
    }
    if (replies > 0) {
        const HeartbeatStatus status = m_heartbeat->status();
        setSuspicion(SuspectHeartbeatOverdue, status.overdue);
        setSuspicion(SuspectPhi, false);
    }
}

void TcpSession::checkIdle()
{
    m_idleTimer = EngineTimers::kNoTimer;
    if (!m_idle)
        return;
    const TimePoint now = m_context.timers.now();
    for (const IdleEvent &event : m_idle->poll(now)) {
        const QString idleCauseName = toQString(idleCause(event.kind));
        const QString what = tr("%1 for %2").arg(idleCauseName, formatDuration(event.idleFor));
        switch (m_config.idle.action) {
        case IdleAction::Close:
            fail(idleCauseName, what, event.idleFor);
            return;
        case IdleAction::Ping:
            if (m_heartbeat && m_connection && !m_config.heartbeat->send.isEmpty()) {
                m_connection->write(m_config.heartbeat->send);
                m_idle->noteWrite(now);
            }
            break;
        case IdleAction::Suspect:
            if (event.kind != IdleKind::Writer)
                setSuspicion(SuspectIdle, true, what);
            break;
        }
    }
    if (const auto deadline = m_idle->nextDeadline())
        m_idleTimer = m_context.timers.at(*deadline, [this] { checkIdle(); });
}

void TcpSession::pollTcpInfo()
{
    m_tcpInfoTimer = EngineTimers::kNoTimer;
    if (!m_connection || !m_connection->isConnected())
        return;
    const TimePoint now = m_context.timers.now();
    std::string error;
    const std::optional<net::TcpSnapshot> snapshot = net::readTcpSnapshot(m_connection->socket(), &error);
    if (snapshot) {
        const auto changed = [&](auto field) {
            return !m_lastSnapshot || (*m_lastSnapshot).*field != (*snapshot).*field;
        };
        const bool interesting =
            changed(&net::TcpSnapshot::probes) || changed(&net::TcpSnapshot::retransmits);
        m_lastSnapshot = snapshot;

        // The texts are only built when they are shown: this runs for every
        // endpoint every second, and healthy ones need none.
        const unsigned probes = snapshot->probes.value_or(0);
        setSuspicion(SuspectKeepaliveProbes, probes > 0,
                     probes > 0 ? tr("%1 keepalive probe(s) unanswered").arg(probes) : QString());
        const unsigned retransmits = snapshot->retransmits.value_or(0);
        const bool retransmitting = retransmits > 0 && snapshot->hasDataInFlight();
        setSuspicion(SuspectRetransmitting, retransmitting,
                     retransmitting ? tr("retransmitting (%1 timeouts in a row)").arg(retransmits)
                                    : QString());

        if (interesting || now - m_lastTcpInfoEvent >= kTcpInfoEventEvery) {
            m_lastTcpInfoEvent = now;
            Event event;
            event.ts = QDateTime::currentDateTimeUtc();
            event.endpoint = m_config.name;
            event.kind = u"tcpinfo"_qs;
            if (snapshot->rttUs)
                event.rttMs = *snapshot->rttUs / 1000.0;
            event.source = u"tcpinfo"_qs;
            const auto put = [&event](const char *key, const auto &value) {
                if (value)
                    event.data.insert(QString::fromLatin1(key), static_cast<double>(*value));
            };
            put("probes", snapshot->probes);
            put("retransmits", snapshot->retransmits);
            put("unacked", snapshot->unacked);
            put("total_retrans", snapshot->totalRetrans);
            put("rttvar_ms_x1000", snapshot->rttVarUs);
            put("last_data_recv_ms", snapshot->lastDataRecvMs);
            put("last_ack_recv_ms", snapshot->lastAckRecvMs);
            if (snapshot->stateName)
                event.data.insert(u"tcp_state"_qs, QString::fromStdString(*snapshot->stateName));
            emitEvent(event);
            if (event.rttMs) {
                m_lastRttMs = event.rttMs;
                m_lastRttSource = event.source;
            }
        }
    }
    if (m_heartbeat && m_phi.sampleCount() > 1) {
        // Until the silence outlasts the mean interval plus the acceptable
        // pause, phi is below log10(2) ~ 0.3 (the logistic CDF at zero), far
        // under any useful threshold: most endpoints skip the exp/log here.
        const PhiParams &params = m_phi.params();
        const double quietMs = toMs(now - m_phi.lastHeartbeat().value_or(now));
        const double meanMs = m_phi.meanIntervalMs() + double(params.acceptableHeartbeatPause.count());
        const double phi = params.threshold > 0.31 && quietMs < meanMs ? 0.0 : m_phi.phi(now);
        const bool suspect = phi >= params.threshold;
        setSuspicion(SuspectPhi, suspect,
                     suspect ? tr("phi %1 above %2").arg(phi, 0, 'f', 1).arg(params.threshold) : QString());
    }
    // Poll faster while something is suspicious so the end is seen promptly.
    const milliseconds next = m_suspicion != 0 ? kTcpInfoPoll / 4 : kTcpInfoPoll;
    m_tcpInfoTimer =
        m_context.timers.at(EngineTimers::onGrid(now + next, next / 4), [this] { pollTcpInfo(); });
}

void TcpSession::setSuspicion(Suspicion reason, bool on, const QString &why)
{
    const bool newSuspicion = on && (m_suspicion & reason) == 0;
    m_suspicion = on ? (m_suspicion | reason) : (m_suspicion & ~unsigned(reason));
    // Suspicion from the application side (a late heartbeat, silence, phi):
    // ask the kernel at once whether it is probing or retransmitting too.
    const unsigned fromKernel = SuspectKeepaliveProbes | SuspectRetransmitting;
    if (newSuspicion && (reason & fromKernel) == 0 && m_tcpInfoTimer != EngineTimers::kNoTimer) {
        m_context.timers.cancel(m_tcpInfoTimer);
        m_tcpInfoTimer = m_context.timers.after(Duration::zero(), [this] { pollTcpInfo(); });
    }
    m_suspicionTexts[std::size_t(std::countr_zero(unsigned(reason)))] = on ? why : QString();
    if (state() != EndpointState::Up && state() != EndpointState::Suspect)
        return;
    if (m_suspicion != 0) {
        // One detail for all reasons in a fixed order: two reasons must not
        // take turns as the detail and raise an event each time.
        const QString text = suspicionText();
        if (state() == EndpointState::Up || detail() != text)
            setState(EndpointState::Suspect, {}, text);
    } else if (state() == EndpointState::Suspect) {
        setState(EndpointState::Up, {}, tr("liveness checks pass again"));
    }
}

QString TcpSession::suspicionText() const
{
    QStringList parts;
    for (std::size_t bit = 0; bit < m_suspicionTexts.size(); ++bit) {
        if ((m_suspicion & (1u << bit)) != 0 && !m_suspicionTexts[bit].isEmpty())
            parts << m_suspicionTexts[bit];
    }
    return parts.join(u"; ");
}

void TcpSession::onConnectionFailed(int error)
{
    const bool duringConnect = state() == EndpointState::Connecting;
    if (duringConnect && m_addressIndex + 1 < m_addresses.size()) {
        ++m_addressIndex;
        qCInfo(lcSession) << m_config.name << "address failed, trying the next one:"
                          << QString::fromStdString(net::errorName(error));
        tryNextAddress();
        return;
    }
    net::ErrorContext context;
    context.duringConnect = duringConnect;
    context.keepaliveOn = m_effectiveKeepalive.enabled;
    context.userTimeoutSet = m_userTimeoutSet;
    context.lastSnapshot = m_lastSnapshot;
    const net::Classification classification = net::classifySocketError(error, context);
    const QString causeName = QString::fromStdString(classification.cause);
    std::optional<milliseconds> bound;
    if (causeName == toQString(cause::kKeepaliveTimeout))
        bound = m_silentPeerBound;
    else if (causeName == toQString(cause::kUserTimeout))
        bound = m_unackedBound;
    fail(causeName, QString::fromStdString(classification.detail), bound);
}

void TcpSession::onPeerClosed()
{
    fail(toQString(cause::kPeerClosed), tr("%1 closed the connection (FIN)").arg(m_config.target()));
}

void TcpSession::fail(const QString &causeName, const QString &detail, std::optional<milliseconds> bound)
{
    const TimePoint now = m_context.timers.now();
    const bool wasUp = state() == EndpointState::Up || state() == EndpointState::Suspect;
    teardown();
    QJsonObject data;
    if (bound)
        data.insert(u"bound_ms"_qs, static_cast<double>(bound->count()));
    if (wasUp) {
        data.insert(u"up_for_ms"_qs,
                    static_cast<double>(duration_cast<milliseconds>(now - m_upSince).count()));
        m_backoff.noteDisconnected(now);
    }
    setState(EndpointState::Down, causeName, detail, data);
    scheduleReconnect();
}

void TcpSession::scheduleReconnect()
{
    const TimePoint now = m_context.timers.now();
    const milliseconds delay = m_backoff.nextDelay();
    const TimePoint at = m_context.spreader.reserve(now + delay);
    m_nextAttempt = wallClockAt(at, now);
    m_reconnectTimer = m_context.timers.at(at, [this] {
        m_reconnectTimer = EngineTimers::kNoTimer;
        beginConnect();
    });
    setState(EndpointState::Waiting, cause(),
             tr("next attempt in %1").arg(formatDuration(duration_cast<milliseconds>(at - now))),
             QJsonObject{{u"next_attempt_ms"_qs,
                          static_cast<double>(duration_cast<milliseconds>(at - now).count())}});
}

void TcpSession::teardown()
{
    EngineTimers &timers = m_context.timers;
    timers.cancel(m_connectTimer);
    timers.cancel(m_heartbeatSendTimer);
    timers.cancel(m_heartbeatCheckTimer);
    timers.cancel(m_idleTimer);
    timers.cancel(m_tcpInfoTimer);
    if (m_lookupId >= 0) {
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
    }
    if (m_connection) {
        m_connection->disconnect(this);
        m_connection->close();
        m_connection->deleteLater();
        m_connection = nullptr;
    }
    m_heartbeat.reset();
    m_idle.reset();
    m_suspicion = 0;
}

void TcpSession::emitRtt(double ms, const QString &source, const QJsonObject &data)
{
    m_lastRttMs = ms;
    m_lastRttSource = source;
    Event event = Event::rtt(m_config.name, ms, source);
    event.data = data;
    emitEvent(event);
}

} // namespace kw
