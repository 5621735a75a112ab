#pragma once

#include "connectspreader.h"
#include "jsonreader.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace kw {

// Workspace key "connect_spread" (docs/workspace.md): how fast the engine starts connects. The first
// connect of each endpoint goes through a budget per destination host; reconnects after a failure
// through one budget for the whole engine. Each key is optional; unset keys take the defaults below
// (those of Monitor::kFirstConnectSpreadPerHost and Monitor::kReconnectSpread).
struct ConnectSpreadConfig
{
    static constexpr int kDefaultBurst = 100;          // within a listen backlog of 128
    static constexpr double kDefaultPerSecond = 500.0; // 10,000 endpoints within ~20 s

    std::optional<int> firstBurst;            // "first_connect_burst": per host, at the same instant
    std::optional<double> firstPerSecond;     // "first_connect_per_second": per host, after the burst
    std::optional<int> reconnectBurst;        // "reconnect_burst": engine-wide
    std::optional<double> reconnectPerSecond; // "reconnect_per_second": engine-wide
    QJsonObject raw;                          // the object as read: unknown keys survive a save

    bool isEmpty() const { return !firstBurst && !firstPerSecond && !reconnectBurst && !reconnectPerSecond; }
    // Equal settings; `raw` is not compared.
    bool operator==(const ConnectSpreadConfig &other) const
    {
        return firstBurst == other.firstBurst && firstPerSecond == other.firstPerSecond &&
               reconnectBurst == other.reconnectBurst && reconnectPerSecond == other.reconnectPerSecond;
    }
};

// The rates in force, defaults filled in.
struct ConnectSpread
{
    SpreaderParams firstConnectPerHost{ConnectSpreadConfig::kDefaultBurst,
                                       ConnectSpreadConfig::kDefaultPerSecond};
    SpreaderParams reconnect{ConnectSpreadConfig::kDefaultBurst, ConnectSpreadConfig::kDefaultPerSecond};

    bool operator==(const ConnectSpread &other) const = default;
};

// Reads the nested "connect_spread" object of the workspace when present; messages name the key
// ("connect_spread.reconnect_burst: expected an integer 1–100000 ...").
void parseConnectSpread(JsonObjectReader &workspace, ConnectSpreadConfig &spread, QStringList &errors,
                        QStringList &warnings);
// The object to write: `spread.raw` with the known keys as set; empty when nothing is set and
// nothing was there.
QJsonObject connectSpreadToJson(const ConnectSpreadConfig &spread);
ConnectSpread resolveConnectSpread(const ConnectSpreadConfig &spread);

} // namespace kw
