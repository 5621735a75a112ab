#include "connectspreader.h"

#include <QTest>

#include <algorithm>
#include <chrono>
#include <vector>

using namespace std::chrono_literals;
using kw::ConnectSpreader;
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

QTEST_GUILESS_MAIN(TestConnectSpreader)
#include "tst_connectspreader.moc"
