#pragma once

#include "alertjson.h"
#include "alertnotice.h"
#include "alertrules.h"
#include "clock.h"
#include "connectspreader.h"
#include "endpointconfig.h"
#include "enginetimers.h"
#include "event.h"
#include "hostconnectspreader.h"
#include "logjson.h"
#include "monitordependencies.h"
#include "session.h"
#include "snapshot.h"
#include "spreadjson.h"
#include "systemdefaults.h"
#include "uptimestats.h"

#include <QList>
#include <QObject>

#include <array>
#include <memory>
#include <optional>
#include <vector>

namespace kw {

class EventLog;
class LogRetentionTimer;
class Session;

// The engine proper. Lives on its own thread: owns one session per endpoint,
// feeds their state changes into statistics, batches events into the SQLite
// log, and publishes coalesced immutable snapshots (<= 4 Hz) plus the event
// stream. Commands arrive as queued calls from Engine.
class Monitor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Monitor)

public:
    static constexpr std::chrono::milliseconds kPublishInterval{250};
    // A snapshot goes out at least this often even when nothing changed, so
    // "since" and uptime figures keep moving.
    static constexpr std::chrono::milliseconds kIdleSnapshotInterval{1000};
    // Events kept in memory while the log cannot be written (disk full...).
    static constexpr qsizetype kMaxUnloggedEvents = 200000;
    // The stream and the window get every RTT and TCP_INFO sample; the log
    // keeps an endpoint's samples of one kind at least this far apart per
    // watched endpoint (at most kMaxLogSampleSpacing), so it grows by at most
    // ~250 samples of each kind a second however many endpoints are watched.
    // State, keepalive and info events, connect RTTs and TCP_INFO samples
    // showing probes or retransmits are always logged.
    static constexpr std::chrono::milliseconds kLogSampleSpacingPerEndpoint{4};
    static constexpr std::chrono::milliseconds kMaxLogSampleSpacing{60000};

    // When many endpoints drop at once (a switch reboots), reconnect attempts
    // start at most 100 at once, then 500 a second: 10,000 endpoints are all
    // retried within ~20 s without a SYN storm from one process.
    static constexpr SpreaderParams kReconnectSpread{100, 500.0};
    // The first connect of each endpoint (at start, after a stop, after an edit) goes through a
    // spreader of its own per destination host: to one host at most 100 at once (within a listen
    // backlog of 128), then 500 a second, so 10,000 endpoints on one server reach it within ~20 s
    // without a SYN flood, while endpoints on distinct hosts all start at once. Reconnects after a
    // failure use only the engine-wide budget above: at most what a host's budget allows, it
    // protects each server as well as this machine (docs/user-guide.md, "Start-up and reconnects").
    static constexpr SpreaderParams kFirstConnectSpreadPerHost{100, 500.0};

    explicit Monitor(MonitorDependencies dependencies, QObject *parent = nullptr);
    ~Monitor() override;

    // Opens the event log in this thread (SQLite connections are per thread) and keeps it within
    // `retention` from the engine timers (LogRetentionTimer).
    bool openLog(const QString &dataDir, QString *error, const LogRetention &retention = {});
    void setLogRetention(const LogRetention &retention);
    // The workspace's "connect_spread" rates in place of the defaults above. Connects already
    // queued keep their slots; the next reservations start from a full burst at the new rates.
    void setConnectSpread(const ConnectSpread &spread);

    // The workspace's "alert" object: the default under every endpoint's own alert keys.
    void setAlertDefaults(const AlertConfig &defaults);
    void startAll(const QList<EndpointConfig> &endpoints);
    void startEndpoint(const QString &name);
    void stopEndpoint(const QString &name);
    void addEndpoint(const EndpointConfig &config);
    void updateEndpoint(const QString &name, const EndpointConfig &config);
    void removeEndpoint(const QString &name);
    // Stops every session, publishes and logs the last events, returns those
    // not yet published.
    QList<Event> shutdown();

    SnapshotPtr buildSnapshot();
    std::size_t endpointCount() const { return m_entries.size(); }

Q_SIGNALS:
    void snapshotReady(const kw::SnapshotPtr &snapshot);
    void eventsReady(const QList<kw::Event> &events);
    // The alerts the rules announced since the last batch, published with the events.
    void alertsReady(const QList<kw::AlertNotice> &alerts);

private:
    // One endpoint's alert rules and what they need to word a notice (alerting.cpp).
    struct Alerting
    {
        Alerting(const Clock &clock, const WallClock &wall, AlertParams params)
            : rules(clock, wall, std::move(params))
        {}
        AlertRules rules;
        AlertConfig own; // the endpoint's own "alert" keys, as last edited
        EngineTimers::TimerId timer = EngineTimers::kNoTimer;
        std::optional<TimePoint> timerAt;
        bool out = false; // between the drop and the next Up or stop
        QString dropDetail;
        std::optional<qint64> dropBoundMs;
        // When the drop happened on both clocks: the notices' wall times are the log's.
        TimePoint dropSteady{};
        QDateTime dropWall;
    };

    // When an endpoint's last RTT and TCP_INFO samples went to the log (shouldLog()).
    struct LoggedSamples
    {
        std::optional<TimePoint> rtt;
        std::optional<TimePoint> tcpInfo;
    };

    // Hears one session for the Monitor: a direct call into its statistics and alert rules where
    // two signal-slot connections per endpoint were (each ~100 B and a connection list).
    struct SessionWatch final : SessionObserver
    {
        SessionWatch(Monitor &monitor, UptimeStats &stats, Alerting &alerting)
            : monitor(monitor), stats(stats), alerting(alerting)
        {}
        void sessionEvent(Session &session, const Event &event) override;
        void sessionStateChanged(Session &session, EndpointState state, const Cause &cause) override;

        Monitor &monitor;
        UptimeStats &stats;
        Alerting &alerting;
        // Here rather than in a hash by name: ~2,500 samples a second at 10,000 endpoints each
        // looked their endpoint's name up. Kept across an edit, new for an endpoint added again.
        LoggedSamples logged;
        // State changes noted into `stats`: what the statistics can move by besides time.
        quint64 stateChanges = 0;
    };

    struct Entry
    {
        Session *session = nullptr; // child of the Monitor
        // The session's observer.
        std::unique_ptr<SessionWatch> watch;
        std::unique_ptr<UptimeStats> stats;
        std::unique_ptr<Alerting> alerting; // behind a pointer: its timer holds on to it
        // The session's revision its shown row was filled at; 0: none yet (a new session).
        quint64 rowRevision = 0;
        std::optional<TimePoint> rowDropAt; // the drop the row's lastDropCause and lastDropAt tell
        // The watch's stateChanges when the shown row's statistics were last found steady: Up or
        // Suspect at 100 % in every window, which time alone cannot move until the next state
        // change (statsSteady()). Empty: work them out again.
        std::optional<quint64> steadyAt;
    };

    Entry *find(const QString &name);
    Entry makeEntry(const SharedEndpointConfig &config, std::unique_ptr<UptimeStats> stats = nullptr,
                    std::unique_ptr<Alerting> alerting = nullptr);
    void destroy(Entry &entry, const QString &reason);
    // `logged`: the endpoint's, when the event is one of its session's.
    void onEvent(const Event &event, LoggedSamples *logged = nullptr);
    // The alert rules' side of an endpoint's events and state changes (alerting.cpp).
    void noteAlertEvent(Alerting &alerting, const QString &name, const Event &event);
    void noteAlertState(Alerting &alerting, const QString &name, EndpointState state, const Cause &cause);
    void noteGoodCheck(Alerting &alerting, const QString &name);
    void handleDecisions(Alerting &alerting, const QString &name,
                         const std::vector<AlertDecision> &decisions);
    void scheduleAlerts(Alerting &alerting, const QString &name);
    AlertParams alertParams(const EndpointConfig &config) const;
    bool shouldLog(const Event &event, LoggedSamples *logged);
    void publish();
    // An entry's statistics as its row shows them; `shown` is the row's, whose drop text is reused.
    EndpointStats statsOf(Entry &entry, const EndpointStats &shown, TimePoint now);
    static bool statsSteady(const Entry &entry, const EndpointStats &stats);
    void schedulePublish();
    void flushLog();

    const Clock &m_clock;
    SystemWallClock m_wallClock; // mute_until and maintenance windows
    net::SystemDefaults m_systemDefaults;
    AlertConfig m_alertDefaults;
    QList<AlertNotice> m_unpublishedAlerts;
    EngineTimers m_timers;
    ConnectSpreader m_spreader;
    HostConnectSpreader m_firstConnects;
    std::vector<Entry> m_entries;

    std::unique_ptr<EventLog> m_log;
    std::unique_ptr<LogRetentionTimer> m_retention; // after m_log: destroyed before it
    QList<Event> m_unpublished;
    QList<Event> m_unlogged;
    QString m_logError;
    quint64 m_logWriteErrors = 0; // failed appends, each retried (the snapshot's logWriteErrors)
    EngineTimers::TimerId m_publishTimer = EngineTimers::kNoTimer;
    std::optional<TimePoint> m_publishGridPoint; // the grid point the next tick is placed after
    bool m_dirty = true;
    // Two row lists in m_entries' order, used in turn: m_rows[m_shownRows] is the last snapshot's,
    // shared with it; the next snapshot with any change is built in the other one, which by then
    // no reader holds any more (the one before last), so only the rows whose revision differs
    // from the shown row's are written, and the list is not copied. A row whose session and
    // statistics did not move is neither filled nor copied again (buildSnapshot()).
    std::array<QList<EndpointSnapshot>, 2> m_rows;
    std::size_t m_shownRows = 0;
    quint64 m_stateChanges = 0;      // noted by every session's watch
    quint64 m_stateChangesShown = 0; // m_stateChanges as of the last snapshot
    quint64 m_rowRevision = 0;       // the last EndpointSnapshot::revision given, for every row
    TimePoint m_lastSnapshotAt{};
    quint64 m_generation = 0;
    bool m_shuttingDown = false;
};

} // namespace kw
