#include "keepalivereport.h"

#include "sessiontext.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <algorithm>
#include <optional>
#include <utility>

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

bool sameOption(const net::OptionResult &a, const net::OptionResult &b)
{
    return a.option == b.option && a.status == b.status && a.requested == b.requested &&
           a.readBack == b.readBack && a.unit == b.unit && a.error == b.error && a.message == b.message &&
           a.carriedByFallback == b.carriedByFallback;
}

bool sameReport(const net::KeepaliveReport &a, const net::KeepaliveReport &b)
{
    return a.effective == b.effective &&
           std::equal(a.options.begin(), a.options.end(), b.options.begin(), b.options.end(), sameOption);
}

// The endpoints of a workspace mostly share their keepalive settings, so their connections read back
// the same values: the texts and the event data of the last report this thread built are handed out
// again for an equal one, and 10,000 connections hold one copy of each (implicit sharing) instead of
// 10,000 equal ones. The event's JSON alone was ~3.7 KB per connection at 3,000 endpoints (heaptrack),
// most of it still held by the event queues and the window's event list after the connect storm.
// Per thread: each engine thread has its own sessions.
using KernelBounds =
    std::pair<std::optional<std::chrono::milliseconds>, std::optional<std::chrono::milliseconds>>;

struct LastKeepalive
{
    std::optional<net::EffectiveKeepalive> effective;
    QString summary;
    std::optional<KernelBounds> bounds;
    QStringList boundParts;
    std::optional<net::KeepaliveReport> report; // the event's: its report, bounds and prefix
    std::optional<KernelBounds> eventBounds;
    QString detailPrefix;
    QString detail;
    QJsonObject data;
};

LastKeepalive &lastKeepalive()
{
    thread_local LastKeepalive last;
    return last;
}

} // namespace

AppliedKeepalive applyKeepalive(net::NativeSocket socket, const net::TcpKeepaliveSettings &settings,
                                const net::SystemDefaults &defaults)
{
    AppliedKeepalive applied;
    applied.report = net::applyKeepalive(socket, settings.normalized());
    const net::EffectiveKeepalive &effective = applied.report.effective;
    applied.userTimeoutSet = effective.userTimeout.has_value() && effective.userTimeout->count() > 0;
    LastKeepalive &last = lastKeepalive();
    if (last.effective != effective) {
        last.summary = QString::fromStdString(net::describeKeepalive(effective));
        last.effective = effective;
    }
    applied.summary = last.summary;
    applied.bound = net::detectionBound(effective, defaults);
    return applied;
}

QStringList AppliedKeepalive::boundParts() const
{
    LastKeepalive &last = lastKeepalive();
    const KernelBounds bounds{bound.silentPeer, bound.unackedData};
    if (last.bounds == bounds)
        return last.boundParts;
    QStringList parts;
    if (bound.silentPeer)
        parts << AppliedKeepaliveText::tr("silent peer %1").arg(formatDuration(*bound.silentPeer));
    if (bound.unackedData)
        parts << AppliedKeepaliveText::tr("unacked data %1").arg(formatDuration(*bound.unackedData));
    last.bounds = bounds;
    last.boundParts = parts;
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
    LastKeepalive &last = lastKeepalive();
    const KernelBounds bounds{bound.silentPeer, bound.unackedData};
    if (last.report && sameReport(*last.report, report) && last.eventBounds == bounds &&
        last.detailPrefix == detailPrefix && !last.data.isEmpty()) {
        event.detail = last.detail;
        event.data = last.data;
        return event;
    }
    event.detail = detailPrefix + QString::fromStdString(report.summary());
    event.data = optionsToJson(report);
    if (bound.silentPeer)
        event.data.insert(u"bound_ms"_qs, static_cast<double>(bound.silentPeer->count()));
    if (bound.unackedData)
        event.data.insert(u"unacked_bound_ms"_qs, static_cast<double>(bound.unackedData->count()));
    last.report = report;
    last.eventBounds = bounds;
    last.detailPrefix = detailPrefix;
    last.detail = event.detail;
    last.data = event.data;
    return event;
}

} // namespace kw
