#include "event.h"

#include "jsonwriter.h"

#include <cmath>

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

} // namespace

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
    addText(kKind, kind);
    addText(kState, state);
    addText(kCause, cause);
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
    addText(kKind, kind);
    addText(kState, state);
    addText(kCause, cause);
    addText(kDetail, detail);
    if (const auto rtt = roundedRtt(rttMs))
        object.insert(kRttMs, *rtt);
    addText(kSource, source);
    return object;
}

std::optional<Event> Event::fromJson(const QJsonObject &object)
{
    Event event;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const QString &key = it.key();
        const QJsonValue &value = it.value();
        if (!isReservedKey(key)) {
            event.data.insert(key, value);
            continue;
        }
        if (key == kRttMs) {
            if (!value.isDouble())
                return std::nullopt;
            event.rttMs = value.toDouble();
            continue;
        }
        if (!value.isString())
            return std::nullopt;
        const QString text = value.toString();
        if (key == kTs) {
            const auto ts = parseTimestamp(text);
            if (!ts)
                return std::nullopt;
            event.ts = *ts;
        } else if (key == kEndpoint) {
            event.endpoint = text;
        } else if (key == kKind) {
            event.kind = text;
        } else if (key == kState) {
            event.state = text;
        } else if (key == kCause) {
            event.cause = text;
        } else if (key == kDetail) {
            event.detail = text;
        } else if (key == kSource) {
            event.source = text;
        }
    }
    if (!event.ts.isValid())
        return std::nullopt;
    return event;
}

Event Event::stateChange(const QString &endpoint, const QString &state, const QString &cause,
                         const QString &detail)
{
    Event event;
    event.ts = QDateTime::currentDateTimeUtc();
    event.endpoint = endpoint;
    event.kind = kState;
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
    event.kind = u"rtt"_s;
    event.rttMs = rttMs;
    event.source = source;
    return event;
}

Event Event::info(const QString &endpoint, const QString &detail, const QJsonObject &data)
{
    Event event;
    event.ts = QDateTime::currentDateTimeUtc();
    event.endpoint = endpoint;
    event.kind = u"info"_s;
    event.detail = detail;
    event.data = data;
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
