#include "labmeasurement.h"

#include <cstdio>

using namespace Qt::StringLiterals;

namespace kw::lab {

QByteArray workspaceJson(const QStringList &endpoints)
{
    return (u"{\"version\":1,\"endpoints\":[\n"_s + endpoints.join(u",\n"_s) + u"\n]}\n"_s).toUtf8();
}

void reportMeasurement(const QString &scenario, qint64 detectionMs, qint64 boundMs, const QString &cause)
{
    // Straight to stdout rather than qInfo(): the line must survive any logging rules in force.
    std::printf("LAB-RESULT scenario=%s detection_ms=%lld bound_ms=%lld cause=%s\n", qPrintable(scenario),
                static_cast<long long>(detectionMs), static_cast<long long>(boundMs), qPrintable(cause));
    std::fflush(stdout);
}

} // namespace kw::lab
