#include "keepalivereport.h"

#include "sessiontext.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace kw {

namespace {

// The translation context of this file's messages: lupdate files them under "kw::AppliedKeepalive", and
// Q_DECLARE_TR_FUNCTIONS looks them up under the same name.
class AppliedKeepaliveText
{
    Q_DECLARE_TR_FUNCTIONS(kw::AppliedKeepalive)
};

QJsonObject optionsToJson(const net::KeepaliveReport &report)
{
    QJsonArray options;
    for (const net::OptionResult &option : report.options) {
        QJsonObject o{{u"option"_qs, QString::fromStdString(option.option)},
                      {u"status"_qs, QString::fromStdString(net::optionStatusName(option.status))}};
        if (option.requested)
            o.insert(u"requested"_qs, static_cast<double>(*option.requested));
        if (option.readBack)
            o.insert(u"read_back"_qs, static_cast<double>(*option.readBack));
        if (!option.unit.empty())
            o.insert(u"unit"_qs, QString::fromStdString(option.unit));
        if (!option.message.empty())
            o.insert(u"message"_qs, QString::fromStdString(option.message));
        options.append(o);
    }
    return QJsonObject{{u"options"_qs, options}, {u"all_applied"_qs, report.allApplied()}};
}

} // namespace

AppliedKeepalive applyKeepalive(net::NativeSocket socket, const net::TcpKeepaliveSettings &settings,
                                const net::SystemDefaults &defaults)
{
    AppliedKeepalive applied;
    applied.report = net::applyKeepalive(socket, settings.normalized());
    const net::EffectiveKeepalive &effective = applied.report.effective;
    applied.userTimeoutSet = effective.userTimeout.has_value() && effective.userTimeout->count() > 0;
    applied.summary = QString::fromStdString(net::describeKeepalive(effective));
    applied.bound = net::detectionBound(effective, defaults);
    return applied;
}

QStringList AppliedKeepalive::boundParts() const
{
    QStringList parts;
    if (bound.silentPeer)
        parts << AppliedKeepaliveText::tr("silent peer %1").arg(formatDuration(*bound.silentPeer));
    if (bound.unackedData)
        parts << AppliedKeepaliveText::tr("unacked data %1").arg(formatDuration(*bound.unackedData));
    return parts;
}

KeepaliveInForce AppliedKeepalive::inForce() const
{
    return {report.effective, bound.silentPeer, bound.unackedData, userTimeoutSet, summary};
}

Event AppliedKeepalive::event(const QString &endpoint, const QString &detailPrefix) const
{
    Event event;
    event.endpoint = endpoint;
    event.kind = EventKind::Keepalive;
    event.detail = detailPrefix + QString::fromStdString(report.summary());
    event.data = optionsToJson(report);
    if (bound.silentPeer)
        event.data.insert(u"bound_ms"_qs, static_cast<double>(bound.silentPeer->count()));
    if (bound.unackedData)
        event.data.insert(u"unacked_bound_ms"_qs, static_cast<double>(bound.unackedData->count()));
    return event;
}

} // namespace kw
