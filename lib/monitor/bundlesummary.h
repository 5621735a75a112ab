#pragma once

#include "bundlecontents.h"
#include "cause.h"
#include "endpointstate.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace kw {

// One drop of the range: a change to Down from any other state, and what followed it.
struct IncidentDrop
{
    QDateTime at;
    Cause cause;
    QString detail;
    std::optional<qint64> upForMs;        // how long it had been up (data "up_for_ms")
    std::optional<qint64> boundMs;        // the detection bound that applied
    QString boundFrom;                    // where that bound was read: the drop itself or a keepalive report
    std::optional<QDateTime> recoveredAt; // Up again
    std::optional<qint64> downForMs;
    int attempts = 0;           // connects started after the drop, up to recovery or the end of the range
    QList<qint64> backoffMs;    // the waits before those connects (data "next_attempt_ms")
    QStringList failedAttempts; // the causes of the attempts that failed ("refused", ...)
    bool stopped = false;       // the endpoint was stopped (Disabled) before it recovered
    bool beganBefore = false;   // the range opened in this outage: `at` is its last change before the range
};

// The range read as a story: the state it opened and closed in, the drops, and the time up.
struct IncidentAnalysis
{
    std::optional<EndpointState> openingState; // nullopt: the log knows no state before the range
    std::optional<EndpointState> closingState;
    QList<IncidentDrop> drops;
    qint64 watchedMs = 0; // time in a known, monitored (not Disabled) state within the range
    qint64 upMs = 0;      // of which Up or Suspect (UptimeStats counts the same way)
    std::optional<double> uptimePercent() const;
};

IncidentAnalysis analyseIncident(const IncidentEvidence &evidence);

// What a cause means, in a sentence a person woken by the alert can act on.
QString causeInWords(const Cause &cause);

// summary.md.
QString incidentSummaryMarkdown(const IncidentEvidence &evidence, const IncidentBundleInfo &info);

} // namespace kw
