#pragma once

#include "cause.h"
#include "endpointstate.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QStringView>

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kw {

// What an event reports. The names ("state", "rtt", "tcpinfo", "keepalive",
// "info", "device", "alert") are the `kind` of the JSON line, the SQLite column and the exports:
// changing one breaks every log already written.
enum class EventKind {
    State,     // the endpoint (or a listener's peer) changed state
    Rtt,       // one round-trip sample, `source` says what was measured
    TcpInfo,   // a periodic TCP_INFO read, rtt_ms from the kernel and its fields in `data`
    Keepalive, // the effective keepalive settings and detection bound after connect
    Info,      // anything else a person should read
    // A device watched through an MQTT broker changed state: `state` up or down, `cause`
    // device-silent or device-will, data {"device": topic, "id": ..., "watch": filter}; or, when
    // many changed at once, one summary with data {"devices": count, "topics": [first few]}.
    Device,
    // The alert rules announced an alert or held one back: `state` the endpoint's state, `cause`
    // the outage's cause, data {"alert": "down"|"up"|"reminder"|"flapping"|"stable",
    // "announced": true|false, "suppressed": "muted"|"maintenance"|"flapping"|"below-down-after"|
    // "below-up-after" (only when not announced), "bound_ms", "down_for_ms", "flap_percent", ...}.
    Alert,
};

QString eventKindName(EventKind kind);

// The kernel's fields of a tcpinfo event (EventKind::TcpInfo), kept as numbers until the event is
// written: the session reads one for every endpoint four times a second, and a JSON object per
// sample cost more than the read. Written (JSON, SQL, exports) as the data keys "probes",
// "retransmits", "unacked", "total_retrans", "rttvar_ms_x1000", "last_data_recv_ms",
// "last_ack_recv_ms" (numbers) and "tcp_state" (text), each only when the kernel reported it.
struct TcpInfoSample
{
    enum Field : std::uint8_t {
        Probes,
        Retransmits,
        Unacked,
        TotalRetrans,
        RttVarUs, // written as "rttvar_ms_x1000"
        LastDataRecvMs,
        LastAckRecvMs,
    };
    static constexpr std::size_t kFieldCount = 7;

    std::array<std::uint32_t, kFieldCount> values{};
    std::uint8_t present = 0; // one bit per Field
    QString tcpState;         // "ESTABLISHED" ...; empty: not reported

    void set(Field field, std::uint32_t value);
    void set(Field field, const std::optional<std::uint32_t> &value)
    {
        if (value)
            set(field, *value);
    }
    std::optional<std::uint32_t> value(Field field) const;
    static QString keyOf(Field field);
    // The state's name as shared text: the names the kernel uses are made once, not per sample.
    static QString stateText(std::string_view name);

    // Adds the reported fields to `object` under their keys.
    void addTo(QJsonObject &object) const;
    // Takes the fields out of a tcpinfo event's data; nullopt (and `data` untouched) unless every
    // key is one of the fields above with a value of its type, so anything else stays data.
    static std::optional<TcpInfoSample> take(QJsonObject &data);

    bool operator==(const TcpInfoSample &) const = default;
};
// nullopt for a name that is not one of the above (names are case-sensitive).
std::optional<EventKind> eventKindFromName(QStringView name);

// One entry of the event log and of the headless stream. The same shape is
// used everywhere: the SQLite log, `--events` JSONL, and `export`.
//
//   {"ts":"2026-11-21T18:00:00.123Z","endpoint":"db","kind":"state",
//    "state":"down","cause":"reset","detail":"..."}
//   {"ts":...,"endpoint":"db","kind":"rtt","rtt_ms":0.42,"source":"connect"}
//
// Fields that do not apply to a kind are left empty and are not written.
// Strings appear only at the edges (JSON, SQL, exports, display), through
// kindName(), stateName() and causeName().
struct Event
{
    QDateTime ts; // UTC, millisecond precision
    QString endpoint;
    // Empty only in an Event nobody filled in (it writes as "{}"); the
    // factories and every reader set it.
    std::optional<EventKind> kind;
    std::optional<EndpointState> state; // kinds State and Device only
    Cause cause;                        // None: not written
    QString detail;
    std::optional<double> rttMs;
    QString source;   // what an rtt sample measured: connect, heartbeat, tcpinfo, mqtt-ping
    QJsonObject data; // anything else (keepalive report, bound_ms ...)
    // A tcpinfo event's kernel fields, written as data keys (see TcpInfoSample).
    std::optional<TcpInfoSample> tcpInfo;

    bool isState(EndpointState s) const { return kind == EventKind::State && state == s; }

    // `data` with the tcpinfo fields in it: what JSON, SQL and exports write.
    QJsonObject allData() const;
    // A tcpinfo field, from `tcpInfo` or (an event built by hand or read from an older log with
    // other keys) from `data`; nullopt when not reported.
    std::optional<double> tcpInfoValue(TcpInfoSample::Field field) const;
    // After `data` was filled from JSON or SQL: a tcpinfo event's fields go into `tcpInfo`.
    void adoptTcpInfoData();

    // The names written to JSON, SQL and exports; empty where the field is unset.
    QString kindName() const;
    QString stateName() const;
    QString causeName() const;

    // Fields in a fixed order: ts, endpoint, kind, state, cause, detail,
    // rtt_ms, source, then `data` keys. One line, no trailing newline.
    QByteArray toJsonLine() const;
    QJsonObject toJson() const;
    // nullopt (with the reason in *error) for a missing or bad timestamp, a
    // field of the wrong JSON type, or a kind or state this version does not
    // know: such an event cannot be shown or counted. A cause this version
    // does not know is kept: see setCauseFromName().
    static std::optional<Event> fromJson(const QJsonObject &object, QString *error = nullptr);
    // One `--events` / JSONL export line; the error names the line.
    static std::optional<Event> fromJsonLine(QByteArrayView line, QString *error = nullptr);

    // Reads a stored cause name. A name this version does not know (a log
    // written by a newer Keepwatch) is kept as Network with the name in front
    // of the detail ("quic-idle: ..."), so the drop is still shown and counted
    // and nobody loses the word; returns false for it.
    bool setCauseFromName(const QString &name);

    // A static `state()` would clash with the `state` member, hence the name.
    static Event stateChange(const QString &endpoint, EndpointState state, const Cause &cause = {},
                             const QString &detail = {});
    static Event rtt(const QString &endpoint, double rttMs, const QString &source);
    static Event info(const QString &endpoint, const QString &detail, const QJsonObject &data = {});
    // A watched MQTT device changed state; `data` holds "device", "id" and "watch" (see EventKind::Device).
    static Event deviceChange(const QString &endpoint, EndpointState state, const Cause &cause,
                              const QString &detail, const QJsonObject &data);
    // What the alert rules decided (see EventKind::Alert): `alert` its name ("down" ...),
    // `suppressed` why it was held back, empty when it was announced; `data` adds to the keys
    // "alert", "announced" and "suppressed".
    static Event alert(const QString &endpoint, const QString &alert, const QString &suppressed,
                       EndpointState state, const Cause &cause, const QString &detail,
                       const QJsonObject &data = {});

    // A tcpinfo event whose fields are in `tcpInfo` equals one with the same fields in `data`:
    // both are written the same.
    bool operator==(const Event &other) const;
};

// RFC 3339 UTC with milliseconds and a trailing Z.
QString formatTimestamp(const QDateTime &ts);
std::optional<QDateTime> parseTimestamp(const QString &text);

} // namespace kw

Q_DECLARE_METATYPE(kw::Event)
Q_DECLARE_METATYPE(kw::EventKind)
