#include "loopbackpair.h"
#include "socketerror.h"

#include <QTest>

#include <fcntl.h>
#include <poll.h>

#include <cerrno>
#include <string>

using kw::net::ErrorContext;
using kw::net::TcpSnapshot;

Q_DECLARE_METATYPE(ErrorContext)

namespace {

TcpSnapshot withUnacked(std::uint32_t segments)
{
    TcpSnapshot snapshot;
    snapshot.unacked = segments;
    snapshot.probes = 0;
    return snapshot;
}

TcpSnapshot withProbes(std::uint32_t probes)
{
    TcpSnapshot snapshot;
    snapshot.unacked = 0;
    snapshot.probes = probes;
    return snapshot;
}

} // namespace

class TestSocketError : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void classify_data();
    void classify();
    void names_data();
    void names();
    void refusedOnClosedPort();
    void resetWhenPeerAbortsWithLingerZero();
    void noPendingErrorOnHealthySocket();
};

void TestSocketError::classify_data()
{
    QTest::addColumn<int>("error");
    QTest::addColumn<ErrorContext>("context");
    QTest::addColumn<QString>("cause");
    QTest::addColumn<QString>("detail");

    QTest::newRow("refused") << ECONNREFUSED << ErrorContext{.duringConnect = true}
                             << QStringLiteral("refused")
                             << QStringLiteral("ECONNREFUSED (111): Connection refused");
    QTest::newRow("host unreachable") << EHOSTUNREACH << ErrorContext{} << QStringLiteral("unreachable")
                                      << QStringLiteral("EHOSTUNREACH (113): No route to host");
    QTest::newRow("net unreachable") << ENETUNREACH << ErrorContext{.duringConnect = true}
                                     << QStringLiteral("unreachable") << QStringLiteral("while connecting");
    QTest::newRow("host down") << EHOSTDOWN << ErrorContext{} << QStringLiteral("unreachable")
                               << QStringLiteral("EHOSTDOWN");
    QTest::newRow("connect timeout") << ETIMEDOUT << ErrorContext{.keepaliveOn = true, .duringConnect = true}
                                     << QStringLiteral("connect-timeout")
                                     << QStringLiteral("ETIMEDOUT (110): Connection timed out");
    QTest::newRow("keepalive timeout, idle line")
        << ETIMEDOUT << ErrorContext{.keepaliveOn = true, .lastSnapshot = withProbes(3)}
        << QStringLiteral("keepalive-timeout")
        << QStringLiteral("ETIMEDOUT (110): Connection timed out; 3 keepalive probes unanswered");
    QTest::newRow("keepalive timeout, no snapshot")
        << ETIMEDOUT << ErrorContext{.keepaliveOn = true} << QStringLiteral("keepalive-timeout")
        << QStringLiteral("keepalive probes unanswered");
    QTest::newRow("keepalive + user timeout, idle line")
        << ETIMEDOUT
        << ErrorContext{.userTimeoutSet = true, .keepaliveOn = true, .lastSnapshot = withProbes(1)}
        << QStringLiteral("keepalive-timeout") << QStringLiteral("the user timeout decides");
    QTest::newRow("user timeout with data in flight")
        << ETIMEDOUT
        << ErrorContext{.userTimeoutSet = true, .keepaliveOn = true, .lastSnapshot = withUnacked(2)}
        << QStringLiteral("user-timeout")
        << QStringLiteral("2 segments unacknowledged longer than the user timeout");
    QTest::newRow("retransmission give-up without user timeout")
        << ETIMEDOUT << ErrorContext{.keepaliveOn = true, .lastSnapshot = withUnacked(4)}
        << QStringLiteral("unreachable")
        << QStringLiteral("retransmissions gave up with 4 segments unacknowledged");
    QTest::newRow("timeout, nothing known") << ETIMEDOUT << ErrorContext{} << QStringLiteral("unreachable")
                                            << QStringLiteral("stopped answering");
    QTest::newRow("reset") << ECONNRESET << ErrorContext{} << QStringLiteral("reset")
                           << QStringLiteral("ECONNRESET (104): Connection reset by peer");
    QTest::newRow("broken pipe") << EPIPE << ErrorContext{} << QStringLiteral("reset")
                                 << QStringLiteral("EPIPE");
    QTest::newRow("aborted with data in flight")
        << ECONNABORTED << ErrorContext{.userTimeoutSet = true, .lastSnapshot = withUnacked(1)}
        << QStringLiteral("user-timeout") << QStringLiteral("ECONNABORTED");
    QTest::newRow("eof") << 0 << ErrorContext{} << QStringLiteral("peer-closed")
                         << QStringLiteral("end of stream");
    // This machine, not the peer: the limit in force is named, and the fix.
    const kw::net::DescriptorLimit limit{true, 1024, 4096};
    QTest::newRow("out of descriptors")
        << EMFILE << ErrorContext{.duringConnect = true, .descriptorLimit = limit}
        << QStringLiteral("local-limit")
        << QStringLiteral("EMFILE (24): Too many open files; this process may hold 1024 descriptors "
                          "(RLIMIT_NOFILE soft 1024, hard 4096), the last 32 kept for the event log and Qt: "
                          "raise the limit: `ulimit -n`");
    QTest::newRow("out of descriptors, connection up")
        << EMFILE << ErrorContext{.keepaliveOn = true, .descriptorLimit = limit}
        << QStringLiteral("local-limit")
        << QStringLiteral("LimitNOFILE= in its systemd unit, or nofile in /etc/security/limits.conf");
    QTest::newRow("system file table full")
        << ENFILE << ErrorContext{.descriptorLimit = limit} << QStringLiteral("local-limit")
        << QStringLiteral("ENFILE (23): Too many open files in system; the whole system is out of open files "
                          "(fs.file-max), not only this process; this process may hold 1024 descriptors");
    QTest::newRow("no buffer space")
        << ENOBUFS << ErrorContext{.duringConnect = true, .descriptorLimit = limit}
        << QStringLiteral("local-limit")
        << QStringLiteral("ENOBUFS (105): No buffer space available; the kernel has no memory left for "
                          "another socket on this machine (not the peer); this process may hold 1024");
    QTest::newRow("no memory") << ENOMEM << ErrorContext{.descriptorLimit = limit}
                               << QStringLiteral("local-limit")
                               << QStringLiteral(
                                      "ENOMEM (12): Cannot allocate memory; the kernel has no memory");
    QTest::newRow("unlimited hard limit")
        << EMFILE
        << ErrorContext{.descriptorLimit = kw::net::DescriptorLimit{true, 64, kw::net::kUnlimitedDescriptors}}
        << QStringLiteral("local-limit") << QStringLiteral("(RLIMIT_NOFILE soft 64, hard unlimited)");
    QTest::newRow("this process's own limit")
        << EMFILE << ErrorContext{} << QStringLiteral("local-limit")
        << QStringLiteral("descriptors (RLIMIT_NOFILE soft %1, hard ").arg(kw::net::descriptorLimit().soft);
    QTest::newRow("other") << EADDRNOTAVAIL << ErrorContext{} << QStringLiteral("network")
                           << QStringLiteral("EADDRNOTAVAIL (99): Cannot assign requested address");
    QTest::newRow("unknown code") << 9999 << ErrorContext{} << QStringLiteral("network")
                                  << QStringLiteral("error 9999 (9999)");
}

void TestSocketError::classify()
{
    QFETCH(int, error);
    QFETCH(ErrorContext, context);
    QFETCH(QString, cause);
    QFETCH(QString, detail);
    const auto result = kw::net::classifySocketError(error, context);
    QCOMPARE(QString::fromStdString(result.cause.name()), cause);
    QVERIFY2(QString::fromStdString(result.detail).contains(detail), result.detail.c_str());
}

void TestSocketError::names_data()
{
    QTest::addColumn<int>("error");
    QTest::addColumn<QString>("name");
    QTest::newRow("reset") << ECONNRESET << QStringLiteral("ECONNRESET");
    QTest::newRow("timeout") << ETIMEDOUT << QStringLiteral("ETIMEDOUT");
    QTest::newRow("no proto opt") << ENOPROTOOPT << QStringLiteral("ENOPROTOOPT");
    QTest::newRow("unknown") << 4242 << QStringLiteral("error 4242");
}

void TestSocketError::names()
{
    QFETCH(int, error);
    QFETCH(QString, name);
    QCOMPARE(QString::fromStdString(kw::net::errorName(error)), name);
}

void TestSocketError::refusedOnClosedPort()
{
    // Bind a port, close it: nothing listens there now, so the kernel answers the SYN with RST.
    std::uint16_t port = 0;
    {
        kw::test::LoopbackPair pair;
        QVERIFY(pair.isValid());
        port = pair.port();
    }
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    QVERIFY(fd >= 0);
    QCOMPARE(::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK), 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    const int result = ::connect(fd, kw::test::asSockaddr(&address), sizeof address);
    QVERIFY(result != 0);
    if (errno == EINPROGRESS) {
        pollfd waiter{fd, POLLOUT, 0};
        QCOMPARE(::poll(&waiter, 1, 5000), 1);
    }
    const int error = result != 0 && errno != EINPROGRESS ? errno : kw::net::pendingSocketError(fd);
    ::close(fd);
    QCOMPARE(error, ECONNREFUSED);
    const auto classification = kw::net::classifySocketError(error, {.duringConnect = true});
    QCOMPARE(classification.cause.name(), std::string("refused"));
}

void TestSocketError::resetWhenPeerAbortsWithLingerZero()
{
    kw::test::LoopbackPair pair;
    QVERIFY(pair.isValid());
    // SO_LINGER with a zero timeout makes close() send RST instead of FIN.
    const linger abort{1, 0};
    const int server = pair.takeServer();
    QCOMPARE(::setsockopt(server, SOL_SOCKET, SO_LINGER, &abort, sizeof abort), 0);
    QCOMPARE(::close(server), 0);

    pollfd waiter{pair.client(), POLLIN, 0};
    QCOMPARE(::poll(&waiter, 1, 5000), 1);
    const int error = kw::net::pendingSocketError(pair.client());
    QCOMPARE(kw::net::errorName(error), std::string("ECONNRESET"));
    const auto classification = kw::net::classifySocketError(error, {.keepaliveOn = true});
    QCOMPARE(classification.cause.name(), std::string("reset"));
    QCOMPARE(classification.detail, std::string("ECONNRESET (104): Connection reset by peer"));
    QCOMPARE(kw::net::pendingSocketError(pair.client()), 0); // reading SO_ERROR clears it
}

void TestSocketError::noPendingErrorOnHealthySocket()
{
    kw::test::LoopbackPair pair;
    QVERIFY(pair.isValid());
    QCOMPARE(kw::net::pendingSocketError(pair.client()), 0);
    QCOMPARE(kw::net::pendingSocketError(-1), EBADF);
}

QTEST_GUILESS_MAIN(TestSocketError)
#include "tst_socketerror.moc"
