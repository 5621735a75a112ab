#include "mainwindow.h"

#include "appicon.h"
#include "bundledialog.h"
#include "devicepanel.h"
#include "endpointdetails.h"
#include "endpointdialog.h"
#include "endpointpanel.h"
#include "endpointtablemodel.h"
#include "endpointtimeline.h"
#include "endpointtransfer.h"
#include "engine.h"
#include "enginelatenesstext.h"
#include "eventlogview.h"
#include "exportdialog.h"
#include "fleetfilter.h"
#include "fleetreconnectchart.h"
#include "historyreader.h"
#include "idleprobedialog.h"
#include "statestyle.h"
#include "systemkeepaliveview.h"
#include "trayicon.h"
#include "workspacefiles.h"

#include <QAbstractButton>
#include <QAction>
#include <QCloseEvent>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSaveFile>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>

namespace kw {

MainWindow::MainWindow(Engine *engine, QSettings *settings, QWidget *parent)
    : QMainWindow(parent), m_engine(engine), m_settings(settings)
{
    if (!m_settings) {
        m_ownedSettings =
            std::make_unique<QSettings>(QStringLiteral("Keepwatch"), QStringLiteral("Keepwatch"));
        m_settings = m_ownedSettings.get();
    }
    setObjectName(QStringLiteral("mainWindow"));
    setAccessibleName(tr("Keepwatch"));
    setWindowTitle(tr("Keepwatch"));
    setWindowIcon(AppIcon::icon());

    m_history = new HistoryReader(m_engine ? m_engine->options().dataDir : QString(), this);
    m_endpoints = new EndpointPanel(this);
    m_details = new EndpointDetails(this);
    m_details->setSystemDefaults(net::readSystemDefaults());
    m_devices = new DevicePanel(this);
    m_devices->hide();
    m_timeline = new EndpointTimeline(this);
    m_timeline->setHistoryReader(m_history);
    m_eventLog = new EventLogView(this);
    m_eventLog->setHistoryReader(m_history);
    m_fleet = new FleetReconnectChart(this);
    m_fleet->setHistoryReader(m_history);
    new FleetFilter(m_fleet, m_endpoints, m_eventLog); // a click on a bar filters the list and the log

    // Left: the table over the event log, both wide, and between them the
    // devices of a selected MQTT endpoint (their topics and payloads need the
    // width). Right: what is known about the selected endpoint, its details
    // over its RTT chart.
    m_vertical = new QSplitter(Qt::Vertical, this);
    m_vertical->setObjectName(QStringLiteral("verticalSplitter"));
    m_vertical->addWidget(m_endpoints);
    m_vertical->addWidget(m_devices);
    m_vertical->addWidget(m_fleet);
    m_vertical->addWidget(m_eventLog);
    m_vertical->setStretchFactor(0, 3);
    m_vertical->setStretchFactor(1, 2);
    m_vertical->setStretchFactor(2, 1);
    m_vertical->setStretchFactor(3, 2);
    m_vertical->setCollapsible(1, false);

    m_side = new QSplitter(Qt::Vertical, this);
    m_side->setObjectName(QStringLiteral("sideSplitter"));
    m_side->addWidget(m_details);
    m_side->addWidget(m_timeline);
    m_side->setStretchFactor(1, 1);

    m_horizontal = new QSplitter(Qt::Horizontal, this);
    m_horizontal->setObjectName(QStringLiteral("horizontalSplitter"));
    m_horizontal->addWidget(m_vertical);
    m_horizontal->addWidget(m_side);
    m_horizontal->setStretchFactor(0, 3);
    m_horizontal->setStretchFactor(1, 2);
    m_horizontal->setContentsMargins(6, 6, 6, 0);
    setCentralWidget(m_horizontal);

    m_counts = new QLabel(this);
    m_counts->setObjectName(QStringLiteral("statusCounts"));
    m_counts->setAccessibleName(tr("Endpoint counts by state"));
    m_counts->setToolTip(tr("Down includes endpoints waiting to reconnect; other is connecting or stopped"));
    m_counts->setTextFormat(Qt::RichText);
    m_workspace = new QLabel(this);
    m_workspace->setObjectName(QStringLiteral("statusWorkspace"));
    m_workspace->setAccessibleName(tr("Workspace file"));
    m_engineLateness = new QLabel(this);
    m_engineLateness->setObjectName(QStringLiteral("statusEngineLateness"));
    m_engineLateness->setAccessibleName(tr("Engine lateness"));
    statusBar()->addWidget(m_counts, 1);
    statusBar()->addPermanentWidget(m_engineLateness);
    statusBar()->addPermanentWidget(m_workspace);
    // A passing message (saved, opened, imported) takes the counts' place instead of overprinting them,
    // also when it came before the window was first shown.
    connect(statusBar(), &QStatusBar::messageChanged, m_counts,
            [this](const QString &message) { m_counts->setVisible(message.isEmpty()); });
    setWorkspacePath({});

    createActions();
    // The keys in every tooltip, as the menus show them.
    for (QAction *action : {m_add, m_edit, m_remove, m_start, m_stop, m_export, m_quit}) {
        if (!action->shortcut().isEmpty())
            action->setToolTip(
                tr("%1 (%2)").arg(action->toolTip(), action->shortcut().toString(QKeySequence::NativeText)));
    }
    m_edit->setToolTip(m_edit->toolTip() + u' ' + tr("or Enter in the list"));
    // Enter on a row edits it, as a double-click does; only while the list has the focus.
    for (const QKeySequence &key : {QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)}) {
        auto *enter = new QShortcut(key, m_endpoints->table());
        enter->setContext(Qt::WidgetShortcut);
        connect(enter, &QShortcut::activated, this, [this] { editEndpoint(m_endpoints->selectedName()); });
    }

    connect(m_endpoints, &EndpointPanel::selectedNameChanged, this, &MainWindow::selectionChanged);
    connect(m_endpoints, &EndpointPanel::editRequested, this, &MainWindow::editEndpoint);
    // Muting touches only the alert rules: the engine keeps the connection as it is.
    connect(m_endpoints, &EndpointPanel::alertMuteRequested, this,
            [this](const QString &name, const QDateTime &until) {
                const EndpointConfig *current = m_engine ? m_engine->workspace().find(name) : nullptr;
                if (!current)
                    return;
                EndpointConfig muted = *current;
                if (until.isValid())
                    muted.alert.muteUntil = WallTime(std::chrono::milliseconds(until.toMSecsSinceEpoch()));
                else
                    muted.alert.muteUntil.reset();
                QString error;
                if (!m_engine->updateEndpoint(name, muted, &error))
                    statusBar()->showMessage(error, 10'000);
                else if (until.isValid())
                    statusBar()->showMessage(
                        tr("Alerts of %1 muted until %2")
                            .arg(name, QLocale().toString(until.toLocalTime(), QLocale::ShortFormat)),
                        5000);
                else
                    statusBar()->showMessage(tr("Alerts of %1 unmuted").arg(name), 5000);
            });

    // Relative times ("3 min ago", "next attempt in 5 s") age between snapshots.
    m_tick = new QTimer(this);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, [this] {
        m_endpoints->model()->refreshRelativeTimes();
        updateDetails();
    });
    m_tick->start();

    // In the tray where the desktop has one; closing the window still quits.
    m_tray = new TrayIcon(m_engine, this);
    m_tray->attachWindow(this);
    connect(m_tray, &TrayIcon::endpointActivated, m_endpoints, &EndpointPanel::selectName);
    m_tray->show();

    if (m_engine) {
        setWorkspacePath(m_engine->options().workspacePath);
        connect(m_engine, &Engine::snapshotReady, this, &MainWindow::applySnapshot);
        connect(m_engine, &Engine::eventsReady, this, &MainWindow::appendEvents);
        connect(m_engine, &Engine::workspaceSaveFailed, this,
                [this](const QString &message) { showError(tr("Workspace not saved"), message); });
        connect(m_engine, &Engine::workspacePathChanged, this, &MainWindow::setWorkspacePath);
        connect(m_engine, &Engine::unsavedChangesChanged, this,
                [this] { setWorkspacePath(m_engine->options().workspacePath); });
        if (const SnapshotPtr latest = m_engine->latestSnapshot())
            applySnapshot(latest);
    }
    resize(1200, 780);
    restoreWindowState();
    updateActions();
    updateStatusCounts();
}

MainWindow::~MainWindow() = default;

void MainWindow::setWorkspacePath(const QString &path)
{
    const bool unsaved = m_engine && m_engine->hasUnsavedChanges();
    if (path.isEmpty()) {
        m_workspace->setText(unsaved ? tr("Unsaved workspace (no file)")
                                     : tr("Workspace not saved to a file"));
        m_workspace->setToolTip(tr("Edits stay in memory; File > Save workspace as… writes them to a file"));
    } else {
        m_workspace->setText(unsaved ? tr("%1 (last edit not saved)").arg(path)
                                     : tr("Saved to %1").arg(path));
        m_workspace->setToolTip(unsaved ? tr("The last edit could not be saved; File > Save workspace as… "
                                             "writes the workspace to a file you choose")
                                        : tr("Every edit is saved to %1 at once").arg(path));
    }
    // "[*]" shows as "*" while the window is modified.
    setWindowTitle(path.isEmpty() ? tr("Keepwatch[*]") : tr("%1[*] — Keepwatch").arg(path));
    setWindowModified(unsaved);
}

void MainWindow::applySnapshot(const SnapshotPtr &snapshot)
{
    m_endpoints->applySnapshot(snapshot);
    m_tray->applySnapshot(snapshot);
    if (snapshot) {
        const QString lateness = engineLatenessText(*snapshot);
        const QString latenessDetail = engineLatenessDetail(*snapshot);
        m_engineLateness->setText(lateness);
        m_engineLateness->setToolTip(latenessDetail);
        m_details->setEngineLateness(lateness, latenessDetail);
    }
    if (!m_selectWhenShown.isEmpty() && m_endpoints->model()->rowOf(m_selectWhenShown) >= 0) {
        m_endpoints->selectName(m_selectWhenShown);
        m_selectWhenShown.clear();
    }
    if (!m_selectedFirst && snapshot && !snapshot->endpoints.isEmpty()) {
        m_selectedFirst = true;
        if (m_endpoints->selectedName().isEmpty())
            m_endpoints->selectName(snapshot->endpoints.first().name);
    }
    updateDetails();
    updateStatusCounts();
    updateActions();
}

void MainWindow::appendEvents(const QList<Event> &events)
{
    m_eventLog->appendEvents(events);
    m_timeline->appendEvents(events);
    m_fleet->appendEvents(events);
    m_endpoints->model()->appendEvents(events);
}

const EndpointSnapshot *MainWindow::selectedEndpoint() const
{
    const QString name = m_endpoints->selectedName();
    if (name.isEmpty())
        return nullptr;
    return m_endpoints->model()->endpointAt(m_endpoints->model()->rowOf(name));
}

void MainWindow::selectionChanged(const QString &name)
{
    m_timeline->setEndpoint(name);
    m_eventLog->setSelectedEndpoint(name);
    updateDetails();
    updateActions();
}

void MainWindow::updateDetails()
{
    const EndpointSnapshot *selected = selectedEndpoint();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const net::TcpKeepaliveSettings *requested = nullptr;
    if (selected && m_engine) {
        // Asked on every snapshot and every tick: the selected endpoint's place in the workspace is
        // remembered, not searched for among every configuration each time (10,000 name comparisons
        // were 2.3 % of this thread). The place is checked by name, so an edit that moves it is seen.
        const QList<EndpointConfig> &configs = m_engine->workspace().endpoints;
        if (m_requestedAt < 0 || m_requestedAt >= configs.size() ||
            configs.at(m_requestedAt).name != selected->name) {
            m_requestedAt = -1;
            for (qsizetype i = 0; i < configs.size() && m_requestedAt < 0; ++i) {
                if (configs.at(i).name == selected->name)
                    m_requestedAt = i;
            }
        }
        if (m_requestedAt >= 0)
            requested = &configs.at(m_requestedAt).keepalive;
    }
    m_details->showEndpoint(selected, now, requested);
    m_devices->showEndpoint(selected, now);
    m_devices->setVisible(DevicePanel::hasDevices(selected));
    if (selected)
        m_timeline->setCurrentState(selected->state, selected->since);
}

void MainWindow::updateStatusCounts()
{
    int up = 0;
    int suspect = 0;
    int down = 0;
    int other = 0;
    const EndpointTableModel *model = m_endpoints->model();
    for (int row = 0; row < model->endpointCount(); ++row) {
        switch (model->endpointAt(row)->state) {
        case EndpointState::Up:
            ++up;
            break;
        case EndpointState::Suspect:
            ++suspect;
            break;
        case EndpointState::Down:
        case EndpointState::Waiting:
            ++down;
            break;
        default:
            ++other;
            break;
        }
    }
    const bool dark = StateStyle::isDark(palette());
    const auto part = [dark](EndpointState state, const QString &text) {
        return QStringLiteral("<span style=\"color:%1\">●</span> %2")
            .arg(StateStyle::color(state, dark).name(), text);
    };
    m_counts->setText(QStringList{part(EndpointState::Up, tr("%n up", nullptr, up)),
                                  part(EndpointState::Suspect, tr("%n suspect", nullptr, suspect)),
                                  part(EndpointState::Down, tr("%n down", nullptr, down)),
                                  part(EndpointState::Disabled, tr("%n other", nullptr, other))}
                          .join(QStringLiteral("&nbsp;&nbsp;&nbsp;")));
    m_counts->setAccessibleDescription(
        tr("%1 up, %2 suspect, %3 down, %4 other").arg(up).arg(suspect).arg(down).arg(other));
}

void MainWindow::updateActions()
{
    const EndpointSnapshot *selected = selectedEndpoint();
    const bool haveEngine = !m_engine.isNull();
    m_add->setEnabled(haveEngine);
    m_edit->setEnabled(haveEngine && selected);
    m_remove->setEnabled(haveEngine && selected);
    m_start->setEnabled(haveEngine && selected && selected->state == EndpointState::Disabled);
    m_stop->setEnabled(haveEngine && selected && selected->state != EndpointState::Disabled);
    if (m_transfer)
        m_transfer->updateActions();
}

void MainWindow::showError(const QString &title, const QString &message)
{
    statusBar()->showMessage(message, 10'000);
    // open(), not exec(): the engine's snapshots keep flowing behind the box.
    auto *box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("errorMessage"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::addEndpoint()
{
    if (!m_engine)
        return;
    QStringList taken;
    for (const EndpointConfig &c : m_engine->workspace().endpoints)
        taken.append(c.name);
    auto *dialog = new EndpointDialog(nullptr, taken, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWorkspace(m_engine->workspace());
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const std::optional<EndpointConfig> config = dialog->config();
        QString error;
        if (!config || !m_engine)
            return;
        if (!m_engine->addEndpoint(*config, &error)) {
            showError(tr("Endpoint not added"), error);
            return;
        }
        m_selectWhenShown = config->name;
        statusBar()->showMessage(tr("Added %1").arg(config->name), 5000);
    });
    dialog->open();
}

void MainWindow::editEndpoint(const QString &name)
{
    if (!m_engine || name.isEmpty())
        return;
    const EndpointConfig *existing = m_engine->workspace().find(name);
    if (!existing) {
        showError(tr("Endpoint not found"), tr("\"%1\" is no longer in the workspace.").arg(name));
        return;
    }
    QStringList taken;
    for (const EndpointConfig &c : m_engine->workspace().endpoints) {
        if (c.name != name)
            taken.append(c.name);
    }
    auto *dialog = new EndpointDialog(existing, taken, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWorkspace(m_engine->workspace());
    connect(dialog, &QDialog::accepted, this, [this, dialog, name] {
        const std::optional<EndpointConfig> config = dialog->config();
        QString error;
        if (!config || !m_engine)
            return;
        if (!m_engine->updateEndpoint(name, *config, &error)) {
            showError(tr("Endpoint not changed"), error);
            return;
        }
        if (config->name != name) {
            m_timeline->forgetEndpoint(name);
            m_selectWhenShown = config->name;
        }
        statusBar()->showMessage(tr("Saved %1").arg(config->name), 5000);
    });
    dialog->open();
}

void MainWindow::removeSelected()
{
    const QString name = m_endpoints->selectedName();
    if (!m_engine || name.isEmpty())
        return;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Remove endpoint"),
                                tr("Stop watching \"%1\" and remove it from the workspace?\n\n"
                                   "Its past events stay in the event log.")
                                    .arg(name),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("removeConfirmation"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->button(QMessageBox::Yes)->setText(tr("Remove"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, name] {
        if (box->clickedButton() != box->button(QMessageBox::Yes) || !m_engine)
            return;
        QString error;
        if (!m_engine->removeEndpoint(name, &error)) {
            showError(tr("Endpoint not removed"), error);
            return;
        }
        m_timeline->forgetEndpoint(name);
        statusBar()->showMessage(tr("Removed %1").arg(name), 5000);
    });
    box->open();
}

void MainWindow::startSelected()
{
    if (m_engine && !m_endpoints->selectedName().isEmpty())
        m_engine->startEndpoint(m_endpoints->selectedName());
}

void MainWindow::stopSelected()
{
    if (m_engine && !m_endpoints->selectedName().isEmpty())
        m_engine->stopEndpoint(m_endpoints->selectedName());
}

ExportDialog *MainWindow::exportEvents()
{
    QStringList names;
    if (m_engine) {
        for (const EndpointConfig &c : m_engine->workspace().endpoints)
            names.append(c.name);
    }
    auto *dialog = new ExportDialog(m_history, names, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ExportDialog::exportFinished, this, [this](bool ok, qint64, const QString &message) {
        if (ok)
            statusBar()->showMessage(message, 8000);
    });
    dialog->open();
    return dialog;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // Unsaved edits: the question is open, and the window closes once it is answered.
    if (m_files && !m_files->allowClose()) {
        event->ignore();
        return;
    }
    saveWindowState();
    QMainWindow::closeEvent(event);
}

} // namespace kw
