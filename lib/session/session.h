#pragma once

#include "cause.h"
#include "endpointconfig.h"
#include "endpointstate.h"
#include "event.h"

#include <QDateTime>
#include <QObject>

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

    virtual void start() = 0; // connects / listens now (or Disabled when the endpoint is disabled)
    // Disabled with cause "stopped"; `reason` is the detail a person reads.
    virtual void stop(const QString &reason) = 0;

    EndpointState state() const { return m_state; }
    const Cause &cause() const { return m_cause; }
    QString detail() const { return m_detail; }
    QDateTime since() const { return m_since; }

    // Everything but the statistics, which the engine keeps.
    virtual void fillSnapshot(EndpointSnapshot &snapshot) const;

Q_SIGNALS:
    void stateChanged(kw::EndpointState state, const kw::Cause &cause);
    void eventRaised(const kw::Event &event);

protected:
    explicit Session(EndpointConfig config, QObject *parent = nullptr);

    // Records the state and raises a "state" event; stateChanged() only when
    // the state itself changed (a new detail alone is still an event).
    void setState(EndpointState state, const Cause &cause, const QString &detail,
                  const QJsonObject &data = {});
    // Stamps the time and, for an endpoint whose TLS does not verify, says so in every event.
    void emitEvent(Event event);

    EndpointConfig m_config;

private:
    // The snapshot's texts, built when they change rather than in every row of every snapshot: a
    // full engine fills 10,000 rows each publish, and rows that share these share their memory.
    QString m_target;
    QString m_causeText;
    EndpointState m_state = EndpointState::Disabled;
    Cause m_cause;
    QString m_detail;
    QDateTime m_since;
};

} // namespace kw
    // Moves whenever what fillSnapshot() writes may have changed by the session's doing: every
    // state (setState()) and every event (emitEvent(): RTT, keepalive, TLS, TCP_INFO...), and
    // noteSnapshotChanged() for a change that raises neither. A row filled at this revision is
    // still the session's but for what snapshotDrifted() tells.
    quint64 snapshotRevision() const { return m_snapshotRevision; }
    // True when `row`, filled by fillSnapshot() at the current snapshotRevision(), no longer shows
    // what changes without an event or a state (phi with time, MQTT pings and devices, a listener's
    // peers). The engine asks before it reuses a row instead of filling it again.
    virtual bool snapshotDrifted(const EndpointSnapshot &row) const;
    void noteSnapshotChanged() { ++m_snapshotRevision; }
    quint64 m_snapshotRevision = 1;
