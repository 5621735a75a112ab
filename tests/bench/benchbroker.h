#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace kw::bench {

// The mosquitto of the MQTT benchmark: its own process on 127.0.0.1, a configuration written into a
// temporary folder (a free port, anonymous clients, no connection limit, no persistence, only errors
// and warnings logged) and an open-file limit raised for thousands of clients.
class BenchBroker final
{
public:
    explicit BenchBroker(QString program);
    BenchBroker(const BenchBroker &) = delete;
    BenchBroker &operator=(const BenchBroker &) = delete;
    ~BenchBroker();

    // Starts the broker and waits (up to 5 s) until it accepts. False with the reason and the
    // broker's last output.
    bool start(QString *error);
    void stop();

    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }
    QString program() const { return m_program; }
    // "2.0.11", from `mosquitto -h`; empty when it did not say.
    QString version() const;
    // The broker's RLIMIT_NOFILE (soft), from /proc/<pid>/limits; -1 when unknown.
    qint64 fileLimit() const;

private:
    QString m_program;
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

// Lets a child process hold `descriptors` sockets: the soft and hard RLIMIT_NOFILE are raised to it
// when this process may (CAP_SYS_RESOURCE), else the soft limit to the hard one. For
// QProcess::setChildProcessModifier(): only async-signal-safe calls.
void raiseChildFileLimit(unsigned long descriptors);

} // namespace kw::bench
