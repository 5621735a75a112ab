// ScaleBench's phases beside Keepwatch: the minimal C monitor and the paused peer.

#include "scalebench.h"

#include "engine.h"

#include <QDateTime>

#include <cstdio>

#include <signal.h>

namespace kw::bench {

using namespace std::chrono;

namespace {

const QString kPausedEndpoint = pausedEndpointName();

// A ping-pong on one otherwise idle connection: what loopback and the peers cost by themselves.
constexpr milliseconds kFloorInterval{10};
constexpr seconds kFloorMeasure{3};

} // namespace

bool ScaleBench::startMinimal(SideBySide *side, QString *error)
{
    // Its own peers process: neither monitor's replies wait behind the other's in one responder.
    if (!startPeersProcess(m_minimalPeers, m_options.ports, {}, &m_minimalPorts, error))
        return false;
    MinimalMonitor floor;
    floor.start(m_options.minimalBinary, {m_minimalPorts.constFirst()}, 1, kFloorInterval, seconds(0),
                kFloorMeasure);
    spinUntil([&] { return !floor.isRunning(); }, kFloorMeasure + seconds(10));
    side->floor = floor.result(error);
    if (!side->floor)
        return false;

    m_minimal.start(m_options.minimalBinary, m_minimalPorts, m_options.endpoints, m_options.heartbeat);
    if (!spinUntil([this] { return m_minimal.isConnected() || !m_minimal.isRunning(); },
                   m_options.connectTimeout) ||
        !m_minimal.isConnected()) {
        *error = m_options.minimalBinary + u": did not connect its "_qs +
                 QString::number(m_options.endpoints) + u" endpoints"_qs;
        return false;
    }
    return true;
}

void ScaleBench::onPausedPeerEvent(const Event &event)
{
    if (event.kind == EventKind::Rtt && event.source == u"heartbeat") {
        ++m_pausedReplies;
        if (m_pausedAtMs < 0)
            m_lastReplyMs = event.ts.toMSecsSinceEpoch();
        if (m_pauseArmed) {
            // Right at a reply: the next heartbeat goes out about one interval later, so the whole
            // of interval x misses passes before the verdict (the worst case the bound speaks of).
            ::kill(pid_t(m_pausedPeer.processId()), SIGSTOP);
            m_pausedAtMs = QDateTime::currentMSecsSinceEpoch();
            m_pauseArmed = false;
        }
        return;
    }
    if (event.kind != EventKind::State || !event.state)
        return;
    m_pausedUp = *event.state == EndpointState::Up;
    if (*event.state == EndpointState::Down && m_pausedAtMs >= 0 && !m_pausedDown)
        m_pausedDown = event;
}

void ScaleBench::measurePausedPeer(SideBySide *side)
{
    const auto pid = pid_t(m_pausedPeer.processId());
    for (int trial = 0; trial < m_options.pauseTrials; ++trial) {
        m_pausedReplies = 0;
        if (!spinUntil([this] { return m_pausedUp && m_pausedReplies >= 3; }, seconds(60))) {
            std::fprintf(stderr, "paused peer: %s not up with heartbeat replies after 60 s\n",
                         qPrintable(kPausedEndpoint));
            return;
        }
        m_pausedDown.reset();
        m_pausedAtMs = -1;
        m_pauseArmed = true;
        spinUntil([this] { return m_pausedAtMs >= 0; }, seconds(10));
        m_pauseArmed = false;
        if (m_pausedAtMs >= 0)
            spinUntil([this] { return m_pausedDown.has_value(); }, seconds(30));
        ::kill(pid, SIGCONT);
        if (!m_pausedDown) {
            std::fprintf(stderr, "paused peer: no Down within 30 s of the SIGSTOP\n");
            return;
        }
        const qint64 downMs = m_pausedDown->ts.toMSecsSinceEpoch();
        PauseTrial result;
        result.stopToDownS = double(downMs - m_pausedAtMs) / 1000.0;
        result.lastReplyToDownS = double(downMs - m_lastReplyMs) / 1000.0;
        const QJsonValue bound = m_pausedDown->data.value(u"bound_ms");
        result.boundS = bound.isDouble() ? bound.toDouble() / 1000.0 : -1;
        result.cause = m_pausedDown->causeName();
        side->trials.append(result);
        std::printf("paused peer, trial %d: SIGSTOP to Down %.2f s, last reply to Down %.2f s (%s)\n",
                    trial + 1, result.stopToDownS, result.lastReplyToDownS, qPrintable(result.cause));
        std::fflush(stdout);
        m_pausedAtMs = -1;
    }
    if (const SnapshotPtr snapshot = m_engine->latestSnapshot()) {
        for (const EndpointSnapshot &e : snapshot->endpoints) {
            if (e.name == kPausedEndpoint)
                side->pausedBoundText = e.detectionBound;
        }
    }
}

namespace {

// The snapshot's lateness figures where the engine has them (an older engine, built for a "before"
// run, has none).
template<typename S>
QString latenessOf(const S &snapshot)
{
    if constexpr (requires {
                      snapshot.timerLateness.p99;
                      snapshot.socketLateness.p99;
                  }) {
        const auto text = [](const auto &figures) -> QString {
            const auto toMs = [](auto d) -> QString {
                return QString::number(duration<double, std::milli>(d).count(), 'f', 2);
            };
            return toMs(figures.p50) + u" / " + toMs(figures.p99) + u" / " + toMs(figures.max) + u" ms";
        };
        return u"timers "_qs + text(snapshot.timerLateness) + u", sockets " + text(snapshot.socketLateness) +
               u" (p50 / p99 / max)";
    } else {
        return {};
    }
}

} // namespace

QString ScaleBench::engineLateness(const SnapshotPtr &snapshot)
{
    return snapshot ? latenessOf(*snapshot) : QString();
}

} // namespace kw::bench
