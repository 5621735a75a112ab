#include "resourcelimits.h"
#include "socketerror.h"
#include "socketio.h"

#include <QTest>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

using kw::net::DescriptorLimit;

namespace {

rlimit currentLimit()
{
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    return limit;
}

bool setSoftLimit(rlim_t soft)
{
    rlimit limit = currentLimit();
    limit.rlim_cur = soft;
    return ::setrlimit(RLIMIT_NOFILE, &limit) == 0;
}

// Every test starts and ends with the soft limit where the process found it.
class SoftLimitGuard
{
public:
    SoftLimitGuard() : m_saved(currentLimit()) {}
    ~SoftLimitGuard() { ::setrlimit(RLIMIT_NOFILE, &m_saved); }
    SoftLimitGuard(const SoftLimitGuard &) = delete;
    SoftLimitGuard &operator=(const SoftLimitGuard &) = delete;

private:
    rlimit m_saved;
};

int openDescriptors()
{
    int count = 0;
    for (int fd = 0; fd < 1024; ++fd)
        if (::fcntl(fd, F_GETFD) != -1)
            ++count;
    return count;
}

} // namespace

class TestResourceLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsTheProcessLimit();
    void raiseLiftsSoftToHard();
    void raiseAtHardLimitChangesNothing();
    void socketBeyondTheLimitIsLocalLimit();
    void exhaustionIsSeenWithoutAnErrno();
    void socketsLeaveTheReserve();
    void budget_data();
    void budget();
};

void TestResourceLimits::readsTheProcessLimit()
{
    const DescriptorLimit limit = kw::net::descriptorLimit();
    const rlimit expected = currentLimit();
    QVERIFY(limit.known);
    QCOMPARE(limit.soft, std::uint64_t(expected.rlim_cur));
    QCOMPARE(limit.hard, expected.rlim_max == RLIM_INFINITY ? kw::net::kUnlimitedDescriptors
                                                            : std::uint64_t(expected.rlim_max));
    QCOMPARE(QString::fromStdString(kw::net::describeDescriptorLimit({true, 1024, 4096})),
             QStringLiteral("this process may hold 1024 descriptors (RLIMIT_NOFILE soft 1024, hard 4096)"));
}

void TestResourceLimits::raiseLiftsSoftToHard()
{
    SoftLimitGuard guard;
    const rlimit start = currentLimit();
    if (start.rlim_max != RLIM_INFINITY && start.rlim_max <= 64)
        QFAIL("the hard open-file limit of this test is 64 or less; it cannot be lowered and raised back");
    QVERIFY2(openDescriptors() < 48, "the test process holds too many descriptors to lower its limit to 64");
    QVERIFY(setSoftLimit(64));
    QCOMPARE(currentLimit().rlim_cur, rlim_t(64));

    const kw::net::DescriptorLimitRaise raise = kw::net::raiseDescriptorLimit();

    const rlimit after = currentLimit();
    QVERIFY(raise.raised);
    QCOMPARE(raise.before.soft, std::uint64_t(64));
    QCOMPARE(raise.after.soft, std::uint64_t(after.rlim_cur));
    if (start.rlim_max != RLIM_INFINITY) {
        QCOMPARE(after.rlim_cur, start.rlim_max);
        QCOMPARE(raise.detail, "raised the open-file limit (RLIMIT_NOFILE) from 64 to " +
                                   std::to_string(start.rlim_max) + ", the hard limit");
    } else {
        // Unlimited hard: the kernel's ceiling (fs.nr_open), far above the default soft limit.
        QVERIFY(after.rlim_cur > 1024);
        QVERIFY2(raise.detail.starts_with("raised the open-file limit (RLIMIT_NOFILE) from 64 to "),
                 raise.detail.c_str());
    }
    QCOMPARE(after.rlim_max, start.rlim_max); // the hard limit is never touched
}

void TestResourceLimits::raiseAtHardLimitChangesNothing()
{
    SoftLimitGuard guard;
    kw::net::raiseDescriptorLimit();
    const rlimit before = currentLimit();
    const kw::net::DescriptorLimitRaise again = kw::net::raiseDescriptorLimit();
    QVERIFY(!again.raised);
    QCOMPARE(currentLimit().rlim_cur, before.rlim_cur);
    QVERIFY2(again.detail.starts_with("the open-file limit (RLIMIT_NOFILE) is already "),
             again.detail.c_str());
}

void TestResourceLimits::socketBeyondTheLimitIsLocalLimit()
{
    // A real socket() past the soft limit: the errno the connect path sees, and the cause it becomes.
    SoftLimitGuard guard;
    const int soft = openDescriptors() + 4;
    QVERIFY(setSoftLimit(rlim_t(soft)));
    std::vector<kw::net::NativeSocket> sockets;
    kw::net::ConnectStart start;
    for (int i = 0; i < 16; ++i) {
        start = kw::net::startConnect("127.0.0.1", 9);
        if (start.socket == kw::net::kInvalidSocket)
            break;
        sockets.push_back(start.socket);
    }
    const int error = start.error;
    const kw::net::Classification classification =
        kw::net::classifySocketError(error, {.duringConnect = true});
    for (kw::net::NativeSocket socket : sockets)
        kw::net::closeSocket(socket);
    QCOMPARE(start.socket, kw::net::kInvalidSocket);
    QCOMPARE(kw::net::errorName(error), std::string("EMFILE"));
    QCOMPARE(classification.cause.name(), std::string("local-limit"));
    const std::string expected = "this process may hold " + std::to_string(soft) +
                                 " descriptors (RLIMIT_NOFILE soft " + std::to_string(soft) + ", hard ";
    QVERIFY2(classification.detail.find(expected) != std::string::npos, classification.detail.c_str());
}

void TestResourceLimits::exhaustionIsSeenWithoutAnErrno()
{
    SoftLimitGuard guard;
    QVERIFY(!kw::net::descriptorsExhausted());
    QVERIFY(setSoftLimit(rlim_t(openDescriptors() + 4)));
    std::vector<int> held;
    for (int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC); fd >= 0 && held.size() < 16;
         fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC))
        held.push_back(fd);
    const bool exhausted = kw::net::descriptorsExhausted();
    for (int fd : held)
        ::close(fd);
    QVERIFY(exhausted);
    QVERIFY(!kw::net::descriptorsExhausted()); // the probe holds nothing
}

void TestResourceLimits::socketsLeaveTheReserve()
{
    // Outbound sockets stop short of the limit, so that SQLite, Qt and GLib still get a descriptor.
    SoftLimitGuard guard;
    const int soft = openDescriptors() + 48;
    QVERIFY(setSoftLimit(rlim_t(soft)));
    std::vector<kw::net::NativeSocket> sockets;
    kw::net::ConnectStart start;
    for (int i = 0; i < 64; ++i) {
        start = kw::net::startConnect("127.0.0.1", 9);
        if (start.socket == kw::net::kInvalidSocket)
            break;
        sockets.push_back(start.socket);
    }
    std::vector<int> others;
    for (int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC); fd >= 0 && others.size() < 64;
         fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC))
        others.push_back(fd);
    for (int fd : others)
        ::close(fd);
    for (kw::net::NativeSocket socket : sockets)
        kw::net::closeSocket(socket);
    QCOMPARE(kw::net::errorName(start.error), std::string("EMFILE"));
    QVERIFY2(!sockets.empty(), "no socket at all below the reserve");
    QVERIFY2(others.size() >= kw::net::kReservedDescriptors,
             qPrintable(u"%1 descriptors left after the sockets, %2 reserved"_qs.arg(others.size())
                            .arg(kw::net::kReservedDescriptors)));
}

void TestResourceLimits::budget_data()
{
    QTest::addColumn<int>("outbound");
    QTest::addColumn<int>("listen");
    QTest::addColumn<int>("needed");
    using Budget = kw::net::DescriptorBudget;
    QTest::newRow("empty") << 0 << 0 << int(Budget::kFixedDescriptors);
    QTest::newRow("3000 outbound") << 3000 << 0 << int(Budget::kFixedDescriptors + 3000);
    QTest::newRow("listeners hold peers")
        << 10 << 2 << int(Budget::kFixedDescriptors + 10 + 2 * (1 + Budget::kListenPeerShare));
}

void TestResourceLimits::budget()
{
    QFETCH(int, outbound);
    QFETCH(int, listen);
    QFETCH(int, needed);
    const kw::net::DescriptorBudget budget{std::uint64_t(outbound), std::uint64_t(listen)};
    QCOMPARE(budget.needed(), std::uint64_t(needed));
}

QTEST_GUILESS_MAIN(TestResourceLimits)
#include "tst_resourcelimits.moc"
