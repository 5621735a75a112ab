// What EndpointTableModel's cells say: texts, tooltips, colours, sort keys and headers.
// The structure (rows, groups, diffing) is in endpointtablemodel.cpp.
#include "endpointtablemodel.h"

#include "mqtttext.h"
#include "statestyle.h"
#include "timeformat.h"

#include <QBrush>
#include <QFont>
#include <QLocale>

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

EndpointState worstState(const std::array<int, 6> &states)
{
    EndpointState worst = EndpointState::Disabled;
    for (int s = 0; s < int(states.size()); ++s) {
        const auto state = EndpointState(s);
        if (states[size_t(s)] > 0 && StateStyle::severity(state) > StateStyle::severity(worst))
            worst = state;
    }
    return worst;
}

// "2 down, 1 suspect, 9 up": the worst first, as an operator reads a group.
QString groupStateText(const std::array<int, 6> &states)
{
    std::array<EndpointState, 6> order{EndpointState::Down,    EndpointState::Suspect,
                                       EndpointState::Waiting, EndpointState::Connecting,
                                       EndpointState::Up,      EndpointState::Disabled};
    QStringList parts;
    for (const EndpointState state : order) {
        if (const int n = states[size_t(state)]; n > 0)
            parts << EndpointTableModel::tr("%1 %2").arg(QLocale().toString(n),
                                                         StateStyle::label(state).toLower());
    }
    return parts.join(QStringLiteral(", "));
}

QString stripSummary(const StateStrip &strip)
{
    QStringList lines;
    lines << EndpointTableModel::tr("Last %1 min").arg(EndpointHistory::kWindow.count());
    qint64 downMs = 0;
    qint64 suspectMs = 0;
    for (const StateSpan &span : strip.spans) {
        if (span.state == EndpointState::Down || span.state == EndpointState::Waiting ||
            span.state == EndpointState::Connecting)
            downMs += span.from.msecsTo(span.to);
        else if (span.state == EndpointState::Suspect)
            suspectMs += span.from.msecsTo(span.to);
    }
    const QString notUp = TimeFormat::duration(std::chrono::milliseconds(downMs));
    if (strip.drops == 1)
        lines << EndpointTableModel::tr("1 drop, not up for %1").arg(notUp);
    else if (strip.drops > 1)
        lines
            << EndpointTableModel::tr("%1 drops, not up for %2").arg(QLocale().toString(strip.drops), notUp);
    else if (downMs > 0)
        lines << EndpointTableModel::tr("Not up for %1")
                     .arg(TimeFormat::duration(std::chrono::milliseconds(downMs)));
    else if (!strip.spans.isEmpty())
        lines << EndpointTableModel::tr("No drops");
    if (suspectMs > 0)
        lines << EndpointTableModel::tr("Suspect for %1")
                     .arg(TimeFormat::duration(std::chrono::milliseconds(suspectMs)));
    if (!strip.rtt.isEmpty()) {
        double low = strip.rtt.first().ms;
        double high = low;
        for (const RttPoint &p : strip.rtt) {
            low = std::min(low, p.ms);
            high = std::max(high, p.ms);
        }
        const QLocale locale;
        lines << EndpointTableModel::tr("RTT %1–%2 ms (largest per %3 s)")
                     .arg(locale.toString(low, 'f', 2), locale.toString(high, 'f', 2))
                     .arg(std::chrono::duration_cast<std::chrono::seconds>(EndpointHistory::kRttBucket)
                              .count());
    }
    return lines.join(u'\n');
}
} // namespace

QVariant EndpointTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node *node = nodeOf(index);
    if (node->entry)
        return endpointData(*node->entry, index.column(), role);
    return groupData(*node, index.column(), role);
}

QVariant EndpointTableModel::endpointData(const Entry &entry, int column, int role) const
{
    const EndpointSnapshot &e = *entry.e;
    switch (role) {
    case Qt::DisplayRole:
        return displayData(e, column);
    case Qt::ToolTipRole:
        return toolTipData(entry, column);
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
        if (column == StripColumn)
            return stripSummary(stripOf(entry)).replace(u'\n', QStringLiteral("; "));
        return displayData(e, column);
    case NameRole:
        return e.name;
    case StateRole:
        return int(e.state);
    case StateNameRole:
        return StateStyle::name(e.state);
    case SortRole:
        if (column == StripColumn)
            return entry.history.dropsSince(
                m_clock().addMSecs(-std::chrono::milliseconds(EndpointHistory::kWindow).count()));
        return sortData(e, column);
    case FilterRole:
        return filterText(e);
    case KindRole:
        return int(e.kind);
    case TagsRole:
        return e.tags;
    case StripRole:
        if (column == StripColumn)
            return QVariant::fromValue(stripOf(entry));
        return {};
    default:
        return {};
    }
}

QVariant EndpointTableModel::groupData(const Node &group, int column, int role) const
{
    const EndpointState worst = worstState(group.groupStates);
    const QString name = group.group.isEmpty() ? tr("Untagged") : group.group;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        // The view spans the name across the row: the group reads as one line.
        if (column == NameColumn)
            return tr("%1 (%2) — %3")
                .arg(name, QLocale().toString(group.groupCount), groupStateText(group.groupStates));
        if (column == StateColumn)
            return groupStateText(group.groupStates);
        return {};
    case Qt::ToolTipRole:
        if (column == NameColumn || column == StateColumn)
            return tr("Tag %1: %n endpoint(s), %2", nullptr, group.groupCount)
                .arg(name, groupStateText(group.groupStates));
        return {};
    case Qt::DecorationRole:
        if (column == StateColumn || column == NameColumn)
            return stateDot(worst);
        return {};
    case Qt::ForegroundRole:
        if (column == StateColumn)
            return QBrush(StateStyle::color(worst, m_dark));
        return {};
    case Qt::BackgroundRole:
        if (const QColor tint = StateStyle::tint(worst, m_dark); tint.isValid())
            return QBrush(tint);
        return {};
    case Qt::FontRole: {
        QFont font;
        font.setBold(true);
        return font;
    }
    case StateRole:
        return int(worst);
    case StateNameRole:
        return StateStyle::name(worst);
    case SortRole:
        if (column == StateColumn)
            return StateStyle::severity(worst);
        if (column == NameColumn)
            return group.group.isEmpty() ? QString(QChar(0xffff)) : group.group; // untagged last
        return group.groupCount;
    case GroupRole:
        return group.group;
    case GroupCountRole:
        return group.groupCount;
    default:
        return {};
    }
}

QString EndpointTableModel::filterText(const EndpointSnapshot &e) const
{
    QStringList words{e.name, e.target, StateStyle::name(e.state), StateStyle::label(e.state),
                      kindName(e.kind)};
    words << e.tags;
    if (e.kind == EndpointKind::Mqtt)
        words << QStringLiteral("mqtt");
    // "silent" finds the brokers with silent devices.
    if (e.mqtt && e.mqtt->devicesSilent > 0)
        words << deviceStateName(DeviceSnapshot::State::Silent);
    if (e.mqtt && e.mqtt->devicesWill > 0)
        words << deviceStateName(DeviceSnapshot::State::Will);
    return words.join(u' ');
}

QVariant EndpointTableModel::displayData(const EndpointSnapshot &e, int column) const
{
    const QLocale locale;
    switch (column) {
    case NameColumn:
        return e.name;
    case KindColumn:
        return kindName(e.kind);
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
        if (e.stats.flapping)
            return tr("%1 ⚠").arg(locale.toString(e.stats.reconnects));
        return e.stats.reconnects;
    case RttColumn:
        return e.lastRttMs ? locale.toString(*e.lastRttMs, 'f', 2) : QString();
    case UptimeColumn:
        if (e.stats.uptimePending)
            return tr("—");
        return tr("%1 %").arg(locale.toString(e.stats.uptimeSessionPercent, 'f', 2));
    case TagsColumn:
        return e.tags.join(QStringLiteral(", "));
    case KeepaliveColumn:
        return e.keepalive;
    default:
        return {};
    }
}

QVariant EndpointTableModel::toolTipData(const Entry &entry, int column) const
{
    const EndpointSnapshot &e = *entry.e;
    const QLocale locale;
    switch (column) {
    case NameColumn:
    case KindColumn:
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
        if (column == CauseColumn && e.stats.lastDropAt.isValid() && !e.stats.lastDropCause.isEmpty()) {
            const QString last = tr("Last drop: %1 at %2")
                                     .arg(e.stats.lastDropCause, TimeFormat::absolute(e.stats.lastDropAt));
            text = text.isEmpty() ? last : text + u'\n' + last;
        }
        if (column == StateColumn && e.mqtt && MqttText::deviceCount(*e.mqtt) > 0) {
            const QString devices = MqttText::devices(*e.mqtt, m_clock());
            text = text.isEmpty() ? devices : text + u'\n' + devices;
        }
        return text.isEmpty() ? QVariant() : QVariant(text);
    }
    case SinceColumn:
        return TimeFormat::absolute(e.since);
    case StripColumn:
        return stripSummary(stripOf(entry));
    case ReconnectsColumn: {
        QString text = tr("%n reconnect(s) since the monitor started watching", nullptr, e.stats.reconnects);
        if (e.stats.mttr)
            text += u'\n' + tr("Mean time to repair %1").arg(TimeFormat::duration(*e.stats.mttr));
        if (e.stats.mtbf)
            text += u'\n' + tr("Mean time between failures %1").arg(TimeFormat::duration(*e.stats.mtbf));
        if (e.stats.flapping)
            text += u'\n' + tr("Flapping: it keeps going down and coming back");
        return text;
    }
    case RttColumn:
        if (!e.lastRttMs)
            return tr("No round-trip sample yet");
        return tr("%1 ms, measured by %2").arg(locale.toString(*e.lastRttMs, 'f', 3), e.lastRttSource);
    case UptimeColumn:
        if (e.stats.uptimePending)
            return tr(
                "Not counted yet: uptime counts from the first verdict (up or down) after the watch starts");
        return tr("Session %1 %, last hour %2 %, last 24 h %3 %")
            .arg(locale.toString(e.stats.uptimeSessionPercent, 'f', 2),
                 locale.toString(e.stats.uptime1hPercent, 'f', 2),
                 locale.toString(e.stats.uptime24hPercent, 'f', 2));
    case TagsColumn:
        return e.tags.isEmpty() ? QVariant() : QVariant(e.tags.join(QStringLiteral(", ")));
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
    case KindColumn:
        return int(e.kind);
    case StateColumn:
        return StateStyle::severity(e.state);
    case SinceColumn:
        return e.since;
    case ReconnectsColumn:
        return e.stats.reconnects;
    case RttColumn:
        return e.lastRttMs.value_or(-1.0);
    case UptimeColumn:
        return e.stats.uptimePending ? -1.0 : e.stats.uptimeSessionPercent;
    default:
        return displayData(e, column);
    }
}

const StateStrip &EndpointTableModel::stripOf(const Entry &entry) const
{
    // Painted rows ask for their strip on every repaint; it is made again only when the history
    // changed or the window slid by a second (a pixel of the strip is about 5 s).
    const QDateTime now = m_clock();
    const qint64 second = now.toMSecsSinceEpoch() / 1000;
    if (!entry.strip || entry.stripSecond != second) {
        entry.strip = entry.history.strip(now);
        entry.stripSecond = second;
    }
    return *entry.strip;
}

QIcon EndpointTableModel::stateDot(EndpointState state) const
{
    const int key = int(state) * 2 + (m_dark ? 1 : 0);
    auto it = m_dots.find(key);
    if (it == m_dots.end())
        it = m_dots.insert(key, StateStyle::dot(state, m_dark));
    return it.value();
}

QVariant EndpointTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case NameColumn:
            return tr("Name");
        case KindColumn:
            return tr("Kind");
        case TargetColumn:
            return tr("Target");
        case StateColumn:
            return tr("State");
        case CauseColumn:
            return tr("Cause");
        case SinceColumn:
            return tr("Since");
        case StripColumn:
            return tr("Last %1 min").arg(EndpointHistory::kWindow.count());
        case UptimeColumn:
            return tr("Uptime");
        case ReconnectsColumn:
            return tr("Reconnects");
        case RttColumn:
            return tr("RTT (ms)");
        case TagsColumn:
            return tr("Tags");
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
        case SinceColumn:
            return tr("How long the endpoint has been in its current state");
        case StripColumn:
            return tr("The last %1 minutes, oldest on the left: green up, amber suspect, red down, grey "
                      "waiting or connecting; the line is the round-trip time (largest per %2 s)")
                .arg(EndpointHistory::kWindow.count())
                .arg(std::chrono::duration_cast<std::chrono::seconds>(EndpointHistory::kRttBucket).count());
        case ReconnectsColumn:
            return tr("Reconnects since the monitor started watching; ⚠ when flapping");
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
