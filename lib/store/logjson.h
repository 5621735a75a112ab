#pragma once

#include "jsonreader.h"

#include <QJsonObject>
#include <QStringList>

#include <chrono>
#include <optional>

namespace kw {

// Workspace key "log" (docs/workspace.md): how long and how large the event log may grow. Each
// key is optional; a key that is not set takes the default below. docs/workspace.md works out
// why these defaults keep a 10,000-endpoint workspace under 2 GB.
struct LogConfig
{
    static constexpr int kDefaultKeepDays = 90;        // state, alert, keepalive, info, device events
    static constexpr int kDefaultKeepSamplesDays = 14; // rtt and tcpinfo samples
    static constexpr int kDefaultMaxMb = 1536;         // the database's pages in use

    std::optional<int> keepDays;        // "keep_days": 0 keeps them for ever
    std::optional<int> keepSamplesDays; // "keep_samples_days": 0 keeps them as long as keep_days
    std::optional<int> maxMb;           // "max_mb": 0 means no size limit
    QJsonObject raw;                    // the object as read: unknown keys survive a save

    bool isEmpty() const { return !keepDays && !keepSamplesDays && !maxMb; }
    // Equal settings; `raw` is not compared.
    bool operator==(const LogConfig &other) const
    {
        return keepDays == other.keepDays && keepSamplesDays == other.keepSamplesDays && maxMb == other.maxMb;
    }
};

// The settings in force, defaults filled in. A zero duration or size means no limit of that kind.
struct LogRetention
{
    std::chrono::hours keep{24 * LogConfig::kDefaultKeepDays};
    // Never longer than `keep` when that is limited: samples are not kept beyond the failures
    // they explain.
    std::chrono::hours keepSamples{24 * LogConfig::kDefaultKeepSamplesDays};
    qint64 maxBytes = qint64(LogConfig::kDefaultMaxMb) * 1024 * 1024;

    bool operator==(const LogRetention &other) const = default;
};

// Reads the nested "log" object of the workspace when present; messages name the key
// ("log.keep_days: expected an integer 0–36500 ..."). keep_samples_days longer than keep_days,
// both set, is an error: samples are kept for less time than failures.
void parseLog(JsonObjectReader &workspace, LogConfig &log, QStringList &errors, QStringList &warnings);
// The "log" object to write: `log.raw` with the known keys as set; empty when nothing is set and
// nothing was there.
QJsonObject logToJson(const LogConfig &log);
LogRetention resolveLogRetention(const LogConfig &log);

} // namespace kw
