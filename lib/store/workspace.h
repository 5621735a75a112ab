#pragma once

#include "endpointconfig.h"
#include "escapes.h"
#include "logjson.h"
#include "notifyjson.h"
#include "spreadjson.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace kw {

// The workspace file: {"version": 1, "endpoints": [...]}. docs/workspace.md
// documents every key. Keys this version does not know are kept in `raw`
// (top level) and EndpointConfig::raw (per endpoint) and written back on save.
struct Workspace
{
    static constexpr int kVersion = 1;

    int version = kVersion;
    QList<EndpointConfig> endpoints;
    QList<NotifierConfig> notify;      // "notify": where announced alerts go (notifyjson.h)
    AlertConfig alert;                 // "alert": the default rules of every endpoint (alertjson.h)
    LogConfig log;                     // "log": event log retention (logjson.h)
    ConnectSpreadConfig connectSpread; // "connect_spread": start-up and reconnect rates (spreadjson.h)
    QJsonObject raw;                   // top-level object as read

    const EndpointConfig *find(const QString &name) const;
};

// Either a workspace or every problem found, each as
// "FILE: endpoints[2].port: expected an integer 1–65535, got \"abc\"".
struct WorkspaceResult
{
    std::optional<Workspace> workspace;
    QStringList errors;
    QStringList warnings; // unknown keys (kept, but often a misspelt known key)

    bool ok() const { return workspace.has_value() && errors.isEmpty(); }
};

// `fileName` is the prefix of every message, as given.
WorkspaceResult parseWorkspace(const QByteArray &json, const QString &fileName);
WorkspaceResult loadWorkspace(const QString &path);

// Atomic (QSaveFile: write, fsync on commit, rename). Refuses to replace a file
// that exists and currently fails validation, so a hand-edited file with a
// typo is never lost to a save from the GUI.
bool saveWorkspace(const QString &path, const Workspace &workspace, QString *error);
QByteArray workspaceToJson(const Workspace &workspace);
QJsonObject workspaceToJsonObject(const Workspace &workspace);

// Known fields merged over EndpointConfig::raw, so unknown keys survive.
QJsonObject endpointToJson(const EndpointConfig &endpoint);

struct EndpointResult
{
    std::optional<EndpointConfig> endpoint;
    QStringList errors;   // "endpoints[2].port: ..." (no file prefix)
    QStringList warnings; // unknown keys, same form
};

// `where` prefixes every message, e.g. "endpoints[2]". Checks one endpoint on
// its own; name uniqueness is a workspace-level check.
EndpointResult parseEndpoint(const QJsonObject &object, const QString &where);

} // namespace kw
