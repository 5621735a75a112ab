#include "eventlogview.h"

#include "eventlogfilterproxymodel.h"
#include "eventlogmodel.h"
#include "statestyle.h"

#include <QCheckBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

namespace kw {

EventLogView::EventLogView(QWidget *parent)
    : QWidget(parent), m_model(new EventLogModel(this)), m_proxy(new EventLogFilterProxyModel(this)),
      m_table(new QTableView(this)), m_onlySelected(new QCheckBox(tr("Selected endpoint only"), this)),
      m_showRtt(new QCheckBox(tr("RTT samples"), this)), m_summary(new QLabel(this))
{
    setObjectName(QStringLiteral("eventLogView"));

    m_proxy->setSourceModel(m_model);

    m_table->setObjectName(QStringLiteral("eventLogTable"));
    m_table->setAccessibleName(tr("Event log"));
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    const QFontMetrics fm = m_table->fontMetrics();
    m_table->setColumnWidth(EventLogModel::TimeColumn,
                            fm.horizontalAdvance(QStringLiteral("00:00:00.000__")));
    m_table->setColumnWidth(EventLogModel::EndpointColumn, fm.horizontalAdvance(u'x') * 18);
    m_table->setColumnWidth(EventLogModel::KindColumn, fm.horizontalAdvance(QStringLiteral("keepalive__")));
    m_table->setColumnWidth(EventLogModel::StateColumn, fm.horizontalAdvance(QStringLiteral("connecting__")));
    m_table->setColumnWidth(EventLogModel::CauseColumn,
                            fm.horizontalAdvance(QStringLiteral("keepalive-timeout__")));

    m_showRtt->setObjectName(QStringLiteral("eventLogShowRtt"));
    m_showRtt->setAccessibleName(tr("Show round-trip time samples"));
    m_showRtt->setChecked(true);
    m_onlySelected->setObjectName(QStringLiteral("eventLogOnlySelected"));
    m_onlySelected->setAccessibleName(tr("Show only events of the selected endpoint"));
    m_summary->setObjectName(QStringLiteral("eventLogSummary"));
    m_summary->setAccessibleName(tr("Event count"));

    auto *bar = new QHBoxLayout;
    auto *title = new QLabel(tr("<b>Events</b>"), this);
    bar->addWidget(title);
    bar->addStretch(1);
    bar->addWidget(m_summary);
    bar->addSpacing(12);
    bar->addWidget(m_showRtt);
    bar->addSpacing(12);
    bar->addWidget(m_onlySelected);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);

    connect(m_onlySelected, &QCheckBox::toggled, this, &EventLogView::applyFilter);
    connect(m_showRtt, &QCheckBox::toggled, this, &EventLogView::applyFilter);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &EventLogView::updateSummary);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &EventLogView::updateSummary);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &EventLogView::updateSummary);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &EventLogView::updateSummary);
    updateSummary();
}

EventLogView::~EventLogView() = default;

void EventLogView::appendEvents(const QList<Event> &events)
{
    // Follow the tail only when the user is already looking at it; someone
    // reading older rows must not be yanked down by every batch.
    QScrollBar *bar = m_table->verticalScrollBar();
    const bool atEnd = bar->value() >= bar->maximum() - 2;
    m_model->appendEvents(events);
    if (atEnd)
        m_table->scrollToBottom();
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

void EventLogView::applyFilter()
{
    m_proxy->setEndpoint(onlySelected() ? m_selected : QString());
    m_proxy->setShowRtt(showRtt());
    m_table->scrollToBottom();
    updateSummary();
}

QList<Event> EventLogView::visibleEvents() const
{
    QList<Event> events;
    events.reserve(m_proxy->rowCount());
    for (int row = 0; row < m_proxy->rowCount(); ++row)
        events.append(m_model->eventAt(m_proxy->mapToSource(m_proxy->index(row, 0)).row()));
    return events;
}

int EventLogView::visibleCount() const
{
    return m_proxy->rowCount();
}

void EventLogView::updateSummary()
{
    const int count = visibleCount();
    QString text = tr("Events shown: %1").arg(count);
    if (m_model->droppedCount() > 0)
        text += tr(" (older events have left this view)");
    m_summary->setText(text);
    Q_EMIT visibleCountChanged(count);
}

void EventLogView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        m_model->setDarkPalette(StateStyle::isDark(palette()));
    QWidget::changeEvent(event);
}

} // namespace kw
