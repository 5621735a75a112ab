#pragma once

#include "idlesearch.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

class QTimer;

namespace kw {

class Connection;

// Runs an IdleSearch against a real peer: one TCP connection per probe, SO_KEEPALIVE explicitly off
// (so the kernel sends nothing while the connection idles), left idle for the probe's gap; then a small
// write (`payload`, by default an empty line, which HTTP servers are told to ignore by RFC 9112 section
// 2.2) that must be acknowledged (TCP_INFO: nothing in flight) or answered within the acknowledgement
// wait. A connection whose write was acknowledged is reused for the next gap.
//
// The acknowledgement wait is max(1.5 s, 4 × smoothed RTT + 3 × RTO) from the write: long enough for the
// kernel's first retransmissions (RTO, then twice it), so a lost segment on a live path is not taken
// for a forgotten flow.
class IdleProber final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IdleProber)

public:
    IdleProber(const Clock &clock, const QHostAddress &address, quint16 port,
               const IdleSearchOptions &options, QObject *parent = nullptr);
    ~IdleProber() override;

    void setPayload(const QByteArray &payload) { m_payload = payload; }
    void setConnectTimeout(std::chrono::milliseconds timeout) { m_connectTimeout = timeout; }
    void start();

    const IdleSearch &search() const { return m_search; }
    QString target() const; // "198.51.100.2:7000", "[2001:db8::2]:443"

Q_SIGNALS:
    // The probe's connection is up and its gap started (reused: on a connection that survived before).
    void probeStarted(int id, bool reused);
    // The probe's outcome is in search().probe(id).
    void probeEnded(int id);
    void probeCancelled(int id);
    void finished();

private:
    enum class Phase { Connecting, Idle, AwaitingAck };
    struct Probe
    {
        int id = 0;
        Connection *connection = nullptr;
        QTimer *timer = nullptr; // connect timeout, then the gap, then the acknowledgement polls
        Phase phase = Phase::Connecting;
        bool reused = false; // a connection that survived an earlier gap
        TimePoint writtenAt{};
        std::uint32_t retransAtWrite = 0; // TCP_INFO total retransmissions before the write
        std::chrono::milliseconds ackWait{0};
    };

    void startRequests();
    void launch(int id);
    void attach(Probe &probe);
    void onConnected(int id);
    void onGapOver(int id);
    void pollAck(int id);
    void onReceived(int id);
    void onPeerClosed(int id);
    void onFailed(int id, int error);
    void conclude(int id, IdleProbeOutcome outcome);
    void release(Probe &probe, bool keepConnection, bool reset);
    void applyCancels();
    void finishIfDone();
    bool acknowledged(const Probe &probe) const;
    QString connectFailure(int error) const;

    const Clock &m_clock;
    QHostAddress m_address;
    quint16 m_port = 0;
    IdleSearch m_search;
    QByteArray m_payload = QByteArrayLiteral("\r\n");
    std::chrono::milliseconds m_connectTimeout{10000};
    std::map<int, Probe> m_probes;
    std::vector<Connection *> m_spare; // connections whose last write was acknowledged, idle since then
    bool m_finishedSignalled = false;
};

} // namespace kw
