// MQTT keep alive (3.1.1 section 3.1.2.10, 5.0 section 3.1.2.10): PINGREQs on the endpoint's phase
// grid, the PINGRESP deadline (Suspect half-way, Down at the ping timeout), and the bound they imply:
// the part of MqttSession that watches the broker once the session is up.

#include "mqttsession.h"

#include "mqttcodec.h"
#include "sessiontext.h"

#include <algorithm>

namespace kw {

using namespace std::chrono;

void MqttSession::startProbe(TimePoint)
{
    m_pings.clear();
    if (m_effectiveKeepAlive.count() == 0)
        return; // keep alive off (keepalive_s 0): only the kernel watches the connection
    m_pingTimer = m_context.timers.atSpread(nextPingAt(), [this] { pingDue(); });
}

TimePoint MqttSession::nextPingAt() const
{
    // The last point of the endpoint's phase grid (period: the keep alive) no later than keep alive
    // after the last packet sent: never later than section 3.1.2.10 allows, and since the grid's
    // period is the keep alive there is always one after that packet. PINGREQs then go out every keep
    // alive on the endpoint's own phase, whatever else was sent in between, and the engine's
    // coalescing never makes them drift.
    return phaseGrid(m_effectiveKeepAlive).atOrBefore(m_lastSentAt + m_effectiveKeepAlive);
}

bool MqttSession::sendIdlePing()
{
    return sendPing();
}

bool MqttSession::sendPing()
{
    if (!isLive() || !sendPacket(mqtt::Pingreq{}))
        return false;
    m_pings.push_back({++m_pingSequence, m_lastSentAt});
    if (m_pings.size() == 1)
        armPingCheck();
    return true;
}

void MqttSession::pingDue()
{
    m_pingTimer = EngineTimers::kNoTimer;
    if (!isLive())
        return;
    const TimePoint now = m_context.timers.now();
    // "The longest gap between the client finishing one control packet and starting the next"
    // (section 3.1.2.10): nextPingAt() keeps within it.
    if (nextPingAt() <= now) {
        sendPing();
        if (!isLive())
            return;
    }
    m_pingTimer = m_context.timers.atSpread(nextPingAt(), [this] { pingDue(); });
}

void MqttSession::onPingresp(TimePoint now)
{
    if (m_pings.empty())
        return; // an answer to nothing we asked: harmless
    const TimePoint sentAt = m_pings.front().sentAt;
    m_pings.erase(m_pings.begin());
    // The sample alone, as for a heartbeat or a WebSocket pong: the keep alive is in the session-up
    // event and the snapshot, and a JSON object per PINGRESP was most of the cost of reading it.
    emitRtt(fractionalMs(now - sentAt), u"mqtt-ping"_qs);
    if (m_pings.empty())
        setSuspicion(kPingrespLate, false);
    armPingCheck();
}

void MqttSession::armPingCheck()
{
    m_context.timers.cancel(m_pingCheckTimer);
    if (m_pings.empty())
        return;
    const TimePoint sentAt = m_pings.front().sentAt;
    const milliseconds timeout = pingTimeout();
    // The half-way mark first (Suspect), then the timeout itself (Down).
    const TimePoint halfway = sentAt + timeout / 2;
    const TimePoint at = halfway > m_context.timers.now() ? halfway : sentAt + timeout;
    m_pingCheckTimer = m_context.timers.at(at, [this] { checkPingresp(); });
}

void MqttSession::checkPingresp()
{
    m_pingCheckTimer = EngineTimers::kNoTimer;
    if (m_pings.empty())
        return;
    const TimePoint now = m_context.timers.now();
    const Ping &oldest = m_pings.front();
    const Duration waited = now - oldest.sentAt;
    const milliseconds timeout = pingTimeout();
    if (waited >= timeout) {
        fail(CauseCode::MqttPingTimeout,
             tr("no PINGRESP within %1 of PINGREQ #%2 (keep alive %3): the broker stopped answering")
                 .arg(formatDuration(timeout))
                 .arg(oldest.sequence)
                 .arg(formatDuration(m_effectiveKeepAlive)),
             m_effectiveKeepAlive + timeout);
        return;
    }
    setSuspicion(kPingrespLate, true,
                 tr("no PINGRESP for %1 (limit %2)")
                     .arg(formatDuration(duration_cast<milliseconds>(waited)), formatDuration(timeout)));
    m_pingCheckTimer = m_context.timers.at(oldest.sentAt + timeout, [this] { checkPingresp(); });
}

milliseconds MqttSession::tcpInfoPollInterval() const
{
    // Every PINGRESP times the connection once a keep alive; the kernel's view (retransmits,
    // keepalive probes) is read every keep alive too, at most every 5 s and at least every second.
    if (m_effectiveKeepAlive.count() == 0)
        return kTcpInfoPoll;
    return std::clamp<milliseconds>(m_effectiveKeepAlive, kTcpInfoPoll, seconds(5));
}

QStringList MqttSession::probeBoundParts() const
{
    if (m_effectiveKeepAlive.count() == 0)
        return {tr("no MQTT keep alive (keepalive_s 0)")};
    return {tr("mqtt ping %1").arg(formatDuration(m_effectiveKeepAlive + pingTimeout()))};
}

} // namespace kw
