#pragma once

#include "heartbeattracker.h"
#include "outboundsession.h"
#include "phiaccrualdetector.h"

#include <QByteArray>

#include <memory>

namespace kw {

// Kind "tcp": a long-lived TCP connection (with TLS when configured) whose liveness probe is the
// application heartbeat of the workspace's "heartbeat" key, judged by missed replies and by
// phi-accrual suspicion. Everything else (connect, keepalive, TCP_INFO, idle, backoff) is the
// session core's.
class TcpSession final : public OutboundSession
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TcpSession)

public:
    TcpSession(SharedEndpointConfig config, SessionContext context, QObject *parent = nullptr);
    ~TcpSession() override;

    double phi() const override;
    // Phi's tenth in `row` against the detector's, with no clock arithmetic while the silence is
    // short of the next tenth's crossing (worked out once per heartbeat and tenth shown).
    bool snapshotDrifted(const EndpointSnapshot &row) const override;

private:
    void onData(QByteArrayView data, TimePoint now) override;
    void startProbe(TimePoint now) override;
    void stopProbe() override;
    void onSample(TimePoint now) override;
    bool sendIdlePing() override;
    QStringList probeBoundParts() const override;
    std::chrono::milliseconds tcpInfoPollInterval() const override;
    std::optional<TimePoint> everythingAnsweredAt() const override;
    bool probeCarriesTcpInfo() const override;

    HeartbeatParams heartbeatParams() const;
    void sendHeartbeat();
    void armHeartbeatCheck();
    void checkHeartbeat();
    // Counts misses and judges the silence by `now`: false when it ended the connection.
    bool judgeHeartbeat(TimePoint now);
    // Notes the replies in `buffer`; returns how many of its last bytes may start a reply yet to come.
    qsizetype matchHeartbeatReplies(QByteArrayView buffer, TimePoint now);

    EngineTimers::TimerId m_heartbeatSendTimer = EngineTimers::kNoTimer;
    EngineTimers::TimerId m_heartbeatCheckTimer = EngineTimers::kNoTimer;
    TimePoint m_heartbeatSendAt{};         // what m_heartbeatSendTimer is armed for
    TimePoint m_heartbeatCheckAt{};        // what m_heartbeatCheckTimer is armed for
    std::uint64_t m_writesAtHeartbeat = 0; // writeCount() after the newest heartbeat
    std::unique_ptr<HeartbeatTracker> m_heartbeat;
    // When the shown tenth of phi can next change: the detector's crossing of the tenth's rounding
    // edge for the silence since its last heartbeat, valid while no heartbeat changed it (m_phiEpoch).
    struct ShownPhiSpan
    {
        std::uint64_t epoch = 0;
        double shown = -1;
        TimePoint from{};
        TimePoint until{};
    };
    void phiChanged() { ++m_phiEpoch; }

    PhiAccrualDetector m_phi;
    std::uint64_t m_phiEpoch = 1; // moves with every heartbeat and reset of m_phi
    mutable ShownPhiSpan m_shownPhiSpan;
    QByteArray m_rxBuffer;
};

} // namespace kw
