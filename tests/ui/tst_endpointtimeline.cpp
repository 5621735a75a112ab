#include "endpointtimeline.h"
#include "eventlog.h"
#include "eventtostring.h"
#include "historyreader.h"
#include "timelinechartview.h"

#include <QChart>
#include <QElapsedTimer>
#include <QImage>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QToolButton>
#include <QWheelEvent>

#include <cmath>
#include <set>

using namespace kw;
using Range = EndpointTimeline::Range;

namespace {
const QDateTime kNow = QDateTime(QDate(2026, 11, 21), QTime(18, 0), QTimeZone::utc());

Event rtt(const QString &endpoint, qint64 secondsAgo, double ms, const QString &source = u"heartbeat"_qs)
{
    Event e = Event::rtt(endpoint, ms, source);
    e.ts = kNow.addSecs(-secondsAgo);
    return e;
}

Event stateAt(const QString &endpoint, qint64 msAgo, EndpointState state, const Cause &cause = {},
              const QString &detail = {})
{
    Event e = Event::stateChange(endpoint, state, cause, detail);
    e.ts = kNow.addMSecs(-msAgo);
    return e;
}

Event waitingAt(const QString &endpoint, qint64 msAgo, qint64 delayMs)
{
    Event e = stateAt(endpoint, msAgo, EndpointState::Waiting, CauseCode::KeepaliveTimeout,
                      u"next attempt in %1 s"_qs.arg(delayMs / 1000));
    e.data = {{u"next_attempt_ms"_qs, double(delayMs)}};
    return e;
}

Event tcpInfo(const QString &endpoint, qint64 secondsAgo, double srtt, double probes, double retransmits)
{
    Event e;
    e.ts = kNow.addSecs(-secondsAgo);
    e.endpoint = endpoint;
    e.kind = EventKind::TcpInfo;
    e.rttMs = srtt;
    e.source = u"tcpinfo"_qs;
    e.data = {{u"probes"_qs, probes}, {u"retransmits"_qs, retransmits}, {u"unacked"_qs, 0.0}};
    return e;
}

std::set<double> valuesOf(const QList<QPointF> &points)
{
    std::set<double> out;
    for (const QPointF &p : points)
        out.insert(p.y());
    return out;
}

// Where a time is drawn, in the chart view's viewport.
QPoint viewportPointAt(const EndpointTimeline &t, const QDateTime &when, double yFraction)
{
    const QRectF plot = t.view()->chart()->mapRectToScene(t.view()->chart()->plotArea());
    const double span = double(t.viewFrom().msecsTo(t.viewTo()));
    const double x = plot.left() + double(t.viewFrom().msecsTo(when)) / span * plot.width();
    return t.view()->mapFromScene(QPointF(x, plot.top() + yFraction * plot.height()));
}
} // namespace

class TestEndpointTimeline : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void historyForEachRange_data();
    void historyForEachRange();
    void dayOfSamplesDecimatesAndZoomReadsFiner();
    void liveDropAddsMarkerWithCause();
    void rttSplitBySource();
    void breaksTheLine_data();
    void breaksTheLine();
    void stateBandFallsBackToSnapshot();
    void followPauseZoomAndPan();
    void memoryIsBounded();
    void exportsPng();
    void rendersAnIncident_data();
    void rendersAnIncident();
    void plotWidthSwingEndsAfterOneRefit();

private:
    QTemporaryDir m_dir;
};

void TestEndpointTimeline::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    auto log = EventLog::open(m_dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    QList<Event> batch{stateAt(u"db"_qs, qint64(8) * 24 * 3600 * 1000, EndpointState::Up)};
    // One sample of a different value at each distance, so what a range shows is known exactly.
    batch << rtt(u"db"_qs, 3 * 24 * 3600, 4.0) << rtt(u"db"_qs, 12 * 3600, 3.0) << rtt(u"db"_qs, 30 * 60, 2.0)
          << rtt(u"db"_qs, 2 * 60, 1.0) << rtt(u"db"_qs, 60, 1.5);
    // An outage 40 minutes ago and one 20 hours ago.
    batch << stateAt(u"db"_qs, 40 * 60'000, EndpointState::Down, CauseCode::Reset,
                     u"connection reset by peer"_qs)
          << waitingAt(u"db"_qs, 40 * 60'000 - 1, 2000)
          << stateAt(u"db"_qs, 40 * 60'000 - 2500, EndpointState::Connecting)
          << stateAt(u"db"_qs, 40 * 60'000 - 2600, EndpointState::Up);
    batch << stateAt(u"db"_qs, qint64(20) * 3600'000, EndpointState::Down, CauseCode::Refused)
          << stateAt(u"db"_qs, qint64(20) * 3600'000 - 5000, EndpointState::Up);
    batch << rtt(u"other"_qs, 60, 99.0);
    std::sort(batch.begin(), batch.end(), [](const Event &a, const Event &b) { return a.ts < b.ts; });
    QVERIFY2(log->append(batch, &error), qPrintable(error));
}

void TestEndpointTimeline::historyForEachRange_data()
{
    QTest::addColumn<Range>("range");
    QTest::addColumn<QList<double>>("rtts");
    QTest::addColumn<int>("drops");
    QTest::addColumn<int>("reconnects");
    QTest::newRow("5 min") << Range::FiveMinutes << QList<double>{1.0, 1.5} << 0 << 0;
    QTest::newRow("1 h") << Range::OneHour << QList<double>{1.0, 1.5, 2.0} << 1 << 1;
    QTest::newRow("24 h") << Range::OneDay << QList<double>{1.0, 1.5, 2.0, 3.0} << 2 << 2;
    QTest::newRow("7 d") << Range::SevenDays << QList<double>{1.0, 1.5, 2.0, 3.0, 4.0} << 2 << 2;
}

void TestEndpointTimeline::historyForEachRange()
{
    QFETCH(Range, range);
    QFETCH(QList<double>, rtts);
    QFETCH(int, drops);
    QFETCH(int, reconnects);

    HistoryReader reader(m_dir.path());
    // Twice, as a restarted window would: both read the same history from the log.
    QList<QList<QPointF>> seen;
    for (int run = 0; run < 2; ++run) {
        EndpointTimeline timeline;
        timeline.resize(900, 420);
        timeline.show();
        timeline.setClock([] { return kNow; });
        timeline.setHistoryReader(&reader);
        timeline.setRange(range);
        QSignalSpy loaded(&timeline, &EndpointTimeline::historyLoaded);
        timeline.setEndpoint(u"db"_qs);
        QVERIFY(timeline.isLoading());
        QTRY_COMPARE(loaded.count(), 1);
        QVERIFY(!timeline.isLoading());
        QCOMPARE(loaded.first().first().toString(), u"db"_qs);

        const QList<QPointF> points = timeline.seriesPoints(TimelineSeries::Heartbeat);
        QCOMPARE(valuesOf(points), std::set<double>(rtts.cbegin(), rtts.cend()));
        for (const QPointF &p : points)
            QVERIFY(p.x() >= double(timeline.viewFrom().toMSecsSinceEpoch()) &&
                    p.x() <= double(kNow.toMSecsSinceEpoch()));
        const QList<TimelineMarker> markers = timeline.markers();
        QCOMPARE(std::count_if(markers.cbegin(), markers.cend(),
                               [](const TimelineMarker &m) { return m.kind == TimelineMarker::Kind::Drop; }),
                 drops);
        QCOMPARE(qsizetype(markers.size()), qsizetype(drops + reconnects));
        // The band is known from the first pixel: the log's last change before the range opens it.
        const QList<TimelineSpan> spans = timeline.spans();
        QVERIFY(!spans.isEmpty());
        QCOMPARE(spans.first().fromMs, timeline.viewFrom().toMSecsSinceEpoch());
        QCOMPARE(spans.last().toMs, kNow.toMSecsSinceEpoch());
        QCOMPARE(spans.last().state, EndpointState::Up);
        seen.append(points);
    }
    QCOMPARE(seen.at(0), seen.at(1));
}

void TestEndpointTimeline::dayOfSamplesDecimatesAndZoomReadsFiner()
{
    // 24 h of 1 Hz heartbeats in the log, with one spike and one dip to find again.
    QTemporaryDir dir;
    QString error;
    const qint64 spikeAgo = 6 * 3600;
    const qint64 dipAgo = 3 * 3600;
    {
        auto log = EventLog::open(dir.path(), &error);
        QVERIFY2(log, qPrintable(error));
        QList<Event> batch{stateAt(u"busy"_qs, qint64(25) * 3600'000, EndpointState::Up)};
        for (qint64 ago = 24 * 3600; ago > 0; --ago)
            batch << rtt(u"busy"_qs, ago,
                         ago == spikeAgo ? 500.0
                         : ago == dipAgo ? 0.1
                                         : 1.0 + double(ago % 10) / 10);
        QVERIFY2(log->append(batch, &error), qPrintable(error));
    }
    HistoryReader reader(dir.path());
    EndpointTimeline timeline;
    timeline.resize(900, 420);
    timeline.show();
    QVERIFY(QTest::qWaitForWindowExposed(&timeline));
    timeline.setClock([] { return kNow; });
    timeline.setHistoryReader(&reader);
    timeline.setRange(Range::OneDay);
    QSignalSpy loaded(&timeline, &EndpointTimeline::historyLoaded);
    QElapsedTimer clock;
    clock.start();
    timeline.setEndpoint(u"busy"_qs);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30'000);
    qInfo("24 h of 1 Hz samples read, decimated and drawn in %lld ms", clock.elapsed());

    // Decimated to the plot's width once the chart has laid out: at most a min and a max per column.
    const auto columns = [&] { return qsizetype(timeline.view()->chart()->plotArea().width()); };
    QTRY_VERIFY(timeline.seriesPoints(TimelineSeries::Heartbeat).size() <= 2 * columns() + 2);
    QList<QPointF> points = timeline.seriesPoints(TimelineSeries::Heartbeat);
    const qsizetype plotWidth = columns();
    QVERIFY(points.size() > plotWidth); // every column has its min and max
    QVERIFY(valuesOf(points).count(500.0));
    QVERIFY(valuesOf(points).count(0.1));

    // Zoomed in to a quarter of an hour around the spike, the day's columns are too coarse: the
    // window is read again, finer.
    const qint64 spikeMs = kNow.addSecs(-spikeAgo).toMSecsSinceEpoch();
    timeline.zoom(0.01, spikeMs);
    QVERIFY(!timeline.isFollowing());
    const qsizetype coarse = timeline.seriesPoints(TimelineSeries::Heartbeat).size();
    QVERIFY2(coarse < 100, qPrintable(QString::number(coarse)));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, 30'000);
    points = timeline.seriesPoints(TimelineSeries::Heartbeat);
    QVERIFY2(points.size() > 500, qPrintable(QString::number(points.size())));
    QVERIFY(valuesOf(points).count(500.0));

    // Dragged three hours on, past what was read: read again, and the dip is there.
    timeline.pan(3 * 3600'000);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 3, 30'000);
    QVERIFY(valuesOf(timeline.seriesPoints(TimelineSeries::Heartbeat)).count(0.1));
}

void TestEndpointTimeline::liveDropAddsMarkerWithCause()
{
    EndpointTimeline timeline;
    timeline.resize(900, 420);
    timeline.show();
    QVERIFY(QTest::qWaitForWindowExposed(&timeline));
    timeline.setClock([] { return kNow; });
    timeline.setRange(Range::FiveMinutes);
    timeline.setEndpoint(u"db"_qs);
    timeline.appendEvents({stateAt(u"db"_qs, 120'000, EndpointState::Connecting),
                           stateAt(u"db"_qs, 119'000, EndpointState::Up), rtt(u"db"_qs, 100, 1.0)});
    QVERIFY(timeline.markers().isEmpty()); // the first connect is no reconnect

    timeline.appendEvents({stateAt(u"db"_qs, 60'000, EndpointState::Down, CauseCode::KeepaliveTimeout,
                                   u"9 keepalive probes unanswered"_qs),
                           waitingAt(u"db"_qs, 59'999, 4000)});
    QCOMPARE(timeline.markers().size(), 1);
    const TimelineMarker drop = timeline.markers().first();
    QCOMPARE(drop.kind, TimelineMarker::Kind::Drop);
    QCOMPARE(drop.ms, kNow.addSecs(-60).toMSecsSinceEpoch());
    const QString tip = timeline.markerToolTip(0);
    QVERIFY2(tip.contains(u"keepalive-timeout"), qPrintable(tip));
    QVERIFY2(tip.contains(u"9 keepalive probes unanswered"), qPrintable(tip));
    QVERIFY2(tip.contains(u"4.0 s") || tip.contains(u"4 s"), qPrintable(tip));

    // Hovering the marker shows that text; hovering the band away from it, the state there.
    QApplication::processEvents();
    QCOMPARE(timeline.view()->toolTipAt(viewportPointAt(timeline, kNow.addSecs(-60), 0.5)), tip);
    const QString away = timeline.view()->toolTipAt(viewportPointAt(timeline, kNow.addSecs(-90), 0.5));
    QVERIFY2(away.isEmpty(), qPrintable(away));
    // Hovering a drawn sample names its series and value.
    const QPointF sample = timeline.seriesPoints(TimelineSeries::Heartbeat).first();
    const QPoint onSample = timeline.view()->mapFromScene(
        timeline.view()->chart()->mapToScene(timeline.view()->chart()->mapToPosition(
            sample, timeline.view()->chart()->series().at(int(TimelineSeries::Heartbeat)))));
    const QString sampleTip = timeline.view()->toolTipAt(onSample);
    QVERIFY2(sampleTip.contains(u"Heartbeat") && sampleTip.contains(u"1 ms"), qPrintable(sampleTip));

    timeline.appendEvents(
        {stateAt(u"db"_qs, 55'000, EndpointState::Connecting), stateAt(u"db"_qs, 54'000, EndpointState::Up)});
    QCOMPARE(timeline.markers().size(), 2);
    QCOMPARE(timeline.markers().at(1).kind, TimelineMarker::Kind::Reconnect);
    QVERIFY(timeline.markerToolTip(1).contains(u"Down for 6.0 s") ||
            timeline.markerToolTip(1).contains(u"Down for 6 s"));
    QVERIFY(timeline.caption().contains(u"1 drop"));

    using S = EndpointState;
    QList<EndpointState> states;
    for (const TimelineSpan &s : timeline.spans())
        states.append(s.state);
    QCOMPARE(states, QList<EndpointState>({S::Connecting, S::Up, S::Down, S::Waiting, S::Connecting, S::Up}));
}

void TestEndpointTimeline::rttSplitBySource()
{
    EndpointTimeline timeline;
    timeline.setClock([] { return kNow; });
    timeline.appendEvents({rtt(u"a"_qs, 100, 12.0, u"connect"_qs), rtt(u"a"_qs, 90, 1.0, u"heartbeat"_qs),
                           rtt(u"a"_qs, 80, 2.0, u"ws-ping"_qs), rtt(u"a"_qs, 70, 3.0, u"mqtt-ping"_qs),
                           tcpInfo(u"a"_qs, 60, 0.5, 2, 1), rtt(u"b"_qs, 50, 7.0)});
    QVERIFY(timeline.seriesPoints(TimelineSeries::Heartbeat).isEmpty()); // nothing selected
    QVERIFY(timeline.caption().contains(u"Select"));

    timeline.setEndpoint(u"a"_qs);
    const auto only = [&](TimelineSeries s) { return valuesOf(timeline.seriesPoints(s)); };
    QCOMPARE(only(TimelineSeries::Connect), std::set<double>{12.0});
    QCOMPARE(only(TimelineSeries::Heartbeat), std::set<double>{1.0});
    QCOMPARE(only(TimelineSeries::WsPing), std::set<double>{2.0});
    QCOMPARE(only(TimelineSeries::MqttPing), std::set<double>{3.0});
    QCOMPARE(only(TimelineSeries::TcpInfoRtt), std::set<double>{0.5});
    QCOMPARE(only(TimelineSeries::Probes), std::set<double>{2.0});
    QCOMPARE(only(TimelineSeries::Retransmits), std::set<double>{1.0});
    QCOMPARE(timeline.seriesPoints(TimelineSeries::Heartbeat).first().x(),
             double(kNow.addSecs(-90).toMSecsSinceEpoch()));
    // The legend names every series drawn, and only those.
    const QString legend = timeline.findChild<QLabel *>(u"timelineLegend"_qs)->text();
    for (const auto *name : {"Connect", "Heartbeat", "WebSocket ping", "MQTT ping", "TCP_INFO srtt",
                             "Keepalive probes", "Retransmits"})
        QVERIFY2(legend.contains(QLatin1StringView(name)), name);
    QVERIFY(!legend.contains(u"Other RTT"));

    // Another endpoint's samples were kept while it was not shown, and appear at once.
    timeline.setEndpoint(u"b"_qs);
    QCOMPARE(only(TimelineSeries::Heartbeat), std::set<double>{7.0});
    QVERIFY(only(TimelineSeries::Connect).empty());
    timeline.appendEvents({rtt(u"b"_qs, 5, 8.0), rtt(u"c"_qs, 5, 1.0)});
    QCOMPARE(only(TimelineSeries::Heartbeat), std::set<double>({7.0, 8.0}));
}

void TestEndpointTimeline::breaksTheLine_data()
{
    QTest::addColumn<QList<Event>>("events");
    QTest::addColumn<int>("segments");

    QList<Event> steady;
    for (int s = 300; s >= 0; s -= 5)
        steady.append(rtt(u"a"_qs, s, 1.0 + (s % 3)));
    QTest::newRow("steady samples: one line") << steady << 1;

    QList<Event> silence;
    for (int s = 300; s >= 0; s -= 5) {
        if (s < 200 || s > 260)
            silence.append(rtt(u"a"_qs, s, 1.0));
    }
    QTest::newRow("a minute of silence") << silence << 2;

    QList<Event> outage = steady;
    outage.insert(10, stateAt(u"a"_qs, 252'000, EndpointState::Down)); // between two samples 5 s apart
    QTest::newRow("down between samples") << outage << 2;
    QTest::newRow("down of another endpoint")
        << (QList<Event>(steady) << stateAt(u"b"_qs, 100'000, EndpointState::Down)) << 1;
}

void TestEndpointTimeline::breaksTheLine()
{
    QFETCH(QList<Event>, events);
    QFETCH(int, segments);
    EndpointTimeline timeline;
    timeline.setClock([] { return kNow; });
    timeline.setRange(Range::FiveMinutes);
    timeline.setEndpoint(u"a"_qs);
    timeline.appendEvents(events);
    QCOMPARE(timeline.segmentCount(TimelineSeries::Heartbeat), segments);
    qsizetype samples = 0;
    for (const Event &e : std::as_const(events))
        samples += e.endpoint == u"a" && e.rttMs ? 1 : 0;
    // Fewer samples than pixel columns: every one is drawn.
    QCOMPARE(timeline.seriesPoints(TimelineSeries::Heartbeat).size(), samples);
}

void TestEndpointTimeline::stateBandFallsBackToSnapshot()
{
    EndpointTimeline timeline;
    timeline.setClock([] { return kNow; });
    timeline.setRange(Range::FiveMinutes);
    timeline.setEndpoint(u"quiet"_qs);
    QVERIFY(timeline.spans().isEmpty());
    // Up for two hours, no change seen: the band is up across the range.
    timeline.setCurrentState(EndpointState::Up, kNow.addSecs(-7200));
    const qint64 now = kNow.toMSecsSinceEpoch();
    QCOMPARE(timeline.spans(), QList<TimelineSpan>({{now - 300'000, now, EndpointState::Up}}));
    timeline.setCurrentState(EndpointState::Disabled, kNow.addSecs(-60));
    QCOMPARE(timeline.spans(), QList<TimelineSpan>({{now - 60'000, now, EndpointState::Disabled}}));
}

void TestEndpointTimeline::followPauseZoomAndPan()
{
    QDateTime now = kNow;
    EndpointTimeline timeline;
    timeline.resize(900, 420);
    timeline.show();
    QVERIFY(QTest::qWaitForWindowExposed(&timeline));
    timeline.setClock([&now] { return now; });
    timeline.setEndpoint(u"db"_qs);
    timeline.findChild<QToolButton *>(u"timelineRange5m"_qs)->click();
    QCOMPARE(timeline.range(), Range::FiveMinutes);
    QVERIFY(timeline.isFollowing());
    QCOMPARE(timeline.viewTo(), now);
    QCOMPARE(timeline.viewFrom(), now.addSecs(-300));

    // Live: the right edge tracks the clock even when nothing arrives.
    now = now.addSecs(30);
    QTRY_COMPARE(timeline.viewTo(), now);

    // The wheel zooms in around the cursor and pauses.
    QSignalSpy following(&timeline, &EndpointTimeline::followingChanged);
    const QDateTime anchor = now.addSecs(-150);
    const QPoint at = viewportPointAt(timeline, anchor, 0.5);
    QWheelEvent wheel(at, timeline.view()->viewport()->mapToGlobal(at), QPoint(), QPoint(0, 120),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(timeline.view()->viewport(), &wheel);
    QVERIFY(!timeline.isFollowing());
    QCOMPARE(following.count(), 1);
    QVERIFY(!timeline.findChild<QToolButton *>(u"timelineLive"_qs)->isChecked());
    const qint64 span = timeline.viewFrom().msecsTo(timeline.viewTo());
    QVERIFY2(span >= 239'000 && span <= 241'000, qPrintable(QString::number(span))); // 80 % of 5 min
    QVERIFY(qAbs(timeline.viewFrom().msecsTo(anchor) - span / 2) < 2000); // the anchor stays centred

    // Paused: time passes and events arrive, the window stays.
    const QDateTime pausedTo = timeline.viewTo();
    now = now.addSecs(60);
    timeline.appendEvents({rtt(u"db"_qs, -90, 1.0)});
    QCOMPARE(timeline.viewTo(), pausedTo);

    // Dragging to the right shows earlier times.
    const QPoint middle = viewportPointAt(timeline, timeline.viewFrom().addMSecs(span / 2), 0.5);
    QTest::mousePress(timeline.view()->viewport(), Qt::LeftButton, {}, middle);
    QTest::mouseMove(timeline.view()->viewport(), middle + QPoint(200, 0));
    QTest::mouseRelease(timeline.view()->viewport(), Qt::LeftButton, {}, middle + QPoint(200, 0));
    QVERIFY(timeline.viewTo() < pausedTo);
    QCOMPARE(timeline.viewFrom().msecsTo(timeline.viewTo()), span);

    // Live resumes at the present with the zoomed span.
    timeline.findChild<QToolButton *>(u"timelineLive"_qs)->click();
    QVERIFY(timeline.isFollowing());
    QCOMPARE(timeline.viewTo(), now);
    QCOMPARE(timeline.viewFrom().msecsTo(timeline.viewTo()), span);
    QCOMPARE(following.count(), 2);

    // A range button shows the whole range again.
    timeline.findChild<QToolButton *>(u"timelineRange24h"_qs)->click();
    QCOMPARE(timeline.viewFrom(), now.addDays(-1));
}

void TestEndpointTimeline::memoryIsBounded()
{
    QDateTime now = kNow;
    EndpointTimeline timeline;
    timeline.setClock([&now] { return now; });
    timeline.setEndpoint(u"shown"_qs);
    QList<Event> batch;
    for (int i = 0; i < int(TimelineTrack::kMaxLiveSamples) + 300; ++i) {
        Event e = Event::rtt(u"shown"_qs, 1.0, u"heartbeat"_qs);
        e.ts = kNow.addMSecs(-qint64(i) * 500);
        batch.append(e);
        for (int other = 0; other < 20; ++other) {
            if (i < 600) {
                Event o = Event::rtt(u"other-%1"_qs.arg(other), 2.0, u"heartbeat"_qs);
                o.ts = kNow.addMSecs(-qint64(i) * 1000);
                batch.append(o);
            }
        }
    }
    timeline.appendEvents(batch);
    QCOMPARE(timeline.keptEndpoints(), 21);
    QCOMPARE(timeline.keptSamples(u"shown"_qs), TimelineTrack::kMaxLiveSamples);
    for (int other = 0; other < 20; ++other)
        QVERIFY(timeline.keptSamples(u"other-%1"_qs.arg(other)) <= 2 * TimelineTrack::kTailSamples);

    // Shown no more: the tail only.
    timeline.setEndpoint(u"other-0"_qs);
    QCOMPARE(timeline.keptSamples(u"shown"_qs), TimelineTrack::kTailSamples);

    // Quiet for longer than the eviction age: gone, except what is on screen.
    now = kNow.addMSecs(EndpointTimeline::kEvictAfterMs + 60'000);
    QTRY_COMPARE(timeline.keptEndpoints(), 1);
    QVERIFY(timeline.keptSamples(u"other-0"_qs) > 0);
}

void TestEndpointTimeline::exportsPng()
{
    EndpointTimeline timeline;
    timeline.resize(1000, 420);
    timeline.show();
    QVERIFY(QTest::qWaitForWindowExposed(&timeline));
    timeline.setClock([] { return kNow; });
    timeline.setEndpoint(u"db"_qs);
    timeline.appendEvents({rtt(u"db"_qs, 100, 1.0), rtt(u"db"_qs, 50, 2.0)});

    QTemporaryDir dir;
    const QString path = dir.filePath(u"timeline.png"_qs);
    QString error;
    QVERIFY2(timeline.exportPng(path, &error), qPrintable(error));
    const QImage image(path);
    QVERIFY(!image.isNull());
    QCOMPARE(image.width(), timeline.width() * int(timeline.devicePixelRatio()));
    // Not blank: the band and the lines put more than the background colour into it.
    std::set<QRgb> colours;
    for (int y = 0; y < image.height(); y += 4) {
        for (int x = 0; x < image.width(); x += 4)
            colours.insert(image.pixel(x, y));
    }
    QVERIFY(colours.size() > 10);

    const QString bad = dir.filePath(u"no-such-dir/timeline.png"_qs);
    QVERIFY(!timeline.exportPng(bad, &error));
    QVERIFY(error.contains(bad));
    QVERIFY(timeline.findChild<QToolButton *>(u"timelineExport"_qs));
}

void TestEndpointTimeline::rendersAnIncident_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

// Ten minutes of an endpoint whose peer vanished: heartbeats and TCP_INFO, keepalive probes going
// unanswered, the drop with its cause, two refused attempts with backoff, the reconnect. The picture
// goes into the build tree (timeline-light.png, timeline-dark.png) for a person to look at.
void TestEndpointTimeline::rendersAnIncident()
{
    QFETCH(bool, dark);
    QPalette palette;
    if (dark) {
        palette.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        palette.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
        palette.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        palette.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
        palette.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
        palette.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
    }
    EndpointTimeline timeline;
    timeline.setPalette(palette);
    timeline.resize(760, 380);
    timeline.show();
    QVERIFY(QTest::qWaitForWindowExposed(&timeline));
    timeline.setClock([] { return kNow; });
    timeline.setRange(Range::FiveMinutes);
    timeline.setEndpoint(u"orders-db"_qs);
    QList<Event> events{stateAt(u"orders-db"_qs, 400'000, EndpointState::Up)};
    for (int s = 300; s >= 0; s -= 2) {
        const bool dead = s <= 170 && s > 112; // the peer is gone
        if (!dead) {
            events << rtt(u"orders-db"_qs, s, 2.0 + 0.8 * std::sin(s / 9.0) + (s % 11 == 0 ? 3.5 : 0));
        }
        if (s % 4 == 0) {
            const double probes = s <= 200 && s > 170 ? std::floor((200 - s) / 6.0) : 0;
            events << tcpInfo(u"orders-db"_qs, s, 1.4 + 0.3 * std::cos(s / 7.0), probes, 0);
        }
    }
    events << stateAt(u"orders-db"_qs, 200'000, EndpointState::Suspect, {}, u"keepalive probes unanswered"_qs)
           << stateAt(u"orders-db"_qs, 170'000, EndpointState::Down, CauseCode::KeepaliveTimeout,
                      u"no answer to 5 keepalive probes (idle 10 s + 5 x 4 s)"_qs)
           << waitingAt(u"orders-db"_qs, 169'990, 1000)
           << stateAt(u"orders-db"_qs, 169'000, EndpointState::Connecting)
           << stateAt(u"orders-db"_qs, 168'000, EndpointState::Down, CauseCode::Refused,
                      u"connection refused"_qs)
           << waitingAt(u"orders-db"_qs, 167'990, 4000)
           << stateAt(u"orders-db"_qs, 164'000, EndpointState::Connecting)
           << stateAt(u"orders-db"_qs, 150'000, EndpointState::Down, CauseCode::ConnectTimeout,
                      u"no SYN-ACK in 10 s"_qs)
           << waitingAt(u"orders-db"_qs, 149'990, 8000)
           << stateAt(u"orders-db"_qs, 142'000, EndpointState::Connecting)
           << stateAt(u"orders-db"_qs, 112'000, EndpointState::Up);
    std::sort(events.begin(), events.end(), [](const Event &a, const Event &b) { return a.ts < b.ts; });
    timeline.appendEvents(events);
    QApplication::processEvents();
    QCOMPARE(timeline.markers().size(), 4); // three drops, one reconnect

    const QString path = QStringLiteral(KW_TEST_OUTPUT_DIR "/timeline-%1.png").arg(dark ? u"dark" : u"light");
    QString error;
    QVERIFY2(timeline.exportPng(path, &error), qPrintable(error));
    QVERIFY(!QImage(path).isNull());
}

QTEST_MAIN(TestEndpointTimeline)
// Axis labels that alternate the plot between two widths (a label one digit wider after each
// refit) must not refresh the chart on every turn of the event loop.
void TestEndpointTimeline::plotWidthSwingEndsAfterOneRefit()
{
    QVERIFY(EndpointTimeline::plotAreaNeedsRefit(640, 0, 0));      // the first layout
    QVERIFY(!EndpointTimeline::plotAreaNeedsRefit(641, 640, 0));   // within a pixel of the fit
    QVERIFY(!EndpointTimeline::plotAreaNeedsRefit(150, 0, 0));     // too narrow to decimate to
    QVERIFY(EndpointTimeline::plotAreaNeedsRefit(612, 640, 0));    // the labels widened
    QVERIFY(!EndpointTimeline::plotAreaNeedsRefit(640, 612, 640)); // and back: the swing ends
    QVERIFY(EndpointTimeline::plotAreaNeedsRefit(900, 612, 640));  // a real change still refits

    // The swing as the chart plays it: widths alternate with each refit's labels.
    int columns = 0;
    int previous = 0;
    int refits = 0;
    int width = 640;
    for (int turn = 0; turn < 100; ++turn) {
        if (!EndpointTimeline::plotAreaNeedsRefit(width, columns, previous))
            break;
        ++refits;
        previous = columns;
        columns = width;
        width = width == 640 ? 612 : 640;
    }
    QCOMPARE(refits, 2);
}

#include "tst_endpointtimeline.moc"
