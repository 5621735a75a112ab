#pragma once

#include "alertrules.h"
#include "jsonreader.h"

#include <QJsonObject>
#include <QStringList>

#include <chrono>
#include <optional>
#include <vector>

namespace kw {

// Workspace key "alert" (docs/workspace.md), at the top level (the default of every endpoint)
// and per endpoint. Each key is optional: an endpoint's key overrides the default's, and a key
// neither sets takes the built-in default of AlertParams.
struct AlertConfig
{
    std::optional<int> downAfter;                              // "down_after": failed checks in a row
    std::optional<std::chrono::seconds> downAfterS;            // "down_after_s"
    std::optional<int> upAfter;                                // "up_after": good checks in a row
    std::optional<std::chrono::seconds> resendEvery;           // "resend_every_s"
    std::optional<WallTime> muteUntil;                         // "mute_until": RFC 3339 with an offset
    std::optional<std::vector<MaintenanceWindow>> maintenance; // "maintenance": replaces, not adds
    std::optional<double> flapHigh;                            // "flap_high": percent
    std::optional<double> flapLow;                             // "flap_low": percent
    QJsonObject raw; // the object as read: unknown keys and the spelling of known ones survive

    // True when no key is set (raw aside).
    bool isEmpty() const;
    // Equal settings; `raw` is not compared.
    bool operator==(const AlertConfig &other) const;
};

// Reads the nested "alert" object of `parent` (the workspace or an endpoint) when present and
// reports problems under its JSON path ("endpoints[2].alert.down_after: ...").
void parseAlert(JsonObjectReader &parent, AlertConfig &alert, QStringList &errors, QStringList &warnings);
// The "alert" object to write: `alert.raw` with the known keys put (a value that reads the same
// as the file's is kept as written); empty when nothing is set and nothing was there.
QJsonObject alertToJson(const AlertConfig &alert);

// The rules in force for an endpoint: its keys over the workspace default's over AlertParams'.
AlertParams resolveAlert(const AlertConfig &workspaceDefault, const AlertConfig &endpoint);

// "2026-12-01T18:00:00Z" (milliseconds only when there are some).
QString formatWallTime(WallTime at);
// RFC 3339 with "Z" or an offset; nullopt for anything else (a time without an offset would be
// read in whatever zone the machine happens to be in).
std::optional<WallTime> parseWallTime(const QString &text);

} // namespace kw
