#pragma once

#include "event.h"
#include "eventlog.h"

#include <QHash>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <utility>

class QThread;

namespace kw {

// Reads the event log on a thread of its own, so the window never waits on SQLite: the timeline's
// history, the fleet chart's counts, the log view's pages and exports all go through here. The
// reader has its own connection (EventLog is one per thread), opened at the first request; the
// engine keeps writing through its own, and WAL lets both work at once.
//
// Requests run one at a time in the order made. A request on a named channel supersedes the older
// ones on that channel: one not yet started is skipped, one running sees `cancelled` become true and
// its result is dropped. Results are delivered on the reader object's thread (the GUI thread), and
// only while `context` lives.
class HistoryReader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryReader)

public:
    // `dataDir` empty: there is no log; every request completes at once with an empty result and
    // the error "no event log".
    explicit HistoryReader(const QString &dataDir, QObject *parent = nullptr);
    // Cancels everything queued and waits for the request in progress.
    ~HistoryReader() override;

    QString dataDir() const { return m_dataDir; }
    bool hasLog() const { return !m_dataDir.isEmpty(); }

    template<typename Result>
    using Work =
        std::function<Result(const EventLog &log, const std::atomic_bool &cancelled, QString *error)>;
    template<typename Result>
    using Done = std::function<void(Result result, const QString &error)>;

    template<typename Result>
    void run(QObject *context, const QString &channel, Work<Result> work, Done<Result> done)
    {
        const std::shared_ptr<Ticket> ticket = issue(channel);
        auto result = std::make_shared<Result>();
        auto error = std::make_shared<QString>();
        submit(
            ticket,
            [work = std::move(work), result, error](const EventLog *log, const QString &openError,
                                                    const std::atomic_bool &cancelled) {
                if (log)
                    *result = work(*log, cancelled, error.get());
                else
                    *error = openError;
            },
            context, [done = std::move(done), result, error] { done(std::move(*result), *error); });
    }

    // The events `query` selects, oldest first (or newest first as it asks).
    void query(QObject *context, const QString &channel, const EventQuery &query, Done<QList<Event>> done);
    // How many events `query` selects; -1 on error.
    void count(QObject *context, const QString &channel, const EventQuery &query, Done<qint64> done);

    void cancel(const QString &channel);

    // Tests: blocks until every request made so far has run and been delivered, or `timeoutMs`.
    bool waitForIdle(int timeoutMs = 10'000);

private:
    struct Ticket
    {
        QString channel;
        quint64 serial = 0;
        std::atomic_bool cancelled{false};
    };
    // `log` null: it could not be opened, and `openError` says why.
    using Job =
        std::function<void(const EventLog *log, const QString &openError, const std::atomic_bool &cancelled)>;

    static QString noLogMessage();
    std::shared_ptr<Ticket> issue(const QString &channel);
    void submit(const std::shared_ptr<Ticket> &ticket, Job job, QObject *context,
                std::function<void()> deliver);
    bool current(const Ticket &ticket) const;

    class Worker;
    QString m_dataDir;
    QThread *m_thread = nullptr;
    Worker *m_worker = nullptr; // lives in m_thread
    mutable QMutex m_mutex;
    QHash<QString, std::shared_ptr<Ticket>> m_latest; // per channel
    quint64 m_nextSerial = 1;
    std::atomic_int m_pending{0};
};

} // namespace kw
