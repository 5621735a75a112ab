#include "monitor.h"

#include "eventlog.h"
#include "logretention.h"
#include "monitorlogging.h"
#include "session.h"
#include "sessionfactory.h"
#include "sessiontext.h"

#include <algorithm>

namespace kw {

using namespace std::chrono;

namespace {

template<typename Shared>
void assignUnlessShared(Shared &to, const Shared &from)
{
    if (!to.isSharedWith(from))
        to = from;
}

// `to` = `from`, where `to` is most often the same endpoint's row from a snapshot or two before:
// its texts are then the very ones `from` holds, and comparing their data pointers touches neither
// text, where QString's assignment takes a reference on one and drops one on the other (two atomic
// operations, and at 10,000 rows a cache miss apiece; ~2,000 rows are brought over per snapshot).
void assignRow(EndpointSnapshot &to, const EndpointSnapshot &from)
{
#if defined(__x86_64__) && defined(__GLIBCXX__)
    static_assert(sizeof(EndpointSnapshot) == 440, "EndpointSnapshot changed: assign the new field here");
#endif
    assignUnlessShared(to.name, from.name);
    to.revision = from.revision;
    to.kind = from.kind;
    assignUnlessShared(to.target, from.target);
    assignUnlessShared(to.tags, from.tags);
    to.enabled = from.enabled;
    to.state = from.state;
    assignUnlessShared(to.cause, from.cause);
    assignUnlessShared(to.detail, from.detail);
    to.since = from.since;
    to.nextAttempt = from.nextAttempt;
    to.lastRttMs = from.lastRttMs;
    assignUnlessShared(to.lastRttSource, from.lastRttSource);
    to.lastRttKernelStamped = from.lastRttKernelStamped;
    assignUnlessShared(to.keepalive, from.keepalive);
    assignUnlessShared(to.detectionBound, from.detectionBound);
    to.phi = from.phi;
    to.peers = from.peers;
    assignUnlessShared(to.tls, from.tls);
    to.tlsDaysLeft = from.tlsDaysLeft;
    to.tlsExpiryWarning = from.tlsExpiryWarning;
    to.tlsInsecure = from.tlsInsecure;
    if (to.mqtt != from.mqtt)
        to.mqtt = from.mqtt;
    EndpointStats &stats = to.stats;
    stats.uptimeSessionPercent = from.stats.uptimeSessionPercent;
    stats.uptime1hPercent = from.stats.uptime1hPercent;
    stats.uptime24hPercent = from.stats.uptime24hPercent;
    stats.reconnects = from.stats.reconnects;
    stats.mttr = from.stats.mttr;
    stats.mtbf = from.stats.mtbf;
    stats.flapping = from.stats.flapping;
    assignUnlessShared(stats.lastDropCause, from.stats.lastDropCause);
    stats.lastDropAt = from.stats.lastDropAt;
    stats.uptimePending = from.stats.uptimePending;
}

} // namespace

Monitor::Monitor(MonitorDependencies dependencies, QObject *parent)
    : QObject(parent), m_clock(dependencies.clock), m_systemDefaults(std::move(dependencies.systemDefaults)),
      m_timers(m_clock), m_spreader(kReconnectSpread), m_firstConnects(kFirstConnectSpreadPerHost)
{
    m_timers.setParent(this);
}

Monitor::~Monitor()
{
    if (!m_shuttingDown)
        shutdown();
}

bool Monitor::openLog(const QString &dataDir, QString *error, const LogRetention &retention)
{
    m_log = EventLog::open(dataDir, error);
    if (m_log) {
        m_retention = std::make_unique<LogRetentionTimer>(*m_log, m_timers, retention);
        m_retention->start();
    }
    return m_log != nullptr;
}

void Monitor::setLogRetention(const LogRetention &retention)
{
    if (m_retention)
        m_retention->setRetention(retention);
}

void Monitor::setConnectSpread(const ConnectSpread &spread)
{
    // Replaced in place: the sessions hold these objects by reference.
    if (m_spreader.params() != spread.reconnect)
        m_spreader = ConnectSpreader(spread.reconnect);
    if (m_firstConnects.params() != spread.firstConnectPerHost)
        m_firstConnects = HostConnectSpreader(spread.firstConnectPerHost);
}

Monitor::Entry Monitor::makeEntry(const SharedEndpointConfig &shared, std::unique_ptr<UptimeStats> stats,
                                  std::unique_ptr<Alerting> alerting)
{
    const EndpointConfig &config = shared.get();
    Entry entry;
    entry.stats = stats ? std::move(stats) : std::make_unique<UptimeStats>(m_clock.now());
    entry.alerting = alerting ? std::move(alerting)
                              : std::make_unique<Alerting>(m_clock, m_wallClock, alertParams(config));
    entry.alerting->own = config.alert;
    SessionContext context{m_timers, m_spreader, m_systemDefaults, &m_firstConnects};
    entry.session = createSession(shared, context, this);
    entry.watch = std::make_unique<SessionWatch>(*this, *entry.stats, *entry.alerting);
    entry.session->setObserver(entry.watch.get());
    return entry;
}

void Monitor::SessionWatch::sessionEvent(Session &session, const Event &event)
{
    monitor.onEvent(event, &logged);
    monitor.noteAlertEvent(alerting, session.config().name, event);
}

void Monitor::SessionWatch::sessionStateChanged(Session &session, EndpointState state, const Cause &cause)
{
    stats.noteState(state, monitor.m_clock.now(), cause);
    ++stateChanges;
    ++monitor.m_stateChanges;
    monitor.noteAlertState(alerting, session.config().name, state, cause);
    monitor.m_dirty = true;
}

void Monitor::destroy(Entry &entry, const QString &reason)
{
    if (!entry.session)
        return;
    entry.session->stop(reason);
    entry.session->setObserver(nullptr);
    delete entry.session;
    entry.session = nullptr;
}

Monitor::Entry *Monitor::find(const QString &name)
{
    const auto it = std::find_if(m_entries.begin(), m_entries.end(),
                                 [&name](const Entry &e) { return e.session->name() == name; });
    return it == m_entries.end() ? nullptr : &*it;
}

void Monitor::startAll(const QList<EndpointConfig> &endpoints)
{
    m_entries.reserve(m_entries.size() + std::size_t(endpoints.size()));
    // The sessions point into one copy of the list, which shares its elements with the engine's
    // workspace until that is edited: one configuration per endpoint in the process, not two.
    const auto list = std::make_shared<const QList<EndpointConfig>>(endpoints);
    for (const EndpointConfig &config : *list)
        m_entries.push_back(
            makeEntry(SharedEndpointConfig(std::shared_ptr<const EndpointConfig>(list, &config))));
    for (Entry &entry : m_entries)
        entry.session->start();
    publish();
    schedulePublish();
}

void Monitor::startEndpoint(const QString &name)
{
    Entry *entry = find(name);
    if (entry && entry->session->state() == EndpointState::Disabled)
        entry->session->start();
}

void Monitor::stopEndpoint(const QString &name)
{
    if (Entry *entry = find(name))
        entry->session->stop(tr("stopped by the user"));
}

void Monitor::addEndpoint(const EndpointConfig &config)
{
    if (find(config.name)) {
        qCWarning(lcMonitor) << "add ignored, endpoint exists:" << config.name;
        return;
    }
    m_entries.push_back(makeEntry(config));
    m_entries.back().session->start();
    m_dirty = true;
}

void Monitor::updateEndpoint(const QString &name, const EndpointConfig &config)
{
    Entry *entry = find(name);
    if (!entry)
        return;
    Alerting &alerting = *entry->alerting;
    alerting.own = config.alert;
    alerting.rules.setParams(alertParams(config));
    m_timers.cancel(alerting.timer);
    alerting.timerAt.reset();
    EndpointConfig sameAlerts = config;
    sameAlerts.alert = entry->session->config().alert;
    if (sameAlerts == entry->session->config()) {
        // Only the alert rules changed (a mute from the window): the connection stays as it is.
        handleDecisions(alerting, name, alerting.rules.evaluate());
        scheduleAlerts(alerting, name);
        return;
    }
    // Statistics and alert rules survive an edit: the endpoint is the same thing being watched.
    std::unique_ptr<UptimeStats> stats = std::move(entry->stats);
    std::unique_ptr<Alerting> kept = std::move(entry->alerting);
    const LoggedSamples logged = entry->watch->logged;
    destroy(*entry, tr("settings changed; restarting"));
    *entry = makeEntry(config, std::move(stats), std::move(kept));
    entry->watch->logged = logged;
    entry->session->start();
    scheduleAlerts(*entry->alerting, config.name);
    m_dirty = true;
}

void Monitor::removeEndpoint(const QString &name)
{
    Entry *entry = find(name);
    if (!entry)
        return;
    destroy(*entry, tr("removed from the workspace"));
    m_timers.cancel(entry->alerting->timer);
    const qsizetype index = entry - m_entries.data();
    m_entries.erase(m_entries.begin() + index);
    for (QList<EndpointSnapshot> &rows : m_rows) {
        if (index < rows.size())
            rows.remove(index); // the rows after it stay with their entries
    }
    m_dirty = true;
}

QList<Event> Monitor::shutdown()
{
    m_shuttingDown = true;
    m_timers.cancel(m_publishTimer);
    m_retention.reset();
    for (Entry &entry : m_entries) {
        destroy(entry, tr("Keepwatch is shutting down"));
        m_timers.cancel(entry.alerting->timer);
    }
    m_entries.clear();
    for (QList<EndpointSnapshot> &rows : m_rows)
        rows.clear();
    flushLog();
    QList<Event> last;
    last.swap(m_unpublished);
    return last;
}

void Monitor::onEvent(const Event &event, LoggedSamples *logged)
{
    m_unpublished.append(event);
    if (m_log && shouldLog(event, logged))
        m_unlogged.append(event);
    if (event.kind == EventKind::State)
        m_dirty = true;
}

bool Monitor::shouldLog(const Event &event, LoggedSamples *logged)
{
    const bool rtt = event.kind == EventKind::Rtt;
    if (!rtt && event.kind != EventKind::TcpInfo)
        return true;
    if (rtt && event.source == u"connect")
        return true; // one per connection
    if (!rtt && (event.tcpInfoValue(TcpInfoSample::Probes).value_or(0) > 0 ||
                 event.tcpInfoValue(TcpInfoSample::Retransmits).value_or(0) > 0))
        return true; // the samples that explain a Suspect or a later drop
    if (!logged)
        return true; // not a session's sample: nothing to space it from
    const Duration spacing =
        std::min<Duration>(kLogSampleSpacingPerEndpoint * qint64(m_entries.size()), kMaxLogSampleSpacing);
    std::optional<TimePoint> &last = rtt ? logged->rtt : logged->tcpInfo;
    const TimePoint now = m_clock.now();
    if (last && now - *last < spacing)
        return false;
    last = now;
    return true;
}

void Monitor::flushLog()
{
    if (!m_log || m_unlogged.isEmpty())
        return;
    QString error;
    if (m_log->append(m_unlogged, &error)) {
        if (!m_logError.isEmpty())
            qCInfo(lcMonitor) << "event log writable again:" << m_log->path();
        m_logError.clear();
        m_unlogged.clear();
        return;
    }
    ++m_logWriteErrors;
    if (error != m_logError)
        qCCritical(lcMonitor).noquote() << error;
    m_logError = error;
    // Keep what could not be written and retry on the next tick; past the cap
    // the oldest go first, and the log says so once the disk has room again.
    if (m_unlogged.size() > kMaxUnloggedEvents) {
        const qsizetype dropped = m_unlogged.size() - kMaxUnloggedEvents;
        m_unlogged.remove(0, dropped);
        m_unlogged.prepend(
            Event::info(QString(), tr("%1 events were not written to the log: %2").arg(dropped).arg(error)));
    }
}

void Monitor::publish()
{
    flushLog();
    if (!m_unpublished.isEmpty()) {
        QList<Event> batch;
        batch.swap(m_unpublished);
        // Room for as many as this batch: thousands of events a second at 10,000 endpoints would
        // otherwise grow the list from nothing each tick, moving every event at each growth.
        m_unpublished.reserve(batch.size());
        Q_EMIT eventsReady(batch);
    }
    if (!m_unpublishedAlerts.isEmpty()) {
        QList<AlertNotice> alerts;
        alerts.swap(m_unpublishedAlerts);
        Q_EMIT alertsReady(alerts);
    }
    const TimePoint now = m_clock.now();
    if (m_dirty || now - m_lastSnapshotAt >= kIdleSnapshotInterval) {
        m_lastSnapshotAt = now;
        m_dirty = false;
        Q_EMIT snapshotReady(buildSnapshot());
    }
}

void Monitor::schedulePublish()
{
    // On a wake-up of its own between the sends' grid points (EngineTimers::betweenSends): a
    // snapshot of 10,000 endpoints takes milliseconds.
    constexpr milliseconds kGrid{128};
    // From the grid point of the tick that ran, not from when it ran (half a send step later, or
    // later still on a busy engine): every 256 ms.
    const TimePoint now = m_clock.now();
    const TimePoint from =
        m_publishGridPoint && now - *m_publishGridPoint < kGrid ? *m_publishGridPoint : now;
    const TimePoint next = EngineTimers::onGrid(from + kPublishInterval, kGrid);
    m_publishGridPoint = next;
    m_publishTimer = m_timers.betweenSends(next, [this] {
        m_publishTimer = EngineTimers::kNoTimer;
        publish();
        schedulePublish();
    });
}

SnapshotPtr Monitor::buildSnapshot()
{
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->generation = ++m_generation;
    snapshot->logWriteErrors = m_logWriteErrors;
    snapshot->timerLateness = m_timers.timerLateness().figures(m_clock.now());
    snapshot->socketLateness = m_timers.socketLateness().figures(m_clock.now());
    snapshot->taken = QDateTime::currentDateTimeUtc();
    const TimePoint now = m_clock.now();
    const qsizetype count = qsizetype(m_entries.size());
    const QList<EndpointSnapshot> &shown = m_rows[m_shownRows];
    if (shown.size() > count) {
        // Not one row per entry any more: every row is filled again.
        for (QList<EndpointSnapshot> &rows : m_rows)
            rows.clear();
        for (Entry &entry : m_entries) {
            entry.rowRevision = 0;
            entry.steadyAt.reset();
        }
    }
    // Most rows did not change since the last snapshot at 10,000 endpoints (a heartbeat every few
    // seconds each), and those are the shown rows as they are. The first row that changed readies
    // the other list: it keeps what it held two snapshots ago, and a row is written there only where
    // its revision differs from the shown row's (the rows that changed in the last two snapshots),
    // instead of the whole shown list being copied for the reader that still holds it.
    QList<EndpointSnapshot> &next = m_rows[1 - m_shownRows];
    EndpointSnapshot *nextRows = nullptr;
    const auto keepShown = [&shown, &nextRows](qsizetype i) {
        const EndpointSnapshot &row = shown.at(i);
        if (nextRows[i].revision != row.revision)
            assignRow(nextRows[i], row);
    };
    const EndpointStats noStats;
    for (qsizetype i = 0; i < count; ++i) {
        Entry &entry = m_entries[std::size_t(i)];
        const EndpointSnapshot *row = i < shown.size() ? &shown.at(i) : nullptr;
        const bool refill = !row || entry.rowRevision != entry.session->snapshotRevision() ||
                            entry.session->snapshotDrifted(*row);
        std::optional<EndpointStats> stats;
        // With no state change anywhere since the last snapshot, a row steady then is steady now
        // (each steady row's steadyAt is its watch's count as of the last snapshot). Flapping
        // starts and ends with an alert decision, which clears steadyAt (handleDecisions()).
        const bool steady =
            row && entry.steadyAt &&
            (m_stateChanges == m_stateChangesShown || *entry.steadyAt == entry.watch->stateChanges);
        if (!steady) {
            stats = statsOf(entry, row ? row->stats : noStats, now);
            entry.steadyAt.reset();
            if (statsSteady(entry, *stats))
                entry.steadyAt = entry.watch->stateChanges;
        }
        if (!refill && (!stats || *stats == row->stats)) {
            if (nextRows)
                keepShown(i);
            continue;
        }
        if (!nextRows) {
            // A reader may still hold the list from two snapshots ago (a slow GUI thread): then it
            // is copied once, as a single list would be.
            if (!next.isDetached())
                next = shown;
            next.resize(count);
            nextRows = next.data();
            for (qsizetype j = 0; j < i; ++j)
                keepShown(j);
        }
        EndpointSnapshot &out = nextRows[i];
        if (refill) {
            EndpointSnapshot filled;
            entry.session->fillSnapshot(filled);
            filled.stats = stats ? std::move(*stats) : row->stats;
            out = std::move(filled);
            entry.rowRevision = entry.session->snapshotRevision();
        } else {
            if (out.revision != row->revision)
                assignRow(out, *row);
            out.stats = std::move(*stats);
        }
        out.revision = ++m_rowRevision;
    }
    if (nextRows)
        m_shownRows = 1 - m_shownRows;
    m_stateChangesShown = m_stateChanges;
    snapshot->endpoints = m_rows[m_shownRows];
    return snapshot;
}

bool Monitor::statsSteady(const Entry &entry, const EndpointStats &stats)
{
    // While up (Up or Suspect count as up), every window gains only up time and loses older time:
    // a figure at exactly 100 % stays there, and the rest (reconnects, MTTR, MTBF, the last drop)
    // moves only with a state change. Anything below 100 % moves with time, and is worked out again.
    const EndpointState state = entry.stats->state();
    return (state == EndpointState::Up || state == EndpointState::Suspect) && !stats.uptimePending &&
           stats.uptimeSessionPercent == 100.0 && stats.uptime1hPercent == 100.0 &&
           stats.uptime24hPercent == 100.0;
}

EndpointStats Monitor::statsOf(Entry &entry, const EndpointStats &shown, TimePoint now)
{
    const UptimeStats &uptime = *entry.stats;
    EndpointStats s;
    const std::optional<double> session = uptime.uptimePercent(now);
    s.uptimePending = !session;
    s.uptimeSessionPercent = session.value_or(0);
    s.uptime1hPercent = uptime.uptime1hPercent(now).value_or(0);
    s.uptime24hPercent = uptime.uptime24hPercent(now).value_or(0);
    s.reconnects = uptime.reconnects();
    s.mttr = uptime.mttr();
    s.mtbf = uptime.mtbf();
    s.flapping = entry.alerting->rules.isFlapping(); // the alert rules' Nagios detector
    const std::optional<TimePoint> dropAt = uptime.lastDropAt();
    if (dropAt && dropAt == entry.rowDropAt) {
        // The same drop as the row shows: its text and its wall time (which, taken again from the
        // steady clock, would differ by the clocks' drift) are the row's.
        s.lastDropCause = shown.lastDropCause;
        s.lastDropAt = shown.lastDropAt;
    } else if (dropAt) {
        s.lastDropCause = causeText(uptime.lastDropCause());
        s.lastDropAt = wallClockAt(*dropAt, now);
    }
    entry.rowDropAt = dropAt;
    return s;
}

} // namespace kw
