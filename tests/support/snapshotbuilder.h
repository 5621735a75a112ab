#pragma once

// Snapshots as the engine would publish them, for the models and widgets that show them. Needs
// lib/session (snapshot.h), which suites reach through kw_ui; kw_testsupport itself does not link it.

#include "snapshot.h"

#include <QAbstractItemModel>
#include <QDateTime>
#include <QList>
#include <QString>

#include <memory>

namespace kw::test {

inline const QDateTime kNow = QDateTime(QDate(2026, 11, 21), QTime(18, 0), Qt::UTC);

inline EndpointSnapshot endpoint(const QString &name, EndpointState state = EndpointState::Up)
{
    EndpointSnapshot e;
    e.name = name;
    e.target = name + QStringLiteral(".example:5432");
    e.state = state;
    e.enabled = state != EndpointState::Disabled;
    e.since = kNow.addSecs(-180);
    e.keepalive = QStringLiteral("on, idle 10 s, interval 2 s, count 3");
    e.detectionBound = QStringLiteral("silent peer: 16 s");
    return e;
}

inline SnapshotPtr snapshotOf(const QList<EndpointSnapshot> &endpoints, quint64 generation = 1)
{
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->generation = generation;
    snapshot->taken = kNow;
    snapshot->endpoints = endpoints;
    return snapshot;
}

inline QStringList namesOf(const QAbstractItemModel &model)
{
    QStringList names;
    for (int row = 0; row < model.rowCount(); ++row)
        names.append(model.index(row, 0).data().toString());
    return names;
}

} // namespace kw::test
