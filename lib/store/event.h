#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>

#include <optional>

namespace kw {

// One entry of the event log and of the headless stream. The same shape is
// used everywhere: the SQLite log, `--events` JSONL, and `export`.
//
//   {"ts":"2026-11-21T18:00:00.123Z","endpoint":"db","kind":"state",
//    "state":"down","cause":"reset","detail":"..."}
//   {"ts":...,"endpoint":"db","kind":"rtt","rtt_ms":0.42,"source":"connect"}
//
// Kinds: "state", "rtt", "tcpinfo", "keepalive", "info". Fields that do not
// apply to a kind are left empty and are not written.
struct Event
{
    QDateTime ts; // UTC, millisecond precision
    QString endpoint;
    QString kind;
    QString state;
    QString cause;
    QString detail;
    std::optional<double> rttMs;
    QString source;   // what an rtt sample measured: connect, heartbeat, tcpinfo, mqtt-ping
    QJsonObject data; // anything else (tcpinfo fields, keepalive report, bound_ms ...)

    // Fields in a fixed order: ts, endpoint, kind, state, cause, detail,
    // rtt_ms, source, then `data` keys. One line, no trailing newline.
    QByteArray toJsonLine() const;
    QJsonObject toJson() const;
    static std::optional<Event> fromJson(const QJsonObject &object);

    // A static `state()` would clash with the `state` member, hence the name.
    static Event stateChange(const QString &endpoint, const QString &state, const QString &cause = {},
                             const QString &detail = {});
    static Event rtt(const QString &endpoint, double rttMs, const QString &source);
    static Event info(const QString &endpoint, const QString &detail, const QJsonObject &data = {});

    bool operator==(const Event &) const = default;
};

// RFC 3339 UTC with milliseconds and a trailing Z.
QString formatTimestamp(const QDateTime &ts);
std::optional<QDateTime> parseTimestamp(const QString &text);

} // namespace kw

Q_DECLARE_METATYPE(kw::Event)
