#include "descriptorbudget.h"

#include "appsupport.h"
#include "eventlog.h"
#include "resourcelimits.h"
#include "workspace.h"

#include <QCoreApplication>
#include <QJsonObject>

namespace kw {

QString checkDescriptorBudget(const Workspace &workspace, const QString &dataDir)
{
    const net::DescriptorLimitRaise raise = net::raiseDescriptorLimit();
    net::DescriptorBudget budget;
    for (const EndpointConfig &endpoint : workspace.endpoints) {
        if (!endpoint.enabled)
            continue; // a disabled endpoint holds no socket; enabling it later is not foreseen here
        ++(endpoint.kind == EndpointKind::Listen ? budget.listen : budget.outbound);
    }
    const net::DescriptorLimit &limit = raise.after;
    const std::uint64_t needed = budget.needed();
    if (!limit.known || limit.soft == net::kUnlimitedDescriptors || needed <= limit.soft)
        return {};

    // A failed raise says why in its own words; a successful or needless one is not news.
    const QString raiseNote = raise.raised || raise.before.soft >= raise.before.hard
                                  ? QString()
                                  : QCoreApplication::translate("kw::DescriptorBudget", " (%1)")
                                        .arg(QString::fromStdString(raise.detail));
    const QString message =
        QCoreApplication::translate(
            "kw::DescriptorBudget",
            "this workspace needs about %1 file descriptors but %2%3; the endpoints beyond the limit go down "
            "with cause local-limit. Estimate: 1 per outbound endpoint (%4), %5 per listen endpoint and its "
            "peers (%6), %7 for the event log, Qt and the process. To watch them all, %8")
            .arg(needed)
            .arg(QString::fromStdString(net::describeDescriptorLimit(limit)), raiseNote)
            .arg(budget.outbound)
            .arg(1 + net::DescriptorBudget::kListenPeerShare)
            .arg(budget.listen)
            .arg(net::DescriptorBudget::kFixedDescriptors)
            .arg(QString::fromStdString(net::descriptorLimitFix()));
    printWarning(message);

    // In the log too: the desktop app often has no terminal, and the log is what gets sent in a report.
    QString error;
    if (std::unique_ptr<EventLog> log = EventLog::open(dataDir, &error)) {
        QJsonObject data;
        data.insert(u"descriptors_needed"_qs, double(needed));
        data.insert(u"limit_soft"_qs, double(limit.soft));
        if (limit.hard != net::kUnlimitedDescriptors)
            data.insert(u"limit_hard"_qs, double(limit.hard));
        log->append({Event::info(QString(), message, data)}, &error);
    }
    return message;
}

} // namespace kw
