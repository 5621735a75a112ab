#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace kw::lab {

class LabTopology;

// A program running inside a lab namespace (`ip netns exec NS program ...`, which execs the program, so
// the process id is the program's own and signals such as SIGSTOP reach it directly). Standard output
// is collected line by line while the event loop runs (QTRY_* macros spin it). The destructor kills it.
class LabProcess : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LabProcess)

public:
    explicit LabProcess(QObject *parent = nullptr);
    ~LabProcess() override;

    bool start(const QString &ns, const QString &program, const QStringList &arguments, QString *error);
    // start(), then waits until a line of its standard output starts with `readyLine` (false with what it
    // wrote to standard error when it exits or 10 s pass first). For peers the lab did not write, such as
    // openssl s_server, which prints ACCEPT once it listens.
    bool startAndWaitFor(const QString &ns, const QString &program, const QStringList &arguments,
                         const QByteArray &readyLine, QString *error);
    // kw_labpeer in the peer namespace, listening on the peer address at `port` with `extra` options;
    // returns once it says it listens (false with the reason after 10 s).
    bool startPeer(const LabTopology &lab, quint16 port, const QStringList &extra, QString *error);
    bool isRunning() const { return m_process.state() == QProcess::Running; }
    qint64 pid() const { return m_process.processId(); }
    bool sendSignal(int signal);
    // SIGTERM, then SIGKILL when it has not exited within timeoutMs. True on a clean exit with code 0.
    bool stop(int timeoutMs = 10000);

    const QList<QByteArray> &lines() const { return m_lines; }
    bool hasLineStartingWith(const QByteArray &prefix) const;
    // kw_labpeer ends each line with its UTC time: the time of the first line starting with `prefix`
    // (invalid when there is none).
    QDateTime stampOf(const QByteArray &prefix) const;
    QByteArray errorOutput() const { return m_err; }

Q_SIGNALS:
    void lineRead(const QByteArray &line);

private:
    void readOutput();

    QProcess m_process;
    QByteArray m_partial;
    QList<QByteArray> m_lines;
    QByteArray m_err;
};

} // namespace kw::lab
