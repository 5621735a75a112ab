#include "benchbroker.h"

#include <QFile>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <chrono>

#include <sys/resource.h>

namespace kw::bench {

using namespace std::chrono;

namespace {

// Thousands of sessions, each one socket, and room for a second holder that lingers while the
// first one's connections close.
constexpr unsigned long kBrokerDescriptors = 65536;

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

} // namespace

void raiseChildFileLimit(unsigned long descriptors)
{
    rlimit limit{descriptors, descriptors};
    if (::setrlimit(RLIMIT_NOFILE, &limit) == 0)
        return;
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

BenchBroker::BenchBroker(QString program) : m_program(std::move(program))
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setChildProcessModifier([] { raiseChildFileLimit(kBrokerDescriptors); });
}

BenchBroker::~BenchBroker()
{
    stop();
}

bool BenchBroker::start(QString *error)
{
    if (!m_dir.isValid()) {
        *error = u"cannot create a temporary folder for the broker's configuration"_qs;
        return false;
    }
    m_port = freePort();
    if (m_port == 0) {
        *error = u"no free port on 127.0.0.1 for the broker"_qs;
        return false;
    }
    // mosquitto.conf(5). max_queued_messages: QoS 0 messages to a subscriber that reads late are
    // queued rather than dropped at the default 1,000, so a device is never silent because of the
    // broker. connection_messages false: 5,000 connects would otherwise be 5,000 log lines.
    const QString config = m_dir.filePath(u"mosquitto.conf"_qs);
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = config + u": cannot write the broker's configuration: "_qs + file.errorString();
        return false;
    }
    file.write("listener " + QByteArray::number(m_port) +
               " 127.0.0.1\n"
               "allow_anonymous true\n"
               "max_connections -1\n"
               "persistence false\n"
               "max_queued_messages 100000\n"
               "set_tcp_nodelay true\n"
               "connection_messages false\n"
               "log_dest stdout\n"
               "log_type error\n"
               "log_type warning\n");
    file.close();

    m_process.start(m_program, {u"-c"_qs, config});
    if (!m_process.waitForStarted(5000)) {
        *error = m_program + u": cannot start the broker: "_qs + m_process.errorString();
        return false;
    }
    const steady_clock::time_point deadline = steady_clock::now() + seconds(5);
    while (steady_clock::now() < deadline) {
        if (m_process.state() == QProcess::NotRunning)
            break;
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        if (socket.waitForConnected(200))
            return true;
        QThread::msleep(50);
    }
    m_process.waitForReadyRead(100);
    *error = m_program + u": the broker does not accept on 127.0.0.1:"_qs + QString::number(m_port) +
             u"; it said: "_qs + QString::fromUtf8(m_process.readAll().trimmed());
    return false;
}

void BenchBroker::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(10000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString BenchBroker::version() const
{
    QProcess help;
    help.setProcessChannelMode(QProcess::MergedChannels);
    help.start(m_program, {u"-h"_qs});
    help.waitForFinished(5000);
    // "mosquitto version 2.0.11"
    const QList<QByteArray> words = help.readAll().split('\n').value(0).trimmed().split(' ');
    return words.size() >= 3 && words.at(1) == "version" ? QString::fromUtf8(words.at(2)) : QString();
}

qint64 BenchBroker::fileLimit() const
{
    QFile limits(u"/proc/%1/limits"_qs.arg(m_process.processId()));
    if (!limits.open(QIODevice::ReadOnly))
        return -1;
    // "Max open files            65536                65536                files"
    for (const QByteArray &line : limits.readAll().split('\n')) {
        if (line.startsWith("Max open files"))
            return line.mid(14).simplified().split(' ').value(0).toLongLong();
    }
    return -1;
}

} // namespace kw::bench
