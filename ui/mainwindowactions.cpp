// The window's actions, menus, toolbar and shortcuts.
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

QAction *MainWindow::makeAction(const QString &objectName, const QString &text, const QIcon &icon,
                                const QString &toolTip)
{
    auto *action = new QAction(icon, text, this);
    action->setObjectName(objectName);
    action->setToolTip(toolTip);
    action->setStatusTip(toolTip);
    return action;
}

void MainWindow::createActions()
{
    QStyle *s = style();
    m_add = makeAction(
        QStringLiteral("actionAdd"), tr("&Add…"),
        QIcon::fromTheme(QStringLiteral("list-add"), s->standardIcon(QStyle::SP_FileDialogNewFolder)),
        tr("Add a TCP or MQTT endpoint to watch"));
    m_add->setShortcuts({QKeySequence(QKeySequence::New), QKeySequence(Qt::Key_Insert)});
    m_edit = makeAction(
        QStringLiteral("actionEdit"), tr("&Edit…"),
        QIcon::fromTheme(QStringLiteral("document-edit"), s->standardIcon(QStyle::SP_FileDialogDetailedView)),
        tr("Change the selected endpoint's settings"));
    m_edit->setShortcut(Qt::Key_F2);
    m_remove =
        makeAction(QStringLiteral("actionRemove"), tr("&Remove…"),
                   QIcon::fromTheme(QStringLiteral("list-remove"), s->standardIcon(QStyle::SP_TrashIcon)),
                   tr("Stop watching the selected endpoint and delete it from the workspace"));
    m_remove->setShortcut(QKeySequence::Delete);
    m_start = makeAction(
        QStringLiteral("actionStart"), tr("&Start"),
        QIcon::fromTheme(QStringLiteral("media-playback-start"), s->standardIcon(QStyle::SP_MediaPlay)),
        tr("Connect and watch the selected endpoint"));
    m_stop = makeAction(
        QStringLiteral("actionStop"), tr("S&top"),
        QIcon::fromTheme(QStringLiteral("media-playback-stop"), s->standardIcon(QStyle::SP_MediaStop)),
        tr("Close the selected endpoint's connection and stop watching it"));
    m_start->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_stop->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    m_export = makeAction(
        QStringLiteral("actionExport"), tr("E&xport events…"),
        QIcon::fromTheme(QStringLiteral("document-save-as"), s->standardIcon(QStyle::SP_DialogSaveButton)),
        tr("Save events from the log as CSV or JSON Lines"));
    m_export->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E)); // Ctrl+Shift+S is Save workspace as
    m_quit = makeAction(QStringLiteral("actionQuit"), tr("&Quit"),
                        QIcon::fromTheme(QStringLiteral("application-exit")), tr("Close the window"));
    // QKeySequence::Quit is unbound on some platforms.
    m_quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_quit->setMenuRole(QAction::QuitRole);

    connect(m_add, &QAction::triggered, this, &MainWindow::addEndpoint);
    connect(m_edit, &QAction::triggered, this, [this] { editEndpoint(m_endpoints->selectedName()); });
    connect(m_remove, &QAction::triggered, this, &MainWindow::removeSelected);
    connect(m_start, &QAction::triggered, this, &MainWindow::startSelected);
    connect(m_stop, &QAction::triggered, this, &MainWindow::stopSelected);
    connect(m_export, &QAction::triggered, this, &MainWindow::exportEvents);
    connect(m_quit, &QAction::triggered, this, &QWidget::close);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("menuFile"));
    m_files = new WorkspaceFiles(m_engine, m_settings, this);
    m_transfer = new EndpointTransfer(m_engine, this);
    m_transfer->setSelection([this] {
        const QString name = m_endpoints->selectedName();
        return name.isEmpty() ? QStringList() : QStringList{name};
    });
    m_files->addToMenu(file);
    file->addSeparator();
    m_transfer->addToMenu(file);
    file->addSeparator();
    file->addAction(m_export);
    file->addSeparator();
    file->addAction(m_quit);
    QMenu *endpoint = menuBar()->addMenu(tr("&Endpoint"));
    endpoint->setObjectName(QStringLiteral("menuEndpoint"));
    endpoint->addActions({m_add, m_edit, m_remove});
    endpoint->addSeparator();
    endpoint->addActions({m_start, m_stop});
    // One endpoint's evidence over a time range in one zip (the same as `keepwatch bundle`).
    auto *bundle = makeAction(QStringLiteral("actionIncidentBundle"), tr("Save &incident bundle…"), QIcon(),
                              tr("Save the selected endpoint's events, settings, timeline and a summary of "
                                 "a time range as one zip file"));
    connect(bundle, &QAction::triggered, this,
            [this] { openIncidentBundleDialog(m_engine, m_history, selectedEndpoint(), this); });
    endpoint->addSeparator();
    endpoint->addAction(bundle);

    // The OS keepalive defaults, the commands to change them, and who overrides them. Read when opened:
    // a few /proc (or registry) reads, no network.
    auto *systemKeepalive =
        makeAction(QStringLiteral("actionSystemKeepalive"), tr("&System keepalive…"), QIcon(),
                   tr("This machine's TCP keepalive defaults, how to change them, and "
                      "which endpoints set their own"));
    connect(systemKeepalive, &QAction::triggered, this, [this] {
        const QList<EndpointConfig> endpoints =
            m_engine ? m_engine->workspace().endpoints : QList<EndpointConfig>{};
        auto *view = new SystemKeepaliveView(net::readSystemDefaults(), endpoints, this);
        view->setAttribute(Qt::WA_DeleteOnClose);
        view->open();
    });
    QMenu *tools = menuBar()->addMenu(tr("&Tools"));
    tools->setObjectName(QStringLiteral("menuTools"));
    tools->addAction(systemKeepalive);
    // `keepwatch probe-idle` from the window: the search runs on a thread of its own (IdleProbeJob).
    auto *idleProbe =
        makeAction(QStringLiteral("actionFindIdleTimeout"), tr("Find path idle &timeout…"), QIcon(),
                   tr("Find how long the path to a service keeps an idle TCP connection, and the "
                      "keepalive that outlasts it"));
    connect(idleProbe, &QAction::triggered, this, [this] {
        auto *dialog = new IdleProbeDialog(m_engine, m_endpoints->selectedName(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    tools->addAction(idleProbe);

    auto *about = makeAction(QStringLiteral("actionAbout"), tr("&About Keepwatch"), windowIcon(),
                             tr("Version and what Keepwatch does"));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, [this] {
        auto *box = new QMessageBox(this);
        box->setObjectName(QStringLiteral("aboutBox"));
        box->setWindowTitle(tr("About Keepwatch"));
        box->setIconPixmap(AppIcon::paint(64));
        box->setText(tr("<b>Keepwatch %1</b>").arg(QCoreApplication::applicationVersion().toHtmlEscaped()));
        box->setInformativeText(tr("Holds long-lived TCP and MQTT connections, applies per-socket keepalive, "
                                   "detects dead peers, names the cause of every drop and reconnects with "
                                   "backoff."));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("menuHelp"));
    help->addAction(about);

    // Right-click on a row offers what the toolbar offers for it.
    QTreeView *table = m_endpoints->table();
    table->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *separator = new QAction(this);
    separator->setSeparator(true);
    table->addActions({m_start, m_stop, separator, m_edit, m_remove});
    table->addAction(bundle);
    auto *alertSeparator = new QAction(this);
    alertSeparator->setSeparator(true);
    table->addAction(alertSeparator);
    table->addActions(m_endpoints->alertActions());

    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setAccessibleName(tr("Main toolbar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addActions({m_add, m_edit, m_remove});
    bar->addSeparator();
    bar->addActions({m_start, m_stop});
    bar->addSeparator();
    bar->addAction(m_export);
}

} // namespace kw
