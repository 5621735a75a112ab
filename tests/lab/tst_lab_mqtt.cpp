// MQTT over the lab's veth link, against a real mosquitto inside the peer namespace: keep alive 2 s,
// ping timeout 2 s, so a silent broker must be found by PINGREQ/PINGRESP within 4 s of its last
// answer, whatever TCP keepalive does, and a reset from the path must stay a reset.

#include "keepwatchrun.h"
#include "labmeasurement.h"
#include "labtopology.h"
#include "mosquittobroker.h"
#include "prerequisite.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace kw::lab;
using kw::test::MosquittoBroker;

namespace {

constexpr quint16 kPort = 1883;
const QString kEndpoint = u"broker"_s;
// keepalive_s + ping_timeout_s: the bound MqttSession declares for a silent broker.
constexpr qint64 kKeepAliveMs = 2000;
constexpr qint64 kBoundMs = 4000;
// The engine coalesces its timers and a loaded machine wakes late: what a detection may run over
// its bound (the other lab tests allow 0.5–1.5 s).
constexpr qint64 kMarginMs = 500;

const kw::Cause kPingTimeout{kw::CauseCode::MqttPingTimeout};
const kw::Cause kReset{kw::CauseCode::Reset};
const kw::Cause kDeviceSilent{kw::CauseCode::DeviceSilent};

// A session with no TCP keepalive unless `keepalive` says otherwise, and a short backoff.
QString endpointJson(const LabTopology &lab, const QString &extra = {})
{
    QString json = uR"({"name":"%1","kind":"mqtt","host":"%2","port":%3,
        "mqtt":{"version":"5","keepalive_s":2,"ping_timeout_s":2%4},
        "reconnect":{"initial_ms":500,"max_ms":2000,"multiplier":1.6,"jitter":0.2}})"_s.arg(
        kEndpoint, lab.peerAddress(), QString::number(kPort), extra);
    return json;
}

QString withKeepalive(QString endpoint, const QString &keepalive)
{
    endpoint.chop(1);
    return endpoint + u",\"keepalive\":"_s + keepalive + u'}';
}

bool isSessionUp(const LabEvent &event)
{
    return event.kind == kw::EventKind::Info && event.endpoint == kEndpoint &&
           event.detail.startsWith(u"MQTT 5 session up");
}

qsizetype countSessionUp(const KeepwatchRun &keepwatch)
{
    const QList<LabEvent> &events = keepwatch.events();
    return std::count_if(events.begin(), events.end(), isSessionUp);
}

QList<LabEvent> pings(const KeepwatchRun &keepwatch)
{
    QList<LabEvent> found;
    for (const LabEvent &event : keepwatch.events()) {
        if (event.kind == kw::EventKind::Rtt && event.endpoint == kEndpoint &&
            event.json.value(u"source").toString() == u"mqtt-ping")
            found.append(event);
    }
    return found;
}

QList<LabEvent> deviceEvents(const KeepwatchRun &keepwatch)
{
    QList<LabEvent> found;
    for (const LabEvent &event : keepwatch.events()) {
        if (event.kind == kw::EventKind::Device)
            found.append(event);
    }
    return found;
}

// The broker drops root for the "mosquitto" account unless told to stay who started it; that account
// could not read the temporary directory (tests/support/mosquittobroker.cpp has the same line).
QByteArray currentUser()
{
    const passwd *entry = ::getpwuid(::geteuid());
    return entry ? QByteArray(entry->pw_name) : QByteArray("root");
}

} // namespace

class TestLabMqtt : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void idleBlackholeIsPingTimeout();
    void stoppedBrokerIsPingTimeoutNotKeepalive();
    void resetFromThePathIsReset();
    void reconnectsWithBackoffOnceTheFaultIsGone();
    void silentDeviceIsNotTheBroker();

private:
    // mosquitto in the peer namespace, listening on the peer address only; returns once it runs.
    bool startBroker(const LabTopology &lab, LabProcess &broker, QString *error);
    // Waits for a PINGRESP that comes after the call, then until 200 ms after it: the scenarios cut
    // there, so the next PINGREQ is due about 1.8 s after the cut and Down 3.8 s after it.
    std::optional<LabEvent> waitForFreshPing(KeepwatchRun &keepwatch);

    QTemporaryDir m_dir;
    QString m_mosquittoPub;
};

void TestLabMqtt::initTestCase()
{
    QString reason = LabTopology::unavailableReason();
    m_mosquittoPub = QStandardPaths::findExecutable(u"mosquitto_pub"_s);
    if (reason.isEmpty() && MosquittoBroker::program().isEmpty())
        reason = u"mosquitto is not installed: apt-get install mosquitto"_s;
    if (reason.isEmpty() && m_mosquittoPub.isEmpty())
        reason = u"mosquitto_pub is not installed: apt-get install mosquitto-clients"_s;
    if (!reason.isEmpty())
        KW_SKIP_OR_FAIL_UNDER_CI(reason.toUtf8());
    QVERIFY(m_dir.isValid());
}

bool TestLabMqtt::startBroker(const LabTopology &lab, LabProcess &broker, QString *error)
{
    const QString config = m_dir.filePath(u"mosquitto.conf"_s);
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = u"cannot write "_s + config + u": "_s + file.errorString();
        return false;
    }
    file.write("# One lab scenario's broker: nothing kept, everything logged to standard output.\n"
               "listener " +
               QByteArray::number(kPort) + ' ' + lab.peerAddress().toLatin1() +
               "\n"
               "allow_anonymous true\n"
               "persistence false\n"
               "user " +
               currentUser() +
               "\n"
               "log_dest stdout\n"
               "log_type all\n"
               "log_timestamp false\n");
    file.close();
    // Into a pipe mosquitto's log is block-buffered by stdio; stdbuf (coreutils) makes it line-buffered
    // and execs the broker, so the process id, and SIGSTOP, are still the broker's.
    if (!broker.start(lab.peerNamespace(), u"stdbuf"_s,
                      {u"-oL"_s, MosquittoBroker::program(), u"-c"_s, config}, error))
        return false;
    // "mosquitto version 2.0.11 running" comes after the listeners are open.
    const auto running = [&broker] {
        const QList<QByteArray> &lines = broker.lines();
        return std::any_of(lines.begin(), lines.end(), [](const QByteArray &line) {
            return line.startsWith("mosquitto version") && line.endsWith("running");
        });
    };
    QDeadlineTimer deadline(10000);
    while (!running() && broker.isRunning() && !deadline.hasExpired())
        QTest::qWait(20);
    if (!running()) {
        *error = u"mosquitto did not start: "_s + QString::fromLocal8Bit(broker.errorOutput()) +
                 QString::fromLocal8Bit(broker.lines().join('\n'));
        return false;
    }
    return true;
}

std::optional<LabEvent> TestLabMqtt::waitForFreshPing(KeepwatchRun &keepwatch)
{
    const qsizetype before = pings(keepwatch).size();
    QDeadlineTimer deadline(10000);
    while (pings(keepwatch).size() == before && !deadline.hasExpired())
        QTest::qWait(10);
    if (pings(keepwatch).size() == before)
        return std::nullopt;
    const LabEvent ping = pings(keepwatch).constLast();
    QTest::qWait(
        static_cast<int>(std::max<qint64>(0, 200 - ping.ts.msecsTo(QDateTime::currentDateTimeUtc()))));
    return ping;
}

// A cut cable or a dead broker host: nothing comes back, not even a RST. TCP keepalive is off, so the
// only thing that can notice is the MQTT keep alive: the next PINGREQ goes unanswered.
void TestLabMqtt::idleBlackholeIsPingTimeout()
{
    LabTopology lab(u"mqttidle"_s);
    QString error;
    QVERIFY2(lab.create(Layout::Direct, &error), qPrintable(error));
    LabProcess broker;
    QVERIFY2(startBroker(lab, broker, &error), qPrintable(error));

    KeepwatchRun keepwatch;
    QVERIFY2(keepwatch.start(lab, workspaceJson({withKeepalive(endpointJson(lab), u"{\"enabled\":false}"_s)}),
                             &error),
             qPrintable(error));
    QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.firstState(kEndpoint, kw::EndpointState::Up) &&
                                  countSessionUp(keepwatch) == 1,
                              qPrintable(keepwatch.transcript()), 10000);
    const std::optional<LabEvent> ping = waitForFreshPing(keepwatch);
    QVERIFY2(ping, qPrintable(u"no PINGRESP within 10 s\n"_s + keepwatch.transcript()));

    const QDateTime injected = lab.inject(Fault::Blackhole, kPort, &error);
    QVERIFY2(injected.isValid(), qPrintable(error));
    QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.firstState(kEndpoint, kw::EndpointState::Down),
                              qPrintable(keepwatch.transcript()), 15000);
    const LabEvent down = *keepwatch.firstState(kEndpoint, kw::EndpointState::Down);
    const qint64 detection = millisecondsBetween(injected, down.ts);
    const qint64 cutAfterPing = ping->ts.msecsTo(injected);
    reportFields(u"mqtt-idle-blackhole"_s, {{u"detection_ms"_s, QString::number(detection)},
                                            {u"bound_ms"_s, QString::number(kBoundMs)},
                                            {u"cut_after_ping_ms"_s, QString::number(cutAfterPing)},
                                            {u"cause"_s, down.causeName()}});
    qInfo().noquote() << "detail:" << down.detail;
    QVERIFY2(down.cause == kPingTimeout,
             qPrintable(u"cause "_s + down.causeName() + u", expected mqtt-ping-timeout\n"_s +
                        keepwatch.transcript()));
    QCOMPARE(down.json.value(u"bound_ms").toDouble(), double(kBoundMs));
    // The cut falls ~200 ms after a PINGRESP (plus nft's 50–250 ms): the next PINGREQ leaves the keep
    // alive after the last one, and Down comes the ping timeout after that. Later than 500 ms after
    // the ping, the scenario is not the one specified.
    QVERIFY2(cutAfterPing < 500,
             qPrintable(u"the cut came %1 ms after the PINGRESP, too late to measure the bound"_s.arg(
                 cutAfterPing)));
    QVERIFY2(detection >= kBoundMs - cutAfterPing - 200 && detection <= kBoundMs + kMarginMs,
             qPrintable(u"detected after %1 ms, expected %2–%3 ms\n"_s.arg(detection)
                            .arg(kBoundMs - cutAfterPing - 200)
                            .arg(kBoundMs + kMarginMs) +
                        keepwatch.transcript()));
    // Half the ping timeout without a PINGRESP is Suspect, before Down.
    const auto suspect = keepwatch.firstState(kEndpoint, kw::EndpointState::Suspect);
    QVERIFY2(suspect && suspect->ts >= injected && suspect->ts <= down.ts,
             qPrintable(u"no Suspect between the cut and Down\n"_s + keepwatch.transcript()));
}

// SIGSTOP freezes mosquitto while its kernel still acknowledges every segment and keepalive probe.
// TCP keepalive (idle 1 s, interval 1 s, count 3: a 4 s bound, the same as MQTT's) sees a healthy
// connection; only the unanswered PINGREQ shows the broker is gone.
void TestLabMqtt::stoppedBrokerIsPingTimeoutNotKeepalive()
{
    LabTopology lab(u"mqttstop"_s);
    QString error;
    QVERIFY2(lab.create(Layout::Direct, &error), qPrintable(error));
    LabProcess broker;
    QVERIFY2(startBroker(lab, broker, &error), qPrintable(error));

    KeepwatchRun keepwatch;
    const QString endpoint =
        withKeepalive(endpointJson(lab), u"{\"enabled\":true,\"idle_s\":1,\"interval_s\":1,\"count\":3}"_s);
    QVERIFY2(keepwatch.start(lab, workspaceJson({endpoint}), &error), qPrintable(error));
    QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.firstState(kEndpoint, kw::EndpointState::Up),
                              qPrintable(keepwatch.transcript()), 10000);
    const std::optional<LabEvent> ping = waitForFreshPing(keepwatch);
    QVERIFY2(ping, qPrintable(u"no PINGRESP within 10 s\n"_s + keepwatch.transcript()));
    const qsizetype statesBefore = keepwatch.states(kEndpoint).size();

    QVERIFY(broker.sendSignal(SIGSTOP));
    const QDateTime injected = QDateTime::currentDateTimeUtc();
    QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.firstState(kEndpoint, kw::EndpointState::Down, statesBefore),
                              qPrintable(keepwatch.transcript()), 15000);
    const LabEvent down = *keepwatch.firstState(kEndpoint, kw::EndpointState::Down, statesBefore);
    const qint64 detection = millisecondsBetween(injected, down.ts);
    const qint64 stopAfterPing = ping->ts.msecsTo(injected);
    reportFields(u"mqtt-broker-sigstop"_s, {{u"detection_ms"_s, QString::number(detection)},
                                            {u"bound_ms"_s, QString::number(kBoundMs)},
                                            {u"stop_after_ping_ms"_s, QString::number(stopAfterPing)},
                                            {u"cause"_s, down.causeName()}});
    qInfo().noquote() << "detail:" << down.detail;
    // Keepalive probes were answered by the stopped broker's kernel: the cause is MQTT's, not TCP's.
    QVERIFY2(down.cause == kPingTimeout,
             qPrintable(u"cause "_s + down.causeName() + u", expected mqtt-ping-timeout\n"_s +
                        keepwatch.transcript()));
    QCOMPARE(down.json.value(u"bound_ms").toDouble(), double(kBoundMs));
    QVERIFY2(detection >= kBoundMs - stopAfterPing - 200 && detection <= kBoundMs + kMarginMs,
             qPrintable(u"detected after %1 ms, expected %2–%3 ms\n"_s.arg(detection)
                            .arg(kBoundMs - stopAfterPing - 200)
                            .arg(kBoundMs + kMarginMs) +
                        keepwatch.transcript()));
    // Between the stop and Down only Suspect (the late PINGRESP): no keepalive-timeout, no other Down.
    const QList<LabEvent> states = keepwatch.states(kEndpoint);
    for (qsizetype i = statesBefore; i < states.size() && states.at(i).ts < down.ts; ++i)
        QVERIFY2(states.at(i).state == kw::EndpointState::Suspect, qPrintable(keepwatch.transcript()));
    QVERIFY(broker.sendSignal(SIGCONT));
}

// A firewall on the path answers with RST (nft `reject with tcp reset` towards the broker's port):
// the next PINGREQ meets it, at most one keep alive after the cut, and the cause is the kernel's
// ECONNRESET, not a broken MQTT stream.
void TestLabMqtt::resetFromThePathIsReset()
{
    LabTopology lab(u"mqttrst"_s);
    QString error;
    QVERIFY2(lab.create(Layout::Direct, &error), qPrintable(error));
    LabProcess broker;
    QVERIFY2(startBroker(lab, broker, &error), qPrintable(error));

    KeepwatchRun keepwatch;
    QVERIFY2(keepwatch.start(lab, workspaceJson({withKeepalive(endpointJson(lab), u"{\"enabled\":false}"_s)}),
                             &error),
             qPrintable(error));
    QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.firstState(kEndpoint, kw::EndpointState::Up),
                              qPrintable(keepwatch.transcript()), 10000);
    const std::optional<LabEvent> ping = waitForFreshPing(keepwatch);
    QVERIFY2(ping, qPrintable(u"no PINGRESP within 10 s\n"_s + keepwatch.transcript()));

    const QDateTime injected = lab.inject(Fault::RejectWithReset, kPort, &error);
    QVERIFY2(injected.isValid(), qPrintable(error));
    QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.firstState(kEndpoint, kw::EndpointState::Down),
                              qPrintable(keepwatch.transcript()), 10000);
    const LabEvent down = *keepwatch.firstState(kEndpoint, kw::EndpointState::Down);
    const qint64 detection = millisecondsBetween(injected, down.ts);
    reportFields(u"mqtt-firewall-reset"_s, {{u"detection_ms"_s, QString::number(detection)},
                                            {u"bound_ms"_s, QString::number(kKeepAliveMs)},
                                            {u"cause"_s, down.causeName()}});
    qInfo().noquote() << "detail:" << down.detail;
    QVERIFY2(down.cause == kReset,
             qPrintable(u"cause "_s + down.causeName() + u", expected reset\n"_s + keepwatch.transcript()));
    QVERIFY2(down.detail.contains(u"ECONNRESET"),
             qPrintable(u"the detail lost the kernel's errno: "_s + down.detail));
    // Nothing is sent between PINGREQs on an idle session: the RST answers the next one.
    QVERIFY2(detection >= 0 && detection <= kKeepAliveMs + kMarginMs,
             qPrintable(u"detected after %1 ms, expected at most %2 ms\n"_s.arg(detection).arg(kKeepAliveMs +
                                                                                               kMarginMs) +
                        keepwatch.transcript()));
}

// While the path still resets, every attempt is refused and the delays between them follow the
// backoff (initial 500 ms, x 1.6, max 2 s, jitter 0.2); once the rule is gone the next attempt is a
// new MQTT 5 session.
void TestLabMqtt::reconnectsWithBackoffOnceTheFaultIsGone()
{
    LabTopology lab(u"mqttback"_s);
    QString error;
    QVERIFY2(lab.create(Layout::Direct, &error), qPrintable(error));
    LabProcess broker;
    QVERIFY2(startBroker(lab, broker, &error), qPrintable(error));

    KeepwatchRun keepwatch;
    QVERIFY2(keepwatch.start(lab, workspaceJson({withKeepalive(endpointJson(lab), u"{\"enabled\":false}"_s)}),
                             &error),
             qPrintable(error));
    QTRY_VERIFY2_WITH_TIMEOUT(countSessionUp(keepwatch) == 1, qPrintable(keepwatch.transcript()), 10000);
    QVERIFY2(lab.inject(Fault::RejectWithReset, kPort, &error).isValid(), qPrintable(error));
    // The first Down (reset, with the next PINGREQ) and three refused attempts after it.
    constexpr int kWaits = 4;
    QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.countStates(kEndpoint, kw::EndpointState::Waiting) >= kWaits,
                              qPrintable(keepwatch.transcript()), 20000);
    const QDateTime cleared = QDateTime::currentDateTimeUtc();
    QVERIFY2(lab.clearFaults(&error), qPrintable(error));
    QTRY_VERIFY2_WITH_TIMEOUT(countSessionUp(keepwatch) == 2, qPrintable(keepwatch.transcript()), 10000);

    const QList<LabEvent> states = keepwatch.states(kEndpoint);
    QList<double> delays;
    QStringList delayText;
    for (const LabEvent &state : states) {
        if (state.state == kw::EndpointState::Waiting) {
            delays.append(state.json.value(u"next_attempt_ms").toDouble(-1));
            delayText.append(QString::number(delays.constLast()));
        }
    }
    const auto upAgain = std::find_if(states.begin(), states.end(), [&cleared](const LabEvent &state) {
        return state.state == kw::EndpointState::Up && state.ts >= cleared;
    });
    QVERIFY2(upAgain != states.end(), qPrintable(keepwatch.transcript()));
    const qint64 upAfterClear = millisecondsBetween(cleared, upAgain->ts);
    reportFields(u"mqtt-reconnect"_s, {{u"up_after_clear_ms"_s, QString::number(upAfterClear)},
                                       {u"delays_ms"_s, delayText.join(u',')}});
    // gRPC connection backoff: delay n = min(500 x 1.6^n, 2000) x (1 ± 0.2).
    for (qsizetype n = 0; n < std::min<qsizetype>(delays.size(), kWaits); ++n) {
        const double base = std::min(500.0 * std::pow(1.6, double(n)), 2000.0);
        QVERIFY2(delays.at(n) >= base * 0.8 - 1 && delays.at(n) <= base * 1.2 + 1,
                 qPrintable(u"delay %1 is %2 ms, expected %3 ms ± 20 %%; all: %4"_s.arg(n)
                                .arg(delays.at(n))
                                .arg(base)
                                .arg(delayText.join(u", "))));
    }
    // The attempts while the rule held were refused (the firewall's RST to the SYN), not timed out.
    for (const LabEvent &state : states) {
        if (state.state == kw::EndpointState::Down && state.ts > states.first().ts && state.ts < cleared)
            QVERIFY2(state.cause == kReset || state.cause == kw::Cause(kw::CauseCode::Refused),
                     qPrintable(keepwatch.transcript()));
    }
    // Up again within the longest announced delay (the attempt that was waiting) and a connect.
    const double longest = *std::max_element(delays.begin(), delays.end());
    QVERIFY2(upAfterClear >= 0 && upAfterClear <= qint64(longest) + kMarginMs,
             qPrintable(u"up %1 ms after the rule was gone, expected at most %2 ms\n"_s.arg(upAfterClear)
                            .arg(qint64(longest) + kMarginMs) +
                        keepwatch.transcript()));
}

// A device publishing through the broker (mosquitto_pub in the peer namespace, every 0.5 s) that stops
// is a device event while the broker stays Up. Then the broker's path is cut: the broker is Down
// (mqtt-ping-timeout) and the outage is not reported as a silent device. The device's timeout is 5 s,
// above the broker's 4 s bound, so the broker is found down before the device could be judged.
void TestLabMqtt::silentDeviceIsNotTheBroker()
{
    LabTopology lab(u"mqttdev"_s);
    QString error;
    QVERIFY2(lab.create(Layout::Direct, &error), qPrintable(error));
    LabProcess broker;
    QVERIFY2(startBroker(lab, broker, &error), qPrintable(error));

    KeepwatchRun keepwatch;
    const QString endpoint =
        withKeepalive(endpointJson(lab, uR"(,"watch":[{"topic":"devices/+/heartbeat","timeout_s":5}])"_s),
                      u"{\"enabled\":false}"_s);
    QVERIFY2(keepwatch.start(lab, workspaceJson({endpoint}), &error), qPrintable(error));
    QTRY_VERIFY2_WITH_TIMEOUT(countSessionUp(keepwatch) == 1, qPrintable(keepwatch.transcript()), 10000);

    const QStringList publish{
        u"-h"_s,    lab.peerAddress(), u"-t"_s,      u"devices/x/heartbeat"_s, u"-m"_s,
        u"alive"_s, u"--repeat"_s,     u"1000000"_s, u"--repeat-delay"_s,      u"0.5"_s};
    auto device = std::make_unique<LabProcess>();
    QVERIFY2(device->start(lab.peerNamespace(), m_mosquittoPub, publish, &error), qPrintable(error));
    // Found at its first message (no event: being found is not news); let it publish for 2 s.
    QTest::qWait(2000);
    QVERIFY2(deviceEvents(keepwatch).isEmpty(), qPrintable(keepwatch.transcript()));
    device.reset(); // killed
    const QDateTime stopped = QDateTime::currentDateTimeUtc();
    QTRY_VERIFY2_WITH_TIMEOUT(!deviceEvents(keepwatch).isEmpty(), qPrintable(keepwatch.transcript()), 10000);
    const LabEvent silent = deviceEvents(keepwatch).constFirst();
    const qint64 silentAfter = millisecondsBetween(stopped, silent.ts);
    reportFields(u"mqtt-device-silent"_s, {{u"detection_ms"_s, QString::number(silentAfter)},
                                           {u"bound_ms"_s, u"5000"_s},
                                           {u"cause"_s, silent.causeName()}});
    QVERIFY2(silent.cause == kDeviceSilent && silent.state == kw::EndpointState::Down &&
                 silent.json.value(u"device").toString() == u"devices/x/heartbeat",
             silent.line.constData());
    // 5 s after its last message (0–0.5 s before the kill), found by a sweep every 1 s (a quarter of
    // the timeout, capped at 1 s).
    QVERIFY2(silentAfter >= 4400 && silentAfter <= 5000 + 1000 + kMarginMs,
             qPrintable(u"device silent after %1 ms, expected 4400–6500 ms\n"_s.arg(silentAfter) +
                        keepwatch.transcript()));
    QCOMPARE(keepwatch.countStates(kEndpoint, kw::EndpointState::Down), 0);

    // The device publishes again (Up), then the broker's path is cut.
    device = std::make_unique<LabProcess>();
    QVERIFY2(device->start(lab.peerNamespace(), m_mosquittoPub, publish, &error), qPrintable(error));
    QTRY_VERIFY2_WITH_TIMEOUT(deviceEvents(keepwatch).size() == 2, qPrintable(keepwatch.transcript()), 5000);
    QCOMPARE(deviceEvents(keepwatch).constLast().state, kw::EndpointState::Up);
    const std::optional<LabEvent> ping = waitForFreshPing(keepwatch);
    QVERIFY2(ping, qPrintable(u"no PINGRESP within 10 s\n"_s + keepwatch.transcript()));
    const QDateTime injected = lab.inject(Fault::Blackhole, kPort, &error);
    QVERIFY2(injected.isValid(), qPrintable(error));
    QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.firstState(kEndpoint, kw::EndpointState::Down),
                              qPrintable(keepwatch.transcript()), 15000);
    const LabEvent down = *keepwatch.firstState(kEndpoint, kw::EndpointState::Down);
    const qint64 detection = millisecondsBetween(injected, down.ts);
    reportFields(u"mqtt-broker-cut-with-device"_s, {{u"detection_ms"_s, QString::number(detection)},
                                                    {u"bound_ms"_s, QString::number(kBoundMs)},
                                                    {u"cause"_s, down.causeName()}});
    QVERIFY2(down.cause == kPingTimeout, qPrintable(keepwatch.transcript()));
    QVERIFY2(detection <= kBoundMs + kMarginMs,
             qPrintable(u"detected after %1 ms\n"_s.arg(detection) + keepwatch.transcript()));
    // Past the device's own timeout after the cut, and then some: still only the two device events.
    const qint64 remaining = 5000 + 2000 - injected.msecsTo(QDateTime::currentDateTimeUtc());
    if (remaining > 0)
        QTest::qWait(static_cast<int>(remaining));
    QVERIFY2(deviceEvents(keepwatch).size() == 2,
             qPrintable(u"device events during the broker's outage\n"_s + keepwatch.transcript()));
}

QTEST_GUILESS_MAIN(TestLabMqtt)
#include "tst_lab_mqtt.moc"
