#include "eventlog.h"
#include "eventtostring.h"
#include "timelinedata.h"

#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <atomic>

using namespace kw;

namespace {
const qint64 kT0 = 1'780'000'000'000; // a Thursday in 2026, ms since the epoch

QDateTime at(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
}

Event rttAt(qint64 ms, double value, const QString &source = u"heartbeat"_qs)
{
    Event e = Event::rtt(u"db"_qs, value, source);
    e.ts = at(ms);
    return e;
}

Event stateAt(qint64 ms, EndpointState state, const Cause &cause = {}, const QString &detail = {})
{
    Event e = Event::stateChange(u"db"_qs, state, cause, detail);
    e.ts = at(ms);
    return e;
}

TimelineChange change(qint64 ms, EndpointState state, const Cause &cause = {})
{
    return {ms, state, cause, {}, std::nullopt};
}

using Samples = QList<TimelineSample>;
} // namespace

class TestTimelineData : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decimatorKeepsMinAndMaxPerColumn();
    void decimatorBoundsADayOfSamples();
    void eventsFeedTheirSeries();
    void spans_data();
    void spans();
    void markersCarryCauseAndBackoff();
    void markersSkipRepeatsAndFirstConnect();
    void trackMergesLiveWithoutDuplicates();
    void trackMemoryIsBounded();
    void historyLoadsDecimatedFromTheLog();
};

void TestTimelineData::decimatorKeepsMinAndMaxPerColumn()
{
    ColumnDecimator d(0, 1000, 4); // columns of 250 ms
    QCOMPARE(d.columnMs(), 250);
    for (const auto &[ms, v] : std::initializer_list<std::pair<qint64, double>>{
             {10, 5},
             {20, 1},
             {30, 9},
             {40, 3},  // column 0: min 1 at 20, max 9 at 30
             {300, 7}, // column 1: one sample, one point
             {800, 4},
             {900, 2},
             {950, 4}, // column 3: max 4 first at 800, min 2 at 900
             {1000, 100},
             {-1, 100}}) // outside [0, 1000): ignored
        d.add(ms, v);
    QCOMPARE(d.added(), 8);
    const Samples expected{{20, 1}, {30, 9}, {300, 7}, {800, 4}, {900, 2}};
    QCOMPARE(d.points(), expected);

    // The max before the min stays in time order.
    ColumnDecimator late(0, 100, 1);
    late.add(10, 8);
    late.add(50, 0.5);
    late.add(90, 3);
    QCOMPARE(late.points(), Samples({{10, 8}, {50, 0.5}}));
}

void TestTimelineData::decimatorBoundsADayOfSamples()
{
    // 24 h of 1 Hz samples onto 800 pixel columns: at most two points per column, and the one
    // spike of the day survives with its exact value and time.
    const qint64 day = 24 * 3600 * 1000;
    ColumnDecimator d(kT0, kT0 + day, 800);
    for (qint64 s = 0; s < day / 1000; ++s)
        d.add(kT0 + s * 1000, s == 50'000 ? 250.0 : 1.0 + double(s % 7) / 10);
    const Samples points = d.points();
    QVERIFY(points.size() <= 1600);
    QCOMPARE(points.size(), 1600);
    const auto max =
        std::max_element(points.cbegin(), points.cend(),
                         [](const TimelineSample &a, const TimelineSample &b) { return a.value < b.value; });
    QCOMPARE(max->value, 250.0);
    QCOMPARE(max->ms, kT0 + 50'000'000);
    const auto min =
        std::min_element(points.cbegin(), points.cend(),
                         [](const TimelineSample &a, const TimelineSample &b) { return a.value < b.value; });
    QCOMPARE(min->value, 1.0);
    QVERIFY(std::is_sorted(points.cbegin(), points.cend(),
                           [](const TimelineSample &a, const TimelineSample &b) { return a.ms < b.ms; }));
}

void TestTimelineData::eventsFeedTheirSeries()
{
    const auto seriesWith = [](const Event &e) {
        QList<TimelineSeries> out;
        const EventSamples s = samplesOf(e);
        for (int i = 0; i < kTimelineSeriesCount; ++i) {
            if (s.values[size_t(i)])
                out.append(TimelineSeries(i));
        }
        return out;
    };
    QCOMPARE(seriesWith(rttAt(0, 1, u"connect"_qs)), QList<TimelineSeries>{TimelineSeries::Connect});
    QCOMPARE(seriesWith(rttAt(0, 1, u"heartbeat"_qs)), QList<TimelineSeries>{TimelineSeries::Heartbeat});
    QCOMPARE(seriesWith(rttAt(0, 1, u"ws-ping"_qs)), QList<TimelineSeries>{TimelineSeries::WsPing});
    QCOMPARE(seriesWith(rttAt(0, 1, u"mqtt-ping"_qs)), QList<TimelineSeries>{TimelineSeries::MqttPing});
    QCOMPARE(seriesWith(rttAt(0, 1, u"quic-ping"_qs)), QList<TimelineSeries>{TimelineSeries::OtherRtt});

    // A TCP_INFO read as OutboundSession::pollTcpInfo() builds it.
    Event info;
    info.ts = at(0);
    info.endpoint = u"db"_qs;
    info.kind = EventKind::TcpInfo;
    info.rttMs = 0.8;
    info.source = u"tcpinfo"_qs;
    info.data = {{u"probes"_qs, 2.0}, {u"retransmits"_qs, 0.0}, {u"unacked"_qs, 1.0}};
    const EventSamples s = samplesOf(info);
    QCOMPARE(s.values[size_t(TimelineSeries::TcpInfoRtt)], std::optional<double>(0.8));
    QCOMPARE(s.values[size_t(TimelineSeries::Probes)], std::optional<double>(2.0));
    QCOMPARE(s.values[size_t(TimelineSeries::Retransmits)], std::optional<double>(0.0));

    QVERIFY(!samplesOf(stateAt(0, EndpointState::Up)).any());
    QVERIFY(!samplesOf(Event::info(u"db"_qs, u"hello"_qs)).any());

    // The backoff delay of a Waiting change, as RetryingSession::scheduleRetry() reports it.
    Event waiting = stateAt(5, EndpointState::Waiting, CauseCode::Refused, u"next attempt in 2 s"_qs);
    waiting.data = {{u"next_attempt_ms"_qs, 2000.0}};
    QCOMPARE(changeOf(waiting)->nextAttemptMs, std::optional<qint64>(2000));
    QVERIFY(!changeOf(rttAt(0, 1)));
}

void TestTimelineData::spans_data()
{
    QTest::addColumn<std::optional<TimelineChange>>("opening");
    QTest::addColumn<QList<TimelineChange>>("changes");
    QTest::addColumn<QList<TimelineSpan>>("expected");

    using S = EndpointState;
    QTest::newRow("nothing known") << std::optional<TimelineChange>() << QList<TimelineChange>()
                                   << QList<TimelineSpan>();
    QTest::newRow("opening state fills the range")
        << std::optional(change(-5000, S::Up)) << QList<TimelineChange>()
        << QList<TimelineSpan>{{0, 1000, S::Up}};
    QTest::newRow("an outage") << std::optional(change(-5000, S::Up))
                               << QList<TimelineChange>{change(300, S::Down), change(301, S::Waiting),
                                                        change(310, S::Connecting), change(311, S::Up),
                                                        change(600, S::Up) /* repeated: merges */}
                               << QList<TimelineSpan>{{0, 300, S::Up},
                                                      {300, 301, S::Down},
                                                      {301, 310, S::Waiting},
                                                      {310, 311, S::Connecting},
                                                      {311, 1000, S::Up}};
    QTest::newRow("no opening: starts at the first change")
        << std::optional<TimelineChange>() << QList<TimelineChange>{change(200, S::Disabled)}
        << QList<TimelineSpan>{{200, 1000, S::Disabled}};
}

void TestTimelineData::spans()
{
    QFETCH(std::optional<TimelineChange>, opening);
    QFETCH(QList<TimelineChange>, changes);
    QFETCH(QList<TimelineSpan>, expected);
    QCOMPARE(buildSpans(opening, changes, 0, 1000), expected);
}

void TestTimelineData::markersCarryCauseAndBackoff()
{
    QList<TimelineChange> changes{change(100, EndpointState::Up),
                                  change(500, EndpointState::Down, CauseCode::KeepaliveTimeout),
                                  change(501, EndpointState::Waiting),
                                  change(3000, EndpointState::Connecting),
                                  change(3010, EndpointState::Down, CauseCode::Refused),
                                  change(3011, EndpointState::Waiting),
                                  change(7000, EndpointState::Connecting),
                                  change(7020, EndpointState::Up)};
    changes[1].detail = u"no ACK to 9 probes"_qs;
    changes[2].nextAttemptMs = 2500;
    changes[2].detail = u"next attempt in 2.5 s"_qs;
    changes[5].nextAttemptMs = 4000;
    const QList<TimelineMarker> markers = buildMarkers(std::nullopt, changes, 0, 10'000);
    QCOMPARE(markers.size(), 3);
    QCOMPARE(markers[0].kind, TimelineMarker::Kind::Drop);
    QCOMPARE(markers[0].ms, 500);
    QCOMPARE(markers[0].cause, Cause(CauseCode::KeepaliveTimeout));
    QCOMPARE(markers[0].detail, u"no ACK to 9 probes"_qs);
    QCOMPARE(markers[0].backoffMs, std::optional<qint64>(2500));
    QCOMPARE(markers[0].backoffDetail, u"next attempt in 2.5 s"_qs);
    QCOMPARE(markers[1].kind, TimelineMarker::Kind::Drop); // the failed attempt
    QCOMPARE(markers[1].cause, Cause(CauseCode::Refused));
    QCOMPARE(markers[1].backoffMs, std::optional<qint64>(4000));
    // The reconnect ends the outage that began with the first drop.
    QCOMPARE(markers[2].kind, TimelineMarker::Kind::Reconnect);
    QCOMPARE(markers[2].ms, 7020);
    QCOMPARE(markers[2].downForMs, std::optional<qint64>(6520));
    QCOMPARE(markers[2].cause, Cause(CauseCode::KeepaliveTimeout));

    // Only the range's markers, but an outage that began before it still ends in a reconnect.
    const QList<TimelineMarker> late =
        buildMarkers(change(3011, EndpointState::Waiting), changes.mid(6), 5000, 10'000);
    QCOMPARE(late.size(), 1);
    QCOMPARE(late[0].kind, TimelineMarker::Kind::Reconnect);
    QCOMPARE(late[0].downForMs, std::optional<qint64>(7020 - 3011));
}

void TestTimelineData::markersSkipRepeatsAndFirstConnect()
{
    const QList<TimelineChange> changes{change(0, EndpointState::Connecting),
                                        change(10, EndpointState::Up),
                                        change(100, EndpointState::Down, CauseCode::Reset),
                                        change(101, EndpointState::Down, CauseCode::Reset), // reported again
                                        change(200, EndpointState::Disabled, CauseCode::Stopped),
                                        change(300, EndpointState::Connecting),
                                        change(310, EndpointState::Up)};
    const QList<TimelineMarker> markers = buildMarkers(std::nullopt, changes, 0, 1000);
    // The first connect and the start after a stop are not reconnects; the repeat is no new drop.
    QCOMPARE(markers.size(), 1);
    QCOMPARE(markers[0].ms, 100);
}

void TestTimelineData::trackMergesLiveWithoutDuplicates()
{
    TimelineTrack track;
    // Live events arrive before the load completes; some of them the log also has.
    QVERIFY(track.append(rttAt(kT0 + 1000, 1.0)));
    QVERIFY(track.append(rttAt(kT0 + 2000, 2.0)));
    QVERIFY(track.append(stateAt(kT0 + 1500, EndpointState::Down, CauseCode::Reset)));
    QVERIFY(track.append(rttAt(kT0 + 3000, 3.0)));
    QVERIFY(track.append(stateAt(kT0 + 3500, EndpointState::Up)));

    TimelineHistory h;
    h.endpoint = u"db"_qs;
    h.fromMs = kT0;
    h.toMs = kT0 + 2500;
    h.newestMs = kT0 + 2000;
    h.samples[size_t(TimelineSeries::Heartbeat)] = {{kT0 + 1000, 1.0}, {kT0 + 2000, 2.0}};
    h.changes = {change(kT0 + 1500, EndpointState::Down, CauseCode::Reset)};
    track.install(std::move(h));

    QCOMPARE(track.samples(TimelineSeries::Heartbeat, kT0, kT0 + 10'000),
             Samples({{kT0 + 1000, 1.0}, {kT0 + 2000, 2.0}, {kT0 + 3000, 3.0}}));
    QCOMPARE(track.changes().size(), 2);
    QCOMPARE(track.changes().at(0).state, EndpointState::Down);
    QCOMPARE(track.changes().at(1).state, EndpointState::Up);

    // The same events delivered live again (the window's start-up history) change nothing.
    QVERIFY(!track.append(rttAt(kT0 + 2000, 2.0)));
    QVERIFY(!track.append(stateAt(kT0 + 1500, EndpointState::Down, CauseCode::Reset)));
    QCOMPARE(track.sampleCount(), 3);
    QCOMPARE(track.changes().size(), 2);
    QCOMPARE(track.openingAt(kT0 + 2000)->state, EndpointState::Down);
}

void TestTimelineData::trackMemoryIsBounded()
{
    TimelineTrack track;
    for (qint64 i = 0; i < TimelineTrack::kMaxLiveSamples + 500; ++i) {
        Event info;
        info.ts = at(kT0 + i * 1000);
        info.endpoint = u"db"_qs;
        info.kind = EventKind::TcpInfo;
        info.rttMs = 1.0;
        info.data = {{u"probes"_qs, 0.0}, {u"retransmits"_qs, 0.0}};
        track.append(info);
        track.append(rttAt(kT0 + i * 1000 + 1, 1.5));
    }
    for (const auto s : {TimelineSeries::TcpInfoRtt, TimelineSeries::Probes, TimelineSeries::Retransmits,
                         TimelineSeries::Heartbeat})
        QCOMPARE(track.liveCount(s), TimelineTrack::kMaxLiveSamples);
    QVERIFY(track.liveFull());
    // The newest are the ones kept.
    const qint64 last = kT0 + (TimelineTrack::kMaxLiveSamples + 499) * 1000;
    QCOMPARE(track.samples(TimelineSeries::Heartbeat, last, last + 10).size(), 1);
    for (int i = 0; i < TimelineTrack::kMaxChanges + 10; ++i)
        track.append(stateAt(kT0 + i, i % 2 ? EndpointState::Up : EndpointState::Suspect));
    QCOMPARE(track.changes().size(), TimelineTrack::kMaxChanges);

    // Off screen: a tail of the last ten minutes, capped.
    track.trimToTail(last);
    QVERIFY(!track.hasHistory());
    QCOMPARE(track.liveCount(TimelineSeries::Heartbeat), TimelineTrack::kTailSamples);
    QCOMPARE(track.changes().size(), TimelineTrack::kTailChanges);
    QCOMPARE(track.sampleCount(), 4 * TimelineTrack::kTailSamples);
    QVERIFY(!track.overTail());
}

void TestTimelineData::historyLoadsDecimatedFromTheLog()
{
    QTemporaryDir dir;
    QString error;
    const qint64 day = 24 * 3600 * 1000;
    {
        auto log = EventLog::open(dir.path(), &error);
        QVERIFY2(log, qPrintable(error));
        QList<Event> batch{stateAt(kT0 - 60'000, EndpointState::Up)}; // before the range
        for (qint64 i = 0; i < 20'000; ++i)
            batch.append(rttAt(kT0 + i * (day / 20'000), i == 12'345 ? 900.0 : 2.0 + double(i % 5)));
        batch.append(stateAt(kT0 + day / 2, EndpointState::Down, CauseCode::Reset));
        Event other = rttAt(kT0 + 5, 77.0);
        other.endpoint = u"cache"_qs;
        batch.append(other);
        QVERIFY2(log->append(batch, &error), qPrintable(error));
    }
    auto log = EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    std::atomic_bool cancelled{false};
    const TimelineHistory h = TimelineHistory::load(*log, u"db"_qs, kT0, kT0 + day, cancelled, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(h.eventsRead, 20'001);
    QVERIFY(h.decimated);
    const Samples &s = h.samples[size_t(TimelineSeries::Heartbeat)];
    QVERIFY(s.size() <= 2 * TimelineHistory::kColumns);
    QVERIFY(s.size() > TimelineHistory::kColumns); // every column has a min and a max
    QVERIFY(s.contains(TimelineSample{kT0 + 12'345 * (day / 20'000), 900.0}));
    QVERIFY(std::none_of(s.cbegin(), s.cend(), [](const TimelineSample &x) { return x.value == 77.0; }));
    QCOMPARE(h.opening->state, EndpointState::Up);
    QCOMPARE(h.changes.size(), 1);
    QCOMPARE(h.newestMs, kT0 + 19'999 * (day / 20'000));

    cancelled = true;
    const TimelineHistory stopped = TimelineHistory::load(*log, u"db"_qs, kT0, kT0 + day, cancelled, &error);
    QCOMPARE(stopped.eventsRead, 0);
}

QTEST_MAIN(TestTimelineData)
#include "tst_timelinedata.moc"
