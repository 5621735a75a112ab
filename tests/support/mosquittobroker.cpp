#include "mosquittobroker.h"

#include "peerprocess.h"
#include "testpki.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QThread>

#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace kw::test {

namespace {

QString findTool(const QString &name)
{
    // Debian installs the broker in /usr/sbin, which is not in a normal user's PATH.
    const QString sbin = u"/usr/sbin/"_s + name;
    if (QFileInfo(sbin).isExecutable())
        return sbin;
    return QStandardPaths::findExecutable(name);
}

bool accepts(quint16 port)
{
    QTcpSocket probe;
    probe.connectToHost(QHostAddress::LocalHost, port);
    const bool connected = probe.waitForConnected(200);
    probe.abort();
    return connected;
}

// The broker drops root for the "mosquitto" account unless told to stay who started it; that
// account could not read the temporary folder, the password file or the key.
QByteArray currentUser()
{
    const passwd *entry = ::getpwuid(::geteuid());
    return entry ? QByteArray(entry->pw_name) : QByteArray("root");
}

} // namespace

MosquittoBroker::~MosquittoBroker()
{
    kill();
}

QString MosquittoBroker::program()
{
    return findTool(u"mosquitto"_s);
}

QString MosquittoBroker::passwdProgram()
{
    return findTool(u"mosquitto_passwd"_s);
}

bool MosquittoBroker::writePasswords(QString *error)
{
    const QString tool = passwdProgram();
    if (tool.isEmpty()) {
        *error = u"mosquitto_passwd is not installed (Debian: apt-get install mosquitto)"_s;
        return false;
    }
    const QString file = m_dir.filePath(u"passwords"_s);
    bool first = true;
    for (auto user = m_options.users.cbegin(); user != m_options.users.cend(); ++user) {
        QProcess passwd;
        passwd.setProcessChannelMode(QProcess::MergedChannels);
        QStringList arguments{u"-b"_s};
        if (first)
            arguments << u"-c"_s;
        arguments << file << user.key() << user.value();
        passwd.start(tool, arguments);
        if (!passwd.waitForFinished(10000) || passwd.exitStatus() != QProcess::NormalExit ||
            passwd.exitCode() != 0) {
            *error = u"mosquitto_passwd "_s + arguments.join(u' ') + u" failed: "_s +
                     QString::fromLocal8Bit(passwd.readAll()) + passwd.errorString();
            return false;
        }
        first = false;
    }
    return true;
}

bool MosquittoBroker::writeConfig(QString *error)
{
    const QByteArray dir = QFile::encodeName(m_dir.path());
    QByteArray text = "# One test run's broker: nothing kept, everything logged.\n"
                      "user " +
                      currentUser() +
                      "\n"
                      "persistence false\n"
                      "log_dest file " +
                      dir +
                      "/mosquitto.log\n"
                      "log_type all\n"
                      "log_timestamp_format %H:%M:%S\n"
                      "connection_messages true\n";
    if (m_options.users.isEmpty()) {
        text += "allow_anonymous true\n";
    } else {
        if (!writePasswords(error))
            return false;
        text += "allow_anonymous false\npassword_file " + dir + "/passwords\n";
    }
    if (m_options.maxKeepalive)
        text += "max_keepalive " + QByteArray::number(*m_options.maxKeepalive) + '\n';
    if (m_options.raisedLimits)
        text += "max_queued_messages 1000000\nmemory_limit 0\nset_tcp_nodelay true\n";

    // Listener options follow their `listener` line (mosquitto.conf(5)).
    text += "listener " + QByteArray::number(m_port) + " 127.0.0.1\nmax_connections -1\n";
    if (m_options.tls) {
        text += "listener " + QByteArray::number(m_tlsPort) + " 127.0.0.1\nmax_connections -1\n";
        text += "cafile " + QFile::encodeName(m_caFile) + '\n';
        text += "certfile " + QFile::encodeName(m_options.tls->file(u"mosquitto.pem"_s)) + '\n';
        text += "keyfile " + QFile::encodeName(m_options.tls->file(u"mosquitto.key"_s)) + '\n';
    }
    QFile file(configFile());
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size()) {
        *error = u"cannot write "_s + configFile() + u": "_s + file.errorString();
        return false;
    }
    return true;
}

bool MosquittoBroker::start(QString *error)
{
    if (program().isEmpty()) {
        *error = u"mosquitto is not installed (neither /usr/sbin/mosquitto nor in PATH; Debian: "
                 u"apt-get install mosquitto)"_s;
        return false;
    }
    if (!m_dir.isValid()) {
        *error = u"no temporary folder for the broker: "_s + m_dir.errorString();
        return false;
    }
    if (m_options.tls) {
        if (!m_options.tls->issueServer(u"mosquitto"_s, {u"DNS:localhost"_s, u"IP:127.0.0.1"_s}, error))
            return false;
        m_caFile = m_options.tls->file(u"ca.pem"_s);
    }
    // A port is free when chosen and bound by the broker a moment later: another process may take it
    // in between, so a start that fails for that is tried again on other ports.
    for (int attempt = 0; attempt < 5; ++attempt) {
        m_port = freeLoopbackPort();
        m_tlsPort = m_options.tls ? freeLoopbackPort() : 0;
        if (m_port == 0 || (m_options.tls && (m_tlsPort == 0 || m_tlsPort == m_port)))
            continue;
        if (!writeConfig(error))
            return false;
        if (launch(error))
            return true;
        if (!log().contains(u"Address already in use"_s))
            return false;
    }
    return false;
}

bool MosquittoBroker::restart(QString *error)
{
    if (m_port == 0) {
        *error = u"restart() before start()"_s;
        return false;
    }
    kill();
    // mosquitto binds with SO_REUSEADDR, so connections of the killed broker in TIME_WAIT do not
    // hold the port.
    return launch(error);
}

bool MosquittoBroker::launch(QString *error)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    // A test killed by its timeout must not leave a broker holding the port behind it.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    m_process.start(program(), {u"-c"_s, configFile()});
    if (!m_process.waitForStarted(5000)) {
        *error = program() + u": "_s + m_process.errorString();
        return false;
    }
    if (waitUntilAccepting(5s, error))
        return true;
    kill();
    return false;
}

bool MosquittoBroker::waitUntilAccepting(std::chrono::milliseconds timeout, QString *error)
{
    const QDeadlineTimer deadline(timeout);
    bool plain = false;
    bool tls = m_tlsPort == 0;
    while (!deadline.hasExpired() && m_process.state() == QProcess::Running) {
        plain = plain || accepts(m_port);
        tls = tls || accepts(m_tlsPort);
        if (plain && tls)
            return true;
        QThread::msleep(20);
    }
    const QString printed = QString::fromLocal8Bit(m_process.readAll());
    QString where = u"127.0.0.1:"_s + QString::number(m_port);
    if (m_tlsPort != 0)
        where += u" and :"_s + QString::number(m_tlsPort);
    const QString how = m_process.state() == QProcess::Running
                            ? u"within "_s + QString::number(timeout.count()) + u" ms"_s
                            : u"(it exited with "_s + QString::number(m_process.exitCode()) + u")"_s;
    *error = u"mosquitto did not accept on "_s + where + u' ' + how;
    if (!printed.isEmpty())
        *error += u"; it printed: "_s + printed;
    *error += u"; its log ends:\n"_s + logTail();
    return false;
}

void MosquittoBroker::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    if (m_paused)
        resume();
    m_process.terminate();
    if (!m_process.waitForFinished(5000))
        kill();
}

void MosquittoBroker::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    // SIGKILL ends a stopped process too; no SIGCONT first, so it cannot answer anything on the way.
    m_process.kill();
    m_process.waitForFinished(5000);
    m_paused = false;
}

bool MosquittoBroker::pause()
{
    if (m_process.state() != QProcess::Running)
        return false;
    m_paused = ::kill(pid_t(m_process.processId()), SIGSTOP) == 0;
    return m_paused;
}

bool MosquittoBroker::resume()
{
    if (m_process.state() != QProcess::Running)
        return false;
    m_paused = false;
    return ::kill(pid_t(m_process.processId()), SIGCONT) == 0;
}

QString MosquittoBroker::log() const
{
    QFile file(m_dir.filePath(u"mosquitto.log"_s));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLocal8Bit(file.readAll());
}

QString MosquittoBroker::logTail(int lines) const
{
    QStringList all = log().split(u'\n');
    if (!all.isEmpty() && all.constLast().isEmpty())
        all.removeLast();
    if (all.isEmpty())
        return u"(empty log)"_s;
    return all.mid(qMax(0, all.size() - lines)).join(u'\n');
}

} // namespace kw::test
