#include "eventtostring.h"
#include "rttchart.h"
#include "statetimeline.h"

#include <QLabel>
#include <QTest>

using namespace kw;

namespace {
const QDateTime kNow = QDateTime(QDate(2026, 11, 21), QTime(18, 0), Qt::UTC);

Event rtt(const QString &endpoint, qint64 secondsAgo, double ms)
{
    Event e = Event::rtt(endpoint, ms, u"connect"_qs);
    e.ts = kNow.addSecs(-secondsAgo);
    return e;
}

Event stateAt(const QString &endpoint, qint64 secondsAgo, EndpointState state)
{
    Event e = Event::stateChange(endpoint, state, CauseCode::Reset);
    e.ts = kNow.addSecs(-secondsAgo);
    return e;
}

Event down(const QString &endpoint, qint64 secondsAgo)
{
    return stateAt(endpoint, secondsAgo, EndpointState::Down);
}

using Spans = QList<std::tuple<qint64, qint64, EndpointState>>; // seconds ago, from/to
Spans spansOf(const StateTimeline &timeline)
{
    Spans spans;
    for (const StateTimeline::Span &s : timeline.spans())
        spans.append({s.from.secsTo(kNow), s.to.secsTo(kNow), s.state});
    return spans;
}
} // namespace

class TestRttChart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void plotsOnlyTheSelectedEndpoint();
    void keepsTenMinutes();
    void breaksTheLine_data();
    void breaksTheLine();
    void forgetsRemovedEndpoints();
    void stateStripSpans();
    void stateStripFallsBackToSnapshot();
};

void TestRttChart::plotsOnlyTheSelectedEndpoint()
{
    RttChart chart;
    chart.setClock([] { return kNow; });
    Event tcpinfo = rtt(u"a"_qs, 10, 2.5);
    tcpinfo.kind = EventKind::TcpInfo; // periodic TCP_INFO reads carry the kernel's RTT
    chart.appendEvents({rtt(u"a"_qs, 30, 1.5), rtt(u"b"_qs, 20, 7.0), tcpinfo});
    QVERIFY(chart.points().isEmpty()); // nothing selected yet
    QVERIFY(chart.findChild<QLabel *>(u"rttChartEmpty"_qs)->text().contains(u"Select"));

    chart.setEndpoint(u"a"_qs);
    const QList<QPointF> points = chart.points();
    QCOMPARE(points.size(), 2);
    QCOMPARE(points.at(0), QPointF(double(kNow.addSecs(-30).toMSecsSinceEpoch()), 1.5));
    QCOMPARE(points.at(1).y(), 2.5);

    // History of other endpoints was kept while they were not shown.
    chart.setEndpoint(u"b"_qs);
    QCOMPARE(chart.points().size(), 1);
    QCOMPARE(chart.points().first().y(), 7.0);
    // Samples for the shown endpoint appear at once; others do not.
    chart.appendEvents({rtt(u"b"_qs, 5, 8.0), rtt(u"c"_qs, 5, 1.0)});
    QCOMPARE(chart.points().size(), 2);
}

void TestRttChart::keepsTenMinutes()
{
    RttChart chart;
    QDateTime now = kNow;
    chart.setClock([&now] { return now; });
    chart.setEndpoint(u"a"_qs);
    chart.appendEvents({rtt(u"a"_qs, 11 * 60, 1.0), rtt(u"a"_qs, 9 * 60, 2.0), rtt(u"a"_qs, 60, 3.0)});
    QCOMPARE(chart.points().size(), 2); // the 11-minute-old sample is outside the window

    now = kNow.addSecs(2 * 60); // time passes, no new samples
    chart.setEndpoint({});
    chart.setEndpoint(u"a"_qs);
    QCOMPARE(chart.points().size(), 1);
    QCOMPARE(chart.points().first().y(), 3.0);
}

void TestRttChart::breaksTheLine_data()
{
    QTest::addColumn<QList<Event>>("events");
    QTest::addColumn<int>("segments");

    QList<Event> steady;
    for (int s = 300; s >= 0; s -= 5)
        steady.append(rtt(u"a"_qs, s, 1.0));
    QTest::newRow("steady samples: one line") << steady << 1;

    QList<Event> silence;
    for (int s = 300; s >= 0; s -= 5) {
        if (s < 200 || s > 260)
            silence.append(rtt(u"a"_qs, s, 1.0));
    }
    QTest::newRow("a minute of silence") << silence << 2;

    QList<Event> outage = steady;
    outage.insert(10, down(u"a"_qs, 252)); // between two samples 5 s apart
    QTest::newRow("down between samples") << outage << 2;

    QTest::newRow("down of another endpoint") << (QList<Event>(steady) << down(u"b"_qs, 100)) << 1;
}

void TestRttChart::breaksTheLine()
{
    QFETCH(QList<Event>, events);
    QFETCH(int, segments);
    RttChart chart;
    chart.setClock([] { return kNow; });
    chart.setEndpoint(u"a"_qs);
    chart.appendEvents(events);
    QCOMPARE(chart.segmentCount(), segments);
    int samples = 0;
    for (const Event &e : std::as_const(events))
        samples += e.endpoint == u"a" && e.rttMs ? 1 : 0;
    QCOMPARE(chart.points().size(), samples);
}

void TestRttChart::forgetsRemovedEndpoints()
{
    RttChart chart;
    chart.setClock([] { return kNow; });
    chart.setEndpoint(u"a"_qs);
    chart.appendEvents({rtt(u"a"_qs, 10, 1.0)});
    QCOMPARE(chart.points().size(), 1);
    chart.forgetEndpoint(u"a"_qs);
    QVERIFY(chart.points().isEmpty());
    QVERIFY(chart.findChild<QLabel *>(u"rttChartEmpty"_qs)->text().contains(u"no round-trip samples"));
}

void TestRttChart::stateStripSpans()
{
    RttChart chart;
    chart.setClock([] { return kNow; });
    StateTimeline *strip = chart.timeline();
    chart.appendEvents(
        {stateAt(u"a"_qs, 3600, EndpointState::Up), // before the window: the state it opens with
         stateAt(u"a"_qs, 300, EndpointState::Down), stateAt(u"a"_qs, 299, EndpointState::Waiting),
         stateAt(u"a"_qs, 290, EndpointState::Connecting), stateAt(u"a"_qs, 289, EndpointState::Up),
         stateAt(u"a"_qs, 100, EndpointState::Up), // repeated: merges with the span before
         stateAt(u"b"_qs, 50, EndpointState::Down)});
    QVERIFY(strip->spans().isEmpty()); // nothing selected
    chart.setEndpoint(u"a"_qs);
    const Spans expected{{600, 300, EndpointState::Up},
                         {300, 299, EndpointState::Down},
                         {299, 290, EndpointState::Waiting},
                         {290, 289, EndpointState::Connecting},
                         {289, 0, EndpointState::Up}};
    QCOMPARE(spansOf(*strip), expected);

    chart.setEndpoint(u"b"_qs);
    QCOMPARE(spansOf(*strip), Spans({{50, 0, EndpointState::Down}}));
}

void TestRttChart::stateStripFallsBackToSnapshot()
{
    RttChart chart;
    chart.setClock([] { return kNow; });
    chart.setEndpoint(u"quiet"_qs);
    QVERIFY(chart.timeline()->spans().isEmpty());
    // Up for two hours, no change seen since the window opened.
    chart.setCurrentState(EndpointState::Up, kNow.addSecs(-7200));
    QCOMPARE(spansOf(*chart.timeline()), Spans({{600, 0, EndpointState::Up}}));
    chart.setCurrentState(EndpointState::Disabled, kNow.addSecs(-60));
    QCOMPARE(spansOf(*chart.timeline()), Spans({{60, 0, EndpointState::Disabled}}));
}

QTEST_MAIN(TestRttChart)
#include "tst_rttchart.moc"
