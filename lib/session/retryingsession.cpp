#include "retryingsession.h"

#include "sessiontext.h"
#include "snapshot.h"

namespace kw {

using namespace std::chrono;

BackoffParams toBackoffParams(const ReconnectConfig &config)
{
    BackoffParams params;
    params.initial = config.initial;
    params.max = config.max;
    params.multiplier = config.multiplier;
    params.jitter = config.jitter;
    params.minConnectTimeout = config.minConnectTimeout;
    return params;
}

RetryingSession::RetryingSession(SharedEndpointConfig config, SessionContext context, QObject *parent)
    : Session(std::move(config), parent), m_context(context), m_backoff(toBackoffParams(m_config.reconnect))
{}

RetryingSession::~RetryingSession()
{
    m_context.timers.cancel(m_retryTimer);
}

void RetryingSession::fillSnapshot(EndpointSnapshot &snapshot) const
{
    Session::fillSnapshot(snapshot);
    snapshot.nextAttempt = m_nextAttempt;
}

void RetryingSession::start()
{
    if (!m_config.enabled) {
        setState(EndpointState::Disabled, {}, tr("disabled in the workspace"));
        return;
    }
    m_backoff.reset();
    m_attempt = 0;
    const QString host = destinationHost();
    if (!m_context.firstConnects || host.isEmpty()) {
        beginAttempt();
        return;
    }
    const TimePoint now = m_context.timers.now();
    const TimePoint at = m_context.firstConnects->reserve(host.toStdString(), now);
    if (at <= now) {
        beginAttempt();
        return;
    }
    // Queued behind the other endpoints on the same host: Connecting already (the attempt is
    // under way as far as anyone watching is concerned), the timer starts the real one.
    teardown();
    m_context.timers.cancel(m_retryTimer);
    const milliseconds wait = ceil<milliseconds>(at - now);
    m_nextAttempt = wallClockAt(at, now);
    m_retryTimer = m_context.timers.at(at, [this] {
        m_retryTimer = EngineTimers::kNoTimer;
        beginAttempt();
    });
    setState(EndpointState::Connecting, {},
             tr("first connect in %1, spread with the other endpoints on %2").arg(formatDuration(wait), host),
             QJsonObject{{u"next_attempt_ms"_qs, static_cast<double>(wait.count())}});
}

QString RetryingSession::destinationHost() const
{
    return m_config.kind == EndpointKind::Listen ? QString() : m_config.host;
}

void RetryingSession::stop(const QString &reason)
{
    teardown();
    m_context.timers.cancel(m_retryTimer);
    m_nextAttempt = {};
    setState(EndpointState::Disabled, CauseCode::Stopped, reason);
}

void RetryingSession::beginAttempt()
{
    teardown();
    m_context.timers.cancel(m_retryTimer);
    m_nextAttempt = {};
    ++m_attempt;
    attempt();
}

void RetryingSession::scheduleRetry(bool spread)
{
    const TimePoint now = m_context.timers.now();
    const milliseconds delay = m_backoff.nextDelay();
    const TimePoint at = spread ? m_context.spreader.reserve(now + delay) : now + delay;
    const milliseconds wait = duration_cast<milliseconds>(at - now);
    m_nextAttempt = wallClockAt(at, now);
    m_retryTimer = m_context.timers.at(at, [this] {
        m_retryTimer = EngineTimers::kNoTimer;
        beginAttempt();
    });
    setState(EndpointState::Waiting, cause(), tr("next attempt in %1").arg(formatDuration(wait)),
             QJsonObject{{u"next_attempt_ms"_qs, static_cast<double>(wait.count())}});
}

} // namespace kw
