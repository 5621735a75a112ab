#pragma once

#include "event.h"
#include "snapshot.h"

#include <QDateTime>
#include <QList>

namespace kw::test {

// A realistic workspace at a glance: eight endpoints in every state, ten
// minutes of round-trip samples and the state changes that led here.
struct DemoData
{
    SnapshotPtr snapshot;
    QList<Event> events; // oldest first
};

DemoData makeDemoData(const QDateTime &now);

// The day before makeDemoData's ten minutes, as the event log would hold it: a sample a minute per
// endpoint and every drop and reconnect that led to the snapshot's statistics (the flapping
// payments-api, orders-db's reset, a broker ping timeout, metrics-push's two peer closes). Oldest
// first; every event is older than now - 10 min.
QList<Event> makeDemoHistory(const QDateTime &now);

} // namespace kw::test
