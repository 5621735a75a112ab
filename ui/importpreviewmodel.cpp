#include "importpreviewmodel.h"

#include "statestyle.h"

#include <QFont>
#include <QGuiApplication>
#include <QHash>

namespace kw {

ImportPreviewModel::ImportPreviewModel(QObject *parent) : QAbstractTableModel(parent) {}

ImportPreviewModel::~ImportPreviewModel() = default;

void ImportPreviewModel::setRows(const QList<ImportedEndpoint> &rows, const QStringList &taken)
{
    beginResetModel();
    m_entries.clear();
    m_taken = QSet<QString>(taken.cbegin(), taken.cend());
    QHash<QString, int> firstRow; // name -> the first importable row that has it
    for (const ImportedEndpoint &row : rows) {
        Entry entry;
        entry.source = row;
        if (!row.endpoint) {
            entry.choice = Choice::NotImportable;
        } else {
            const QString &name = row.endpoint->name;
            const auto earlier = firstRow.constFind(name);
            entry.takenByWorkspace = m_taken.contains(name) && earlier == firstRow.constEnd();
            if (earlier != firstRow.constEnd())
                entry.takenBy = tr("row %1").arg(*earlier);
            else if (entry.takenByWorkspace)
                entry.takenBy = tr("the workspace");
            entry.choice = entry.takenBy.isEmpty() ? Choice::Import : Choice::Undecided;
            if (earlier == firstRow.constEnd())
                firstRow.insert(name, row.row);
        }
        m_entries << entry;
    }
    updateRenames();
    endResetModel();
    Q_EMIT countsChanged();
}

QList<ImportPreviewModel::Choice> ImportPreviewModel::choicesOf(const Entry &entry) const
{
    if (entry.choice == Choice::NotImportable)
        return {};
    if (entry.takenBy.isEmpty())
        return {Choice::Import, Choice::Skip};
    if (entry.takenByWorkspace)
        return {Choice::Skip, Choice::Replace, Choice::Rename};
    // Taken by an earlier row: replacing the workspace's endpoint twice would keep only one.
    return {Choice::Skip, Choice::Rename};
}

ImportPreviewModel::Choice ImportPreviewModel::choice(int row) const
{
    return m_entries.at(row).choice;
}

bool ImportPreviewModel::setChoice(int row, Choice choice)
{
    if (row < 0 || row >= m_entries.size() || !choicesOf(m_entries.at(row)).contains(choice))
        return false;
    m_entries[row].choice = choice;
    updateRenames();
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    Q_EMIT countsChanged();
    return true;
}

void ImportPreviewModel::updateRenames()
{
    // Free of the workspace's names and of every name in the file, so a rename never collides
    // with a row further down either.
    QSet<QString> used = m_taken;
    for (const Entry &entry : std::as_const(m_entries)) {
        if (entry.source.endpoint)
            used.insert(entry.source.endpoint->name);
    }
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        Entry &entry = m_entries[i];
        const QString before = entry.renamedTo;
        entry.renamedTo.clear();
        if (entry.choice != Choice::Rename)
            continue;
        const QString base = entry.source.endpoint->name;
        int n = 2;
        while (used.contains(base + u'-' + QString::number(n)))
            ++n;
        entry.renamedTo = base + u'-' + QString::number(n);
        used.insert(entry.renamedTo);
        if (entry.renamedTo != before && !before.isEmpty())
            Q_EMIT dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
    }
}

QString ImportPreviewModel::renamedTo(int row) const
{
    return m_entries.at(row).renamedTo;
}

QString ImportPreviewModel::takenBy(int row) const
{
    return m_entries.at(row).takenBy;
}

QString ImportPreviewModel::choiceText(Choice choice)
{
    switch (choice) {
    case Choice::Import:
        return tr("Import");
    case Choice::Undecided:
        return tr("Choose…");
    case Choice::Skip:
        return tr("Skip");
    case Choice::Replace:
        return tr("Replace");
    case Choice::Rename:
        return tr("Rename");
    case Choice::NotImportable:
        return tr("Not importable");
    }
    return {};
}

int ImportPreviewModel::importCount() const
{
    return int(std::count_if(m_entries.cbegin(), m_entries.cend(), [](const Entry &e) {
        return e.choice == Choice::Import || e.choice == Choice::Replace || e.choice == Choice::Rename;
    }));
}

int ImportPreviewModel::errorCount() const
{
    return int(std::count_if(m_entries.cbegin(), m_entries.cend(),
                             [](const Entry &e) { return e.choice == Choice::NotImportable; }));
}

int ImportPreviewModel::undecidedCount() const
{
    return int(std::count_if(m_entries.cbegin(), m_entries.cend(),
                             [](const Entry &e) { return e.choice == Choice::Undecided; }));
}

int ImportPreviewModel::skippedCount() const
{
    return int(std::count_if(m_entries.cbegin(), m_entries.cend(),
                             [](const Entry &e) { return e.choice == Choice::Skip; }));
}

QList<EndpointConfig> ImportPreviewModel::toAdd() const
{
    QList<EndpointConfig> out;
    for (const Entry &entry : m_entries) {
        if (entry.choice == Choice::Import) {
            out << *entry.source.endpoint;
        } else if (entry.choice == Choice::Rename) {
            EndpointConfig renamed = *entry.source.endpoint;
            renamed.name = entry.renamedTo;
            renamed.raw.insert(QStringLiteral("name"), entry.renamedTo);
            out << renamed;
        }
    }
    return out;
}

QList<EndpointConfig> ImportPreviewModel::toReplace() const
{
    QList<EndpointConfig> out;
    for (const Entry &entry : m_entries) {
        if (entry.choice == Choice::Replace)
            out << *entry.source.endpoint;
    }
    return out;
}

int ImportPreviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int ImportPreviewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ImportPreviewModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Entry &entry = m_entries.at(index.row());
    const ImportedEndpoint &source = entry.source;
    if (role == ChoiceRole)
        return int(entry.choice);
    if (role == ChoicesRole) {
        QVariantList choices;
        for (const Choice c : choicesOf(entry))
            choices << int(c);
        return choices;
    }
    if (role == ErrorsRole)
        return source.errors;

    const auto statusText = [&entry, &source] {
        if (!source.errors.isEmpty()) {
            // The Row column says which row; the tooltip keeps the whole message.
            const QString prefix =
                u"row "_qs + QString::number(source.row) + u", "_qs; // as endpointcsv.cpp writes it
            const QString &first = source.errors.first();
            return first.startsWith(prefix) ? first.mid(prefix.size()) : first;
        }
        if (entry.choice == Choice::Undecided) {
            return entry.takenByWorkspace
                       ? tr("Name taken by the workspace: choose Skip, Replace or Rename")
                       : tr("Name taken by %1 of this file: choose Skip or Rename").arg(entry.takenBy);
        }
        if (entry.choice == Choice::Replace)
            return tr("Replaces the endpoint of this name (its past events stay in the log)");
        if (entry.choice == Choice::Rename)
            return tr("Added as \"%1\" (the name is taken by %2)").arg(entry.renamedTo, entry.takenBy);
        if (entry.choice == Choice::Skip)
            return entry.takenBy.isEmpty() ? tr("Skipped")
                                           : tr("Skipped (the name is taken by %1)").arg(entry.takenBy);
        if (!source.warnings.isEmpty())
            return tr("Ready; %1").arg(source.warnings.first());
        return tr("Ready");
    };

    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case RowColumn:
            return source.row;
        case NameColumn:
            return source.name.simplified(); // a name with a line break shows on one line
        case KindColumn:
            return source.kind;
        case TargetColumn:
            return source.endpoint ? source.endpoint->target() : QString();
        case ActionColumn:
            return entry.choice == Choice::Rename ? tr("Rename to %1").arg(entry.renamedTo)
                                                  : choiceText(entry.choice);
        case StatusColumn:
            return statusText();
        }
        break;
    case Qt::EditRole:
        if (index.column() == ActionColumn)
            return int(entry.choice);
        break;
    case Qt::ToolTipRole:
        if (index.column() == StatusColumn) {
            QStringList all = source.errors;
            all << source.warnings;
            return all.isEmpty() ? statusText() : all.join(u'\n');
        }
        if (index.column() == NameColumn)
            return source.name;
        if (index.column() == ActionColumn && !choicesOf(entry).isEmpty())
            return tr("Double-click or press F2 to choose what happens to this row");
        break;
    case Qt::DecorationRole:
        if (index.column() == StatusColumn) {
            const bool dark = StateStyle::isDark(QGuiApplication::palette());
            switch (entry.choice) {
            case Choice::NotImportable:
                return StateStyle::dot(EndpointState::Down, dark);
            case Choice::Undecided:
                return StateStyle::dot(EndpointState::Suspect, dark);
            case Choice::Skip:
                return StateStyle::dot(EndpointState::Disabled, dark);
            default:
                return StateStyle::dot(EndpointState::Up, dark);
            }
        }
        break;
    case Qt::FontRole:
        if (index.column() == ActionColumn && entry.choice == Choice::Undecided) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == RowColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default:
        break;
    }
    return {};
}

bool ImportPreviewModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || index.column() != ActionColumn ||
        (role != Qt::EditRole && role != ChoiceRole))
        return false;
    return setChoice(index.row(), Choice(value.toInt()));
}

Qt::ItemFlags ImportPreviewModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == ActionColumn && !choicesOf(m_entries.at(index.row())).isEmpty())
        f |= Qt::ItemIsEditable;
    return f;
}

QVariant ImportPreviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case RowColumn:
        return tr("Row");
    case NameColumn:
        return tr("Name");
    case KindColumn:
        return tr("Kind");
    case TargetColumn:
        return tr("Target");
    case ActionColumn:
        return tr("Action");
    case StatusColumn:
        return tr("What happens");
    }
    return {};
}

} // namespace kw
