#include "eventlogmodel.h"

#include "snapshot.h"

#include <QJsonArray>
#include <QLocale>

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

QString EventLogModel::timeText(const QDateTime &ts)
{
    // The log spans days: an event of another day says which.
    const QDateTime local = ts.toLocalTime();
    return local.toString(local.date() == QDate::currentDate() ? QStringLiteral("HH:mm:ss.zzz")
                                                               : QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

QString EventLogModel::displayText(const Event &e, int column)
{
    switch (column) {
    case TimeColumn:
        return timeText(e.ts);
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
}

} // namespace kw
