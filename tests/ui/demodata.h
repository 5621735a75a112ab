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

} // namespace kw::test
