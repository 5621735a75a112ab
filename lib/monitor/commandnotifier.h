#pragma once

#include "alertnotifier.h"
#include "notifyjson.h"

#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QProcessEnvironment>
#include <QQueue>
#include <QTimer>

namespace kw {

// Runs a program for each alert (NotifierConfig::type "command"), without a shell: the program and
// its arguments as configured, the alert in KEEPWATCH_* environment variables (commandEnvironment(),
// docs/user-guide.md "Notifications"). One run at a time, in order, a bounded queue behind it; a run
// that outlives the timeout is killed. A failure to start, a non-zero exit or a kill is reported.
class CommandNotifier final : public QObject, public AlertNotifier
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CommandNotifier)

public:
    struct Options
    {
        int maxQueue = 100;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    };

    CommandNotifier(NotifierConfig config, Options options, QObject *parent = nullptr);
    ~CommandNotifier() override;

    void notify(const AlertNotice &notice) override;
    void notifySummary(const AlertSummary &summary) override;

    // `base` with the KEEPWATCH_* variables of one notice or summary.
    static QProcessEnvironment commandEnvironment(QProcessEnvironment base, const QString &notifier,
                                                  const AlertNotice &notice);
    static QProcessEnvironment commandEnvironment(QProcessEnvironment base, const QString &notifier,
                                                  const AlertSummary &summary);

    int pending() const { return int(m_queue.size()) + (m_process ? 1 : 0); }

Q_SIGNALS:
    void finished(int exitCode);
    void failed(const QString &message);

private:
    void enqueue(QProcessEnvironment environment);
    void startNext();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void fail(const QString &problem);

    NotifierConfig m_config;
    Options m_options;
    QQueue<QProcessEnvironment> m_queue;
    QPointer<QProcess> m_process;
    QTimer m_timeout;
    bool m_killed = false;
};

} // namespace kw
