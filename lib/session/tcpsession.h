#pragma once

#include "backoff.h"
#include "endpointconfig.h"
#include "endpointstate.h"
#include "event.h"
#include "heartbeattracker.h"
#include "idledetector.h"
#include "keepalive.h"
#include "phiaccrualdetector.h"
#include "session.h"
#include "sessioncontext.h"
#include "tcpsnapshot.h"

#include <QByteArray>
#include <QDateTime>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>

#include <array>
#include <memory>
#include <optional>

namespace kw {

class Connection;

// Holds one long-lived TCP connection to an endpoint and says, at every
// moment, whether it is alive and why not: keepalive applied on every
// connect and read back, TCP_INFO polled while up, application heartbeats,
// Netty-style idle detection, phi-accrual suspicion, and reconnects with
// backoff. Lives on the engine thread.
class TcpSession final : public Session
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TcpSession)

public:
    // How often the kernel's view of the connection is read while up, and how
    // often that becomes a "tcpinfo" event when nothing changes.
    static constexpr std::chrono::milliseconds kTcpInfoPoll{1000};
    static constexpr std::chrono::milliseconds kTcpInfoEventEvery{15000};

    TcpSession(EndpointConfig config, SessionContext context, QObject *parent = nullptr);
    ~TcpSession() override;

    void start() override;
    void stop(const QString &reason) override;
    void fillSnapshot(EndpointSnapshot &snapshot) const override;

    QDateTime nextAttempt() const { return m_nextAttempt; }
    std::optional<double> lastRttMs() const { return m_lastRttMs; }
    QString lastRttSource() const { return m_lastRttSource; }
    QString keepaliveSummary() const { return m_keepaliveSummary; }
    QString detectionBoundText() const { return m_boundText; }
    double phi() const;

private:
    enum Suspicion : unsigned {
        SuspectKeepaliveProbes = 1u << 0,
        SuspectRetransmitting = 1u << 1,
        SuspectHeartbeatOverdue = 1u << 2,
        SuspectIdle = 1u << 3,
        SuspectPhi = 1u << 4,
    };

    void beginConnect();
    void onLookedUp(const QList<QHostAddress> &addresses, const QString &error);
    void tryNextAddress();
    void onConnected();
    void onConnectionFailed(int error);
    void onReceived(const QByteArray &data);
    void onPeerClosed();
    void onConnectTimeout();

    void applyKeepalive();
    void startLivenessChecks();
    void sendHeartbeat();
    void checkHeartbeat();
    void checkIdle();
    void pollTcpInfo();
    void matchHeartbeatReplies();

    void setSuspicion(Suspicion reason, bool on, const QString &why = {});
    QString suspicionText() const;
    void fail(const QString &cause, const QString &detail,
              std::optional<std::chrono::milliseconds> bound = {});
    void scheduleReconnect();
    void teardown();
    void emitRtt(double ms, const QString &source, const QJsonObject &data = {});

    SessionContext m_context;
    Backoff m_backoff;

    QDateTime m_nextAttempt;

    QPointer<Connection> m_connection;
    QList<QHostAddress> m_addresses;
    int m_addressIndex = 0;
    int m_lookupId = -1;
    int m_attempt = 0;
    TimePoint m_connectStartedAt{};
    TimePoint m_upSince{};

    EngineTimers::TimerId m_connectTimer = EngineTimers::kNoTimer;
    EngineTimers::TimerId m_reconnectTimer = EngineTimers::kNoTimer;
    EngineTimers::TimerId m_heartbeatSendTimer = EngineTimers::kNoTimer;
    EngineTimers::TimerId m_heartbeatCheckTimer = EngineTimers::kNoTimer;
    EngineTimers::TimerId m_idleTimer = EngineTimers::kNoTimer;
    EngineTimers::TimerId m_tcpInfoTimer = EngineTimers::kNoTimer;

    net::EffectiveKeepalive m_effectiveKeepalive;
    bool m_userTimeoutSet = false;
    QString m_keepaliveSummary;
    QString m_boundText;
    std::optional<std::chrono::milliseconds> m_silentPeerBound;
    std::optional<std::chrono::milliseconds> m_unackedBound;

    std::unique_ptr<HeartbeatTracker> m_heartbeat;
    std::unique_ptr<IdleDetector> m_idle;
    PhiAccrualDetector m_phi;
    QByteArray m_rxBuffer;

    std::optional<net::TcpSnapshot> m_lastSnapshot;
    TimePoint m_lastTcpInfoEvent{};
    unsigned m_suspicion = 0;
    std::array<QString, 5> m_suspicionTexts; // by Suspicion bit

    std::optional<double> m_lastRttMs;
    QString m_lastRttSource;
};

net::KeepaliveSettings toNetKeepalive(const KeepaliveConfig &config);
BackoffParams toBackoffParams(const ReconnectConfig &config);

} // namespace kw
