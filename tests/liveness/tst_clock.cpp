#include "clock.h"

#include <QTest>

#include <chrono>
#include <memory>

using namespace std::chrono_literals;

class TestClock : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void steadyClockNeverGoesBack();
};

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
