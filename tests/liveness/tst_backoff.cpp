#include "backoff.h"

#include <QTest>

#include <chrono>
#include <cmath>

using namespace std::chrono_literals;
using kw::Backoff;
using kw::BackoffParams;

class TestBackoff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sequenceWithFixedRandom_data();
    void sequenceWithFixedRandom();
    void seededDelaysStayWithinJitter();
    void connectTimeoutFollowsBackoff();
    void stablePeriodReset_data();
    void stablePeriodReset();
    void flappingPeerKeepsBackingOff();
    void resetStartsOver();
    void nonsenseParamsAreTamed();
};

void TestBackoff::sequenceWithFixedRandom_data()
{
    QTest::addColumn<double>("random");
    QTest::addColumn<QList<qint64>>("expected");

    // gRPC defaults: 1 s x 1.6 per attempt, capped at 120 s. random 0.5 is no jitter.
    QTest::newRow("no jitter") << 0.5 << QList<qint64>{1000,  1600,  2560,  4096,   6554,   10486, 16777,
                                                       26844, 42950, 68719, 109951, 120000, 120000};
    // random 0 is the low edge: 0.8 x backoff.
    QTest::newRow("low edge") << 0.0 << QList<qint64>{800,   1280,  2048,  3277,  5243,  8389,
                                                      13422, 21475, 34360, 54976, 87961, 96000};
    // random just below 1 is the high edge: 1.2 x backoff.
    QTest::newRow("high edge") << std::nextafter(1.0, 0.0)
                               << QList<qint64>{1200,  1920,  3072,  4915,  7864,   12583,
                                                20133, 32212, 51540, 82463, 131941, 144000};
}

void TestBackoff::sequenceWithFixedRandom()
{
    QFETCH(double, random);
    QFETCH(QList<qint64>, expected);

    Backoff backoff(BackoffParams{}, [random] { return random; });
    QList<qint64> delays;
    for (qsizetype i = 0; i < expected.size(); ++i)
        delays << backoff.nextDelay().count();
    QCOMPARE(delays, expected);
    QCOMPARE(backoff.attempts(), int(expected.size()));
    QCOMPARE(backoff.currentBackoff(), 120000ms);
}

void TestBackoff::seededDelaysStayWithinJitter()
{
    Backoff backoff(BackoffParams{}, std::uint64_t{42});
    Backoff same(BackoffParams{}, std::uint64_t{42});
    double base = 1000;
    int belowBase = 0;
    int aboveBase = 0;
    for (int i = 0; i < 1000; ++i) {
        const auto delay = backoff.nextDelay();
        QCOMPARE(same.nextDelay(), delay); // a seed reproduces the sequence
        const double ms = double(delay.count());
        QVERIFY2(
            ms >= std::floor(base * 0.8) && ms <= std::ceil(base * 1.2),
            qPrintable(QStringLiteral("attempt %1: %2 ms outside 0.8..1.2 x %3").arg(i).arg(ms).arg(base)));
        (ms < base ? belowBase : aboveBase) += 1;
        base = std::min(base * 1.6, 120000.0);
    }
    // Jitter really spreads both ways (a stuck generator would fail this).
    QVERIFY(belowBase > 300);
    QVERIFY(aboveBase > 300);
}

void TestBackoff::connectTimeoutFollowsBackoff()
{
    Backoff backoff(BackoffParams{}, [] { return 0.5; });
    QCOMPARE(backoff.connectTimeout(), 20000ms);
    // The min connect timeout rules until the backoff itself exceeds it:
    // bases 1000 1600 2560 4096 6554 10486 16777 26844 42950.
    const QList<qint64> expected{20000, 20000, 20000, 20000, 20000, 20000, 20000, 26844, 42950};
    for (qint64 timeout : expected) {
        backoff.nextDelay();
        QCOMPARE(backoff.connectTimeout().count(), timeout);
    }
}

void TestBackoff::stablePeriodReset_data()
{
    QTest::addColumn<qint64>("upForMs");
    QTest::addColumn<bool>("resets");

    QTest::newRow("dropped at once") << qint64(0) << false;
    QTest::newRow("just short of stable") << qint64(9999) << false;
    QTest::newRow("exactly stable") << qint64(10000) << true;
    QTest::newRow("long up") << qint64(3600000) << true;
}

void TestBackoff::stablePeriodReset()
{
    QFETCH(qint64, upForMs);
    QFETCH(bool, resets);

    Backoff backoff(BackoffParams{}, [] { return 0.5; });
    for (int i = 0; i < 5; ++i)
        backoff.nextDelay();
    QCOMPARE(backoff.currentBackoff(), 10486ms);

    const kw::TimePoint connected = kw::TimePoint{} + 1h;
    backoff.noteConnected(connected);
    QCOMPARE(backoff.connectedSince(), connected);
    backoff.noteDisconnected(connected + std::chrono::milliseconds(upForMs));
    QVERIFY(!backoff.connectedSince());

    QCOMPARE(backoff.nextDelay(), resets ? 1000ms : 10486ms);
    QCOMPARE(backoff.attempts(), resets ? 1 : 6);
}

void TestBackoff::flappingPeerKeepsBackingOff()
{
    Backoff backoff(BackoffParams{}, [] { return 0.5; });
    kw::TimePoint now{};
    QList<qint64> delays;
    for (int i = 0; i < 6; ++i) {
        const auto delay = backoff.nextDelay();
        delays << delay.count();
        now += delay;
        backoff.noteConnected(now);
        now += 2s; // accepted, then dropped again
        backoff.noteDisconnected(now);
    }
    QCOMPARE(delays, (QList<qint64>{1000, 1600, 2560, 4096, 6554, 10486}));
}

void TestBackoff::resetStartsOver()
{
    Backoff backoff(BackoffParams{}, [] { return 0.5; });
    for (int i = 0; i < 20; ++i)
        backoff.nextDelay();
    backoff.reset();
    QCOMPARE(backoff.attempts(), 0);
    QCOMPARE(backoff.connectTimeout(), 20000ms);
    QCOMPARE(backoff.nextDelay(), 1000ms);
}

void TestBackoff::nonsenseParamsAreTamed()
{
    BackoffParams params;
    params.initial = 500ms;
    params.max = 100ms;      // below initial
    params.multiplier = 0.5; // would shrink
    params.jitter = 7;       // would go negative
    Backoff backoff(params, [] { return 0.0; });
    for (int i = 0; i < 10; ++i) {
        const auto delay = backoff.nextDelay();
        QVERIFY(delay >= 0ms);
        QVERIFY(delay <= 1000ms);
    }
    QCOMPARE(backoff.currentBackoff(), 500ms);
}

QTEST_GUILESS_MAIN(TestBackoff)
#include "tst_backoff.moc"
