#include "endpointtablemodel.h"

#include "mqtttext.h"
#include "statestyle.h"
#include "timeformat.h"

#include <QBrush>
#include <QGuiApplication>
#include <QLocale>
#include <QSet>

#include <array>
#include <bitset>

namespace kw {

namespace {
QString kindName(EndpointKind kind)
{
    switch (kind) {
    case EndpointKind::Tcp:
        return EndpointTableModel::tr("TCP");
    case EndpointKind::Mqtt:
        return EndpointTableModel::tr("MQTT");
    case EndpointKind::Listen:
        return EndpointTableModel::tr("Heartbeat listener");
    case EndpointKind::WebSocket:
        return EndpointTableModel::tr("WebSocket");
    }
    return {};
}

// What the state cell says of an MQTT endpoint's devices: up, silent, will, awaiting.
std::array<int, 4> deviceCounts(const EndpointSnapshot &e)
{
    if (!e.mqtt)
        return {};
    return {e.mqtt->devicesUp, e.mqtt->devicesSilent, e.mqtt->devicesWill, e.mqtt->devicesAwaiting};
}

// "12 devices, ⚠ 1 silent": the broker's state alone would hide the devices that died behind it.
QString deviceSummary(const EndpointSnapshot &e)
{
    if (!e.mqtt || MqttText::deviceCount(*e.mqtt) == 0)
        return {};
    const MqttSnapshot &m = *e.mqtt;
    QStringList trouble;
    if (m.devicesSilent > 0)
        trouble << EndpointTableModel::tr("%1 silent").arg(QLocale().toString(m.devicesSilent));
    if (m.devicesWill > 0)
        trouble << EndpointTableModel::tr("%1 will").arg(QLocale().toString(m.devicesWill));
    const QString count = MqttText::devicesWord(MqttText::deviceCount(m));
    if (trouble.isEmpty())
        return count;
    return EndpointTableModel::tr("%1, ⚠ %2").arg(count, trouble.join(QStringLiteral(", ")));
}

// Which columns show something that differs between two snapshots of the same
// endpoint. Tooltips count: a new detection bound changes the keepalive cell.
std::bitset<EndpointTableModel::ColumnCount> changedColumns(const EndpointSnapshot &a,
                                                            const EndpointSnapshot &b)
{
    std::bitset<EndpointTableModel::ColumnCount> changed;
    if (a.kind != b.kind)
        changed.set(EndpointTableModel::NameColumn).set(EndpointTableModel::TargetColumn);
    if (a.target != b.target)
        changed.set(EndpointTableModel::TargetColumn);
    if (a.state != b.state || a.detail != b.detail || a.nextAttempt != b.nextAttempt ||
        a.enabled != b.enabled || deviceCounts(a) != deviceCounts(b))
        changed.set(EndpointTableModel::StateColumn);
    if (a.cause != b.cause || a.detail != b.detail)
        changed.set(EndpointTableModel::CauseColumn);
    if (a.since != b.since)
        changed.set(EndpointTableModel::SinceColumn);
    if (a.stats.reconnects != b.stats.reconnects)
        changed.set(EndpointTableModel::ReconnectsColumn);
    if (a.lastRttMs != b.lastRttMs || a.lastRttSource != b.lastRttSource)
        changed.set(EndpointTableModel::RttColumn);
    if (a.stats.uptimeSessionPercent != b.stats.uptimeSessionPercent ||
        a.stats.uptime1hPercent != b.stats.uptime1hPercent ||
        a.stats.uptime24hPercent != b.stats.uptime24hPercent)
        changed.set(EndpointTableModel::UptimeColumn);
    if (a.keepalive != b.keepalive || a.detectionBound != b.detectionBound)
        changed.set(EndpointTableModel::KeepaliveColumn);
    // The state tints the whole row (background, greyed text when disabled).
    if (a.state != b.state)
        changed.set();
    return changed;
}
} // namespace

EndpointTableModel::EndpointTableModel(QObject *parent)
    : QAbstractTableModel(parent), m_clock([] { return QDateTime::currentDateTimeUtc(); }),
      m_dark(StateStyle::isDark(QGuiApplication::palette()))
{}

EndpointTableModel::~EndpointTableModel() = default;

void EndpointTableModel::setClock(Clock clock)
{
    m_clock = std::move(clock);
    refreshRelativeTimes();
}

void EndpointTableModel::refreshRelativeTimes()
{
    if (m_rows.isEmpty())
        return;
    // The state tooltip carries "next attempt in 12 s", so it ages too.
    static_assert(StateColumn < SinceColumn);
    Q_EMIT dataChanged(index(0, StateColumn), index(int(m_rows.size()) - 1, SinceColumn),
                       {Qt::DisplayRole, Qt::ToolTipRole});
}

void EndpointTableModel::setDarkPalette(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    if (!m_rows.isEmpty()) {
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1),
                           {Qt::DecorationRole, Qt::ForegroundRole, Qt::BackgroundRole});
    }
}

void EndpointTableModel::applySnapshot(const SnapshotPtr &snapshot)
{
    m_snapshot = snapshot;
    const QList<EndpointSnapshot> next = snapshot ? snapshot->endpoints : QList<EndpointSnapshot>{};

    QSet<QString> nextNames;
    nextNames.reserve(next.size());
    for (const EndpointSnapshot &e : next)
        nextNames.insert(e.name);

    // 1. Gone endpoints, removed in contiguous runs from the bottom up.
    for (int row = int(m_rows.size()) - 1; row >= 0;) {
        if (nextNames.contains(m_rows.at(row).name)) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && !nextNames.contains(m_rows.at(first - 1).name))
            --first;
        beginRemoveRows({}, first, row);
        m_rows.remove(first, row - first + 1);
        endRemoveRows();
        row = first - 1;
    }

    // 2. Walk the new order: keep, move up or insert, so rows follow the
    //    workspace order without ever resetting the model. Rows above i are
    //    final, so the changed-cell rows recorded on the way stay valid.
    QList<ChangedCells> changed;
    const auto update = [&](int row, const EndpointSnapshot &e) {
        if (const auto cells = updateRow(row, e))
            changed.append(*cells);
    };
    for (int i = 0; i < next.size(); ++i) {
        const EndpointSnapshot &e = next.at(i);
        if (i < m_rows.size() && m_rows.at(i).name == e.name) {
            update(i, e);
            continue;
        }
        int found = -1;
        for (int j = i + 1; j < m_rows.size(); ++j) {
            if (m_rows.at(j).name == e.name) {
                found = j;
                break;
            }
        }
        if (found >= 0) {
            beginMoveRows({}, found, found, {}, i);
            m_rows.move(found, i);
            endMoveRows();
            update(i, e);
        } else {
            beginInsertRows({}, i, i);
            m_rows.insert(i, e);
            endInsertRows();
        }
    }

    // 3. One dataChanged per run of adjacent rows that changed in the same
    //    columns: a snapshot that moves every RTT costs one signal, and a
    //    state change stays its own range (the proxy re-sorts only that).
    for (qsizetype k = 0; k < changed.size();) {
        const ChangedCells run = changed.at(k);
        int lastRow = run.row;
        qsizetype n = k + 1;
        for (; n < changed.size() && changed.at(n).row == lastRow + 1 &&
               changed.at(n).firstColumn == run.firstColumn && changed.at(n).lastColumn == run.lastColumn;
             ++n)
            lastRow = changed.at(n).row;
        Q_EMIT dataChanged(index(run.row, run.firstColumn), index(lastRow, run.lastColumn));
        k = n;
    }
}

std::optional<EndpointTableModel::ChangedCells> EndpointTableModel::updateRow(int row,
                                                                              const EndpointSnapshot &next)
{
    const auto changed = changedColumns(m_rows.at(row), next);
    m_rows[row] = next;
    if (changed.none())
        return std::nullopt;
    int first = 0;
    while (!changed.test(size_t(first)))
        ++first;
    int last = ColumnCount - 1;
    while (!changed.test(size_t(last)))
        --last;
    return ChangedCells{row, first, last};
}

QIcon EndpointTableModel::stateDot(EndpointState state) const
{
    const int key = int(state) * 2 + (m_dark ? 1 : 0);
    auto it = m_dots.find(key);
    if (it == m_dots.end())
        it = m_dots.insert(key, StateStyle::dot(state, m_dark));
    return it.value();
}

const EndpointSnapshot *EndpointTableModel::endpointAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return nullptr;
    return &m_rows.at(row);
}

int EndpointTableModel::rowOf(const QString &name) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).name == name)
            return row;
    }
    return -1;
}

int EndpointTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EndpointTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EndpointTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const EndpointSnapshot &e = m_rows.at(index.row());
    const int column = index.column();

    switch (role) {
    case Qt::DisplayRole:
        return displayData(e, column);
    case Qt::ToolTipRole:
        return toolTipData(e, column);
    case Qt::DecorationRole:
        if (column == StateColumn)
            return stateDot(e.state);
        return {};
    case Qt::ForegroundRole:
        if (column == StateColumn)
            return QBrush(StateStyle::color(e.state, m_dark));
        if (e.state == EndpointState::Disabled)
            return QBrush(StateStyle::color(EndpointState::Disabled, m_dark));
        return {};
    case Qt::BackgroundRole:
        if (const QColor tint = StateStyle::tint(e.state, m_dark); tint.isValid())
            return QBrush(tint);
        return {};
    case Qt::TextAlignmentRole:
        if (column == ReconnectsColumn || column == RttColumn || column == UptimeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::AccessibleTextRole:
        return displayData(e, column);
    case NameRole:
        return e.name;
    case StateRole:
        return int(e.state);
    case StateNameRole:
        return StateStyle::name(e.state);
    case SortRole:
        return sortData(e, column);
    case FilterRole: {
        QStringList words{e.name, e.target, StateStyle::name(e.state), StateStyle::label(e.state)};
        if (e.kind == EndpointKind::Mqtt)
            words << QStringLiteral("mqtt");
        // "silent" finds the brokers with silent devices.
        if (e.mqtt && e.mqtt->devicesSilent > 0)
            words << deviceStateName(DeviceSnapshot::State::Silent);
        if (e.mqtt && e.mqtt->devicesWill > 0)
            words << deviceStateName(DeviceSnapshot::State::Will);
        return words.join(u' ');
    }
    default:
        return {};
    }
}

QVariant EndpointTableModel::displayData(const EndpointSnapshot &e, int column) const
{
    const QLocale locale;
    switch (column) {
    case NameColumn:
        return e.name;
    case TargetColumn:
        return e.target;
    case StateColumn:
        if (e.kind == EndpointKind::Listen && e.state == EndpointState::Up)
            return tr("%1, peers: %2").arg(StateStyle::label(e.state)).arg(e.peers);
        if (const QString devices = deviceSummary(e); !devices.isEmpty())
            return tr("%1 · %2").arg(StateStyle::label(e.state), devices);
        return StateStyle::label(e.state);
    case CauseColumn:
        return e.cause;
    case SinceColumn:
        return TimeFormat::relative(e.since, m_clock());
    case ReconnectsColumn:
        return e.stats.reconnects;
    case RttColumn:
        return e.lastRttMs ? locale.toString(*e.lastRttMs, 'f', 2) : QString();
    case UptimeColumn:
        return tr("%1 %").arg(locale.toString(e.stats.uptimeSessionPercent, 'f', 2));
    case KeepaliveColumn:
        return e.keepalive;
    default:
        return {};
    }
}

QVariant EndpointTableModel::toolTipData(const EndpointSnapshot &e, int column) const
{
    const QLocale locale;
    switch (column) {
    case NameColumn:
    case TargetColumn:
        return tr("%1 endpoint %2 (%3)").arg(kindName(e.kind), e.name, e.target);
    case StateColumn:
    case CauseColumn: {
        QString text = e.detail;
        if (e.state == EndpointState::Waiting && e.nextAttempt.isValid()) {
            const QString next =
                tr("Next attempt %1 (%2)")
                    .arg(TimeFormat::relative(e.nextAttempt, m_clock()), TimeFormat::absolute(e.nextAttempt));
            text = text.isEmpty() ? next : text + u'\n' + next;
        }
        if (column == StateColumn && e.mqtt && MqttText::deviceCount(*e.mqtt) > 0) {
            const QString devices = MqttText::devices(*e.mqtt, m_clock());
            text = text.isEmpty() ? devices : text + u'\n' + devices;
        }
        return text.isEmpty() ? QVariant() : QVariant(text);
    }
    case SinceColumn:
        return TimeFormat::absolute(e.since);
    case RttColumn:
        if (!e.lastRttMs)
            return tr("No round-trip sample yet");
        return tr("%1 ms, measured by %2").arg(locale.toString(*e.lastRttMs, 'f', 3), e.lastRttSource);
    case UptimeColumn:
        return tr("Session %1 %, last hour %2 %, last 24 h %3 %")
            .arg(locale.toString(e.stats.uptimeSessionPercent, 'f', 2),
                 locale.toString(e.stats.uptime1hPercent, 'f', 2),
                 locale.toString(e.stats.uptime24hPercent, 'f', 2));
    case KeepaliveColumn:
        if (e.detectionBound.isEmpty())
            return {};
        return tr("Detection bound: %1").arg(e.detectionBound);
    default:
        return {};
    }
}

QVariant EndpointTableModel::sortData(const EndpointSnapshot &e, int column) const
{
    switch (column) {
    case StateColumn:
        return StateStyle::severity(e.state);
    case SinceColumn:
        return e.since;
    case ReconnectsColumn:
        return e.stats.reconnects;
    case RttColumn:
        return e.lastRttMs.value_or(-1.0);
    case UptimeColumn:
        return e.stats.uptimeSessionPercent;
    default:
        return displayData(e, column);
    }
}

QVariant EndpointTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case NameColumn:
            return tr("Name");
        case TargetColumn:
            return tr("Target");
        case StateColumn:
            return tr("State");
        case CauseColumn:
            return tr("Cause");
        case SinceColumn:
            return tr("Since");
        case ReconnectsColumn:
            return tr("Reconnects");
        case RttColumn:
            return tr("RTT (ms)");
        case UptimeColumn:
            return tr("Uptime");
        case KeepaliveColumn:
            return tr("Keepalive");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case CauseColumn:
            return tr("Why the last connection ended");
        case RttColumn:
            return tr("Last round-trip time; the tooltip names what measured it");
        case UptimeColumn:
            return tr("Share of time up since the monitor started watching");
        case KeepaliveColumn:
            return tr("Keepalive settings read back from the socket");
        default:
            return {};
        }
    }
    return {};
}

} // namespace kw
