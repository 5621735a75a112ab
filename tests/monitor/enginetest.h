#pragma once

// What the engine suites share: their dependencies on a manual clock, a loopback endpoint that
// reconnects quickly, and a lookup in the latest snapshot.

#include "engine.h"
#include "manualclock.h"
#include "monitordependencies.h"
#include "systemdefaults.h"
#include "workspace.h"

#include <chrono>

namespace kw::test {

// Far more clock time than anything awaited here needs, yet less than the 20 s
// connect timeout: a wait that runs out fails without a timeout muddying it.
constexpr Duration kPatience = std::chrono::seconds(15);

inline MonitorDependencies on(const ManualClock &clock)
{
    return MonitorDependencies{clock, net::readSystemDefaults()};
}

inline EndpointConfig endpoint(const QString &name, quint16 port)
{
    EndpointConfig c;
    c.name = name;
    c.host = QStringLiteral("127.0.0.1");
    c.port = port;
    c.reconnect.initial = std::chrono::milliseconds(100);
    c.reconnect.max = std::chrono::milliseconds(500);
    return c;
}

inline const EndpointSnapshot *find(const SnapshotPtr &snapshot, const QString &name)
{
    if (!snapshot)
        return nullptr;
    for (const EndpointSnapshot &e : snapshot->endpoints) {
        if (e.name == name)
            return &e;
    }
    return nullptr;
}

} // namespace kw::test
