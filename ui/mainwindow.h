#pragma once

#include "event.h"
#include "snapshot.h"

#include <QList>
#include <QMainWindow>
#include <QPointer>
#include <QString>

#include <memory>

class QAction;
class QLabel;
class QSettings;
class QSplitter;
class QTimer;

namespace kw {

class Engine;
class DevicePanel;
class EndpointDetails;
class EndpointPanel;
class EventLogView;
class ExportDialog;
class FleetReconnectChart;
class HistoryReader;
class EndpointTimeline;
class EndpointTransfer;
class TrayIcon;
class WorkspaceFiles;

// The desktop window over a running kw::Engine: the endpoint table with a
// details panel and a live RTT chart, the devices of a selected MQTT endpoint
// and the event log below. It reads snapshots
// and event batches and sends commands; nothing here waits on the network.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    // `settings` null: QSettings("Keepwatch", "Keepwatch"). The window keeps
    // its geometry and splitter positions there.
    explicit MainWindow(Engine *engine, QSettings *settings = nullptr, QWidget *parent = nullptr);
    ~MainWindow() override;

    void setWorkspacePath(const QString &path);

    EndpointPanel *endpointPanel() const { return m_endpoints; }
    EndpointDetails *details() const { return m_details; }
    DevicePanel *devicePanel() const { return m_devices; }
    EndpointTimeline *timeline() const { return m_timeline; }
    EventLogView *eventLog() const { return m_eventLog; }
    FleetReconnectChart *fleetChart() const { return m_fleet; }
    TrayIcon *trayIcon() const { return m_tray; } // whether or not this desktop has a tray
    // Reads the engine's event log off the GUI thread, for every widget that shows history.
    HistoryReader *history() const { return m_history; }

    // File > Export events…: opens the export dialog (not modal) and returns it.
    ExportDialog *exportEvents();

    void saveWindowState();
    void restoreWindowState();

public Q_SLOTS:
    void applySnapshot(const kw::SnapshotPtr &snapshot);
    void appendEvents(const QList<kw::Event> &events);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void updateActions();
    void updateDetails();
    void updateStatusCounts();
    void selectionChanged(const QString &name);
    void addEndpoint();
    void editEndpoint(const QString &name);
    void removeSelected();
    void startSelected();
    void stopSelected();
    void showError(const QString &title, const QString &message);
    const EndpointSnapshot *selectedEndpoint() const;
    QAction *makeAction(const QString &objectName, const QString &text, const QIcon &icon,
                        const QString &toolTip);

    QPointer<Engine> m_engine;
    std::unique_ptr<QSettings> m_ownedSettings;
    QSettings *m_settings = nullptr;

    EndpointPanel *m_endpoints = nullptr;
    EndpointDetails *m_details = nullptr;
    DevicePanel *m_devices = nullptr; // shown while the selected endpoint watches devices
    HistoryReader *m_history = nullptr;
    EndpointTimeline *m_timeline = nullptr;
    EventLogView *m_eventLog = nullptr;
    FleetReconnectChart *m_fleet = nullptr;
    TrayIcon *m_tray = nullptr;
    QSplitter *m_vertical = nullptr;
    QSplitter *m_horizontal = nullptr;
    QSplitter *m_side = nullptr;
    QLabel *m_counts = nullptr;
    QLabel *m_workspace = nullptr;
    QLabel *m_engineLateness = nullptr;
    QTimer *m_tick = nullptr;
    // Added or renamed from the dialog: selected once a snapshot shows it.
    QString m_selectWhenShown;
    bool m_selectedFirst = false; // the first endpoint is selected once, so details show at start
    qsizetype m_requestedAt = -1; // the selected endpoint's configuration in the workspace, if found

    QAction *m_add = nullptr;
    QAction *m_edit = nullptr;
    QAction *m_remove = nullptr;
    QAction *m_start = nullptr;
    QAction *m_stop = nullptr;
    QAction *m_export = nullptr;
    QAction *m_quit = nullptr;
    WorkspaceFiles *m_files = nullptr;      // File > New, Open, Save, the unsaved question
    EndpointTransfer *m_transfer = nullptr; // File > Import and Export endpoints
};

} // namespace kw
