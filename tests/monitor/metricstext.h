#pragma once

// Reading back the Prometheus text format in tests: the samples by series, the families in order, and
// promtool's verdict on it.

#include "prerequisite.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>

#include <optional>

namespace kw::test {

struct MetricsText
{
    QHash<QString, double> samples; // "name{labels}" as written -> value
    QStringList sampleOrder;        // the series in the order written
    QStringList helpNames;          // one entry per "# HELP" line
    QStringList typeNames;          // one entry per "# TYPE" line
    QHash<QString, QString> types;  // family -> counter, gauge, histogram, summary

    static MetricsText parse(const QByteArray &text)
    {
        MetricsText m;
        for (const QByteArray &raw : text.split('\n')) {
            const QString line = QString::fromUtf8(raw);
            if (line.isEmpty())
                continue;
            if (line.startsWith(u"# HELP ")) {
                m.helpNames << line.section(u' ', 2, 2);
            } else if (line.startsWith(u"# TYPE ")) {
                m.typeNames << line.section(u' ', 2, 2);
                m.types.insert(line.section(u' ', 2, 2), line.section(u' ', 3, 3));
            } else {
                // The value follows the last space (label values may hold spaces).
                const qsizetype space = line.lastIndexOf(u' ');
                const QString series = line.left(space);
                const QString value = line.mid(space + 1);
                m.samples.insert(series, value == u"+Inf" ? qInf() : value.toDouble());
                m.sampleOrder << series;
            }
        }
        return m;
    }

    std::optional<double> value(const QString &series) const
    {
        const auto it = samples.constFind(series);
        if (it == samples.cend())
            return std::nullopt;
        return *it;
    }

    // Series whose text starts with `prefix` ("keepwatch_up{endpoint=\"db\"").
    QStringList seriesStartingWith(const QString &prefix) const
    {
        QStringList out;
        for (const QString &s : sampleOrder) {
            if (s.startsWith(prefix))
                out << s;
        }
        return out;
    }
};

// The family a sample belongs to: a histogram's _bucket, _sum and _count are its own family's.
inline QString familyOf(const QString &series, const QHash<QString, QString> &types)
{
    const QString name = series.section(u'{', 0, 0);
    for (const char *suffix : {"_bucket", "_sum", "_count"}) {
        const QString s = QString::fromLatin1(suffix);
        const QString type = types.value(name.chopped(s.size()));
        if (name.endsWith(s) && (type == u"histogram" || (type == u"summary" && s != u"_bucket")))
            return name.chopped(s.size());
    }
    return name;
}

// promtool (Debian "prometheus") on the path or in /usr/bin.
inline QString promtoolPath()
{
    const QString found = QStandardPaths::findExecutable(QStringLiteral("promtool"));
    return found.isEmpty()
               ? QStandardPaths::findExecutable(QStringLiteral("promtool"), {QStringLiteral("/usr/bin")})
               : found;
}

// `promtool check metrics` on `text`: its output (problems found), or nullopt when it could not run.
inline std::optional<QString> promtoolCheckMetrics(const QByteArray &text, int *exitCode)
{
    QProcess promtool;
    promtool.setProcessChannelMode(QProcess::MergedChannels);
    promtool.start(promtoolPath(), {QStringLiteral("check"), QStringLiteral("metrics")});
    if (!promtool.waitForStarted(10000))
        return std::nullopt;
    promtool.write(text);
    promtool.closeWriteChannel();
    if (!promtool.waitForFinished(60000))
        return std::nullopt;
    *exitCode = promtool.exitCode();
    return QString::fromUtf8(promtool.readAll());
}

} // namespace kw::test
