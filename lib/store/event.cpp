#include "event.h"

#include "jsonwriter.h"

#include <QJsonDocument>
#include <QStringList>

#include <array>
#include <cmath>
#include <utility>

namespace kw {

using namespace Qt::StringLiterals;

namespace {

const QString kTs = u"ts"_s;
const QString kEndpoint = u"endpoint"_s;
const QString kKind = u"kind"_s;
const QString kState = u"state"_s;
const QString kCause = u"cause"_s;
const QString kDetail = u"detail"_s;
const QString kRttMs = u"rtt_ms"_s;
const QString kSource = u"source"_s;

bool isReservedKey(const QString &key)
{
    return key == kTs || key == kEndpoint || key == kKind || key == kState || key == kCause ||
           key == kDetail || key == kRttMs || key == kSource;
}

// Microsecond resolution is beyond what a socket event means; three decimals
// keep lines short and numbers readable (0.42, not 0.42000000000000004).
std::optional<double> roundedRtt(const std::optional<double> &rtt)
{
    if (!rtt || !std::isfinite(*rtt))
        return std::nullopt;
    return std::round(*rtt * 1000.0) / 1000.0;
}

constexpr std::array<std::pair<EventKind, QStringView>, 7> kKindNames{{
    {EventKind::State, u"state"},
    {EventKind::Rtt, u"rtt"},
    {EventKind::TcpInfo, u"tcpinfo"},
    {EventKind::Keepalive, u"keepalive"},
    {EventKind::Info, u"info"},
    {EventKind::Device, u"device"},
    {EventKind::Alert, u"alert"},
}};

QString knownKindNames()
{
    QStringList names;
    for (const auto &[kind, name] : kKindNames)
        names << name.toString();
    return names.join(u", "_s);
}

QString quoted(const QString &text)
{
    return u'"' + text + u'"';
}

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

} // namespace

QString eventKindName(EventKind kind)
{
    for (const auto &[k, name] : kKindNames) {
        if (k == kind)
            return name.toString();
    }
    return {};
}

std::optional<EventKind> eventKindFromName(QStringView name)
{
    for (const auto &[kind, n] : kKindNames) {
        if (n == name)
            return kind;
    }
    return std::nullopt;
}

QString Event::kindName() const
{
    return kind ? eventKindName(*kind) : QString();
}

QString Event::stateName() const
{
    if (!state)
        return {};
    const std::string_view name = endpointStateName(*state);
    return QString::fromLatin1(name.data(), qsizetype(name.size()));
}

QString Event::causeName() const
{
    return QString::fromStdString(cause.name());
}

bool Event::setCauseFromName(const QString &name)
{
    if (const std::optional<Cause> known = Cause::fromName(name.toStdString())) {
        cause = *known;
        return true;
    }
    cause = Cause(CauseCode::Network);
    detail = detail.isEmpty() ? name : name + u": "_s + detail;
    return false;
}

QByteArray Event::toJsonLine() const
{
    QByteArray line("{");
    const auto add = [&line](const QString &key, const QJsonValue &value) {
        if (line.size() > 1)
            line += ',';
        line += jsonScalar(key) + ':' + jsonScalar(value);
    };
    const auto addText = [&add](const QString &key, const QString &text) {
        if (!text.isEmpty())
            add(key, text);
    };
    if (ts.isValid())
        add(kTs, formatTimestamp(ts));
    addText(kEndpoint, endpoint);
    addText(kKind, kindName());
    addText(kState, stateName());
    addText(kCause, causeName());
    addText(kDetail, detail);
    if (const auto rtt = roundedRtt(rttMs))
        add(kRttMs, *rtt);
    addText(kSource, source);
    // QJsonObject iterates its keys sorted. A data key that shadows a field
    // would make the line ambiguous, so it is not written.
    for (auto it = data.constBegin(); it != data.constEnd(); ++it) {
        if (!isReservedKey(it.key()) && !it.value().isUndefined())
            add(it.key(), it.value());
    }
    line += '}';
    return line;
}

QJsonObject Event::toJson() const
{
    QJsonObject object;
    for (auto it = data.constBegin(); it != data.constEnd(); ++it) {
        if (!isReservedKey(it.key()))
            object.insert(it.key(), it.value());
    }
    const auto addText = [&object](const QString &key, const QString &text) {
        if (!text.isEmpty())
            object.insert(key, text);
    };
    if (ts.isValid())
        object.insert(kTs, formatTimestamp(ts));
    addText(kEndpoint, endpoint);
    addText(kKind, kindName());
    addText(kState, stateName());
    addText(kCause, causeName());
    addText(kDetail, detail);
    if (const auto rtt = roundedRtt(rttMs))
        object.insert(kRttMs, *rtt);
    addText(kSource, source);
    return object;
}

std::optional<Event> Event::fromJson(const QJsonObject &object, QString *error)
{
    Event event;
    QString causeText;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const QString &key = it.key();
        const QJsonValue &value = it.value();
        if (!isReservedKey(key)) {
            event.data.insert(key, value);
            continue;
        }
        if (key == kRttMs) {
            if (!value.isDouble()) {
                fail(error, u"rtt_ms is not a number"_s);
                return std::nullopt;
            }
            event.rttMs = value.toDouble();
            continue;
        }
        if (!value.isString()) {
            fail(error, key + u" is not a string"_s);
            return std::nullopt;
        }
        const QString text = value.toString();
        if (key == kTs) {
            const auto ts = parseTimestamp(text);
            if (!ts) {
                fail(error, u"ts "_s + quoted(text) + u" is not an RFC 3339 timestamp"_s);
                return std::nullopt;
            }
            event.ts = *ts;
        } else if (key == kEndpoint) {
            event.endpoint = text;
        } else if (key == kKind) {
            if (text.isEmpty())
                continue; // what an Event without a kind would write, were it written
            event.kind = eventKindFromName(text);
            if (!event.kind) {
                fail(error,
                     u"unknown event kind "_s + quoted(text) + u" (known: "_s + knownKindNames() + u")"_s);
                return std::nullopt;
            }
        } else if (key == kState) {
            if (text.isEmpty())
                continue;
            event.state = endpointStateFromName(text.toStdString());
            if (!event.state) {
                fail(error, u"unknown state "_s + quoted(text));
                return std::nullopt;
            }
        } else if (key == kCause) {
            causeText = text;
        } else if (key == kDetail) {
            event.detail = text;
        } else if (key == kSource) {
            event.source = text;
        }
    }
    if (!event.ts.isValid()) {
        fail(error, u"no ts"_s);
        return std::nullopt;
    }
    // After the loop: an unknown cause is written in front of the detail, whichever key came first.
    if (!causeText.isEmpty())
        event.setCauseFromName(causeText);
    return event;
}

std::optional<Event> Event::fromJsonLine(QByteArrayView line, QString *error)
{
    const QByteArray bytes = line.toByteArray();
    const auto lineError = [&](const QString &what) {
        fail(error, what + u" in line "_s + QString::fromUtf8(bytes.trimmed()));
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return lineError(u"not JSON ("_s + parseError.errorString() + u")"_s);
    if (!doc.isObject())
        return lineError(u"not a JSON object"_s);
    QString reason;
    std::optional<Event> event = fromJson(doc.object(), &reason);
    if (!event)
        return lineError(reason);
    return event;
}

Event Event::stateChange(const QString &endpoint, EndpointState state, const Cause &cause,
                         const QString &detail)
{
    Event event;
    event.ts = QDateTime::currentDateTimeUtc();
    event.endpoint = endpoint;
    event.kind = EventKind::State;
    event.state = state;
    event.cause = cause;
    event.detail = detail;
    return event;
}

Event Event::rtt(const QString &endpoint, double rttMs, const QString &source)
{
    Event event;
    event.ts = QDateTime::currentDateTimeUtc();
    event.endpoint = endpoint;
    event.kind = EventKind::Rtt;
    event.rttMs = rttMs;
    event.source = source;
    return event;
}

Event Event::info(const QString &endpoint, const QString &detail, const QJsonObject &data)
{
    Event event;
    event.ts = QDateTime::currentDateTimeUtc();
    event.endpoint = endpoint;
    event.kind = EventKind::Info;
    event.detail = detail;
    event.data = data;
    return event;
}

Event Event::deviceChange(const QString &endpoint, EndpointState state, const Cause &cause,
                          const QString &detail, const QJsonObject &data)
{
    Event event = stateChange(endpoint, state, cause, detail);
    event.kind = EventKind::Device;
    event.data = data;
    return event;
}

Event Event::alert(const QString &endpoint, const QString &alert, const QString &suppressed,
                   EndpointState state, const Cause &cause, const QString &detail, const QJsonObject &data)
{
    Event event = stateChange(endpoint, state, cause, detail);
    event.kind = EventKind::Alert;
    event.data = data;
    event.data.insert(u"alert"_s, alert);
    event.data.insert(u"announced"_s, suppressed.isEmpty());
    if (!suppressed.isEmpty())
        event.data.insert(u"suppressed"_s, suppressed);
    return event;
}

QString formatTimestamp(const QDateTime &ts)
{
    if (!ts.isValid())
        return {};
    return ts.toUTC().toString(u"yyyy-MM-dd'T'HH:mm:ss.zzz'Z'"_s);
}

std::optional<QDateTime> parseTimestamp(const QString &text)
{
    QDateTime ts = QDateTime::fromString(text.trimmed(), Qt::ISODateWithMs);
    if (!ts.isValid())
        return std::nullopt;
    // Without an offset Qt reads local time; event times are always UTC.
    if (ts.timeSpec() == Qt::LocalTime)
        ts = QDateTime(ts.date(), ts.time(), Qt::UTC);
    return ts.toUTC();
}

} // namespace kw
