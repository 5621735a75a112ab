#include "eventlogmodel.h"

#include "snapshot.h"
#include "statestyle.h"
#include "timeformat.h"

#include <QBrush>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

#include <algorithm>

namespace kw {

namespace {
// A device event as a sentence: "pump-2 silent: nothing for 15 s", or for a batch "14 devices
// silent: pump-1, pump-2, pump-3, …". The cause column beside it names the cause.
QString deviceEventText(const Event &e)
{
    const bool down = e.state == EndpointState::Down;
    QString what;
    if (e.cause.code == CauseCode::DeviceWill)
        what = EventLogModel::tr("gone, the broker published its Will");
    else if (down)
        what = EventLogModel::tr("silent");
    else
        what = EventLogModel::tr("up");

    QString text;
    if (e.data.contains(QStringLiteral("devices"))) {
        const int count = e.data.value(QStringLiteral("devices")).toInt();
        QStringList topics;
        for (const QJsonValue &topic : e.data.value(QStringLiteral("topics")).toArray())
            topics << topic.toString();
        if (e.cause.code == CauseCode::DeviceWill)
            what = EventLogModel::tr("gone, the broker published their Wills");
        text = EventLogModel::tr("%1 devices %2").arg(QLocale().toString(count), what);
        if (!topics.isEmpty())
            text += EventLogModel::tr(": %1%2").arg(
                topics.join(QStringLiteral(", ")), count > topics.size() ? QStringLiteral(", …") : QString());
    } else {
        QString name = e.data.value(QStringLiteral("id")).toString();
        if (name.isEmpty())
            name = e.data.value(QStringLiteral("device")).toString();
        if (name.isEmpty())
            name = EventLogModel::tr("a device");
        text = EventLogModel::tr("%1 %2").arg(name, what);
    }
    if (!e.detail.isEmpty())
        text += EventLogModel::tr(": %1").arg(e.detail);
    return text;
}
} // namespace

EventLogModel::EventLogModel(QObject *parent)
    : QAbstractTableModel(parent), m_dark(StateStyle::isDark(QGuiApplication::palette()))
{}

EventLogModel::~EventLogModel() = default;

void EventLogModel::appendEvents(const QList<Event> &events)
{
    if (events.isEmpty())
        return;
    // A batch larger than the ring only contributes its newest events.
    const qsizetype skip = std::max<qsizetype>(0, events.size() - m_capacity);
    const int incoming = int(events.size() - skip);
    m_dropped += skip;

    const int overflow = int(m_events.size()) + incoming - m_capacity;
    if (overflow > 0)
        dropOldest(overflow);

    const int first = int(m_events.size());
    beginInsertRows({}, first, first + incoming - 1);
    m_events.insert(m_events.end(), events.cbegin() + skip, events.cend());
    endInsertRows();
}

void EventLogModel::dropOldest(int count)
{
    count = std::min(count, int(m_events.size()));
    if (count <= 0)
        return;
    beginRemoveRows({}, 0, count - 1);
    m_events.erase(m_events.begin(), m_events.begin() + count);
    endRemoveRows();
    m_dropped += count;
}

void EventLogModel::clear()
{
    if (!m_events.empty()) {
        beginRemoveRows({}, 0, int(m_events.size()) - 1);
        m_events.clear();
        endRemoveRows();
    }
    m_dropped = 0;
}

void EventLogModel::setCapacity(int capacity)
{
    m_capacity = std::max(1, capacity);
    const int overflow = int(m_events.size()) - m_capacity;
    if (overflow > 0)
        dropOldest(overflow);
}

void EventLogModel::setDarkPalette(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    if (!m_events.empty())
        Q_EMIT dataChanged(index(0, StateColumn), index(rowCount() - 1, StateColumn), {Qt::ForegroundRole});
}

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int EventLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Event &e = m_events.at(size_t(index.row()));
    const int column = index.column();

    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case TimeColumn:
            return e.ts.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
        case EndpointColumn:
            return e.endpoint;
        case KindColumn:
            return e.kindName();
        case StateColumn:
            // A device's "down" is not the broker's: say what the device did.
            if (e.kind == EventKind::Device && e.state == EndpointState::Down)
                return e.cause.code == CauseCode::DeviceWill ? deviceStateName(DeviceSnapshot::State::Will)
                                                             : deviceStateName(DeviceSnapshot::State::Silent);
            return e.stateName();
        case CauseColumn:
            return e.causeName();
        case DetailColumn:
            if (e.rttMs) {
                const QString rtt = tr("%1 ms").arg(QLocale().toString(*e.rttMs, 'f', 2));
                return e.source.isEmpty() ? rtt : tr("%1 (%2)").arg(rtt, e.source);
            }
            if (e.kind == EventKind::Device)
                return deviceEventText(e);
            return e.detail;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (column == TimeColumn)
            return QString(TimeFormat::absolute(e.ts) + e.ts.toLocalTime().toString(QStringLiteral(".zzz")));
        if (column == DetailColumn) {
            QString text = e.detail;
            if (!e.data.isEmpty()) {
                const QString json = QString::fromUtf8(QJsonDocument(e.data).toJson(QJsonDocument::Indented));
                text = text.isEmpty() ? json : text + u'\n' + json;
            }
            return text.isEmpty() ? QVariant() : QVariant(text);
        }
        return {};
    case Qt::ForegroundRole:
        if (column == StateColumn) {
            if (e.state)
                return QBrush(StateStyle::color(*e.state, m_dark));
        }
        return {};
    case EndpointRole:
        return e.endpoint;
    case KindRole:
        return e.kind ? QVariant::fromValue(*e.kind) : QVariant();
    case TimestampRole:
        return e.ts;
    case RttRole:
        return e.rttMs ? QVariant(*e.rttMs) : QVariant();
    default:
        return {};
    }
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case EndpointColumn:
        return tr("Endpoint");
    case KindColumn:
        return tr("Kind");
    case StateColumn:
        return tr("State");
    case CauseColumn:
        return tr("Cause");
    case DetailColumn:
        return tr("Detail / RTT");
    default:
        return {};
    }
}

} // namespace kw
