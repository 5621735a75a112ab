#include "systemdefaults.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using kw::net::SourcedValue;
using kw::net::SystemDefaults;
using kw::net::TcpKeepaliveSettings;

Q_DECLARE_METATYPE(TcpKeepaliveSettings)
Q_DECLARE_METATYPE(std::vector<std::string>)

namespace {

std::optional<long long> readNumber(const std::string &path)
{
    std::ifstream file(path);
    long long value = 0;
    if (file >> value)
        return value;
    return std::nullopt;
}

void writeFile(const std::filesystem::path &path, const std::string &text)
{
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
}

SourcedValue sourced(long long value, const char *unit)
{
    return {value, unit, "test", false};
}

SystemDefaults linuxDefaults()
{
    SystemDefaults defaults;
    defaults.platform = kw::net::kPlatformLinux;
    defaults.keepaliveTime = sourced(7200, "s");
    defaults.keepaliveInterval = sourced(75, "s");
    defaults.keepaliveProbes = sourced(9, "");
    return defaults;
}

SystemDefaults windowsDefaults()
{
    SystemDefaults defaults;
    defaults.platform = kw::net::kPlatformWindows;
    defaults.keepaliveTime = sourced(7200000, "ms");
    defaults.keepaliveInterval = sourced(1000, "ms");
    defaults.keepaliveProbes = sourced(10, "");
    return defaults;
}

SystemDefaults macDefaults()
{
    SystemDefaults defaults;
    defaults.platform = kw::net::kPlatformMacOs;
    defaults.keepaliveTime = sourced(7200000, "ms");
    defaults.keepaliveInterval = sourced(75000, "ms");
    defaults.keepaliveProbes = sourced(8, "");
    return defaults;
}

} // namespace

class TestSystemDefaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsProcWithSources();
    void fakeProcTreeValuesAndOsDefaultFlag();
    void unreadableProcFallsBackToKernelDefaults();
    void durationHonoursUnit();
    void adminCommands_data();
    void adminCommands();
    void adminCommandsEmptyForInvalidSettings();
};

void TestSystemDefaults::readsProcWithSources()
{
    const SystemDefaults defaults = kw::net::readSystemDefaults();
    QCOMPARE(defaults.platform, std::string("Linux"));
    const std::pair<const SourcedValue *, std::string> rows[] = {
        {&defaults.keepaliveTime, "/proc/sys/net/ipv4/tcp_keepalive_time"},
        {&defaults.keepaliveInterval, "/proc/sys/net/ipv4/tcp_keepalive_intvl"},
        {&defaults.keepaliveProbes, "/proc/sys/net/ipv4/tcp_keepalive_probes"},
        {&defaults.retransmitGiveUp, "/proc/sys/net/ipv4/tcp_retries2"},
    };
    for (const auto &[value, path] : rows) {
        QCOMPARE(value->source, path);
        QCOMPARE(value->value, readNumber(path));
    }
    QCOMPARE(defaults.keepaliveTime.unit, std::string("s"));
    QCOMPARE(defaults.keepaliveProbes.unit, std::string(""));
    const std::string conntrack = "/proc/sys/net/netfilter/nf_conntrack_tcp_timeout_established";
    QCOMPARE(defaults.conntrackEstablished.value, readNumber(conntrack));
    QCOMPARE(defaults.conntrackEstablished.source.find(conntrack) != std::string::npos, true);
}

void TestSystemDefaults::fakeProcTreeValuesAndOsDefaultFlag()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::filesystem::path root = dir.path().toStdString();
    writeFile(root / "net/ipv4/tcp_keepalive_time", "600\n");
    writeFile(root / "net/ipv4/tcp_keepalive_intvl", "75\n");
    writeFile(root / "net/ipv4/tcp_keepalive_probes", "9\n");
    writeFile(root / "net/ipv4/tcp_retries2", "8\n");
    writeFile(root / "net/netfilter/nf_conntrack_tcp_timeout_established", "300\n");

    const SystemDefaults defaults = kw::net::readLinuxSystemDefaults(root);
    QCOMPARE(defaults.keepaliveTime.value, std::optional<long long>(600));
    QVERIFY(!defaults.keepaliveTime.isOsDefault);
    QCOMPARE(defaults.keepaliveTime.source, (root / "net/ipv4/tcp_keepalive_time").string());
    QCOMPARE(defaults.keepaliveInterval.value, std::optional<long long>(75));
    QVERIFY(defaults.keepaliveInterval.isOsDefault);
    QCOMPARE(defaults.retransmitGiveUp.value, std::optional<long long>(8));
    QVERIFY(!defaults.retransmitGiveUp.isOsDefault);
    QCOMPARE(defaults.conntrackEstablished.value, std::optional<long long>(300));
    QCOMPARE(defaults.conntrackEstablished.duration(), std::optional<std::chrono::milliseconds>(300s));
}

void TestSystemDefaults::unreadableProcFallsBackToKernelDefaults()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const SystemDefaults defaults = kw::net::readLinuxSystemDefaults(dir.path().toStdString());
    QCOMPARE(defaults.keepaliveTime.value, std::optional<long long>(7200));
    QVERIFY(defaults.keepaliveTime.isOsDefault);
    QVERIFY(defaults.keepaliveTime.source.rfind("unreadable ", 0) == 0);
    QVERIFY(defaults.keepaliveTime.source.find("kernel default 7200") != std::string::npos);
    QCOMPARE(defaults.retransmitGiveUp.value, std::optional<long long>(15));
    // conntrack has no value to assume: it is absent, and says why.
    QVERIFY(!defaults.conntrackEstablished.value);
    QVERIFY(defaults.conntrackEstablished.source.find("nf_conntrack not loaded") != std::string::npos);
}

void TestSystemDefaults::durationHonoursUnit()
{
    QCOMPARE(sourced(75, "s").duration(), std::optional<std::chrono::milliseconds>(75s));
    QCOMPARE(sourced(1500, "ms").duration(), std::optional<std::chrono::milliseconds>(1500ms));
    QVERIFY(!sourced(9, "").duration());
    QVERIFY(!SourcedValue{}.duration());
}

void TestSystemDefaults::adminCommands_data()
{
    QTest::addColumn<int>("platform");
    QTest::addColumn<TcpKeepaliveSettings>("settings");
    QTest::addColumn<std::vector<std::string>>("expected");

    QTest::newRow("linux all three")
        << 0 << TcpKeepaliveSettings{.idle = 60s, .interval = 10s, .count = 5}
        << std::vector<std::string>{
               "sudo sysctl -w net.ipv4.tcp_keepalive_time=60",
               "sudo sysctl -w net.ipv4.tcp_keepalive_intvl=10",
               "sudo sysctl -w net.ipv4.tcp_keepalive_probes=5",
               R"(printf 'net.ipv4.tcp_keepalive_time = 60\nnet.ipv4.tcp_keepalive_intvl = 10\n)"
               R"(net.ipv4.tcp_keepalive_probes = 5\n' | sudo tee /etc/sysctl.d/90-keepwatch-keepalive.conf)",
               "# system defaults apply only to programs that turn keepalive on (SO_KEEPALIVE)"};
    QTest::newRow("linux unchanged values skipped")
        << 0 << TcpKeepaliveSettings{.idle = 7200s, .interval = 30s, .count = 9}
        << std::vector<std::string>{
               "sudo sysctl -w net.ipv4.tcp_keepalive_intvl=30",
               R"(printf 'net.ipv4.tcp_keepalive_intvl = 30\n' | sudo tee /etc/sysctl.d/90-keepwatch-keepalive.conf)",
               "# system defaults apply only to programs that turn keepalive on (SO_KEEPALIVE)"};
    QTest::newRow("linux nothing requested") << 0 << TcpKeepaliveSettings{} << std::vector<std::string>{};
    QTest::newRow("windows registry in ms")
        << 1 << TcpKeepaliveSettings{.idle = 60s, .interval = 10s, .count = 5}
        << std::vector<std::string>{
               R"(reg add "HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters" /v KeepAliveTime /t REG_DWORD /d 60000 /f)",
               R"(reg add "HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters" /v KeepAliveInterval /t REG_DWORD /d 10000 /f)",
               "# the probe count has no system setting on Windows Vista and later: it is fixed at 10 (per "
               "socket, "
               "TCP_KEEPCNT on Windows 10 1703+)",
               "# run in an elevated prompt; takes effect after a reboot, only for programs that turn "
               "keepalive on"};
    QTest::newRow("macos sysctl in ms")
        << 2 << TcpKeepaliveSettings{.idle = 60s, .count = 5, .userTimeout = 30000ms}
        << std::vector<std::string>{
               "sudo sysctl -w net.inet.tcp.keepidle=60000", "sudo sysctl -w net.inet.tcp.keepcnt=5",
               "# lost at reboot: add the same name=value lines to /etc/sysctl.conf to keep them",
               "# the user timeout has no system-wide default; it is set per socket (Keepwatch does this for "
               "every "
               "connection)"};
}

void TestSystemDefaults::adminCommands()
{
    QFETCH(int, platform);
    QFETCH(TcpKeepaliveSettings, settings);
    QFETCH(std::vector<std::string>, expected);
    const SystemDefaults defaults = platform == 0   ? linuxDefaults()
                                    : platform == 1 ? windowsDefaults()
                                                    : macDefaults();
    const auto commands = kw::net::adminCommands(settings, defaults);
    for (std::size_t i = 0; i < std::min(commands.size(), expected.size()); ++i)
        QCOMPARE(commands[i], expected[i]);
    QCOMPARE(commands.size(), expected.size());
}

void TestSystemDefaults::adminCommandsEmptyForInvalidSettings()
{
    QVERIFY(kw::net::adminCommands({.idle = 40000s}, linuxDefaults()).empty());
}

QTEST_GUILESS_MAIN(TestSystemDefaults)
#include "tst_systemdefaults.moc"
