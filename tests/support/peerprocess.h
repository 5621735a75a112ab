#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace kw::test {

// A peer program nobody here wrote (openssl s_server, a Qt WebSockets server, python3 -m
// http.server), run for one test: started, waited for until it says it listens, paused with SIGSTOP
// (its kernel keeps ACKing, its process answers nothing) and killed at the end.
class PeerProcess
{
public:
    PeerProcess() = default;
    PeerProcess(const PeerProcess &) = delete;
    PeerProcess &operator=(const PeerProcess &) = delete;
    ~PeerProcess() { stop(); }

    // Starts `program` and waits until its output contains `readyMarker`. False with what it printed.
    bool start(const QString &program, const QStringList &arguments, const QByteArray &readyMarker,
               QString *error, int timeoutMs = 10000);
    void stop();
    bool pause();  // SIGSTOP
    bool resume(); // SIGCONT
    // Everything it printed so far (standard output and error, merged).
    QByteArray output();
    // Lines on its standard input, such as openssl s_server's commands ("r" renegotiate, "k" key update).
    bool write(const QByteArray &bytes);

private:
    QProcess m_process;
    QByteArray m_output;
    bool m_paused = false;
};

// A loopback port nothing listens on right now.
quint16 freeLoopbackPort();

// Whether a test that needs `what` must fail instead of skip: under CI=true a missing prerequisite
// is a broken machine, and a skipped test proves nothing.
bool mustNotSkip();

} // namespace kw::test
