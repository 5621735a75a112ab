// DeviceWatch on its own, with time points the test chooses: which messages make a device fresh,
// when it goes silent, its Will, the broker being down, batched events and the shared table.

#include "devicewatch.h"

#include <QJsonArray>
#include <QTest>

using namespace kw;
using namespace std::chrono;
using namespace Qt::StringLiterals;

class TestDeviceWatch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void freshThenSilentThenBack();
    void retainedIsNotFreshUnlessAsked();
    void expectFiltersFreshness();
    void willIsItsOwnState();
    void unmatchedTopicIsIgnored();
    void brokerDownRaisesNothing();
    void manyChangesAreOneSummary();
    void tableSortsSilentFirstAndIsShared();
    void silentOnlyOnceTheBrokerWasHeardAfter();

private:
    DeviceWatch make(QList<MqttWatchConfig> rules);
    static MqttWatchConfig rule(const QString &topic, milliseconds timeout = 10s);
    TimePoint at(milliseconds offset) const { return m_t0 + offset; }

    QList<Event> m_events;
    TimePoint m_t0 = TimePoint{} + hours(1);
};

void TestDeviceWatch::init()
{
    m_events.clear();
}

DeviceWatch TestDeviceWatch::make(QList<MqttWatchConfig> rules)
{
    return DeviceWatch(u"broker"_s, std::move(rules), [this](Event e) { m_events.append(std::move(e)); });
}

MqttWatchConfig TestDeviceWatch::rule(const QString &topic, milliseconds timeout)
{
    MqttWatchConfig r;
    r.topic = topic;
    r.timeout = timeout;
    return r;
}

void TestDeviceWatch::freshThenSilentThenBack()
{
    DeviceWatch watch = make({rule(u"devices/+/heartbeat"_s)});
    watch.subscribed(at(0s));
    QVERIFY(watch.onMessage("devices/a17/heartbeat", "{\"seq\":1}", false, at(1s)));
    watch.sweep(at(2s));
    QCOMPARE(watch.counts().up, 1);
    QVERIFY(m_events.isEmpty()); // found, not news
    watch.sweep(at(10999ms));
    QCOMPARE(watch.counts().up, 1);
    watch.sweep(at(11s));
    QCOMPARE(watch.counts().silent, 1);
    QCOMPARE(m_events.size(), 1);
    const Event silent = m_events.first();
    QCOMPARE(silent.kind, EventKind::Device);
    QCOMPARE(silent.state, EndpointState::Down);
    QCOMPARE(silent.causeName(), u"device-silent"_s);
    QCOMPARE(silent.data.value(u"id"_s).toString(), u"a17"_s);
    QCOMPARE(silent.data.value(u"device"_s).toString(), u"devices/a17/heartbeat"_s);
    QVERIFY2(silent.detail.startsWith(
                 u"a17 silent: nothing fresh on devices/a17/heartbeat for 10 s (last message 10 s ago)"_s),
             qPrintable(silent.detail));
    watch.onMessage("devices/a17/heartbeat", "{\"seq\":2}", false, at(20s));
    watch.sweep(at(20500ms));
    QCOMPARE(m_events.size(), 2);
    QCOMPARE(m_events.last().state, EndpointState::Up);
    QVERIFY(m_events.last().cause.isNone());
}

void TestDeviceWatch::retainedIsNotFreshUnlessAsked()
{
    MqttWatchConfig counting = rule(u"counted/#"_s);
    counting.retainedCounts = true;
    DeviceWatch watch = make({rule(u"devices/#"_s), counting});
    watch.onMessage("devices/old", "x", true, at(0s));
    watch.onMessage("counted/old", "x", true, at(0s));
    watch.subscribed(at(0s));
    watch.sweep(at(1s));
    QCOMPARE(watch.counts().awaiting, 1);
    QCOMPARE(watch.counts().up, 1);
    // Nothing fresh within the timeout after the subscription: silent, with no message since.
    watch.sweep(at(10s));
    QCOMPARE(watch.counts().silent, 2);
}

void TestDeviceWatch::expectFiltersFreshness()
{
    MqttWatchConfig r = rule(u"d/+"_s);
    r.expect = "\"ok\":true";
    DeviceWatch watch = make({r});
    watch.subscribed(at(0s));
    watch.onMessage("d/1", "{\"ok\":false}", false, at(1s));
    watch.sweep(at(2s));
    QCOMPARE(watch.counts().awaiting, 1);
    watch.onMessage("d/1", "{\"ok\":true}", false, at(3s));
    watch.sweep(at(4s));
    QCOMPARE(watch.counts().up, 1);
}

void TestDeviceWatch::willIsItsOwnState()
{
    MqttWatchConfig r = rule(u"d/+"_s);
    r.willPayload = "offline";
    DeviceWatch watch = make({r});
    watch.subscribed(at(0s));
    watch.onMessage("d/pump", "alive", false, at(1s));
    watch.onMessage("d/pump", "offline", false, at(2s));
    watch.sweep(at(3s));
    QCOMPARE(watch.counts().will, 1);
    QCOMPARE(m_events.size(), 1);
    QCOMPARE(m_events.first().causeName(), u"device-will"_s);
    QVERIFY2(m_events.first().detail.contains(u"the broker published its Will"_s),
             qPrintable(m_events.first().detail));
    // A Will does not time out into silence: it stays what it is until the device is back.
    watch.sweep(at(60s));
    QCOMPARE(watch.counts().will, 1);
    QCOMPARE(m_events.size(), 1);
}

void TestDeviceWatch::unmatchedTopicIsIgnored()
{
    DeviceWatch watch = make({rule(u"devices/+/heartbeat"_s)});
    QVERIFY(!watch.onMessage("devices/a/status", "x", false, at(0s)));
    QVERIFY(!watch.onMessage("$SYS/broker/uptime", "x", false, at(0s)));
    QCOMPARE(watch.deviceCount(), 0);
}

void TestDeviceWatch::brokerDownRaisesNothing()
{
    DeviceWatch watch = make({rule(u"d/+"_s, 2s)});
    watch.subscribed(at(0s));
    watch.onMessage("d/1", "x", false, at(0s));
    watch.sweep(at(1s));
    watch.brokerDown(at(1500ms));
    watch.sweep(at(30s));
    QCOMPARE(watch.counts().awaiting, 1);
    QVERIFY(m_events.isEmpty());
    // Back: judged from the new subscription on.
    watch.subscribed(at(40s));
    watch.sweep(at(41s));
    QCOMPARE(watch.counts().awaiting, 1);
    watch.sweep(at(42s));
    QCOMPARE(watch.counts().silent, 1);
    QCOMPARE(m_events.size(), 1);
}

void TestDeviceWatch::manyChangesAreOneSummary()
{
    DeviceWatch watch = make({rule(u"fleet/+"_s, 5s)});
    watch.subscribed(at(0s));
    for (int i = 0; i < 500; ++i)
        watch.onMessage(QByteArray("fleet/").append(QByteArray::number(i)).toStdString(), "hb", false,
                        at(1s));
    watch.sweep(at(2s));
    QVERIFY(m_events.isEmpty());
    watch.sweep(at(6s));
    QCOMPARE(watch.counts().silent, 500);
    QCOMPARE(m_events.size(), 1);
    const Event summary = m_events.first();
    QCOMPARE(summary.causeName(), u"device-silent"_s);
    QCOMPARE(summary.data.value(u"devices"_s).toInt(), 500);
    QCOMPARE(summary.data.value(u"topics"_s).toArray().size(), DeviceWatch::kEventsPerSweep);
    QVERIFY2(summary.detail.startsWith(u"500 devices silent: "_s) && summary.detail.contains(u"(490 more)"_s),
             qPrintable(summary.detail));
}

void TestDeviceWatch::tableSortsSilentFirstAndIsShared()
{
    DeviceWatch watch = make({rule(u"d/+"_s, 5s)});
    watch.subscribed(at(0s));
    watch.onMessage("d/b", "1", false, at(1s));
    watch.onMessage("d/a", "1", false, at(1s));
    watch.onMessage("d/z", "\x01\x02 binary and much longer than the preview keeps, by quite a few bytes",
                    false, at(1s));
    watch.sweep(at(5s));
    watch.onMessage("d/a", "2", false, at(5500ms));
    watch.onMessage("d/z", "3", false, at(5500ms));
    watch.sweep(at(6s)); // d/b silent
    const QDateTime wall = QDateTime::currentDateTimeUtc();
    MqttSnapshot first;
    watch.fill(first, at(6s), wall);
    QCOMPARE(first.devicesSilent, 1);
    QCOMPARE(first.devicesUp, 2);
    QVERIFY(first.devices);
    QCOMPARE(first.devices->size(), 3);
    QCOMPARE(first.devices->at(0).id, u"b"_s);
    QCOMPARE(first.devices->at(1).id, u"a"_s);
    QCOMPARE(first.devices->at(0).lastMessage, wall.addSecs(-5));
    // Nothing changed: the same table is shared, not rebuilt.
    MqttSnapshot second;
    watch.fill(second, at(7s), wall);
    QCOMPARE(second.devices.get(), first.devices.get());
    // The preview is printable and cut.
    watch.onMessage("d/z", "\x01\x02 binary and much longer than the preview keeps, by quite a few bytes",
                    false, at(8s));
    watch.sweep(at(8s));
    MqttSnapshot third;
    watch.fill(third, at(12s), wall);
    const auto z = std::find_if(third.devices->begin(), third.devices->end(),
                                [](const DeviceSnapshot &d) { return d.id == u"z"; });
    QVERIFY(z != third.devices->end());
    QVERIFY2(z->preview.startsWith(u".. binary"_s) && z->preview.endsWith(u"…"_s), qPrintable(z->preview));
    QCOMPARE(z->messages, 3);
}

void TestDeviceWatch::silentOnlyOnceTheBrokerWasHeardAfter()
{
    DeviceWatch watch = make({rule(u"d/+"_s, 2s)});
    watch.subscribed(at(0s));
    watch.onMessage("d/1", "x", false, at(1s));
    // The deadline (3 s) passed, but the broker was last heard at 2.5 s: it may be the broker that
    // went quiet. No verdict; the caller is asked to ping it.
    QVERIFY(watch.sweep(at(4s), at(2500ms)));
    QCOMPARE(watch.counts().up, 1);
    QVERIFY(m_events.isEmpty());
    // The broker answered at 4.1 s and still nothing from the device: now it is the device.
    QVERIFY(!watch.sweep(at(4200ms), at(4100ms)));
    QCOMPARE(watch.counts().silent, 1);
    QCOMPARE(m_events.size(), 1);
}

QTEST_GUILESS_MAIN(TestDeviceWatch)
#include "tst_devicewatch.moc"
