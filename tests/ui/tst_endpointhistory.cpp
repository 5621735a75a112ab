#include "endpointhistory.h"

#include <QTest>

using namespace kw;
using namespace std::chrono_literals;

namespace {
const QDateTime kNow = QDateTime(QDate(2026, 11, 21), QTime(18, 0), Qt::UTC);

QDateTime ago(std::chrono::seconds s)
{
    return kNow.addSecs(-s.count());
}

StateSpan span(std::chrono::seconds from, std::chrono::seconds to, EndpointState state)
{
    return StateSpan{ago(from), ago(to), state};
}
} // namespace

namespace QTest {
template<>
char *toString(const StateSpan &s)
{
    return qstrdup(qPrintable(QStringLiteral("%1..%2 %3")
                                  .arg(s.from.toString(Qt::ISODate), s.to.toString(Qt::ISODate))
                                  .arg(int(s.state))));
}
} // namespace QTest

class TestEndpointHistory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void spansFollowStateChanges();
    void spansAreClippedToTheWindow();
    void outOfOrderAndRepeatedChanges();
    void changesAreBounded();
    void rttKeepsTheLargestPerBucketAndIsBounded();
    void invalidTimesAreIgnored();
};

void TestEndpointHistory::spansFollowStateChanges()
{
    EndpointHistory h;
    QVERIFY(h.addState(ago(10min), EndpointState::Up));
    QVERIFY(h.addState(ago(6min), EndpointState::Down));
    QVERIFY(h.addState(ago(5min), EndpointState::Waiting));
    QVERIFY(h.addState(ago(270s), EndpointState::Connecting));
    QVERIFY(h.addState(ago(4min), EndpointState::Up));
    const StateStrip strip = h.strip(kNow);
    QCOMPARE(strip.from, ago(15min));
    QCOMPARE(strip.to, kNow);
    const QList<StateSpan> expected{
        span(10min, 6min, EndpointState::Up),     span(6min, 5min, EndpointState::Down),
        span(5min, 270s, EndpointState::Waiting), span(270s, 4min, EndpointState::Connecting),
        span(4min, 0s, EndpointState::Up),
    };
    QCOMPARE(strip.spans, expected);
    QCOMPARE(strip.drops, 1);
    QCOMPARE(h.dropsSince(ago(15min)), 1);
    QCOMPARE(h.dropsSince(ago(5min)), 0);
}

void TestEndpointHistory::spansAreClippedToTheWindow()
{
    EndpointHistory h;
    h.addState(ago(3600s), EndpointState::Up);
    h.addState(ago(20min), EndpointState::Down);
    h.addState(ago(10min), EndpointState::Up);
    const StateStrip strip = h.strip(kNow);
    // The drop began before the window: its tail shows, it is not counted as a drop in it.
    QCOMPARE(strip.spans,
             QList<StateSpan>({span(15min, 10min, EndpointState::Down), span(10min, 0s, EndpointState::Up)}));
    QCOMPARE(strip.drops, 0);
    // A narrower window at another time.
    QCOMPARE(h.strip(ago(10min), 5min).spans, QList<StateSpan>({span(15min, 10min, EndpointState::Down)}));
}

void TestEndpointHistory::outOfOrderAndRepeatedChanges()
{
    EndpointHistory h;
    // The snapshot says "up since 3 min ago" before the events that led there arrive.
    QVERIFY(h.addState(ago(3min), EndpointState::Up));
    QVERIFY(h.addState(ago(8min), EndpointState::Up));          // up earlier than known: the span grows
    QVERIFY(h.addState(ago(5min), EndpointState::Down));        // a drop in between
    QVERIFY(!h.addState(ago(4min), EndpointState::Down));       // already down then
    QVERIFY(h.addState(ago(3min), EndpointState::Up) == false); // the event behind the snapshot's since
    QCOMPARE(h.strip(kNow).spans,
             QList<StateSpan>({span(8min, 5min, EndpointState::Up), span(5min, 3min, EndpointState::Down),
                               span(3min, 0s, EndpointState::Up)}));
    QCOMPARE(h.changeCount(), 3);
}

void TestEndpointHistory::changesAreBounded()
{
    EndpointHistory h;
    for (int i = 0; i < 1000; ++i)
        h.addState(ago(std::chrono::seconds(1000 - i)), i % 2 ? EndpointState::Down : EndpointState::Up);
    QCOMPARE(h.changeCount(), qsizetype(EndpointHistory::kMaxChanges));
    const StateStrip strip = h.strip(kNow);
    QCOMPARE(strip.spans.size(), qsizetype(EndpointHistory::kMaxChanges));
    // The latest change is kept: i = 999 (down) a second ago.
    QCOMPARE(strip.spans.last(), span(1s, 0s, EndpointState::Down));
    // The oldest kept is the 64th from the end; nothing before it is invented.
    QCOMPARE(strip.spans.first().from, ago(std::chrono::seconds(EndpointHistory::kMaxChanges)));
}

void TestEndpointHistory::rttKeepsTheLargestPerBucketAndIsBounded()
{
    EndpointHistory h;
    // Bucket-aligned instants, so the test knows which samples share a bucket.
    const qint64 bucket = EndpointHistory::kRttBucket.count();
    const QDateTime base = QDateTime::fromMSecsSinceEpoch(kNow.toMSecsSinceEpoch() / bucket * bucket, Qt::UTC)
                               .addMSecs(-5 * bucket);
    QVERIFY(h.addRtt(base, 1.0));
    QVERIFY(h.addRtt(base.addMSecs(bucket / 2), 5.0));
    QVERIFY(!h.addRtt(base.addMSecs(bucket - 1), 2.0)); // smaller than the bucket's largest
    QVERIFY(h.addRtt(base.addMSecs(bucket), 3.0));
    StateStrip strip = h.strip(kNow);
    QCOMPARE(strip.rtt, QList<RttPoint>({RttPoint{base, 5.0}, RttPoint{base.addMSecs(bucket), 3.0}}));

    // A sample every second for three hours: the buckets stay bounded, the newest are kept.
    for (int s = 3 * 3600; s > 0; --s)
        h.addRtt(ago(std::chrono::seconds(s)), double(s % 17));
    QCOMPARE(h.rttPointCount(), qsizetype(EndpointHistory::kMaxRttPoints));
    strip = h.strip(kNow);
    QVERIFY(strip.rtt.size() <= EndpointHistory::kMaxRttPoints);
    QVERIFY(strip.rtt.size() >= EndpointHistory::kMaxRttPoints - 1);
    for (const RttPoint &p : std::as_const(strip.rtt))
        QVERIFY(p.at >= strip.from.addMSecs(-bucket) && p.at < strip.to);
}

void TestEndpointHistory::invalidTimesAreIgnored()
{
    EndpointHistory h;
    QVERIFY(!h.addState(QDateTime(), EndpointState::Down));
    QVERIFY(!h.addRtt(QDateTime(), 1.0));
    QVERIFY(h.isEmpty());
    QVERIFY(h.strip(kNow).spans.isEmpty());
}

QTEST_APPLESS_MAIN(TestEndpointHistory)
#include "tst_endpointhistory.moc"
