#include "importdialog.h"

#include "engine.h"
#include "importpreviewmodel.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace kw {

namespace {

// The Action cell's editor: the choices that row offers.
class ChoiceDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &,
                          const QModelIndex &index) const override
    {
        auto *box = new QComboBox(parent);
        box->setObjectName(QStringLiteral("importChoiceEditor"));
        box->setAccessibleName(QCoreApplication::translate("kw::ImportDialog", "What to do with row %1")
                                   .arg(index.siblingAtColumn(ImportPreviewModel::RowColumn).data().toInt()));
        for (const QVariant &choice : index.data(ImportPreviewModel::ChoicesRole).toList()) {
            const auto c = ImportPreviewModel::Choice(choice.toInt());
            box->addItem(ImportPreviewModel::choiceText(c), choice);
        }
        // Applied as soon as it is picked, not when the editor loses focus.
        connect(box, &QComboBox::activated, box, [this, box] {
            auto *self = const_cast<ChoiceDelegate *>(this);
            Q_EMIT self->commitData(box);
            Q_EMIT self->closeEditor(box);
        });
        return box;
    }
    void setEditorData(QWidget *editor, const QModelIndex &index) const override
    {
        auto *box = static_cast<QComboBox *>(editor);
        const int at = box->findData(index.data(ImportPreviewModel::ChoiceRole));
        box->setCurrentIndex(at);
    }
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override
    {
        auto *box = static_cast<QComboBox *>(editor);
        if (box->currentIndex() >= 0)
            model->setData(index, box->currentData(), Qt::EditRole);
    }
};

} // namespace

ImportDialog::ImportDialog(const QString &fileName, const QList<ImportedEndpoint> &rows,
                           const QStringList &taken, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("importDialog"));
    setWindowTitle(tr("Import endpoints"));
    setAccessibleName(tr("Import endpoints"));

    m_model = new ImportPreviewModel(this);
    m_model->setRows(rows, taken);

    auto *intro = new QLabel(
        tr("From %1. Nothing changes until you press Import.").arg(QDir::toNativeSeparators(fileName)), this);
    intro->setObjectName(QStringLiteral("importSource"));
    intro->setWordWrap(true);
    intro->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("importPreview"));
    m_table->setAccessibleName(tr("Rows to import"));
    m_table->setModel(m_model);
    m_table->setItemDelegateForColumn(ImportPreviewModel::ActionColumn, new ChoiceDelegate(m_table));
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::SelectedClicked |
                             QAbstractItemView::EditKeyPressed);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(ImportPreviewModel::RowColumn, 48);
    m_table->setColumnWidth(ImportPreviewModel::NameColumn, 160);
    m_table->setColumnWidth(ImportPreviewModel::KindColumn, 80);
    m_table->setColumnWidth(ImportPreviewModel::TargetColumn, 180);
    m_table->setColumnWidth(ImportPreviewModel::ActionColumn, 150);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("importSummary"));
    m_summary->setAccessibleName(tr("Import summary"));
    m_summary->setWordWrap(true);

    m_skipAll = new QPushButton(tr("Skip all taken names"), this);
    m_skipAll->setObjectName(QStringLiteral("importSkipAllTaken"));
    m_skipAll->setAccessibleName(m_skipAll->text());
    m_skipAll->setToolTip(tr("Every row whose name is taken is left out"));
    m_renameAll = new QPushButton(tr("Rename all taken names"), this);
    m_renameAll->setObjectName(QStringLiteral("importRenameAllTaken"));
    m_renameAll->setAccessibleName(m_renameAll->text());
    m_renameAll->setToolTip(tr("Every row whose name is taken is added under a free name such as db-2"));
    connect(m_skipAll, &QPushButton::clicked, this,
            [this] { chooseForAllTaken(int(ImportPreviewModel::Choice::Skip)); });
    connect(m_renameAll, &QPushButton::clicked, this,
            [this] { chooseForAllTaken(int(ImportPreviewModel::Choice::Rename)); });

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->setObjectName(QStringLiteral("importButtons"));
    m_import = buttons->addButton(tr("Import"), QDialogButtonBox::AcceptRole);
    m_import->setObjectName(QStringLiteral("importApply"));
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("importCancel"));
    buttons->button(QDialogButtonBox::Cancel)->setAccessibleName(tr("Cancel the import"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *bulk = new QHBoxLayout;
    bulk->addWidget(m_skipAll);
    bulk->addWidget(m_renameAll);
    bulk->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);
    layout->addLayout(bulk);
    layout->addWidget(buttons);

    connect(m_model, &ImportPreviewModel::countsChanged, this, &ImportDialog::updateSummary);
    updateSummary();
    resize(900, 480);
}

ImportDialog::~ImportDialog() = default;

void ImportDialog::chooseForAllTaken(int choice)
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (!m_model->takenBy(row).isEmpty())
            m_model->setChoice(row, ImportPreviewModel::Choice(choice));
    }
}

void ImportDialog::updateSummary()
{
    const int rows = m_model->rowCount();
    const int undecided = m_model->undecidedCount();
    const int errors = m_model->errorCount();
    const int importing = m_model->importCount();
    QStringList parts{tr("%n rows:", nullptr, rows), tr("%n to import", nullptr, importing)};
    if (errors > 0)
        parts << tr("%n with errors, not importable (hover over a message to read all of it)", nullptr,
                    errors);
    if (m_model->skippedCount() > 0)
        parts << tr("%n skipped", nullptr, m_model->skippedCount());
    if (undecided > 0)
        parts << tr("%n names taken: choose Skip, Replace or Rename in the Action column", nullptr,
                    undecided);
    m_summary->setText(parts.first() + u' ' + parts.mid(1).join(QStringLiteral(", ")));
    m_summary->setAccessibleDescription(m_summary->text());
    m_import->setText(importing > 0 ? tr("Import %n endpoints", nullptr, importing) : tr("Import"));
    m_import->setAccessibleName(m_import->text());
    m_import->setEnabled(m_model->canImport());
    m_import->setToolTip(undecided > 0    ? tr("Choose what to do with every taken name first")
                         : importing == 0 ? tr("Nothing in this file can be imported")
                                          : QString());
    bool anyTaken = false;
    for (int row = 0; row < rows && !anyTaken; ++row)
        anyTaken = !m_model->takenBy(row).isEmpty();
    m_skipAll->setEnabled(anyTaken);
    m_renameAll->setEnabled(anyTaken);
}

bool ImportDialog::apply(Engine *engine, QString *error) const
{
    if (!engine || !m_model->canImport()) {
        if (error)
            *error = tr("Nothing to import.");
        return false;
    }
    return engine->importEndpoints(m_model->toAdd(), m_model->toReplace(), error);
}

QString ImportDialog::resultText() const
{
    int renamed = 0;
    for (int row = 0; row < m_model->rowCount(); ++row)
        renamed += m_model->choice(row) == ImportPreviewModel::Choice::Rename ? 1 : 0;
    const int replaced = int(m_model->toReplace().size());
    QString text = tr("Imported %n endpoints", nullptr, m_model->importCount());
    if (replaced > 0 || renamed > 0)
        text += u' ' + tr("(%1 replaced, %2 renamed)").arg(replaced).arg(renamed);
    const int left = m_model->skippedCount() + m_model->errorCount();
    if (left > 0)
        text += tr("; %n rows not imported", nullptr, left);
    return text;
}

} // namespace kw
