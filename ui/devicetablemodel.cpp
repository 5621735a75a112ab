#include "devicetablemodel.h"

#include "mqtttext.h"
#include "statestyle.h"
#include "timeformat.h"

#include <QBrush>
#include <QGuiApplication>
#include <QLocale>

#include <algorithm>
#include <limits>

namespace kw {

namespace {
// Timestamps compare as milliseconds; a device that never published sorts as the oldest.
qint64 msOf(const QDateTime &t)
{
    return t.isValid() ? t.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min();
}

// -1, 0, 1 for one column; ties fall through to the topic, which is unique.
int compareColumn(const DeviceSnapshot &a, const DeviceSnapshot &b, int column)
{
    const auto cmp = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
    switch (column) {
    case DeviceTableModel::StateColumn:
        return cmp(MqttText::deviceSeverity(a.state), MqttText::deviceSeverity(b.state));
    case DeviceTableModel::IdColumn:
        return a.id.compare(b.id, Qt::CaseInsensitive);
    case DeviceTableModel::LastMessageColumn:
        return cmp(msOf(a.lastMessage), msOf(b.lastMessage));
    case DeviceTableModel::SinceColumn:
        return cmp(msOf(a.since), msOf(b.since));
    case DeviceTableModel::PreviewColumn:
        return a.preview.compare(b.preview);
    case DeviceTableModel::MessagesColumn:
        return cmp(a.messages, b.messages);
    default:
        return 0;
    }
}
} // namespace

DeviceTableModel::DeviceTableModel(QObject *parent)
    : QAbstractTableModel(parent), m_dark(StateStyle::isDark(QGuiApplication::palette()))
{}

DeviceTableModel::~DeviceTableModel() = default;

void DeviceTableModel::setDevices(const DeviceList &devices, const QDateTime &now)
{
    if (devices == m_devices) {
        setNow(now);
        return;
    }
    beginResetModel();
    m_devices = devices;
    m_now = now;
    rebuildRows();
    endResetModel();
}

void DeviceTableModel::setNow(const QDateTime &now)
{
    if (now == m_now)
        return;
    m_now = now;
    if (!m_rows.empty()) {
        static_assert(LastMessageColumn + 1 == SinceColumn);
        Q_EMIT dataChanged(index(0, LastMessageColumn), index(int(m_rows.size()) - 1, SinceColumn),
                           {Qt::DisplayRole, Qt::AccessibleTextRole});
    }
}

void DeviceTableModel::setFilterText(const QString &text)
{
    if (text == m_filter)
        return;
    m_filter = text;
    m_filterWords = text.split(u' ', Qt::SkipEmptyParts);
    relayout(QAbstractItemModel::NoLayoutChangeHint);
}

void DeviceTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount)
        column = StateColumn;
    if (column == m_column && order == m_order)
        return;
    m_column = column;
    m_order = order;
    relayout(QAbstractItemModel::VerticalSortHint);
}

void DeviceTableModel::relayout(QAbstractItemModel::LayoutChangeHint hint)
{
    Q_EMIT layoutAboutToBeChanged({}, hint);
    // Persistent indexes (the view's current row) follow their device, or go when it is filtered out.
    const QModelIndexList before = persistentIndexList();
    QList<int> deviceOf;
    deviceOf.reserve(before.size());
    for (const QModelIndex &i : before)
        deviceOf.append(m_rows.at(size_t(i.row())));
    rebuildRows();
    QHash<int, int> rowOfDevice;
    if (!before.isEmpty()) {
        rowOfDevice.reserve(qsizetype(m_rows.size()));
        for (size_t r = 0; r < m_rows.size(); ++r)
            rowOfDevice.insert(m_rows[r], int(r));
    }
    QModelIndexList after;
    after.reserve(before.size());
    for (qsizetype k = 0; k < before.size(); ++k) {
        const auto it = rowOfDevice.constFind(deviceOf.at(k));
        after.append(it == rowOfDevice.cend() ? QModelIndex() : index(it.value(), before.at(k).column()));
    }
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, hint);
}

bool DeviceTableModel::accepts(const DeviceSnapshot &d) const
{
    const QString state = deviceStateName(d.state);
    for (const QString &word : m_filterWords) {
        if (!d.id.contains(word, Qt::CaseInsensitive) && !d.topic.contains(word, Qt::CaseInsensitive) &&
            !state.contains(word, Qt::CaseInsensitive) && !d.preview.contains(word, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

void DeviceTableModel::rebuildRows()
{
    m_rows.clear();
    if (!m_devices)
        return;
    const QList<DeviceSnapshot> &list = *m_devices;
    m_rows.reserve(size_t(list.size()));
    for (int i = 0; i < int(list.size()); ++i) {
        if (m_filterWords.isEmpty() || accepts(list.at(i)))
            m_rows.push_back(i);
    }
    const int column = m_column;
    const bool descending = m_order == Qt::DescendingOrder;
    // The topic breaks ties in ascending order whichever way the column goes, so that "silent
    // first" lists the silent devices alphabetically.
    std::sort(m_rows.begin(), m_rows.end(), [&list, column, descending](int x, int y) {
        const DeviceSnapshot &a = list.at(x);
        const DeviceSnapshot &b = list.at(y);
        if (column != TopicColumn) {
            if (const int c = compareColumn(a, b, column); c != 0)
                return descending ? c > 0 : c < 0;
            return a.topic < b.topic;
        }
        return descending ? b.topic < a.topic : a.topic < b.topic;
    });
}

const DeviceSnapshot *DeviceTableModel::deviceAt(int row) const
{
    if (!m_devices || row < 0 || size_t(row) >= m_rows.size())
        return nullptr;
    return &m_devices->at(m_rows[size_t(row)]);
}

int DeviceTableModel::rowOfTopic(const QString &topic) const
{
    for (size_t r = 0; r < m_rows.size(); ++r) {
        if (m_devices->at(m_rows[r]).topic == topic)
            return int(r);
    }
    return -1;
}

void DeviceTableModel::setDarkPalette(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1),
                           {Qt::DecorationRole, Qt::ForegroundRole, Qt::BackgroundRole});
}

int DeviceTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DeviceTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QIcon DeviceTableModel::stateDot(DeviceSnapshot::State state) const
{
    const int key = int(state) * 2 + (m_dark ? 1 : 0);
    auto it = m_dots.find(key);
    if (it == m_dots.end()) {
        const QIcon icon = StateStyle::dot(MqttText::deviceStateColor(state, m_dark));
        it = m_dots.insert(key, icon);
    }
    return it.value();
}

QVariant DeviceTableModel::displayData(const DeviceSnapshot &d, int column) const
{
    switch (column) {
    case StateColumn:
        return MqttText::deviceStateLabel(d.state);
    case IdColumn:
        return d.id;
    case TopicColumn:
        return d.topic;
    case LastMessageColumn:
        if (!d.lastMessage.isValid())
            return tr("never");
        return d.lastRetained ? tr("%1 (retained)").arg(TimeFormat::relative(d.lastMessage, m_now))
                              : TimeFormat::relative(d.lastMessage, m_now);
    case SinceColumn:
        return TimeFormat::relative(d.since, m_now);
    case PreviewColumn:
        return d.preview;
    case MessagesColumn:
        return QLocale().toString(d.messages);
    default:
        return {};
    }
}

QVariant DeviceTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DeviceSnapshot &d = m_devices->at(m_rows[size_t(index.row())]);
    const int column = index.column();
    const bool trouble = d.state == DeviceSnapshot::State::Silent || d.state == DeviceSnapshot::State::Will;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return displayData(d, column);
    case Qt::ToolTipRole:
        switch (column) {
        case StateColumn:
            return MqttText::deviceStateToolTip(d.state);
        case TopicColumn:
            return tr("%1\nwatched by %2").arg(d.topic, d.watch);
        case LastMessageColumn:
            return d.lastMessage.isValid() ? TimeFormat::absolute(d.lastMessage) : QVariant();
        case SinceColumn:
            return d.since.isValid()
                       ? tr("%1 since %2")
                             .arg(MqttText::deviceStateLabel(d.state), TimeFormat::absolute(d.since))
                       : QVariant();
        case PreviewColumn:
            return d.preview.isEmpty() ? QVariant() : QVariant(d.preview);
        default:
            return {};
        }
    case Qt::DecorationRole:
        return column == StateColumn ? QVariant(stateDot(d.state)) : QVariant();
    case Qt::ForegroundRole:
        return column == StateColumn ? QVariant(QBrush(MqttText::deviceStateColor(d.state, m_dark)))
                                     : QVariant();
    case Qt::BackgroundRole:
        if (trouble)
            return QBrush(StateStyle::tint(EndpointState::Down, m_dark));
        return {};
    case Qt::TextAlignmentRole:
        if (column == MessagesColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case TopicRole:
        return d.topic;
    case StateRole:
        return int(d.state);
    case StateNameRole:
        return deviceStateName(d.state);
    default:
        return {};
    }
}

QVariant DeviceTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case StateColumn:
            return tr("State");
        case IdColumn:
            return tr("Device");
        case TopicColumn:
            return tr("Topic");
        case LastMessageColumn:
            return tr("Last message");
        case SinceColumn:
            return tr("In state since");
        case PreviewColumn:
            return tr("Last payload");
        case MessagesColumn:
            return tr("Messages");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case IdColumn:
            return tr("The topic levels the watch filter's wildcards matched");
        case LastMessageColumn:
            return tr("When the device last published, fresh or retained");
        case SinceColumn:
            return tr("When the device entered its current state");
        case PreviewColumn:
            return tr("The start of the last payload, printable characters only");
        default:
            return {};
        }
    }
    return {};
}

} // namespace kw
