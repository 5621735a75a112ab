#include "livenessjson.h"

#include <cmath>

namespace kw {

using namespace Qt::StringLiterals;

namespace {

// Durations end up in QTimer / std::chrono ints of milliseconds.
constexpr qint64 kMaxMs = 2147483647;
constexpr qint64 kMaxSeconds = kMaxMs / 1000;

using KeepaliveField = net::TcpKeepaliveIssue::Field;

// The workspace key of each field; net::validateTcpKeepalive() issues are reported under it.
QString keepaliveKey(KeepaliveField field)
{
    switch (field) {
    case KeepaliveField::Enabled:
        return u"enabled"_s;
    case KeepaliveField::Idle:
        return u"idle_s"_s;
    case KeepaliveField::Interval:
        return u"interval_s"_s;
    case KeepaliveField::Count:
        return u"count"_s;
    case KeepaliveField::UserTimeout:
        return u"user_timeout_ms"_s;
    }
    return {};
}

// The JSON type is the loader's to check, the range the validator's. A value no field could hold (not
// a whole number, or beyond what the settings type stores) is described with the field's range.
std::optional<qint64> keepaliveInteger(JsonObjectReader &r, KeepaliveField field)
{
    const QString key = keepaliveKey(field);
    if (!r.has(key))
        return std::nullopt;
    const QJsonValue v = r.value(key);
    const double d = v.toDouble();
    // An int for the count; for times, well inside std::chrono's 64 bits and exact in a double.
    const double largest = field == KeepaliveField::Count ? double(std::numeric_limits<int>::max()) : 1e15;
    if (!v.isDouble() || d != std::floor(d) || std::abs(d) > largest) {
        const net::TcpKeepaliveRange range = net::tcpKeepaliveRange(field);
        r.error(key, u"expected an integer "_s + QString::number(range.min) + u'–' +
                         QString::number(range.max) + u" ("_s + QString::fromUtf8(range.reason) +
                         u"), got "_s + describeJson(v));
        return std::nullopt;
    }
    return qint64(d);
}

} // namespace

void parseKeepalive(JsonObjectReader &parent, net::TcpKeepaliveSettings &keepalive, QStringList &errors,
                    QStringList &warnings)
{
    const std::optional<QJsonObject> object = parent.object(u"keepalive"_s);
    if (!object)
        return;
    JsonObjectReader r(*object, parent.pathOf(u"keepalive"_s), errors, warnings);
    net::TcpKeepaliveSettings settings;
    settings.enabled = r.boolean(keepaliveKey(KeepaliveField::Enabled));
    if (const auto v = keepaliveInteger(r, KeepaliveField::Idle))
        settings.idle = std::chrono::seconds(*v);
    if (const auto v = keepaliveInteger(r, KeepaliveField::Interval))
        settings.interval = std::chrono::seconds(*v);
    if (const auto v = keepaliveInteger(r, KeepaliveField::Count))
        settings.count = int(*v);
    if (const auto v = keepaliveInteger(r, KeepaliveField::UserTimeout))
        settings.userTimeout = std::chrono::milliseconds(*v);
    // The same check and the same words as the endpoint dialog and `keepwatch keepalive`.
    for (const net::TcpKeepaliveIssue &issue : net::validateTcpKeepalive(settings))
        r.error(keepaliveKey(issue.field), QString::fromStdString(issue.message));
    keepalive = settings;
    r.reportUnknownKeys();
}

void parseReconnect(JsonObjectReader &parent, ReconnectConfig &reconnect, QStringList &errors,
                    QStringList &warnings)
{
    const std::optional<QJsonObject> object = parent.object(u"reconnect"_s);
    if (!object)
        return;
    JsonObjectReader r(*object, parent.pathOf(u"reconnect"_s), errors, warnings);
    const auto initial = r.integer(u"initial_ms"_s, 1, kMaxMs);
    if (initial)
        reconnect.initial = std::chrono::milliseconds(*initial);
    if (const auto max = r.integer(u"max_ms"_s, 1, kMaxMs)) {
        if (*max < reconnect.initial.count()) {
            r.error(u"max_ms"_s, u"must be at least initial_ms ("_s +
                                     QString::number(reconnect.initial.count()) + u"), got "_s +
                                     QString::number(*max));
        } else {
            reconnect.max = std::chrono::milliseconds(*max);
        }
    } else if (initial && reconnect.initial > reconnect.max) {
        r.error(u"initial_ms"_s, u"must be at most max_ms ("_s + QString::number(reconnect.max.count()) +
                                     u" by default), got "_s + QString::number(*initial));
    }
    if (const auto v = r.number(u"multiplier"_s, 1, 1000, u"a number 1–1000"_s))
        reconnect.multiplier = *v;
    if (const auto v = r.number(u"jitter"_s, 0, 1, u"a number 0–1 (a fraction of the delay)"_s))
        reconnect.jitter = *v;
    if (const auto v = r.integer(u"min_connect_timeout_ms"_s, 1, kMaxMs))
        reconnect.minConnectTimeout = std::chrono::milliseconds(*v);
    r.reportUnknownKeys();
}

void parseHeartbeat(JsonObjectReader &parent, std::optional<HeartbeatConfig> &heartbeat, QStringList &errors,
                    QStringList &warnings)
{
    const std::optional<QJsonObject> object = parent.object(u"heartbeat"_s);
    if (!object)
        return;
    JsonObjectReader r(*object, parent.pathOf(u"heartbeat"_s), errors, warnings);
    HeartbeatConfig config;
    if (const auto interval = r.seconds(u"interval_s"_s))
        config.interval = *interval;
    if (auto bytes = r.escaped(u"send"_s))
        config.send = std::move(*bytes);
    if (auto bytes = r.escaped(u"expect"_s))
        config.expect = std::move(*bytes);
    if (const auto v = r.integer(u"misses"_s, 1, 1000000))
        config.misses = int(*v);
    if (const auto v = r.integer(u"timeout_ms"_s, 0, kMaxMs))
        config.timeout = std::chrono::milliseconds(*v);
    r.reportUnknownKeys();
    heartbeat = config;
}

void parseIdle(JsonObjectReader &parent, IdleConfig &idle, QStringList &errors, QStringList &warnings)
{
    const std::optional<QJsonObject> object = parent.object(u"idle"_s);
    if (!object)
        return;
    JsonObjectReader r(*object, parent.pathOf(u"idle"_s), errors, warnings);
    const QString zeroDisables = u" (0 disables)"_s;
    if (const auto v = r.integer(u"reader_s"_s, 0, kMaxSeconds, zeroDisables))
        idle.reader = std::chrono::seconds(*v);
    if (const auto v = r.integer(u"writer_s"_s, 0, kMaxSeconds, zeroDisables))
        idle.writer = std::chrono::seconds(*v);
    if (const auto v = r.integer(u"all_s"_s, 0, kMaxSeconds, zeroDisables))
        idle.all = std::chrono::seconds(*v);
    if (const auto v =
            r.oneOf<IdleAction>(u"action"_s, {IdleAction::Suspect, IdleAction::Ping, IdleAction::Close},
                                &idleActionName, &idleActionFromName))
        idle.action = *v;
    r.reportUnknownKeys();
}

} // namespace kw
