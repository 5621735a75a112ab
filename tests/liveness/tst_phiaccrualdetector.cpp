#include "phiaccrualdetector.h"

#include <QTest>

#include <chrono>
#include <cmath>
#include <vector>

using namespace std::chrono_literals;
using kw::PhiAccrualDetector;
using kw::PhiParams;
using kw::TimePoint;

namespace {

// The probability that the peer is in fact alive, from phi.
double cdf(double phi)
{
    return 1.0 - std::pow(10.0, -phi);
}

// A detector that has seen `count` heartbeats exactly `interval` apart; the last at the returned time.
TimePoint feedRegular(PhiAccrualDetector &detector, int count, kw::Duration interval)
{
    TimePoint t = TimePoint{} + 1h;
    for (int i = 0; i < count; ++i) {
        if (i > 0)
            t += interval;
        detector.heartbeat(t);
    }
    return t;
}

} // namespace

class TestPhiAccrualDetector : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cumulativeDistribution_data();
    void cumulativeDistribution();
    void realisticValues_data();
    void realisticValues();
    void outliersStayFinite();
    void noHeartbeatIsNotSuspected();
    void firstHeartbeatUsesEstimate();
    void phiRisesWithSilence();
    void regularHeartbeatCrossesThresholdAsAkkaExpects();
    void crossingTimeMatchesPhi_data();
    void crossingTimeMatchesPhi();
    void latencySpikeStaysBelowThreshold();
    void heartbeatAfterFailureIsNotLearnt();
    void windowIsBounded();
    void windowWrapsInOrder();
    void availabilityAgreesWithPhi_data();
    void availabilityAgreesWithPhi();
};

// Akka's PhiAccrualFailureDetectorSpec "use good enough cumulative distribution function".
void TestPhiAccrualDetector::cumulativeDistribution_data()
{
    QTest::addColumn<double>("timeDiff");
    QTest::addColumn<double>("expected");
    QTest::addColumn<double>("tolerance");

    QTest::newRow("0 sd") << 0.0 << 0.5 << 0.001;
    QTest::newRow("0.6 sd") << 6.0 << 0.7257 << 0.001;
    QTest::newRow("1.5 sd") << 15.0 << 0.9332 << 0.001;
    QTest::newRow("2 sd") << 20.0 << 0.97725 << 0.001;
    QTest::newRow("2.5 sd") << 25.0 << 0.99379 << 0.001;
    QTest::newRow("3.5 sd") << 35.0 << 0.99977 << 0.001;
    QTest::newRow("4 sd") << 40.0 << 0.99997 << 0.0001;
}

void TestPhiAccrualDetector::cumulativeDistribution()
{
    QFETCH(double, timeDiff);
    QFETCH(double, expected);
    QFETCH(double, tolerance);
    const double got = cdf(PhiAccrualDetector::phiFor(timeDiff, 0, 10));
    QVERIFY2(std::abs(got - expected) <= tolerance, qPrintable(QString::number(got, 'g', 8)));
}

// Akka's "return realistic phi values": mean 1000 ms, sd 100 ms.
void TestPhiAccrualDetector::realisticValues_data()
{
    QTest::addColumn<double>("timeDiff");
    QTest::addColumn<double>("expected");

    QTest::newRow("0") << 0.0 << 0.0;
    QTest::newRow("500") << 500.0 << 0.1;
    QTest::newRow("1000") << 1000.0 << 0.3;
    QTest::newRow("1200") << 1200.0 << 1.6;
    QTest::newRow("1400") << 1400.0 << 4.7;
    QTest::newRow("1600") << 1600.0 << 10.8;
    QTest::newRow("1700") << 1700.0 << 15.3;
}

void TestPhiAccrualDetector::realisticValues()
{
    QFETCH(double, timeDiff);
    QFETCH(double, expected);
    const double got = PhiAccrualDetector::phiFor(timeDiff, 1000, 100);
    QVERIFY2(std::abs(got - expected) <= 0.1, qPrintable(QString::number(got)));
    // A wider distribution is less suspicious of the same silence.
    QVERIFY(PhiAccrualDetector::phiFor(1100, 1000, 500) < PhiAccrualDetector::phiFor(1100, 1000, 100));
}

void TestPhiAccrualDetector::outliersStayFinite()
{
    // Akka: phi(10, 0, 1) ~ 38 and phi(-25, 0, 1) == 0; its own code returns
    // Infinity a little further out, ours stays finite and capped.
    QVERIFY(std::abs(PhiAccrualDetector::phiFor(10, 0, 1) - 38.0) <= 1.0);
    QCOMPARE(PhiAccrualDetector::phiFor(-25, 0, 1), 0.0);
    for (double diff : {50.0, 1e3, 1e6, 1e300, HUGE_VAL}) {
        const double phi = PhiAccrualDetector::phiFor(diff, 0, 1);
        QVERIFY(std::isfinite(phi));
        QVERIFY(phi > 38.0);
        QVERIFY(phi <= PhiAccrualDetector::kMaxPhi);
    }
    QCOMPARE(PhiAccrualDetector::phiFor(1e9, 0, 1), PhiAccrualDetector::kMaxPhi);
    for (double diff : {-1e6, -1e300, -HUGE_VAL}) {
        const double phi = PhiAccrualDetector::phiFor(diff, 0, 1);
        QVERIFY(std::isfinite(phi));
        QVERIFY(phi >= 0.0);
    }
    QCOMPARE(PhiAccrualDetector::phiFor(5, 0, 0), PhiAccrualDetector::phiFor(5, 0, 1)); // sd 0 guarded

    PhiAccrualDetector detector;
    const TimePoint last = feedRegular(detector, 10, 1s);
    const double phi = detector.phi(last + std::chrono::hours(24 * 365));
    QVERIFY(std::isfinite(phi));
    QCOMPARE(phi, PhiAccrualDetector::kMaxPhi);
}

void TestPhiAccrualDetector::noHeartbeatIsNotSuspected()
{
    PhiAccrualDetector detector;
    QCOMPARE(detector.phi(TimePoint{} + 100h), 0.0);
    QVERIFY(detector.isAvailable(TimePoint{} + 100h));
    QVERIFY(!detector.suspectAt());
}

void TestPhiAccrualDetector::firstHeartbeatUsesEstimate()
{
    PhiAccrualDetector detector;
    const TimePoint t = TimePoint{} + 1h;
    detector.heartbeat(t);
    // Seeded with 750 and 1250 ms: mean 1000, sd 250.
    QCOMPARE(detector.sampleCount(), std::size_t(2));
    QCOMPARE(detector.meanIntervalMs(), 1000.0);
    QCOMPARE(detector.stdDeviationMs(), 250.0);
    QVERIFY(detector.phi(t + 500ms) < 0.1);
    QVERIFY(detector.isAvailable(t + 3s));
    QVERIFY(!detector.isAvailable(t + 10s));
}

void TestPhiAccrualDetector::phiRisesWithSilence()
{
    PhiAccrualDetector detector;
    const TimePoint last = feedRegular(detector, 30, 1s);
    double previous = -1;
    for (auto silence = 0ms; silence <= 10s; silence += 250ms) {
        const double phi = detector.phi(last + silence);
        QVERIFY(std::isfinite(phi));
        QVERIFY2(phi >= previous, qPrintable(QStringLiteral("phi fell at %1 ms").arg(silence.count())));
        previous = phi;
    }
    QVERIFY(detector.phi(last + 1s) < 0.01);
    QVERIFY(detector.phi(last + 10s) > 100);
}

void TestPhiAccrualDetector::regularHeartbeatCrossesThresholdAsAkkaExpects()
{
    // 1 s heartbeats, 3 s acceptable pause, sd floored at 100 ms: the mean used
    // is 4 s, and phi 8 is about 5.2 sd beyond it, so the peer is declared
    // unavailable ~4.5 s after its last heartbeat; never before the pause ends.
    PhiAccrualDetector detector;
    const TimePoint last = feedRegular(detector, 100, 1s);
    QVERIFY(detector.isAvailable(last + 4s));
    QVERIFY(detector.isAvailable(last + 4400ms));
    QVERIFY(!detector.isAvailable(last + 4600ms));
    const auto suspectAfter = *detector.suspectAt() - last;
    QVERIFY2(suspectAfter > 4400ms && suspectAfter < 4600ms,
             qPrintable(QString::number(std::chrono::duration<double, std::milli>(suspectAfter).count())));
}

void TestPhiAccrualDetector::crossingTimeMatchesPhi_data()
{
    QTest::addColumn<qint64>("intervalMs");
    QTest::addColumn<qint64>("jitterMs");
    QTest::addColumn<double>("level");

    QTest::newRow("1 s, phi 8") << qint64(1000) << qint64(0) << 8.0;
    QTest::newRow("1 s jittery, phi 8") << qint64(1000) << qint64(300) << 8.0;
    QTest::newRow("5 s, phi 1") << qint64(5000) << qint64(100) << 1.0;
    QTest::newRow("200 ms, phi 12") << qint64(200) << qint64(50) << 12.0;
    QTest::newRow("1 s, phi 0.5") << qint64(1000) << qint64(0) << 0.5;
}

void TestPhiAccrualDetector::crossingTimeMatchesPhi()
{
    QFETCH(qint64, intervalMs);
    QFETCH(qint64, jitterMs);
    QFETCH(double, level);

    PhiAccrualDetector detector;
    TimePoint t = TimePoint{} + 1h;
    for (int i = 0; i < 200; ++i) {
        t += std::chrono::milliseconds(intervalMs + (i % 2 ? jitterMs : -jitterMs));
        detector.heartbeat(t);
    }
    const auto crossing = detector.timeWhenPhiReaches(level);
    QVERIFY(crossing);
    QVERIFY(*crossing > t);
    QVERIFY(detector.phi(*crossing) >= level);
    QVERIFY(detector.phi(*crossing - 1ms) < level);
}

void TestPhiAccrualDetector::latencySpikeStaysBelowThreshold()
{
    PhiAccrualDetector detector;
    TimePoint last = feedRegular(detector, 60, 1s);
    const double calm = detector.phi(last + 1s);
    // One heartbeat 3.2 s late: suspicion rises but the acceptable pause keeps
    // it under the threshold, and the spike is learnt.
    const double during = detector.phi(last + 4200ms);
    QVERIFY(during > calm);
    QVERIFY(during < detector.params().threshold);
    const double meanBefore = detector.meanIntervalMs();
    last += 4200ms;
    detector.heartbeat(last);
    QVERIFY(detector.isAvailable(last));
    QVERIFY(detector.meanIntervalMs() > meanBefore);
    // The same spike with no pause allowance would have convicted.
    PhiAccrualDetector strict(PhiParams{8.0, 1000, 100ms, 0ms, 1000ms});
    const TimePoint strictLast = feedRegular(strict, 60, 1s);
    QVERIFY(!strict.isAvailable(strictLast + 4200ms));
}

void TestPhiAccrualDetector::heartbeatAfterFailureIsNotLearnt()
{
    PhiAccrualDetector detector;
    TimePoint last = feedRegular(detector, 20, 1s);
    const std::size_t samples = detector.sampleCount();
    const double mean = detector.meanIntervalMs();
    last += 1h; // the peer was gone; its first heartbeat back is not a rhythm sample
    QVERIFY(!detector.isAvailable(last));
    detector.heartbeat(last);
    QCOMPARE(detector.sampleCount(), samples);
    QCOMPARE(detector.meanIntervalMs(), mean);
    QCOMPARE(detector.lastHeartbeat(), last);
    QVERIFY(detector.isAvailable(last + 1s));
    // A timestamp from the past is ignored.
    detector.heartbeat(last - 10s);
    QCOMPARE(detector.lastHeartbeat(), last);
}

void TestPhiAccrualDetector::windowIsBounded()
{
    PhiAccrualDetector detector(PhiParams{8.0, 100, 100ms, 3000ms, 1000ms});
    TimePoint t = TimePoint{} + 1h;
    for (int i = 0; i < 5000; ++i) {
        t += (i < 4900 ? 500ms : 2s);
        detector.heartbeat(t);
    }
    QCOMPARE(detector.sampleCount(), std::size_t(100));
    // Only the last 100 intervals (all 2 s) are in the window.
    QVERIFY(std::abs(detector.meanIntervalMs() - 2000.0) < 1e-6);
    QVERIFY(detector.stdDeviationMs() < 1e-3);
    // The ring holds exactly the window, never a doubling past it.
    QCOMPARE(detector.windowBytes(), 100 * sizeof(float));
    detector.reset();
    QCOMPARE(detector.sampleCount(), std::size_t(0));
    QCOMPARE(detector.windowBytes(), std::size_t(0));
    QCOMPARE(detector.phi(t + 1h), 0.0);
}

void TestPhiAccrualDetector::windowWrapsInOrder()
{
    // Across many wrap-arounds of the ring the window is the last N intervals: the mean and the
    // deviation are those of a plain list of them, and phi matches a detector fed only those.
    constexpr std::size_t kWindow = 7;
    PhiAccrualDetector ring(PhiParams{8.0, kWindow, 100ms, 0ms, 1000ms});
    TimePoint t = TimePoint{} + 1h;
    std::vector<double> intervals;
    for (int i = 0; i < 53; ++i) {
        const auto step = std::chrono::milliseconds(900 + (i * 37) % 250);
        t += step;
        ring.heartbeat(t);
        if (i > 0)
            intervals.push_back(double(step.count()));
    }
    const std::vector<double> last(intervals.end() - kWindow, intervals.end());
    double sum = 0;
    double squares = 0;
    for (double ms : last) {
        sum += ms;
        squares += ms * ms;
    }
    const double mean = sum / kWindow;
    QCOMPARE(ring.sampleCount(), kWindow);
    QVERIFY(std::abs(ring.meanIntervalMs() - mean) < 1e-6);
    QVERIFY(std::abs(ring.stdDeviationMs() - std::sqrt(squares / kWindow - mean * mean)) < 1e-3);
    const double expected = PhiAccrualDetector::phiFor(1500.0, mean, std::max(100.0, ring.stdDeviationMs()));
    QVERIFY(std::abs(ring.phi(t + 1500ms) - expected) < 1e-9);
}

void TestPhiAccrualDetector::availabilityAgreesWithPhi_data()
{
    QTest::addColumn<double>("threshold");
    QTest::addColumn<int>("pauseMs");
    QTest::newRow("Akka's defaults") << 8.0 << 3000;
    QTest::newRow("threshold 1, no pause") << 1.0 << 0;
    // At or under phi's value at the mean (log10 2 ~ 0.301) the answer cannot be taken from the mean.
    QTest::newRow("threshold 0.31") << 0.31 << 0;
    QTest::newRow("threshold 0.301") << 0.301 << 0;
    QTest::newRow("threshold 0.2") << 0.2 << 0;
}

// isAvailable() answers early for silences up to the mean; the answer is phi's own at every silence.
void TestPhiAccrualDetector::availabilityAgreesWithPhi()
{
    QFETCH(double, threshold);
    QFETCH(int, pauseMs);
    PhiAccrualDetector detector(
        PhiParams{threshold, 1000, 100ms, std::chrono::milliseconds(pauseMs), 1000ms});
    TimePoint last = TimePoint{} + 1h;
    for (int i = 0; i < 40; ++i) {
        last += std::chrono::milliseconds(950 + (i * 53) % 100);
        detector.heartbeat(last);
    }
    int available = 0;
    int unavailable = 0;
    for (int ms = 0; ms <= 12000; ms += 7) {
        const TimePoint now = last + std::chrono::milliseconds(ms);
        const bool expected = detector.phi(now) < threshold;
        QVERIFY2(detector.isAvailable(now) == expected,
                 qPrintable(QStringLiteral("after %1 ms: phi %2").arg(ms).arg(detector.phi(now))));
        (expected ? available : unavailable) += 1;
    }
    QVERIFY(available > 0 && unavailable > 0);
}

QTEST_GUILESS_MAIN(TestPhiAccrualDetector)
#include "tst_phiaccrualdetector.moc"
