// The one TCP keepalive validator: the workspace loader, the endpoint dialog and `keepwatch keepalive`
// show its messages, so the limits and the words are pinned here.

#include "tcpkeepalivesettings.h"

#include <QTest>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using kw::net::TcpKeepaliveIssue;
using kw::net::TcpKeepaliveSettings;
using Field = TcpKeepaliveIssue::Field;
using Issues = std::vector<TcpKeepaliveIssue>;

Q_DECLARE_METATYPE(TcpKeepaliveSettings)
Q_DECLARE_METATYPE(Issues)
Q_DECLARE_METATYPE(Field)
Q_DECLARE_METATYPE(std::optional<bool>)

namespace {

const std::string kCountMessage = "TCP keepalive count 200 is out of range: use 1..127 probes (the Linux "
                                  "limit of TCP_KEEPCNT), or leave it unset for the system default";

} // namespace

class TestTcpKeepaliveSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validate_data();
    void validate();
    void everyBadFieldIsReportedInFieldOrder();
    void normalized_data();
    void normalized();
    void rangesAreTheLimits_data();
    void rangesAreTheLimits();
};

void TestTcpKeepaliveSettings::validate_data()
{
    QTest::addColumn<TcpKeepaliveSettings>("settings");
    QTest::addColumn<Issues>("expected");

    const Issues none;
    QTest::newRow("nothing set") << TcpKeepaliveSettings{} << none;
    QTest::newRow("off") << TcpKeepaliveSettings{.enabled = false} << none;
    QTest::newRow("minimums") << TcpKeepaliveSettings{true, 1s, 1s, 1, 0ms} << none;
    QTest::newRow("maximums") << TcpKeepaliveSettings{true, 32767s, 32767s, 127, 2147483647ms} << none;
    QTest::newRow("user timeout 0 is a value") << TcpKeepaliveSettings{.userTimeout = 0ms} << none;

    QTest::newRow("idle 0") << TcpKeepaliveSettings{.idle = 0s}
                            << Issues{{Field::Idle,
                                       "TCP keepalive idle 0 s is out of range: use 1..32767 s "
                                       "(the Linux limit of TCP_KEEPIDLE), or leave it unset for "
                                       "the system default"}};
    QTest::newRow("idle 32768") << TcpKeepaliveSettings{.idle = 32768s}
                                << Issues{{Field::Idle, "TCP keepalive idle 32768 s is out of range: use "
                                                        "1..32767 s (the Linux limit of TCP_KEEPIDLE), or "
                                                        "leave it unset for the system default"}};
    QTest::newRow("interval -1") << TcpKeepaliveSettings{.interval = -1s}
                                 << Issues{{Field::Interval,
                                            "TCP keepalive interval -1 s is out of range: use "
                                            "1..32767 s (the Linux limit of TCP_KEEPINTVL), or "
                                            "leave it unset for the system default"}};
    QTest::newRow("count 0") << TcpKeepaliveSettings{.count = 0}
                             << Issues{{Field::Count,
                                        "TCP keepalive count 0 is out of range: use 1..127 probes "
                                        "(the Linux limit of TCP_KEEPCNT), or leave it unset for "
                                        "the system default"}};
    QTest::newRow("count 200") << TcpKeepaliveSettings{.count = 200} << Issues{{Field::Count, kCountMessage}};
    // Windows 10 1703+ would take 255, Linux would not: the portable limit is the tightest.
    QTest::newRow("count 255") << TcpKeepaliveSettings{.count = 255}
                               << Issues{{Field::Count, "TCP keepalive count 255 is out "
                                                        "of range: use 1..127 probes "
                                                        "(the Linux limit of "
                                                        "TCP_KEEPCNT), or leave it "
                                                        "unset for the system default"}};
    QTest::newRow("user timeout -1") << TcpKeepaliveSettings{.userTimeout = -1ms}
                                     << Issues{
                                            {Field::UserTimeout,
                                             "TCP user timeout -1 ms is out of range: use 0..2147483647 ms "
                                             "(0 = the system's retransmission limit), or leave it unset "
                                             "for no user timeout"}};
    QTest::newRow("user timeout 2^31")
        << TcpKeepaliveSettings{.userTimeout = 2147483648ms}
        << Issues{{Field::UserTimeout, "TCP user timeout 2147483648 ms is out of range: use "
                                       "0..2147483647 ms (0 = the system's retransmission limit), "
                                       "or leave it unset for no user timeout"}};
    // Off with timings is allowed: the timings are kept for when keepalive is turned back on, and
    // applyKeepalive() reports them as not sent.
    QTest::newRow("off with timings") << TcpKeepaliveSettings{false, 60s, 10s, 5, std::nullopt} << none;
}

void TestTcpKeepaliveSettings::validate()
{
    QFETCH(TcpKeepaliveSettings, settings);
    QFETCH(Issues, expected);

    const Issues issues = kw::net::validateTcpKeepalive(settings);
    QCOMPARE(issues.size(), expected.size());
    for (std::size_t i = 0; i < issues.size(); ++i) {
        QCOMPARE(issues[i].field, expected[i].field);
        QCOMPARE(QString::fromStdString(issues[i].message), QString::fromStdString(expected[i].message));
    }
}

void TestTcpKeepaliveSettings::everyBadFieldIsReportedInFieldOrder()
{
    // One bad field must not hide another, and nothing is clamped into range.
    const TcpKeepaliveSettings settings{true, 40000s, 0s, 200, -5ms};
    const Issues issues = kw::net::validateTcpKeepalive(settings);
    QCOMPARE(issues.size(), std::size_t(4));
    QCOMPARE(issues[0].field, Field::Idle);
    QCOMPARE(issues[1].field, Field::Interval);
    QCOMPARE(issues[2].field, Field::Count);
    QCOMPARE(issues[3].field, Field::UserTimeout);
    QVERIFY(issues[0].message.find("40000 s") != std::string::npos);
    QCOMPARE(issues[2].message, kCountMessage);
    QCOMPARE(settings.count, std::optional(200));
}

void TestTcpKeepaliveSettings::normalized_data()
{
    QTest::addColumn<TcpKeepaliveSettings>("settings");
    QTest::addColumn<std::optional<bool>>("enabled");

    QTest::newRow("nothing set stays the system default") << TcpKeepaliveSettings{} << std::optional<bool>();
    QTest::newRow("idle implies on") << TcpKeepaliveSettings{.idle = 30s} << std::optional(true);
    QTest::newRow("interval implies on") << TcpKeepaliveSettings{.interval = 5s} << std::optional(true);
    QTest::newRow("count implies on") << TcpKeepaliveSettings{.count = 4} << std::optional(true);
    // TCP_USER_TIMEOUT also bounds unacknowledged data, so it does not turn probing on.
    QTest::newRow("user timeout alone")
        << TcpKeepaliveSettings{.userTimeout = 3000ms} << std::optional<bool>();
    QTest::newRow("explicit off stays off")
        << TcpKeepaliveSettings{.enabled = false, .idle = 30s} << std::optional(false);
    QTest::newRow("explicit on") << TcpKeepaliveSettings{.enabled = true} << std::optional(true);
}

void TestTcpKeepaliveSettings::normalized()
{
    QFETCH(TcpKeepaliveSettings, settings);
    QFETCH(std::optional<bool>, enabled);

    const TcpKeepaliveSettings result = settings.normalized();
    QCOMPARE(result.enabled, enabled);
    // Only `enabled` changes.
    QCOMPARE(result.idle, settings.idle);
    QCOMPARE(result.interval, settings.interval);
    QCOMPARE(result.count, settings.count);
    QCOMPARE(result.userTimeout, settings.userTimeout);
    QCOMPARE(result.normalized(), result);
}

void TestTcpKeepaliveSettings::rangesAreTheLimits_data()
{
    QTest::addColumn<Field>("field");
    QTest::addColumn<long long>("min");
    QTest::addColumn<long long>("max");

    QTest::newRow("idle") << Field::Idle << 1LL << 32767LL;
    QTest::newRow("interval") << Field::Interval << 1LL << 32767LL;
    QTest::newRow("count") << Field::Count << 1LL << 127LL;
    QTest::newRow("user timeout") << Field::UserTimeout << 0LL << 2147483647LL;
}

void TestTcpKeepaliveSettings::rangesAreTheLimits()
{
    QFETCH(Field, field);
    QFETCH(long long, min);
    QFETCH(long long, max);

    // The range callers build spin boxes and type errors from is the one the validator enforces.
    const kw::net::TcpKeepaliveRange range = kw::net::tcpKeepaliveRange(field);
    QCOMPARE(range.min, min);
    QCOMPARE(range.max, max);
    const auto withValue = [field](long long value) {
        TcpKeepaliveSettings settings;
        switch (field) {
        case Field::Idle:
            settings.idle = std::chrono::seconds(value);
            break;
        case Field::Interval:
            settings.interval = std::chrono::seconds(value);
            break;
        case Field::Count:
            settings.count = int(value);
            break;
        case Field::UserTimeout:
            settings.userTimeout = std::chrono::milliseconds(value);
            break;
        case Field::Enabled:
            break;
        }
        return kw::net::validateTcpKeepalive(settings);
    };
    QVERIFY(withValue(min).empty());
    QVERIFY(withValue(max).empty());
    QCOMPARE(withValue(min - 1).size(), std::size_t(1));
    QCOMPARE(withValue(max + 1).size(), std::size_t(1));
    QCOMPARE(withValue(max + 1).front().field, field);
}

QTEST_GUILESS_MAIN(TestTcpKeepaliveSettings)
#include "tst_tcpkeepalivesettings.moc"
