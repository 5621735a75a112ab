#include "guirunner.h"

#include "alertdispatcher.h"
#include "appsupport.h"
#include "commandline.h"
#include "demopeers.h"
#include "descriptorbudget.h"
#include "desktopnotifier.h"
#include "engine.h"
#include "mainwindow.h"
#include "metricsserver.h"
#include "trayicon.h"

#include <QApplication>
#include <QFileInfo>
#include <QSettings>

#include <memory>

namespace kw {

namespace {
const QString kLastWorkspaceKey = u"workspace/last"_qs;
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
    // The window's event log reads the log itself (EventLogModel); this warning is about the process
    // and is never written there.
    QList<Event> startup;
    if (!descriptorWarning.isEmpty())
        startup.append(Event::info(QString(), descriptorWarning));
    Engine engine(engineOptions);
    if (options.metrics && !startMetricsServer(&engine, *options.metrics, &engine, &error)) {
        printError(error);
        return 1;
    }
    if (!engine.start(workspace, &error)) {
        printError(error);
        return 1;
    }
    // Announced alerts: the workspace's webhooks and commands, and the desktop (freedesktop
    // notifications or the tray's balloon, muted from the tray menu).
    AlertDispatcher alerts;
    for (const QString &warning : alerts.configure(workspace.notify))
        printWarning(warning);
    QObject::connect(&engine, &Engine::alertsReady, &alerts, &AlertDispatcher::dispatch);
    QObject::connect(&engine, &Engine::workspaceChanged, &alerts, [&alerts, &engine] {
        if (engine.workspace().notify != alerts.notifiers()) // File > Open; not every endpoint edit
            alerts.configure(engine.workspace().notify);
    });
    int code = 0;
    {
        MainWindow window(&engine, &settings);
        DesktopNotifier desktop(window.trayIcon());
        window.trayIcon()->setDesktopNotifier(&desktop);
        alerts.setDesktopNotifier(&desktop);
        window.appendEvents(startup);
        window.show();
        code = QApplication::exec();
        alerts.setDesktopNotifier(nullptr);
    }
    engine.shutdown();
    return code;
}

} // namespace kw
