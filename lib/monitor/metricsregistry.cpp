#include "metricsregistry.h"

#include "metricsexposition.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <charconv>
#include <limits>

namespace kw {

namespace {

using Type = MetricsExposition::Type;

constexpr std::array<EndpointState, 6> kStates{EndpointState::Disabled, EndpointState::Connecting,
                                               EndpointState::Up,       EndpointState::Suspect,
                                               EndpointState::Down,     EndpointState::Waiting};
constexpr std::array<EventKind, 6> kEventKinds{EventKind::State,     EventKind::Rtt,  EventKind::TcpInfo,
                                               EventKind::Keepalive, EventKind::Info, EventKind::Device};
// The causes as label values; the index is the CauseCode.
constexpr int kCauseCount = int(CauseCode::Stopped) + 1;
constexpr int kOtherCause = kCauseCount; // a stored name this version does not know

QByteArray causeName(int cause)
{
    if (cause == kOtherCause)
        return QByteArrayLiteral("other");
    if (cause == int(CauseCode::None))
        return QByteArrayLiteral("none");
    const std::string_view name = causeCodeName(CauseCode(cause));
    return QByteArray(name.data(), qsizetype(name.size()));
}

int causeIndex(const QString &name)
{
    if (name.isEmpty())
        return int(CauseCode::None);
    const auto cause = Cause::fromName(name.toStdString());
    return cause ? int(cause->code) : kOtherCause;
}

bool isLive(EndpointState state)
{
    return state == EndpointState::Up || state == EndpointState::Suspect;
}

double unixSeconds(const QDateTime &t)
{
    return double(t.toMSecsSinceEpoch()) / 1000.0;
}

QByteArray withLabel(const QByteArray &labels, QByteArrayView name, QByteArrayView value)
{
    QByteArray out = labels;
    MetricsExposition::appendLabelUtf8(out, name, value);
    return out;
}

// A keepalive option of the "keepalive" event (keepalivereport.cpp) in seconds: what the socket read
// back, else what was asked for; "ms" options converted.
std::optional<double> optionSeconds(const QJsonObject &option)
{
    const QJsonValue value =
        option.contains(u"read_back") ? option.value(u"read_back") : option.value(u"requested");
    if (!value.isDouble())
        return std::nullopt;
    const double v = value.toDouble();
    return option.value(u"unit").toString() == u"ms" ? v / 1000.0 : v;
}

} // namespace

MetricsRegistry::MetricsRegistry(QString version) : m_version(std::move(version)) {}

QByteArray MetricsRegistry::causeLabel(const QString &causeName_)
{
    return causeName(causeIndex(causeName_));
}

void MetricsRegistry::addSnapshot(const SnapshotPtr &snapshot)
{
    if (!snapshot)
        return;
    m_snapshot = snapshot;
    m_logWriteErrors = snapshot->logWriteErrors;
    QSet<QString> present;
    present.reserve(snapshot->endpoints.size());
    for (const EndpointSnapshot &e : snapshot->endpoints) {
        present.insert(e.name);
        Entry &entry = m_entries[e.name];
        if (entry.labels.isEmpty() || entry.target != e.target || entry.kind != e.kind) {
            entry.target = e.target;
            entry.kind = e.kind;
            entry.labels.clear();
            MetricsExposition::appendLabel(entry.labels, "endpoint", e.name);
            MetricsExposition::appendLabel(entry.labels, "kind", endpointKindName(e.kind));
            MetricsExposition::appendLabel(entry.labels, "target", e.target);
        }
        if (!entry.lastState)
            entry.lastState = e.state;
    }
    // A removed endpoint takes its series with it; added again it starts from zero, which
    // Prometheus reads as a counter reset.
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        if (present.contains(it.key()))
            ++it;
        else
            it = m_entries.erase(it);
    }
}

void MetricsRegistry::addEvents(const QList<Event> &events)
{
    for (const Event &event : events) {
        if (event.kind)
            ++m_eventsByKind[std::size_t(*event.kind)];
        const auto it = m_entries.find(event.endpoint);
        if (it != m_entries.end())
            addEvent(*it, event);
    }
}

void MetricsRegistry::addEvent(Entry &entry, const Event &event)
{
    if (!event.kind)
        return;
    switch (*event.kind) {
    case EventKind::State: {
        if (!event.state)
            return;
        const EndpointState state = *event.state;
        // The cause as the event carries it: a closed set, an unknown stored name already read as
        // Network (Event::setCauseFromName).
        const int cause = int(event.cause.code);
        if (state == EndpointState::Down) {
            if (entry.lastState && isLive(*entry.lastState)) {
                count(entry.drops, cause);
                entry.pendingDropCause = cause;
            } else {
                count(entry.connectFailures, cause);
            }
        } else if (state == EndpointState::Up && entry.pendingDropCause) {
            // Back up after a drop: one reconnect, credited to the cause of the drop (as UptimeStats
            // counts reconnects).
            count(entry.reconnects, *entry.pendingDropCause);
            entry.pendingDropCause.reset();
        } else if (state == EndpointState::Disabled) {
            entry.pendingDropCause.reset(); // a user stop ends the repair story
        }
        entry.lastState = state;
        return;
    }
    case EventKind::Rtt: {
        if (!event.rttMs || !(*event.rttMs >= 0))
            return;
        std::optional<Histogram> &slot = entry.rtt[std::size_t(sourceIndex(event.source))];
        if (!slot)
            slot.emplace();
        const double seconds = *event.rttMs / 1000.0;
        const auto bucket = std::lower_bound(kRttBucketsSeconds.begin(), kRttBucketsSeconds.end(), seconds);
        if (bucket != kRttBucketsSeconds.end())
            ++slot->buckets[std::size_t(bucket - kRttBucketsSeconds.begin())];
        ++slot->count;
        slot->sum += seconds;
        return;
    }
    case EventKind::Keepalive: {
        Keepalive k;
        for (const QJsonValue &value : event.data.value(u"options").toArray()) {
            const QJsonObject option = value.toObject();
            const QString name = option.value(u"option").toString();
            const std::optional<double> seconds = optionSeconds(option);
            if (name == u"SO_KEEPALIVE") {
                if (seconds)
                    k.enabled = *seconds != 0;
            } else if (name == u"TCP_KEEPIDLE" || name == u"TCP_KEEPALIVE") {
                k.idleSeconds = seconds;
            } else if (name == u"TCP_KEEPINTVL") {
                k.intervalSeconds = seconds;
            } else if (name == u"TCP_KEEPCNT") {
                k.probes = seconds; // a count, no unit
            } else if (name == u"TCP_USER_TIMEOUT" || name == u"TCP_RXT_CONNDROPTIME") {
                k.userTimeoutSeconds = seconds;
            }
        }
        if (event.data.value(u"bound_ms").isDouble())
            k.silentPeerBoundSeconds = event.data.value(u"bound_ms").toDouble() / 1000.0;
        if (event.data.value(u"unacked_bound_ms").isDouble())
            k.unackedBoundSeconds = event.data.value(u"unacked_bound_ms").toDouble() / 1000.0;
        entry.keepalive = k;
        return;
    }
    case EventKind::Info: {
        // The TLS handshake's event (outboundstack.cpp) names the certificate's notAfter.
        const QString notAfter = event.data.value(u"not_after").toString();
        if (notAfter.isEmpty())
            return;
        const QDateTime t = QDateTime::fromString(notAfter, Qt::ISODate);
        if (t.isValid())
            entry.certExpiry = unixSeconds(t);
        return;
    }
    case EventKind::TcpInfo:
    case EventKind::Device:
    case EventKind::Alert:
        return;
    }
}

void MetricsRegistry::count(std::vector<CauseCount> &counts, int cause)
{
    for (CauseCount &c : counts) {
        if (c.cause == cause) {
            ++c.count;
            return;
        }
    }
    counts.push_back({cause, 1});
    std::sort(counts.begin(), counts.end(),
              [](const CauseCount &a, const CauseCount &b) { return a.cause < b.cause; });
}

qsizetype MetricsRegistry::sourceIndex(const QString &source)
{
    for (std::size_t i = 0; i + 1 < kRttSources.size(); ++i) {
        if (source == QLatin1StringView(kRttSources[i]))
            return qsizetype(i);
    }
    return qsizetype(kRttSources.size() - 1);
}

QByteArray MetricsRegistry::render(const QDateTime &now) const
{
    const QList<EndpointSnapshot> empty;
    const QList<EndpointSnapshot> &endpoints = m_snapshot ? m_snapshot->endpoints : empty;
    // One allocation for the whole text: a little more than last time (~6 kB per endpoint with RTT
    // from two sources; growing by doubling would copy tens of megabytes at 10,000 endpoints).
    MetricsExposition out(
        std::max<qsizetype>(4096 + endpoints.size() * 1024, m_lastRenderSize + m_lastRenderSize / 8));

    // Each endpoint with its entry, in workspace order.
    std::vector<std::pair<const EndpointSnapshot *, const Entry *>> rows;
    rows.reserve(std::size_t(endpoints.size()));
    for (const EndpointSnapshot &e : endpoints) {
        const auto it = m_entries.constFind(e.name);
        if (it != m_entries.cend())
            rows.emplace_back(&e, &*it);
    }
    const auto each = [&rows](auto &&fn) {
        for (const auto &[e, entry] : rows)
            fn(*e, *entry);
    };

    // --- the process ---
    out.family("keepwatch_build_info", "Keepwatch's version; always 1.", Type::Gauge);
    QByteArray versionLabel;
    MetricsExposition::appendLabel(versionLabel, "version", m_version);
    out.sample("keepwatch_build_info", versionLabel, 1.0);

    out.family("keepwatch_endpoints", "Endpoints watched, by state.", Type::Gauge);
    std::array<std::uint64_t, kStates.size()> byState{};
    for (const EndpointSnapshot &e : endpoints)
        ++byState[std::size_t(e.state)];
    for (const EndpointState s : kStates) {
        QByteArray labels;
        const std::string_view name = endpointStateName(s);
        MetricsExposition::appendLabelUtf8(labels, "state",
                                           QByteArrayView(name.data(), qsizetype(name.size())));
        out.sample("keepwatch_endpoints", labels, byState[std::size_t(s)]);
    }

    out.family("keepwatch_events_total",
               "Events the engine reported, by kind (RTT and TCP_INFO samples are "
               "thinned before they reach the event log).",
               Type::Counter);
    for (const EventKind k : kEventKinds) {
        QByteArray labels;
        MetricsExposition::appendLabel(labels, "kind", eventKindName(k));
        out.sample("keepwatch_events_total", labels, m_eventsByKind[std::size_t(k)]);
    }

    out.family("keepwatch_event_log_write_errors_total", "Failed writes of the event log (each retried).",
               Type::Counter);
    out.sample("keepwatch_event_log_write_errors_total", {}, m_logWriteErrors);

    // The engine's own lateness (EngineTimers): beside the RTT histograms, it tells the network's
    // latency from the monitor's load. Quantiles over the last minute; _count and _sum since start.
    out.family("keepwatch_engine_lateness_seconds",
               "How late the engine itself ran over the last minute: timer callbacks after their "
               "coalesced deadline (source timers), received bytes waiting in their socket before "
               "being read (source sockets). Quantile 1 is the maximum.",
               Type::Summary);
    if (m_snapshot) {
        const std::pair<const char *, const LatenessFigures *> sources[] = {
            {"timers", &m_snapshot->timerLateness}, {"sockets", &m_snapshot->socketLateness}};
        for (const auto &[source, figures] : sources) {
            QByteArray labels;
            MetricsExposition::appendLabelUtf8(labels, "source", source);
            const auto seconds = [](Duration d) { return std::chrono::duration<double>(d).count(); };
            const std::pair<const char *, Duration> quantiles[] = {
                {"0.5", figures->p50}, {"0.99", figures->p99}, {"1", figures->max}};
            for (const auto &[quantile, value] : quantiles) {
                QByteArray quantileLabel;
                MetricsExposition::appendLabelUtf8(quantileLabel, "quantile", quantile);
                // No sample in the window: no quantile either (NaN, as client libraries write it).
                out.sample("keepwatch_engine_lateness_seconds", labels, quantileLabel,
                           figures->count == 0 ? std::numeric_limits<double>::quiet_NaN() : seconds(value));
            }
            out.sample("keepwatch_engine_lateness_seconds_sum", labels, figures->totalSeconds);
            out.sample("keepwatch_engine_lateness_seconds_count", labels, figures->totalCount);
        }
    }

    // --- per endpoint ---
    out.family("keepwatch_up", "1 while the endpoint's connection is held and healthy or suspect, else 0.",
               Type::Gauge);
    each([&](const EndpointSnapshot &e, const Entry &entry) {
        out.sample("keepwatch_up", entry.labels, isLive(e.state) ? 1.0 : 0.0);
    });

    out.family("keepwatch_state", "The endpoint's state: 1 for the current one, 0 for the others.",
               Type::Gauge);
    std::array<QByteArray, kStates.size()> stateLabels;
    for (const EndpointState s : kStates) {
        const std::string_view name = endpointStateName(s);
        MetricsExposition::appendLabelUtf8(stateLabels[std::size_t(s)], "state",
                                           QByteArrayView(name.data(), qsizetype(name.size())));
    }
    each([&](const EndpointSnapshot &e, const Entry &entry) {
        for (const EndpointState s : kStates) {
            out.sample("keepwatch_state", entry.labels, stateLabels[std::size_t(s)],
                       e.state == s ? 1.0 : 0.0);
        }
    });

    out.family("keepwatch_state_seconds", "Seconds the endpoint has been in its current state.", Type::Gauge);
    each([&](const EndpointSnapshot &e, const Entry &entry) {
        if (e.since.isValid())
            out.sample("keepwatch_state_seconds", entry.labels,
                       std::max(0.0, double(e.since.msecsTo(now)) / 1000.0));
    });

    out.family("keepwatch_last_drop_info", "The cause of the endpoint's most recent drop; always 1.",
               Type::Gauge);
    each([&](const EndpointSnapshot &e, const Entry &entry) {
        if (!e.stats.lastDropCause.isEmpty())
            out.sample("keepwatch_last_drop_info",
                       withLabel(entry.labels, "cause", causeLabel(e.stats.lastDropCause)), 1.0);
    });
    out.family("keepwatch_last_drop_timestamp_seconds", "When the endpoint's most recent drop happened.",
               Type::Gauge);
    each([&](const EndpointSnapshot &e, const Entry &entry) {
        if (e.stats.lastDropAt.isValid())
            out.sample("keepwatch_last_drop_timestamp_seconds", entry.labels,
                       unixSeconds(e.stats.lastDropAt));
    });

    const auto causeCounter = [&](QByteArrayView name, QByteArrayView help,
                                  std::vector<CauseCount> Entry::*member) {
        out.family(name, help, Type::Counter);
        each([&](const EndpointSnapshot &, const Entry &entry) {
            for (const CauseCount &c : entry.*member)
                out.sample(name, withLabel(entry.labels, "cause", causeName(c.cause)), c.count);
        });
    };
    causeCounter("keepwatch_drops_total", "Connections lost after they were up, by cause.", &Entry::drops);
    causeCounter("keepwatch_connect_failures_total", "Connection attempts that failed before up, by cause.",
                 &Entry::connectFailures);
    causeCounter("keepwatch_reconnects_total", "Recoveries: back up after a drop, by the cause of the drop.",
                 &Entry::reconnects);

    out.family("keepwatch_flapping",
               "1 while the endpoint changes state often (the uptime statistics' test).", Type::Gauge);
    each([&](const EndpointSnapshot &e, const Entry &entry) {
        out.sample("keepwatch_flapping", entry.labels, e.stats.flapping ? 1.0 : 0.0);
    });

    out.family("keepwatch_rtt_seconds", "Round-trip times, by what was measured.", Type::Histogram);
    std::array<QByteArray, kRttBucketsSeconds.size()> leLabels;
    for (std::size_t i = 0; i < kRttBucketsSeconds.size(); ++i) {
        // Fixed notation ("0.0001", not "1e-04"): what dashboards and people type into queries.
        char buffer[32];
        const auto end =
            std::to_chars(buffer, buffer + sizeof buffer, kRttBucketsSeconds[i], std::chars_format::fixed)
                .ptr;
        MetricsExposition::appendLabelUtf8(leLabels[i], "le", QByteArrayView(buffer, end - buffer));
    }
    each([&](const EndpointSnapshot &, const Entry &entry) {
        for (std::size_t s = 0; s < kRttSources.size(); ++s) {
            const std::optional<Histogram> &h = entry.rtt[s];
            if (!h)
                continue;
            const QByteArray labels = withLabel(entry.labels, "source", kRttSources[s]);
            std::uint64_t cumulative = 0;
            for (std::size_t i = 0; i < kRttBucketsSeconds.size(); ++i) {
                cumulative += h->buckets[i];
                out.sample("keepwatch_rtt_seconds_bucket", labels, leLabels[i], cumulative);
            }
            out.sample("keepwatch_rtt_seconds_bucket", labels, "le=\"+Inf\"", h->count);
            out.sample("keepwatch_rtt_seconds_sum", labels, h->sum);
            out.sample("keepwatch_rtt_seconds_count", labels, h->count);
        }
    });

    const auto keepaliveGauge = [&](QByteArrayView name, QByteArrayView help,
                                    std::optional<double> Keepalive::*member) {
        out.family(name, help, Type::Gauge);
        each([&](const EndpointSnapshot &, const Entry &entry) {
            if (const std::optional<double> &v = entry.keepalive.*member)
                out.sample(name, entry.labels, *v);
        });
    };
    keepaliveGauge("keepwatch_detection_bound_seconds",
                   "Longest time until a silent peer is detected by the keepalive in force on the socket.",
                   &Keepalive::silentPeerBoundSeconds);
    keepaliveGauge("keepwatch_unacked_data_bound_seconds",
                   "Longest time until unacknowledged data ends the connection (TCP user timeout).",
                   &Keepalive::unackedBoundSeconds);
    out.family("keepwatch_keepalive_enabled", "1 when SO_KEEPALIVE is on on the endpoint's socket.",
               Type::Gauge);
    each([&](const EndpointSnapshot &, const Entry &entry) {
        if (entry.keepalive.enabled)
            out.sample("keepwatch_keepalive_enabled", entry.labels, *entry.keepalive.enabled ? 1.0 : 0.0);
    });
    keepaliveGauge("keepwatch_keepalive_idle_seconds", "TCP keepalive idle time read back from the socket.",
                   &Keepalive::idleSeconds);
    keepaliveGauge("keepwatch_keepalive_interval_seconds",
                   "TCP keepalive probe interval read back from the socket.", &Keepalive::intervalSeconds);
    keepaliveGauge("keepwatch_keepalive_probes", "TCP keepalive probe count read back from the socket.",
                   &Keepalive::probes);
    keepaliveGauge("keepwatch_tcp_user_timeout_seconds",
                   "TCP user timeout read back from the socket (0: off).", &Keepalive::userTimeoutSeconds);

    out.family("keepwatch_tls_cert_expiry_timestamp_seconds",
               "When the server certificate seen in the last TLS handshake expires.", Type::Gauge);
    each([&](const EndpointSnapshot &, const Entry &entry) {
        if (entry.certExpiry)
            out.sample("keepwatch_tls_cert_expiry_timestamp_seconds", entry.labels, *entry.certExpiry);
    });

    out.family("keepwatch_listen_peers", "Peers connected to a listen endpoint.", Type::Gauge);
    each([&](const EndpointSnapshot &e, const Entry &entry) {
        if (e.kind == EndpointKind::Listen)
            out.sample("keepwatch_listen_peers", entry.labels, std::uint64_t(std::max(0, e.peers)));
    });

    out.family("keepwatch_mqtt_devices", "Devices watched through an MQTT endpoint, by state.", Type::Gauge);
    each([&](const EndpointSnapshot &e, const Entry &entry) {
        if (!e.mqtt)
            return;
        const std::array<std::pair<const char *, int>, 4> counts{{{"awaiting", e.mqtt->devicesAwaiting},
                                                                  {"up", e.mqtt->devicesUp},
                                                                  {"silent", e.mqtt->devicesSilent},
                                                                  {"will", e.mqtt->devicesWill}}};
        for (const auto &[state, n] : counts)
            out.sample("keepwatch_mqtt_devices", withLabel(entry.labels, "state", state),
                       std::uint64_t(std::max(0, n)));
    });

    m_lastRenderSize = out.text().size();
    return out.takeText();
}

} // namespace kw
