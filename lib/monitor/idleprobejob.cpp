#include "idleprobejob.h"

#include "idleprober.h"
#include "idleprobetext.h"

#include <QHostAddress>
#include <QHostInfo>
#include <QPointer>
#include <QThread>

#include <atomic>
#include <memory>

namespace kw {

// Runs on the job's thread: resolves the host (without blocking), drives the prober, posts lines and the
// outcome to the job (which outlives the thread: its destructor waits for it).
class IdleProbeWorker final : public QObject
{
    Q_DISABLE_COPY_MOVE(IdleProbeWorker)

public:
    IdleProbeWorker(IdleProbeJob *job, QString host, quint16 port, const IdleSearchOptions &options)
        : m_job(job), m_host(std::move(host)), m_port(port), m_options(options)
    {}

    std::atomic<bool> cancelRequested{false};

    void run()
    {
        QHostAddress address;
        if (address.setAddress(m_host)) {
            begin(address);
            return;
        }
        // Resolved without blocking this thread, so a cancel ends it at once.
        m_lookupId = QHostInfo::lookupHost(m_host, this, [this](const QHostInfo &info) {
            m_lookupId = -1;
            if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
                fail(ProbeIdle::tr("cannot resolve \"%1\" (%2): check the name, or give an address")
                         .arg(m_host, info.errorString()));
                return;
            }
            begin(info.addresses().constFirst());
        });
    }

    void begin(const QHostAddress &address)
    {
        if (cancelRequested) {
            stop();
            return;
        }
        m_prober = std::make_unique<IdleProber>(m_clock, address, m_port, m_options);
        IdleProber *prober = m_prober.get();
        post(ProbeIdle::introText(prober->target(), m_options));
        connect(prober, &IdleProber::probeStarted, this, [this, prober](int id, bool reused) {
            post(ProbeIdle::probeStartedText(prober->search(), id, reused));
        });
        connect(prober, &IdleProber::probeEnded, this,
                [this, prober](int id) { post(ProbeIdle::probeEndedText(prober->search(), id)); });
        connect(prober, &IdleProber::probeCancelled, this, [this, prober](int id) {
            if (prober->search().result().error.isEmpty()) // else the error says it all
                post(ProbeIdle::probeCancelledText(prober->search(), id));
        });
        connect(prober, &IdleProber::finished, this, [this, prober] {
            const IdleSearchResult result = prober->search().result();
            if (!result.error.isEmpty()) {
                fail(result.error);
                return;
            }
            QMetaObject::invokeMethod(
                m_job, [job = m_job, result] { job->m_result = result; }, Qt::QueuedConnection);
            stop();
        });
        prober->start();
    }

    // On this thread: closes every connection and ends the thread.
    void stop()
    {
        if (m_lookupId >= 0)
            QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
        // Possibly inside its own signal; deleted before the thread ends.
        if (m_prober)
            m_prober.release()->deleteLater();
        thread()->quit();
    }

private:
    void post(const QString &line)
    {
        if (line.isEmpty() || cancelRequested)
            return;
        QMetaObject::invokeMethod(
            m_job, [job = m_job, line] { Q_EMIT job->progress(line); }, Qt::QueuedConnection);
    }

    void fail(const QString &message)
    {
        QMetaObject::invokeMethod(
            m_job, [job = m_job, message] { job->m_error = message; }, Qt::QueuedConnection);
        stop();
    }

    IdleProbeJob *m_job;
    QString m_host;
    quint16 m_port;
    IdleSearchOptions m_options;
    SteadyClock m_clock;
    std::unique_ptr<IdleProber> m_prober;
    int m_lookupId = -1;
};

IdleProbeJob::IdleProbeJob(QObject *parent) : QObject(parent) {}

IdleProbeJob::~IdleProbeJob()
{
    cancel();
    join();
}

bool IdleProbeJob::start(const QString &host, quint16 port, const IdleSearchOptions &options, QString *error)
{
    if (m_thread) {
        *error = tr("a search is already running: wait for it or cancel it first");
        return false;
    }
    if (host.trimmed().isEmpty() || port == 0) {
        *error = tr("give the host and the port (1–65535) of the service to probe");
        return false;
    }
    const QStringList problems = validateIdleSearchOptions(options);
    if (!problems.isEmpty()) {
        *error = problems.join(u"; "_qs);
        return false;
    }
    m_cancelled = false;
    m_result.reset();
    m_error.clear();
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("kw-idle-probe"));
    m_worker = new IdleProbeWorker(this, host.trimmed(), port, options);
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::started, m_worker, [worker = m_worker] { worker->run(); });
    connect(m_thread, &QThread::finished, this, &IdleProbeJob::onThreadFinished, Qt::QueuedConnection);
    m_thread->start();
    return true;
}

void IdleProbeJob::cancel()
{
    if (!m_thread || m_cancelled)
        return;
    m_cancelled = true;
    m_worker->cancelRequested = true;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker] { worker->stop(); }, Qt::QueuedConnection);
}

void IdleProbeJob::join()
{
    if (!m_thread)
        return;
    m_thread->wait();
    delete m_worker; // its prober was deleted on its thread
    delete m_thread;
    m_worker = nullptr;
    m_thread = nullptr;
}

void IdleProbeJob::onThreadFinished()
{
    if (!m_thread)
        return;
    join();
    if (m_cancelled)
        Q_EMIT cancelled();
    else if (!m_error.isEmpty())
        Q_EMIT failed(m_error);
    else if (m_result)
        Q_EMIT finished(*m_result);
    else
        Q_EMIT failed(tr("the search stopped without a result: run it again"));
}

} // namespace kw
