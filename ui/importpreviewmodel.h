#pragma once

#include "endpointconfig.h"
#include "endpointcsv.h"

#include <QAbstractTableModel>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace kw {

// What an import would do, one row per row of the file: the endpoints that will be added, the
// rows with errors (shown with their message, never importable), and the rows whose name is
// taken, by the workspace or by an earlier row of the file. A taken name is never resolved
// silently: such a row waits for the user's choice (skip, replace the workspace's endpoint, or
// rename to a suggested free name) and the import cannot start until every one has one.
class ImportPreviewModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImportPreviewModel)

public:
    enum Column { RowColumn, NameColumn, KindColumn, TargetColumn, ActionColumn, StatusColumn, ColumnCount };
    enum class Choice {
        Import,        // a new name: added as it is
        Undecided,     // a taken name nobody has decided about yet
        Skip,          // not imported
        Replace,       // replaces the workspace's endpoint of that name (its history stays)
        Rename,        // added under renamedTo
        NotImportable, // the row has errors
    };
    Q_ENUM(Choice)
    enum Role {
        ChoiceRole = Qt::UserRole, // Choice, as int; settable with setData on ActionColumn
        ChoicesRole,               // QVariantList of the Choice values (int) this row offers
        ErrorsRole,                // QStringList
    };

    explicit ImportPreviewModel(QObject *parent = nullptr);
    ~ImportPreviewModel() override;

    // `taken`: the names in the workspace now.
    void setRows(const QList<ImportedEndpoint> &rows, const QStringList &taken);

    Choice choice(int row) const;
    bool setChoice(int row, Choice choice);
    QString renamedTo(int row) const; // the suggestion, while the choice is Rename
    QString takenBy(int row) const;   // "the workspace", "row 3", or empty
    static QString choiceText(Choice choice);

    int importCount() const; // rows that will be added or replace
    int errorCount() const;
    int undecidedCount() const;
    int skippedCount() const;
    bool canImport() const { return undecidedCount() == 0 && importCount() > 0; }

    // The plan: endpoints to add (renamed ones under their new name) and to replace, in file order.
    QList<EndpointConfig> toAdd() const;
    QList<EndpointConfig> toReplace() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void countsChanged();

private:
    struct Entry
    {
        ImportedEndpoint source;
        QString takenBy;
        bool takenByWorkspace = false;
        Choice choice = Choice::Import;
        QString renamedTo;
    };
    QList<Choice> choicesOf(const Entry &entry) const;
    void updateRenames(); // suggestions stay free of every other name, in file order

    QList<Entry> m_entries;
    QSet<QString> m_taken;
};

} // namespace kw
