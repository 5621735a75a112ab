#pragma once

#include <QMap>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <chrono>
#include <optional>

namespace kw::test {

class TestPki;

// A real mosquitto broker for one test, on 127.0.0.1 with a configuration written into a temporary
// folder: no persistence, no connection limit, everything logged into a file the test can quote
// when it fails. Paused with SIGSTOP (the kernel still accepts and ACKs, nothing answers), killed
// with SIGKILL, and restarted on the same port(s) so a session's reconnect finds it again.
class MosquittoBroker
{
public:
    struct Options
    {
        // `max_keepalive N`: the longest keep alive the broker lets a client ask for.
        std::optional<int> maxKeepalive;
        // Name → password. Set: anonymous clients are refused and these are the only accounts.
        QMap<QString, QString> users;
        // Set (after TestPki::create()): a second listener speaks TLS with a certificate this CA signs
        // for localhost and 127.0.0.1 (issued as "mosquitto.pem" / ".key"); see tlsPort().
        TestPki *tls = nullptr;
        // For benchmarks: a large queue per client, no memory limit, TCP_NODELAY on every socket.
        bool raisedLimits = false;
    };

    MosquittoBroker() = default;
    explicit MosquittoBroker(Options options) : m_options(std::move(options)) {}
    MosquittoBroker(const MosquittoBroker &) = delete;
    MosquittoBroker &operator=(const MosquittoBroker &) = delete;
    ~MosquittoBroker();

    // /usr/sbin/mosquitto (where Debian puts it, outside a user's PATH) or mosquitto in PATH; empty
    // when it is not installed. The same for mosquitto_passwd.
    static QString program();
    static QString passwdProgram();

    // Writes the configuration, starts the broker on free ports and waits (up to 5 s) until every
    // listener accepts. False with the reason and the tail of the broker's log.
    bool start(QString *error);
    // SIGKILL, then the same configuration on the same port(s), waited for until it accepts.
    bool restart(QString *error);
    // SIGTERM, waited for: the broker closes its clients itself.
    void stop();
    // SIGKILL: every client connection ends at once, with nothing sent first.
    void kill();
    bool pause();  // SIGSTOP
    bool resume(); // SIGCONT
    bool isRunning() const { return m_process.state() == QProcess::Running; }

    quint16 port() const { return m_port; }
    quint16 tlsPort() const { return m_tlsPort; }
    qint64 pid() const { return m_process.processId(); }
    // The CA that signs the TLS listener's certificate (empty without Options::tls).
    QString caFile() const { return m_caFile; }
    QString configFile() const { return m_dir.filePath(QStringLiteral("mosquitto.conf")); }

    // What the broker logged so far, and its last lines for a failure message.
    QString log() const;
    QString logTail(int lines = 30) const;

private:
    bool writeConfig(QString *error);
    bool writePasswords(QString *error);
    bool launch(QString *error);
    bool waitUntilAccepting(std::chrono::milliseconds timeout, QString *error);

    Options m_options;
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    quint16 m_tlsPort = 0;
    QString m_caFile;
    bool m_paused = false;
};

} // namespace kw::test
