#pragma once

#include "alertnotice.h"
#include "clock.h"
#include "endpointconfig.h"
#include "event.h"
#include "snapshot.h"
#include "workspace.h"

#include <QList>
#include <QObject>
#include <QString>

#include <memory>

class QThread;

namespace kw {

class Monitor;
struct MonitorDependencies;

struct EngineOptions
{
    QString dataDir;       // event log lives here; empty: no persistent log
    QString workspacePath; // edits are saved here; empty: edits stay in memory
};

// The GUI-thread face of the engine. The Monitor (sessions, trackers, event
// log) runs in its own thread; this object forwards commands to it as queued
// calls and re-emits its coalesced snapshots (<= 4 Hz) and event batches.
// Widgets talk to this, never to a session.
class Engine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Engine)

public:
    // On the steady clock and with this machine's system defaults.
    explicit Engine(EngineOptions options, QObject *parent = nullptr);
    // On the given clock and defaults; the clock must outlive the engine.
    Engine(EngineOptions options, const MonitorDependencies &dependencies, QObject *parent = nullptr);
    ~Engine() override;

    // Opens the event log and starts the engine thread. False with a message
    // naming the file and the fix when the data directory is unusable.
    bool start(const Workspace &workspace, QString *error);
    // Stops every session (cause "stopped"), flushes the log, joins the thread.
    void shutdown();

    const EngineOptions &options() const { return m_options; }
    const Workspace &workspace() const { return m_workspace; }
    SnapshotPtr latestSnapshot() const { return m_latest; }

    // Commands. Add/update/remove validate names, apply at once and save the
    // workspace when a path is set (workspaceSaveFailed on error).
    void startEndpoint(const QString &name);
    void stopEndpoint(const QString &name);
    bool addEndpoint(const EndpointConfig &config, QString *error);
    bool updateEndpoint(const QString &name, const EndpointConfig &config, QString *error);
    bool removeEndpoint(const QString &name, QString *error);

    // An import: adds `added` and replaces the endpoints named like those in `replaced`, all or
    // nothing, with one save. False with a message naming the endpoint when a name in `added`
    // is taken (or repeated), or one in `replaced` is not in the workspace.
    bool importEndpoints(const QList<EndpointConfig> &added, const QList<EndpointConfig> &replaced,
                         QString *error);
    // Swaps in another workspace (File > Open, File > New) by endpoint name: endpoints only in
    // the old one are removed, new ones added, changed ones restarted, and identical ones keep
    // their sessions untouched. `path` becomes where edits are saved (empty: nowhere). Nothing is
    // saved, and nothing changes when the workspace is unusable (blank or repeated names).
    bool replaceWorkspace(const Workspace &workspace, const QString &path, QString *error);
    // Writes the workspace to `path` and makes it where edits are saved from now on. An explicit
    // choice of the user: it replaces a file changed on disk since it was read (never one that
    // fails validation, see kw::saveWorkspace).
    bool saveWorkspaceAs(const QString &path, QString *error);
    // True when edits exist that no file holds: made without a workspace file, or whose save
    // failed (the message came with workspaceSaveFailed).
    bool hasUnsavedChanges() const { return m_unsaved; }

Q_SIGNALS:
    void snapshotReady(const kw::SnapshotPtr &snapshot);
    void eventsReady(const QList<kw::Event> &events);
    // The alerts the rules announced (never the suppressed ones: those are only "alert" events),
    // in the order decided. Every notifier consumes these.
    void alertsReady(const QList<kw::AlertNotice> &alerts);
    void workspaceSaveFailed(const QString &message);
    // After every add, update, remove and replace.
    void workspaceChanged();
    void workspacePathChanged(const QString &path);
    void unsavedChangesChanged(bool unsaved);

private:
    // After an edit: saves when a path is set, refusing to replace a file someone else changed
    // since Keepwatch read or wrote it.
    bool saveWorkspace();
    void setUnsaved(bool unsaved);
    void rememberDiskContents();

    EngineOptions m_options;
    SteadyClock m_steadyClock; // unused when a clock is handed in
    // Behind a pointer so that this header, which the window includes, names no socket type.
    std::unique_ptr<MonitorDependencies> m_dependencies;
    Workspace m_workspace;
    // SHA-256 of the workspace file as last read or written; empty: no file there.
    QByteArray m_diskDigest;
    bool m_unsaved = false;
    SnapshotPtr m_latest;
    QThread *m_thread = nullptr;
    Monitor *m_monitor = nullptr; // lives in m_thread
};

} // namespace kw
