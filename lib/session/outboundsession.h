#pragma once

#include "connection.h"
#include "idledetector.h"
#include "keepalivereport.h"
#include "phasegrid.h"
#include "retryingsession.h"
#include "suspicions.h"
#include "tcpsnapshot.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QList>
#include <QPointer>

#include <memory>
#include <optional>
#include <vector>

namespace kw {

class Connection;
namespace stream {
class Layer;
struct Failure;
} // namespace stream

// The one lifecycle of every endpoint we connect to (DESIGN.md, "One session core"):
// resolve -> connect (every address in order) -> keepalive applied on the TCP socket and read back
// -> the byte-stream stack above it (TLS, WebSocket framing) -> ready -> TCP_INFO sampling, idle
// detection, the kind's liveness probe -> every failure classified into a cause -> suspicion with
// named reasons -> backoff and the engine-wide spreader. Keepalive and TCP_INFO always act on the
// real TCP socket at the bottom of the stack, and the kernel's errno survives every layer.
//
// An endpoint kind supplies only what differs: its layers (TLS by default when configured), its ready
// condition (onTransportReady(): Up at once by default) and its liveness probe (startProbe(),
// onData(), ...). Lives on the engine thread.
class OutboundSession : public RetryingSession, private ConnectionObserver
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OutboundSession)

public:
    // How often the kernel's view of the connection is read while up, and how
    // often that becomes a "tcpinfo" event when nothing changes.
    static constexpr std::chrono::milliseconds kTcpInfoPoll{1000};
    static constexpr std::chrono::milliseconds kTcpInfoEventEvery{15000};
    // Unsent bytes above which a probe's writes are refused (the peer is not reading): the socket's
    // buffer is full, and queueing more only delays the verdict and grows memory.
    static constexpr qsizetype kSendHighWater = 256 * 1024;

    ~OutboundSession() override;

    void fillSnapshot(EndpointSnapshot &snapshot) const override;
    bool snapshotDrifted(const EndpointSnapshot &row) const override; // phi

    std::optional<double> lastRttMs() const { return m_lastRttMs; }
    QString lastRttSource() const { return m_lastRttSource; }
    // The last sample's reply carried the kernel's receive stamp (EndpointSnapshot::lastRttKernelStamped).
    bool lastRttKernelStamped() const { return m_lastRttKernelStamped; }
    QString keepaliveSummary() const { return m_keepalive.summary; }
    QString detectionBoundText() const;
    QString tlsSummary() const { return m_tlsSummary; }
    virtual double phi() const { return 0.0; }
    // Phi moves with every millisecond of silence; the window shows it to the tenth. Rounded so, the
    // row of a healthy endpoint is the same between its heartbeats and need not be built again.
    static double shownPhi(double phi);

protected:
    OutboundSession(SharedEndpointConfig config, SessionContext context, QObject *parent);

    // --- what a kind supplies ---
    // The layers above TCP, bottom first. The default: TLS when the endpoint configures it. False
    // with a message naming the setting and the fix when a layer cannot be made (a missing CA file).
    virtual bool buildLayers(std::vector<std::unique_ptr<stream::Layer>> &layers, QString *error);
    // Every layer is ready (TCP connected, TLS verified, WebSocket upgraded). The default declares
    // the endpoint Up; a kind with its own handshake (MQTT CONNACK) calls declareUp() later.
    virtual void onTransportReady();
    // Application bytes from the top of the stack.
    virtual void onData(QByteArrayView data, TimePoint now);
    // The kind's liveness probe, started when Up and stopped on every teardown.
    virtual void startProbe(TimePoint now);
    virtual void stopProbe();
    // Called on every TCP_INFO sweep while up (phi-accrual evaluation and the like).
    virtual void onSample(TimePoint now);
    // How often TCP_INFO is read while nothing is suspicious: kTcpInfoPoll by default; a kind whose
    // probe times the connection itself (MQTT's PINGRESP) may read it less often.
    virtual std::chrono::milliseconds tcpInfoPollInterval() const;
    // When the probe last proved that the peer has received everything written to it: the reply to
    // the newest of its requests, with no other write since. Then the kernel can have nothing to
    // retransmit and no keepalive probe out, and a TCP_INFO read that tells nothing new is skipped
    // (pollTcpInfo()). nullopt (the default) when the probe cannot tell.
    virtual std::optional<TimePoint> everythingAnsweredAt() const;
    // True when the probe wakes once a tcpInfoPollInterval() anyway and calls sweepTcpInfoAlongside()
    // there: while nothing is suspicious the TCP_INFO sweep then has no timer of its own.
    virtual bool probeCarriesTcpInfo() const;
    // Idle action "ping": send whatever this kind pings with; false when it has nothing to send.
    virtual bool sendIdlePing();
    // The probe's share of the detection bound ("heartbeat 3 s").
    virtual QStringList probeBoundParts() const;
    // A failure of one of the stack's layers: the default knows TLS (tls) and WebSocket (ws-handshake
    // before the upgrade, protocol-error after).
    virtual Cause causeOfLayerFailure(const stream::Failure &failure, bool handshakeDone) const;
    // An orderly end a layer reported: a WebSocket close frame is ws-close:<code>; anything else
    // (TLS close_notify, FIN) peer-closed.
    virtual Cause causeOfPeerClose(const stream::Failure &how) const;
    // The kind's own handshake still under way once every layer is ready ("MQTT CONNACK"), for the
    // connect timeout's detail; empty when the kind has none or it is done.
    virtual QString pendingHandshake() const;

    // --- what the core offers a kind ---
    void declareUp(const QString &detail = {});
    // Application bytes down the stack; false (nothing queued) above kSendHighWater.
    bool writeStream(QByteArrayView data);
    // The TCP_INFO sweep, when it rides on this wake-up of the probe (probeCarriesTcpInfo()); nothing
    // while a suspicion has it on its own faster timer.
    void sweepTcpInfoAlongside(TimePoint now);
    // How many writeStream() calls took their bytes on this connection so far.
    std::uint64_t writeCount() const { return m_writeCount; }
    void setSuspicion(QLatin1StringView reason, bool on, const QString &text = {});
    void fail(const Cause &cause, const QString &detail, std::optional<std::chrono::milliseconds> bound = {});
    void emitRtt(double ms, const QString &source, const QJsonObject &data = {});
    // Rebuilds the detection bound from the kernel's part and probeBoundParts(), for a probe whose
    // timing was settled after connect (MQTT 5 Server Keep Alive).
    void refreshDetectionBound();
    bool isLive() const; // Up or Suspect
    // The grid this endpoint's periodic work of `interval` runs on (PhaseGrid: the phase from the
    // endpoint's name), so that thousands of endpoints started together do not probe in step.
    PhaseGrid phaseGrid(Duration interval) const { return PhaseGrid::forSeed(m_phaseSeed, interval); }
    // When the application bytes being delivered now reached the socket (Connection::lastReceivedAt():
    // the kernel's stamp on Linux), before any parsing: what a probe's reply is timed with. The
    // clock's reading outside a delivery, and always on a clock other than the system's (tests).
    TimePoint receivedAt() const;
    // When bytes a probe just wrote were accepted by the socket: the connection's last send if it
    // happened at or after `calledAt` (the clock's reading before the write), else `calledAt` (nothing
    // reached the socket yet: queued behind a backlog, or a test's clock).
    TimePoint writtenAt(TimePoint calledAt) const;
    const std::vector<std::unique_ptr<stream::Layer>> &layers() const { return m_layers; }

private:
    void attempt() final;
    void teardown() final;

    void onLookedUp(const QList<QHostAddress> &addresses, const QString &error);
    void tryNextAddress();
    void onConnected();
    void onConnectionFailed(int error);
    void onReceived(const QByteArray &data);
    void onPeerClosed();
    // The connection's observer (Connection::setObserver()).
    void connectionConnected() override { onConnected(); }
    void connectionReceived(const QByteArray &data) override { onReceived(data); }
    void connectionPeerClosed() override { onPeerClosed(); }
    void connectionFailed(int error) override { onConnectionFailed(error); }
    void onConnectTimeout();
    void startStack();
    void wireLayer(std::size_t index, quint64 generation);
    void onStackReady();
    void deliverUp(QByteArrayView data);
    void onLayerFailed(std::size_t index, const stream::Failure &failure);
    void onLayerClosedByPeer(std::size_t index, const stream::Failure &how);
    // What the peer said when it ended a layer, once heard, even before the layer has answered it.
    const stream::Failure *heardPeerEnd() const;
    // Down by what the peer said; `then` is what happened to the connection after (a reset).
    void failByPeerEnd(const stream::Failure &how, const QString &then = {});
    void noteTlsReady();

    void applyKeepalive();
    void startLivenessChecks();
    void checkIdle();
    void pollTcpInfo();
    void sweepTcpInfo(TimePoint now);
    bool kernelViewKnown(TimePoint now) const; // a TCP_INFO read now could tell nothing new

    QPointer<Connection> m_connection;
    bool m_tcpConnected = false;
    std::vector<std::unique_ptr<stream::Layer>> m_layers;
    quint64 m_stackGeneration = 0; // callbacks of an older stack are ignored
    QList<QHostAddress> m_addresses;
    int m_addressIndex = 0;
    int m_lookupId = -1;
    TimePoint m_connectStartedAt{};
    TimePoint m_upSince{};
    TimePoint m_tcpUpAt{};

    EngineTimers::TimerId m_connectTimer = EngineTimers::kNoTimer;
    EngineTimers::TimerId m_idleTimer = EngineTimers::kNoTimer;
    EngineTimers::TimerId m_tcpInfoTimer = EngineTimers::kNoTimer;
    bool m_tcpInfoAlongside = false; // the next sweep is the probe's (sweepTcpInfoAlongside())

    KeepaliveInForce m_keepalive;
    QStringList m_kernelBoundParts;
    QString m_boundText; // the kernel's bounds and the probe's, built once per connection
    std::unique_ptr<IdleDetector> m_idle;
    std::optional<net::TcpSnapshot> m_lastSnapshot;
    TimePoint m_lastTcpInfoEvent{};
    TimePoint m_lastTcpInfoRead{};
    std::uint64_t m_writeCount = 0;
    Suspicions m_suspicions;
    std::uint64_t m_phaseSeed = 0; // PhaseGrid::seedOf(the endpoint's name), hashed once

    std::optional<TimePoint> m_receivedAt; // while bytes from the socket travel up the stack
    std::optional<double> m_lastRttMs;
    QString m_lastRttSource;
    bool m_lastRttKernelStamped = false;
    bool m_receivedStampedByKernel = false; // the bytes of m_receivedAt
    QString m_tlsSummary;
    std::optional<int> m_tlsDaysLeft;
};

} // namespace kw
