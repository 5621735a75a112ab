#pragma once

#include "endpointcsv.h"

#include <QDialog>
#include <QList>
#include <QString>
#include <QStringList>

class QLabel;
class QPushButton;
class QTableView;

namespace kw {

class Engine;
class ImportPreviewModel;

// The preview of an endpoint import (CSV or workspace JSON): every row of the file with what will
// happen to it. Rows with errors show their message and are not importable; a row whose name is
// taken waits for the user to choose Skip, Replace or Rename in its Action cell (or for all such
// rows at once), and Import stays disabled until each has a choice.
class ImportDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImportDialog)

public:
    // `taken`: the names in the workspace now.
    ImportDialog(const QString &fileName, const QList<ImportedEndpoint> &rows, const QStringList &taken,
                 QWidget *parent = nullptr);
    ~ImportDialog() override;

    ImportPreviewModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QPushButton *importButton() const { return m_import; }
    QLabel *summary() const { return m_summary; }

    // Adds and replaces what the preview shows, all or nothing, through Engine::importEndpoints.
    bool apply(Engine *engine, QString *error) const;
    // "Imported 9 endpoints (2 replaced, 1 renamed); 3 rows skipped" for the status bar.
    QString resultText() const;

private:
    void updateSummary();
    void chooseForAllTaken(int choice);

    ImportPreviewModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_summary = nullptr;
    QPushButton *m_import = nullptr;
    QPushButton *m_skipAll = nullptr;
    QPushButton *m_renameAll = nullptr;
};

} // namespace kw
