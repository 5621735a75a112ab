#include "bundlecontents.h"

#include "bundlesummary.h"
#include "eventlog.h"
#include "export.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>

namespace kw {

using namespace Qt::StringLiterals;

namespace {

// The translation context of this file's messages: lupdate files them under "kw::IncidentBundle", and
// Q_DECLARE_TR_FUNCTIONS looks them up under the same name.
class IncidentBundle
{
    Q_DECLARE_TR_FUNCTIONS(kw::IncidentBundle)
};

QByteArray exportBytes(const EventLog &log, const EventQuery &query, ExportFormat format, QString *error,
                       qint64 *count)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!exportEvents(log, query, format, buffer, error, count))
        return {};
    return bytes;
}

std::optional<Event> firstOf(const EventLog &log, EventQuery query, bool newest, QString *error)
{
    query.limit = 1;
    query.newestFirst = newest;
    const QList<Event> events = log.query(query, error);
    if (events.isEmpty())
        return std::nullopt;
    return events.first();
}

QJsonObject sourcedToJson(const net::SourcedValue &v)
{
    QJsonObject o;
    o.insert(u"value"_s, v.value ? QJsonValue(double(*v.value)) : QJsonValue());
    if (!v.unit.empty())
        o.insert(u"unit"_s, QString::fromStdString(v.unit));
    o.insert(u"source"_s, QString::fromStdString(v.source));
    o.insert(u"os_default"_s, v.isOsDefault);
    return o;
}

bool isSecretKey(const QString &key)
{
    const QString k = key.toLower();
    if (k.endsWith(u"_env"_s))
        return false; // the name of an environment variable, not its value
    static const QRegularExpression secret(u"password|passphrase|passwd|token|secret|^key$|_key$|apikey"_s);
    return secret.match(k).hasMatch();
}

QJsonValue secretFreeValue(const QString &key, const QJsonValue &value)
{
    if (value.isObject()) {
        // WebSocket headers carry credentials (Authorization, cookies): the names are kept, the values not.
        if (key == u"headers"_s) {
            QJsonObject headers = value.toObject();
            for (auto it = headers.begin(); it != headers.end(); ++it)
                it.value() = QString::fromUtf16(kRedacted);
            return headers;
        }
        return secretFreeJson(value.toObject());
    }
    if (value.isArray()) {
        QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            array[i] = secretFreeValue(key, array.at(i));
        return array;
    }
    if (isSecretKey(key) && !value.isNull() && !value.isBool())
        return QString::fromUtf16(kRedacted);
    return value;
}

QByteArray csvCell(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    if (bytes.contains(',') || bytes.contains('"') || bytes.contains('\r') || bytes.contains('\n'))
        return '"' + bytes.replace("\"", "\"\"") + '"';
    return bytes;
}

QString jsonCellText(const QJsonValue &value)
{
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 15);
    if (value.isString())
        return value.toString();
    if (value.isBool())
        return value.toBool() ? u"true"_s : u"false"_s;
    if (value.isNull() || value.isUndefined())
        return {};
    return QString::fromUtf8(
        QJsonDocument(value.isObject() ? QJsonDocument(value.toObject()) : QJsonDocument(value.toArray()))
            .toJson(QJsonDocument::Compact));
}

} // namespace

QList<Event> IncidentEvidence::timelineEvents() const
{
    QList<Event> events;
    events.reserve(changes.size() + rttSamples.size() + tcpInfo.size() + 1);
    if (opening)
        events.append(*opening);
    events.append(changes);
    events.append(rttSamples);
    events.append(tcpInfo);
    std::stable_sort(events.begin(), events.end(),
                     [](const Event &a, const Event &b) { return a.ts < b.ts; });
    return events;
}

std::optional<IncidentEvidence> readIncidentEvidence(const EventLog &log, const IncidentRequest &request,
                                                     const std::atomic_bool &cancelled, QString *error)
{
    error->clear(); // the reads below leave it empty on success
    if (request.endpoint.isEmpty()) {
        *error = IncidentBundle::tr("no endpoint given; name one with --endpoint NAME");
        return std::nullopt;
    }
    if (!request.since.isValid() || !request.until.isValid() || request.since >= request.until) {
        *error = IncidentBundle::tr(
                     "the range from %1 to %2 is empty; the start (--since) must be before the end (--until)")
                     .arg(formatTimestamp(request.since), formatTimestamp(request.until));
        return std::nullopt;
    }
    EventQuery all;
    all.endpoint = request.endpoint;
    const qint64 total = log.count(all, error);
    if (total < 0)
        return std::nullopt;
    if (total == 0) {
        *error = IncidentBundle::tr(
                     "the event log %1 holds no events of an endpoint named \"%2\"; check the name (it is "
                     "case-sensitive) and that --data-dir is the one the monitor used")
                     .arg(log.path(), request.endpoint);
        return std::nullopt;
    }

    IncidentEvidence evidence;
    evidence.request = request;
    EventQuery before = all;
    before.until = request.since;
    before.kinds = {EventKind::State};
    evidence.opening = firstOf(log, before, true, error);
    before.kinds = {EventKind::Keepalive};
    if (const auto keepalive = firstOf(log, before, true, error))
        evidence.keepalives.append(*keepalive);
    if (!error->isEmpty())
        return std::nullopt;

    EventQuery range = all;
    range.since = request.since;
    range.until = request.until;
    const bool read = log.forEach(
        range,
        [&](const Event &e) {
            ++evidence.eventCount;
            switch (e.kind.value_or(EventKind::Info)) {
            case EventKind::State:
                evidence.changes.append(e);
                break;
            case EventKind::Keepalive:
                evidence.keepalives.append(e);
                break;
            case EventKind::TcpInfo:
                evidence.tcpInfo.append(e);
                break;
            case EventKind::Rtt:
                evidence.rttSamples.append(e);
                break;
            case EventKind::Info:
            case EventKind::Device:
            case EventKind::Alert:
                break;
            }
            return !cancelled.load();
        },
        error);
    if (!read || cancelled.load())
        return std::nullopt;
    if (evidence.eventCount == 0) {
        const auto first = firstOf(log, all, false, error);
        const auto last = firstOf(log, all, true, error);
        *error = IncidentBundle::tr(
                     "no events of \"%1\" from %2 to %3; its events in the log run from %4 to %5: choose a "
                     "range inside that")
                     .arg(request.endpoint, formatTimestamp(request.since), formatTimestamp(request.until),
                          first ? formatTimestamp(first->ts) : QString(),
                          last ? formatTimestamp(last->ts) : QString());
        return std::nullopt;
    }
    if (evidence.rttSamples.size() > IncidentEvidence::kMaxTimelineSamples) {
        const qsizetype stride = (evidence.rttSamples.size() + IncidentEvidence::kMaxTimelineSamples - 1) /
                                 IncidentEvidence::kMaxTimelineSamples;
        QList<Event> thinned;
        for (qsizetype i = 0; i < evidence.rttSamples.size(); i += stride)
            thinned.append(evidence.rttSamples.at(i));
        evidence.rttSamples = std::move(thinned);
    }

    evidence.eventsJsonl = exportBytes(log, range, ExportFormat::Jsonl, error, nullptr);
    if (!error->isEmpty())
        return std::nullopt;
    evidence.eventsCsv = exportBytes(log, range, ExportFormat::Csv, error, nullptr);
    if (!error->isEmpty())
        return std::nullopt;
    return evidence;
}

QJsonObject secretFreeJson(const QJsonObject &object)
{
    QJsonObject out;
    for (auto it = object.begin(); it != object.end(); ++it)
        out.insert(it.key(), secretFreeValue(it.key(), it.value()));
    return out;
}

QJsonObject workspaceWideKeys(const Workspace &workspace)
{
    QJsonObject keys = workspace.raw;
    keys.remove(u"version"_s);
    keys.remove(u"endpoints"_s);
    return secretFreeJson(keys);
}

QJsonObject endpointSettingsJson(const EndpointConfig &endpoint)
{
    return secretFreeJson(endpointToJson(endpoint));
}

QByteArray settingsJson(const IncidentEvidence &evidence, const IncidentBundleInfo &info)
{
    QJsonObject o;
    o.insert(u"endpoint"_s, evidence.request.endpoint);
    o.insert(u"workspace_file"_s,
             info.workspacePath.isEmpty() ? QJsonValue() : QJsonValue(info.workspacePath));
    if (info.endpoint) {
        o.insert(u"endpoint_settings"_s, endpointSettingsJson(*info.endpoint));
    } else {
        o.insert(u"endpoint_settings"_s, QJsonValue());
        o.insert(
            u"note"_s,
            info.workspacePath.isEmpty()
                ? IncidentBundle::tr("no workspace was given, so the endpoint's settings are not known; the "
                                     "keepalive read back from its socket is in system-defaults.json")
                : IncidentBundle::tr("the workspace has no endpoint of this name (any more); the keepalive "
                                     "read back from its socket is in system-defaults.json"));
    }
    o.insert(u"workspace_settings"_s, info.workspaceKeys);
    o.insert(u"secrets"_s,
             IncidentBundle::tr("excluded: the workspace holds only the names of environment variables "
                                "(\"..._env\"), never their values; WebSocket header values and any key "
                                "naming a password, token or secret read \"%1\"")
                 .arg(QString::fromUtf16(kRedacted)));
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

QByteArray systemDefaultsJson(const IncidentEvidence &evidence, const IncidentBundleInfo &info)
{
    const net::SystemDefaults &d = info.systemDefaults;
    QJsonObject system{{u"platform"_s, QString::fromStdString(d.platform)},
                       {u"keepalive_time"_s, sourcedToJson(d.keepaliveTime)},
                       {u"keepalive_interval"_s, sourcedToJson(d.keepaliveInterval)},
                       {u"keepalive_probes"_s, sourcedToJson(d.keepaliveProbes)},
                       {u"retransmit_give_up"_s, sourcedToJson(d.retransmitGiveUp)},
                       {u"conntrack_established"_s, sourcedToJson(d.conntrackEstablished)}};
    QJsonObject o{
        {u"host"_s, info.hostName},
        {u"read_at"_s, formatTimestamp(info.createdAt)},
        {u"note"_s, IncidentBundle::tr("read when the bundle was made, on the machine that made it")},
        {u"system_defaults"_s, system}};
    QJsonArray effective;
    for (const Event &k : evidence.keepalives) {
        QJsonObject e = k.data;
        e.insert(u"ts"_s, formatTimestamp(k.ts));
        e.insert(u"detail"_s, k.detail);
        effective.append(e);
    }
    o.insert(u"effective_keepalive"_s, effective);
    if (effective.isEmpty())
        o.insert(
            u"effective_keepalive_note"_s,
            IncidentBundle::tr("the log holds no keepalive report of this endpoint in or before the range"));
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

QByteArray tcpInfoCsv(const QList<Event> &samples)
{
    // The kernel's fields in the order the sessions write them; any other key after them, sorted.
    QStringList columns{u"tcp_state"_s,         u"probes"_s,          u"retransmits"_s,
                        u"unacked"_s,           u"total_retrans"_s,   u"rttvar_ms_x1000"_s,
                        u"last_data_recv_ms"_s, u"last_ack_recv_ms"_s};
    QStringList extra;
    for (const Event &e : samples) {
        const QJsonObject data = e.allData();
        for (auto it = data.begin(); it != data.end(); ++it) {
            if (!columns.contains(it.key()) && !extra.contains(it.key()))
                extra.append(it.key());
        }
    }
    extra.sort();
    columns.append(extra);
    QByteArray out = "ts,rtt_ms";
    for (const QString &c : std::as_const(columns))
        out += ',' + csvCell(c);
    out += "\r\n";
    for (const Event &e : samples) {
        out += formatTimestamp(e.ts).toUtf8() + ',';
        if (e.rttMs)
            out += QByteArray::number(*e.rttMs, 'g', 12);
        const QJsonObject data = e.allData();
        for (const QString &c : std::as_const(columns))
            out += ',' + csvCell(jsonCellText(data.value(c)));
        out += "\r\n";
    }
    return out;
}

QByteArray manifestJson(const IncidentEvidence &evidence, const IncidentBundleInfo &info,
                        const QList<BundleEntry> &files)
{
    QJsonArray list;
    for (const BundleEntry &f : files) {
        list.append(QJsonObject{
            {u"name"_s, f.name},
            {u"size"_s, double(f.data.size())},
            {u"sha256"_s,
             QString::fromLatin1(QCryptographicHash::hash(f.data, QCryptographicHash::Sha256).toHex())}});
    }
    QJsonObject o{{u"format"_s, u"keepwatch-incident-bundle"_s},
                  {u"format_version"_s, 1},
                  {u"keepwatch_version"_s, info.keepwatchVersion},
                  {u"host"_s, info.hostName},
                  {u"created_at"_s, formatTimestamp(info.createdAt)},
                  {u"endpoint"_s, evidence.request.endpoint},
                  {u"since"_s, formatTimestamp(evidence.request.since)},
                  {u"until"_s, formatTimestamp(evidence.request.until)},
                  {u"events"_s, double(evidence.eventCount)},
                  {u"secrets"_s, u"excluded"_s},
                  {u"files"_s, list}};
    if (!info.timelineNote.isEmpty())
        o.insert(u"timeline_note"_s, info.timelineNote);
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

QList<BundleEntry> buildIncidentBundle(const IncidentEvidence &evidence, const IncidentBundleInfo &info)
{
    QList<BundleEntry> files{
        {u"summary.md"_s, incidentSummaryMarkdown(evidence, info).toUtf8()},
        {u"events.jsonl"_s, evidence.eventsJsonl},
        {u"events.csv"_s, evidence.eventsCsv},
        {u"settings.json"_s, settingsJson(evidence, info)},
        {u"system-defaults.json"_s, systemDefaultsJson(evidence, info)},
        {u"tcpinfo.csv"_s, tcpInfoCsv(evidence.tcpInfo)},
    };
    if (!info.timelinePng.isEmpty())
        files.append({u"timeline.png"_s, info.timelinePng});
    files.append({u"manifest.json"_s, manifestJson(evidence, info, files)});
    return files;
}

QString defaultBundleFileName(const IncidentRequest &request)
{
    QString name = request.endpoint;
    static const QRegularExpression unsafe(u"[^A-Za-z0-9._-]+"_s);
    name.replace(unsafe, u"_"_s);
    return u"keepwatch-incident-"_s + name + u'-' + request.since.toUTC().toString(u"yyyyMMdd-HHmmss"_s) +
           u".zip"_s;
}

} // namespace kw
