#pragma once

#include "bundlezip.h"
#include "endpointconfig.h"
#include "event.h"
#include "systemdefaults.h"
#include "workspace.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <atomic>
#include <optional>

namespace kw {

class EventLog;

// One endpoint over [since, until): what an incident bundle is made for.
struct IncidentRequest
{
    QString endpoint;
    QDateTime since; // inclusive, UTC
    QDateTime until; // exclusive, UTC
};

// What the event log holds for an incident, read in one go on whatever thread owns the log (the
// history reader's in the window). Everything but the two exports is small: state changes, the
// keepalive reports and the TCP_INFO samples of one endpoint over one range.
struct IncidentEvidence
{
    // RTT samples handed to the timeline at most; more are thinned evenly (the chart draws a few
    // thousand pixel columns anyway).
    static constexpr qsizetype kMaxTimelineSamples = 6000;

    IncidentRequest request;
    std::optional<Event> opening; // the last state change before `since`: the state the range opens in
    QList<Event> changes;         // state changes in the range, oldest first
    // Keepalive reports in the range, preceded by the last one before it (the one in force at `since`).
    QList<Event> keepalives;
    QList<Event> tcpInfo;    // TCP_INFO samples in the range
    QList<Event> rttSamples; // rtt events in the range, thinned to kMaxTimelineSamples
    QByteArray eventsJsonl;  // every event of the endpoint in the range, as `keepwatch export` writes them
    QByteArray eventsCsv;
    qint64 eventCount = 0;

    // What the timeline widget is given: the opening change, the changes and the samples.
    QList<Event> timelineEvents() const;
};

// Reads the evidence. nullopt with a message naming the problem and the fix for an empty range
// (since not before until), an endpoint the log has never heard of, or a range without its events
// (the message says where its events are).
std::optional<IncidentEvidence> readIncidentEvidence(const EventLog &log, const IncidentRequest &request,
                                                     const std::atomic_bool &cancelled, QString *error);

// Everything else a bundle says, gathered by the caller.
struct IncidentBundleInfo
{
    std::optional<EndpointConfig> endpoint; // as configured in the workspace in force; nullopt: not known
    QJsonObject workspaceKeys;              // the workspace-wide keys (workspaceWideKeys())
    QString workspacePath;                  // empty: none given
    net::SystemDefaults systemDefaults;
    QByteArray timelinePng; // empty: not drawn, and timelineNote says why
    QString timelineNote;
    QString keepwatchVersion;
    QString hostName;
    QDateTime createdAt; // UTC
};

// The workspace's top-level keys other than "version" and "endpoints": the defaults that apply to
// every endpoint (alert rules, notifiers ...), with secrets removed (secretFreeJson()).
QJsonObject workspaceWideKeys(const Workspace &workspace);
// The endpoint's workspace object as saved (endpointToJson()), with secrets removed.
QJsonObject endpointSettingsJson(const EndpointConfig &endpoint);
// A copy of `object` with every value that could be a credential replaced by kRedacted: WebSocket
// header values, and any key naming a password, token, secret or key that is not a "..._env"
// reference (those hold the name of an environment variable, never its value).
QJsonObject secretFreeJson(const QJsonObject &object);
inline constexpr char16_t kRedacted[] = u"(not included)";

// Every file of the bundle, manifest.json last (it holds the others' SHA-256).
QList<BundleEntry> buildIncidentBundle(const IncidentEvidence &evidence, const IncidentBundleInfo &info);

// The pieces, for tests and the summary.
QByteArray settingsJson(const IncidentEvidence &evidence, const IncidentBundleInfo &info);
QByteArray systemDefaultsJson(const IncidentEvidence &evidence, const IncidentBundleInfo &info);
QByteArray tcpInfoCsv(const QList<Event> &samples);
QByteArray manifestJson(const IncidentEvidence &evidence, const IncidentBundleInfo &info,
                        const QList<BundleEntry> &files);

// "keepwatch-db-20261121-180000.zip": a file name for the bundle of `request`.
QString defaultBundleFileName(const IncidentRequest &request);

} // namespace kw
