#include "mqttjson.h"

#include "escapes.h"
#include "jsonwriter.h"
#include "mqtttopic.h"

#include <QHash>
#include <QJsonArray>

#include <algorithm>

namespace kw {

using namespace Qt::StringLiterals;

namespace {

// MQTT strings and binary data carry a two-byte length (3.1.1 section 1.5.3, 5.0 sections 1.5.4, 1.5.6).
constexpr qsizetype kMaxStringBytes = 65535;

// 3.1.1 section 3.1.3.1 and 5.0 section 3.1.3.1.1: a server MUST accept these; anything else it MAY.
constexpr qsizetype kSafeClientIdLength = 23;

const QString kMqtt = u"mqtt"_s;

// Why `text` cannot be an MQTT UTF-8 string, or empty.
QString stringProblem(const QString &text)
{
    if (text.contains(QChar(0)))
        return u"must not contain U+0000 (MQTT section 1.5.4)"_s;
    if (text.toUtf8().size() > kMaxStringBytes)
        return u"is longer than the 65535 bytes an MQTT string can hold (section 1.5.4)"_s;
    return {};
}

// Topic names and filters by the codec's rules (kw_mqtt), so the loader accepts exactly what the session
// can subscribe to and publish.
QString topicFilterProblem(const QString &filter)
{
    return QString::fromStdString(mqtt::validateTopicFilter(filter.toStdString()));
}

QString topicNameProblem(const QString &topic)
{
    return QString::fromStdString(mqtt::validateTopicName(topic.toStdString()));
}

// The QoS of a Will or of a subscription: 0, 1 or 2.
std::optional<int> qos(JsonObjectReader &r)
{
    const auto v = r.integer(u"qos"_s, 0, 2, u" (the MQTT QoS)"_s);
    return v ? std::optional<int>(int(*v)) : std::nullopt;
}

std::optional<QByteArray> binary(JsonObjectReader &r, const QString &key)
{
    std::optional<QByteArray> bytes = r.escaped(key);
    if (bytes && bytes->size() > kMaxStringBytes) {
        r.error(key, u"is "_s + QString::number(bytes->size()) +
                         u" bytes; an MQTT payload here holds at most 65535 (section 1.5.6)"_s);
        return std::nullopt;
    }
    return bytes;
}

// A required topic name or filter; `problemOf` is topicNameProblem or topicFilterProblem, `hint` follows
// its words.
std::optional<QString> topic(JsonObjectReader &r, const QString &missing,
                             QString (*problemOf)(const QString &), const QString &what,
                             const QString &hint = {})
{
    const QString key = u"topic"_s;
    if (!r.has(key)) {
        r.value(key);
        r.error(key, missing);
        return std::nullopt;
    }
    const std::optional<QString> text = r.string(key);
    if (!text)
        return std::nullopt;
    if (const QString problem = problemOf(*text); !problem.isEmpty()) {
        r.error(key, describeJson(*text) + u" is not a valid "_s + what + u": "_s + problem + hint);
        return std::nullopt;
    }
    return text;
}

// POSIX portable names (Base Definitions, chapter 8): what every shell and service manager can set.
bool isEnvironmentName(const QString &name)
{
    const auto portable = [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_';
    };
    return !name.isEmpty() && !name.front().isDigit() && std::all_of(name.cbegin(), name.cend(), portable);
}

bool isSafeClientId(const QString &id)
{
    const auto alphanumeric = [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
    };
    return id.size() <= kSafeClientIdLength && std::all_of(id.cbegin(), id.cend(), alphanumeric);
}

void parseWill(JsonObjectReader &mqtt, MqttConfig &config, QStringList &errors, QStringList &warnings)
{
    const std::optional<QJsonObject> object = mqtt.object(u"will"_s);
    if (!object)
        return;
    JsonObjectReader r(*object, mqtt.pathOf(u"will"_s), errors, warnings);
    MqttConfig::Will will;
    if (const auto name = topic(r,
                                u"required: the topic the broker publishes the Will on when Keepwatch "
                                u"vanishes, such as \"keepwatch/status\""_s,
                                &topicNameProblem, u"topic name"_s))
        will.topic = *name;
    if (auto payload = binary(r, u"payload"_s))
        will.payload = std::move(*payload);
    if (const auto v = qos(r))
        will.qos = *v;
    if (const auto v = r.boolean(u"retain"_s))
        will.retain = *v;
    r.reportUnknownKeys();
    config.will = will;
}

void parseWatch(JsonObjectReader &mqtt, MqttConfig &config, QStringList &errors, QStringList &warnings)
{
    const QString key = u"watch"_s;
    if (!mqtt.has(key))
        return;
    const QJsonValue value = mqtt.value(key);
    if (!value.isArray()) {
        mqtt.error(key, u"expected an array of objects such as {\"topic\": \"devices/+/heartbeat\"}, got "_s +
                            describeJson(value));
        return;
    }
    const QJsonArray array = value.toArray();
    QHash<QString, qsizetype> firstIndex;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString entry = key + u'[' + QString::number(i) + u']';
        const QJsonValue item = array.at(i);
        if (!item.isObject()) {
            mqtt.error(entry, u"expected an object such as {\"topic\": \"devices/+/heartbeat\"}, got "_s +
                                  describeJson(item));
            continue;
        }
        JsonObjectReader r(item.toObject(), mqtt.pathOf(entry), errors, warnings);
        MqttWatchConfig watch;
        const auto filter = topic(r,
                                  u"required: the topic filter the devices publish their heartbeats on, "
                                  u"such as \"devices/+/heartbeat\""_s,
                                  &topicFilterProblem, u"topic filter"_s,
                                  u"; a filter looks like \"devices/+/heartbeat\" or \"devices/#\""_s);
        if (filter) {
            watch.topic = *filter;
            const auto first = firstIndex.constFind(*filter);
            if (first != firstIndex.constEnd()) {
                // MQTT 5.0 section 3.8.4: a SUBSCRIBE with the filter of an existing subscription
                // replaces it, so the broker delivers each message once for both entries.
                warnings
                    << r.pathOf(u"topic"_s) + u": "_s + describeJson(*filter) + u" is already watched by "_s +
                           mqtt.pathOf(key) + u'[' + QString::number(*first) +
                           u"]; the broker keeps one subscription per filter, so merge the two entries"_s;
            } else {
                firstIndex.insert(*filter, i);
            }
        }
        if (const auto v = r.seconds(u"timeout_s"_s))
            watch.timeout = *v;
        if (auto v = binary(r, u"expect"_s))
            watch.expect = std::move(*v);
        if (auto v = binary(r, u"will_payload"_s))
            watch.willPayload = std::move(*v);
        if (const auto v = r.boolean(u"retained_counts"_s))
            watch.retainedCounts = *v;
        if (const auto v = qos(r))
            watch.qos = *v;
        r.reportUnknownKeys();
        config.watch << watch;
    }
}

void parseIdentity(JsonObjectReader &r, MqttConfig &m, QStringList &warnings)
{
    if (const auto id = r.string(u"client_id"_s)) {
        if (id->isEmpty()) {
            r.error(u"client_id"_s,
                    u"expected 1–23 letters and digits, got \"\"; remove the key and Keepwatch "
                    u"uses \"keepwatch-\" and 10 letters and digits made from the host and "
                    u"endpoint names"_s);
        } else if (const QString problem = stringProblem(*id); !problem.isEmpty()) {
            r.error(u"client_id"_s, problem);
        } else {
            m.clientId = *id;
            if (!isSafeClientId(*id)) {
                warnings
                    << r.pathOf(u"client_id"_s) + u": "_s + describeJson(*id) +
                           u" is not 1–23 letters and digits, the only client ids every broker must "
                           u"accept (section 3.1.3.1); a strict broker answers \"identifier rejected\""_s;
            }
        }
    }
    if (const auto user = r.string(u"username"_s)) {
        if (user->isEmpty())
            r.error(u"username"_s,
                    u"expected a non-empty string, got \"\"; remove the key to connect without "
                    u"a user name"_s);
        else if (const QString problem = stringProblem(*user); !problem.isEmpty())
            r.error(u"username"_s, problem);
        else
            m.username = *user;
    }
    if (r.has(u"password"_s)) {
        r.value(u"password"_s);
        r.error(u"password"_s,
                u"passwords are never kept in the workspace; put the password in an environment "
                u"variable and give its name in mqtt.password_env"_s);
    }
    if (const auto name = r.string(u"password_env"_s)) {
        if (!isEnvironmentName(*name)) {
            r.error(u"password_env"_s, u"expected the name of an environment variable (letters, digits and "
                                       u"'_', not starting with a digit), got "_s +
                                           describeJson(*name) +
                                           u"; the password itself goes in that variable"_s);
        } else {
            m.passwordEnv = *name;
            if (!qEnvironmentVariableIsSet(name->toLatin1().constData())) {
                warnings << r.pathOf(u"password_env"_s) + u": the environment variable "_s + *name +
                                u" is not set; Keepwatch sends no password until it is started with "_s +
                                *name + u" set"_s;
            }
        }
    }
    // 3.1.1 section 3.1.2.9: without the User Name Flag the Password Flag must be 0. 5.0 lifts this.
    if (m.version == MqttConfig::Version::V311 && !m.passwordEnv.isEmpty() && m.username.isEmpty() &&
        !r.has(u"username"_s)) {
        r.error(u"password_env"_s,
                u"MQTT 3.1.1 sends a password only with a user name (section 3.1.2.9); set "
                u"mqtt.username, or set mqtt.version to \"5\""_s);
    }
}

} // namespace

void parseMqtt(JsonObjectReader &endpoint, EndpointConfig &config, QStringList &errors, QStringList &warnings)
{
    MqttConfig &m = config.mqtt;
    if (const std::optional<QJsonObject> object = endpoint.object(kMqtt)) {
        JsonObjectReader r(*object, endpoint.pathOf(kMqtt), errors, warnings);
        if (const auto v = r.oneOf<MqttConfig::Version>(u"version"_s,
                                                        {MqttConfig::Version::V311, MqttConfig::Version::V5},
                                                        &mqttVersionName, &mqttVersionFromName))
            m.version = *v;
        if (const auto v = r.integer(u"keepalive_s"_s, 0, 65535, u" (0 turns keep alive off)"_s)) {
            m.keepAlive = std::chrono::seconds(*v);
            if (*v == 0) {
                warnings << r.pathOf(u"keepalive_s"_s) +
                                u": 0 turns MQTT keep alive off: nothing then detects a silent broker except "
                                u"TCP keepalive; set keepalive_s (60 by default), or set keepalive.idle_s"_s;
            }
        }
        if (const auto v = r.seconds(u"ping_timeout_s"_s))
            m.pingTimeout = *v;
        parseIdentity(r, m, warnings);
        if (const auto v = r.boolean(u"clean_start"_s))
            m.cleanStart = *v;
        if (r.has(u"session_expiry_s"_s) && m.version == MqttConfig::Version::V311) {
            r.value(u"session_expiry_s"_s);
            r.error(u"session_expiry_s"_s, u"Session Expiry Interval is an MQTT 5 property (section "
                                           u"3.1.2.11.2); remove it, or set mqtt.version to \"5\""_s);
        } else if (const auto v = r.integer(u"session_expiry_s"_s, 0, 4294967295,
                                            u" (4294967295: the session never expires)"_s)) {
            m.sessionExpiry = std::chrono::seconds(*v);
        }
        parseWill(r, m, errors, warnings);
        if (const auto v = r.oneOf<MqttTransport>(
                u"transport"_s,
                {MqttTransport::Tcp, MqttTransport::Tls, MqttTransport::Ws, MqttTransport::Wss},
                &mqttTransportName, &mqttTransportFromName))
            m.transport = *v;
        const bool webSocket = m.transport == MqttTransport::Ws || m.transport == MqttTransport::Wss;
        if (r.has(u"path"_s) && !webSocket) {
            r.value(u"path"_s);
            r.error(u"path"_s,
                    u"only used by transport \"ws\" and \"wss\"; remove it, or set mqtt.transport"_s);
        } else if (r.has(u"path"_s)) {
            if (const auto path = r.word(u"path"_s, {})) {
                if (!path->startsWith(u'/'))
                    r.error(u"path"_s, u"expected a path starting with '/', such as \"/mqtt\", got "_s +
                                           describeJson(*path));
                else
                    m.path = *path;
            }
        }
        parseWatch(r, m, errors, warnings);
        r.reportUnknownKeys();
    }

    // TLS on an MQTT connection is its transport: "tls" (8883) or "wss" (443), each with its own port.
    const bool secure = m.transport == MqttTransport::Tls || m.transport == MqttTransport::Wss;
    if (!secure && endpoint.has(u"tls"_s) && config.tls.enabled) {
        const QString wanted = m.transport == MqttTransport::Ws ? u"\"wss\""_s : u"\"tls\""_s;
        endpoint.error(u"tls"_s, u"kind \"mqtt\" uses TLS through its transport: set mqtt.transport to "_s +
                                     wanted + u" (now "_s + describeJson(mqttTransportName(m.transport)) +
                                     u"), or remove tls"_s);
    } else if (secure && endpoint.has(u"tls"_s) && !config.tls.enabled) {
        errors << endpoint.pathOf(u"tls.enabled"_s) + u": false, but mqtt.transport "_s +
                      describeJson(mqttTransportName(m.transport)) +
                      u" is TLS; remove tls.enabled, or set mqtt.transport to "_s +
                      (m.transport == MqttTransport::Wss ? u"\"ws\""_s : u"\"tcp\""_s);
    }
    if (secure)
        config.tls.enabled = true;
    if (!endpoint.has(u"port"_s))
        config.port = mqttDefaultPort(m.transport);
}

void putMqtt(QJsonObject &out, const EndpointConfig &config)
{
    const MqttConfig defaults;
    const MqttConfig &m = config.mqtt;
    put(out, u"port"_s, int(config.port), config.port == mqttDefaultPort(m.transport));

    QJsonObject o = config.raw.value(kMqtt).toObject();
    const auto putText = [](QJsonObject &object, const QString &key, const QString &value) {
        if (value.isEmpty())
            object.remove(key);
        else
            object.insert(key, value);
    };
    put(o, u"version"_s, mqttVersionName(m.version), m.version == defaults.version);
    put(o, u"transport"_s, mqttTransportName(m.transport), m.transport == defaults.transport);
    if (m.transport == MqttTransport::Ws || m.transport == MqttTransport::Wss)
        put(o, u"path"_s, m.path, m.path == defaults.path);
    else
        o.remove(u"path"_s);
    put(o, u"keepalive_s"_s, qint64(m.keepAlive.count()), m.keepAlive == defaults.keepAlive);
    if (m.pingTimeout)
        o.insert(u"ping_timeout_s"_s, secondsJson(*m.pingTimeout));
    else
        o.remove(u"ping_timeout_s"_s);
    putText(o, u"client_id"_s, m.clientId);
    putText(o, u"username"_s, m.username);
    putText(o, u"password_env"_s, m.passwordEnv);
    o.remove(u"password"_s); // never written, whatever was read
    put(o, u"clean_start"_s, m.cleanStart, m.cleanStart == defaults.cleanStart);
    if (m.sessionExpiry)
        o.insert(u"session_expiry_s"_s, qint64(m.sessionExpiry->count()));
    else
        o.remove(u"session_expiry_s"_s);

    if (m.will) {
        const MqttConfig::Will wd;
        QJsonObject will = o.value(u"will"_s).toObject();
        will.insert(u"topic"_s, m.will->topic);
        put(will, u"payload"_s, encodeEscapes(m.will->payload), m.will->payload.isEmpty());
        put(will, u"qos"_s, m.will->qos, m.will->qos == wd.qos);
        put(will, u"retain"_s, m.will->retain, m.will->retain == wd.retain);
        o.insert(u"will"_s, will);
    } else {
        o.remove(u"will"_s);
    }

    if (!m.watch.isEmpty() || o.contains(u"watch"_s)) {
        // Each entry is written over the entry of the same filter as read, so its unknown keys survive.
        QJsonArray read = o.value(u"watch"_s).toArray();
        QJsonArray watch;
        const MqttWatchConfig wd;
        for (const MqttWatchConfig &w : m.watch) {
            QJsonObject entry;
            for (qsizetype i = 0; i < read.size(); ++i) {
                if (read.at(i).toObject().value(u"topic"_s).toString() == w.topic) {
                    entry = read.at(i).toObject();
                    read.removeAt(i);
                    break;
                }
            }
            entry.insert(u"topic"_s, w.topic);
            put(entry, u"timeout_s"_s, secondsJson(w.timeout), w.timeout == wd.timeout);
            put(entry, u"expect"_s, encodeEscapes(w.expect), w.expect.isEmpty());
            put(entry, u"will_payload"_s, encodeEscapes(w.willPayload), w.willPayload.isEmpty());
            put(entry, u"retained_counts"_s, w.retainedCounts, w.retainedCounts == wd.retainedCounts);
            put(entry, u"qos"_s, w.qos, w.qos == wd.qos);
            watch.append(entry);
        }
        o.insert(u"watch"_s, watch);
    }
    out = putNested(out, kMqtt, o);
}

} // namespace kw
