#include "clocksteps.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

namespace kw::test {

namespace {

void runEventLoopFor(std::chrono::milliseconds pause)
{
    QEventLoop loop;
    QTimer::singleShot(pause, &loop, &QEventLoop::quit);
    loop.exec();
    // Signals queued to this thread just before the pause ended.
    QCoreApplication::sendPostedEvents();
}

} // namespace

void advanceBy(ManualClock &clock, Duration total, ClockSteps steps)
{
    for (Duration moved{}; moved < total; moved += steps.step) {
        clock.advance(std::min(steps.step, total - moved));
        runEventLoopFor(steps.pause);
    }
}

bool advanceUntil(ManualClock &clock, const std::function<bool()> &done, Duration limit, ClockSteps steps)
{
    runEventLoopFor(steps.pause);
    for (Duration moved{}; !done(); moved += steps.step) {
        if (moved >= limit)
            return false;
        clock.advance(steps.step);
        runEventLoopFor(steps.pause);
    }
    return true;
}

} // namespace kw::test
