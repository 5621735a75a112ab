#include "appsupport.h"

#include "commandline.h"
#include "detectionbound.h"
#include "eventlog.h"
#include "export.h"
#include "workspace.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

#include <cstdio>

namespace kw {

QString resolveDataDir(const QString &given)
{
    if (!given.isEmpty())
        return QDir(given).absolutePath();
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
}

void printError(const QString &message)
{
    std::fprintf(stderr, "keepwatch: %s\n", qUtf8Printable(message));
    std::fflush(stderr);
}

void printWarning(const QString &message)
{
    std::fprintf(stderr, "keepwatch: warning: %s\n", qUtf8Printable(message));
    std::fflush(stderr);
}

int runExport(const AppOptions &options)
{
    const QString dataDir = resolveDataDir(options.dataDir);
    const QString logPath = QDir(dataDir).filePath(u"events.sqlite"_qs);
    if (!QFileInfo::exists(logPath)) {
        printError(QCoreApplication::translate(
                       "kw::Export", "%1: no event log here; pass the --data-dir that the monitor used")
                       .arg(logPath));
        return 2;
    }
    QString error;
    std::unique_ptr<EventLog> log = EventLog::open(dataDir, &error);
    if (!log) {
        printError(error);
        return 1;
    }
    EventQuery query;
    query.endpoint = options.exportEndpoint;
    query.since = options.since;
    query.until = options.until;

    ExportOptions exportOptions;
    exportOptions.neutraliseFormulas = !options.csvRaw;
    qint64 count = 0;
    if (options.outputPath.isEmpty() || options.outputPath == u"-") {
        QFile out;
        if (!out.open(fileno(stdout), QIODevice::WriteOnly) ||
            !exportEvents(*log, query, options.exportFormat, out, &error, &count, exportOptions)) {
            printError(error);
            return 1;
        }
        return 0;
    }
    // Written whole or not at all: a failed export never leaves half a file.
    QSaveFile out(options.outputPath);
    if (!out.open(QIODevice::WriteOnly)) {
        printError(QCoreApplication::translate("kw::Export", "-o %1: cannot write: %2")
                       .arg(options.outputPath, out.errorString()));
        return 1;
    }
    if (!exportEvents(*log, query, options.exportFormat, out, &error, &count, exportOptions)) {
        printError(error);
        return 1;
    }
    if (!out.commit()) {
        printError(QCoreApplication::translate("kw::Export", "-o %1: cannot write: %2")
                       .arg(options.outputPath, out.errorString()));
        return 1;
    }
    std::fprintf(stderr, "keepwatch: exported %lld events to %s\n", static_cast<long long>(count),
                 qUtf8Printable(options.outputPath));
    return 0;
}

int runKeepalive(const AppOptions &options)
{
    // parseCommandLine() has validated the settings; keepaliveExplainText() names any problem anyway.
    const std::string text = net::keepaliveExplainText(options.keepalive);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
}

} // namespace kw
