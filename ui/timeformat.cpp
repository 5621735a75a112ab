#include "timeformat.h"

#include <QLocale>

#include <algorithm>

namespace kw {

namespace {
QString compactSpan(qint64 seconds)
{
    if (seconds < 60)
        return TimeFormat::tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return TimeFormat::tr("%1 min").arg(seconds / 60);
    if (seconds < 86400)
        return TimeFormat::tr("%1 h").arg(seconds / 3600);
    return TimeFormat::tr("%1 d").arg(seconds / 86400);
}
} // namespace

QString TimeFormat::relative(const QDateTime &then, const QDateTime &now)
{
    if (!then.isValid() || !now.isValid())
        return {};
    const qint64 seconds = then.secsTo(now);
    if (seconds >= 0 && seconds < 5)
        return tr("just now");
    if (seconds < 0)
        return tr("in %1").arg(compactSpan(-seconds));
    return tr("%1 ago").arg(compactSpan(seconds));
}

QString TimeFormat::span(const QDateTime &from, const QDateTime &to)
{
    if (!from.isValid() || !to.isValid())
        return {};
    return compactSpan(std::max<qint64>(0, from.secsTo(to)));
}

QString TimeFormat::absolute(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    return time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString TimeFormat::duration(std::chrono::milliseconds span)
{
    const qint64 ms = span.count();
    if (ms < 1000)
        return tr("%1 ms").arg(ms);
    if (ms < 60'000)
        return tr("%1 s").arg(QLocale().toString(double(ms) / 1000.0, 'f', 1));
    const qint64 s = ms / 1000;
    if (s < 3600)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    if (s < 86400)
        return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    return tr("%1 d %2 h").arg(s / 86400).arg((s % 86400) / 3600);
}

} // namespace kw
