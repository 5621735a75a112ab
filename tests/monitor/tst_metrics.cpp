// The /metrics exposition from snapshots and event batches as the engine publishes them: the text
// format's rules (escaping, HELP/TYPE once per family, cumulative buckets), counters that only grow,
// bounded label values, and promtool's lint on a fully populated exposition.

#include "metricsexposition.h"
#include "metricsregistry.h"
#include "metricstext.h"
#include "prerequisite.h"
#include "snapshotbuilder.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace kw;
using namespace kw::test;

namespace {

const QString kLabels = QStringLiteral("endpoint=\"db\",kind=\"tcp\",target=\"db.example:5432\"");

QString series(const char *name, const QString &more = {})
{
    return QString::fromLatin1(name) + u'{' + kLabels + (more.isEmpty() ? QString() : u',' + more) + u'}';
}

Event stateAt(const QString &endpoint, EndpointState state, const Cause &cause = {})
{
    Event e = Event::stateChange(endpoint, state, cause);
    e.ts = kNow;
    return e;
}

Event keepaliveEvent(const QString &endpoint)
{
    Event e;
    e.ts = kNow;
    e.endpoint = endpoint;
    e.kind = EventKind::Keepalive;
    const auto option = [](const char *name, double readBack, const char *unit) {
        QJsonObject o{{u"option"_qs, QString::fromLatin1(name)},
                      {u"status"_qs, u"applied"_qs},
                      {u"read_back"_qs, readBack}};
        if (*unit)
            o.insert(u"unit"_qs, QString::fromLatin1(unit));
        return o;
    };
    e.data =
        QJsonObject{{u"options"_qs, QJsonArray{option("SO_KEEPALIVE", 1, ""), option("TCP_KEEPIDLE", 10, "s"),
                                               option("TCP_KEEPINTVL", 2, "s"), option("TCP_KEEPCNT", 3, ""),
                                               option("TCP_USER_TIMEOUT", 3000, "ms")}},
                    {u"bound_ms"_qs, 16000.0},
                    {u"unacked_bound_ms"_qs, 3000.0}};
    return e;
}

// Every kind of endpoint with every optional part filled in: what promtool must find clean.
MetricsRegistry populated()
{
    MetricsRegistry registry(u"1.2.3"_qs);
    EndpointSnapshot db = endpoint(u"db"_qs);
    db.stats.lastDropCause = u"ws-close:1001"_qs;
    db.stats.lastDropAt = kNow.addSecs(-600);
    EndpointSnapshot listener = endpoint(u"beats"_qs);
    listener.kind = EndpointKind::Listen;
    listener.target = u"listen 127.0.0.1:7000"_qs;
    listener.peers = 4;
    EndpointSnapshot broker = endpoint(u"broker"_qs, EndpointState::Waiting);
    broker.kind = EndpointKind::Mqtt;
    MqttSnapshot mqtt;
    mqtt.devicesUp = 7;
    mqtt.devicesSilent = 1;
    broker.mqtt = std::make_shared<const MqttSnapshot>(mqtt);
    EndpointSnapshot off = endpoint(u"off"_qs, EndpointState::Disabled);
    off.since = QDateTime();
    auto snapshot = std::make_shared<Snapshot>(*snapshotOf({db, listener, broker, off}));
    snapshot->logWriteErrors = 2; // the engine's count of failed appends
    // The engine's own lateness: the timers measured, the sockets not yet (no quantiles then).
    snapshot->timerLateness = LatenessFigures{
        10,  std::chrono::milliseconds(1), std::chrono::milliseconds(3), std::chrono::milliseconds(4), 25,
        0.05};
    registry.addSnapshot(snapshot);

    Event tls = Event::info(u"db"_qs, u"TLS ready"_qs, {{u"not_after"_qs, u"2027-03-01T12:00:00Z"_qs}});
    registry.addEvents(
        {keepaliveEvent(u"db"_qs), tls, Event::rtt(u"db"_qs, 0.4, u"connect"_qs),
         Event::rtt(u"db"_qs, 12.5, u"heartbeat"_qs), Event::rtt(u"broker"_qs, 3, u"mqtt-ping"_qs),
         stateAt(u"db"_qs, EndpointState::Down, CauseCode::Reset), stateAt(u"db"_qs, EndpointState::Waiting),
         stateAt(u"db"_qs, EndpointState::Connecting),
         stateAt(u"db"_qs, EndpointState::Down, CauseCode::Refused), stateAt(u"db"_qs, EndpointState::Up)});
    return registry;
}

} // namespace

class TestMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void labelValuesAreEscaped_data();
    void labelValuesAreEscaped();
    void helpTextIsEscaped();
    void valuesAsTheFormatSpellsThem();
    void everyFamilyHasHelpAndTypeOnceBeforeItsSamples();
    void stateIsOneSeriesPerStateWithOneSet();
    void dropsAndReconnectsCountByCauseAndOnlyGrow();
    void causesCollapseToAClosedSet();
    void histogramBucketsAreCumulative();
    void keepaliveBoundsAndCertificateExpiryInBaseUnits();
    void listenPeersAndMqttDevices();
    void peersAndRemovedEndpointsHaveNoSeries();
    void processMetrics();
    void promtoolFindsNoProblems();
    void engineLatenessIsASummaryPerSource();
};

void TestMetrics::labelValuesAreEscaped_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QByteArray>("written");
    QTest::newRow("plain") << u"db"_qs << QByteArray("x=\"db\"");
    QTest::newRow("backslash") << u"c:\\share"_qs << QByteArray("x=\"c:\\\\share\"");
    QTest::newRow("quote") << u"say \"hi\""_qs << QByteArray("x=\"say \\\"hi\\\"\"");
    QTest::newRow("newline") << u"a\nb"_qs << QByteArray("x=\"a\\nb\"");
    QTest::newRow("utf-8") << u"zürich"_qs << QByteArray("x=\"z\xc3\xbcrich\"");
}

void TestMetrics::labelValuesAreEscaped()
{
    QFETCH(QString, value);
    QFETCH(QByteArray, written);
    QByteArray labels;
    MetricsExposition::appendLabel(labels, "x", value);
    QCOMPARE(labels, written);

    // And in a real exposition: the endpoint's name as a label, one line per sample.
    MetricsRegistry registry(u"1"_qs);
    registry.addSnapshot(snapshotOf({endpoint(value)}));
    const QByteArray text = registry.render(kNow);
    QVERIFY(text.contains(QByteArray("keepwatch_up{endpoint" + written.mid(1) + ",")));
    for (const QByteArray &line : text.split('\n'))
        QVERIFY2(line.isEmpty() || line.startsWith('#') || line.startsWith("keepwatch_"), line.constData());
}

void TestMetrics::helpTextIsEscaped()
{
    MetricsExposition out;
    out.family("x", "a \\ b\nc \"d\"", MetricsExposition::Type::Gauge);
    QCOMPARE(out.text(), QByteArray("# HELP x a \\\\ b\\nc \"d\"\n# TYPE x gauge\n"));
}

void TestMetrics::valuesAsTheFormatSpellsThem()
{
    MetricsExposition out;
    out.sample("a", {}, qInf());
    out.sample("b", "x=\"1\"", -qInf());
    out.sample("c", {}, qQNaN());
    out.sample("d", "x=\"1\"", "y=\"2\"", 0.00025);
    out.sample("e", {}, std::uint64_t(18446744073709551615ULL));
    out.sample("f", {}, 1e21);
    QCOMPARE(out.text(), QByteArray("a +Inf\nb{x=\"1\"} -Inf\nc NaN\nd{x=\"1\",y=\"2\"} 0.00025\n"
                                    "e 18446744073709551615\nf 1e+21\n"));
}

void TestMetrics::everyFamilyHasHelpAndTypeOnceBeforeItsSamples()
{
    const QByteArray text = populated().render(kNow);
    const MetricsText m = MetricsText::parse(text);
    QCOMPARE(QSet<QString>(m.helpNames.begin(), m.helpNames.end()).size(), m.helpNames.size());
    QCOMPARE(m.typeNames, m.helpNames);
    QCOMPARE(m.helpNames.size(), 25); // every family, even those without samples here
    // Each sample's family was announced, and a family's samples are contiguous.
    QString current;
    QSet<QString> finished;
    for (const QString &s : m.sampleOrder) {
        const QString family = familyOf(s, m.types);
        QVERIFY2(m.types.contains(family), qPrintable(s));
        QVERIFY2(family.startsWith(u"keepwatch_"), qPrintable(s));
        if (family != current) {
            QVERIFY2(!finished.contains(family), qPrintable(u"family split: "_qs + family));
            if (!current.isEmpty())
                finished.insert(current);
            current = family;
        }
    }
    // No unit but the base ones.
    for (const QString &name : m.helpNames)
        QVERIFY2(!name.contains(u"_ms") && !name.contains(u"milli"), qPrintable(name));
}

void TestMetrics::stateIsOneSeriesPerStateWithOneSet()
{
    MetricsRegistry registry(u"1"_qs);
    registry.addSnapshot(snapshotOf({endpoint(u"db"_qs, EndpointState::Suspect)}));
    const MetricsText m = MetricsText::parse(registry.render(kNow));
    const QStringList states = m.seriesStartingWith(u"keepwatch_state{"_qs);
    QCOMPARE(states.size(), 6);
    double sum = 0;
    for (const QString &s : states)
        sum += m.samples.value(s);
    QCOMPARE(sum, 1.0);
    QCOMPARE(m.value(series("keepwatch_state", u"state=\"suspect\""_qs)), 1.0);
    QCOMPARE(m.value(series("keepwatch_up")), 1.0); // suspect: still connected
    QCOMPARE(m.value(series("keepwatch_state_seconds")), 180.0);

    registry.addSnapshot(snapshotOf({endpoint(u"db"_qs, EndpointState::Down)}, 2));
    const MetricsText down = MetricsText::parse(registry.render(kNow));
    QCOMPARE(down.value(series("keepwatch_up")), 0.0);
    QCOMPARE(down.value(series("keepwatch_state", u"state=\"down\""_qs)), 1.0);
    QCOMPARE(down.value(series("keepwatch_state", u"state=\"suspect\""_qs)), 0.0);
}

void TestMetrics::dropsAndReconnectsCountByCauseAndOnlyGrow()
{
    MetricsRegistry registry(u"1"_qs);
    registry.addSnapshot(snapshotOf({endpoint(u"db"_qs, EndpointState::Connecting)}));
    registry.addEvents({stateAt(u"db"_qs, EndpointState::Down, CauseCode::Refused)}); // never up: a failure
    const auto read = [&](const char *name, const char *cause) {
        return MetricsText::parse(registry.render(kNow))
            .value(series(name, u"cause=\""_qs + QString::fromLatin1(cause) + u'"'))
            .value_or(-1);
    };
    QCOMPARE(read("keepwatch_connect_failures_total", "refused"), 1.0);
    QCOMPARE(read("keepwatch_drops_total", "refused"), -1.0);

    double lastDrops = 0;
    for (int round = 1; round <= 3; ++round) {
        registry.addEvents({stateAt(u"db"_qs, EndpointState::Up)});
        QCOMPARE(read("keepwatch_reconnects_total", "reset"), round == 1 ? -1.0 : double(round - 1));
        registry.addEvents({stateAt(u"db"_qs, EndpointState::Suspect),
                            stateAt(u"db"_qs, EndpointState::Down, CauseCode::Reset),
                            stateAt(u"db"_qs, EndpointState::Waiting),
                            stateAt(u"db"_qs, EndpointState::Connecting),
                            stateAt(u"db"_qs, EndpointState::Down, CauseCode::Refused)});
        const double drops = read("keepwatch_drops_total", "reset");
        QCOMPARE(drops, double(round));
        QVERIFY(drops > lastDrops);
        lastDrops = drops;
        // The failed retry while down is a connect failure, not a second drop.
        QCOMPARE(read("keepwatch_connect_failures_total", "refused"), double(round + 1));
        // A new snapshot does not reset what the events counted.
        registry.addSnapshot(snapshotOf({endpoint(u"db"_qs, EndpointState::Waiting)}, quint64(round + 1)));
        QCOMPARE(read("keepwatch_drops_total", "reset"), double(round));
    }
    registry.addEvents({stateAt(u"db"_qs, EndpointState::Up)});
    // The recovery is credited to the cause of the drop, not to the failed retries after it.
    QCOMPARE(read("keepwatch_reconnects_total", "reset"), 3.0);
    QCOMPARE(read("keepwatch_reconnects_total", "refused"), -1.0);

    // A user stop ends the story: starting again is not a reconnect.
    registry.addEvents({stateAt(u"db"_qs, EndpointState::Down, CauseCode::Reset),
                        stateAt(u"db"_qs, EndpointState::Disabled, CauseCode::Stopped),
                        stateAt(u"db"_qs, EndpointState::Connecting), stateAt(u"db"_qs, EndpointState::Up)});
    QCOMPARE(read("keepwatch_reconnects_total", "reset"), 3.0);
    QCOMPARE(read("keepwatch_drops_total", "reset"), 4.0);
}

void TestMetrics::causesCollapseToAClosedSet()
{
    QCOMPARE(MetricsRegistry::causeLabel(u"reset"_qs), QByteArray("reset"));
    QCOMPARE(MetricsRegistry::causeLabel(u"ws-close:1001"_qs), QByteArray("ws-close"));
    QCOMPARE(MetricsRegistry::causeLabel(u"mqtt-refused:bad-credentials"_qs), QByteArray("mqtt-refused"));
    QCOMPARE(MetricsRegistry::causeLabel(u"quic-idle"_qs), QByteArray("other"));
    QCOMPARE(MetricsRegistry::causeLabel(QString()), QByteArray("none"));

    MetricsRegistry registry(u"1"_qs);
    EndpointSnapshot e = endpoint(u"db"_qs);
    e.stats.lastDropCause = u"ws-close:4000"_qs;
    registry.addSnapshot(snapshotOf({e}));
    // Close codes are numbers up to 4999: each a series of its own would be unbounded.
    for (int code = 4000; code < 4050; ++code)
        registry.addEvents(
            {stateAt(u"db"_qs, EndpointState::Up),
             stateAt(u"db"_qs, EndpointState::Down, Cause(CauseCode::WsClose, std::to_string(code)))});
    const MetricsText m = MetricsText::parse(registry.render(kNow));
    QCOMPARE(m.seriesStartingWith(u"keepwatch_drops_total{"_qs),
             QStringList{series("keepwatch_drops_total", u"cause=\"ws-close\""_qs)});
    QCOMPARE(m.value(series("keepwatch_drops_total", u"cause=\"ws-close\""_qs)), 50.0);
    QCOMPARE(m.value(series("keepwatch_last_drop_info", u"cause=\"ws-close\""_qs)), 1.0);
}

void TestMetrics::histogramBucketsAreCumulative()
{
    MetricsRegistry registry(u"1"_qs);
    registry.addSnapshot(snapshotOf({endpoint(u"db"_qs)}));
    // 0.05 ms, exactly 0.1 ms (le is inclusive), 0.3 ms, 3 ms, 20 s (beyond the last bucket); and one
    // sample of a source this version does not know.
    registry.addEvents(
        {Event::rtt(u"db"_qs, 0.05, u"heartbeat"_qs), Event::rtt(u"db"_qs, 0.1, u"heartbeat"_qs),
         Event::rtt(u"db"_qs, 0.3, u"heartbeat"_qs), Event::rtt(u"db"_qs, 3, u"heartbeat"_qs),
         Event::rtt(u"db"_qs, 20000, u"heartbeat"_qs), Event::rtt(u"db"_qs, 1, u"quic-ping"_qs)});
    const MetricsText m = MetricsText::parse(registry.render(kNow));
    const QStringList buckets =
        m.seriesStartingWith(u"keepwatch_rtt_seconds_bucket{"_qs + kLabels + u",source=\"heartbeat\""_qs);
    QCOMPARE(buckets.size(), int(MetricsRegistry::kRttBucketsSeconds.size()) + 1);
    double previous = 0;
    for (const QString &b : buckets) {
        QVERIFY2(m.samples.value(b) >= previous, qPrintable(b));
        previous = m.samples.value(b);
    }
    QVERIFY(buckets.last().endsWith(u"le=\"+Inf\"}"));
    const auto bucket = [&](const char *le) {
        return m.value(series("keepwatch_rtt_seconds_bucket",
                              u"source=\"heartbeat\",le=\""_qs + QString::fromLatin1(le) + u'"'));
    };
    QCOMPARE(bucket("0.0001"), 2.0);
    QCOMPARE(bucket("0.0005"), 3.0);
    QCOMPARE(bucket("0.005"), 4.0);
    QCOMPARE(bucket("10"), 4.0);
    QCOMPARE(bucket("+Inf"), 5.0);
    QCOMPARE(m.value(series("keepwatch_rtt_seconds_count", u"source=\"heartbeat\""_qs)), 5.0);
    QVERIFY(qAbs(*m.value(series("keepwatch_rtt_seconds_sum", u"source=\"heartbeat\""_qs)) - 20.00345) <
            1e-9);
    QCOMPARE(m.value(series("keepwatch_rtt_seconds_count", u"source=\"other\""_qs)), 1.0);
    QVERIFY(m.seriesStartingWith(u"keepwatch_rtt_seconds_count{"_qs + kLabels + u",source=\"connect\""_qs)
                .isEmpty());
}

void TestMetrics::keepaliveBoundsAndCertificateExpiryInBaseUnits()
{
    const MetricsText m = MetricsText::parse(populated().render(kNow));
    QCOMPARE(m.value(series("keepwatch_keepalive_enabled")), 1.0);
    QCOMPARE(m.value(series("keepwatch_keepalive_idle_seconds")), 10.0);
    QCOMPARE(m.value(series("keepwatch_keepalive_interval_seconds")), 2.0);
    QCOMPARE(m.value(series("keepwatch_keepalive_probes")), 3.0);
    QCOMPARE(m.value(series("keepwatch_tcp_user_timeout_seconds")), 3.0);
    QCOMPARE(m.value(series("keepwatch_detection_bound_seconds")), 16.0);
    QCOMPARE(m.value(series("keepwatch_unacked_data_bound_seconds")), 3.0);
    QCOMPARE(m.value(series("keepwatch_tls_cert_expiry_timestamp_seconds")),
             double(QDateTime(QDate(2027, 3, 1), QTime(12, 0), Qt::UTC).toSecsSinceEpoch()));
    QCOMPARE(m.value(series("keepwatch_last_drop_timestamp_seconds")), double(kNow.toSecsSinceEpoch() - 600));
}

void TestMetrics::listenPeersAndMqttDevices()
{
    const MetricsText m = MetricsText::parse(populated().render(kNow));
    QCOMPARE(
        m.value(
            u"keepwatch_listen_peers{endpoint=\"beats\",kind=\"listen\",target=\"listen 127.0.0.1:7000\"}"_qs),
        4.0);
    QCOMPARE(m.seriesStartingWith(u"keepwatch_listen_peers{"_qs).size(), 1);
    const QString broker =
        u"keepwatch_mqtt_devices{endpoint=\"broker\",kind=\"mqtt\",target=\"broker.example:5432\""_qs;
    QCOMPARE(m.value(broker + u",state=\"up\"}"), 7.0);
    QCOMPARE(m.value(broker + u",state=\"silent\"}"), 1.0);
    QCOMPARE(m.value(broker + u",state=\"will\"}"), 0.0);
    QCOMPARE(m.seriesStartingWith(u"keepwatch_mqtt_devices{"_qs).size(), 4);
}

void TestMetrics::peersAndRemovedEndpointsHaveNoSeries()
{
    MetricsRegistry registry(u"1"_qs);
    EndpointSnapshot listener = endpoint(u"beats"_qs);
    listener.kind = EndpointKind::Listen;
    registry.addSnapshot(snapshotOf({listener, endpoint(u"db"_qs)}));
    // A listener's peers report under "beats/<peer>": hundreds of them must not become series.
    for (int i = 0; i < 100; ++i)
        registry.addEvents(
            {stateAt(u"beats/10.0.0.%1:5000"_qs.arg(i), EndpointState::Down, CauseCode::HeartbeatTimeout)});
    QByteArray text = registry.render(kNow);
    QVERIFY(!text.contains("beats/"));
    QVERIFY(text.contains("keepwatch_events_total{kind=\"state\"} 100\n"));

    registry.addEvents({stateAt(u"db"_qs, EndpointState::Down, CauseCode::Reset)});
    registry.addSnapshot(snapshotOf({listener}, 2));
    text = registry.render(kNow);
    QVERIFY(!text.contains("endpoint=\"db\""));
    QVERIFY(text.contains("endpoint=\"beats\""));
}

void TestMetrics::processMetrics()
{
    const MetricsText m = MetricsText::parse(populated().render(kNow));
    QCOMPARE(m.value(u"keepwatch_build_info{version=\"1.2.3\"}"_qs), 1.0);
    QCOMPARE(m.value(u"keepwatch_endpoints{state=\"up\"}"_qs), 2.0);
    QCOMPARE(m.value(u"keepwatch_endpoints{state=\"waiting\"}"_qs), 1.0);
    QCOMPARE(m.value(u"keepwatch_endpoints{state=\"disabled\"}"_qs), 1.0);
    QCOMPARE(m.value(u"keepwatch_events_total{kind=\"state\"}"_qs), 5.0);
    QCOMPARE(m.value(u"keepwatch_events_total{kind=\"rtt\"}"_qs), 3.0);
    QCOMPARE(m.value(u"keepwatch_event_log_write_errors_total"_qs), 2.0);
    // The disabled endpoint that never had a state time: no seconds in state rather than a made-up one.
    QVERIFY(m.seriesStartingWith(u"keepwatch_state_seconds{endpoint=\"off\""_qs).isEmpty());
    QCOMPARE(m.seriesStartingWith(u"keepwatch_up{"_qs).size(), 4);
}

void TestMetrics::promtoolFindsNoProblems()
{
    if (promtoolPath().isEmpty())
        KW_SKIP_OR_FAIL_UNDER_CI("promtool is not installed (Debian package prometheus)");
    int exitCode = -1;
    const std::optional<QString> problems = promtoolCheckMetrics(populated().render(kNow), &exitCode);
    QVERIFY2(problems, "promtool did not run");
    QVERIFY2(problems->trimmed().isEmpty(), qPrintable(*problems));
    QCOMPARE(exitCode, 0);

    // The check is real: a counter without _total is a lint problem.
    const std::optional<QString> bad =
        promtoolCheckMetrics("# HELP keepwatch_x x\n# TYPE keepwatch_x counter\nkeepwatch_x 1\n", &exitCode);
    QVERIFY(bad);
    QVERIFY2(bad->contains(u"_total"), qPrintable(*bad));
}

void TestMetrics::engineLatenessIsASummaryPerSource()
{
    const QByteArray text = populated().render(kNow);
    QVERIFY(text.contains("# TYPE keepwatch_engine_lateness_seconds summary\n"));
    const MetricsText m = MetricsText::parse(text);
    const QString timers = u"keepwatch_engine_lateness_seconds{source=\"timers\",quantile=\""_qs;
    QCOMPARE(m.value(timers + u"0.5\"}"), 0.001);
    QCOMPARE(m.value(timers + u"0.99\"}"), 0.003);
    QCOMPARE(m.value(timers + u"1\"}"), 0.004);
    QCOMPARE(m.value(u"keepwatch_engine_lateness_seconds_count{source=\"timers\"}"_qs), 25.0);
    QCOMPARE(m.value(u"keepwatch_engine_lateness_seconds_sum{source=\"timers\"}"_qs), 0.05);
    // Nothing measured in the window: the quantiles are NaN, the running totals zero.
    QVERIFY(text.contains("keepwatch_engine_lateness_seconds{source=\"sockets\",quantile=\"0.99\"} NaN\n"));
    QCOMPARE(m.value(u"keepwatch_engine_lateness_seconds_count{source=\"sockets\"}"_qs), 0.0);
    QCOMPARE(m.seriesStartingWith(u"keepwatch_engine_lateness_seconds{"_qs).size(), 6);
}

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
