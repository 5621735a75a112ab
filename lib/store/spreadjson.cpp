#include "spreadjson.h"

#include <QCoreApplication>

namespace kw {

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kMaxBurst = 100000;
constexpr double kMinPerSecond = 0.1; // one connect every 10 s: a slower start is a stuck one
constexpr double kMaxPerSecond = 1000000.0;

// The translation context of this file's messages: lupdate files them under "kw::Workspace", and
// Q_DECLARE_TR_FUNCTIONS looks them up under the same name.
class WorkspaceText
{
    Q_DECLARE_TR_FUNCTIONS(kw::Workspace)
};

} // namespace

void parseConnectSpread(JsonObjectReader &workspace, ConnectSpreadConfig &spread, QStringList &errors,
                        QStringList &warnings)
{
    const std::optional<QJsonObject> object = workspace.object(u"connect_spread"_s);
    if (!object)
        return;
    JsonObjectReader r(*object, workspace.pathOf(u"connect_spread"_s), errors, warnings);
    ConnectSpreadConfig c;
    c.raw = *object;
    const QString burstNote = WorkspaceText::tr(" connects that may start at the same instant");
    const QString rate = WorkspaceText::tr("connects per second after the burst, a number %1–%2")
                             .arg(kMinPerSecond)
                             .arg(kMaxPerSecond, 0, 'f', 0);
    if (const auto v = r.integer(u"first_connect_burst"_s, 1, kMaxBurst, burstNote))
        c.firstBurst = int(*v);
    if (const auto v = r.number(u"first_connect_per_second"_s, kMinPerSecond, kMaxPerSecond, rate))
        c.firstPerSecond = *v;
    if (const auto v = r.integer(u"reconnect_burst"_s, 1, kMaxBurst, burstNote))
        c.reconnectBurst = int(*v);
    if (const auto v = r.number(u"reconnect_per_second"_s, kMinPerSecond, kMaxPerSecond, rate))
        c.reconnectPerSecond = *v;
    r.reportUnknownKeys();
    spread = std::move(c);
}

QJsonObject connectSpreadToJson(const ConnectSpreadConfig &spread)
{
    QJsonObject o = spread.raw;
    const auto keep = [&o](const QString &key, const auto &value) {
        if (!value)
            o.remove(key);
        else if (!o.value(key).isDouble() || o.value(key).toDouble() != double(*value))
            o.insert(key, *value);
    };
    keep(u"first_connect_burst"_s, spread.firstBurst);
    keep(u"first_connect_per_second"_s, spread.firstPerSecond);
    keep(u"reconnect_burst"_s, spread.reconnectBurst);
    keep(u"reconnect_per_second"_s, spread.reconnectPerSecond);
    return o;
}

ConnectSpread resolveConnectSpread(const ConnectSpreadConfig &spread)
{
    ConnectSpread s;
    s.firstConnectPerHost.burst = spread.firstBurst.value_or(ConnectSpreadConfig::kDefaultBurst);
    s.firstConnectPerHost.ratePerSecond =
        spread.firstPerSecond.value_or(ConnectSpreadConfig::kDefaultPerSecond);
    s.reconnect.burst = spread.reconnectBurst.value_or(ConnectSpreadConfig::kDefaultBurst);
    s.reconnect.ratePerSecond = spread.reconnectPerSecond.value_or(ConnectSpreadConfig::kDefaultPerSecond);
    return s;
}

} // namespace kw
