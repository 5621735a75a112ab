#include "enginelatenesstext.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>
#include <climits>

namespace kw {

namespace {

// The translation context of these messages: lupdate files them under "kw::EngineLateness".
class EngineLatenessText
{
    Q_DECLARE_TR_FUNCTIONS(kw::EngineLateness)
};

QString figuresText(const LatenessFigures &f)
{
    if (f.count == 0)
        return EngineLatenessText::tr("nothing measured yet");
    return EngineLatenessText::tr("p50 %1 · p99 %2 · max %3 (%n sample(s))", nullptr,
                                  int(std::min<std::uint64_t>(f.count, INT_MAX)))
        .arg(formatLateness(f.p50), formatLateness(f.p99), formatLateness(f.max));
}

} // namespace

QString formatLateness(Duration lateness)
{
    using namespace std::chrono;
    const double ms = duration_cast<duration<double, std::milli>>(lateness).count();
    if (ms >= 1000.0)
        return EngineLatenessText::tr("%1 s").arg(QLocale().toString(ms / 1000.0, 'f', 1));
    // Two significant digits are what a lateness is good for; at least 0.01 ms.
    const int decimals = ms >= 10.0 ? 0 : ms >= 1.0 ? 1 : 2;
    return EngineLatenessText::tr("%1 ms").arg(QLocale().toString(ms, 'f', decimals));
}

QString engineLatenessText(const Snapshot &snapshot)
{
    const LatenessFigures &timers = snapshot.timerLateness;
    const LatenessFigures &sockets = snapshot.socketLateness;
    if (timers.count == 0 && sockets.count == 0)
        return {};
    return EngineLatenessText::tr("engine lateness p99 %1")
        .arg(formatLateness(std::max(timers.p99, sockets.p99)));
}

QString engineLatenessDetail(const Snapshot &snapshot)
{
    return EngineLatenessText::tr(
               "How late Keepwatch itself ran over the last minute, apart from the network:\n"
               "timers (probes sent, timeouts checked after their deadline): %1\n"
               "sockets (replies left waiting before they were read): %2\n"
               "RTT is timed where the bytes move (the kernel's receive stamp on Linux), so it leaves "
               "this out; a high lateness delays detection, not the RTT shown.")
        .arg(figuresText(snapshot.timerLateness), figuresText(snapshot.socketLateness));
}

} // namespace kw
