#include "sessiontext.h"

#include "snapshot.h"

namespace kw {

using namespace std::chrono;

QString formatDuration(milliseconds ms)
{
    if (ms < seconds(10))
        return QString::number(static_cast<double>(ms.count()) / 1000.0, 'g', 3) + u" s";
    if (ms < minutes(2))
        return QString::number(duration_cast<seconds>(ms).count()) + u" s";
    if (ms < hours(2))
        return QString::number(static_cast<double>(ms.count()) / 60000.0, 'f', 1) + u" min";
    return QString::number(static_cast<double>(ms.count()) / 3600000.0, 'f', 1) + u" h";
}

milliseconds toMilliseconds(Duration d)
{
    return duration_cast<milliseconds>(d);
}

double msValue(Duration d)
{
    return static_cast<double>(toMilliseconds(d).count());
}

double fractionalMs(Duration d)
{
    return duration_cast<duration<double, std::milli>>(d).count();
}

QDateTime wallClockAt(TimePoint at, TimePoint now)
{
    return QDateTime::currentDateTimeUtc().addMSecs(duration_cast<milliseconds>(at - now).count());
}

QString deviceStateName(DeviceSnapshot::State state)
{
    switch (state) {
    case DeviceSnapshot::State::Awaiting:
        return QStringLiteral("awaiting");
    case DeviceSnapshot::State::Up:
        return QStringLiteral("up");
    case DeviceSnapshot::State::Silent:
        return QStringLiteral("silent");
    case DeviceSnapshot::State::Will:
        return QStringLiteral("will");
    }
    return {};
}

} // namespace kw
