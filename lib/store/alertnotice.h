#pragma once

#include "alertkind.h"
#include "cause.h"
#include "endpointstate.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace kw {

// AlertKind (alertkind.h, where the alert rules of lib/liveness decide them): down, up, reminder,
// flapping, stable.

QString alertKindName(AlertKind kind);
std::optional<AlertKind> alertKindFromName(const QString &name);

// One announcement the alert rules decided to make, handed to every notifier (desktop, webhook,
// command). The endpoint's state stays the truth: a notice only says what to tell people, and why.
struct AlertNotice
{
    QDateTime ts; // UTC, when the rules decided
    QString endpoint;
    AlertKind kind = AlertKind::Down;
    EndpointState state = EndpointState::Down; // the endpoint's state at `ts`
    Cause cause;    // the cause of the drop (Down, Reminder; Up: the one it recovered from)
    QString detail; // the drop's detail, as in the state event
    QString target; // "db.internal:5432", "mqtts://broker:8883", as shown elsewhere
    QStringList tags;
    std::optional<qint64> boundMs;   // the detection bound that applied, when the cause has one
    QDateTime stateSince;            // when the endpoint entered its current state
    QDateTime downSince;             // Down, Reminder, Up: when the outage began
    std::optional<qint64> downForMs; // Up: how long it was down; Reminder: how long so far

    bool operator==(const AlertNotice &) const = default;
};

} // namespace kw

Q_DECLARE_METATYPE(kw::AlertNotice)
