#include "historyreader.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QMutexLocker>
#include <QThread>

namespace kw {

// The reader thread's side: the log connection, opened at the first job and closed in the thread
// that opened it.
class HistoryReader::Worker final : public QObject
{
public:
    explicit Worker(QString dataDir) : m_dataDir(std::move(dataDir)) {}

    const EventLog *log(QString *error)
    {
        if (!m_log && !m_dataDir.isEmpty()) {
            m_log = EventLog::open(m_dataDir, &m_openError);
            if (m_log)
                m_openError.clear();
        }
        if (!m_log)
            *error = m_dataDir.isEmpty() ? HistoryReader::noLogMessage() : m_openError;
        return m_log.get();
    }

    void close() { m_log.reset(); }

private:
    QString m_dataDir;
    QString m_openError;
    std::unique_ptr<EventLog> m_log;
};

HistoryReader::HistoryReader(const QString &dataDir, QObject *parent) : QObject(parent), m_dataDir(dataDir)
{
    setObjectName(QStringLiteral("historyReader"));
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("keepwatch-history"));
    m_worker = new Worker(m_dataDir);
    m_worker->moveToThread(m_thread);
    // `finished` is emitted from the reader thread itself: the connection closes where it was opened.
    Worker *worker = m_worker;
    connect(
        m_thread, &QThread::finished, m_thread, [worker] { worker->close(); }, Qt::DirectConnection);
    m_thread->start(QThread::LowPriority);
}

HistoryReader::~HistoryReader()
{
    {
        QMutexLocker lock(&m_mutex);
        for (const std::shared_ptr<Ticket> &ticket : std::as_const(m_latest))
            ticket->cancelled = true;
        m_latest.clear();
        m_nextSerial = 0; // nothing issued before is current any more
    }
    m_thread->quit();
    m_thread->wait();
    delete m_worker;
}

QString HistoryReader::noLogMessage()
{
    return QCoreApplication::translate("kw::HistoryReader",
                                       "no event log (Keepwatch runs without a data directory)");
}

std::shared_ptr<HistoryReader::Ticket> HistoryReader::issue(const QString &channel)
{
    auto ticket = std::make_shared<Ticket>();
    ticket->channel = channel;
    QMutexLocker lock(&m_mutex);
    ticket->serial = m_nextSerial++;
    if (!channel.isEmpty()) {
        if (const std::shared_ptr<Ticket> older = m_latest.value(channel))
            older->cancelled = true;
        m_latest.insert(channel, ticket);
    }
    return ticket;
}

bool HistoryReader::current(const Ticket &ticket) const
{
    if (ticket.cancelled)
        return false;
    if (ticket.channel.isEmpty())
        return true;
    QMutexLocker lock(&m_mutex);
    const std::shared_ptr<Ticket> latest = m_latest.value(ticket.channel);
    return latest && latest->serial == ticket.serial;
}

void HistoryReader::cancel(const QString &channel)
{
    QMutexLocker lock(&m_mutex);
    if (const std::shared_ptr<Ticket> ticket = m_latest.take(channel))
        ticket->cancelled = true;
}

void HistoryReader::submit(const std::shared_ptr<Ticket> &ticket, Job job, QObject *context,
                           std::function<void()> deliver)
{
    ++m_pending;
    QPointer<QObject> guard(context);
    QMetaObject::invokeMethod(
        m_worker, [this, ticket, job = std::move(job), guard, deliver = std::move(deliver)]() mutable {
            if (current(*ticket)) {
                QString openError;
                const EventLog *log = m_worker->log(&openError);
                job(log, openError, ticket->cancelled);
            }
            // Back on the reader object's thread: deliver only what is still wanted, to whom is still there.
            QMetaObject::invokeMethod(this, [this, ticket, guard, deliver = std::move(deliver)] {
                if (guard && current(*ticket))
                    deliver();
                --m_pending;
            });
        });
}

void HistoryReader::query(QObject *context, const QString &channel, const EventQuery &query,
                          Done<QList<Event>> done)
{
    run<QList<Event>>(
        context, channel,
        [query](const EventLog &log, const std::atomic_bool &cancelled, QString *error) {
            QList<Event> events;
            log.forEach(
                query,
                [&](const Event &event) {
                    events.append(event);
                    return !cancelled.load();
                },
                error);
            return events;
        },
        std::move(done));
}

void HistoryReader::count(QObject *context, const QString &channel, const EventQuery &query,
                          Done<qint64> done)
{
    run<qint64>(
        context, channel,
        [query](const EventLog &log, const std::atomic_bool &, QString *error) {
            return log.count(query, error);
        },
        std::move(done));
}

bool HistoryReader::waitForIdle(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (m_pending.load() > 0) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(1);
    }
    return true;
}

} // namespace kw
