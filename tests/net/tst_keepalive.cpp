#include "keepalive.h"
#include "loopbackpair.h"
#include "systemdefaults.h"

#include <QTest>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <chrono>
#include <optional>

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;
using kw::net::OptionResult;
using kw::net::OptionStatus;
using kw::net::TcpKeepaliveSettings;

Q_DECLARE_METATYPE(TcpKeepaliveSettings)

namespace {

int getInt(int fd, int level, int option)
{
    int value = -1;
    socklen_t length = sizeof value;
    if (::getsockopt(fd, level, option, &value, &length) != 0)
        return -1;
    return value;
}

const OptionResult *findOption(const kw::net::KeepaliveReport &report, const std::string &name)
{
    for (const OptionResult &option : report.options)
        if (option.option == name)
            return &option;
    return nullptr;
}

} // namespace

class TestKeepalive : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void applyReadsBack_data();
    void applyReadsBack();
    void outOfRangeIsRefusedWithMessage_data();
    void outOfRangeIsRefusedWithMessage();
    void invalidFieldLeavesSocketAlone();
    void unsetFieldsKeepTheSystemDefault();
    void disabledTurnsKeepaliveOffAndSkipsTimings();
    void emptySettingsTouchNothing();
    void readKeepaliveSeesOptionsSetElsewhere();
    void summaryNamesValuesAndRefusals();
};

void TestKeepalive::applyReadsBack_data()
{
    QTest::addColumn<TcpKeepaliveSettings>("settings");
    QTest::addColumn<int>("idle");
    QTest::addColumn<int>("interval");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("userTimeoutMs");

    QTest::newRow("fast") << TcpKeepaliveSettings{true, 2s, 1s, 3, 3000ms} << 2 << 1 << 3 << 3000;
    QTest::newRow("cloud-typical") << TcpKeepaliveSettings{true, 60s, 60s, 5, 300000ms} << 60 << 60 << 5
                                   << 300000;
    QTest::newRow("limits") << TcpKeepaliveSettings{true, 32767s, 32767s, 127, std::nullopt} << 32767 << 32767
                            << 127 << 0;
    QTest::newRow("minimums") << TcpKeepaliveSettings{true, 1s, 1s, 1, 1ms} << 1 << 1 << 1 << 1;
    // Timings alone imply "on": they would be stored and never used otherwise.
    QTest::newRow("implied-enable") << TcpKeepaliveSettings{std::nullopt, 30s, 5s, 4, std::nullopt} << 30 << 5
                                    << 4 << 0;
}

void TestKeepalive::applyReadsBack()
{
    QFETCH(TcpKeepaliveSettings, settings);
    QFETCH(int, idle);
    QFETCH(int, interval);
    QFETCH(int, count);
    QFETCH(int, userTimeoutMs);

    kw::test::LoopbackPair pair;
    QVERIFY(pair.isValid());
    const auto report = kw::net::applyKeepalive(pair.client(), settings);

    QVERIFY2(report.allApplied(), report.summary().c_str());
    QCOMPARE(getInt(pair.client(), SOL_SOCKET, SO_KEEPALIVE), 1);
    QCOMPARE(getInt(pair.client(), IPPROTO_TCP, TCP_KEEPIDLE), idle);
    QCOMPARE(getInt(pair.client(), IPPROTO_TCP, TCP_KEEPINTVL), interval);
    QCOMPARE(getInt(pair.client(), IPPROTO_TCP, TCP_KEEPCNT), count);
    QCOMPARE(getInt(pair.client(), IPPROTO_TCP, TCP_USER_TIMEOUT), userTimeoutMs);

    QVERIFY(report.effective.enabled);
    QVERIFY(report.effective.readBack);
    QCOMPARE(report.effective.idle, std::optional(std::chrono::seconds(idle)));
    QCOMPARE(report.effective.interval, std::optional(std::chrono::seconds(interval)));
    QCOMPARE(report.effective.count, std::optional(count));
    QCOMPARE(report.effective.userTimeout.has_value(), userTimeoutMs > 0);
    if (userTimeoutMs > 0)
        QCOMPARE(report.effective.userTimeout->count(), userTimeoutMs);
    QVERIFY(!report.effective.countFixedByOs);

    const OptionResult *idleOption = findOption(report, "TCP_KEEPIDLE");
    QVERIFY(idleOption);
    QCOMPARE(idleOption->status, OptionStatus::Applied);
    QCOMPARE(idleOption->requested, std::optional<long long>(idle));
    QCOMPARE(idleOption->readBack, std::optional<long long>(idle));
    QCOMPARE(idleOption->unit, std::string("s"));
    const OptionResult *timeoutOption = findOption(report, "TCP_USER_TIMEOUT");
    QVERIFY(timeoutOption);
    QCOMPARE(timeoutOption->unit, std::string("ms"));
    QCOMPARE(timeoutOption->status,
             settings.userTimeout ? OptionStatus::Applied : OptionStatus::NotRequested);
    QCOMPARE(kw::net::readKeepalive(pair.client()), report.effective);
}

void TestKeepalive::outOfRangeIsRefusedWithMessage_data()
{
    QTest::addColumn<TcpKeepaliveSettings>("settings");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("mentions");

    QTest::newRow("idle 40000") << TcpKeepaliveSettings{.idle = 40000s} << u"idle"_s << u"40000 s"_s;
    QTest::newRow("idle 0") << TcpKeepaliveSettings{.idle = 0s} << u"idle"_s << u"leave it unset"_s;
    QTest::newRow("interval 32768") << TcpKeepaliveSettings{.interval = 32768s} << u"interval"_s
                                    << u"1..32767"_s;
    QTest::newRow("interval -1") << TcpKeepaliveSettings{.interval = -1s} << u"interval"_s << u"-1 s"_s;
    QTest::newRow("count 200") << TcpKeepaliveSettings{.count = 200} << u"count"_s << u"1..127"_s;
    QTest::newRow("count 0") << TcpKeepaliveSettings{.count = 0} << u"count"_s << u"count 0"_s;
    QTest::newRow("user timeout negative")
        << TcpKeepaliveSettings{.userTimeout = -5ms} << u"user timeout"_s << u"-5 ms"_s;
    QTest::newRow("user timeout too big")
        << TcpKeepaliveSettings{.userTimeout = 3000000000ms} << u"user timeout"_s << u"3000000000 ms"_s;
}

void TestKeepalive::outOfRangeIsRefusedWithMessage()
{
    QFETCH(TcpKeepaliveSettings, settings);
    QFETCH(QString, field);
    QFETCH(QString, mentions);

    const auto issues = kw::net::validateTcpKeepalive(settings);
    QCOMPARE(issues.size(), std::size_t(1));
    const QString message = QString::fromStdString(issues.front().message);
    QVERIFY2(message.contains(field), qPrintable(message));
    QVERIFY2(message.contains(mentions), qPrintable(message));
    QVERIFY2(message.contains(u"range"_s), qPrintable(message));
}

void TestKeepalive::invalidFieldLeavesSocketAlone()
{
    kw::test::LoopbackPair pair;
    QVERIFY(pair.isValid());
    const int defaultCount = getInt(pair.client(), IPPROTO_TCP, TCP_KEEPCNT);
    // A bad count must not hide or block the good idle; the bad value is never clamped to 127.
    const auto report = kw::net::applyKeepalive(pair.client(), {.enabled = true, .idle = 10s, .count = 200});

    QVERIFY(!report.allApplied());
    const OptionResult *count = findOption(report, "TCP_KEEPCNT");
    QVERIFY(count);
    QCOMPARE(count->status, OptionStatus::Invalid);
    QVERIFY(count->message.find("1..127") != std::string::npos);
    QCOMPARE(getInt(pair.client(), IPPROTO_TCP, TCP_KEEPCNT), defaultCount);
    QCOMPARE(getInt(pair.client(), IPPROTO_TCP, TCP_KEEPIDLE), 10);
    QVERIFY(report.summary().find("TCP_KEEPCNT invalid") != std::string::npos);
}

void TestKeepalive::unsetFieldsKeepTheSystemDefault()
{
    const auto defaults = kw::net::readSystemDefaults();
    QVERIFY(defaults.keepaliveInterval.value);
    QVERIFY(defaults.keepaliveProbes.value);
    kw::test::LoopbackPair pair;
    QVERIFY(pair.isValid());

    const auto report = kw::net::applyKeepalive(pair.client(), {.enabled = true, .idle = 15s});

    QVERIFY(report.allApplied());
    QCOMPARE(findOption(report, "TCP_KEEPINTVL")->status, OptionStatus::NotRequested);
    QCOMPARE(findOption(report, "TCP_KEEPCNT")->status, OptionStatus::NotRequested);
    QCOMPARE(report.effective.idle, std::optional(15s));
    // Linux reports the sysctl value for options the socket never set.
    QCOMPARE(report.effective.interval,
             std::optional(std::chrono::seconds(*defaults.keepaliveInterval.value)));
    QCOMPARE(report.effective.count, std::optional(static_cast<int>(*defaults.keepaliveProbes.value)));
    QVERIFY(!report.effective.userTimeout);
}

void TestKeepalive::disabledTurnsKeepaliveOffAndSkipsTimings()
{
    kw::test::LoopbackPair pair;
    QVERIFY(pair.isValid());
    QVERIFY(kw::net::applyKeepalive(pair.client(), {.enabled = true}).allApplied());
    QCOMPARE(getInt(pair.client(), SOL_SOCKET, SO_KEEPALIVE), 1);

    const auto report =
        kw::net::applyKeepalive(pair.client(), {.enabled = false, .idle = 5s, .userTimeout = 2000ms});

    QCOMPARE(getInt(pair.client(), SOL_SOCKET, SO_KEEPALIVE), 0);
    QVERIFY(!report.effective.enabled);
    QCOMPARE(findOption(report, "TCP_KEEPIDLE")->status, OptionStatus::Failed);
    QVERIFY(findOption(report, "TCP_KEEPIDLE")->message.find("disabled") != std::string::npos);
    // The user timeout bounds unacknowledged data and does not depend on keepalive.
    QCOMPARE(findOption(report, "TCP_USER_TIMEOUT")->status, OptionStatus::Applied);
    QCOMPARE(getInt(pair.client(), IPPROTO_TCP, TCP_USER_TIMEOUT), 2000);
    QCOMPARE(report.summary().rfind("keepalive off: user timeout 2000 ms", 0), std::size_t(0));
}

void TestKeepalive::emptySettingsTouchNothing()
{
    kw::test::LoopbackPair pair;
    QVERIFY(pair.isValid());
    const auto report = kw::net::applyKeepalive(pair.client(), {});
    QVERIFY(report.allApplied());
    for (const OptionResult &option : report.options)
        QCOMPARE(option.status, OptionStatus::NotRequested);
    QCOMPARE(getInt(pair.client(), SOL_SOCKET, SO_KEEPALIVE), 0);
    QVERIFY(!report.effective.enabled);
}

void TestKeepalive::readKeepaliveSeesOptionsSetElsewhere()
{
    kw::test::LoopbackPair pair;
    QVERIFY(pair.isValid());
    const int on = 1, idle = 77, count = 6;
    QCOMPARE(::setsockopt(pair.server(), SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on), 0);
    QCOMPARE(::setsockopt(pair.server(), IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle), 0);
    QCOMPARE(::setsockopt(pair.server(), IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count), 0);

    const auto effective = kw::net::readKeepalive(pair.server());
    QVERIFY(effective.enabled);
    QVERIFY(effective.readBack);
    QCOMPARE(effective.idle, std::optional(77s));
    QCOMPARE(effective.count, std::optional(6));
    QVERIFY(!kw::net::readKeepalive(pair.client()).enabled);
}

void TestKeepalive::summaryNamesValuesAndRefusals()
{
    kw::test::LoopbackPair pair;
    QVERIFY(pair.isValid());
    const auto report = kw::net::applyKeepalive(pair.client(), {true, 2s, 1s, 3, 3000ms});
    QCOMPARE(report.summary(),
             std::string("keepalive on: idle 2 s, interval 1 s, count 3, user timeout 3000 ms (read back)"));

    kw::net::KeepaliveReport refused = report;
    refused.options.push_back({.option = "TCP_KEEPCNT",
                               .status = OptionStatus::Unsupported,
                               .requested = 3,
                               .unit = "",
                               .error = ENOPROTOOPT,
                               .message = "not here"});
    QVERIFY(!refused.allApplied());
    QVERIFY(refused.summary().find("refused: TCP_KEEPCNT unsupported (not here)") != std::string::npos);
    refused.options.back().carriedByFallback = true;
    QVERIFY(refused.allApplied());
}

QTEST_GUILESS_MAIN(TestKeepalive)
#include "tst_keepalive.moc"
