#pragma once

#include "recentfiles.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>

class QAction;
class QMainWindow;
class QMenu;
class QSettings;

namespace kw {

class Engine;

// The File menu's workspace commands over a running engine: New, Open, Open Recent, Save and
// Save As, and the question before unsaved edits are lost.
//
// A workspace with a file saves every edit at once (the engine does it, and refuses to replace a
// file changed on disk since it was read); the status bar says where. A workspace without one
// (the demo, File > New) keeps edits in memory: closing the window, opening another workspace or
// starting a new one then asks Save / Discard / Cancel. So does a workspace whose last save
// failed. Nothing here waits on the network; a workspace file is read and written on the spot, as
// the command line does.
class WorkspaceFiles final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WorkspaceFiles)

public:
    WorkspaceFiles(Engine *engine, QSettings *settings, QMainWindow *window);
    ~WorkspaceFiles() override;

    QAction *newAction() const { return m_new; }
    QAction *openAction() const { return m_open; }
    QAction *saveAction() const { return m_save; }
    QAction *saveAsAction() const { return m_saveAs; }
    QMenu *recentMenu() const { return m_recentMenu; }
    RecentFiles &recentFiles() { return m_recent; }

    // New, Open, Open Recent, Save, Save As, in that order.
    void addToMenu(QMenu *file);

    // Loads `path` and swaps the engine's endpoints to it. On error a dialog names the file, the
    // problem and the fix, and nothing changes. No question asked: see openFile().
    bool loadFile(const QString &path);
    // Asks about unsaved edits first, then loads.
    void openFile(const QString &path);
    void newWorkspace();
    void save();
    // The save dialog; `done(true)` once the workspace was written.
    void saveAs(std::function<void(bool saved)> done = {});

    bool hasUnsavedChanges() const;
    // `proceed` at once when nothing would be lost; otherwise after Save (once saved) or Discard
    // in the question "unsavedPrompt"; never after Cancel.
    void confirmDiscard(const QString &question, std::function<void()> proceed);
    // For closeEvent: true when the window may close now; otherwise the question is open and
    // the window is closed again once it is answered with Save or Discard.
    bool allowClose();

    // The Open Recent menu, rebuilt from the settings; files that are gone are dropped with a
    // note in the status bar. Runs whenever the menu is about to show.
    void refreshRecentMenu();

Q_SIGNALS:
    // Another workspace replaced the endpoints (open or new); views may drop what they kept.
    void workspaceReplaced();

private:
    void remember(const QString &path);
    void showMessage(const QString &text);
    void showError(const QString &objectName, const QString &title, const QString &text,
                   const QString &details = {});

    QPointer<Engine> m_engine;
    QSettings *m_settings;
    QMainWindow *m_window;
    RecentFiles m_recent;
    bool m_closeConfirmed = false;

    QAction *m_new = nullptr;
    QAction *m_open = nullptr;
    QAction *m_save = nullptr;
    QAction *m_saveAs = nullptr;
    QMenu *m_recentMenu = nullptr;
};

} // namespace kw
