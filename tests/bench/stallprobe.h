#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <vector>

namespace kw::bench {

struct StallStats
{
    std::size_t ticks = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
};

// Measures how late the thread it lives on runs a 10 ms timer: every tick
// records (time since the previous tick - 10 ms). A thread busy applying a
// snapshot or an event batch shows up as late ticks, the way a window would
// stutter.
class StallProbe final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StallProbe)

public:
    static constexpr std::chrono::milliseconds kPeriod{10};

    explicit StallProbe(QObject *parent = nullptr);

    void start();
    // Forgets the samples so far: the next stats() covers a new phase.
    void reset();
    StallStats stats() const;

private:
    void onTick();

    QTimer m_timer;
    QElapsedTimer m_sinceTick;
    std::vector<float> m_latenessMs;
};

} // namespace kw::bench
