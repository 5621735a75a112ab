#pragma once

#include "clock.h"

#include <QDateTime>
#include <QString>

#include <chrono>

namespace kw {

// "1.25 s", "42 s", "3.5 min", "2.0 h": durations as people read them in details.
QString formatDuration(std::chrono::milliseconds duration);

// Whole milliseconds of a monotonic duration, and the same as a JSON number.
std::chrono::milliseconds toMilliseconds(Duration duration);
double msValue(Duration duration);
// Milliseconds with their fraction, for RTT samples ("0.42").
double fractionalMs(Duration duration);

// The wall-clock time of a monotonic deadline, for display ("next attempt at").
QDateTime wallClockAt(TimePoint at, TimePoint now);

} // namespace kw
