#pragma once

#include "backoff.h"
#include "enginetimers.h"
#include "session.h"
#include "sessioncontext.h"

#include <QDateTime>

namespace kw {

// The part of the lifecycle every kind of session shares: start() begins an attempt (or reports
// Disabled), stop() ends everything with cause "stopped", and a failed attempt goes Down with its
// cause, then Waiting with backoff until the next attempt.
//
// The first attempt after start() takes a slot from the engine's per-host spreader
// (SessionContext::firstConnects) for the configured host: when the slot is later than now the
// session is Connecting, queued, until then (the event's next_attempt_ms says how long). Listen
// endpoints connect nowhere and start at once. Retries after a failure go through the engine-wide
// spreader instead (scheduleRetry).
class RetryingSession : public Session
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RetryingSession)

public:
    ~RetryingSession() override;

    void start() final;
    void stop(const QString &reason) final;
    void fillSnapshot(EndpointSnapshot &snapshot) const override;

    QDateTime nextAttempt() const { return m_nextAttempt; }

protected:
    RetryingSession(SharedEndpointConfig config, SessionContext context, QObject *parent);

    // Begins one attempt (connect, bind); the state is Connecting when it returns or the attempt
    // already ended. Called with everything of the previous attempt torn down.
    virtual void attempt() = 0;
    // Ends the current attempt: sockets, timers, probes. Must be callable twice; subclasses call it
    // from their destructor too (a base destructor cannot).
    virtual void teardown() = 0;

    void beginAttempt();
    // Waiting, then beginAttempt() after the backoff delay. `spread`: through the engine-wide
    // spreader, so that many endpoints dropping at once do not reconnect at once.
    void scheduleRetry(bool spread);
    int attemptNumber() const { return m_attempt; }
    void noteSucceeded() { m_attempt = 0; }

    SessionContext m_context;
    Backoff m_backoff;

private:
    // The host the first connects of this endpoint are spread by; empty: none (kind listen).
    QString destinationHost() const;

    int m_attempt = 0;
    QDateTime m_nextAttempt;
    EngineTimers::TimerId m_retryTimer = EngineTimers::kNoTimer;
};

BackoffParams toBackoffParams(const ReconnectConfig &config);

} // namespace kw
