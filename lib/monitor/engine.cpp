#include "engine.h"

#include "monitor.h"
#include "monitorlogging.h"

#include <QCoreApplication>
#include <QThread>

namespace kw {

namespace {
void registerMetaTypes()
{
    static const bool once = [] {
        qRegisterMetaType<kw::SnapshotPtr>();
        qRegisterMetaType<kw::Event>();
        qRegisterMetaType<QList<kw::Event>>();
        qRegisterMetaType<kw::EndpointState>();
        return true;
    }();
    Q_UNUSED(once);
}
} // namespace

Engine::Engine(EngineOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options)),
      m_dependencies(std::make_unique<MonitorDependencies>(
          MonitorDependencies{m_steadyClock, net::readSystemDefaults()}))
{
    registerMetaTypes();
}

Engine::Engine(EngineOptions options, const MonitorDependencies &dependencies, QObject *parent)
    : QObject(parent), m_options(std::move(options)),
      m_dependencies(std::make_unique<MonitorDependencies>(dependencies))
{
    registerMetaTypes();
}

Engine::~Engine()
{
    shutdown();
}

bool Engine::start(const Workspace &workspace, QString *error)
{
    if (m_thread)
        return true;
    m_workspace = workspace;
    m_thread = new QThread(this);
    m_thread->setObjectName(u"keepwatch-engine"_qs);
    m_monitor = new Monitor(*m_dependencies);
    m_monitor->moveToThread(m_thread);
    connect(m_monitor, &Monitor::snapshotReady, this, [this](const SnapshotPtr &snapshot) {
        m_latest = snapshot;
        Q_EMIT snapshotReady(snapshot);
    });
    connect(m_monitor, &Monitor::eventsReady, this, &Engine::eventsReady);
    m_thread->start();

    bool opened = true;
    QString openError;
    if (!m_options.dataDir.isEmpty()) {
        QMetaObject::invokeMethod(
            m_monitor, [&] { opened = m_monitor->openLog(m_options.dataDir, &openError); },
            Qt::BlockingQueuedConnection);
    }
    if (!opened) {
        if (error)
            *error = openError;
        shutdown();
        return false;
    }
    const QList<EndpointConfig> endpoints = m_workspace.endpoints;
    QMetaObject::invokeMethod(
        m_monitor, [monitor = m_monitor, endpoints] { monitor->startAll(endpoints); }, Qt::QueuedConnection);
    return true;
}

void Engine::shutdown()
{
    if (!m_thread)
        return;
    QList<Event> last;
    Monitor *monitor = m_monitor;
    QMetaObject::invokeMethod(
        monitor,
        [&last, monitor] {
            last = monitor->shutdown();
            delete monitor;
        },
        Qt::BlockingQueuedConnection);
    m_monitor = nullptr;
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    // Batches the engine queued before it stopped come first, then the last ones.
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
    if (!last.isEmpty())
        Q_EMIT eventsReady(last);
}

void Engine::startEndpoint(const QString &name)
{
    if (const EndpointConfig *config = m_workspace.find(name); config && !config->enabled) {
        // Starting an endpoint the workspace disables enables it for good.
        EndpointConfig enabled = *config;
        enabled.enabled = true;
        updateEndpoint(name, enabled, nullptr);
        return;
    }
    if (!m_monitor)
        return;
    QMetaObject::invokeMethod(
        m_monitor, [monitor = m_monitor, name] { monitor->startEndpoint(name); }, Qt::QueuedConnection);
}

void Engine::stopEndpoint(const QString &name)
{
    if (!m_monitor)
        return;
    QMetaObject::invokeMethod(
        m_monitor, [monitor = m_monitor, name] { monitor->stopEndpoint(name); }, Qt::QueuedConnection);
}

bool Engine::addEndpoint(const EndpointConfig &config, QString *error)
{
    if (config.name.trimmed().isEmpty()) {
        if (error)
            *error = tr("The endpoint needs a name.");
        return false;
    }
    if (m_workspace.find(config.name)) {
        if (error)
            *error = tr("An endpoint named \"%1\" exists already; choose another name.").arg(config.name);
        return false;
    }
    m_workspace.endpoints.append(config);
    if (m_monitor) {
        QMetaObject::invokeMethod(
            m_monitor, [monitor = m_monitor, config] { monitor->addEndpoint(config); }, Qt::QueuedConnection);
    }
    saveWorkspace();
    return true;
}

bool Engine::updateEndpoint(const QString &name, const EndpointConfig &config, QString *error)
{
    const auto it = std::find_if(m_workspace.endpoints.begin(), m_workspace.endpoints.end(),
                                 [&name](const EndpointConfig &e) { return e.name == name; });
    if (it == m_workspace.endpoints.end()) {
        if (error)
            *error = tr("There is no endpoint named \"%1\".").arg(name);
        return false;
    }
    if (config.name != name && m_workspace.find(config.name)) {
        if (error)
            *error = tr("An endpoint named \"%1\" exists already; choose another name.").arg(config.name);
        return false;
    }
    *it = config;
    if (m_monitor) {
        QMetaObject::invokeMethod(
            m_monitor, [monitor = m_monitor, name, config] { monitor->updateEndpoint(name, config); },
            Qt::QueuedConnection);
    }
    saveWorkspace();
    return true;
}

bool Engine::removeEndpoint(const QString &name, QString *error)
{
    const auto removed =
        m_workspace.endpoints.removeIf([&name](const EndpointConfig &e) { return e.name == name; });
    if (removed == 0) {
        if (error)
            *error = tr("There is no endpoint named \"%1\".").arg(name);
        return false;
    }
    if (m_monitor) {
        QMetaObject::invokeMethod(
            m_monitor, [monitor = m_monitor, name] { monitor->removeEndpoint(name); }, Qt::QueuedConnection);
    }
    saveWorkspace();
    return true;
}

bool Engine::saveWorkspace()
{
    if (m_options.workspacePath.isEmpty())
        return true;
    QString error;
    if (kw::saveWorkspace(m_options.workspacePath, m_workspace, &error))
        return true;
    qCWarning(lcMonitor).noquote() << error;
    Q_EMIT workspaceSaveFailed(error);
    return false;
}

} // namespace kw
