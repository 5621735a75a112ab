#include "tcpsession.h"

#include "sessiontext.h"

#include <algorithm>

namespace kw {

using namespace std::chrono;

namespace {

// Replies are matched in a bounded window: a peer that streams data without
// ever sending the expected reply must not grow memory.
constexpr qsizetype kMaxRxBuffer = 64 * 1024;

} // namespace

TcpSession::TcpSession(SharedEndpointConfig config, SessionContext context, QObject *parent)
    : OutboundSession(std::move(config), context, parent)
{}

TcpSession::~TcpSession()
{
    stopProbe();
}

double TcpSession::phi() const
{
    return m_phi.sampleCount() > 0 ? m_phi.phi(m_context.timers.now()) : 0.0;
}

milliseconds TcpSession::tcpInfoPollInterval() const
{
    // A heartbeat that gets its replies proves the path once an interval; the kernel's view
    // (retransmits, keepalive probes) is then read once an interval too, at most every 5 s and at
    // least every second, as for MQTT's PINGRESP. A late heartbeat is a suspicion, and any suspicion
    // reads it at once and then four times a second (OutboundSession::pollTcpInfo).
    if (!m_config.heartbeat)
        return kTcpInfoPoll;
    return std::clamp<milliseconds>(m_config.heartbeat->interval, kTcpInfoPoll, seconds(5));
}

HeartbeatParams TcpSession::heartbeatParams() const
{
    const HeartbeatConfig &hb = *m_config.heartbeat;
    return {hb.interval, hb.misses, hb.timeout, phaseGrid(hb.interval).phase};
}

QStringList TcpSession::probeBoundParts() const
{
    if (!m_config.heartbeat)
        return {};
    // The tracker's own rule (HeartbeatParams::deadAfter), so the text and the verdict agree.
    return {tr("heartbeat %1").arg(formatDuration(heartbeatParams().deadAfter()))};
}

void TcpSession::startProbe(TimePoint now)
{
    m_rxBuffer.clear();
    m_phi.reset();
    if (!m_config.heartbeat)
        return;
    const HeartbeatConfig &hb = *m_config.heartbeat;
    // The first heartbeat goes out at once (it proves the connection carries them and times it),
    // the next ones on the endpoint's phase grid (HeartbeatTracker::nextSendAt).
    m_heartbeat = std::make_unique<HeartbeatTracker>(heartbeatParams(), now);
    PhiParams phi;
    phi.firstHeartbeatEstimate = hb.interval;
    m_phi = PhiAccrualDetector(phi);
    sendHeartbeat();
}

void TcpSession::stopProbe()
{
    m_context.timers.cancel(m_heartbeatSendTimer);
    m_context.timers.cancel(m_heartbeatCheckTimer);
    m_heartbeat.reset();
}

bool TcpSession::sendIdlePing()
{
    return m_config.heartbeat && !m_config.heartbeat->send.isEmpty() && writeStream(m_config.heartbeat->send);
}

void TcpSession::sendHeartbeat()
{
    m_heartbeatSendTimer = EngineTimers::kNoTimer;
    if (!m_heartbeat)
        return;
    const TimePoint now = m_context.timers.now();
    // With an empty payload the peer pushes heartbeats on its own; the
    // tracker still expects one per interval. A refused write (the peer does
    // not read) still counts as sent: its reply will be missed.
    const bool written = !m_config.heartbeat->send.isEmpty() && writeStream(m_config.heartbeat->send);
    if (!m_heartbeat)
        return;
    m_heartbeat->noteSent(written ? writtenAt(now) : now); // RTT from when the socket took it
    m_heartbeatSendTimer = m_context.timers.atSpread(m_heartbeat->nextSendAt(), [this] { sendHeartbeat(); });
    armHeartbeatCheck();
}

void TcpSession::armHeartbeatCheck()
{
    // The next reply deadline (Suspect) or the end of the allowed silence (Down), whichever is first;
    // a reply in between only makes the check find nothing and re-arm.
    m_context.timers.cancel(m_heartbeatCheckTimer);
    if (const auto check = m_heartbeat->nextCheck())
        m_heartbeatCheckTimer = m_context.timers.at(*check, [this] { checkHeartbeat(); });
}

void TcpSession::checkHeartbeat()
{
    m_heartbeatCheckTimer = EngineTimers::kNoTimer;
    if (!m_heartbeat)
        return;
    const TimePoint now = m_context.timers.now();
    const HeartbeatStatus status = m_heartbeat->poll(now);
    const HeartbeatConfig &hb = *m_config.heartbeat;
    if (status.dead) {
        const milliseconds bound = m_heartbeat->params().deadAfter();
        const milliseconds silent =
            duration_cast<milliseconds>(now - m_heartbeat->lastSignOfLife().value_or(now));
        const auto missed = m_heartbeat->outstandingMissed();
        const QString numbers = tr("%1 missed, %2 awaiting a reply, interval %3")
                                    .arg(missed)
                                    .arg(m_heartbeat->outstanding() - missed)
                                    .arg(formatDuration(hb.interval));
        fail(CauseCode::HeartbeatTimeout,
             m_heartbeat->replyCount() > 0
                 ? tr("no heartbeat reply for %1 (bound %2): %3")
                       .arg(formatDuration(silent), formatDuration(bound), numbers)
                 : tr("no reply to any heartbeat for %1 since the first (bound %2): %3")
                       .arg(formatDuration(silent), formatDuration(bound), numbers),
             bound);
        return;
    }
    setSuspicion(Suspicions::kHeartbeatOverdue, status.overdue,
                 tr("heartbeat replies late: %1 missed (down after %2 without a reply)")
                     .arg(status.missedInARow)
                     .arg(formatDuration(m_heartbeat->params().deadAfter())));
    armHeartbeatCheck();
}

void TcpSession::onData(QByteArrayView data, TimePoint now)
{
    if (!m_heartbeat)
        return;
    m_rxBuffer.append(data);
    matchHeartbeatReplies(now);
    if (m_rxBuffer.size() > kMaxRxBuffer)
        m_rxBuffer = m_rxBuffer.right(std::max<qsizetype>(m_config.heartbeat->expect.size(), 1));
}

void TcpSession::matchHeartbeatReplies(TimePoint now)
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
    for (int i = 0; i < replies; ++i) {
        const std::optional<microseconds> rtt = m_heartbeat->noteReply(now);
        m_phi.heartbeat(now);
        if (rtt)
            emitRtt(fractionalMs(*rtt), u"heartbeat"_qs);
    }
    if (replies > 0) {
        const HeartbeatStatus status = m_heartbeat->status();
        setSuspicion(Suspicions::kHeartbeatOverdue, status.overdue);
        setSuspicion(Suspicions::kPhi, false);
    }
}

void TcpSession::onSample(TimePoint now)
{
    if (!m_heartbeat || m_phi.sampleCount() <= 1)
        return;
    // Until the silence outlasts the mean interval plus the acceptable
    // pause, phi is below log10(2) ~ 0.3 (the logistic CDF at zero), far
    // under any useful threshold: most endpoints skip the exp/log here.
    const PhiParams &params = m_phi.params();
    const double quietMs = fractionalMs(now - m_phi.lastHeartbeat().value_or(now));
    const double meanMs = m_phi.meanIntervalMs() + double(params.acceptableHeartbeatPause.count());
    const double phi = params.threshold > 0.31 && quietMs < meanMs ? 0.0 : m_phi.phi(now);
    const bool suspect = phi >= params.threshold;
    setSuspicion(Suspicions::kPhi, suspect,
                 suspect ? tr("phi %1 above %2").arg(phi, 0, 'f', 1).arg(params.threshold) : QString());
}

} // namespace kw
