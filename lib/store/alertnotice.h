#pragma once

#include "cause.h"
#include "endpointstate.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace kw {

// What an alert announces. The names ("down", "up", "reminder", "flapping", "stable") appear in
// the "alert" events of the log, the webhook body and the command notifier's environment.
enum class AlertKind {
    Down,     // the endpoint is down (or waiting) past the rule's down_after
    Up,       // it is back, past up_after, after a Down was announced
    Reminder, // still down, resend_every_s after the last announcement
    Flapping, // it started flapping: Down/Up notices are held until it is stable again
    Stable,   // it stopped flapping; carries the state it settled in
};

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
