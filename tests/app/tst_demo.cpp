// The embedded demo is what a new user sees first: run the real binary on it, headless, and check
// that each of its endpoints shows what it is there to show. Its MQTT broker and devices are then
// run in-process and spoken to with our own codec as the client.

#include "demomqttbroker.h"
#include "demomqttdevices.h"
#include "mqttcodec.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <vector>

using namespace std::chrono;
using namespace Qt::StringLiterals;
namespace mqtt = kw::mqtt;

Q_DECLARE_METATYPE(kw::mqtt::Version)

namespace {

const QString kBinary = QString::fromLocal8Bit(KEEPWATCH_BINARY);

// The demo's endpoints, in the order the demo lists them. Adding one is a deliberate change here.
const QStringList kDemoEndpoints = {u"heartbeat-service"_qs, u"tls-service"_qs,        u"websocket-feed"_qs,
                                    u"flaky-service"_qs,     u"tcp-keepalive-only"_qs, u"mqtt-broker"_qs,
                                    u"retired-service"_qs};

QList<QJsonObject> eventsOf(const QList<QJsonObject> &events, const QString &endpoint, const QString &kind)
{
    QList<QJsonObject> out;
    for (const QJsonObject &event : events) {
        if (event[u"endpoint"].toString() == endpoint && event[u"kind"].toString() == kind)
            out.append(event);
    }
    return out;
}

QByteArray describe(const QList<QJsonObject> &events)
{
    QByteArray text;
    for (const QJsonObject &event : events)
        text += QJsonDocument(event).toJson(QJsonDocument::Compact) + '\n';
    return text;
}

// The client side of a loopback connection to the demo broker, on our own codec. Every packet it
// receives is kept, with the time it arrived.
class MqttTestClient
{
public:
    struct Received
    {
        milliseconds at;
        mqtt::Packet packet;
    };

    explicit MqttTestClient(mqtt::Version version)
        : m_version(version), m_decoder(mqtt::Role::Client, version)
    {
        m_clock.start();
        QObject::connect(&m_socket, &QTcpSocket::readyRead, &m_socket, [this] {
            const QByteArray bytes = m_socket.readAll();
            m_decoder.feed(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())),
                           [this](mqtt::Packet &&packet) {
                               m_received.push_back({milliseconds(m_clock.elapsed()), std::move(packet)});
                           });
        });
        QObject::connect(&m_socket, &QTcpSocket::disconnected, &m_socket, [this] {
            m_closed = true;
            m_closedAt = milliseconds(m_clock.elapsed());
        });
    }

    bool connectTo(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        return m_socket.waitForConnected(5000);
    }

    void send(const mqtt::Packet &packet) { sendRaw(mqtt::encode(packet, m_version)); }

    void sendRaw(const std::string &bytes)
    {
        m_socket.write(bytes.data(), static_cast<qint64>(bytes.size()));
    }

    // CONNECT, and the CONNACK it gets (none when none came in time).
    std::optional<mqtt::Connack> handshake(std::uint16_t keepAlive = 30, std::string clientId = "tst-demo")
    {
        mqtt::Connect connect;
        connect.version = m_version;
        connect.keepAlive = keepAlive;
        connect.clientId = std::move(clientId);
        send(connect);
        return waitFor<mqtt::Connack>();
    }

    // Waits for the first packet of type T received from `from` on; none after `timeout`.
    template<typename T>
    std::optional<T> waitFor(std::size_t from = 0, milliseconds timeout = milliseconds(3000))
    {
        QElapsedTimer waited;
        waited.start();
        while (true) {
            for (std::size_t i = from; i < m_received.size(); ++i) {
                if (const T *packet = std::get_if<T>(&m_received[i].packet))
                    return *packet;
            }
            if (waited.elapsed() > timeout.count() || m_closed)
                return std::nullopt;
            QTest::qWait(10);
        }
    }

    // Sends PINGREQ and waits for its PINGRESP: everything the broker sent before it has arrived.
    bool barrier()
    {
        const std::size_t from = m_received.size();
        send(mqtt::Pingreq{});
        return waitFor<mqtt::Pingresp>(from).has_value();
    }

    template<typename T>
    std::vector<T> all() const
    {
        std::vector<T> out;
        for (const Received &r : m_received) {
            if (const T *packet = std::get_if<T>(&r.packet))
                out.push_back(*packet);
        }
        return out;
    }

    const std::vector<Received> &received() const { return m_received; }
    std::size_t count() const { return m_received.size(); }
    bool closed() const { return m_closed; }
    milliseconds closedAt() const { return m_closedAt; }
    milliseconds now() const { return milliseconds(m_clock.elapsed()); }
    const std::optional<mqtt::DecodeError> &decodeError() const { return m_decoder.error(); }

private:
    mqtt::Version m_version;
    mqtt::Decoder m_decoder;
    QTcpSocket m_socket;
    QElapsedTimer m_clock;
    std::vector<Received> m_received;
    bool m_closed = false;
    milliseconds m_closedAt{0};
};

mqtt::Subscribe subscribeTo(std::string filter, std::uint8_t qos, std::uint16_t packetId = 1)
{
    mqtt::Subscribe subscribe;
    subscribe.packetId = packetId;
    subscribe.subscriptions.push_back(mqtt::Subscription{std::move(filter), qos});
    return subscribe;
}

kw::DemoMqttBroker::Options promptPings()
{
    kw::DemoMqttBroker::Options options;
    options.slowPingOneIn = 0;
    return options;
}

struct Heartbeat
{
    qint64 seq = -1;
    qint64 uptimeS = -1;
};

std::optional<Heartbeat> parseHeartbeat(const std::string &payload)
{
    const QJsonObject object = QJsonDocument::fromJson(QByteArray::fromStdString(payload)).object();
    if (!object[u"seq"].isDouble() || !object[u"uptime_s"].isDouble())
        return std::nullopt;
    return Heartbeat{object[u"seq"].toInteger(), object[u"uptime_s"].toInteger()};
}

QByteArray show(const mqtt::Publish &p)
{
    return QByteArray::fromStdString(p.topic + " " + p.payload + (p.retain ? " (retained)" : ""));
}

} // namespace

class TestDemo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dataDir.isValid());
        QProcess process;
        process.start(kBinary, {u"--headless"_qs, u"--demo"_qs, u"--data-dir"_qs, m_dataDir.path(),
                                u"--duration"_qs, u"8"_qs, u"--events"_qs, u"-"_qs});
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        for (const QByteArray &line : process.readAllStandardOutput().split('\n')) {
            if (line.trimmed().isEmpty())
                continue;
            QJsonParseError error;
            const QJsonDocument document = QJsonDocument::fromJson(line, &error);
            QVERIFY2(error.error == QJsonParseError::NoError && document.isObject(), line.constData());
            m_events.append(document.object());
        }
    }

    void startsEveryDemoEndpoint()
    {
        QStringList seen;
        for (const QJsonObject &event : std::as_const(m_events)) {
            const QString endpoint = event[u"endpoint"].toString();
            if (!endpoint.isEmpty() && !seen.contains(endpoint))
                seen.append(endpoint);
        }
        std::sort(seen.begin(), seen.end());
        QStringList expected = kDemoEndpoints;
        std::sort(expected.begin(), expected.end());
        QCOMPARE(seen, expected);
    }

    void endpointComesUpWithRttSamples_data()
    {
        QTest::addColumn<QString>("endpoint");
        QTest::addColumn<QString>("source");
        QTest::newRow("heartbeat") << u"heartbeat-service"_qs << u"heartbeat"_qs;
        QTest::newRow("tls heartbeat") << u"tls-service"_qs << u"heartbeat"_qs;
        QTest::newRow("websocket ping") << u"websocket-feed"_qs << u"ws-ping"_qs;
    }

    void endpointComesUpWithRttSamples()
    {
        QFETCH(QString, endpoint);
        QFETCH(QString, source);
        const QList<QJsonObject> states = eventsOf(m_events, endpoint, u"state"_qs);
        QVERIFY2(!states.isEmpty(), qPrintable(endpoint));
        QVERIFY2(std::any_of(states.begin(), states.end(),
                             [](const QJsonObject &e) { return e[u"state"].toString() == u"up"; }),
                 describe(states).constData());
        // Nothing but the shutdown takes it down within the run.
        for (const QJsonObject &state : states) {
            const QString to = state[u"state"].toString();
            QVERIFY2(to != u"down" && to != u"waiting", describe({state}).constData());
        }

        // A sample every 2 s for 8 s; the first comes right after the connection is up.
        int samples = 0;
        for (const QJsonObject &rtt : eventsOf(m_events, endpoint, u"rtt"_qs)) {
            if (rtt[u"source"].toString() != source)
                continue;
            QVERIFY2(rtt[u"rtt_ms"].toDouble(-1) >= 0, describe({rtt}).constData());
            ++samples;
        }
        QVERIFY2(samples >= 2, qPrintable(u"%1: %2 %3 samples"_qs.arg(endpoint).arg(samples).arg(source)));
    }

    void tlsEndpointVerifiesTheDemoCertificate()
    {
        const QList<QJsonObject> infos = eventsOf(m_events, u"tls-service"_qs, u"info"_qs);
        const auto up = std::find_if(infos.begin(), infos.end(), [](const QJsonObject &e) {
            return e[u"detail"].toString().startsWith(u"TLS up: ");
        });
        QVERIFY2(up != infos.end(), describe(infos).constData());
        QVERIFY2(up->value(u"detail").toString().startsWith(u"TLS up: TLSv1.3"), describe({*up}).constData());
        QCOMPARE(up->value(u"tls_protocol").toString(), u"TLSv1.3"_qs);
        // Verified against the demo CA; the demo never shows `insecure`.
        QCOMPARE(up->value(u"verified").toBool(), true);
        QVERIFY(!up->value(u"tls_insecure").toBool());
        QVERIFY2(up->value(u"peer_subject").toString().contains(u"CN=localhost"),
                 describe({*up}).constData());
        QVERIFY2(up->value(u"peer_issuer").toString().contains(u"Keepwatch demo CA"),
                 describe({*up}).constData());
        // Made for this run, and not so close to expiry that the demo warns about it.
        QVERIFY2(up->value(u"days_left").toInt() > 14, describe({*up}).constData());
        for (const QJsonObject &info : infos)
            QVERIFY2(!info.contains(u"warning"), describe({info}).constData());
    }

    void webSocketEndpointUpgradesOnItsPath()
    {
        const QList<QJsonObject> states = eventsOf(m_events, u"websocket-feed"_qs, u"state"_qs);
        const auto up = std::find_if(states.begin(), states.end(),
                                     [](const QJsonObject &e) { return e[u"state"].toString() == u"up"; });
        QVERIFY2(up != states.end(), describe(states).constData());
        const QString detail = up->value(u"detail").toString();
        QVERIFY2(detail.contains(u"ws://127.0.0.1:") && detail.contains(u"/demo") && detail.contains(u"101"),
                 qPrintable(detail));
    }

    // The demo's MQTT endpoint through the real session: up on CONNACK and timed pings at its 5 s
    // keep alive.
    void mqttEndpointComesUpAndPings()
    {
        const QList<QJsonObject> states = eventsOf(m_events, u"mqtt-broker"_s, u"state"_s);
        QVERIFY2(std::any_of(states.begin(), states.end(),
                             [](const QJsonObject &e) { return e[u"state"].toString() == u"up"; }),
                 describe(states).constData());
        for (const QJsonObject &state : states) {
            const QString to = state[u"state"].toString();
            QVERIFY2(to != u"down" && to != u"waiting", describe({state}).constData());
        }
        int pings = 0;
        for (const QJsonObject &rtt : eventsOf(m_events, u"mqtt-broker"_s, u"rtt"_s)) {
            if (rtt[u"source"].toString() == u"mqtt-ping") {
                QVERIFY2(rtt[u"rtt_ms"].toDouble(-1) >= 0, describe({rtt}).constData());
                ++pings;
            }
        }
        QVERIFY2(pings >= 1, describe(eventsOf(m_events, u"mqtt-broker"_s, u"rtt"_s)).constData());

        // A device found is not news (Awaiting -> Up raises no event), and none can be silent yet: the
        // watch allows 15 s. A device event here would be one misread, a heartbeat taken for a Will.
        const QList<QJsonObject> devices = eventsOf(m_events, u"mqtt-broker"_s, u"device"_s);
        QVERIFY2(devices.isEmpty(), describe(devices).constData());
    }

    void mqttBrokerAcceptsConnect_data()
    {
        QTest::addColumn<mqtt::Version>("version");
        QTest::addColumn<int>("keepAlive");
        QTest::addColumn<QString>("clientId");
        QTest::addColumn<int>("serverKeepAlive"); // -1: absent
        QTest::addColumn<bool>("assignsClientId");
        QTest::newRow("5") << mqtt::Version::V5 << 5 << u"tst-demo"_s << -1 << false;
        QTest::newRow("5, keep alive 60 kept") << mqtt::Version::V5 << 60 << u"tst-demo"_s << -1 << false;
        QTest::newRow("5, keep alive 120 lowered")
            << mqtt::Version::V5 << 120 << u"tst-demo"_s << 60 << false;
        QTest::newRow("5, empty client id") << mqtt::Version::V5 << 5 << QString() << -1 << true;
        QTest::newRow("3.1.1") << mqtt::Version::V311 << 5 << u"tst-demo"_s << -1 << false;
        QTest::newRow("3.1.1, keep alive 120") << mqtt::Version::V311 << 120 << u"tst-demo"_s << -1 << false;
        QTest::newRow("3.1.1, empty client id") << mqtt::Version::V311 << 5 << QString() << -1 << false;
    }

    void mqttBrokerAcceptsConnect()
    {
        QFETCH(mqtt::Version, version);
        QFETCH(int, keepAlive);
        QFETCH(QString, clientId);
        QFETCH(int, serverKeepAlive);
        QFETCH(bool, assignsClientId);
        kw::DemoMqttBroker broker(promptPings());
        QString error;
        QVERIFY2(broker.listen(&error), qPrintable(error));
        MqttTestClient client(version);
        QVERIFY(client.connectTo(broker.port()));
        const std::optional<mqtt::Connack> ack =
            client.handshake(static_cast<std::uint16_t>(keepAlive), clientId.toStdString());
        QVERIFY(ack);
        QCOMPARE(ack->reasonCode, 0);
        QCOMPARE(ack->sessionPresent, false);
        QCOMPARE(ack->properties.serverKeepAlive.has_value(), serverKeepAlive >= 0);
        if (serverKeepAlive >= 0)
            QCOMPARE(int(*ack->properties.serverKeepAlive), serverKeepAlive);
        QCOMPARE(ack->properties.assignedClientIdentifier.has_value(), assignsClientId);
        if (assignsClientId)
            QVERIFY(!ack->properties.assignedClientIdentifier->empty());
        if (version == mqtt::Version::V5)
            QCOMPARE(ack->properties.maximumQos, std::optional<std::uint8_t>(1));
        else
            QVERIFY(ack->properties.empty());
        QVERIFY(client.barrier());
        QCOMPARE(broker.clientCount(), 1);
    }

    // 3.1.1 section 3.1.3.1: an empty client id needs a clean session, else return code 2.
    void mqttBrokerRejectsEmptyClientIdWithoutCleanSession()
    {
        kw::DemoMqttBroker broker(promptPings());
        QString error;
        QVERIFY2(broker.listen(&error), qPrintable(error));
        MqttTestClient client(mqtt::Version::V311);
        QVERIFY(client.connectTo(broker.port()));
        mqtt::Connect connect;
        connect.version = mqtt::Version::V311;
        connect.cleanStart = false;
        client.send(connect);
        const std::optional<mqtt::Connack> ack = client.waitFor<mqtt::Connack>();
        QVERIFY(ack);
        QCOMPARE(ack->reasonCode, 2);
        QTRY_VERIFY(client.closed());
    }

    // A protocol level the broker does not speak: 3.1.1's CONNACK "unacceptable protocol version"
    // ([MQTT-3.1.2-2]), then the connection ends.
    void mqttBrokerRefusesUnknownProtocolLevel()
    {
        kw::DemoMqttBroker broker(promptPings());
        QString error;
        QVERIFY2(broker.listen(&error), qPrintable(error));
        MqttTestClient client(mqtt::Version::V311);
        QVERIFY(client.connectTo(broker.port()));
        // CONNECT, protocol name "MQTT", level 3, clean session, keep alive 60, client id "x".
        client.sendRaw(std::string("\x10\x0D\x00\x04MQTT\x03\x02\x00\x3C\x00\x01x", 15));
        const std::optional<mqtt::Connack> ack = client.waitFor<mqtt::Connack>();
        QVERIFY(ack);
        QCOMPARE(int(ack->reasonCode), 1);
        QTRY_VERIFY(client.closed());
        QTRY_COMPARE(broker.clientCount(), 0);
    }

    // What the demo endpoint sees: the retained heartbeat of every device at once, flagged as
    // retained, then fresh ones about every 5 s, and prompt PINGRESPs.
    void mqttDemoDevicesPublishRetainedThenFreshHeartbeats()
    {
        kw::DemoMqttBroker broker;
        QString error;
        QVERIFY2(broker.listen(&error), qPrintable(error));
        kw::DemoMqttDevices devices(&broker);
        devices.start();

        MqttTestClient client(mqtt::Version::V5);
        QVERIFY(client.connectTo(broker.port()));
        const std::optional<mqtt::Connack> ack = client.handshake(5);
        QVERIFY(ack);
        QCOMPARE(ack->reasonCode, 0);
        client.send(subscribeTo("devices/+/heartbeat", 0, 7));
        const std::optional<mqtt::SubscribeAck> suback = client.waitFor<mqtt::SubscribeAck>();
        QVERIFY(suback);
        QCOMPARE(suback->type, mqtt::PacketType::Suback);
        QCOMPARE(suback->packetId, 7);
        QCOMPARE(suback->reasonCodes, std::vector<std::uint8_t>{0});

        QVERIFY(client.barrier());
        std::map<std::string, Heartbeat> retained;
        for (const mqtt::Publish &p : client.all<mqtt::Publish>()) {
            QVERIFY2(p.retain, show(p).constData());
            QCOMPARE(p.qos, 0);
            const std::optional<Heartbeat> beat = parseHeartbeat(p.payload);
            QVERIFY2(beat && beat->seq > 0 && beat->uptimeS > 0, show(p).constData());
            QVERIFY2(retained.emplace(p.topic, *beat).second, show(p).constData());
        }
        QCOMPARE(int(retained.size()), int(kw::DemoMqttDevices::names().size()));
        for (const QString &name : kw::DemoMqttDevices::names())
            QVERIFY2(retained.contains(kw::DemoMqttDevices::topicOf(name)), qPrintable(name));

        // Fresh heartbeats: the retain flag is clear and the sequence moves on.
        std::map<std::string, std::vector<std::pair<milliseconds, Heartbeat>>> fresh;
        const auto collectFresh = [&] {
            fresh.clear();
            for (const MqttTestClient::Received &r : client.received()) {
                const auto *p = std::get_if<mqtt::Publish>(&r.packet);
                if (!p || p->retain)
                    continue;
                const std::optional<Heartbeat> beat = parseHeartbeat(p->payload);
                if (beat)
                    fresh[p->topic].emplace_back(r.at, *beat);
            }
            return fresh.size();
        };
        QTRY_VERIFY_WITH_TIMEOUT(collectFresh() >= 3, 12000);
        for (const auto &[topic, beats] : fresh) {
            QVERIFY2(retained.contains(topic), topic.c_str());
            QVERIFY2(beats.front().second.seq == retained[topic].seq + 1, topic.c_str());
            QVERIFY2(beats.front().second.uptimeS >= retained[topic].uptimeS, topic.c_str());
        }

        // PINGREQ → PINGRESP, prompt even when the broker holds one back (at most 300 ms).
        for (int i = 0; i < 5; ++i) {
            const std::size_t from = client.count();
            const milliseconds sent = client.now();
            client.send(mqtt::Pingreq{});
            QVERIFY(client.waitFor<mqtt::Pingresp>(from, milliseconds(2000)));
            QVERIFY2(client.now() - sent < milliseconds(1000),
                     qPrintable(QString::number((client.now() - sent).count())));
        }
        QVERIFY(!client.closed());
    }

    void mqttBrokerGrantsAtMostQos1_data()
    {
        QTest::addColumn<mqtt::Version>("version");
        QTest::addColumn<QString>("filter");
        QTest::addColumn<int>("requested");
        QTest::addColumn<int>("granted");
        QTest::newRow("5, QoS 0") << mqtt::Version::V5 << u"devices/+/heartbeat"_s << 0 << 0;
        QTest::newRow("5, QoS 1") << mqtt::Version::V5 << u"devices/+/heartbeat"_s << 1 << 1;
        QTest::newRow("5, QoS 2") << mqtt::Version::V5 << u"devices/#"_s << 2 << 1;
        QTest::newRow("5, shared") << mqtt::Version::V5 << u"$share/g/devices/#"_s << 1 << 0x9E;
        QTest::newRow("3.1.1, QoS 2") << mqtt::Version::V311 << u"devices/+/heartbeat"_s << 2 << 1;
    }

    void mqttBrokerGrantsAtMostQos1()
    {
        QFETCH(mqtt::Version, version);
        QFETCH(QString, filter);
        QFETCH(int, requested);
        QFETCH(int, granted);
        kw::DemoMqttBroker broker(promptPings());
        QString error;
        QVERIFY2(broker.listen(&error), qPrintable(error));
        mqtt::Publish kept;
        kept.topic = "devices/x/heartbeat";
        kept.qos = 1;
        kept.retain = true;
        kept.payload = "kept";
        broker.publish(kept);

        MqttTestClient client(version);
        QVERIFY(client.connectTo(broker.port()));
        QVERIFY(client.handshake());
        client.send(subscribeTo(filter.toStdString(), static_cast<std::uint8_t>(requested)));
        const std::optional<mqtt::SubscribeAck> ack = client.waitFor<mqtt::SubscribeAck>();
        QVERIFY(ack);
        QCOMPARE(ack->reasonCodes, std::vector<std::uint8_t>{static_cast<std::uint8_t>(granted)});
        QVERIFY(client.barrier());
        const std::vector<mqtt::Publish> publishes = client.all<mqtt::Publish>();
        if (granted > 1) {
            QVERIFY(publishes.empty());
            return;
        }
        // The retained message at the QoS granted, the retain flag set.
        QCOMPARE(publishes.size(), std::size_t(1));
        QCOMPARE(publishes[0].payload, std::string("kept"));
        QVERIFY(publishes[0].retain);
        QCOMPARE(int(publishes[0].qos), granted);
        QCOMPARE(publishes[0].packetId != 0, granted > 0);
    }

    // Client publishes: PUBACK for QoS 1, retained kept (and removed by an empty payload), live
    // deliveries with the retain flag clear; UNSUBSCRIBE ends the deliveries.
    void mqttBrokerRoutesAndRetainsClientPublishes()
    {
        kw::DemoMqttBroker broker(promptPings());
        QString error;
        QVERIFY2(broker.listen(&error), qPrintable(error));
        MqttTestClient publisher(mqtt::Version::V311);
        QVERIFY(publisher.connectTo(broker.port()));
        QVERIFY(publisher.handshake(30, "publisher"));
        mqtt::Publish message;
        message.topic = "lab/door";
        message.qos = 1;
        message.packetId = 41;
        message.retain = true;
        message.payload = "open";
        publisher.send(message);
        const std::optional<mqtt::PublishAck> puback = publisher.waitFor<mqtt::PublishAck>();
        QVERIFY(puback);
        QCOMPARE(puback->type, mqtt::PacketType::Puback);
        QCOMPARE(puback->packetId, 41);

        MqttTestClient subscriber(mqtt::Version::V5);
        QVERIFY(subscriber.connectTo(broker.port()));
        QVERIFY(subscriber.handshake(30, "subscriber"));
        subscriber.send(subscribeTo("lab/+", 1));
        QVERIFY(subscriber.waitFor<mqtt::SubscribeAck>());
        QVERIFY(subscriber.barrier());
        std::vector<mqtt::Publish> got = subscriber.all<mqtt::Publish>();
        QCOMPARE(got.size(), std::size_t(1));
        QCOMPARE(got[0].payload, std::string("open"));
        QVERIFY(got[0].retain);

        message.qos = 0;
        message.packetId = 0;
        message.retain = false;
        message.payload = "closed";
        publisher.send(message);
        QTRY_COMPARE(subscriber.all<mqtt::Publish>().size(), std::size_t(2));
        got = subscriber.all<mqtt::Publish>();
        QCOMPARE(got[1].payload, std::string("closed"));
        QVERIFY(!got[1].retain);

        // An empty retained payload removes the retained message.
        message.retain = true;
        message.payload.clear();
        publisher.send(message);
        QTRY_COMPARE(subscriber.all<mqtt::Publish>().size(), std::size_t(3));
        MqttTestClient late(mqtt::Version::V5);
        QVERIFY(late.connectTo(broker.port()));
        QVERIFY(late.handshake(30, "late"));
        late.send(subscribeTo("lab/#", 0));
        QVERIFY(late.waitFor<mqtt::SubscribeAck>());
        QVERIFY(late.barrier());
        QVERIFY(late.all<mqtt::Publish>().empty());

        mqtt::Unsubscribe unsubscribe;
        unsubscribe.packetId = 9;
        unsubscribe.filters = {"lab/+", "not/subscribed"};
        const std::size_t from = subscriber.count();
        subscriber.send(unsubscribe);
        const std::optional<mqtt::SubscribeAck> unsuback = subscriber.waitFor<mqtt::SubscribeAck>(from);
        QVERIFY(unsuback);
        QCOMPARE(unsuback->type, mqtt::PacketType::Unsuback);
        QCOMPARE(unsuback->packetId, 9);
        QCOMPARE(unsuback->reasonCodes, (std::vector<std::uint8_t>{0x00, 0x11}));
        message.retain = false;
        message.payload = "ajar";
        publisher.send(message);
        QTRY_COMPARE(late.all<mqtt::Publish>().size(), std::size_t(1));
        QVERIFY(subscriber.barrier());
        QCOMPARE(subscriber.all<mqtt::Publish>().size(), std::size_t(3));
    }

    // The broker side of keep alive (3.1.1 section 3.1.2.10): nothing within 1.5 × the keep alive
    // and the connection is closed, a 5.0 client told 0x8D first; a client that pings stays.
    void mqttBrokerEnforcesKeepAlive_data()
    {
        QTest::addColumn<mqtt::Version>("version");
        QTest::newRow("5") << mqtt::Version::V5;
        QTest::newRow("3.1.1") << mqtt::Version::V311;
    }

    void mqttBrokerEnforcesKeepAlive()
    {
        QFETCH(mqtt::Version, version);
        kw::DemoMqttBroker broker(promptPings());
        QString error;
        QVERIFY2(broker.listen(&error), qPrintable(error));

        MqttTestClient pinging(version);
        QVERIFY(pinging.connectTo(broker.port()));
        QVERIFY(pinging.handshake(1, "pinging"));
        MqttTestClient quiet(version);
        QVERIFY(quiet.connectTo(broker.port()));
        QVERIFY(quiet.handshake(1, "quiet"));
        const milliseconds connectedAt = quiet.now();

        QElapsedTimer elapsed;
        elapsed.start();
        while (elapsed.elapsed() < 3000) {
            QVERIFY(pinging.barrier());
            QTest::qWait(500);
        }
        QVERIFY(!pinging.closed());
        QVERIFY(quiet.closed());
        const milliseconds after = quiet.closedAt() - connectedAt;
        QVERIFY2(after >= milliseconds(1400) && after <= milliseconds(2200),
                 qPrintable(QString::number(after.count())));
        const std::vector<mqtt::Disconnect> told = quiet.all<mqtt::Disconnect>();
        if (version == mqtt::Version::V5) {
            QCOMPARE(told.size(), std::size_t(1));
            QCOMPARE(told[0].reasonCode, 0x8D);
        } else {
            QVERIFY(told.empty());
        }
    }

    void mqttBrokerClosesOnBadPackets_data()
    {
        QTest::addColumn<mqtt::Version>("version");
        QTest::addColumn<bool>("connectFirst");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("reason"); // the 5.0 DISCONNECT; -1: none
        // PUBLISH with both QoS bits set is malformed (5.0 section 3.3.1.2).
        const QByteArray qos3("\x36\x05\x00\x01\x61\x00\x01", 7);
        // A second CONNECT is a protocol error (5.0 section 3.1).
        const QByteArray connect =
            QByteArray::fromStdString(mqtt::encode(mqtt::Connect{}, mqtt::Version::V5));
        // A packet before CONNECT: closed at once, nothing said.
        const QByteArray pingreq("\xC0\x00", 2);
        // A topic filter with '#' not last (5.0 section 4.7.1.2): 0x8F Topic Filter invalid.
        // Written by hand: the encoder does not write what the standard forbids.
        const QByteArray badFilter = QByteArray("\x82\x11\x00\x01\x00\x00\x0B", 7) + "devices/#/x" + '\0';
        QTest::newRow("5, QoS 3") << mqtt::Version::V5 << true << qos3 << 0x81;
        QTest::newRow("5, invalid topic filter") << mqtt::Version::V5 << true << badFilter << 0x8F;
        QTest::newRow("5, second CONNECT") << mqtt::Version::V5 << true << connect << 0x82;
        QTest::newRow("5, PINGREQ before CONNECT") << mqtt::Version::V5 << false << pingreq << -1;
        QTest::newRow("3.1.1, QoS 3") << mqtt::Version::V311 << true << qos3 << -1;
    }

    void mqttBrokerClosesOnBadPackets()
    {
        QFETCH(mqtt::Version, version);
        QFETCH(bool, connectFirst);
        QFETCH(QByteArray, bytes);
        QFETCH(int, reason);
        kw::DemoMqttBroker broker(promptPings());
        QString error;
        QVERIFY2(broker.listen(&error), qPrintable(error));
        MqttTestClient client(version);
        QVERIFY(client.connectTo(broker.port()));
        if (connectFirst)
            QVERIFY(client.handshake());
        client.sendRaw(bytes.toStdString());
        QTRY_VERIFY_WITH_TIMEOUT(client.closed(), 3000);
        const std::vector<mqtt::Disconnect> told = client.all<mqtt::Disconnect>();
        if (reason < 0) {
            QVERIFY(told.empty());
        } else {
            QCOMPARE(told.size(), std::size_t(1));
            QCOMPARE(int(told[0].reasonCode), reason);
        }
        QTRY_COMPARE(broker.clientCount(), 0);
    }

    // The devices' bad moments on a fast clock: a silent device publishes nothing for its whole
    // silence while the others go on; a dropped one is announced by its Will and comes back
    // from seq 1.
    void mqttDemoDevicesGoSilentAndDrop()
    {
        kw::DemoMqttBroker broker(promptPings());
        QString error;
        QVERIFY2(broker.listen(&error), qPrintable(error));
        kw::DemoMqttDevices::Schedule schedule;
        schedule.heartbeat = {milliseconds(40), milliseconds(60)};
        schedule.silenceEvery = {milliseconds(200), milliseconds(300)};
        schedule.silenceFor = {milliseconds(600), milliseconds(700)};
        schedule.dropEvery = {milliseconds(300), milliseconds(400)};
        schedule.dropFor = {milliseconds(400), milliseconds(500)};
        kw::DemoMqttDevices devices(&broker, schedule);

        MqttTestClient client(mqtt::Version::V5);
        QVERIFY(client.connectTo(broker.port()));
        QVERIFY(client.handshake());
        client.send(subscribeTo("devices/+/heartbeat", 0));
        QVERIFY(client.waitFor<mqtt::SubscribeAck>());

        struct Moment
        {
            QString device;
            milliseconds at;
        };
        std::vector<Moment> silenced, dropped, resumed;
        QObject::connect(&devices, &kw::DemoMqttDevices::deviceSilenced, &devices, [&](const QString &name) {
            silenced.push_back({name, client.now()});
        });
        QObject::connect(&devices, &kw::DemoMqttDevices::deviceDropped, &devices, [&](const QString &name) {
            dropped.push_back({name, client.now()});
        });
        QObject::connect(&devices, &kw::DemoMqttDevices::deviceResumed, &devices, [&](const QString &name) {
            resumed.push_back({name, client.now()});
        });
        devices.start();
        const auto resumedAfter = [&](const Moment &m) {
            const auto it = std::find_if(resumed.begin(), resumed.end(), [&](const Moment &r) {
                return r.device == m.device && r.at >= m.at;
            });
            return it == resumed.end() ? std::optional<milliseconds>() : it->at;
        };
        QTRY_VERIFY_WITH_TIMEOUT(!silenced.empty() && !dropped.empty() && resumedAfter(silenced.front()) &&
                                     resumedAfter(dropped.front()),
                                 5000);
        QVERIFY(client.barrier());
        const auto messagesOf = [&](const QString &device, milliseconds from, milliseconds to) {
            std::vector<mqtt::Publish> out;
            for (const MqttTestClient::Received &r : client.received()) {
                const auto *p = std::get_if<mqtt::Publish>(&r.packet);
                if (p && !p->retain && p->topic == kw::DemoMqttDevices::topicOf(device) && r.at >= from &&
                    r.at < to)
                    out.push_back(*p);
            }
            return out;
        };

        // Silence: nothing from the device between the two moments (a heartbeat already on its way
        // may land in the first few milliseconds), and the silence lasts its scheduled time.
        const Moment silence = silenced.front();
        const std::optional<milliseconds> back = resumedAfter(silence);
        QVERIFY(back);
        QVERIFY2(*back - silence.at >= milliseconds(560),
                 qPrintable(QString::number((*back - silence.at).count())));
        QVERIFY(messagesOf(silence.device, silence.at + milliseconds(20), *back).empty());
        int othersMeanwhile = 0;
        for (const QString &name : kw::DemoMqttDevices::names()) {
            if (name != silence.device)
                othersMeanwhile += int(messagesOf(name, silence.at, *back).size());
        }
        QVERIFY2(othersMeanwhile >= 10, qPrintable(QString::number(othersMeanwhile)));
        const std::vector<mqtt::Publish> afterSilence = messagesOf(silence.device, *back, client.now());
        QVERIFY(!afterSilence.empty());
        QVERIFY(parseHeartbeat(afterSilence.front().payload));

        // Drop: the Will, then nothing, then a heartbeat from seq 1.
        const Moment drop = dropped.front();
        const std::optional<milliseconds> rejoined = resumedAfter(drop);
        QVERIFY(rejoined);
        const std::vector<mqtt::Publish> during =
            messagesOf(drop.device, drop.at - milliseconds(20), *rejoined);
        QVERIFY(!during.empty());
        QCOMPARE(during.back().payload, std::string(kw::DemoMqttDevices::kWillPayload));
        QVERIFY2(messagesOf(drop.device, drop.at + milliseconds(20), *rejoined).empty(),
                 qPrintable(drop.device));
        const std::vector<mqtt::Publish> afterDrop = messagesOf(drop.device, *rejoined, client.now());
        QVERIFY(!afterDrop.empty());
        const std::optional<Heartbeat> first = parseHeartbeat(afterDrop.front().payload);
        QVERIFY2(first && first->seq == 1 && first->uptimeS == 0, show(afterDrop.front()).constData());
    }

private:
    QTemporaryDir m_dataDir;
    QList<QJsonObject> m_events;
};

QTEST_GUILESS_MAIN(TestDemo)
#include "tst_demo.moc"
