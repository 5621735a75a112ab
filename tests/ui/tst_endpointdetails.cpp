#include "endpointdetails.h"
#include "snapshotbuilder.h"

#include <QLabel>
#include <QTest>

using namespace kw;
using namespace kw::test;
using Field = EndpointDetails::Field;

Q_DECLARE_METATYPE(EndpointDetails::Field)

class TestEndpointDetails : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }
    void showsNothingWithoutSelection();
    void fields_data();
    void fields();
};

void TestEndpointDetails::showsNothingWithoutSelection()
{
    EndpointDetails details;
    details.show();
    details.showEndpoint(nullptr, kNow);
    QVERIFY(details.findChild<QLabel *>(u"detailsHint"_qs)->isVisible());
    QVERIFY(!details.findChild<QLabel *>(u"detailsState"_qs)->isVisible());

    const EndpointSnapshot e = endpoint(u"db"_qs);
    details.showEndpoint(&e, kNow);
    QVERIFY(!details.findChild<QLabel *>(u"detailsHint"_qs)->isVisible());
    QVERIFY(details.findChild<QLabel *>(u"detailsState"_qs)->isVisible());
    QVERIFY(details.findChild<QLabel *>(u"detailsTitle"_qs)->text().contains(u"db"));
}

void TestEndpointDetails::fields_data()
{
    QTest::addColumn<Field>("field");
    QTest::addColumn<QString>("expected");

    QTest::newRow("state with suspicion") << Field::State << u"Waiting, suspicion φ 8.5"_qs;
    QTest::newRow("cause") << Field::Cause << u"keepalive-timeout"_qs;
    QTest::newRow("since") << Field::Since << u"3 min ago"_qs;
    QTest::newRow("next attempt") << Field::NextAttempt << u"in 12 s"_qs;
    QTest::newRow("rtt with source") << Field::Rtt << u"0.42 ms (heartbeat)"_qs;
    QTest::newRow("detection bound") << Field::DetectionBound << u"silent peer: 16 s"_qs;
    QTest::newRow("uptime windows") << Field::Uptime
                                    << u"99.50 % this session · 97.25 % last hour · 99.99 % last 24 h"_qs;
    QTest::newRow("reconnects") << Field::Reconnects << u"4"_qs;
    QTest::newRow("mttr") << Field::Mttr << u"1 min 5 s"_qs;
    QTest::newRow("mtbf not known yet") << Field::Mtbf << u"—"_qs;
    QTest::newRow("flapping") << Field::Flapping << u"yes — state changes too often"_qs;
    QTest::newRow("last drop") << Field::LastDrop << u"keepalive-timeout, 2 min ago"_qs;
}

void TestEndpointDetails::fields()
{
    QFETCH(Field, field);
    QFETCH(QString, expected);

    EndpointSnapshot e = endpoint(u"db"_qs, EndpointState::Waiting);
    e.cause = u"keepalive-timeout"_qs;
    e.nextAttempt = kNow.addSecs(12);
    e.lastRttMs = 0.4234;
    e.lastRttSource = u"heartbeat"_qs;
    e.phi = 8.5;
    e.stats.uptimeSessionPercent = 99.5;
    e.stats.uptime1hPercent = 97.25;
    e.stats.uptime24hPercent = 99.99;
    e.stats.reconnects = 4;
    e.stats.mttr = std::chrono::milliseconds(65'000);
    e.stats.flapping = true;
    e.stats.lastDropCause = u"keepalive-timeout"_qs;
    e.stats.lastDropAt = kNow.addSecs(-150);

    EndpointDetails details;
    details.showEndpoint(&e, kNow);
    QCOMPARE(details.fieldText(field), expected);
}

QTEST_MAIN(TestEndpointDetails)
#include "tst_endpointdetails.moc"
