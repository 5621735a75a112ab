#pragma once

#include "idlesearch.h"

#include <QObject>
#include <QString>

#include <optional>

class QThread;

namespace kw {

class IdleProbeWorker;

// An idle-timeout search (IdleProber, the same as `keepwatch probe-idle`) on a thread of its own, for the
// window: neither the GUI thread nor the engine's Monitor thread waits on its sockets or on resolving the
// host. Lives on the GUI thread; its signals arrive there, in this order: progress() lines, then exactly
// one of finished(), failed() or cancelled() once the thread has stopped.
//
// Destroying a running job cancels the search and waits for its thread, which closes its connections at
// once (a name being resolved is abandoned, not waited for).
class IdleProbeJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IdleProbeJob)

public:
    explicit IdleProbeJob(QObject *parent = nullptr);
    ~IdleProbeJob() override;

    // Starts a search of HOST:PORT (a name is resolved on the job's thread). False with one message per
    // bad option (validateIdleSearchOptions) or when a search runs already.
    bool start(const QString &host, quint16 port, const IdleSearchOptions &options, QString *error);
    // Stops a running search: its connections close and cancelled() follows. Nothing when idle.
    void cancel();
    bool isRunning() const { return m_thread != nullptr; }

Q_SIGNALS:
    // One line of what the command prints: the plan, each probe's gap and outcome with the bracket.
    void progress(const QString &line);
    void finished(const kw::IdleSearchResult &result);
    // The search could not run: the message names the target and the fix.
    void failed(const QString &message);
    void cancelled();

private:
    friend class IdleProbeWorker;
    void onThreadFinished();
    void join();

    QThread *m_thread = nullptr;
    IdleProbeWorker *m_worker = nullptr; // lives in m_thread
    bool m_cancelled = false;
    std::optional<IdleSearchResult> m_result;
    QString m_error;
};

} // namespace kw
