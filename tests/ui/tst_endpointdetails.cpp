#include "endpointdetails.h"
#include "enginelatenesstext.h"
#include "snapshotbuilder.h"
#include "wrappinglabel.h"

#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QTest>

#include <memory>

using namespace kw;
using namespace kw::test;
using Field = EndpointDetails::Field;

namespace {
DeviceSnapshot device(const QString &id, DeviceSnapshot::State state, int quietS)
{
    DeviceSnapshot d;
    d.id = id;
    d.topic = u"plant/"_qs + id + u"/heartbeat"_qs;
    d.watch = u"plant/+/heartbeat"_qs;
    d.state = state;
    d.lastMessage = kNow.addSecs(-quietS);
    d.since = d.lastMessage;
    d.preview = u"{\"ok\":true}"_qs;
    d.messages = 100;
    return d;
}

// A broker that answered keep alive 60 s with its Server Keep Alive 10 s; 12 devices, pump-2 quiet
// for 47 s.
EndpointSnapshot mqttEndpoint()
{
    EndpointSnapshot e = endpoint(u"plant-broker"_qs);
    e.kind = EndpointKind::Mqtt;
    e.target = u"mqtt.plant.internal:8883"_qs;
    e.lastRttMs = 1.84;
    e.lastRttSource = u"mqtt-ping"_qs;
    MqttSnapshot m;
    m.version = u"5"_qs;
    m.transport = u"tls"_qs;
    m.clientId = u"keepwatch-a1b2c3d4e5"_qs;
    m.requestedKeepAliveS = 60;
    m.effectiveKeepAliveS = 10;
    m.serverKeepAlive = true;
    m.pingTimeoutMs = 5000;
    m.brokerLimits = u"max packet 1 MB, receive max 20"_qs;
    auto devices = std::make_shared<QList<DeviceSnapshot>>();
    devices->append(device(u"pump-2"_qs, DeviceSnapshot::State::Silent, 47));
    for (int i = 0; i < 11; ++i)
        devices->append(device(u"sensor-"_qs + QString::number(i), DeviceSnapshot::State::Up, 2));
    m.devices = devices;
    m.devicesUp = 11;
    m.devicesSilent = 1;
    m.watchProblems = {u"plant/secret/#: the broker refused the subscription: not authorized (0x87)"_qs};
    e.mqtt = std::make_shared<const MqttSnapshot>(std::move(m));
    return e;
}
} // namespace

Q_DECLARE_METATYPE(EndpointDetails::Field)

class TestEndpointDetails : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }
    void showsNothingWithoutSelection();
    void fields_data();
    void fields();
    void mqttFields_data();
    void mqttFields();
    void mqttTitleNamesTroubledDevices();
    void mqttRowsHiddenForOtherKinds();
    void longLinesWrapWithinThePanel();
    void askedKeepaliveBesideSystemDefaults();
    void tallDetailsScroll();
    void breakOpportunitiesLeaveTextAlone();
    void rttLineCarriesTheEngineLateness();
    void rttLineSaysWhenKernelStamped();
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

void TestEndpointDetails::mqttFields_data()
{
    QTest::addColumn<Field>("field");
    QTest::addColumn<QString>("expected");

    QTest::newRow("session") << Field::Mqtt
                             << u"MQTT 5 over TLS · client id keepwatch-a1b2c3d4e5 · new session"_qs;
    QTest::newRow("requested vs effective keep alive")
        << Field::MqttKeepAlive
        << u"keep alive 10 s (asked 60 s; the broker's Server Keep Alive) · ping timeout 5 s · "
           u"last ping RTT 1.84 ms"_qs;
    QTest::newRow("broker limits") << Field::BrokerLimits << u"max packet 1 MB, receive max 20"_qs;
    QTest::newRow("silent device named")
        << Field::Devices << u"12 devices: 11 up, 1 silent (pump-2 for 47 s), 0 will"_qs;
    QTest::newRow("watch problem as a warning")
        << Field::WatchProblems
        << u"⚠ plant/secret/#: the broker refused the subscription: not authorized (0x87)"_qs;
}

void TestEndpointDetails::mqttFields()
{
    QFETCH(Field, field);
    QFETCH(QString, expected);

    const EndpointSnapshot e = mqttEndpoint();
    EndpointDetails details;
    details.show();
    details.showEndpoint(&e, kNow);
    QCOMPARE(details.fieldText(field), expected);
    for (const WrappingLabel *value : details.findChildren<WrappingLabel *>()) {
        if (value->plainText() == expected)
            QVERIFY2(value->isVisible(), qPrintable(value->objectName()));
    }
}

void TestEndpointDetails::mqttTitleNamesTroubledDevices()
{
    EndpointSnapshot e = mqttEndpoint();
    EndpointDetails details;
    details.showEndpoint(&e, kNow);
    const QString title = details.findChild<QLabel *>(u"detailsTitle"_qs)->text();
    QVERIFY2(title.contains(u"1 silent of 12 devices"), qPrintable(title));

    MqttSnapshot calm = *e.mqtt;
    calm.devicesSilent = 0;
    calm.devicesUp = 12;
    e.mqtt = std::make_shared<const MqttSnapshot>(std::move(calm));
    details.showEndpoint(&e, kNow);
    QVERIFY(!details.findChild<QLabel *>(u"detailsTitle"_qs)->text().contains(u"devices"));
}

void TestEndpointDetails::mqttRowsHiddenForOtherKinds()
{
    EndpointDetails details;
    details.show();
    const EndpointSnapshot tcp = endpoint(u"db"_qs);
    details.showEndpoint(&tcp, kNow);
    for (const QString &name : {u"detailsMqtt"_qs, u"detailsMqttKeepAlive"_qs, u"detailsDevices"_qs,
                                u"detailsWatchProblems"_qs, u"detailsBrokerLimits"_qs})
        QVERIFY2(!details.findChild<QLabel *>(name)->isVisible(), qPrintable(name));

    const EndpointSnapshot mqtt = mqttEndpoint();
    details.showEndpoint(&mqtt, kNow);
    for (const QString &name : {u"detailsMqtt"_qs, u"detailsMqttKeepAlive"_qs, u"detailsDevices"_qs,
                                u"detailsWatchProblems"_qs, u"detailsBrokerLimits"_qs})
        QVERIFY2(details.findChild<QLabel *>(name)->isVisible(), qPrintable(name));
}

void TestEndpointDetails::askedKeepaliveBesideSystemDefaults()
{
    EndpointDetails details;
    kw::net::SystemDefaults defaults;
    defaults.platform = kw::net::kPlatformLinux;
    defaults.keepaliveTime = {7200, "s", "/proc/sys/net/ipv4/tcp_keepalive_time", true};
    defaults.keepaliveInterval = {75, "s", "/proc/sys/net/ipv4/tcp_keepalive_intvl", true};
    defaults.keepaliveProbes = {9, "", "/proc/sys/net/ipv4/tcp_keepalive_probes", false};
    details.setSystemDefaults(defaults);
    details.show();
    const EndpointSnapshot e = endpoint(u"db"_qs);

    // Without the workspace's settings the row is hidden, not filled with a guess.
    details.showEndpoint(&e, kNow);
    QVERIFY(!details.findChild<QLabel *>(u"detailsKeepaliveAsked"_qs)->isVisible());

    kw::net::TcpKeepaliveSettings asked;
    asked.idle = std::chrono::seconds(60);
    asked.count = 4;
    details.showEndpoint(&e, kNow, &asked);
    QCOMPARE(details.fieldText(EndpointDetails::Field::KeepaliveAsked),
             u"asked idle 60 s (system 7200 s) · interval: system 75 s · count 4 (system 9)"_qs);
    const QString tip = details.findChild<QLabel *>(u"detailsKeepaliveAsked"_qs)->toolTip();
    QVERIFY2(tip.contains(u"/proc/sys/net/ipv4/tcp_keepalive_time (the OS default)"_qs), qPrintable(tip));
    QVERIFY2(tip.contains(u"System count: 9, read from /proc/sys/net/ipv4/tcp_keepalive_probes"_qs),
             qPrintable(tip));
    QVERIFY2(!tip.contains(u"tcp_keepalive_probes (the OS default)"_qs), qPrintable(tip));

    asked = {};
    details.showEndpoint(&e, kNow, &asked);
    QCOMPARE(details.fieldText(EndpointDetails::Field::KeepaliveAsked),
             u"nothing asked: keepalive stays as the OS leaves a new socket (off)"_qs);
    asked.enabled = false;
    asked.userTimeout = std::chrono::milliseconds(25000);
    details.showEndpoint(&e, kNow, &asked);
    QCOMPARE(details.fieldText(EndpointDetails::Field::KeepaliveAsked),
             u"keepalive off, as the workspace asks · user timeout 25000 ms"_qs);
}

void TestEndpointDetails::longLinesWrapWithinThePanel()
{
    // A certificate subject and a topic with no space to wrap at, wider than the panel on their own.
    EndpointSnapshot e = mqttEndpoint();
    e.tls = u"TLSv1.3, TLS_AES_256_GCM_SHA384; peer "_qs +
            u"CN=mqtt-broker-primary.plant-north.eu-central-1.internal.example.com,OU=Industrial-IoT-"
            u"Platform,O=Example-Manufacturing-Holdings-GmbH,L=Frankfurt-am-Main,C=DE"_qs;
    e.detail = u"subscribed to plant/north/building-7/line-3/station-12/pump-assembly-2/telemetry/"
               u"heartbeat/v2/json"_qs;
    MqttSnapshot longId = *e.mqtt;
    longId.clientId = u"keepwatch-0123456789abcdef0123456789abcdef0123456789abcdef"_qs;
    e.mqtt = std::make_shared<const MqttSnapshot>(std::move(longId));

    EndpointDetails details;
    details.resize(360, 700);
    details.show();
    details.showEndpoint(&e, kNow);
    QVERIFY(QTest::qWaitForWindowExposed(&details));
    QCoreApplication::processEvents();

    const QScrollArea *scroll = details.scrollArea();
    const int viewport = scroll->viewport()->width();
    QVERIFY(viewport <= details.width());
    QVERIFY2(scroll->widget()->width() <= viewport,
             qPrintable(u"body %1 px in a %2 px viewport"_qs.arg(scroll->widget()->width()).arg(viewport)));
    for (const QString &name :
         {u"detailsTls"_qs, u"detailsDetail"_qs, u"detailsMqtt"_qs, u"detailsTarget"_qs}) {
        const auto *label = details.findChild<WrappingLabel *>(name);
        QVERIFY(label);
        QVERIFY2(label->minimumSizeHint().width() <= viewport,
                 qPrintable(name + u": needs %1 px"_qs.arg(label->minimumSizeHint().width())));
        QVERIFY2(label->geometry().right() < viewport,
                 qPrintable(name + u": ends at %1 px"_qs.arg(label->geometry().right())));
        // Given the height the wrapped text needs: all of it is shown.
        QVERIFY(label->height() >= label->heightForWidth(label->width()));
    }
    QVERIFY(details.findChild<QLabel *>(u"detailsTls"_qs)->height() >=
            3 * details.fontMetrics().lineSpacing());
    // What is shown is what was given.
    QCOMPARE(details.fieldText(Field::Tls), e.tls);
}

void TestEndpointDetails::tallDetailsScroll()
{
    const EndpointSnapshot e = mqttEndpoint();
    EndpointDetails details;
    details.resize(420, 160);
    details.show();
    details.showEndpoint(&e, kNow);
    QVERIFY(QTest::qWaitForWindowExposed(&details));
    QCoreApplication::processEvents();
    const QScrollBar *bar = details.scrollArea()->verticalScrollBar();
    QVERIFY(bar->isVisible());
    QVERIFY(bar->maximum() > 0);
    // Every row keeps the height its text needs: scrolled, not squeezed.
    const auto *last = details.findChild<QLabel *>(u"detailsLastDrop"_qs);
    QVERIFY(last->height() >= last->fontMetrics().height());
}

void TestEndpointDetails::breakOpportunitiesLeaveTextAlone()
{
    const QString shortText = u"keep alive 10 s (asked 60 s)"_qs;
    QCOMPARE(WrappingLabel::withBreakOpportunities(shortText), shortText);
    const QString subject = u"CN=mqtt-broker-primary.plant-north.example.com,O=Example"_qs;
    const QString broken = WrappingLabel::withBreakOpportunities(subject);
    QVERIFY(broken.size() > subject.size());
    QString back = broken;
    back.remove(QChar(0x200B));
    QCOMPARE(back, subject);
}

void TestEndpointDetails::rttLineCarriesTheEngineLateness()
{
    Snapshot snapshot;
    EndpointDetails details;
    EndpointSnapshot e = endpoint(u"db"_qs);
    e.lastRttMs = 0.1;
    e.lastRttSource = u"heartbeat"_qs;
    // Before the engine measured anything: the RTT alone.
    details.setEngineLateness(engineLatenessText(snapshot), engineLatenessDetail(snapshot));
    details.showEndpoint(&e, kNow);
    QCOMPARE(details.fieldText(Field::Rtt), u"0.10 ms (heartbeat)"_qs);

    snapshot.timerLateness = LatenessFigures{500,
                                             std::chrono::microseconds(300),
                                             std::chrono::microseconds(2100),
                                             std::chrono::milliseconds(9),
                                             500,
                                             0.2};
    snapshot.socketLateness = LatenessFigures{
        800, std::chrono::microseconds(40), std::chrono::microseconds(900), std::chrono::milliseconds(3), 800,
        0.1};
    details.setEngineLateness(engineLatenessText(snapshot), engineLatenessDetail(snapshot));
    details.showEndpoint(&e, kNow);
    // The larger p99 of the two kinds, beside the RTT; both kinds in full in the tooltip.
    QCOMPARE(details.fieldText(Field::Rtt), u"0.10 ms (heartbeat) · engine lateness p99 2.1 ms"_qs);
    const QString tip = engineLatenessDetail(snapshot);
    QVERIFY2(tip.contains(u"p50 0.30 ms · p99 2.1 ms · max 9.0 ms"), qPrintable(tip));
    QVERIFY2(tip.contains(u"p50 0.04 ms · p99 0.90 ms · max 3.0 ms"), qPrintable(tip));

    // No RTT yet: no lateness either (there is nothing to read it beside).
    e.lastRttMs.reset();
    details.showEndpoint(&e, kNow);
    QCOMPARE(details.fieldText(Field::Rtt), u"—"_qs);
}

void TestEndpointDetails::rttLineSaysWhenKernelStamped()
{
    EndpointDetails details;
    EndpointSnapshot e = endpoint(u"db"_qs);
    e.lastRttMs = 0.25;
    e.lastRttSource = u"heartbeat"_qs;
    e.lastRttKernelStamped = true;
    details.showEndpoint(&e, kNow);
    QCOMPARE(details.fieldText(Field::Rtt), u"0.25 ms (heartbeat, kernel-stamped)"_qs);
    // Timed by the engine (a connect, tcpinfo, a platform without stamps): the source alone.
    e.lastRttKernelStamped = false;
    e.lastRttSource = u"connect"_qs;
    details.showEndpoint(&e, kNow);
    QCOMPARE(details.fieldText(Field::Rtt), u"0.25 ms (connect)"_qs);
}

QTEST_MAIN(TestEndpointDetails)
#include "tst_endpointdetails.moc"
