#include "labprocess.h"

#include "keepwatchrun.h"
#include "labtopology.h"

#include <QCoreApplication>
#include <QDeadlineTimer>

#include <signal.h>

using namespace Qt::StringLiterals;

namespace kw::lab {

LabProcess::LabProcess(QObject *parent) : QObject(parent)
{
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &LabProcess::readOutput);
    connect(&m_process, &QProcess::readyReadStandardError, this,
            [this] { m_err += m_process.readAllStandardError(); });
}

LabProcess::~LabProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        // A stopped process still dies of SIGKILL; SIGCONT first lets a SIGTERM-ed one finish cleanly too.
        ::kill(static_cast<pid_t>(m_process.processId()), SIGCONT);
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool LabProcess::start(const QString &ns, const QString &program, const QStringList &arguments,
                       QString *error)
{
    m_process.start(u"ip"_s, LabTopology::execIn(ns, program, arguments));
    if (!m_process.waitForStarted(10000)) {
        *error = u"cannot start "_s + program + u" in namespace "_s + ns + u": "_s + m_process.errorString();
        return false;
    }
    return true;
}

bool LabProcess::startAndWaitFor(const QString &ns, const QString &program, const QStringList &arguments,
                                 const QByteArray &readyLine, QString *error)
{
    if (!start(ns, program, arguments, error))
        return false;
    QDeadlineTimer deadline(10000);
    while (!hasLineStartingWith(readyLine) && !deadline.hasExpired() && isRunning())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    readOutput();
    if (hasLineStartingWith(readyLine))
        return true;
    *error = program + u" in namespace "_s + ns + u" did not print \""_s + QString::fromUtf8(readyLine) +
             (isRunning() ? u"\" within 10 s: "_s : u"\" before it exited: "_s) +
             QString::fromUtf8(m_err + m_process.readAllStandardError());
    return false;
}

bool LabProcess::startPeer(const LabTopology &lab, quint16 port, const QStringList &extra, QString *error)
{
    const QString listen = lab.peerAddress() + u':' + QString::number(port);
    if (startAndWaitFor(lab.peerNamespace(), labPeerBinary(), QStringList{u"--listen"_s, listen} + extra,
                        "listening", error))
        return true;
    *error = u"kw_labpeer did not start listening on "_s + listen + u": "_s + *error;
    return false;
}

bool LabProcess::sendSignal(int signal)
{
    return m_process.state() == QProcess::Running &&
           ::kill(static_cast<pid_t>(m_process.processId()), signal) == 0;
}

bool LabProcess::stop(int timeoutMs)
{
    if (m_process.state() == QProcess::NotRunning)
        return m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
    ::kill(static_cast<pid_t>(m_process.processId()), SIGCONT);
    m_process.terminate();
    if (!m_process.waitForFinished(timeoutMs)) {
        m_process.kill();
        m_process.waitForFinished(5000);
        readOutput();
        return false;
    }
    readOutput();
    m_err += m_process.readAllStandardError();
    return m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
}

bool LabProcess::hasLineStartingWith(const QByteArray &prefix) const
{
    for (const QByteArray &line : m_lines) {
        if (line.startsWith(prefix))
            return true;
    }
    return false;
}

QDateTime LabProcess::stampOf(const QByteArray &prefix) const
{
    for (const QByteArray &line : m_lines) {
        if (line.startsWith(prefix)) {
            const QString stamp = QString::fromLatin1(line.mid(line.lastIndexOf(' ') + 1));
            return QDateTime::fromString(stamp, Qt::ISODateWithMs);
        }
    }
    return {};
}

void LabProcess::readOutput()
{
    m_partial += m_process.readAllStandardOutput();
    qsizetype newline;
    while ((newline = m_partial.indexOf('\n')) >= 0) {
        const QByteArray line = m_partial.left(newline);
        m_partial.remove(0, newline + 1);
        m_lines.append(line);
        Q_EMIT lineRead(line);
    }
}

} // namespace kw::lab
