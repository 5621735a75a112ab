#include "workspacefiles.h"

#include "engine.h"
#include "workspace.h"

#include <QAbstractButton>
#include <QAction>
#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>

namespace kw {

namespace {
// Read by app/guirunner.cpp: the workspace a start without arguments opens.
const QString kLastWorkspaceKey = QStringLiteral("workspace/last");
constexpr int kShownErrors = 12; // more would push the dialog's buttons off a 640-pixel screen

QAction *makeAction(QObject *parent, const QString &objectName, const QString &text, const QIcon &icon,
                    const QKeySequence &shortcut, const QString &toolTip)
{
    auto *action = new QAction(icon, text, parent);
    action->setObjectName(objectName);
    action->setShortcut(shortcut);
    const QString keys = shortcut.toString(QKeySequence::NativeText);
    action->setToolTip(keys.isEmpty()
                           ? toolTip
                           : QCoreApplication::translate("kw::WorkspaceFiles", "%1 (%2)").arg(toolTip, keys));
    action->setStatusTip(toolTip);
    return action;
}
} // namespace

WorkspaceFiles::WorkspaceFiles(Engine *engine, QSettings *settings, QMainWindow *window)
    : QObject(window), m_engine(engine), m_settings(settings), m_window(window), m_recent(settings)
{
    QStyle *s = window->style();
    m_new = makeAction(this, QStringLiteral("actionNewWorkspace"), tr("&New workspace"),
                       QIcon::fromTheme(QStringLiteral("document-new"), s->standardIcon(QStyle::SP_FileIcon)),
                       QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N),
                       tr("Start an empty workspace without a file; Save As gives it one"));
    m_open = makeAction(
        this, QStringLiteral("actionOpenWorkspace"), tr("&Open workspace…"),
        QIcon::fromTheme(QStringLiteral("document-open"), s->standardIcon(QStyle::SP_DialogOpenButton)),
        QKeySequence::Open, tr("Watch the endpoints of a workspace file instead of these"));
    m_save = makeAction(
        this, QStringLiteral("actionSaveWorkspace"), tr("&Save workspace"),
        QIcon::fromTheme(QStringLiteral("document-save"), s->standardIcon(QStyle::SP_DialogSaveButton)),
        QKeySequence::Save, tr("Write the workspace to its file (edits are saved at once once it has one)"));
    m_saveAs = makeAction(
        this, QStringLiteral("actionSaveWorkspaceAs"), tr("Save workspace &as…"),
        QIcon::fromTheme(QStringLiteral("document-save-as")),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), // QKeySequence::SaveAs is unbound on some platforms
        tr("Write the workspace to a new file and save edits there from now on"));
    m_recentMenu = new QMenu(tr("Open &recent"), window);
    m_recentMenu->setObjectName(QStringLiteral("menuRecentWorkspaces"));
    m_recentMenu->setToolTipsVisible(true);

    connect(m_new, &QAction::triggered, this, &WorkspaceFiles::newWorkspace);
    connect(m_open, &QAction::triggered, this, [this] { openFile({}); });
    connect(m_save, &QAction::triggered, this, &WorkspaceFiles::save);
    connect(m_saveAs, &QAction::triggered, this, [this] { saveAs(); });
    connect(m_recentMenu, &QMenu::aboutToShow, this, &WorkspaceFiles::refreshRecentMenu);
    if (m_engine) {
        if (!m_engine->options().workspacePath.isEmpty())
            remember(m_engine->options().workspacePath);
    } else {
        for (QAction *action : {m_new, m_open, m_save, m_saveAs})
            action->setEnabled(false);
    }
    refreshRecentMenu();
}

WorkspaceFiles::~WorkspaceFiles() = default;

void WorkspaceFiles::addToMenu(QMenu *file)
{
    file->addAction(m_new);
    file->addAction(m_open);
    file->addMenu(m_recentMenu);
    file->addSeparator();
    file->addAction(m_save);
    file->addAction(m_saveAs);
}

bool WorkspaceFiles::hasUnsavedChanges() const
{
    return m_engine && m_engine->hasUnsavedChanges();
}

void WorkspaceFiles::showMessage(const QString &text)
{
    m_window->statusBar()->showMessage(text, 10'000);
}

void WorkspaceFiles::showError(const QString &objectName, const QString &title, const QString &text,
                               const QString &details)
{
    // open(), not exec(): the engine's snapshots keep flowing behind the box.
    auto *box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, m_window);
    box->setObjectName(objectName);
    box->setInformativeText(details);
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void WorkspaceFiles::remember(const QString &path)
{
    m_recent.add(path);
    m_settings->setValue(kLastWorkspaceKey, QFileInfo(path).absoluteFilePath());
    refreshRecentMenu();
}

bool WorkspaceFiles::loadFile(const QString &path)
{
    if (!m_engine)
        return false;
    const QString native = QDir::toNativeSeparators(path);
    const WorkspaceResult loaded = loadWorkspace(path);
    QString error;
    if (!loaded.ok()) {
        QStringList shown = loaded.errors.mid(0, kShownErrors);
        if (loaded.errors.size() > kShownErrors)
            shown << tr("… and %n more", nullptr, int(loaded.errors.size() - kShownErrors));
        showError(
            QStringLiteral("openWorkspaceError"), tr("Workspace not opened"),
            tr("%1 cannot be opened, so Keepwatch goes on watching the endpoints it has.").arg(native),
            shown.join(u'\n') + u"\n\n"_qs +
                tr("Fix the file in a text editor (the user guide's workspace reference describes every "
                   "key), then open it again."));
        return false;
    }
    if (!m_engine->replaceWorkspace(*loaded.workspace, path, &error)) {
        showError(QStringLiteral("openWorkspaceError"), tr("Workspace not opened"),
                  tr("%1 cannot be opened.").arg(native), error);
        return false;
    }
    remember(path);
    Q_EMIT workspaceReplaced();
    const int count = int(loaded.workspace->endpoints.size());
    if (loaded.warnings.isEmpty()) {
        showMessage(tr("Opened %1: %n endpoints", nullptr, count).arg(native));
    } else {
        showMessage(tr("Opened %1: %n endpoints; %2", nullptr, count)
                        .arg(native, tr("%n unknown keys kept as written (misspelt?): ", nullptr,
                                        int(loaded.warnings.size())) +
                                         loaded.warnings.first()));
    }
    return true;
}

void WorkspaceFiles::openFile(const QString &path)
{
    confirmDiscard(tr("Save them before opening another workspace?"), [this, path] {
        if (!path.isEmpty()) {
            if (!QFileInfo(path).isFile()) {
                m_recent.remove(path);
                refreshRecentMenu();
                showError(QStringLiteral("openWorkspaceError"), tr("Workspace not opened"),
                          tr("%1 is not there any more; it was removed from the recent files.")
                              .arg(QDir::toNativeSeparators(path)));
                return;
            }
            loadFile(path);
            return;
        }
        auto *dialog = new QFileDialog(m_window, tr("Open workspace"));
        dialog->setObjectName(QStringLiteral("openWorkspaceDialog"));
        dialog->setAcceptMode(QFileDialog::AcceptOpen);
        dialog->setFileMode(QFileDialog::ExistingFile);
        dialog->setNameFilters({tr("Keepwatch workspace (*.json)"), tr("All files (*)")});
        const QStringList recent = m_recent.paths();
        if (!recent.isEmpty())
            dialog->setDirectory(QFileInfo(recent.first()).absolutePath());
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QFileDialog::fileSelected, this,
                [this](const QString &selected) { loadFile(selected); });
        dialog->open();
    });
}

void WorkspaceFiles::newWorkspace()
{
    confirmDiscard(tr("Save them before starting a new workspace?"), [this] {
        QString error;
        if (!m_engine || !m_engine->replaceWorkspace(Workspace{}, QString(), &error))
            return;
        Q_EMIT workspaceReplaced();
        showMessage(tr("New workspace: add endpoints, then save it with Save workspace as…"));
    });
}

void WorkspaceFiles::save()
{
    if (!m_engine)
        return;
    const QString path = m_engine->options().workspacePath;
    if (path.isEmpty()) {
        saveAs();
        return;
    }
    if (!m_engine->hasUnsavedChanges()) {
        showMessage(tr("Every edit is already saved to %1").arg(QDir::toNativeSeparators(path)));
        return;
    }
    // The last save failed (the file changed on disk, the disk is full, ...): writing it again
    // must be a choice made in the save dialog, which asks before it replaces a file.
    saveAs();
}

void WorkspaceFiles::saveAs(std::function<void(bool saved)> done)
{
    if (!m_engine) {
        if (done)
            done(false);
        return;
    }
    auto *dialog = new QFileDialog(m_window, tr("Save workspace as"));
    dialog->setObjectName(QStringLiteral("saveWorkspaceDialog"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setNameFilters({tr("Keepwatch workspace (*.json)")});
    dialog->setDefaultSuffix(QStringLiteral("json"));
    const QString current = m_engine->options().workspacePath;
    if (!current.isEmpty())
        dialog->selectFile(current);
    else
        dialog->selectFile(QStringLiteral("keepwatch-workspace.json"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // Exactly one answer reaches `done`: the file chosen (then saved or not), or the dialog closed.
    auto answered = std::make_shared<bool>(false);
    connect(dialog, &QFileDialog::fileSelected, this, [this, done, answered](const QString &path) {
        *answered = true;
        QString error;
        const bool saved = m_engine && m_engine->saveWorkspaceAs(path, &error);
        if (saved) {
            remember(path);
            showMessage(
                tr("Saved to %1; edits are saved there from now on").arg(QDir::toNativeSeparators(path)));
        } else {
            showError(QStringLiteral("saveWorkspaceError"), tr("Workspace not saved"), error,
                      tr("Your endpoints are unchanged in the window. Choose another file or folder."));
        }
        if (done)
            done(saved);
    });
    connect(dialog, &QDialog::finished, this, [done, answered](int) {
        if (!*answered && done)
            done(false);
    });
    dialog->open();
}

void WorkspaceFiles::confirmDiscard(const QString &question, std::function<void()> proceed)
{
    if (!hasUnsavedChanges()) {
        proceed();
        return;
    }
    const QString path = m_engine->options().workspacePath;
    auto *box = new QMessageBox(
        QMessageBox::Question, tr("Unsaved changes"),
        path.isEmpty() ? tr("The endpoints in this workspace are not saved to a file.")
                       : tr("The last edits could not be saved to %1.").arg(QDir::toNativeSeparators(path)),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, m_window);
    box->setObjectName(QStringLiteral("unsavedPrompt"));
    box->setInformativeText(question);
    box->setDefaultButton(QMessageBox::Save);
    box->setEscapeButton(QMessageBox::Cancel);
    box->button(QMessageBox::Save)->setText(tr("Save as…"));
    box->button(QMessageBox::Discard)->setText(tr("Discard changes"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, proceed] {
        const QMessageBox::StandardButton answer = box->standardButton(box->clickedButton());
        if (answer == QMessageBox::Discard) {
            proceed();
        } else if (answer == QMessageBox::Save) {
            saveAs([proceed](bool saved) {
                if (saved)
                    proceed();
            });
        }
    });
    box->open();
}

bool WorkspaceFiles::allowClose()
{
    if (m_closeConfirmed || !hasUnsavedChanges())
        return true;
    confirmDiscard(tr("Save them before closing Keepwatch?"), [this] {
        m_closeConfirmed = true;
        m_window->close();
    });
    return false;
}

void WorkspaceFiles::refreshRecentMenu()
{
    const QStringList missing = m_recent.prune();
    if (!missing.isEmpty()) {
        QStringList names;
        for (const QString &path : missing)
            names << QDir::toNativeSeparators(path);
        showMessage(tr("Removed from the recent workspaces, no longer there: %1").arg(names.join(u", "_qs)));
    }
    m_recentMenu->clear();
    const QStringList paths = m_recent.paths();
    for (qsizetype i = 0; i < paths.size(); ++i) {
        const QFileInfo info(paths.at(i));
        // "&1 orders.json — /srv/keepwatch": the mnemonic picks the entry from the keyboard.
        auto *action = m_recentMenu->addAction(
            tr("&%1 %2 — %3").arg(i + 1).arg(info.fileName(), QDir::toNativeSeparators(info.absolutePath())));
        action->setObjectName(QStringLiteral("actionRecentWorkspace%1").arg(i + 1));
        action->setData(paths.at(i));
        action->setToolTip(QDir::toNativeSeparators(paths.at(i)));
        connect(action, &QAction::triggered, this, [this, path = paths.at(i)] { openFile(path); });
    }
    if (paths.isEmpty()) {
        QAction *none = m_recentMenu->addAction(tr("No recent workspaces"));
        none->setObjectName(QStringLiteral("actionNoRecentWorkspaces"));
        none->setEnabled(false);
    } else {
        m_recentMenu->addSeparator();
        QAction *clear = m_recentMenu->addAction(tr("Clear the list"));
        clear->setObjectName(QStringLiteral("actionClearRecentWorkspaces"));
        connect(clear, &QAction::triggered, this, [this] {
            m_recent.clear();
            refreshRecentMenu();
        });
    }
    m_recentMenu->setEnabled(!m_engine.isNull());
}

} // namespace kw
