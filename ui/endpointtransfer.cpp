#include "endpointtransfer.h"

#include "endpointcsv.h"
#include "engine.h"
#include "importdialog.h"
#include "workspace.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>
#include <QStatusBar>

namespace kw {

namespace {
bool isCsvPath(const QString &path)
{
    return path.endsWith(u".csv", Qt::CaseInsensitive);
}
} // namespace

EndpointTransfer::EndpointTransfer(Engine *engine, QMainWindow *window)
    : QObject(window), m_engine(engine), m_window(window)
{
    m_import =
        new QAction(QIcon::fromTheme(QStringLiteral("document-import")), tr("&Import endpoints…"), this);
    m_import->setObjectName(QStringLiteral("actionImportEndpoints"));
    m_import->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_import->setToolTip(tr("Add endpoints from a CSV or workspace JSON file, with a preview (%1)")
                             .arg(m_import->shortcut().toString(QKeySequence::NativeText)));
    m_import->setStatusTip(tr("Add endpoints from a CSV or workspace JSON file, with a preview"));
    m_export =
        new QAction(QIcon::fromTheme(QStringLiteral("document-export")), tr("&Export endpoints…"), this);
    m_export->setObjectName(QStringLiteral("actionExportEndpoints"));
    m_export->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_export->setToolTip(tr("Write every endpoint to a CSV or workspace JSON file (%1)")
                             .arg(m_export->shortcut().toString(QKeySequence::NativeText)));
    m_export->setStatusTip(tr("Write every endpoint to a CSV or workspace JSON file"));
    m_exportSelected = new QAction(tr("Export se&lected endpoints…"), this);
    m_exportSelected->setObjectName(QStringLiteral("actionExportSelectedEndpoints"));
    m_exportSelected->setToolTip(tr("Write the selected endpoints to a CSV or workspace JSON file"));
    m_exportSelected->setStatusTip(m_exportSelected->toolTip());

    connect(m_import, &QAction::triggered, this, &EndpointTransfer::chooseImportFile);
    connect(m_export, &QAction::triggered, this, [this] { chooseExportFile(false); });
    connect(m_exportSelected, &QAction::triggered, this, [this] { chooseExportFile(true); });
    updateActions();
}

EndpointTransfer::~EndpointTransfer() = default;

void EndpointTransfer::addToMenu(QMenu *file)
{
    file->addAction(m_import);
    file->addAction(m_export);
    file->addAction(m_exportSelected);
}

void EndpointTransfer::setSelection(std::function<QStringList()> selectedNames)
{
    m_selectedNames = std::move(selectedNames);
    updateActions();
}

void EndpointTransfer::updateActions()
{
    const bool haveEngine = !m_engine.isNull();
    m_import->setEnabled(haveEngine);
    m_export->setEnabled(haveEngine);
    m_exportSelected->setEnabled(haveEngine && m_selectedNames && !m_selectedNames().isEmpty());
}

void EndpointTransfer::showError(const QString &title, const QString &text, const QString &details)
{
    auto *box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, m_window);
    box->setObjectName(QStringLiteral("transferError"));
    box->setInformativeText(details);
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void EndpointTransfer::chooseImportFile()
{
    auto *dialog = new QFileDialog(m_window, tr("Import endpoints"));
    dialog->setObjectName(QStringLiteral("importFileDialog"));
    dialog->setAcceptMode(QFileDialog::AcceptOpen);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setNameFilters({tr("Endpoints (*.csv *.json)"), tr("CSV (*.csv)"),
                            tr("Keepwatch workspace (*.json)"), tr("All files (*)")});
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) { importFile(path); });
    dialog->open();
}

ImportDialog *EndpointTransfer::importFile(const QString &path)
{
    if (!m_engine)
        return nullptr;
    const QString native = QDir::toNativeSeparators(path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        showError(tr("Nothing imported"), tr("%1 cannot be read: %2.").arg(native, file.errorString()),
                  tr("Check the path and that you may read the file."));
        return nullptr;
    }
    const QByteArray data = file.readAll();
    const bool json =
        path.endsWith(u".json", Qt::CaseInsensitive) || (!isCsvPath(path) && data.trimmed().startsWith('{'));
    QList<ImportedEndpoint> rows;
    QStringList fileErrors;
    if (json) {
        rows = parseEndpointJson(data, path, &fileErrors);
    } else {
        EndpointCsvResult csv = parseEndpointCsv(data);
        rows = std::move(csv.rows);
        for (const QString &e : std::as_const(csv.errors))
            fileErrors << native + u": "_qs + e;
    }
    if (!fileErrors.isEmpty() || rows.isEmpty()) {
        showError(tr("Nothing imported"), tr("%1 has no endpoints to import.").arg(native),
                  fileErrors.isEmpty()
                      ? tr("A CSV file starts with a row of column names such as name,kind,host,port; a "
                           "workspace file lists \"endpoints\".")
                      : fileErrors.mid(0, 12).join(u'\n'));
        return nullptr;
    }
    QStringList taken;
    for (const EndpointConfig &c : m_engine->workspace().endpoints)
        taken << c.name;
    auto *dialog = new ImportDialog(path, rows, taken, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        QString error;
        if (!dialog->apply(m_engine, &error)) {
            showError(tr("Nothing imported"), error);
            return;
        }
        m_window->statusBar()->showMessage(dialog->resultText(), 10'000);
    });
    dialog->open();
    return dialog;
}

void EndpointTransfer::chooseExportFile(bool selectedOnly)
{
    if (!m_engine)
        return;
    const QStringList names = selectedOnly && m_selectedNames ? m_selectedNames() : QStringList();
    if (selectedOnly && names.isEmpty())
        return;
    auto *dialog =
        new QFileDialog(m_window, selectedOnly ? tr("Export selected endpoints") : tr("Export endpoints"));
    dialog->setObjectName(QStringLiteral("exportEndpointsDialog"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setNameFilters({tr("CSV (*.csv)"), tr("Keepwatch workspace (*.json)")});
    dialog->setDefaultSuffix(QStringLiteral("csv"));
    dialog->selectFile(QStringLiteral("keepwatch-endpoints.csv"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::filterSelected, dialog, [dialog](const QString &filter) {
        dialog->setDefaultSuffix(filter.contains(u"*.json") ? QStringLiteral("json") : QStringLiteral("csv"));
    });
    connect(dialog, &QFileDialog::fileSelected, this, [this, names](const QString &path) {
        QString error;
        QString note;
        if (!exportTo(path, names, &error, &note)) {
            showError(tr("Endpoints not exported"), error);
            return;
        }
        m_window->statusBar()->showMessage(note, 10'000);
    });
    dialog->open();
}

bool EndpointTransfer::exportTo(const QString &path, const QStringList &names, QString *error, QString *note)
{
    if (!m_engine)
        return false;
    Workspace workspace;
    for (const EndpointConfig &c : m_engine->workspace().endpoints) {
        if (names.isEmpty() || names.contains(c.name))
            workspace.endpoints << c;
    }
    QStringList notCarried;
    const QByteArray bytes =
        isCsvPath(path) ? endpointsToCsv(workspace.endpoints, &notCarried) : workspaceToJson(workspace);
    const QString native = QDir::toNativeSeparators(path);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = tr("Cannot write %1: %2. Choose a folder you can write to, and check the free space.")
                         .arg(native, file.errorString());
        return false;
    }
    if (note) {
        *note = tr("Exported %n endpoints to %1", nullptr, int(workspace.endpoints.size())).arg(native);
        if (!notCarried.isEmpty())
            *note +=
                u"; "_qs +
                tr("CSV has no column for %1 (keys this version does not know); export as JSON to keep them")
                    .arg(notCarried.join(u", "_qs));
    }
    return true;
}

} // namespace kw
