#include "alertjson.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTimeZone>

#include <array>
#include <cmath>

namespace kw {

using namespace Qt::StringLiterals;
using namespace std::chrono;

namespace {

constexpr qint64 kMaxChecks = 1000;
constexpr qint64 kMaxSeconds = 7 * 24 * 3600; // a week

const std::array<QString, 7> kDayNames{u"mon"_s, u"tue"_s, u"wed"_s, u"thu"_s, u"fri"_s, u"sat"_s, u"sun"_s};

// The translation context of this file's messages: lupdate files them under "kw::Workspace", and
// Q_DECLARE_TR_FUNCTIONS looks them up under the same name.
class WorkspaceText
{
    Q_DECLARE_TR_FUNCTIONS(kw::Workspace)
};

std::optional<minutes> parseTimeOfDay(const QString &text)
{
    static const QRegularExpression pattern(u"^([01][0-9]|2[0-3]):([0-5][0-9])$"_s);
    const QRegularExpressionMatch m = pattern.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    return hours(m.captured(1).toInt()) + minutes(m.captured(2).toInt());
}

QString timeOfDayText(minutes m)
{
    const int total = int(m.count());
    return u"%1:%2"_s.arg(total / 60, 2, 10, QChar(u'0')).arg(total % 60, 2, 10, QChar(u'0'));
}

std::optional<WallTime> wallTime(JsonObjectReader &r, const QString &key)
{
    const std::optional<QString> text = r.string(key);
    if (!text)
        return std::nullopt;
    const std::optional<WallTime> at = parseWallTime(*text);
    if (!at) {
        r.error(key, WorkspaceText::tr(
                         "expected a date and time with its offset, like \"2026-12-24T18:00:00Z\" or "
                         "\"2026-12-24T19:00:00+01:00\", got %1")
                         .arg(describeJson(*text)));
    }
    return at;
}

std::optional<MaintenanceWindow> parseWindow(const QJsonObject &object, const QString &path,
                                             QStringList &errors, QStringList &warnings)
{
    JsonObjectReader r(object, path, errors, warnings);
    const qsizetype before = errors.size();
    MaintenanceWindow w;
    const bool oneOff = r.has(u"from"_s) || r.has(u"until"_s);
    const bool weekly = r.has(u"days"_s) || r.has(u"start"_s) || r.has(u"duration_min"_s);
    if (oneOff == weekly) {
        errors << path + u": "_s +
                      (oneOff
                           ? WorkspaceText::tr(
                                 "either \"from\"/\"until\" (one-off) or \"days\"/\"start\"/\"duration_min\" "
                                 "(weekly), not both; split it into two windows")
                           : WorkspaceText::tr(
                                 "expected \"from\" and \"until\" (one-off) or \"days\", \"start\" and "
                                 "\"duration_min\" (weekly)"));
        return std::nullopt;
    }
    if (oneOff) {
        const std::optional<WallTime> from = wallTime(r, u"from"_s);
        const std::optional<WallTime> until = wallTime(r, u"until"_s);
        if (!r.has(u"from"_s))
            r.error(u"from"_s, WorkspaceText::tr("missing: say when the window begins"));
        if (!r.has(u"until"_s))
            r.error(u"until"_s, WorkspaceText::tr("missing: say when the window ends"));
        if (from && until && *until <= *from)
            r.error(u"until"_s, WorkspaceText::tr("must be later than \"from\""));
        if (from && until) {
            w.from = *from;
            w.until = *until;
        }
    } else {
        w.weekly = true;
        if (!r.has(u"days"_s)) {
            r.error(u"days"_s, WorkspaceText::tr("missing: name the days, like [\"sat\", \"sun\"]"));
        } else {
            const QJsonValue v = r.value(u"days"_s);
            const QJsonArray days = v.toArray();
            bool good = v.isArray() && !days.isEmpty();
            for (const QJsonValue &day : days) {
                const auto it = std::find(kDayNames.begin(), kDayNames.end(), day.toString());
                if (!day.isString() || it == kDayNames.end()) {
                    good = false;
                    break;
                }
                w.days |= 1u << unsigned(it - kDayNames.begin());
            }
            if (!good) {
                r.error(u"days"_s,
                        WorkspaceText::tr(
                            "expected a list of \"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", "
                            "\"sun\", got %1")
                            .arg(describeJson(v)));
            }
        }
        if (!r.has(u"start"_s)) {
            r.error(u"start"_s, WorkspaceText::tr("missing: the time of day it begins, like \"02:00\""));
        } else if (const std::optional<QString> text = r.string(u"start"_s)) {
            if (const std::optional<minutes> start = parseTimeOfDay(*text))
                w.start = *start;
            else
                r.error(u"start"_s,
                        WorkspaceText::tr("expected a time of day \"HH:MM\" (00:00–23:59), got %1")
                            .arg(describeJson(*text)));
        }
        if (!r.has(u"duration_min"_s))
            r.error(u"duration_min"_s, WorkspaceText::tr("missing: how many minutes it lasts"));
        else if (const auto d = r.integer(u"duration_min"_s, 1, MaintenanceWindow::kMaxDuration.count(),
                                          WorkspaceText::tr(" (up to a week)")))
            w.duration = minutes(*d);
        w.utc = r.boolean(u"utc"_s).value_or(false);
    }
    r.reportUnknownKeys();
    if (errors.size() != before)
        return std::nullopt;
    return w;
}

QJsonObject windowToJson(const MaintenanceWindow &w)
{
    QJsonObject o;
    if (!w.weekly) {
        o.insert(u"from"_s, formatWallTime(w.from));
        o.insert(u"until"_s, formatWallTime(w.until));
        return o;
    }
    QJsonArray days;
    for (unsigned i = 0; i < 7; ++i) {
        if (w.days & (1u << i))
            days.append(kDayNames[i]);
    }
    o.insert(u"days"_s, days);
    o.insert(u"start"_s, timeOfDayText(w.start));
    o.insert(u"duration_min"_s, qint64(w.duration.count()));
    if (w.utc)
        o.insert(u"utc"_s, true);
    return o;
}

// Parses `raw` alone, to see whether a value still reads as the file wrote it.
AlertConfig reread(const QJsonObject &raw)
{
    QStringList errors;
    QStringList warnings;
    JsonObjectReader parent(QJsonObject{{u"alert"_s, raw}}, {}, errors, warnings);
    AlertConfig config;
    parseAlert(parent, config, errors, warnings);
    return config;
}

} // namespace

bool AlertConfig::isEmpty() const
{
    return *this == AlertConfig{};
}

bool AlertConfig::operator==(const AlertConfig &o) const
{
    return downAfter == o.downAfter && downAfterS == o.downAfterS && upAfter == o.upAfter &&
           resendEvery == o.resendEvery && muteUntil == o.muteUntil && maintenance == o.maintenance &&
           flapHigh == o.flapHigh && flapLow == o.flapLow;
}

QString formatWallTime(WallTime at)
{
    const qint64 ms = duration_cast<milliseconds>(at.time_since_epoch()).count();
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
    return t.toString(ms % 1000 == 0 ? u"yyyy-MM-dd'T'HH:mm:ss'Z'"_s : u"yyyy-MM-dd'T'HH:mm:ss.zzz'Z'"_s);
}

std::optional<WallTime> parseWallTime(const QString &text)
{
    static const QRegularExpression offset(u"(Z|[+-][0-9]{2}:[0-9]{2})$"_s,
                                           QRegularExpression::CaseInsensitiveOption);
    if (!text.contains(u'T') || !offset.match(text).hasMatch())
        return std::nullopt;
    const QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        return std::nullopt;
    return WallTime{milliseconds(t.toMSecsSinceEpoch())};
}

void parseAlert(JsonObjectReader &parent, AlertConfig &alert, QStringList &errors, QStringList &warnings)
{
    const std::optional<QJsonObject> object = parent.object(u"alert"_s);
    if (!object)
        return;
    JsonObjectReader r(*object, parent.pathOf(u"alert"_s), errors, warnings);
    AlertConfig c;
    c.raw = *object;
    if (const auto v =
            r.integer(u"down_after"_s, 1, kMaxChecks, WorkspaceText::tr(" (failed checks in a row)")))
        c.downAfter = int(*v);
    if (const auto v = r.integer(u"down_after_s"_s, 1, kMaxSeconds, WorkspaceText::tr(" s (up to a week)")))
        c.downAfterS = seconds(*v);
    if (const auto v = r.integer(u"up_after"_s, 1, kMaxChecks, WorkspaceText::tr(" (good checks in a row)")))
        c.upAfter = int(*v);
    if (const auto v = r.integer(u"resend_every_s"_s, 1, kMaxSeconds, WorkspaceText::tr(" s (up to a week)")))
        c.resendEvery = seconds(*v);
    c.muteUntil = wallTime(r, u"mute_until"_s);
    const QString percent = WorkspaceText::tr("a percentage 0–100");
    c.flapHigh = r.number(u"flap_high"_s, 0.0, 100.0, percent);
    c.flapLow = r.number(u"flap_low"_s, 0.0, 100.0, percent);
    if (c.flapHigh && c.flapLow && *c.flapLow > *c.flapHigh) {
        r.error(u"flap_low"_s,
                WorkspaceText::tr(
                    "%1 is above flap_high %2: flapping would end before it starts; make flap_low the "
                    "lower one (defaults 20 and 30)")
                    .arg(*c.flapLow)
                    .arg(*c.flapHigh));
    }
    if (r.has(u"maintenance"_s)) {
        const QJsonValue v = r.value(u"maintenance"_s);
        if (!v.isArray()) {
            r.error(u"maintenance"_s,
                    WorkspaceText::tr("expected a list of windows, got %1").arg(describeJson(v)));
        } else {
            std::vector<MaintenanceWindow> windows;
            const QJsonArray items = v.toArray();
            bool good = true;
            for (qsizetype i = 0; i < items.size(); ++i) {
                const QString path = r.pathOf(u"maintenance"_s) + u'[' + QString::number(i) + u']';
                if (!items.at(i).isObject()) {
                    errors << path + u": "_s +
                                  WorkspaceText::tr("expected a window object, got %1")
                                      .arg(describeJson(items.at(i)));
                    good = false;
                    continue;
                }
                if (const auto w = parseWindow(items.at(i).toObject(), path, errors, warnings))
                    windows.push_back(*w);
                else
                    good = false;
            }
            if (good)
                c.maintenance = std::move(windows);
        }
    }
    r.reportUnknownKeys();
    alert = std::move(c);
}

QJsonObject alertToJson(const AlertConfig &alert)
{
    QJsonObject o = alert.raw;
    const AlertConfig asRead = alert.raw.isEmpty() ? AlertConfig{} : reread(alert.raw);
    const auto keep = [&o](const QString &key, bool same, bool set, const auto &value) {
        if (!set)
            o.remove(key);
        else if (!same || !o.contains(key))
            o.insert(key, value);
    };
    const auto count = [](const auto &v) { return v ? qint64(*v) : qint64(0); };
    const auto secs = [](const auto &v) { return v ? qint64(v->count()) : qint64(0); };
    keep(u"down_after"_s, alert.downAfter == asRead.downAfter, bool(alert.downAfter), count(alert.downAfter));
    keep(u"down_after_s"_s, alert.downAfterS == asRead.downAfterS, bool(alert.downAfterS),
         secs(alert.downAfterS));
    keep(u"up_after"_s, alert.upAfter == asRead.upAfter, bool(alert.upAfter), count(alert.upAfter));
    keep(u"resend_every_s"_s, alert.resendEvery == asRead.resendEvery, bool(alert.resendEvery),
         secs(alert.resendEvery));
    keep(u"mute_until"_s, alert.muteUntil == asRead.muteUntil, bool(alert.muteUntil),
         alert.muteUntil ? formatWallTime(*alert.muteUntil) : QString());
    keep(u"flap_high"_s, alert.flapHigh == asRead.flapHigh, bool(alert.flapHigh), alert.flapHigh.value_or(0));
    keep(u"flap_low"_s, alert.flapLow == asRead.flapLow, bool(alert.flapLow), alert.flapLow.value_or(0));
    QJsonArray windows;
    if (alert.maintenance) {
        for (const MaintenanceWindow &w : *alert.maintenance)
            windows.append(windowToJson(w));
    }
    keep(u"maintenance"_s, alert.maintenance == asRead.maintenance, bool(alert.maintenance), windows);
    return o;
}

AlertParams resolveAlert(const AlertConfig &workspaceDefault, const AlertConfig &endpoint)
{
    AlertParams p;
    const auto pick = [](const auto &mine, const auto &theirs) { return mine ? mine : theirs; };
    p.downAfter = pick(endpoint.downAfter, workspaceDefault.downAfter);
    p.downAfterS = pick(endpoint.downAfterS, workspaceDefault.downAfterS);
    p.upAfter = pick(endpoint.upAfter, workspaceDefault.upAfter).value_or(p.upAfter);
    p.resendEvery = pick(endpoint.resendEvery, workspaceDefault.resendEvery);
    p.muteUntil = pick(endpoint.muteUntil, workspaceDefault.muteUntil);
    p.maintenance = pick(endpoint.maintenance, workspaceDefault.maintenance).value_or(p.maintenance);
    p.flapHigh = pick(endpoint.flapHigh, workspaceDefault.flapHigh).value_or(p.flapHigh);
    p.flapLow = pick(endpoint.flapLow, workspaceDefault.flapLow).value_or(p.flapLow);
    // A default flap_high below an endpoint's flap_low (each valid where written): keep hysteresis.
    p.flapLow = std::min(p.flapLow, p.flapHigh);
    return p;
}

} // namespace kw
