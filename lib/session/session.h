#pragma once

#include "cause.h"
#include "endpointconfig.h"
#include "endpointstate.h"
#include "event.h"

#include <QDateTime>
#include <QObject>

#include <memory>
#include <string_view>

namespace kw {

struct EndpointSnapshot;

inline QString toQString(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

// A cause as events, snapshots and people see it: "reset", "ws-close:1001"; empty for none.
inline QString causeText(const Cause &cause)
{
    return QString::fromStdString(cause.name());
}

// An endpoint's configuration as a session holds it: one immutable copy shared by every session and
// list that holds the same configuration (the engine starts its sessions from the workspace's list,
// see Monitor::startAll), so 10,000 sessions do not each keep a ~1 KB copy beside the workspace's.
// An edit makes a new one. Made from a plain EndpointConfig (a session a test makes), it is a copy
// of its own.
class SharedEndpointConfig
{
public:
    SharedEndpointConfig(EndpointConfig config) // NOLINT(google-explicit-constructor): tests, one-offs
        : m_config(std::make_shared<const EndpointConfig>(std::move(config)))
    {}
    explicit SharedEndpointConfig(std::shared_ptr<const EndpointConfig> config) : m_config(std::move(config))
    {}

    const EndpointConfig &get() const { return *m_config; }
    std::shared_ptr<const EndpointConfig> pointer() const { return m_config; }

private:
    std::shared_ptr<const EndpointConfig> m_config;
};

class Session;

// Who hears a session's states and events when that is exactly one known object (the Monitor, for
// every session it owns): a direct call instead of two signal-slot connections per endpoint. With
// an observer set the session emits no signals; without one (tests, anything else that watches a
// session from outside) it emits stateChanged() and eventRaised(). A call may not destroy the
// session: the Monitor destroys sessions only outside their calls.
class SessionObserver
{
public:
    virtual void sessionEvent(Session &session, const Event &event) = 0;
    virtual void sessionStateChanged(Session &session, EndpointState state, const Cause &cause) = 0;

protected:
    SessionObserver() = default;
    virtual ~SessionObserver() = default;
    Q_DISABLE_COPY_MOVE(SessionObserver)
};

// What the engine sees of every kind of endpoint session (outbound TCP,
// inbound heartbeat listener, ...): commands in, state and events out.
class Session : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Session)

public:
    ~Session() override;

    const EndpointConfig &config() const { return m_config; }
    QString name() const { return m_config.name; }
    // The shared copy (sharedConfig().pointer() for a session made again with the same one).
    const SharedEndpointConfig &sharedConfig() const { return m_sharedConfig; }

    // Replaces stateChanged() and eventRaised() by direct calls to `observer`; nullptr: the signals again.
    void setObserver(SessionObserver *observer) { m_observer = observer; }

    virtual void start() = 0; // connects / listens now (or Disabled when the endpoint is disabled)
    // Disabled with cause "stopped"; `reason` is the detail a person reads.
    virtual void stop(const QString &reason) = 0;

    EndpointState state() const { return m_state; }
    const Cause &cause() const { return m_cause; }
    QString detail() const { return m_detail; }
    QDateTime since() const { return m_since; }

    // Everything but the statistics, which the engine keeps.
    virtual void fillSnapshot(EndpointSnapshot &snapshot) const;
    // Moves whenever what fillSnapshot() writes may have changed by the session's doing: every
    // state (setState()) and every event (emitEvent(): RTT, keepalive, TLS, TCP_INFO...), and
    // noteSnapshotChanged() for a change that raises neither. A row filled at this revision is
    // still the session's but for what snapshotDrifted() tells.
    quint64 snapshotRevision() const { return m_snapshotRevision; }
    // True when `row`, filled by fillSnapshot() at the current snapshotRevision(), no longer shows
    // what changes without an event or a state (phi with time, MQTT pings and devices, a listener's
    // peers). The engine asks before it reuses a row instead of filling it again.
    virtual bool snapshotDrifted(const EndpointSnapshot &row) const;

Q_SIGNALS:
    void stateChanged(kw::EndpointState state, const kw::Cause &cause);
    void eventRaised(const kw::Event &event);

protected:
    explicit Session(SharedEndpointConfig config, QObject *parent = nullptr);

    // Records the state and raises a "state" event; stateChanged() only when
    // the state itself changed (a new detail alone is still an event).
    void setState(EndpointState state, const Cause &cause, const QString &detail,
                  const QJsonObject &data = {});
    // Stamps the time and, for an endpoint whose TLS does not verify, says so in every event.
    void emitEvent(Event event);
    void noteSnapshotChanged() { ++m_snapshotRevision; }

    // The shared configuration, and the reference every kind of session reads it through.
    SharedEndpointConfig m_sharedConfig;
    const EndpointConfig &m_config;

private:
    SessionObserver *m_observer = nullptr;
    // The snapshot's texts, built when they change rather than in every row of every snapshot: a
    // full engine fills 10,000 rows each publish, and rows that share these share their memory.
    QString m_target;
    QString m_causeText;
    EndpointState m_state = EndpointState::Disabled;
    Cause m_cause;
    QString m_detail;
    QDateTime m_since;
    quint64 m_snapshotRevision = 1;
};

} // namespace kw
