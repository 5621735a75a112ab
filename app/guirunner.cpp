#include "guirunner.h"

#include "appsupport.h"
#include "commandline.h"
#include "demopeers.h"
#include "descriptorbudget.h"
#include "engine.h"
#include "eventlog.h"
#include "mainwindow.h"

#include <QApplication>
#include <QFileInfo>
#include <QSettings>

#include <algorithm>
#include <memory>

namespace kw {

namespace {
const QString kLastWorkspaceKey = u"workspace/last"_qs;
constexpr int kHistoryMinutes = 10;   // what the RTT chart shows
constexpr int kHistoryEvents = 10000; // what the event pane keeps

// The last minutes of the event log, so a restarted window shows what
// happened just before it (SQLite in WAL mode lets this read run beside the
// engine's writes).
QList<Event> recentHistory(const QString &dataDir, const QStringList &endpoints)
{
    QString error;
    std::unique_ptr<EventLog> log = EventLog::open(dataDir, &error);
    if (!log)
        return {};
    const QDateTime now = QDateTime::currentDateTimeUtc();
    EventQuery query;
    query.since = now.addSecs(-60 * kHistoryMinutes);
    query.limit = kHistoryEvents;
    query.newestFirst = true;
    QList<Event> events = log->query(query, &error);
    std::reverse(events.begin(), events.end());
    // Only endpoints that are in this workspace (the data directory may be shared).
    events.removeIf([&endpoints](const Event &e) {
        const QString owner = e.endpoint.section(u'/', 0, 0);
        return !endpoints.contains(owner);
    });
    return events;
}
} // namespace

bool guiPlatformAvailable()
{
#if defined(Q_OS_LINUX) || defined(Q_OS_FREEBSD)
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") ||
           !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
#else
    return true;
#endif
}

int runGui(const AppOptions &options)
{
    QSettings settings;
    QString workspacePath = options.workspacePath;
    if (workspacePath.isEmpty() && !options.demo) {
        const QString last = settings.value(kLastWorkspaceKey).toString();
        if (!last.isEmpty() && QFileInfo::exists(last))
            workspacePath = last;
    }

    Workspace workspace;
    std::unique_ptr<DemoPeers> demo;
    QString error;
    if (workspacePath.isEmpty()) {
        demo = std::make_unique<DemoPeers>();
        if (!demo->start(&error)) {
            printError(error);
            return 1;
        }
        workspace = demo->workspace();
    } else {
        const WorkspaceResult loaded = loadWorkspace(workspacePath);
        if (!loaded.ok()) {
            printError(loaded.errors.isEmpty() ? workspacePath : loaded.errors.first());
            return 2;
        }
        for (const QString &warning : loaded.warnings)
            printWarning(warning);
        workspace = *loaded.workspace;
        settings.setValue(kLastWorkspaceKey, QFileInfo(workspacePath).absoluteFilePath());
    }

    EngineOptions engineOptions;
    engineOptions.dataDir = resolveDataDir(options.dataDir);
    engineOptions.workspacePath =
        workspacePath.isEmpty() ? QString() : QFileInfo(workspacePath).absoluteFilePath();
    const QString descriptorWarning = checkDescriptorBudget(workspace, engineOptions.dataDir);
    // Read before the engine starts writing, so nothing shows twice.
    QList<Event> history;
    if (!demo) {
        QStringList names;
        for (const EndpointConfig &e : workspace.endpoints)
            names << e.name;
        history = recentHistory(engineOptions.dataDir, names);
    }
    // The history keeps only this workspace's endpoints; the warning is about the whole process.
    if (!descriptorWarning.isEmpty())
        history.append(Event::info(QString(), descriptorWarning));
    Engine engine(engineOptions);
    if (!engine.start(workspace, &error)) {
        printError(error);
        return 1;
    }
    int code = 0;
    {
        MainWindow window(&engine, &settings);
        window.appendEvents(history);
        window.show();
        code = QApplication::exec();
    }
    engine.shutdown();
    return code;
}

} // namespace kw
