#include "tcpsession.h"

#include "sessiontext.h"
#include "snapshot.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace kw {

using namespace std::chrono;

namespace {} // namespace

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

bool TcpSession::snapshotDrifted(const EndpointSnapshot &row) const
{
    if (m_phi.sampleCount() == 0)
        return row.phi != 0.0;
    const TimePoint now = m_context.timers.now();
    const ShownPhiSpan &span = m_shownPhiSpan;
    if (span.epoch == m_phiEpoch && span.shown == row.phi && now >= span.from && now < span.until)
        return false;
    const double shown = shownPhi(m_phi.phi(now));
    if (shown != row.phi)
        return true;
    // For one detector state phi only grows with the silence, so the tenth shown stays until phi
    // reaches its upper rounding edge (a capped phi stays forever). The crossing is asked a
    // millisecond early: the rounding edge and the inversion may differ by a few ulps, and a row
    // checked again in that millisecond is compared by phi itself.
    TimePoint until = TimePoint::max();
    if (shown < PhiAccrualDetector::kMaxPhi) {
        if (const std::optional<TimePoint> edge = m_phi.timeWhenPhiReaches(shown + 0.05))
            until = *edge - milliseconds(1);
    }
    m_shownPhiSpan = {m_phiEpoch, shown, now, until};
    return false;
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

bool TcpSession::probeCarriesTcpInfo() const
{
    // Each heartbeat's send reads the kernel's view when the two share their interval (1 to 5 s):
    // the sweep then costs no timer, and it comes just before the next heartbeat, when the last one's
    // reply has usually shown there is nothing new to read (everythingAnsweredAt()).
    return m_heartbeat && tcpInfoPollInterval() == m_heartbeat->params().interval;
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
    phiChanged();
    if (!m_config.heartbeat)
        return;
    const HeartbeatConfig &hb = *m_config.heartbeat;
    // The first heartbeat goes out at once (it proves the connection carries them and times it),
    // the next ones on the endpoint's phase grid (HeartbeatTracker::nextSendAt).
    m_heartbeat = std::make_unique<HeartbeatTracker>(heartbeatParams(), now);
    PhiParams phi;
    phi.firstHeartbeatEstimate = hb.interval;
    m_phi = PhiAccrualDetector(phi);
    phiChanged();
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
    // This wake-up is the reply check too (armHeartbeatCheck() leaves every check at or after it here).
    if (!judgeHeartbeat(now))
        return;
    sweepTcpInfoAlongside(now);
    if (!m_heartbeat)
        return;
    // With an empty payload the peer pushes heartbeats on its own; the
    // tracker still expects one per interval. A refused write (the peer does
    // not read) still counts as sent: its reply will be missed.
    const bool written = !m_config.heartbeat->send.isEmpty() && writeStream(m_config.heartbeat->send);
    if (!m_heartbeat)
        return;
    m_heartbeat->noteSent(written ? writtenAt(now) : now); // RTT from when the socket took it
    m_writesAtHeartbeat = writeCount();
    m_heartbeatSendAt = m_heartbeat->nextSendAt();
    m_heartbeatSendTimer = m_context.timers.atSpread(m_heartbeatSendAt, [this] { sendHeartbeat(); });
    armHeartbeatCheck();
}

void TcpSession::armHeartbeatCheck()
{
    // The next reply deadline (Suspect) or the end of the allowed silence (Down), whichever is first.
    // The next send's wake-up judges first, so a check at or after it needs no timer of its own: a
    // healthy endpoint's reply is due as its next heartbeat leaves (timeout 0: the interval), and
    // cancelling and arming a timer per heartbeat was ~2.6 % of the engine thread at 10,000
    // endpoints. A timer already armed no later than the check stays: it finds nothing and re-arms.
    const auto check = m_heartbeat->nextCheck();
    if (!check || *check >= m_heartbeatSendAt) {
        m_context.timers.cancel(m_heartbeatCheckTimer);
        return;
    }
    if (m_heartbeatCheckTimer != EngineTimers::kNoTimer && m_heartbeatCheckAt <= *check)
        return;
    m_context.timers.cancel(m_heartbeatCheckTimer);
    m_heartbeatCheckAt = *check;
    m_heartbeatCheckTimer = m_context.timers.at(*check, [this] { checkHeartbeat(); });
}

void TcpSession::checkHeartbeat()
{
    m_heartbeatCheckTimer = EngineTimers::kNoTimer;
    if (!m_heartbeat || !judgeHeartbeat(m_context.timers.now()))
        return;
    armHeartbeatCheck();
}

bool TcpSession::judgeHeartbeat(TimePoint now)
{
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
        return false;
    }
    // The text only when it is shown: every heartbeat of every endpoint passes here.
    setSuspicion(Suspicions::kHeartbeatOverdue, status.overdue,
                 status.overdue ? tr("heartbeat replies late: %1 missed (down after %2 without a reply)")
                                      .arg(status.missedInARow)
                                      .arg(formatDuration(m_heartbeat->params().deadAfter()))
                                : QString());
    return true;
}

std::optional<TimePoint> TcpSession::everythingAnsweredAt() const
{
    // Every heartbeat has its reply and nothing else (an idle ping) was written since the newest:
    // the peer received every byte we sent, and its reply acknowledged them.
    if (!m_heartbeat || m_heartbeat->outstanding() != 0 || m_heartbeat->sentCount() == 0 ||
        writeCount() != m_writesAtHeartbeat || m_config.heartbeat->send.isEmpty())
        return std::nullopt;
    return m_heartbeat->lastReply();
}

void TcpSession::onData(QByteArrayView data, TimePoint now)
{
    if (!m_heartbeat)
        return;
    if (m_rxBuffer.isEmpty()) {
        // The usual read: whole replies, matched where they lie; only the start of a reply split
        // across reads is kept (appending every read to the buffer and cutting it again cost an
        // allocation or two per reply).
        const qsizetype kept = matchHeartbeatReplies(data, now);
        if (kept > 0 && m_heartbeat)
            m_rxBuffer = data.last(kept).toByteArray();
        return;
    }
    m_rxBuffer.append(data);
    const QByteArray buffer = std::exchange(m_rxBuffer, {});
    const qsizetype kept = matchHeartbeatReplies(buffer, now);
    if (kept > 0 && m_heartbeat)
        m_rxBuffer = buffer.right(kept);
}

qsizetype TcpSession::matchHeartbeatReplies(QByteArrayView buffer, TimePoint now)
{
    const QByteArray &expect = m_config.heartbeat->expect;
    int replies = 0;
    qsizetype kept = 0;
    if (expect.isEmpty()) {
        replies = buffer.isEmpty() ? 0 : 1;
    } else {
        qsizetype from = 0;
        qsizetype at;
        while ((at = buffer.indexOf(expect, from)) >= 0) {
            ++replies;
            from = at + expect.size();
        }
        // Keep the longest tail that may be the start of a reply split across reads; bytes before it
        // can begin no reply. So the buffer stays under one reply's length, whatever the peer sends.
        const QByteArrayView rest = buffer.sliced(from);
        for (kept = std::min(rest.size(), expect.size() - 1); kept > 0; --kept) {
            if (rest.last(kept) == QByteArrayView(expect).first(kept))
                break;
        }
    }
    for (int i = 0; i < replies; ++i) {
        const std::optional<microseconds> rtt = m_heartbeat->noteReply(now);
        m_phi.heartbeat(now);
        phiChanged();
        if (rtt)
            emitRtt(fractionalMs(*rtt), u"heartbeat"_qs);
        if (!m_heartbeat)
            return 0;
    }
    if (replies > 0) {
        const HeartbeatStatus status = m_heartbeat->status();
        setSuspicion(Suspicions::kHeartbeatOverdue, status.overdue);
        setSuspicion(Suspicions::kPhi, false);
    }
    return kept;
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
