#pragma once

#include "backoff.h"
#include "endpointconfig.h"
#include "endpointstate.h"
#include "enginetimers.h"
#include "keepalive.h"
#include "retryingsession.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QList>
#include <QString>

#include <chrono>
#include <list>
#include <optional>
#include <string_view>
#include <unordered_map>

class QTcpServer;

namespace kw {

class Connection;

// Bounds on what peers of one listen endpoint can make the engine hold.
struct ListenLimits
{
    int maxPeers = 10000;             // connections held at once; further ones are closed on accept
    qsizetype maxMessageBytes = 4096; // a longer message is a protocol-error and closes that peer
    qsizetype maxIdBytes = 128;       // a longer peer id is a protocol-error
    std::chrono::milliseconds rememberDown{std::chrono::hours(1)}; // down peers stay listed this long
    int maxRemembered = 10000; // down peers listed at most; the oldest go first
};

// One peer of a listen endpoint as ops staff see it.
struct ListenPeer
{
    QString id;         // from its heartbeats ("HB db-7" -> "db-7"), else its address
    bool named = false; // the id came from a heartbeat
    QString address;    // "127.0.0.1:50312" of its latest connection
    EndpointState state = EndpointState::Connecting; // Connecting: connected, no heartbeat yet
    QString cause;                                   // of the last Down
    QString detail;
    QDateTime since; // when the current state began (UTC)
    QDateTime lastHeartbeat;
    quint64 heartbeats = 0;
    bool connected = false;
};

// A heartbeat server (`kind: "listen"`): binds `bind:port`, accepts peers
// and watches each one's heartbeats. The endpoint is Up while listening; every
// peer has its own state, raised as events on "<endpoint>/<peer id>":
// Up at its first heartbeat, Suspect once an interval passes without one,
// Down after `misses` intervals (heartbeat-timeout), on FIN (peer-closed),
// RST (reset) or another socket error, or on a malformed message
// (protocol-error). A Down peer is disconnected and listed for a while, so a
// peer that reconnects with the same id continues its identity.
//
// Peers send messages that end in LF, NUL or ETX (text lines, C strings,
// STX/ETX frames); end of stream also ends the last one. A message containing
// `heartbeat.expect` (any message when it is empty) is a heartbeat, and the
// first word after `expect` in it is the peer's id. With `heartbeat.send` set,
// each heartbeat is answered with it.
class ListenSession final : public RetryingSession
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ListenSession)

public:
    // After accept() fails (out of descriptors...), accepting resumes this much later.
    static constexpr std::chrono::milliseconds kAcceptRetry{1000};
    // Peers refused over maxPeers are reported at most this often.
    static constexpr std::chrono::milliseconds kRefusedReportEvery{60000};
    // Answers (heartbeat.send) queued for a peer that does not read them.
    static constexpr qsizetype kMaxUnsentAnswers = 64 * 1024;

    ListenSession(SharedEndpointConfig config, SessionContext context, QObject *parent = nullptr);
    ListenSession(SharedEndpointConfig config, SessionContext context, ListenLimits limits,
                  QObject *parent = nullptr);
    ~ListenSession() override;

    void fillSnapshot(EndpointSnapshot &snapshot) const override;
    bool snapshotDrifted(const EndpointSnapshot &row) const override; // the address, the peers

    const ListenLimits &limits() const { return m_limits; }
    const HeartbeatConfig &heartbeat() const { return m_heartbeat; }
    // The bound port (the configured one, or the one the OS chose for port 0); 0 when not listening.
    quint16 listeningPort() const;
    int connectedPeers() const { return int(m_links.size()); }
    // Connections closed before sending a byte (port probes, health checks): counted, not logged.
    quint64 silentConnections() const { return m_silentCloses; }
    // Connections closed on accept because maxPeers were connected.
    quint64 refusedConnections() const { return m_refused; }
    // Connected peers, then the remembered down ones, newest down first.
    QList<ListenPeer> peers() const;
    std::optional<ListenPeer> peer(const QString &id) const;
    // "listening on 127.0.0.1:7000, 12 peers: 11 up, 1 suspect; 1 down (db-7: heartbeat-timeout)"
    QString summary() const;
    QString keepaliveSummary() const { return m_keepaliveSummary; }
    QString detectionBoundText() const { return m_boundText; }

    // The endpoint name of a peer's events.
    static QString peerEndpointName(const QString &listenName, const QString &peerId);

private:
    class Listener;

    // One accepted connection.
    struct Link
    {
        Connection *connection = nullptr; // child of the session, deleted later on drop
        QString address;
        QByteArray buffer;
        QString peerId; // empty until the first heartbeat
        TimePoint connectedAt{};
        TimePoint lastHeartbeat{}; // when its bytes arrived (Connection::lastReceivedAt())
        TimePoint receivedAt{};    // of the bytes being handled now
        quint64 messages = 0;
        quint64 bytes = 0;
        EngineTimers::TimerId timer = EngineTimers::kNoTimer;
    };

    struct PeerRecord
    {
        ListenPeer info;
        TimePoint since{};
        TimePoint upSince{};
        Connection *link = nullptr;
        std::optional<std::list<QString>::iterator> downPosition;
        TimePoint downAt{};
    };

    void attempt() override;
    void teardown() override;
    void failBind(const QString &detail, bool retry, const Cause &cause = CauseCode::Bind);

    void onIncoming(qintptr descriptor);
    void onAcceptError();
    void onReceived(Connection *connection, const QByteArray &data);
    void onPeerClosed(Connection *connection);
    void onLinkFailed(Connection *connection, int error);
    void dropTooLong(Connection *connection);
    void applyKeepalive(Connection *connection);

    // False when the message dropped the link.
    bool handleMessage(Connection *connection, QByteArrayView message);
    void noteHeartbeat(Connection *connection, const QByteArray &id);
    void identify(Connection *connection, const QString &id, bool named);
    void checkLink(Connection *connection);
    void armLink(Link &link, Connection *connection, TimePoint at);
    void dropLink(Connection *connection, const Cause &cause, const QString &detail,
                  std::optional<std::chrono::milliseconds> bound = {});
    void closeConnection(Connection *connection);

    void setPeerState(PeerRecord &record, EndpointState state, const Cause &cause, const QString &detail,
                      QJsonObject data = {});
    void remember(PeerRecord &record);
    void forget(PeerRecord &record);
    void pruneRemembered();
    void armPrune();
    void emitInfo(const QString &detail, const QJsonObject &data = {});
    QString listenAddress() const;

    std::chrono::milliseconds suspectAfter() const;
    std::chrono::milliseconds deadAfter() const;

    ListenLimits m_limits;
    HeartbeatConfig m_heartbeat;
    QTcpServer *m_server = nullptr;
    EngineTimers::TimerId m_acceptTimer = EngineTimers::kNoTimer;
    EngineTimers::TimerId m_pruneTimer = EngineTimers::kNoTimer;

    std::unordered_map<Connection *, Link> m_links;
    std::unordered_map<QString, PeerRecord> m_peers;
    std::list<QString> m_downOrder; // ids of remembered down peers, oldest first

    quint64 m_refused = 0;
    quint64 m_refusedReported = 0;
    std::optional<TimePoint> m_lastRefusedReport;
    quint64 m_silentCloses = 0; // connections closed before sending a byte (port probes)

    bool m_keepaliveReported = false;
    net::EffectiveKeepalive m_effectiveKeepalive;
    bool m_userTimeoutSet = false;
    QString m_keepaliveSummary;
    QString m_boundText;
};

} // namespace kw
