#include "workspace.h"

#include "jsonreader.h"
#include "jsonwriter.h"
#include "livenessjson.h"
#include "middleboxtimeouts.h"
#include "mqttjson.h"
#include "storelogging.h"
#include "transportjson.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSaveFile>

#include <cmath>
#include <limits>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <unistd.h>
#endif

namespace kw {

using namespace Qt::StringLiterals;

namespace {

const QString kDefaultBind = u"127.0.0.1"_s;

// Line and column (both from 1, the column counted in characters) of a byte
// offset, as an editor shows them.
std::pair<int, int> lineAndColumn(const QByteArray &data, qsizetype offset)
{
    offset = std::clamp<qsizetype>(offset, 0, data.size());
    int line = 1;
    int column = 1;
    for (qsizetype i = 0; i < offset; ++i) {
        const char c = data.at(i);
        if (c == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++column; // UTF-8 continuation bytes do not start a character
        }
    }
    return {line, column};
}

void syncDirectory(const QString &filePath)
{
#ifdef Q_OS_UNIX
    // The rename is only durable once the directory entry is on disk
    // (rename(2) and fsync(2); ext4 with data=ordered can lose it otherwise).
    const QByteArray dir = QFile::encodeName(QFileInfo(filePath).absolutePath());
    const int fd = ::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
#else
    Q_UNUSED(filePath)
#endif
}

} // namespace

const EndpointConfig *Workspace::find(const QString &name) const
{
    for (const EndpointConfig &endpoint : endpoints) {
        if (endpoint.name == name)
            return &endpoint;
    }
    return nullptr;
}

EndpointResult parseEndpoint(const QJsonObject &object, const QString &where)
{
    EndpointResult result;
    QStringList &errors = result.errors;
    JsonObjectReader r(object, where, errors, result.warnings);
    EndpointConfig c;
    c.raw = object;
    reportByteOrderMarkKeys(object, where, errors);

    if (const auto name = r.string(u"name"_s)) {
        if (name->trimmed().isEmpty())
            r.error(u"name"_s,
                    QCoreApplication::translate("kw::Workspace", "expected a non-empty string, got %1")
                        .arg(describeJson(*name)));
        else
            c.name = *name;
    } else if (!r.has(u"name"_s)) {
        r.error(u"name"_s,
                QCoreApplication::translate("kw::Workspace", "required: a unique, non-empty string"));
    }

    const std::initializer_list<EndpointKind> kinds{EndpointKind::Tcp, EndpointKind::Mqtt,
                                                    EndpointKind::Listen, EndpointKind::WebSocket};
    const auto kind = r.oneOf<EndpointKind>(u"kind"_s, kinds, &endpointKindName, &endpointKindFromName);
    if (kind)
        c.kind = *kind;
    else if (!r.has(u"kind"_s))
        r.error(u"kind"_s,
                QCoreApplication::translate("kw::Workspace",
                                            "required: one of \"tcp\", \"mqtt\", \"listen\", \"websocket\""));

    const QString kindText = describeJson(endpointKindName(c.kind));
    if (kind && c.kind == EndpointKind::Listen) {
        if (r.has(u"host"_s)) {
            r.value(u"host"_s);
            r.error(u"host"_s,
                    QCoreApplication::translate(
                        "kw::Workspace", "not used by kind \"listen\"; the local address is \"bind\""));
        }
        if (const auto bind = r.has(u"bind"_s) ? r.word(u"bind"_s, {}) : std::optional<QString>(kDefaultBind))
            c.bind = *bind;
    } else if (kind && c.kind == EndpointKind::WebSocket) {
        for (const QString &key : {u"host"_s, u"port"_s}) {
            if (r.has(key)) {
                r.value(key);
                r.error(key, QCoreApplication::translate(
                                 "kw::Workspace",
                                 "not used by kind \"websocket\"; the host and port are part of \"url\""));
            }
        }
        parseWebSocket(r, c, errors, result.warnings);
    } else if (kind) {
        if (const auto host =
                r.word(u"host"_s,
                       QCoreApplication::translate("kw::Workspace", "required for kind %1: a name or address")
                           .arg(kindText)))
            c.host = *host;
        if (r.has(u"bind"_s)) {
            r.value(u"bind"_s);
            r.error(u"bind"_s,
                    QCoreApplication::translate("kw::Workspace", "only used by kind \"listen\"; remove it"));
        }
    }

    if (c.kind != EndpointKind::WebSocket) {
        if (const auto port = r.integer(u"port"_s, 1, 65535))
            c.port = quint16(*port);
        else if (!r.has(u"port"_s) && c.kind != EndpointKind::Mqtt) // mqtt: by transport, in parseMqtt()
            r.error(u"port"_s, QCoreApplication::translate("kw::Workspace", "required: an integer 1–65535"));
    }

    if (const auto enabled = r.boolean(u"enabled"_s))
        c.enabled = *enabled;
    if (const auto tags = r.words(u"tags"_s, QCoreApplication::translate(
                                                 "kw::Workspace", "tag words such as \"prod\" or \"db\""))) {
        for (const QString &tag : *tags) {
            if (c.tags.contains(tag))
                r.error(u"tags"_s,
                        QCoreApplication::translate("kw::Workspace", "\"%1\" is listed twice; keep one")
                            .arg(tag));
            else if (tag.contains(u','))
                r.error(u"tags"_s,
                        QCoreApplication::translate(
                            "kw::Workspace",
                            "\"%1\" contains a comma, which CSV exports use between tags; use - or _")
                            .arg(tag));
            else
                c.tags << tag;
        }
    }

    parseKeepalive(r, c.keepalive, errors, result.warnings);
    parseReconnect(r, c.reconnect, errors, result.warnings);
    parseHeartbeat(r, c.heartbeat, errors, result.warnings);
    parseIdle(r, c.idle, errors, result.warnings);
    parseAlert(r, c.alert, errors, result.warnings);
    checkPathKey(r);
    if (c.kind == EndpointKind::Listen && r.has(u"tls"_s)) {
        r.value(u"tls"_s);
        r.error(u"tls"_s, QCoreApplication::translate("kw::Workspace",
                                                      "not supported by kind \"listen\" yet; remove it"));
    } else {
        parseTls(r, c.tls, errors, result.warnings);
    }
    if (kind && c.kind == EndpointKind::Mqtt) {
        parseMqtt(r, c, errors, result.warnings);
    } else if (r.has(u"mqtt"_s)) {
        r.value(u"mqtt"_s);
        if (kind)
            r.error(u"mqtt"_s,
                    QCoreApplication::translate(
                        "kw::Workspace", "only used by kind \"mqtt\"; remove it, or set \"kind\": \"mqtt\""));
    }

    if (c.kind == EndpointKind::WebSocket && c.heartbeat) {
        errors << where + QCoreApplication::translate(
                              "kw::Workspace",
                              ".heartbeat: not used by kind \"websocket\", which pings with WebSocket ping "
                              "frames; set websocket.ping_interval_s and websocket.pong_timeout_s instead");
    }
    if (c.kind == EndpointKind::Mqtt && c.heartbeat) {
        errors << where + QCoreApplication::translate(
                              "kw::Workspace",
                              ".heartbeat: not used by kind \"mqtt\", which pings with PINGREQ; set "
                              "mqtt.keepalive_s instead");
    }
    // "ping" on a plain TCP connection or a listener means sending the
    // heartbeat payload; MQTT pings with PINGREQ, WebSocket with a ping frame.
    if (c.idle.action == IdleAction::Ping && c.kind != EndpointKind::Mqtt &&
        c.kind != EndpointKind::WebSocket && (!c.heartbeat || c.heartbeat->send.isEmpty()) &&
        errors.isEmpty()) {
        errors << where + QCoreApplication::translate(
                              "kw::Workspace",
                              ".idle.action: \"ping\" needs heartbeat.send for kind %1 (there is nothing "
                              "else to send); set heartbeat.send or use \"suspect\" or \"close\"")
                              .arg(kindText);
    }

    r.reportUnknownKeys();
    if (errors.isEmpty())
        result.endpoint = std::move(c);
    return result;
}

WorkspaceResult parseWorkspace(const QByteArray &json, const QString &fileName)
{
    WorkspaceResult result;
    const QString prefix = fileName + u": "_s;
    QByteArray data = json;
    if (data.startsWith("\xEF\xBB\xBF"))
        data.remove(0, 3); // a UTF-8 byte order mark, as some Windows editors write

    if (data.trimmed().isEmpty()) {
        result.errors
            << prefix + QCoreApplication::translate(
                            "kw::Workspace",
                            "the file is empty; a workspace looks like {\"version\": 1, \"endpoints\": []}");
        return result;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const auto [line, column] = lineAndColumn(data, parseError.offset);
        result.errors << prefix + QCoreApplication::translate("kw::Workspace",
                                                              "line %1, column %2: JSON syntax error: %3")
                                      .arg(QString::number(line), QString::number(column),
                                           parseError.errorString());
        return result;
    }
    if (!document.isObject()) {
        result.errors << prefix + (document.isArray()
                                       ? QCoreApplication::translate(
                                             "kw::Workspace",
                                             "expected a JSON object at the top level, got an array")
                                       : QCoreApplication::translate(
                                             "kw::Workspace",
                                             "expected a JSON object at the top level, got a single value"));
        return result;
    }

    Workspace workspace;
    workspace.raw = document.object();
    QStringList errors;
    QStringList warnings;
    JsonObjectReader r(workspace.raw, {}, errors, warnings);
    // The endpoints' own keys are checked by parseEndpoint, with the rest of each endpoint.
    reportByteOrderMarkKeys(workspace.raw, {}, errors, /*nested=*/false);

    if (!r.has(u"version"_s)) {
        r.error(u"version"_s, QCoreApplication::translate("kw::Workspace", "required; add \"version\": 1"));
    } else {
        const QJsonValue v = r.value(u"version"_s);
        const double d = v.toDouble();
        if (v.isDouble() && d == std::floor(d) && d > Workspace::kVersion) {
            result.errors << prefix + QCoreApplication::translate(
                                          "kw::Workspace", "version: %1: written by a newer Keepwatch (this "
                                                           "one reads version 1); upgrade Keepwatch")
                                          .arg(describeJson(v));
            return result;
        }
        if (!v.isDouble() || d != Workspace::kVersion)
            r.error(u"version"_s,
                    QCoreApplication::translate("kw::Workspace", "expected 1, got %1").arg(describeJson(v)));
    }

    checkPathKey(r);
    if (!r.has(u"endpoints"_s)) {
        r.error(u"endpoints"_s,
                QCoreApplication::translate("kw::Workspace",
                                            "required: an array of endpoint objects (may be empty)"));
    } else if (const QJsonValue v = r.value(u"endpoints"_s); !v.isArray()) {
        r.error(
            u"endpoints"_s,
            QCoreApplication::translate("kw::Workspace", "expected an array, got %1").arg(describeJson(v)));
    } else {
        const QJsonArray array = v.toArray();
        QHash<QString, qsizetype> firstIndex;
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString where = u"endpoints["_s + QString::number(i) + u']';
            const QJsonValue item = array.at(i);
            if (!item.isObject()) {
                errors << where + QCoreApplication::translate("kw::Workspace", ": expected an object, got %1")
                                      .arg(describeJson(item));
                continue;
            }
            EndpointResult endpoint = parseEndpoint(item.toObject(), where);
            errors << endpoint.errors;
            warnings << endpoint.warnings;
            const QJsonValue name = item.toObject().value(u"name"_s);
            if (name.isString() && !name.toString().trimmed().isEmpty()) {
                const auto first = firstIndex.constFind(name.toString());
                if (first != firstIndex.constEnd()) {
                    errors << where +
                                  QCoreApplication::translate(
                                      "kw::Workspace",
                                      ".name: %1 is already the name of endpoints[%2]; names must be unique")
                                      .arg(describeJson(name), QString::number(*first));
                } else {
                    firstIndex.insert(name.toString(), i);
                }
            }
            if (endpoint.endpoint)
                workspace.endpoints << std::move(*endpoint.endpoint);
        }
    }
    parseNotify(r, workspace.notify, errors, warnings);
    parseAlert(r, workspace.alert, errors, warnings);
    parseLog(r, workspace.log, errors, warnings);
    parseConnectSpread(r, workspace.connectSpread, errors, warnings);
    r.reportUnknownKeys();

    for (const QString &message : std::as_const(errors))
        result.errors << prefix + message;
    for (const QString &message : std::as_const(warnings))
        result.warnings << prefix + message;
    if (result.errors.isEmpty())
        result.workspace = std::move(workspace);
    return result;
}

WorkspaceResult loadWorkspace(const QString &path)
{
    QFile file(path);
    if (QFileInfo(path).isDir()) {
        WorkspaceResult result;
        result.errors << QCoreApplication::translate(
                             "kw::Workspace", "%1: is a directory; give the path of a workspace .json file")
                             .arg(path);
        return result;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        WorkspaceResult result;
        result.errors << QCoreApplication::translate(
                             "kw::Workspace",
                             "%1: cannot open: %2; check the path and that this user may read it")
                             .arg(path, file.errorString());
        return result;
    }
    return parseWorkspace(file.readAll(), path);
}

QJsonObject endpointToJson(const EndpointConfig &c)
{
    QJsonObject o = c.raw;
    o.insert(u"name"_s, c.name);
    o.insert(u"kind"_s, endpointKindName(c.kind));
    if (c.kind == EndpointKind::Listen) {
        o.remove(u"host"_s);
        put(o, u"bind"_s, c.bind.isEmpty() ? kDefaultBind : c.bind,
            c.bind.isEmpty() || c.bind == kDefaultBind);
    } else if (c.kind != EndpointKind::WebSocket) {
        o.insert(u"host"_s, c.host);
        o.remove(u"bind"_s);
    }
    if (c.kind == EndpointKind::WebSocket)
        putWebSocket(o, c);
    else if (c.kind == EndpointKind::Mqtt)
        putMqtt(o, c);
    else
        o.insert(u"port"_s, int(c.port));
    if (c.kind != EndpointKind::Mqtt)
        o.remove(u"mqtt"_s);
    o = putNested(o, u"tls"_s, tlsToJson(c));
    put(o, u"enabled"_s, c.enabled, c.enabled);
    if (c.tags.isEmpty())
        o.remove(u"tags"_s);
    else
        o.insert(u"tags"_s, QJsonArray::fromStringList(c.tags));

    QJsonObject keepalive = c.raw.value(u"keepalive"_s).toObject();
    const auto putOptional = [&keepalive](const QString &key, const std::optional<QJsonValue> &value) {
        if (value)
            keepalive.insert(key, *value);
        else
            keepalive.remove(key);
    };
    const net::TcpKeepaliveSettings &k = c.keepalive;
    putOptional(u"enabled"_s, k.enabled ? std::optional<QJsonValue>(*k.enabled) : std::nullopt);
    putOptional(u"idle_s"_s, k.idle ? std::optional<QJsonValue>(qint64(k.idle->count())) : std::nullopt);
    putOptional(u"interval_s"_s,
                k.interval ? std::optional<QJsonValue>(qint64(k.interval->count())) : std::nullopt);
    putOptional(u"count"_s, k.count ? std::optional<QJsonValue>(*k.count) : std::nullopt);
    putOptional(u"user_timeout_ms"_s,
                k.userTimeout ? std::optional<QJsonValue>(qint64(k.userTimeout->count())) : std::nullopt);
    o = putNested(o, u"keepalive"_s, keepalive);

    const ReconnectConfig defaults;
    const ReconnectConfig &rc = c.reconnect;
    QJsonObject reconnect = c.raw.value(u"reconnect"_s).toObject();
    put(reconnect, u"initial_ms"_s, qint64(rc.initial.count()), rc.initial == defaults.initial);
    put(reconnect, u"max_ms"_s, qint64(rc.max.count()), rc.max == defaults.max);
    put(reconnect, u"multiplier"_s, rc.multiplier, rc.multiplier == defaults.multiplier);
    put(reconnect, u"jitter"_s, rc.jitter, rc.jitter == defaults.jitter);
    put(reconnect, u"min_connect_timeout_ms"_s, qint64(rc.minConnectTimeout.count()),
        rc.minConnectTimeout == defaults.minConnectTimeout);
    o = putNested(o, u"reconnect"_s, reconnect);

    if (c.heartbeat) {
        const HeartbeatConfig hd;
        const HeartbeatConfig &h = *c.heartbeat;
        QJsonObject heartbeat = c.raw.value(u"heartbeat"_s).toObject();
        put(heartbeat, u"interval_s"_s, secondsJson(h.interval), false);
        put(heartbeat, u"send"_s, encodeEscapes(h.send), h.send.isEmpty());
        put(heartbeat, u"expect"_s, encodeEscapes(h.expect), h.expect.isEmpty());
        put(heartbeat, u"misses"_s, h.misses, h.misses == hd.misses);
        put(heartbeat, u"timeout_ms"_s, qint64(h.timeout.count()), h.timeout == hd.timeout);
        o.insert(u"heartbeat"_s, heartbeat);
    } else {
        o.remove(u"heartbeat"_s);
    }

    const IdleConfig id;
    QJsonObject idle = c.raw.value(u"idle"_s).toObject();
    put(idle, u"reader_s"_s, qint64(c.idle.reader.count()), c.idle.reader == id.reader);
    put(idle, u"writer_s"_s, qint64(c.idle.writer.count()), c.idle.writer == id.writer);
    put(idle, u"all_s"_s, qint64(c.idle.all.count()), c.idle.all == id.all);
    put(idle, u"action"_s, idleActionName(c.idle.action), c.idle.action == id.action);
    o = putNested(o, u"idle"_s, idle);
    o = putNested(o, u"alert"_s, alertToJson(c.alert));
    return o;
}

QJsonObject workspaceToJsonObject(const Workspace &workspace)
{
    QJsonObject o = workspace.raw;
    o.insert(u"version"_s, Workspace::kVersion);
    QJsonArray endpoints;
    for (const EndpointConfig &endpoint : workspace.endpoints)
        endpoints.append(endpointToJson(endpoint));
    o.insert(u"endpoints"_s, endpoints);
    if (!workspace.notify.isEmpty() || workspace.raw.contains(u"notify"_s))
        o.insert(u"notify"_s, notifyToJson(workspace.notify));
    o = putNested(o, u"alert"_s, alertToJson(workspace.alert));
    o = putNested(o, u"log"_s, logToJson(workspace.log));
    o = putNested(o, u"connect_spread"_s, connectSpreadToJson(workspace.connectSpread));
    return o;
}

QByteArray workspaceToJson(const Workspace &workspace)
{
    // Keys in the documented order rather than QJsonObject's alphabetical one,
    // so a saved file reads like docs/workspace.md and diffs stay small.
    static const QStringList order{u"version"_s,
                                   u"endpoints"_s,
                                   u"name"_s,
                                   u"kind"_s,
                                   u"host"_s,
                                   u"bind"_s,
                                   u"port"_s,
                                   u"mqtt"_s,
                                   u"enabled"_s,
                                   u"tags"_s,
                                   u"keepalive"_s,
                                   u"heartbeat"_s,
                                   u"idle"_s,
                                   u"reconnect"_s,
                                   u"idle_s"_s,
                                   u"interval_s"_s,
                                   u"count"_s,
                                   u"user_timeout_ms"_s,
                                   u"topic"_s,
                                   u"timeout_s"_s,
                                   u"send"_s,
                                   u"expect"_s,
                                   u"misses"_s,
                                   u"timeout_ms"_s,
                                   u"reader_s"_s,
                                   u"writer_s"_s,
                                   u"all_s"_s,
                                   u"action"_s,
                                   u"initial_ms"_s,
                                   u"max_ms"_s,
                                   u"multiplier"_s,
                                   u"jitter"_s,
                                   u"min_connect_timeout_ms"_s,
                                   u"transport"_s,
                                   u"path"_s,
                                   u"keepalive_s"_s,
                                   u"ping_timeout_s"_s,
                                   u"client_id"_s,
                                   u"username"_s,
                                   u"password_env"_s,
                                   u"clean_start"_s,
                                   u"session_expiry_s"_s,
                                   u"will"_s,
                                   u"watch"_s,
                                   u"will_payload"_s,
                                   u"retained_counts"_s,
                                   u"payload"_s,
                                   u"qos"_s,
                                   u"retain"_s};
    return writeJson(workspaceToJsonObject(workspace), order) + '\n';
}

bool saveWorkspace(const QString &path, const Workspace &workspace, QString *error)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        qCWarning(lcStore).noquote() << message;
        return false;
    };

    const QFileInfo info(path);
    if (info.exists()) {
        if (!info.isFile())
            return fail(
                QCoreApplication::translate(
                    "kw::Workspace", "%1: not saved: this is not a regular file; choose a .json file path")
                    .arg(path));
        const WorkspaceResult onDisk = loadWorkspace(path);
        if (!onDisk.ok()) {
            return fail(QCoreApplication::translate(
                            "kw::Workspace",
                            "%1: not saved: the file on disk does not pass validation (%2); fix "
                            "it or move it away, then save again")
                            .arg(path, onDisk.errors.value(0)));
        }
    }

    const QByteArray json = workspaceToJson(workspace);
    const WorkspaceResult check = parseWorkspace(json, path);
    if (!check.ok())
        return fail(
            QCoreApplication::translate("kw::Workspace", "%1: not saved: the workspace is not valid: %2")
                .arg(path, check.errors.join(u"; "_s)));

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return fail(
            QCoreApplication::translate(
                "kw::Workspace",
                "%1: not saved: cannot write in %2: %3; check that the directory exists and is writable")
                .arg(path, QDir::toNativeSeparators(info.absolutePath()), file.errorString()));
    }
    // Flush and check before commit(): Qt 6.4's QSaveFile::commit() renames a
    // short file into place when the buffered write fails part-way (ENOSPC,
    // EFBIG), which would truncate the workspace on a full disk.
    const qint64 written = file.write(json);
    if (written != json.size() || !file.flush()) {
        QString reason =
            QCoreApplication::translate("kw::Workspace", "only %1 of %2 bytes could be written")
                .arg(QString::number(std::max<qint64>(written, 0)), QString::number(json.size()));
        if (written == json.size()) {
            // A failed flush does not always leave a system error text behind.
            reason =
                file.error() == QFileDevice::NoError || file.errorString() == QFile().errorString()
                    ? QCoreApplication::translate("kw::Workspace", "the data could not be written to disk")
                    : file.errorString();
        }
        file.cancelWriting();
        return fail(QCoreApplication::translate(
                        "kw::Workspace",
                        "%1: not saved (the previous file is unchanged): %2; check the free disk space")
                        .arg(path, reason));
    }
    if (!file.commit())
        return fail(
            QCoreApplication::translate("kw::Workspace", "%1: not saved (the previous file is unchanged): %2")
                .arg(path, file.errorString()));
    syncDirectory(path);
    return true;
}

} // namespace kw
