#include "middleboxtimeouts.h"

#include "jsonreader.h"

#include <QCoreApplication>

#include <cmath>

namespace kw {

using namespace Qt::StringLiterals;
using std::chrono::seconds;

const QList<Middlebox> &knownMiddleboxes()
{
    // Each figure checked against the page named, and listed with it in docs/keepalive.md.
    static const QList<Middlebox> table{
        // "The default setting is 4 minutes" (range 4 to 100 minutes) for load-balancing, outbound and
        // inbound NAT rules; flows are dropped silently unless TCP reset on idle is enabled.
        {u"azure-lb"_s, QCoreApplication::translate("kw::Middlebox", "Azure Load Balancer"), seconds(240),
         u"https://learn.microsoft.com/azure/load-balancer/load-balancer-tcp-idle-timeout"_s},
        // "The default idle timeout value for TCP flows is 350 seconds" (60-6000 s; TLS listeners: 350 s,
        // fixed).
        {u"aws-nlb"_s, QCoreApplication::translate("kw::Middlebox", "AWS Network Load Balancer"),
         seconds(350),
         u"https://docs.aws.amazon.com/elasticloadbalancing/latest/network/update-idle-timeout.html"_s},
        // VPC firewall rules are stateful; a connection's tracking state stays active only while at least
        // one packet is sent every 10 minutes.
        {u"gcp-firewall"_s, QCoreApplication::translate("kw::Middlebox", "Google Cloud VPC firewall"),
         seconds(600), u"https://cloud.google.com/vpc/docs/firewalls"_s},
        // tcpEstablishedIdleTimeoutSec: "Defaults to 1200s if not set."
        {u"gcp-nat"_s, QCoreApplication::translate("kw::Middlebox", "Google Cloud NAT"), seconds(1200),
         u"https://cloud.google.com/compute/docs/reference/rest/v1/routers"_s},
        // RFC 5382 section 5, REQ-5: the "established connection idle-timeout" MUST NOT be less than
        // 2 hours 4 minutes. The best a conforming NAT offers; many home and carrier NATs offer less.
        {u"nat"_s, QCoreApplication::translate("kw::Middlebox", "a NAT (RFC 5382 minimum)"), seconds(7440),
         u"https://datatracker.ietf.org/doc/html/rfc5382#section-5"_s},
    };
    return table;
}

const Middlebox *middleboxById(const QString &id)
{
    for (const Middlebox &m : knownMiddleboxes()) {
        if (m.id == id)
            return &m;
    }
    return nullptr;
}

const Middlebox &shortestCommonMiddlebox()
{
    return knownMiddleboxes().front();
}

std::optional<PathHint> pathHintFromJson(const QJsonValue &value, QString *problem)
{
    QStringList ids;
    for (const Middlebox &m : knownMiddleboxes())
        ids << describeJson(m.id);
    const QString expected =
        QCoreApplication::translate("kw::Workspace",
                                    "expected one of %1, \"none\", or the path's idle timeout in whole "
                                    "seconds %2–%3 (as `keepwatch probe-idle` measures it), got %4")
            .arg(ids.join(u", "_s))
            .arg(kMinPathIdleTimeout.count())
            .arg(kMaxPathIdleTimeout.count())
            .arg(describeJson(value));
    if (value.isString()) {
        if (value.toString() == u"none")
            return PathHint{};
        if (const Middlebox *m = middleboxById(value.toString()))
            return PathHint{m->idleTimeout, m->id, m->name, m->source};
    } else if (value.isDouble()) {
        const double d = value.toDouble();
        if (d == std::floor(d) && d >= double(kMinPathIdleTimeout.count()) &&
            d <= double(kMaxPathIdleTimeout.count())) {
            const seconds timeout(static_cast<long long>(d));
            return PathHint{timeout,
                            {},
                            QCoreApplication::translate("kw::Middlebox", "the path (idle timeout %1 s)")
                                .arg(timeout.count()),
                            {}};
        }
    }
    if (problem)
        *problem = expected;
    return std::nullopt;
}

void checkPathKey(JsonObjectReader &reader)
{
    if (!reader.has(u"path"_s))
        return;
    QString problem;
    if (!pathHintFromJson(reader.value(u"path"_s), &problem))
        reader.error(u"path"_s, problem);
}

} // namespace kw
