#include "headlessrunner.h"

#include "alertdispatcher.h"
#include "appsupport.h"
#include "demopeers.h"
#include "descriptorbudget.h"
#include "engine.h"
#include "metricsserver.h"
#include "terminalprinter.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimer>

#include <csignal>
#include <cstdio>

#if defined(Q_OS_UNIX)
#include <sys/socket.h>
#include <unistd.h>
#elif defined(Q_OS_WIN)
#include <windows.h>
#endif

namespace kw {

namespace {

// How often the terminal printer sums the fleet up in one line.
constexpr std::chrono::seconds kSummaryInterval(60);

#if defined(Q_OS_UNIX)
int g_signalPipe[2] = {-1, -1};
constexpr char kQuitByte = 1;
constexpr char kSummaryByte = 2;

void onTerminationSignal(int)
{
    // Only async-signal-safe calls here: the event loop does the rest.
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &kQuitByte, 1);
}

void onSummarySignal(int)
{
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &kSummaryByte, 1);
}
#elif defined(Q_OS_WIN)
BOOL WINAPI onConsoleControl(DWORD)
{
    QMetaObject::invokeMethod(QCoreApplication::instance(), &QCoreApplication::quit, Qt::QueuedConnection);
    return TRUE;
}
#endif

} // namespace

HeadlessRunner::HeadlessRunner(AppOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options))
{}

HeadlessRunner::~HeadlessRunner() = default;

void HeadlessRunner::installSignalHandlers()
{
#if defined(Q_OS_UNIX)
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_signalPipe) != 0)
        return;
    m_signalNotifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, this);
    connect(m_signalNotifier, &QSocketNotifier::activated, this, [this] {
        char byte = kQuitByte;
        [[maybe_unused]] const auto n = ::read(g_signalPipe[0], &byte, 1);
        if (byte == kSummaryByte) {
            if (m_printer)
                m_printer->printSummary(QDateTime::currentDateTimeUtc());
            return;
        }
        m_signalNotifier->setEnabled(false);
        QCoreApplication::quit();
    });
    struct sigaction action = {};
    action.sa_handler = onTerminationSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    if (m_printer) {
        struct sigaction summary = action;
        summary.sa_handler = onSummarySignal;
        sigaction(SIGUSR1, &summary, nullptr);
    }
#elif defined(Q_OS_WIN)
    SetConsoleCtrlHandler(onConsoleControl, TRUE);
#endif
}

bool HeadlessRunner::openEventsOutput(QString *error)
{
    const QString &target = m_options.eventsTarget;
    m_jsonLines = !target.isEmpty();
    if (target.isEmpty() || target == u"-") {
        // The descriptor, not the FILE*: stdio would hold lines back in its
        // buffer when stdout is a pipe (`keepwatch ... | jq`, log shippers).
        if (!m_out.open(fileno(stdout), QIODevice::WriteOnly | QIODevice::Unbuffered)) {
            *error = tr("cannot write to standard output");
            return false;
        }
        return true;
    }
    m_out.setFileName(target);
    if (!m_out.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered)) {
        *error =
            tr("--events %1: cannot open for writing: %2; choose a writable file or '-' for standard output")
                .arg(target, m_out.errorString());
        return false;
    }
    return true;
}

void HeadlessRunner::startTerminalPrinter()
{
    if (m_jsonLines)
        return; // --events: the JSON stream and nothing else, even on a terminal
    // KEEPWATCH_TERMINAL=1 or 0 overrides the isatty() answer (tests, `script`, CI logs).
    bool ok = false;
    const int forced = qEnvironmentVariableIntValue("KEEPWATCH_TERMINAL", &ok);
    if (ok ? forced == 0 : !TerminalPrinter::isTerminal(stdout))
        return;
    TerminalPrinter::Options options;
    options.color = TerminalPrinter::colorWanted();
    m_printer = std::make_unique<TerminalPrinter>(&m_out, options);
    connect(m_engine.get(), &Engine::snapshotReady, this,
            [this](const SnapshotPtr &snapshot) { m_printer->setSnapshot(snapshot); });
    auto *summary = new QTimer(this);
    summary->setInterval(kSummaryInterval);
    connect(summary, &QTimer::timeout, this,
            [this] { m_printer->printSummary(QDateTime::currentDateTimeUtc()); });
    summary->start();
}

int HeadlessRunner::run()
{
    QString error;
    Workspace workspace;
    if (m_options.demo) {
        m_demo = std::make_unique<DemoPeers>();
        if (!m_demo->start(&error)) {
            printError(error);
            return 1;
        }
        workspace = m_demo->workspace();
    } else {
        const WorkspaceResult loaded = loadWorkspace(m_options.workspacePath);
        if (!loaded.ok()) {
            printError(loaded.errors.isEmpty()
                           ? tr("%1: cannot load the workspace").arg(m_options.workspacePath)
                           : loaded.errors.first());
            return 2;
        }
        for (const QString &warning : loaded.warnings)
            printWarning(warning);
        workspace = *loaded.workspace;
    }
    if (!openEventsOutput(&error)) {
        printError(error);
        return 2;
    }

    EngineOptions engineOptions;
    engineOptions.dataDir = resolveDataDir(m_options.dataDir);
    checkDescriptorBudget(workspace, engineOptions.dataDir);
    m_engine = std::make_unique<Engine>(engineOptions);
    connect(m_engine.get(), &Engine::eventsReady, this, &HeadlessRunner::onEvents);
    if (m_options.metrics && !startMetricsServer(m_engine.get(), *m_options.metrics, this, &error)) {
        printError(error);
        return 1;
    }
    startTerminalPrinter();
    // The workspace's webhooks and commands ("desktop" entries need the window); failures are
    // logged as warnings naming the notifier.
    auto *alerts = new AlertDispatcher(this);
    for (const QString &warning : alerts->configure(workspace.notify))
        printWarning(warning);
    connect(m_engine.get(), &Engine::alertsReady, alerts, &AlertDispatcher::dispatch);
    if (!m_engine->start(workspace, &error)) {
        printError(error);
        return 1;
    }
    workspace = {}; // the engine has its own copy; thousands of endpoints are megabytes
    installSignalHandlers();
    if (m_options.durationSeconds) {
        QTimer::singleShot(std::chrono::milliseconds(qint64(*m_options.durationSeconds * 1000.0)), qApp,
                           &QCoreApplication::quit);
    }
    QCoreApplication::exec();
    m_engine->shutdown();
    m_out.flush();
    return 0;
}

void HeadlessRunner::onEvents(const QList<Event> &events)
{
    for (const Event &event : events) {
        if (m_jsonLines) {
            m_out.write(event.toJsonLine() + '\n');
        } else if (m_printer) {
            m_printer->printEvent(event);
        } else if (event.kind == EventKind::State || event.kind == EventKind::Device ||
                   (event.kind == EventKind::Alert &&
                    !event.data.value(u"suppressed").toString().startsWith(u"below-"))) {
            // A device's line names the device, so it never reads as the broker's own state; an
            // alert's says whether it was announced ("alert down") or held ("held down").
            const QString alert = event.data.value(u"alert").toString();
            const QString state =
                event.kind == EventKind::Device ? u"device "_qs + event.stateName()
                : event.kind == EventKind::Alert
                    ? (event.data.value(u"announced").toBool() ? u"alert "_qs : u"held "_qs) + alert
                    : event.stateName();
            QString line = formatTimestamp(event.ts) + u"  " + event.endpoint.leftJustified(24) + u' ' +
                           state.leftJustified(10);
            if (!event.cause.isNone())
                line += u" [" + event.causeName() + u']';
            if (!event.detail.isEmpty())
                line += u"  " + event.detail;
            m_out.write(line.toUtf8() + '\n');
        }
    }
}

} // namespace kw
