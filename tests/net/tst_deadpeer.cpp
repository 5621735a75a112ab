// End-to-end causes on a real dead peer: the connection runs in a private network namespace whose
// loopback drops the peer's packets (nftables), so the kernel's own timers decide and nothing else on
// the machine is affected. Needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN) and nft; skipped otherwise.
#include "keepalive.h"
#include "loopbackpair.h"
#include "prerequisite.h"
#include "socketerror.h"
#include "tcpsnapshot.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cstring>

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

bool bringLoopbackUp(QString *error)
{
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    ifreq request{};
    std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
    bool ok = fd >= 0 && ::ioctl(fd, SIOCGIFFLAGS, &request) == 0;
    request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP);
    ok = ok && ::ioctl(fd, SIOCSIFFLAGS, &request) == 0;
    if (!ok)
        *error = QString::fromUtf8(std::strerror(errno));
    if (fd >= 0)
        ::close(fd);
    return ok;
}

bool runNft(const QString &script, QString *error)
{
    QProcess nft;
    nft.start(u"nft"_s, {u"-f"_s, u"-"_s});
    nft.write(script.toUtf8());
    nft.closeWriteChannel();
    if (!nft.waitForFinished(10000) || nft.exitStatus() != QProcess::NormalExit || nft.exitCode() != 0) {
        *error = QString::fromUtf8(nft.readAllStandardError());
        return false;
    }
    return true;
}

// Blackholes the connection both ways, as a dead host or a cut cable would.
bool blackhole(std::uint16_t port, QString *error)
{
    return runNft(u"table inet kwdeadpeer {\n"
                  "  chain input { type filter hook input priority 0; policy accept;\n"
                  "    tcp sport %1 drop\n    tcp dport %1 drop\n  }\n}\n"_s.arg(port),
                  error);
}

struct Outcome
{
    bool failed = false;
    int error = 0;
    std::optional<kw::net::TcpSnapshot> lastSnapshot;
};

// Waits for the kernel to fail the socket, keeping the last TCP_INFO sample from before the failure the
// way the session layer's poll does. Idempotent: QTRY_VERIFY evaluates it once more after success, and
// SO_ERROR is cleared by the first read.
bool waitForFailure(int fd, Outcome &outcome)
{
    if (outcome.failed)
        return true;
    pollfd waiter{fd, POLLIN, 0};
    if (::poll(&waiter, 1, 0) > 0 && (waiter.revents & (POLLERR | POLLHUP | POLLIN))) {
        outcome.error = kw::net::pendingSocketError(fd);
        outcome.failed = true;
        return true;
    }
    if (auto snapshot = kw::net::readTcpSnapshot(fd); snapshot && snapshot->stateName == "ESTABLISHED")
        outcome.lastSnapshot = snapshot;
    return false;
}

} // namespace

class TestDeadPeer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void silentPeerIsKeepaliveTimeout();
    void unackedDataIsUserTimeout();
    void keepaliveDoesNotProbeWhileDataIsUnacknowledged();
};

void TestDeadPeer::initTestCase()
{
    if (::geteuid() != 0)
        KW_SKIP_OR_FAIL_UNDER_CI("needs root for a private network namespace and nftables");
    if (QStandardPaths::findExecutable(u"nft"_s).isEmpty())
        KW_SKIP_OR_FAIL_UNDER_CI("nft (nftables) not installed");
    // Only this thread (the one that makes every socket and starts nft) moves to the new namespace.
    if (::unshare(CLONE_NEWNET) != 0)
        KW_SKIP_OR_FAIL_UNDER_CI(QByteArray("cannot create a network namespace: ") + std::strerror(errno));
    QString error;
    QVERIFY2(bringLoopbackUp(&error), qPrintable(error));
}

void TestDeadPeer::cleanup()
{
    QString error;
    runNft(u"delete table inet kwdeadpeer\n"_s, &error);
}

void TestDeadPeer::silentPeerIsKeepaliveTimeout()
{
    kw::test::LoopbackPair pair;
    QVERIFY(pair.isValid());
    const auto report =
        kw::net::applyKeepalive(pair.client(), {.enabled = true, .idle = 1s, .interval = 1s, .count = 2});
    QVERIFY2(report.allApplied(), report.summary().c_str());
    QString error;
    QVERIFY2(blackhole(pair.port(), &error), qPrintable(error));

    Outcome outcome;
    QTRY_VERIFY_WITH_TIMEOUT(waitForFailure(pair.client(), outcome), 20000);
    QCOMPARE(QString::fromStdString(kw::net::errorName(outcome.error)), u"ETIMEDOUT"_s);
    const auto classification = kw::net::classifySocketError(
        outcome.error, {.keepaliveOn = true, .lastSnapshot = outcome.lastSnapshot});
    QCOMPARE(QString::fromStdString(classification.cause.name()), u"keepalive-timeout"_s);
    QVERIFY2(classification.detail.find("keepalive probes unanswered") != std::string::npos,
             classification.detail.c_str());
}

void TestDeadPeer::unackedDataIsUserTimeout()
{
    kw::test::LoopbackPair pair;
    QVERIFY(pair.isValid());
    // Keepalive would only fire after 60 s: the user timeout must be what ends this connection.
    const auto report =
        kw::net::applyKeepalive(pair.client(), {.enabled = true, .idle = 60s, .userTimeout = 2000ms});
    QVERIFY2(report.allApplied(), report.summary().c_str());
    QString error;
    QVERIFY2(blackhole(pair.port(), &error), qPrintable(error));
    const char heartbeat[] = "heartbeat\n";
    QCOMPARE(::send(pair.client(), heartbeat, sizeof heartbeat, 0), ssize_t(sizeof heartbeat));

    Outcome outcome;
    QTRY_VERIFY_WITH_TIMEOUT(waitForFailure(pair.client(), outcome), 20000);
    QCOMPARE(QString::fromStdString(kw::net::errorName(outcome.error)), u"ETIMEDOUT"_s);
    QVERIFY(outcome.lastSnapshot);
    QVERIFY(outcome.lastSnapshot->hasDataInFlight());
    const auto classification = kw::net::classifySocketError(
        outcome.error, {.userTimeoutSet = true, .keepaliveOn = true, .lastSnapshot = outcome.lastSnapshot});
    QCOMPARE(QString::fromStdString(classification.cause.name()), u"user-timeout"_s);
}

void TestDeadPeer::keepaliveDoesNotProbeWhileDataIsUnacknowledged()
{
    kw::test::LoopbackPair pair;
    QVERIFY(pair.isValid());
    // Keepalive alone would declare this peer dead after 1 + 1 x 2 = 3 s.
    QVERIFY(kw::net::applyKeepalive(pair.client(), {.enabled = true, .idle = 1s, .interval = 1s, .count = 2})
                .allApplied());
    QString error;
    QVERIFY2(blackhole(pair.port(), &error), qPrintable(error));
    const char heartbeat[] = "heartbeat\n";
    QCOMPARE(::send(pair.client(), heartbeat, sizeof heartbeat, 0), ssize_t(sizeof heartbeat));

    // Proving that something does not happen needs the time to pass: twice the keepalive bound.
    QTest::qWait(6000);
    const auto snapshot = kw::net::readTcpSnapshot(pair.client());
    QVERIFY(snapshot);
    QCOMPARE(snapshot->stateName, std::optional<std::string>("ESTABLISHED"));
    QCOMPARE(kw::net::pendingSocketError(pair.client()), 0);
    QVERIFY(snapshot->hasDataInFlight());
    QCOMPARE(snapshot->probes, std::optional<std::uint32_t>(0));
    QVERIFY(snapshot->retransmits.value_or(0) > 0);
}

QTEST_GUILESS_MAIN(TestDeadPeer)
#include "tst_deadpeer.moc"
