#include "devicepanel.h"

#include "devicetablemodel.h"
#include "mqtttext.h"
#include "statestyle.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QTableView>
#include <QVBoxLayout>

namespace kw {

DevicePanel::DevicePanel(QWidget *parent)
    : QWidget(parent), m_model(new DeviceTableModel(this)), m_heading(new QLabel(this)),
      m_shown(new QLabel(this)), m_filter(new QLineEdit(this)), m_table(new QTableView(this))
{
    setObjectName(QStringLiteral("devicePanel"));
    setAccessibleName(tr("Devices"));

    m_heading->setObjectName(QStringLiteral("deviceHeading"));
    m_heading->setAccessibleName(tr("Devices of the selected endpoint"));
    m_heading->setTextFormat(Qt::RichText);
    m_shown->setObjectName(QStringLiteral("deviceShownCount"));
    m_shown->setAccessibleName(tr("Devices shown"));
    m_shown->setEnabled(false);

    m_filter->setObjectName(QStringLiteral("deviceFilter"));
    m_filter->setAccessibleName(tr("Filter devices"));
    m_filter->setPlaceholderText(tr("Filter devices by id, topic, state or payload, e.g. \"silent\""));
    m_filter->setClearButtonEnabled(true);

    m_table->setObjectName(QStringLiteral("deviceTable"));
    m_table->setAccessibleName(tr("Devices"));
    m_table->setModel(m_model);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(DeviceTableModel::StateColumn, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    // Fixed row heights and column widths: with 100,000 rows nothing may measure every row.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    const QFontMetrics fm = m_table->fontMetrics();
    const auto width = [&fm](const QString &sample) { return fm.horizontalAdvance(sample) + 28; };
    m_table->setColumnWidth(DeviceTableModel::StateColumn, width(tr("Awaiting")) + 16);
    m_table->setColumnWidth(DeviceTableModel::IdColumn, width(QStringLiteral("pump-station-12")));
    m_table->setColumnWidth(DeviceTableModel::TopicColumn,
                            width(QStringLiteral("plant/line-3/pump-12/heartbeat")));
    m_table->setColumnWidth(DeviceTableModel::LastMessageColumn, width(tr("59 min ago (retained)")));
    m_table->setColumnWidth(DeviceTableModel::SinceColumn, width(tr("59 min ago")));
    m_table->setColumnWidth(DeviceTableModel::PreviewColumn,
                            width(QStringLiteral("{\"seq\":48213,\"v\":3.3}")));

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_heading, 1);
    bar->addWidget(m_shown);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_filter);
    layout->addWidget(m_table, 1);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_model->setFilterText(text);
        updateHeading();
    });
    // A new device list resets the model; the device that was current stays current.
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
        const QModelIndex current = m_table->currentIndex();
        m_currentTopic = current.isValid() ? current.data(DeviceTableModel::TopicRole).toString() : QString();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        if (m_currentTopic.isEmpty())
            return;
        if (const int row = m_model->rowOfTopic(m_currentTopic); row >= 0)
            m_table->selectionModel()->setCurrentIndex(
                m_model->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    });
    updateHeading();
}

DevicePanel::~DevicePanel() = default;

bool DevicePanel::hasDevices(const EndpointSnapshot *e)
{
    return e && e->mqtt &&
           (e->mqtt->devices || MqttText::deviceCount(*e->mqtt) > 0 || !e->mqtt->watchProblems.isEmpty());
}

void DevicePanel::showEndpoint(const EndpointSnapshot *e, const QDateTime &now)
{
    const QString name = e ? e->name : QString();
    if (name != m_endpoint) {
        m_endpoint = name;
        m_currentTopic.clear();
        m_table->clearSelection();
    }
    if (!hasDevices(e)) {
        m_model->setDevices(nullptr, now);
        m_summary.clear();
        m_trouble = false;
        updateHeading();
        return;
    }
    m_model->setDevices(e->mqtt->devices, now);
    m_summary = MqttText::devices(*e->mqtt, now);
    m_trouble = MqttText::devicesInTrouble(*e->mqtt) > 0;
    updateHeading();
}

QString DevicePanel::headingText() const
{
    return m_heading->text();
}

void DevicePanel::updateHeading()
{
    if (m_endpoint.isEmpty()) {
        m_heading->setText(tr("<b>Devices</b>"));
    } else {
        // Silent and will devices in the warning colour, as in the details panel.
        const QString summary =
            m_trouble ? QStringLiteral("<span style=\"color:%1\">%2</span>")
                            .arg(StateStyle::color(EndpointState::Down, StateStyle::isDark(palette())).name(),
                                 m_summary.toHtmlEscaped())
                      : m_summary.toHtmlEscaped();
        m_heading->setText(tr("<b>Devices of %1</b> &nbsp;%2").arg(m_endpoint.toHtmlEscaped(), summary));
    }
    const int total = m_model->totalCount();
    const int shown = m_model->rowCount();
    m_shown->setText(shown == total
                         ? QString()
                         : tr("%1 of %2 shown").arg(QLocale().toString(shown), QLocale().toString(total)));
}

void DevicePanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        m_model->setDarkPalette(StateStyle::isDark(palette()));
    QWidget::changeEvent(event);
}

} // namespace kw
