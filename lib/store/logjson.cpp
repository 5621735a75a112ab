#include "logjson.h"

#include <QCoreApplication>

#include <algorithm>

namespace kw {

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kMaxDays = 36500;          // a century
constexpr qint64 kMinMb = 16;               // below this the log holds a few minutes of a large workspace
constexpr qint64 kMaxMb = 16 * 1024 * 1024; // 16 TB

// The translation context of this file's messages: lupdate files them under "kw::Workspace", and
// Q_DECLARE_TR_FUNCTIONS looks them up under the same name.
class WorkspaceText
{
    Q_DECLARE_TR_FUNCTIONS(kw::Workspace)
};

} // namespace

void parseLog(JsonObjectReader &workspace, LogConfig &log, QStringList &errors, QStringList &warnings)
{
    const std::optional<QJsonObject> object = workspace.object(u"log"_s);
    if (!object)
        return;
    JsonObjectReader r(*object, workspace.pathOf(u"log"_s), errors, warnings);
    LogConfig c;
    c.raw = *object;
    if (const auto v =
            r.integer(u"keep_days"_s, 0, kMaxDays, WorkspaceText::tr(" days (0 keeps events for ever)")))
        c.keepDays = int(*v);
    if (const auto v = r.integer(u"keep_samples_days"_s, 0, kMaxDays,
                                 WorkspaceText::tr(" days (0 keeps samples as long as keep_days)")))
        c.keepSamplesDays = int(*v);
    if (const auto mb = r.integer(u"max_mb"_s, 0, kMaxMb, WorkspaceText::tr(" MB (0: no size limit)"))) {
        if (*mb > 0 && *mb < kMinMb)
            r.error(u"max_mb"_s, WorkspaceText::tr(
                                     "%1 MB holds a few minutes of a large workspace; give at least %2, or 0 "
                                     "for no size limit")
                                     .arg(*mb)
                                     .arg(kMinMb));
        else
            c.maxMb = int(*mb);
    }
    if (c.keepDays && c.keepSamplesDays && *c.keepDays > 0 && *c.keepSamplesDays > *c.keepDays) {
        r.error(u"keep_samples_days"_s,
                WorkspaceText::tr(
                    "%1 keeps rtt and tcpinfo samples longer than keep_days (%2) keeps the failures they "
                    "explain; make it at most %2")
                    .arg(*c.keepSamplesDays)
                    .arg(*c.keepDays));
    }
    r.reportUnknownKeys();
    log = std::move(c);
}

QJsonObject logToJson(const LogConfig &log)
{
    QJsonObject o = log.raw;
    const auto keep = [&o](const QString &key, const std::optional<int> &value) {
        if (!value)
            o.remove(key);
        else if (o.value(key).toDouble(-1) != *value || !o.value(key).isDouble())
            o.insert(key, *value);
    };
    keep(u"keep_days"_s, log.keepDays);
    keep(u"keep_samples_days"_s, log.keepSamplesDays);
    keep(u"max_mb"_s, log.maxMb);
    return o;
}

LogRetention resolveLogRetention(const LogConfig &log)
{
    using std::chrono::hours;
    LogRetention r;
    const int keepDays = log.keepDays.value_or(LogConfig::kDefaultKeepDays);
    int samplesDays = log.keepSamplesDays.value_or(LogConfig::kDefaultKeepSamplesDays);
    if (keepDays > 0 && (samplesDays == 0 || samplesDays > keepDays))
        samplesDays = keepDays;
    r.keep = hours(24 * qint64(keepDays));
    r.keepSamples = hours(24 * qint64(samplesDays));
    r.maxBytes = qint64(log.maxMb.value_or(LogConfig::kDefaultMaxMb)) * 1024 * 1024;
    return r;
}

} // namespace kw
