#include "endpointpanel.h"

#include "cachedtextdelegate.h"
#include "endpointfilterproxymodel.h"
#include "endpointtablemodel.h"
#include "endpointtreeview.h"
#include "statestripdelegate.h"
#include "statestyle.h"

#include <QAction>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QStyle>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>

namespace kw {

namespace {
QVariant states(std::initializer_list<EndpointState> list)
{
    QVariantList values;
    for (const EndpointState s : list)
        values.append(int(s));
    return values;
}

QComboBox *filterCombo(QWidget *parent, const QString &objectName, const QString &accessibleName,
                       const QString &toolTip)
{
    auto *combo = new QComboBox(parent);
    combo->setObjectName(objectName);
    combo->setAccessibleName(accessibleName);
    combo->setToolTip(toolTip);
    combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    return combo;
}
} // namespace

EndpointPanel::EndpointPanel(QWidget *parent)
    : QWidget(parent), m_model(new EndpointTableModel(this)), m_proxy(new EndpointFilterProxyModel(this)),
      m_filter(new QLineEdit(this)), m_table(new EndpointTreeView(this)),
      m_strip(new StateStripDelegate(this))
{
    setObjectName(QStringLiteral("endpointPanel"));
    m_proxy->setSourceModel(m_model);

    m_filter->setObjectName(QStringLiteral("endpointFilter"));
    m_filter->setAccessibleName(tr("Filter endpoints"));
    m_filter->setPlaceholderText(
        tr("Filter by name, target, tag or state, e.g. \"down\" (%1)")
            .arg(QKeySequence(QKeySequence::Find).toString(QKeySequence::NativeText)));
    m_filter->setClearButtonEnabled(true);

    m_state = filterCombo(this, QStringLiteral("endpointStateFilter"), tr("Filter by state"),
                          tr("Show only endpoints in these states"));
    m_state->addItem(tr("All states"), QVariantList());
    m_state->addItem(tr("Not up"), states({EndpointState::Suspect, EndpointState::Down,
                                           EndpointState::Waiting, EndpointState::Connecting}));
    for (const EndpointState s : {EndpointState::Down, EndpointState::Suspect, EndpointState::Waiting,
                                  EndpointState::Connecting, EndpointState::Up, EndpointState::Disabled}) {
        m_state->addItem(StateStyle::dot(s, StateStyle::isDark(palette())), StateStyle::label(s),
                         states({s}));
    }

    m_kind = filterCombo(this, QStringLiteral("endpointKindFilter"), tr("Filter by kind"),
                         tr("Show only endpoints of this kind"));
    m_kind->addItem(tr("All kinds"), -1);
    m_kind->addItem(tr("TCP"), int(EndpointKind::Tcp));
    m_kind->addItem(tr("WebSocket"), int(EndpointKind::WebSocket));
    m_kind->addItem(tr("MQTT"), int(EndpointKind::Mqtt));
    m_kind->addItem(tr("Heartbeat listener"), int(EndpointKind::Listen));

    m_tag = filterCombo(this, QStringLiteral("endpointTagFilter"), tr("Filter by tag"),
                        tr("Show only endpoints with this tag (workspace \"tags\")"));
    m_tag->addItem(tr("All tags"), QString());

    m_group = filterCombo(this, QStringLiteral("endpointGrouping"), tr("Group endpoints"),
                          tr("Group the list by tag, with each group's count and worst state"));
    m_group->addItem(tr("Group: none"), int(EndpointTableModel::Grouping::None));
    m_group->addItem(tr("Group: by tag"), int(EndpointTableModel::Grouping::Tag));

    // The chip: what another view narrowed the list to, and the way back.
    m_chip = new QWidget(this);
    m_chip->setObjectName(QStringLiteral("endpointNameFilterChip"));
    m_chip->setAccessibleName(tr("Endpoint selection from another view"));
    m_chip->setAutoFillBackground(true);
    m_chip->setBackgroundRole(QPalette::AlternateBase);
    m_chipText = new QLabel(m_chip);
    m_chipText->setObjectName(QStringLiteral("endpointNameFilterText"));
    m_chipText->setAccessibleName(tr("Shown endpoints"));
    m_chipText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_chipClear = new QToolButton(m_chip);
    m_chipClear->setObjectName(QStringLiteral("endpointNameFilterClear"));
    m_chipClear->setAccessibleName(tr("Clear the endpoint selection"));
    m_chipClear->setText(tr("Clear"));
    m_chipClear->setToolTip(tr("Show all endpoints again"));
    m_chipClear->setAutoRaise(true);
    auto *chipLayout = new QHBoxLayout(m_chip);
    chipLayout->setContentsMargins(6, 2, 2, 2);
    chipLayout->addWidget(m_chipText, 1);
    chipLayout->addWidget(m_chipClear);
    m_chip->hide();

    m_table->setObjectName(QStringLiteral("endpointTable"));
    m_table->setAccessibleName(tr("Endpoints"));
    m_table->setModel(m_proxy);
    // The text cells keep their laid-out text: a repaint of 41 rows costs the glyphs, not the shaping.
    m_table->setItemDelegate(new CachedTextDelegate(m_table));
    m_table->setItemDelegateForColumn(EndpointTableModel::StripColumn, m_strip);
    // Every row is one line: the view can lay out 10,000 rows without asking each for its height.
    m_table->setUniformRowHeights(true);
    m_table->setRootIsDecorated(false);
    m_table->setSortingEnabled(true);
    m_table->header()->setSortIndicator(-1, Qt::AscendingOrder); // workspace order until a header is clicked
    m_proxy->sort(-1);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setAllColumnsShowFocus(true);
    m_table->header()->setStretchLastSection(true);
    m_table->header()->setHighlightSections(false);
    m_table->header()->setSectionsMovable(true);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_state);
    bar->addWidget(m_kind);
    bar->addWidget(m_tag);
    bar->addWidget(m_group);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    layout->addLayout(bar);
    layout->addWidget(m_chip);
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

    // Mute the selected endpoint's alerts (the workspace key alert.mute_until); the window puts
    // these in the list's context menu.
    const auto addMute = [this](const QString &objectName, const QString &text,
                                std::function<QDateTime()> until) {
        auto *action = new QAction(text, m_table);
        action->setObjectName(objectName);
        connect(action, &QAction::triggered, this, [this, until] {
            if (const QString name = selectedName(); !name.isEmpty())
                Q_EMIT alertMuteRequested(name, until());
        });
        m_alertActions.append(action);
    };
    addMute(QStringLiteral("actionMuteAlerts1h"), tr("Mute alerts for 1 &hour"),
            [] { return QDateTime::currentDateTimeUtc().addSecs(3600); });
    addMute(QStringLiteral("actionMuteAlertsTomorrow"), tr("Mute alerts until &tomorrow 08:00"), [] {
        const QDateTime now = QDateTime::currentDateTime();
        return QDateTime(now.date().addDays(1), QTime(8, 0)).toUTC();
    });
    addMute(QStringLiteral("actionUnmuteAlerts"), tr("&Unmute alerts"), [] { return QDateTime(); });

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &EndpointFilterProxyModel::setFilterText);
    connect(m_state, &QComboBox::currentIndexChanged, this, [this] {
        QList<EndpointState> chosen;
        for (const QVariant &v : m_state->currentData().toList())
            chosen.append(EndpointState(v.toInt()));
        m_proxy->setStateFilter(chosen);
    });
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        const int kind = m_kind->currentData().toInt();
        m_proxy->setKindFilter(kind < 0 ? std::nullopt : std::optional(EndpointKind(kind)));
    });
    connect(m_tag, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setTagFilter(m_tag->currentData().toString()); });
    connect(m_group, &QComboBox::currentIndexChanged, this, &EndpointPanel::applyGrouping);
    connect(m_chipClear, &QToolButton::clicked, this, &EndpointPanel::clearNameFilter);
    connect(m_proxy, &EndpointFilterProxyModel::filtersChanged, this, &EndpointPanel::updateChip);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &EndpointPanel::emitSelectionIfChanged);
    // Removing the selected row clears the selection without selectionChanged
    // carrying a name; re-check after every structural change.
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &EndpointPanel::emitSelectionIfChanged);
    // New groups (and groups a filter brings back) open, so grouping never hides an endpoint.
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &parent, int first, int last) {
                if (!parent.isValid() && m_model->grouping() == EndpointTableModel::Grouping::Tag)
                    expandGroups(first, last);
            });
    connect(m_table, &QTreeView::doubleClicked, this, [this](const QModelIndex &index) {
        const QString name = index.data(EndpointTableModel::NameRole).toString();
        if (!name.isEmpty())
            Q_EMIT editRequested(name);
    });
}

EndpointPanel::~EndpointPanel() = default;

void EndpointPanel::applySnapshot(const SnapshotPtr &snapshot)
{
    m_model->applySnapshot(snapshot);
    updateTagChoices();
    if (m_proxy->hasNameFilter())
        updateChip();
    if (m_autoSize && m_model->endpointCount() > 0) {
        m_autoSize = false;
        fitColumns();
    }
    emitSelectionIfChanged();
}

void EndpointPanel::fitColumns()
{
    // Sized once, from the first rows: widths that follow every snapshot would make the table
    // jump while someone reads it. Measured from the model, not the view: a tree view sizes a
    // column from the rows it has laid out, and before the window is shown that is none.
    const QFontMetrics metrics = m_table->fontMetrics();
    const int maxWidth = metrics.horizontalAdvance(u'M') * 16;
    const int padding =
        2 * m_table->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, m_table) + 12;
    const int icon = m_table->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, m_table) + 6;
    const int rows = std::min(m_model->endpointCount(), 50);
    for (int column = 0; column < EndpointTableModel::KeepaliveColumn; ++column) {
        if (column == EndpointTableModel::StripColumn)
            continue;
        // The header's own text, with room for the sort arrow.
        int width = metrics.horizontalAdvance(m_model->headerData(column, Qt::Horizontal).toString()) +
                    padding + icon;
        for (int i = 0; i < rows; ++i) {
            const QModelIndex cell = m_model->indexOf(m_model->endpointAt(i)->name, column);
            width = std::max(width, metrics.horizontalAdvance(cell.data().toString()) + padding +
                                        (column == EndpointTableModel::StateColumn ? icon : 0));
        }
        // The state cell of an MQTT endpoint carries its devices: "Up · 12 devices, ⚠ 1 silent".
        // Capped like the others, so the strip beside it stays in view; the full text is in the tooltip.
        const int cap = maxWidth;
        if (column == EndpointTableModel::NameColumn)
            width += 2 * m_table->indentation(); // a group's branch and its endpoints' indent
        m_table->setColumnWidth(column, std::min(width, cap));
    }
    // The first rows all say "just now"; leave room for what "since" becomes.
    const int sinceWidth = metrics.horizontalAdvance(tr("59 min ago")) + padding;
    m_table->setColumnWidth(EndpointTableModel::SinceColumn,
                            std::max(m_table->columnWidth(EndpointTableModel::SinceColumn), sinceWidth));
    // About a pixel per 5 s of the window.
    m_table->setColumnWidth(EndpointTableModel::StripColumn, 180);
}

void EndpointPanel::appendEvents(const QList<Event> &events)
{
    m_model->appendEvents(events);
}

void EndpointPanel::updateTagChoices()
{
    const QStringList tags = m_model->tags();
    if (tags == m_tags)
        return;
    m_tags = tags;
    const QString current = m_tag->currentData().toString();
    const QSignalBlocker blocker(m_tag);
    while (m_tag->count() > 1)
        m_tag->removeItem(1);
    for (const QString &tag : tags)
        m_tag->addItem(tag, tag);
    const int keep = current.isEmpty() ? 0 : m_tag->findData(current);
    if (keep >= 0) {
        m_tag->setCurrentIndex(keep);
    } else {
        // The chosen tag is gone from the workspace: keep filtering by it, say so.
        m_tag->addItem(tr("%1 (none left)").arg(current), current);
        m_tag->setCurrentIndex(m_tag->count() - 1);
    }
}

void EndpointPanel::setNameFilter(const QSet<QString> &names, const QString &label)
{
    m_proxy->setNameFilter(names, label);
}

void EndpointPanel::clearNameFilter()
{
    if (!m_proxy->hasNameFilter())
        return;
    m_proxy->clearNameFilter();
    Q_EMIT nameFilterCleared();
}

void EndpointPanel::updateChip()
{
    if (!m_proxy->hasNameFilter()) {
        m_chip->hide();
        return;
    }
    // Count what the set names of the endpoints now listed, not what the other view handed in:
    // an endpoint removed since is not shown.
    int listed = 0;
    for (const QString &name : m_proxy->nameFilter()) {
        if (m_model->endpoint(name))
            ++listed;
    }
    const QString label = m_proxy->nameFilterLabel();
    // Spelled out for one and many: without a translation loaded, %n would read "endpoint(s)".
    const QString count = QLocale().toString(listed);
    if (label.isEmpty())
        m_chipText->setText(listed == 1 ? tr("Showing 1 endpoint from the chart")
                                        : tr("Showing %1 endpoints from the chart").arg(count));
    else
        m_chipText->setText(listed == 1 ? tr("Showing 1 endpoint that %1").arg(label)
                                        : tr("Showing %1 endpoints that %2").arg(count, label));
    m_chip->show();
}

void EndpointPanel::applyGrouping()
{
    const auto grouping = EndpointTableModel::Grouping(m_group->currentData().toInt());
    if (grouping == m_model->grouping())
        return;
    const QString selected = selectedName();
    m_model->setGrouping(grouping);
    m_table->setRootIsDecorated(grouping != EndpointTableModel::Grouping::None);
    if (grouping == EndpointTableModel::Grouping::Tag && m_proxy->rowCount() > 0)
        expandGroups(0, m_proxy->rowCount() - 1);
    if (!selected.isEmpty())
        selectName(selected);
    emitSelectionIfChanged();
}

void EndpointPanel::expandGroups(int first, int last)
{
    // A group row is one line across the list: "● prod (12) — 2 down, 10 up".
    for (int row = first; row <= last; ++row) {
        m_table->setFirstColumnSpanned(row, {}, true);
        m_table->expand(m_proxy->index(row, 0));
    }
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
    const QModelIndex source = m_model->indexOf(name);
    if (!source.isValid()) {
        m_table->clearSelection();
        return;
    }
    const QModelIndex index = m_proxy->mapFromSource(source);
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
    if (event->type() == QEvent::PaletteChange) {
        const bool dark = StateStyle::isDark(palette());
        m_model->setDarkPalette(dark);
        // The state filter's dots follow the palette too (items 0 and 1 have none).
        for (int i = 2; i < m_state->count(); ++i) {
            const QVariantList chosen = m_state->itemData(i).toList();
            if (chosen.size() == 1)
                m_state->setItemIcon(i, StateStyle::dot(EndpointState(chosen.first().toInt()), dark));
        }
    }
    QWidget::changeEvent(event);
}

} // namespace kw
