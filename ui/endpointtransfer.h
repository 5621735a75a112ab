#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <functional>

class QAction;
class QMainWindow;
class QMenu;

namespace kw {

class Engine;
class ImportDialog;

// Import and export of the endpoint list, as workspace JSON or CSV (lib/store/endpointcsv.h):
// File > Import endpoints opens a file and shows ImportDialog's preview; File > Export writes the
// whole list or the selected endpoints. The format follows the file name (.csv, else JSON).
class EndpointTransfer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EndpointTransfer)

public:
    EndpointTransfer(Engine *engine, QMainWindow *window);
    ~EndpointTransfer() override;

    QAction *importAction() const { return m_import; }
    QAction *exportAction() const { return m_export; }
    QAction *exportSelectedAction() const { return m_exportSelected; }
    void addToMenu(QMenu *file);
    // The endpoints "Export selected" writes; without it, the action stays disabled.
    void setSelection(std::function<QStringList()> selectedNames);
    void updateActions();

    // Reads `path` and opens the preview (returned, for tests); null after a dialog saying why the
    // file cannot be read at all.
    ImportDialog *importFile(const QString &path);
    // `names` empty: every endpoint. CSV when the path ends in .csv, workspace JSON otherwise.
    bool exportTo(const QString &path, const QStringList &names, QString *error, QString *note = nullptr);

private:
    void chooseImportFile();
    void chooseExportFile(bool selectedOnly);
    void showError(const QString &title, const QString &text, const QString &details = {});

    QPointer<Engine> m_engine;
    QMainWindow *m_window;
    std::function<QStringList()> m_selectedNames;
    QAction *m_import = nullptr;
    QAction *m_export = nullptr;
    QAction *m_exportSelected = nullptr;
};

} // namespace kw
