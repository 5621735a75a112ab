#include "endpointpanel.h"

#include "endpointfilterproxymodel.h"
#include "endpointtablemodel.h"
#include "statestyle.h"

#include <QAction>
#include <QEvent>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace kw {

EndpointPanel::EndpointPanel(QWidget *parent)
    : QWidget(parent), m_model(new EndpointTableModel(this)), m_proxy(new EndpointFilterProxyModel(this)),
      m_filter(new QLineEdit(this)), m_table(new QTableView(this))
{
    setObjectName(QStringLiteral("endpointPanel"));
    m_proxy->setSourceModel(m_model);

    m_filter->setObjectName(QStringLiteral("endpointFilter"));
    m_filter->setAccessibleName(tr("Filter endpoints"));
    m_filter->setPlaceholderText(
        tr("Filter by name, target or state, e.g. \"down\" (%1)")
            .arg(QKeySequence(QKeySequence::Find).toString(QKeySequence::NativeText)));
    m_filter->setClearButtonEnabled(true);

    m_table->setObjectName(QStringLiteral("endpointTable"));
    m_table->setAccessibleName(tr("Endpoints"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // workspace order until a header is clicked
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filter);
    layout->addWidget(m_table, 1);

    auto *find = new QAction(tr("Find endpoint"), this);
    find->setObjectName(QStringLiteral("actionFindEndpoint"));
    find->setShortcut(QKeySequence::Find);
    find->setShortcutContext(Qt::WindowShortcut);
    connect(find, &QAction::triggered, this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    addAction(find);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &EndpointFilterProxyModel::setFilterText);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &EndpointPanel::emitSelectionIfChanged);
    // Removing the selected row clears the selection without selectionChanged
    // carrying a name; re-check after every structural change.
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &EndpointPanel::emitSelectionIfChanged);
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        Q_EMIT editRequested(index.data(EndpointTableModel::NameRole).toString());
    });
}

EndpointPanel::~EndpointPanel() = default;

void EndpointPanel::applySnapshot(const SnapshotPtr &snapshot)
{
    m_model->applySnapshot(snapshot);
    if (m_autoSize && m_model->rowCount() > 0) {
        m_autoSize = false;
        // Sized once, from the first rows: widths that follow every snapshot
        // would make the table jump while someone reads it.
        m_table->resizeColumnsToContents();
        const int maxWidth = m_table->fontMetrics().horizontalAdvance(u'M') * 16;
        for (int column = 0; column < EndpointTableModel::KeepaliveColumn; ++column) {
            // The state cell of an MQTT endpoint carries its devices: "Up · 12 devices, ⚠ 1 silent".
            const int cap = column == EndpointTableModel::StateColumn ? maxWidth * 3 / 2 : maxWidth;
            m_table->setColumnWidth(column, std::min(m_table->columnWidth(column), cap));
        }
        // The first rows all say "just now"; leave room for what "since" becomes.
        const int sinceWidth = m_table->fontMetrics().horizontalAdvance(tr("59 min ago")) + 24;
        m_table->setColumnWidth(EndpointTableModel::SinceColumn,
                                std::max(m_table->columnWidth(EndpointTableModel::SinceColumn), sinceWidth));
    }
    emitSelectionIfChanged();
}

QString EndpointPanel::selectedName() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return {};
    return rows.first().data(EndpointTableModel::NameRole).toString();
}

void EndpointPanel::selectName(const QString &name)
{
    const int sourceRow = m_model->rowOf(name);
    if (sourceRow < 0) {
        m_table->clearSelection();
        return;
    }
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(sourceRow, 0));
    if (!index.isValid())
        return;
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
    m_table->scrollTo(index);
}

void EndpointPanel::emitSelectionIfChanged()
{
    const QString name = selectedName();
    if (name == m_lastSelected)
        return;
    m_lastSelected = name;
    Q_EMIT selectedNameChanged(name);
}

void EndpointPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        m_model->setDarkPalette(StateStyle::isDark(palette()));
    QWidget::changeEvent(event);
}

} // namespace kw
