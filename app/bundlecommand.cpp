#include "bundlecommand.h"

#include "appsupport.h"
#include "bundlecontents.h"
#include "bundlesummary.h"
#include "commandline.h"
#include "eventlog.h"
#include "systemdefaults.h"
#include "workspace.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSysInfo>

#include <atomic>
#include <cstdio>
#include <memory>

#if defined(KEEPWATCH_HAVE_GUI)
#include "bundletimeline.h"
#include <QApplication>
#endif

namespace kw {

namespace {

// The translation context of this file's messages: lupdate files them under "kw::IncidentBundle", and
// Q_DECLARE_TR_FUNCTIONS looks them up under the same name.
class IncidentBundle
{
    Q_DECLARE_TR_FUNCTIONS(kw::IncidentBundle)
};

int writeBundle(const AppOptions &options)
{
    const QString dataDir = resolveDataDir(options.dataDir);
    const QString logPath = QDir(dataDir).filePath(u"events.sqlite"_qs);
    if (!QFileInfo::exists(logPath)) {
        printError(IncidentBundle::tr("%1: no event log here; pass the --data-dir that the monitor used")
                       .arg(logPath));
        return 2;
    }
    const QString name = options.exportEndpoint;
    IncidentBundleInfo info;
    if (!options.workspacePath.isEmpty()) {
        const WorkspaceResult loaded = loadWorkspace(options.workspacePath);
        if (!loaded.ok()) {
            for (const QString &e : loaded.errors)
                printError(e);
            return 2;
        }
        info.workspacePath = QFileInfo(options.workspacePath).absoluteFilePath();
        info.workspaceKeys = workspaceWideKeys(*loaded.workspace);
        if (const EndpointConfig *c = loaded.workspace->find(name))
            info.endpoint = *c;
        if (!info.endpoint) {
            QStringList names;
            for (const EndpointConfig &c : loaded.workspace->endpoints)
                names << c.name;
            // Its history may outlive it in the workspace: say so, and carry on with the log alone.
            printWarning(IncidentBundle::tr(
                             "%1: no endpoint named \"%2\" (it has: %3); the bundle holds its events but "
                             "not its settings")
                             .arg(options.workspacePath, name,
                                  names.isEmpty() ? IncidentBundle::tr("none") : names.join(u", "_qs)));
        }
    }

    QString error;
    std::unique_ptr<EventLog> log = EventLog::open(dataDir, &error);
    if (!log) {
        printError(error);
        return 1;
    }
    const IncidentRequest request{name, *options.since,
                                  options.until ? *options.until : QDateTime::currentDateTimeUtc()};
    const std::atomic_bool cancelled{false};
    const std::optional<IncidentEvidence> evidence = readIncidentEvidence(*log, request, cancelled, &error);
    if (!evidence) {
        printError(error);
        return 2;
    }

    info.systemDefaults = net::readSystemDefaults();
    info.keepwatchVersion = QString::fromLatin1(KEEPWATCH_VERSION);
    info.hostName = QSysInfo::machineHostName();
    info.createdAt = QDateTime::currentDateTimeUtc();
#if defined(KEEPWATCH_HAVE_GUI)
    info.timelinePng = renderTimelinePng(name, evidence->timelineEvents(), request.since, request.until,
                                         kBundleTimelineSize, &info.timelineNote);
#else
    info.timelineNote =
        IncidentBundle::tr("this Keepwatch was built without the window, which draws the timeline");
#endif
    if (info.timelinePng.isEmpty())
        printWarning(IncidentBundle::tr("no timeline picture: %1").arg(info.timelineNote));

    if (!writeZipArchive(options.outputPath, buildIncidentBundle(*evidence, info), &error)) {
        printError(error);
        return 1;
    }
    const IncidentAnalysis analysis = analyseIncident(*evidence);
    std::fprintf(
        stderr, "%s\n",
        qUtf8Printable(
            IncidentBundle::tr("keepwatch: wrote the incident bundle of %1 (%2 events, %3 drop(s)) to %4")
                .arg(name)
                .arg(evidence->eventCount)
                .arg(analysis.drops.size())
                .arg(options.outputPath)));
    return 0;
}

} // namespace

int runBundle(const AppOptions &options, int &argc, char **argv)
{
#if defined(KEEPWATCH_HAVE_GUI)
    // Nothing is shown: the offscreen platform needs no display and draws the same pixels.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
#else
    QCoreApplication app(argc, argv);
#endif
    QCoreApplication::setApplicationName(u"keepwatch"_qs);
    QCoreApplication::setOrganizationName(u"keepwatch"_qs);
    QCoreApplication::setApplicationVersion(QString::fromLatin1(KEEPWATCH_VERSION));
    return writeBundle(options);
}

} // namespace kw
