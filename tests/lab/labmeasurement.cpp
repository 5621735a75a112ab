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
    reportFields(scenario, {{u"detection_ms"_s, QString::number(detectionMs)},
                            {u"bound_ms"_s, QString::number(boundMs)},
                            {u"cause"_s, cause}});
}

void reportFields(const QString &scenario, const QList<std::pair<QString, QString>> &fields)
{
    QString line = u"LAB-RESULT scenario="_s + scenario;
    for (const auto &[key, value] : fields)
        line += u' ' + key + u'=' + value;
    // Straight to stdout rather than qInfo(): the line must survive any logging rules in force.
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

} // namespace kw::lab
