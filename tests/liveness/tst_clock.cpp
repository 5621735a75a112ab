#include "clock.h"

#include <QTest>

#include <chrono>
#include <memory>

using namespace std::chrono_literals;

class TestClock : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void manualClockMovesOnlyWhenTold();
    void steadyClockNeverGoesBack();
};

void TestClock::manualClockMovesOnlyWhenTold()
{
    kw::ManualClock manual;
    const kw::Clock &clock = manual; // what the components see
    const kw::TimePoint start = clock.now();
    QVERIFY(start - 1h > kw::TimePoint{}); // room to look back from the start
    QCOMPARE(clock.now(), start);
    manual.advance(250ms);
    QCOMPARE(clock.now(), start + 250ms);
    manual.advance(2h);
    QCOMPARE(clock.now(), start + 2h + 250ms);
    manual.set(start + 10s);
    QCOMPARE(clock.now(), start + 10s);

    kw::ManualClock placed(kw::TimePoint{} + 5s);
    QCOMPARE(placed.now(), kw::TimePoint{} + 5s);
}

void TestClock::steadyClockNeverGoesBack()
{
    const std::unique_ptr<kw::Clock> clock = std::make_unique<kw::SteadyClock>();
    kw::TimePoint previous = clock->now();
    for (int i = 0; i < 10000; ++i) {
        const kw::TimePoint now = clock->now();
        QVERIFY(now >= previous);
        previous = now;
    }
}

QTEST_GUILESS_MAIN(TestClock)
#include "tst_clock.moc"
