#include "detectionbound.h"

#include <QTest>

#include <string>

using namespace std::chrono_literals;
using kw::net::EffectiveKeepalive;
using kw::net::SourcedValue;
using kw::net::SystemDefaults;
using std::chrono::milliseconds;

Q_DECLARE_METATYPE(EffectiveKeepalive)
Q_DECLARE_METATYPE(SystemDefaults)
Q_DECLARE_METATYPE(std::optional<milliseconds>)

namespace {

SystemDefaults makeDefaults(const char *platform, long long time, long long interval, const char *unit,
                            long long probes, long long retries)
{
    SystemDefaults defaults;
    defaults.platform = platform;
    defaults.keepaliveTime = {time, unit, "test", true};
    defaults.keepaliveInterval = {interval, unit, "test", true};
    defaults.keepaliveProbes = {probes, "", "test", true};
    defaults.retransmitGiveUp = {retries, "", "test", true};
    return defaults;
}

const SystemDefaults kLinux = makeDefaults(kw::net::kPlatformLinux, 7200, 75, "s", 9, 15);
const SystemDefaults kWindows = makeDefaults(kw::net::kPlatformWindows, 7200000, 1000, "ms", 10, 5);

EffectiveKeepalive on(std::optional<std::chrono::seconds> idle, std::optional<std::chrono::seconds> interval,
                      std::optional<int> count, std::optional<milliseconds> userTimeout = std::nullopt)
{
    EffectiveKeepalive effective;
    effective.enabled = true;
    effective.idle = idle;
    effective.interval = interval;
    effective.count = count;
    effective.userTimeout = userTimeout;
    return effective;
}

} // namespace

class TestDetectionBound : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bounds_data();
    void bounds();
    void linuxRetransmitGiveUp_data();
    void linuxRetransmitGiveUp();
};

void TestDetectionBound::bounds_data()
{
    QTest::addColumn<EffectiveKeepalive>("effective");
    QTest::addColumn<SystemDefaults>("defaults");
    QTest::addColumn<std::optional<milliseconds>>("silentPeer");
    QTest::addColumn<std::optional<milliseconds>>("unackedData");
    QTest::addColumn<QString>("mentions");

    QTest::newRow("linux explicit") << on(60s, 10s, 5) << kLinux << std::optional<milliseconds>(110s)
                                    << std::optional<milliseconds>(924600ms)
                                    << QStringLiteral("tcp_retries2 = 15");
    QTest::newRow("linux all defaults")
        << on(std::nullopt, std::nullopt, std::nullopt) << kLinux << std::optional<milliseconds>(7875s)
        << std::optional<milliseconds>(924600ms) << QStringLiteral("(system default)");
    QTest::newRow("linux user timeout bounds unacked data")
        << on(60s, 10s, 5, 30000ms) << kLinux << std::optional<milliseconds>(70s)
        << std::optional<milliseconds>(30000ms) << QStringLiteral("TCP_USER_TIMEOUT");
    // tcp_keepalive_timer: with a user timeout the count is ignored; death at the first tick >= timeout.
    QTest::newRow("linux user timeout longer than probes")
        << on(2s, 1s, 3, 10500ms) << kLinux << std::optional<milliseconds>(11s)
        << std::optional<milliseconds>(10500ms) << QStringLiteral("replaces the probe count");
    QTest::newRow("linux user timeout shorter than idle")
        << on(60s, 10s, 5, 5000ms) << kLinux << std::optional<milliseconds>(70s)
        << std::optional<milliseconds>(5000ms) << QStringLiteral("user timeout");
    QTest::newRow("linux tcp_retries2 8")
        << on(60s, 10s, 5) << makeDefaults(kw::net::kPlatformLinux, 7200, 75, "s", 9, 8)
        << std::optional<milliseconds>(110s) << std::optional<milliseconds>(102200ms)
        << QStringLiteral("tcp_retries2 = 8");
    EffectiveKeepalive windowsFixed = on(60s, 1s, 10);
    windowsFixed.countFixedByOs = true;
    QTest::newRow("windows fixed count")
        << windowsFixed << kWindows << std::optional<milliseconds>(70s) << std::optional<milliseconds>(63s)
        << QStringLiteral("fixed by Windows");
    QTest::newRow("windows defaults")
        << on(std::nullopt, std::nullopt, std::nullopt) << kWindows << std::optional<milliseconds>(7210s)
        << std::optional<milliseconds>(63s) << QStringLiteral("10 probes (fixed by Windows)");
    QTest::newRow("windows TCP_MAXRT")
        << on(30s, 5s, 3, 20000ms) << kWindows << std::optional<milliseconds>(45s)
        << std::optional<milliseconds>(20000ms) << QStringLiteral("TCP_MAXRT");
    QTest::newRow("keepalive off") << EffectiveKeepalive{} << kLinux << std::optional<milliseconds>()
                                   << std::optional<milliseconds>(924600ms)
                                   << QStringLiteral("Keepalive is off");
}

void TestDetectionBound::bounds()
{
    QFETCH(EffectiveKeepalive, effective);
    QFETCH(SystemDefaults, defaults);
    QFETCH(std::optional<milliseconds>, silentPeer);
    QFETCH(std::optional<milliseconds>, unackedData);
    QFETCH(QString, mentions);

    const auto bound = kw::net::detectionBound(effective, defaults);
    QCOMPARE(bound.silentPeer, silentPeer);
    QCOMPARE(bound.unackedData, unackedData);
    QVERIFY2(QString::fromStdString(bound.explanation).contains(mentions), bound.explanation.c_str());
}

void TestDetectionBound::linuxRetransmitGiveUp_data()
{
    QTest::addColumn<int>("retries");
    QTest::addColumn<qint64>("expectedMs");
    QTest::newRow("0") << 0 << qint64(200);
    QTest::newRow("3 (RFC 1122 minimum)") << 3 << qint64(3000);
    QTest::newRow("8") << 8 << qint64(102200);
    QTest::newRow("9 last exponential") << 9 << qint64(204600);
    QTest::newRow("15 default") << 15 << qint64(924600);
}

void TestDetectionBound::linuxRetransmitGiveUp()
{
    QFETCH(int, retries);
    QFETCH(qint64, expectedMs);
    QCOMPARE(kw::net::linuxRetransmitGiveUp(retries).count(), expectedMs);
}

QTEST_GUILESS_MAIN(TestDetectionBound)
#include "tst_detectionbound.moc"
