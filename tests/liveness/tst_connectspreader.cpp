#include "connectspreader.h"
#include "hostconnectspreader.h"

#include <QTest>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;
using kw::ConnectSpreader;
using kw::HostConnectSpreader;
using kw::SpreaderParams;
using kw::TimePoint;

namespace {

// Most attempts that start inside any half-open window [t, t + window).
int busiestWindow(const std::vector<TimePoint> &starts, kw::Duration window)
{
    int busiest = 0;
    std::size_t j = 0;
    for (std::size_t i = 0; i < starts.size(); ++i) {
        while (j < starts.size() && starts[j] < starts[i] + window)
            ++j;
        busiest = std::max(busiest, int(j - i));
    }
    return busiest;
}

} // namespace

class TestConnectSpreader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void simultaneousRequestsAreSpread_data();
    void simultaneousRequestsAreSpread();
    void requestsBelowTheRateAreNotDelayed();
    void burstRefillsAfterQuiet();
    void delayForDoesNotReserve();
    void firstConnectsAreSpreadPerHost();
    void hostsAreNormalised_data();
    void hostsAreNormalised();
    void idleHostsAreDropped();
};

void TestConnectSpreader::simultaneousRequestsAreSpread_data()
{
    QTest::addColumn<int>("burst");
    QTest::addColumn<double>("rate");
    QTest::addColumn<int>("requests");

    QTest::newRow("defaults, 1000 endpoints") << 20 << 50.0 << 1000;
    QTest::newRow("no burst, 10/s") << 1 << 10.0 << 100;
    QTest::newRow("big burst, 1000/s") << 200 << 1000.0 << 5000;
}

void TestConnectSpreader::simultaneousRequestsAreSpread()
{
    QFETCH(int, burst);
    QFETCH(double, rate);
    QFETCH(int, requests);

    ConnectSpreader spreader(SpreaderParams{burst, rate});
    const TimePoint now = TimePoint{} + 1h;
    std::vector<TimePoint> starts;
    for (int i = 0; i < requests; ++i)
        starts.push_back(spreader.reserve(now));

    QVERIFY(std::is_sorted(starts.begin(), starts.end()));
    QCOMPARE(int(std::count(starts.begin(), starts.end(), now)), burst);

    const auto interval = std::chrono::duration_cast<kw::Duration>(std::chrono::duration<double>(1.0 / rate));
    // Never more than burst + rate x window in any window...
    for (const kw::Duration window : {kw::Duration(1s), kw::Duration(100ms), kw::Duration(10s)}) {
        const int allowed = burst + int(std::chrono::duration<double>(window).count() * rate);
        QVERIFY2(busiestWindow(starts, window) <= allowed,
                 qPrintable(QStringLiteral("%1 starts in a window that allows %2")
                                .arg(busiestWindow(starts, window))
                                .arg(allowed)));
    }
    // ...and no slower than that either: the last one starts when the rate says.
    QCOMPARE(starts.back() - now, interval * (requests - burst));
}

void TestConnectSpreader::requestsBelowTheRateAreNotDelayed()
{
    ConnectSpreader spreader; // 50/s
    TimePoint desired = TimePoint{} + 1h;
    for (int i = 0; i < 1000; ++i) {
        desired += 30ms; // 33/s
        QCOMPARE(spreader.reserve(desired), desired);
    }
}

void TestConnectSpreader::burstRefillsAfterQuiet()
{
    ConnectSpreader spreader(SpreaderParams{5, 10.0});
    const TimePoint t0 = TimePoint{} + 1h;
    for (int i = 0; i < 5; ++i)
        QCOMPARE(spreader.reserve(t0), t0);
    QCOMPARE(spreader.reserve(t0), t0 + 100ms);

    // 300 ms later the bucket has earned back 3 tokens, one of which the
    // delayed sixth attempt (at t0 + 100 ms) already spent...
    const TimePoint t1 = t0 + 300ms;
    int immediate = 0;
    while (spreader.reserve(t1) == t1)
        ++immediate;
    QCOMPARE(immediate, 2);

    // ...after a long one, all of it.
    const TimePoint t2 = t1 + 1h;
    for (int i = 0; i < 5; ++i)
        QCOMPARE(spreader.reserve(t2), t2);
    QVERIFY(spreader.reserve(t2) > t2);
}

void TestConnectSpreader::delayForDoesNotReserve()
{
    ConnectSpreader spreader(SpreaderParams{1, 10.0});
    const TimePoint t0 = TimePoint{} + 1h;
    QCOMPARE(spreader.delayFor(t0), kw::Duration::zero());
    QCOMPARE(spreader.reserve(t0), t0);
    QCOMPARE(spreader.delayFor(t0), kw::Duration(100ms));
    QCOMPARE(spreader.delayFor(t0), kw::Duration(100ms));
    QCOMPARE(spreader.reserve(t0), t0 + 100ms);
    spreader.reset();
    QCOMPARE(spreader.reserve(t0), t0);
}

void TestConnectSpreader::firstConnectsAreSpreadPerHost()
{
    // 300 endpoints on one server and 300 on distinct ones, started together
    // and interleaved, as a workspace lists them.
    HostConnectSpreader spreader(SpreaderParams{100, 500.0});
    const TimePoint t0 = TimePoint{} + 1h;
    std::vector<TimePoint> sameHost;
    for (int i = 0; i < 300; ++i) {
        sameHost.push_back(spreader.reserve("db.example", t0));
        QCOMPARE(spreader.reserve("host-" + std::to_string(i) + ".example", t0), t0);
    }
    QCOMPARE(int(std::count(sameHost.begin(), sameHost.end(), t0)), 100);
    for (std::size_t i = 100; i < sameHost.size(); ++i)
        QCOMPARE(sameHost[i] - t0, kw::Duration(2ms) * int(i - 99));
    QCOMPARE(spreader.params(), (SpreaderParams{100, 500.0}));
}

void TestConnectSpreader::hostsAreNormalised_data()
{
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("second");
    QTest::addColumn<bool>("same");

    QTest::newRow("case") << u"DB.Example"_s << u"db.example"_s << true;
    QTest::newRow("trailing dot") << u"db.example."_s << u"db.example"_s << true;
    QTest::newRow("IPv6 brackets") << u"[::1]"_s << u"::1"_s << true;
    QTest::newRow("IPv6 hex case") << u"FE80::1"_s << u"fe80::1"_s << true;
    QTest::newRow("an address is its own host") << u"127.0.0.1"_s << u"localhost"_s << false;
    QTest::newRow("two addresses") << u"127.0.0.1"_s << u"127.0.0.2"_s << false;
    QTest::newRow("a subdomain") << u"db.example"_s << u"a.db.example"_s << false;
}

void TestConnectSpreader::hostsAreNormalised()
{
    QFETCH(QString, first);
    QFETCH(QString, second);
    QFETCH(bool, same);

    HostConnectSpreader spreader(SpreaderParams{1, 10.0});
    const TimePoint t0 = TimePoint{} + 1h;
    QCOMPARE(spreader.reserve(first.toStdString(), t0), t0);
    // Burst 1: a second connect to the same host waits 100 ms, to another does not.
    QCOMPARE(spreader.reserve(second.toStdString(), t0), same ? t0 + 100ms : t0);
    QCOMPARE(spreader.hostsTracked(), same ? 1u : 2u);
}

void TestConnectSpreader::idleHostsAreDropped()
{
    HostConnectSpreader spreader(SpreaderParams{100, 500.0});
    TimePoint t = TimePoint{} + 1h;
    // One host with a queue of 1,000 (100 now, then 1.8 s of 2 ms slots)...
    TimePoint last{};
    for (int i = 0; i < 1000; ++i)
        last = spreader.reserve("busy.example", t);
    QCOMPARE(last - t, kw::Duration(1800ms));
    // ...then 100,000 endpoints on distinct hosts, 10 a millisecond: each host is
    // idle again 2 ms after its connect, so the table stays small.
    std::size_t most = 0;
    for (int i = 0; i < 100000; ++i) {
        if (i % 10 == 0)
            t += 1ms;
        QCOMPARE(spreader.reserve("h" + std::to_string(i), t), t);
        most = std::max(most, spreader.hostsTracked());
    }
    QVERIFY2(most <= 2 * HostConnectSpreader::kMinSweep, qPrintable(QString::number(most)));
    // 10 s have passed: the busy host's queue ran out and its entry is gone, and
    // it gets a whole burst again.
    QVERIFY(t - last > 0s);
    for (int i = 0; i < 100; ++i)
        QCOMPARE(spreader.reserve("busy.example", t), t);

    // A queue still running survives the sweeps: 1,000 on the busy host, then
    // enough other hosts for several sweeps within its queue.
    const TimePoint t1 = t + 1h;
    for (int i = 0; i < 1000; ++i)
        last = spreader.reserve("BUSY.example.", t1);
    for (int i = 0; i < 1000; ++i)
        spreader.reserve("other" + std::to_string(i), t1 + 1s);
    QCOMPARE(spreader.reserve("busy.example", t1 + 1s), last + 2ms);
}

QTEST_GUILESS_MAIN(TestConnectSpreader)
#include "tst_connectspreader.moc"
