#include "engine.h"

#include "monitor.h"
#include "monitorlogging.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QSet>
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
        qRegisterMetaType<kw::AlertNotice>();
        qRegisterMetaType<QList<kw::AlertNotice>>();
        return true;
    }();
    Q_UNUSED(once);
}

// Empty when there is no readable file.
QByteArray fileDigest(const QString &path)
{
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return hash.result();
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
    rememberDiskContents();
    m_thread = new QThread(this);
    m_thread->setObjectName(u"keepwatch-engine"_qs);
    m_monitor = new Monitor(*m_dependencies);
    // Before the move: no connect has been asked for yet.
    m_monitor->setConnectSpread(resolveConnectSpread(m_workspace.connectSpread));
    m_monitor->moveToThread(m_thread);
    connect(m_monitor, &Monitor::snapshotReady, this, [this](const SnapshotPtr &snapshot) {
        m_latest = snapshot;
        Q_EMIT snapshotReady(snapshot);
    });
    connect(m_monitor, &Monitor::eventsReady, this, &Engine::eventsReady);
    connect(m_monitor, &Monitor::alertsReady, this, &Engine::alertsReady);
    m_thread->start();

    bool opened = true;
    QString openError;
    if (!m_options.dataDir.isEmpty()) {
        QMetaObject::invokeMethod(
            m_monitor,
            [&] {
                opened =
                    m_monitor->openLog(m_options.dataDir, &openError, resolveLogRetention(m_workspace.log));
            },
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
        m_monitor,
        [monitor = m_monitor, endpoints, alert = m_workspace.alert] {
            monitor->setAlertDefaults(alert);
            monitor->startAll(endpoints);
        },
        Qt::QueuedConnection);
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
    Q_EMIT workspaceChanged();
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
    Q_EMIT workspaceChanged();
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
    Q_EMIT workspaceChanged();
    return true;
}

bool Engine::importEndpoints(const QList<EndpointConfig> &added, const QList<EndpointConfig> &replaced,
                             QString *error)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    QSet<QString> names;
    for (const EndpointConfig &e : added) {
        if (e.name.trimmed().isEmpty())
            return fail(tr("An imported endpoint has no name; give it one."));
        if (m_workspace.find(e.name) || names.contains(e.name))
            return fail(tr("An endpoint named \"%1\" exists already; choose another name.").arg(e.name));
        names.insert(e.name);
    }
    for (const EndpointConfig &e : replaced) {
        if (!m_workspace.find(e.name))
            return fail(tr("There is no endpoint named \"%1\" to replace.").arg(e.name));
        if (names.contains(e.name))
            return fail(tr("\"%1\" is imported twice; keep one.").arg(e.name));
        names.insert(e.name);
    }
    for (const EndpointConfig &config : replaced) {
        const auto it = std::find_if(m_workspace.endpoints.begin(), m_workspace.endpoints.end(),
                                     [&config](const EndpointConfig &e) { return e.name == config.name; });
        *it = config;
        if (m_monitor) {
            QMetaObject::invokeMethod(
                m_monitor, [monitor = m_monitor, config] { monitor->updateEndpoint(config.name, config); },
                Qt::QueuedConnection);
        }
    }
    for (const EndpointConfig &config : added) {
        m_workspace.endpoints.append(config);
        if (m_monitor) {
            QMetaObject::invokeMethod(
                m_monitor, [monitor = m_monitor, config] { monitor->addEndpoint(config); },
                Qt::QueuedConnection);
        }
    }
    saveWorkspace();
    Q_EMIT workspaceChanged();
    return true;
}

bool Engine::replaceWorkspace(const Workspace &workspace, const QString &path, QString *error)
{
    QSet<QString> names;
    for (const EndpointConfig &e : workspace.endpoints) {
        QString problem;
        if (e.name.trimmed().isEmpty())
            problem = tr("An endpoint of the workspace has no name; give every endpoint a unique name.");
        else if (names.contains(e.name))
            problem =
                tr("Two endpoints of the workspace are named \"%1\"; names must be unique.").arg(e.name);
        if (!problem.isEmpty()) {
            if (error)
                *error = problem;
            return false;
        }
        names.insert(e.name);
    }
    if (m_monitor && !(workspace.alert == m_workspace.alert)) {
        QMetaObject::invokeMethod(
            m_monitor, [monitor = m_monitor, alert = workspace.alert] { monitor->setAlertDefaults(alert); },
            Qt::QueuedConnection);
    }
    if (m_monitor) {
        // Removals first, so a new endpoint may listen on a port a removed one held.
        for (const EndpointConfig &old : std::as_const(m_workspace.endpoints)) {
            if (!names.contains(old.name)) {
                QMetaObject::invokeMethod(
                    m_monitor, [monitor = m_monitor, name = old.name] { monitor->removeEndpoint(name); },
                    Qt::QueuedConnection);
            }
        }
        for (const EndpointConfig &config : workspace.endpoints) {
            const EndpointConfig *old = m_workspace.find(config.name);
            if (!old) {
                QMetaObject::invokeMethod(
                    m_monitor, [monitor = m_monitor, config] { monitor->addEndpoint(config); },
                    Qt::QueuedConnection);
            } else if (!(*old == config)) {
                QMetaObject::invokeMethod(
                    m_monitor,
                    [monitor = m_monitor, config] { monitor->updateEndpoint(config.name, config); },
                    Qt::QueuedConnection);
            }
        }
    }
    if (m_monitor && !(workspace.connectSpread == m_workspace.connectSpread)) {
        QMetaObject::invokeMethod(
            m_monitor,
            [monitor = m_monitor, spread = resolveConnectSpread(workspace.connectSpread)] {
                monitor->setConnectSpread(spread);
            },
            Qt::QueuedConnection);
    }
    if (m_monitor && !(workspace.log == m_workspace.log)) {
        QMetaObject::invokeMethod(
            m_monitor,
            [monitor = m_monitor, retention = resolveLogRetention(workspace.log)] {
                monitor->setLogRetention(retention);
            },
            Qt::QueuedConnection);
    }
    m_workspace = workspace;
    const QString absolute = path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
    const bool moved = absolute != m_options.workspacePath;
    m_options.workspacePath = absolute;
    rememberDiskContents();
    setUnsaved(false);
    Q_EMIT workspaceChanged();
    if (moved)
        Q_EMIT workspacePathChanged(absolute);
    return true;
}

bool Engine::saveWorkspaceAs(const QString &path, QString *error)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (!kw::saveWorkspace(absolute, m_workspace, error))
        return false;
    const bool moved = absolute != m_options.workspacePath;
    m_options.workspacePath = absolute;
    rememberDiskContents();
    setUnsaved(false);
    if (moved)
        Q_EMIT workspacePathChanged(absolute);
    return true;
}

void Engine::setUnsaved(bool unsaved)
{
    if (m_unsaved == unsaved)
        return;
    m_unsaved = unsaved;
    Q_EMIT unsavedChangesChanged(unsaved);
}

void Engine::rememberDiskContents()
{
    m_diskDigest = fileDigest(m_options.workspacePath);
}

bool Engine::saveWorkspace()
{
    if (m_options.workspacePath.isEmpty()) {
        setUnsaved(true);
        return true;
    }
    QString error;
    // Someone (an editor, another Keepwatch) changed the file since it was read or written here:
    // saving would silently drop their change.
    if (fileDigest(m_options.workspacePath) != m_diskDigest) {
        error = tr("%1: not saved: the file changed on disk since Keepwatch read it. Your edit is kept in "
                   "the window; save the workspace under another name, or open the file again to see "
                   "the other change.")
                    .arg(m_options.workspacePath);
    } else if (kw::saveWorkspace(m_options.workspacePath, m_workspace, &error)) {
        rememberDiskContents();
        setUnsaved(false);
        return true;
    }
    qCWarning(lcMonitor).noquote() << error;
    setUnsaved(true);
    Q_EMIT workspaceSaveFailed(error);
    return false;
}

} // namespace kw
