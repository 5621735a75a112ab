#include "eventlogview.h"

#include "cachedtextdelegate.h"
#include "eventlogmodel.h"
#include "historyreader.h"
#include "statestyle.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QScrollBar>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace kw {

namespace {
constexpr EventKind kKinds[] = {EventKind::State, EventKind::Rtt,    EventKind::TcpInfo, EventKind::Keepalive,
                                EventKind::Info,  EventKind::Device, EventKind::Alert};
constexpr EndpointState kStates[] = {EndpointState::Up,         EndpointState::Suspect,
                                     EndpointState::Down,       EndpointState::Waiting,
                                     EndpointState::Connecting, EndpointState::Disabled};
// The time range presets, in seconds; 0: everything.
constexpr qint64 kRanges[] = {0, 5 * 60, 60 * 60, 24 * 60 * 60, 7 * 24 * 60 * 60};
} // namespace

EventLogView::EventLogView(QWidget *parent)
    : QWidget(parent), m_model(new EventLogModel(this)), m_table(new QTableView(this)),
      m_onlySelected(new QCheckBox(tr("Selected endpoint only"), this)),
      m_showRtt(new QCheckBox(tr("RTT samples"), this)), m_typing(new QTimer(this)),
      m_summary(new QLabel(this))
{
    setObjectName(QStringLiteral("eventLogView"));

    m_table->setObjectName(QStringLiteral("eventLogTable"));
    m_table->setAccessibleName(tr("Event log"));
    m_table->setModel(m_model);
    // Every batch of events inserts rows, and an inserted row repaints the whole viewport: the
    // cells already shown keep their laid-out text instead of being shaped again 4 times a second.
    m_table->setItemDelegate(new CachedTextDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    // Fixed row heights: the view never measures a million rows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    const QFontMetrics fm = m_table->fontMetrics();
    m_table->setColumnWidth(EventLogModel::TimeColumn,
                            fm.horizontalAdvance(QStringLiteral("0000-00-00 00:00:00.000__")));
    m_table->setColumnWidth(EventLogModel::EndpointColumn, fm.horizontalAdvance(u'x') * 18);
    m_table->setColumnWidth(EventLogModel::KindColumn, fm.horizontalAdvance(QStringLiteral("keepalive__")));
    m_table->setColumnWidth(EventLogModel::StateColumn, fm.horizontalAdvance(QStringLiteral("connecting__")));
    m_table->setColumnWidth(EventLogModel::CauseColumn,
                            fm.horizontalAdvance(QStringLiteral("keepalive-timeout__")));

    auto *copy = new QAction(tr("&Copy"), m_table);
    copy->setObjectName(QStringLiteral("eventLogCopy"));
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    copy->setToolTip(tr("Copy the selected rows as tab-separated text"));
    connect(copy, &QAction::triggered, this, &EventLogView::copySelectedRows);
    m_table->addAction(copy);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);

    m_showRtt->setObjectName(QStringLiteral("eventLogShowRtt"));
    m_showRtt->setAccessibleName(tr("Show round-trip time samples"));
    m_showRtt->setToolTip(tr("Show the RTT and TCP_INFO samples between the state changes"));
    m_showRtt->setChecked(true);
    m_onlySelected->setObjectName(QStringLiteral("eventLogOnlySelected"));
    m_onlySelected->setAccessibleName(tr("Show only events of the selected endpoint"));
    m_summary->setObjectName(QStringLiteral("eventLogSummary"));
    m_summary->setAccessibleName(tr("Event count"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *bar = new QHBoxLayout;
    auto *title = new QLabel(tr("<b>Events</b>"), this);
    bar->addWidget(title);
    bar->addSpacing(12);
    bar->addWidget(m_summary, 1);
    bar->addWidget(m_showRtt);
    bar->addSpacing(12);
    bar->addWidget(m_onlySelected);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(createFilterBar());
    layout->addWidget(m_table, 1);

    // Typing an endpoint name counts the log once the typing pauses, not on every key.
    m_typing->setSingleShot(true);
    m_typing->setInterval(300);
    connect(m_typing, &QTimer::timeout, this, &EventLogView::applyFilter);
    connect(m_endpoint, &QLineEdit::textChanged, m_typing, qOverload<>(&QTimer::start));
    connect(m_endpoint, &QLineEdit::returnPressed, this, &EventLogView::applyFilter);
    for (QComboBox *combo : {m_kind, m_state, m_cause, m_range})
        connect(combo, &QComboBox::currentIndexChanged, this, &EventLogView::applyFilter);
    connect(m_onlySelected, &QCheckBox::toggled, this, &EventLogView::applyFilter);
    connect(m_showRtt, &QCheckBox::toggled, this, &EventLogView::applyFilter);

    // Follow the tail only when the user is already looking at it; someone reading older rows must
    // not be yanked down by every batch.
    const auto noteFollow = [this] {
        QScrollBar *scroll = m_table->verticalScrollBar();
        m_follow = scroll->value() >= scroll->maximum() - 2;
    };
    const auto follow = [this] {
        if (m_follow)
            m_table->scrollToBottom();
        updateSummary();
    };
    connect(m_model, &QAbstractItemModel::rowsAboutToBeInserted, this, noteFollow);
    // A resized pane keeps the newest row in sight too, if it was.
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, noteFollow);
    connect(m_table->verticalScrollBar(), &QScrollBar::rangeChanged, this, [this] {
        if (m_follow)
            m_table->scrollToBottom();
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, follow);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &EventLogView::updateSummary);
    connect(m_model, &QAbstractItemModel::modelReset, this, follow);
    connect(m_model, &EventLogModel::countingChanged, this, &EventLogView::updateSummary);
    connect(m_model, &EventLogModel::errorChanged, this, &EventLogView::updateSummary);
    updateSummary();
}

EventLogView::~EventLogView() = default;

QWidget *EventLogView::createFilterBar()
{
    auto *filters = new QWidget(this);
    filters->setObjectName(QStringLiteral("eventLogFilters"));
    m_endpoint = new QLineEdit(filters);
    m_endpoint->setObjectName(QStringLiteral("eventLogEndpointFilter"));
    m_endpoint->setAccessibleName(tr("Endpoint filter"));
    m_endpoint->setPlaceholderText(tr("Endpoint name"));
    m_endpoint->setToolTip(tr("Only the events of the endpoint with exactly this name"));
    m_endpoint->setClearButtonEnabled(true);

    m_kind = new QComboBox(filters);
    m_kind->setObjectName(QStringLiteral("eventLogKindFilter"));
    m_kind->setAccessibleName(tr("Kind filter"));
    m_kind->addItem(tr("Any kind"));
    for (const EventKind kind : kKinds)
        m_kind->addItem(eventKindName(kind), QVariant::fromValue(kind));

    m_state = new QComboBox(filters);
    m_state->setObjectName(QStringLiteral("eventLogStateFilter"));
    m_state->setAccessibleName(tr("State filter"));
    m_state->addItem(tr("Any state"));
    for (const EndpointState state : kStates)
        m_state->addItem(QString::fromLatin1(endpointStateName(state)), QVariant::fromValue(int(state)));

    m_cause = new QComboBox(filters);
    m_cause->setObjectName(QStringLiteral("eventLogCauseFilter"));
    m_cause->setAccessibleName(tr("Cause filter"));
    m_cause->addItem(tr("Any cause"));
    for (int code = int(CauseCode::Refused); code <= int(CauseCode::Stopped); ++code)
        m_cause->addItem(QString::fromLatin1(causeCodeName(CauseCode(code))), code);
    m_cause->setToolTip(tr("A cause with a reason, such as ws-close, matches every reason"));

    m_range = new QComboBox(filters);
    m_range->setObjectName(QStringLiteral("eventLogRangeFilter"));
    m_range->setAccessibleName(tr("Time range filter"));
    m_range->addItems(
        {tr("All time"), tr("Last 5 minutes"), tr("Last hour"), tr("Last 24 hours"), tr("Last 7 days")});

    // The pane may be half of a 1024-pixel window: the combos give up width (eliding) before the
    // table does.
    for (QComboBox *combo : {m_kind, m_state, m_cause, m_range}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(6);
    }
    m_endpoint->setMinimumWidth(fontMetrics().horizontalAdvance(u'x') * 10);
    auto *row = new QHBoxLayout(filters);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_endpoint, 2);
    row->addWidget(m_kind, 1);
    row->addWidget(m_state, 1);
    row->addWidget(m_cause, 1);
    row->addWidget(m_range, 1);
    return filters;
}

void EventLogView::setHistoryReader(HistoryReader *reader)
{
    m_follow = true;
    m_model->setHistoryReader(reader);
}

void EventLogView::appendEvents(const QList<Event> &events)
{
    m_model->appendEvents(events);
}

void EventLogView::setSelectedEndpoint(const QString &name)
{
    if (name == m_selected)
        return;
    m_selected = name;
    if (onlySelected())
        applyFilter();
}

void EventLogView::setOnlySelected(bool only)
{
    m_onlySelected->setChecked(only);
}

bool EventLogView::onlySelected() const
{
    return m_onlySelected->isChecked();
}

void EventLogView::setShowRtt(bool show)
{
    m_showRtt->setChecked(show);
}

bool EventLogView::showRtt() const
{
    return m_showRtt->isChecked();
}

EventQuery EventLogView::query() const
{
    EventQuery query;
    if (onlySelected())
        query.endpoint = m_selected;
    if (const QString name = m_endpoint->text().trimmed(); !name.isEmpty())
        query.endpoints = {name};
    // A kind asked for by name is shown even if it is a sample kind and samples are hidden.
    if (const QVariant kind = m_kind->currentData(); kind.isValid()) {
        query.kinds = {kind.value<EventKind>()};
    } else if (!showRtt()) {
        for (const EventKind kind : kKinds) {
            if (kind != EventKind::Rtt && kind != EventKind::TcpInfo)
                query.kinds.append(kind);
        }
    }
    if (const QVariant state = m_state->currentData(); state.isValid())
        query.states = {EndpointState(state.toInt())};
    if (const QVariant cause = m_cause->currentData(); cause.isValid())
        query.causes = {CauseCode(cause.toInt())};
    if (const qint64 seconds = kRanges[std::clamp(m_range->currentIndex(), 0, int(std::size(kRanges)) - 1)])
        query.since = QDateTime::currentDateTimeUtc().addSecs(-seconds);
    return query;
}

void EventLogView::applyFilter()
{
    m_typing->stop();
    m_follow = true;
    m_model->setFilter(query());
    updateSummary();
}

int EventLogView::visibleCount() const
{
    return m_model->rowCount();
}

QString EventLogView::rowsText(const QList<Event> &events)
{
    QString text;
    for (const Event &event : events) {
        QStringList cells;
        for (int column = 0; column < EventLogModel::ColumnCount; ++column) {
            // A tab or line break inside a cell would split it.
            QString cell = EventLogModel::displayText(event, column);
            cell.replace(u'\t', u' ').replace(u'\n', u' ');
            cells << cell;
        }
        text += cells.join(u'\t') + u'\n';
    }
    return text;
}

void EventLogView::copySelectedRows()
{
    QList<int> rows;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        rows.append(index.row());
    if (rows.isEmpty())
        return;
    std::sort(rows.begin(), rows.end());
    if (rows.size() > kMaxCopyRows) {
        rows.resize(kMaxCopyRows);
        m_summary->setText(tr("Copying the first %1 selected rows").arg(QLocale().toString(kMaxCopyRows)));
    }
    m_model->readRows(rows, [this](const QList<Event> &events) {
        const QString text = rowsText(events);
        QApplication::clipboard()->setText(text);
        Q_EMIT copied(text);
    });
}

void EventLogView::updateSummary()
{
    const int count = visibleCount();
    QString text = tr("%1 events").arg(QLocale().toString(count));
    if (m_model->isCounting())
        text += tr(" (reading the log…)");
    else if (!m_model->hasLog() && m_model->droppedCount() > 0)
        text += tr(" (older events have left this view)");
    else if (!m_model->hasLog())
        text += tr(" (since the window opened)");
    if (!m_model->lastError().isEmpty())
        text += tr(" — %1").arg(m_model->lastError());
    m_summary->setText(text);
    m_summary->setToolTip(m_model->lastError());
    Q_EMIT visibleCountChanged(count);
}

void EventLogView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        m_model->setDarkPalette(StateStyle::isDark(palette()));
    QWidget::changeEvent(event);
}

} // namespace kw
