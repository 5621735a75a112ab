#include "peerprocess.h"

#include <QDeadlineTimer>
#include <QTcpServer>

#include <signal.h>

namespace kw::test {

bool PeerProcess::start(const QString &program, const QStringList &arguments, const QByteArray &readyMarker,
                        QString *error, int timeoutMs)
{
    m_output.clear();
    m_process.setProgram(program);
    m_process.setArguments(arguments);
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start();
    if (!m_process.waitForStarted(5000)) {
        *error = program + QStringLiteral(": ") + m_process.errorString();
        return false;
    }
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && m_process.state() == QProcess::Running &&
           !m_output.contains(readyMarker)) {
        m_process.waitForReadyRead(50);
        m_output += m_process.readAll();
    }
    if (m_output.contains(readyMarker))
        return true;
    *error = program + QStringLiteral(" did not get ready; it printed: ") + QString::fromLocal8Bit(m_output);
    stop();
    return false;
}

void PeerProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    if (m_paused)
        resume();
    m_process.kill();
    m_process.waitForFinished(5000);
}

bool PeerProcess::pause()
{
    m_paused = ::kill(pid_t(m_process.processId()), SIGSTOP) == 0;
    return m_paused;
}

bool PeerProcess::resume()
{
    m_paused = false;
    return ::kill(pid_t(m_process.processId()), SIGCONT) == 0;
}

QByteArray PeerProcess::output()
{
    if (!m_paused) {
        m_process.waitForReadyRead(0);
        m_output += m_process.readAll();
    }
    return m_output;
}

bool PeerProcess::write(const QByteArray &bytes)
{
    if (m_process.write(bytes) != bytes.size())
        return false;
    // Not its result: waitForBytesWritten() is false when the bytes already left, which is no failure.
    m_process.waitForBytesWritten(1000);
    return true;
}

quint16 freeLoopbackPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

bool mustNotSkip()
{
    return qEnvironmentVariable("CI") == QStringLiteral("true");
}

} // namespace kw::test
