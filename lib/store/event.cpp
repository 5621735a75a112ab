#include "event.h"

#include "jsonwriter.h"

#include <QJsonDocument>
#include <QStringList>

#include <algorithm>
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
            return QString::fromRawData(name.data(), name.size()); // a literal: nothing to copy
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
    const QJsonObject data = allData();
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
    const QJsonObject data = allData();
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
    event.adoptTcpInfoData();
    return event;
}

bool Event::operator==(const Event &other) const
{
    if (ts != other.ts || endpoint != other.endpoint || kind != other.kind || state != other.state ||
        cause != other.cause || detail != other.detail || rttMs != other.rttMs || source != other.source)
        return false;
    if (tcpInfo == other.tcpInfo)
        return data == other.data;
    return allData() == other.allData();
}

QJsonObject Event::allData() const
{
    if (!tcpInfo)
        return data;
    QJsonObject all = data;
    tcpInfo->addTo(all);
    return all;
}

std::optional<double> Event::tcpInfoValue(TcpInfoSample::Field field) const
{
    if (tcpInfo) {
        if (const auto value = tcpInfo->value(field))
            return double(*value);
    }
    if (const QJsonValue value = data.value(TcpInfoSample::keyOf(field)); value.isDouble())
        return value.toDouble();
    return std::nullopt;
}

void Event::adoptTcpInfoData()
{
    if (kind != EventKind::TcpInfo || tcpInfo || data.isEmpty())
        return;
    tcpInfo = TcpInfoSample::take(data);
}

namespace {

const QString kTcpState = u"tcp_state"_s;
const std::array<QString, TcpInfoSample::kFieldCount> kTcpInfoKeys{
    u"probes"_s,          u"retransmits"_s,       u"unacked"_s,          u"total_retrans"_s,
    u"rttvar_ms_x1000"_s, u"last_data_recv_ms"_s, u"last_ack_recv_ms"_s,
};

} // namespace

void TcpInfoSample::set(Field field, std::uint32_t value)
{
    values[field] = value;
    present = std::uint8_t(present | (1u << field));
}

std::optional<std::uint32_t> TcpInfoSample::value(Field field) const
{
    if (!(present & (1u << field)))
        return std::nullopt;
    return values[field];
}

QString TcpInfoSample::keyOf(Field field)
{
    return kTcpInfoKeys[field];
}

QString TcpInfoSample::stateText(std::string_view name)
{
    // lib/net's names (the same on every OS).
    static const std::array<QString, 11> known{
        u"ESTABLISHED"_s, u"CLOSE_WAIT"_s, u"FIN_WAIT_1"_s, u"FIN_WAIT_2"_s, u"SYN_SENT"_s, u"SYN_RECEIVED"_s,
        u"LAST_ACK"_s,    u"CLOSING"_s,    u"TIME_WAIT"_s,  u"CLOSED"_s,     u"LISTEN"_s,
    };
    const QLatin1StringView text(name.data(), qsizetype(name.size()));
    for (const QString &k : known) {
        if (k == text)
            return k;
    }
    return QString::fromUtf8(name.data(), qsizetype(name.size()));
}

void TcpInfoSample::addTo(QJsonObject &object) const
{
    for (std::size_t i = 0; i < kFieldCount; ++i) {
        if (present & (1u << i))
            object.insert(kTcpInfoKeys[i], double(values[i]));
    }
    if (!tcpState.isEmpty())
        object.insert(kTcpState, tcpState);
}

std::optional<TcpInfoSample> TcpInfoSample::take(QJsonObject &data)
{
    TcpInfoSample sample;
    for (auto it = data.constBegin(); it != data.constEnd(); ++it) {
        const QJsonValue &value = it.value();
        if (it.key() == kTcpState) {
            if (!value.isString() || value.toString().isEmpty())
                return std::nullopt;
            sample.tcpState = value.toString();
            continue;
        }
        const auto key = std::find(kTcpInfoKeys.begin(), kTcpInfoKeys.end(), it.key());
        if (key == kTcpInfoKeys.end() || !value.isDouble())
            return std::nullopt;
        const double number = value.toDouble();
        if (!(number >= 0 && number <= double(UINT32_MAX)) || number != std::floor(number))
            return std::nullopt;
        sample.set(Field(key - kTcpInfoKeys.begin()), std::uint32_t(number));
    }
    data = QJsonObject();
    return sample;
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
