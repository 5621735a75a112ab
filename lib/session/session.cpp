#include "session.h"

#include "endpointstatemachine.h"
#include "sessionlogging.h"
#include "snapshot.h"

namespace kw {

Session::Session(SharedEndpointConfig config, QObject *parent)
    : QObject(parent), m_sharedConfig(std::move(config)), m_config(m_sharedConfig.get()),
      m_target(m_config.target()), m_since(QDateTime::currentDateTimeUtc())
{}

Session::~Session() = default;

void Session::fillSnapshot(EndpointSnapshot &snapshot) const
{
    snapshot.name = m_config.name;
    snapshot.kind = m_config.kind;
    snapshot.target = m_target;
    snapshot.tags = m_config.tags;
    snapshot.enabled = m_config.enabled;
    snapshot.state = m_state;
    snapshot.cause = m_causeText;
    snapshot.detail = m_detail;
    snapshot.since = m_since;
}

bool Session::snapshotDrifted(const EndpointSnapshot &) const
{
    return false;
}

void Session::setState(EndpointState state, const Cause &cause, const QString &detail,
                       const QJsonObject &data)
{
    const bool changed = state != m_state;
    if (changed && !EndpointStateMachine::isLegal(m_state, state)) {
        // A session bug, not a network event: say so loudly, and still
        // report what the session believes so nothing is hidden.
        qCWarning(lcSession).noquote()
            << m_config.name << "illegal state change" << QString::fromLatin1(endpointStateName(m_state))
            << "->" << QString::fromLatin1(endpointStateName(state));
    }
    m_state = state;
    if (cause != m_cause)
        m_causeText = causeText(cause);
    m_cause = cause;
    m_detail = detail;
    if (changed)
        m_since = QDateTime::currentDateTimeUtc();
    Event event = Event::stateChange(m_config.name, state, cause, detail);
    event.data = data;
    emitEvent(event);
    if (!changed)
        return;
    if (m_observer)
        m_observer->sessionStateChanged(*this, state, cause);
    else
        Q_EMIT stateChanged(state, cause);
}

void Session::emitEvent(Event event)
{
    // Every event is also what a row shows (or the news of it: a state, an RTT, a keepalive read
    // back): the one place the revision of most changes moves.
    noteSnapshotChanged();
    if (!event.ts.isValid())
        event.ts = QDateTime::currentDateTimeUtc();
    if (m_config.tls.enabled && m_config.tls.insecure)
        event.data.insert(u"tls_insecure"_qs, true);
    if (m_observer)
        m_observer->sessionEvent(*this, event);
    else
        Q_EMIT eventRaised(event);
}

} // namespace kw
