// The keepalive report of a connect, as every session kind words it: the texts and the event's data
// of equal reports are shared between connections (one copy for 10,000 endpoints), and a different
// report never gets the texts of the one before.
#include "keepalivereport.h"
#include "loopbackpair.h"

#include <QJsonArray>
#include <QTest>

#include <chrono>

using namespace kw;
using namespace std::chrono;

namespace {

net::TcpKeepaliveSettings settings(int idleS, int intervalS, int count)
{
    net::TcpKeepaliveSettings s;
    s.enabled = true;
    s.idle = seconds(idleS);
    s.interval = seconds(intervalS);
    s.count = count;
    return s;
}

// What the event says was read back for one option, or -1.
double readBack(const Event &event, const QString &option)
{
    for (const QJsonValue &value : event.data.value(u"options").toArray()) {
        const QJsonObject o = value.toObject();
        if (o.value(u"option").toString() == option)
            return o.value(u"read_back").toDouble(-1);
    }
    return -1;
}

} // namespace

class TestKeepaliveReport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void equalReportsShareTheirTexts();
    void aDifferentReportGetsItsOwnTexts();
};

void TestKeepaliveReport::equalReportsShareTheirTexts()
{
    const net::SystemDefaults defaults = net::readSystemDefaults();
    test::LoopbackPair first;
    test::LoopbackPair second;
    QVERIFY(first.client() >= 0 && second.client() >= 0);
    const AppliedKeepalive a = applyKeepalive(first.client(), settings(7, 3, 4), defaults);
    const AppliedKeepalive b = applyKeepalive(second.client(), settings(7, 3, 4), defaults);
    const Event ea = a.event(u"a"_qs);
    const Event eb = b.event(u"b"_qs);
    QCOMPARE(ea.endpoint, u"a"_qs);
    QCOMPARE(eb.endpoint, u"b"_qs);
    QCOMPARE(eb.detail, ea.detail);
    QCOMPARE(eb.data, ea.data);
    QCOMPARE(readBack(eb, u"TCP_KEEPIDLE"_qs), 7.0);
    QCOMPARE(eb.data.value(u"bound_ms").toDouble(), 7000.0 + 4 * 3000.0); // idle + interval × count
    // One copy: the second connection's texts are the first one's strings, not equal copies.
    QCOMPARE(b.summary.constData(), a.summary.constData());
    QCOMPARE(eb.detail.constData(), ea.detail.constData());
    QCOMPARE(b.boundParts().constFirst().constData(), a.boundParts().constFirst().constData());
}

void TestKeepaliveReport::aDifferentReportGetsItsOwnTexts()
{
    const net::SystemDefaults defaults = net::readSystemDefaults();
    test::LoopbackPair p1;
    test::LoopbackPair p2;
    test::LoopbackPair p3;
    const AppliedKeepalive a = applyKeepalive(p1.client(), settings(7, 3, 4), defaults);
    const Event ea = a.event(u"a"_qs);
    const AppliedKeepalive b = applyKeepalive(p2.client(), settings(9, 2, 5), defaults);
    const Event eb = b.event(u"b"_qs);
    QCOMPARE(readBack(eb, u"TCP_KEEPIDLE"_qs), 9.0);
    QCOMPARE(readBack(eb, u"TCP_KEEPCNT"_qs), 5.0);
    QCOMPARE(eb.data.value(u"bound_ms").toDouble(), 9000.0 + 5 * 2000.0);
    QVERIFY(b.summary != a.summary);
    QVERIFY(b.summary.contains(u"idle 9 s"));
    QCOMPARE(b.boundParts().value(0), u"silent peer 19 s"_qs);
    // A prefix is part of the detail: the same report with another prefix is another text.
    const Event prefixed = b.event(u"b"_qs, u"peer 1: "_qs);
    QVERIFY(prefixed.detail.startsWith(u"peer 1: "));
    QCOMPARE(prefixed.data, eb.data);
    // Back to the first settings: their own values again, not the last report's.
    const AppliedKeepalive c = applyKeepalive(p3.client(), settings(7, 3, 4), defaults);
    const Event ec = c.event(u"c"_qs);
    QCOMPARE(readBack(ec, u"TCP_KEEPIDLE"_qs), 7.0);
    QCOMPARE(ec.detail, ea.detail);
    QCOMPARE(ec.data, ea.data);
    QCOMPARE(c.summary, a.summary);
    QCOMPARE(c.boundParts(), a.boundParts());
}

QTEST_GUILESS_MAIN(TestKeepaliveReport)
#include "tst_keepalivereport.moc"
