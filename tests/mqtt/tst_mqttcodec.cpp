// The MQTT codec against the standards: their examples byte for byte, every packet through encode and
// decode in both versions, each malformed case with its exact message, and slicing that must not
// change what is decoded.

#include "mqttcodec.h"
#include "mqttreasons.h"
#include "mqtttesthelpers.h"

#include <QtTest/QTest>

#include <random>
#include <vector>

using namespace kw::mqtt;
using namespace Qt::StringLiterals;
using kw::mqtt::test::bytes;
using kw::mqtt::test::hex;

Q_DECLARE_METATYPE(kw::mqtt::Packet)
Q_DECLARE_METATYPE(kw::mqtt::Version)
Q_DECLARE_METATYPE(kw::mqtt::Role)
Q_DECLARE_METATYPE(std::string)

namespace {

struct Outcome
{
    std::vector<Packet> packets;
    std::optional<DecodeError> error;
    std::size_t maxBuffered = 0;
};

// Feeds `input` in slices of the given sizes (the last slice takes the rest).
Outcome decodeSliced(const std::string &input, Role role, std::optional<Version> version,
                     const std::vector<std::size_t> &sizes,
                     std::uint32_t maxPacketSize = kDefaultMaxPacketSize)
{
    Decoder decoder(role, version, maxPacketSize);
    Outcome outcome;
    std::size_t pos = 0;
    std::size_t next = 0;
    while (pos < input.size()) {
        const std::size_t size = next < sizes.size() ? sizes[next++] : input.size() - pos;
        decoder.feed(std::string_view(input).substr(pos, size),
                     [&](Packet &&packet) { outcome.packets.push_back(std::move(packet)); });
        outcome.maxBuffered = std::max(outcome.maxBuffered, decoder.buffered());
        pos += std::min(size, input.size() - pos);
    }
    outcome.error = decoder.error();
    return outcome;
}

Outcome decodeWhole(const std::string &input, Role role, std::optional<Version> version)
{
    return decodeSliced(input, role, version, {});
}

Outcome decodeBytewise(const std::string &input, Role role, std::optional<Version> version)
{
    return decodeSliced(input, role, version, std::vector<std::size_t>(input.size(), 1));
}

Properties connackProperties()
{
    Properties p;
    p.sessionExpiryInterval = 3600;
    p.assignedClientIdentifier = "auto-7f3a";
    p.serverKeepAlive = 30;
    p.authenticationMethod = "SCRAM-SHA-1";
    p.authenticationData = std::string("\x00\x01\xff", 3);
    p.responseInformation = "resp/";
    p.serverReference = "other.example:1883";
    p.reasonString = "welcome";
    p.receiveMaximum = 20;
    p.topicAliasMaximum = 10;
    p.maximumQos = 1;
    p.retainAvailable = 0;
    p.userProperties = {{"region", "eu"}, {"region", "us"}, {"\xc3\xa9t\xc3\xa9", ""}};
    p.maximumPacketSize = 65536;
    p.wildcardSubscriptionAvailable = 1;
    p.subscriptionIdentifierAvailable = 0;
    p.sharedSubscriptionAvailable = 1;
    return p;
}

Properties publishProperties()
{
    Properties p;
    p.payloadFormatIndicator = 1;
    p.messageExpiryInterval = 120;
    p.contentType = "application/json";
    p.responseTopic = "devices/a17/reply";
    p.correlationData = std::string("\x00\x00\x2a", 3);
    p.subscriptionIdentifiers = {1, 268'435'455, 300};
    p.topicAlias = 4;
    p.userProperties = {{"k", "v"}};
    return p;
}

} // namespace

class TestMqttCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void variableByteInteger_data();
    void variableByteInteger();
    void specExamples_data();
    void specExamples();
    void roundTrip_data();
    void roundTrip();
    void malformed_data();
    void malformed();
    void slicingDoesNotMatter();
    void nonMinimalLengthIn311IsRead();
    void maxPacketSizeBeforeBuffering();
    void maxPacketSizeCountsTheFixedHeader();
    void errorIsSticky();
    void resetStartsOver();
    void serverLearnsVersionFromConnect();
    void secondConnectIsAProtocolError();
    void clientDecoderNeedsAVersion();
    void decodePacketRejectsTrailingAndIncomplete();
    void utf8_data();
    void utf8();
    void reasons_data();
    void reasons();
    void packetNames();
};

void TestMqttCodec::variableByteInteger_data()
{
    QTest::addColumn<quint32>("value");
    QTest::addColumn<std::string>("encoded");
    // 3.1.1 section 2.2.3, Table 2.4; 5.0 section 1.5.5, Table 1-1: the edges of each length.
    QTest::newRow("0") << 0u << bytes("00");
    QTest::newRow("127") << 127u << bytes("7f");
    QTest::newRow("128") << 128u << bytes("80 01");
    QTest::newRow("16383") << 16'383u << bytes("ff 7f");
    QTest::newRow("16384") << 16'384u << bytes("80 80 01");
    QTest::newRow("2097151") << 2'097'151u << bytes("ff ff 7f");
    QTest::newRow("2097152") << 2'097'152u << bytes("80 80 80 01");
    QTest::newRow("268435455") << 268'435'455u << bytes("ff ff ff 7f");
}

void TestMqttCodec::variableByteInteger()
{
    QFETCH(quint32, value);
    QFETCH(std::string, encoded);
    std::string out;
    encodeVariableByteInteger(value, out);
    QCOMPARE(hex(out), hex(encoded));

    // The same value as a PUBLISH's remaining length reads back from the header alone: the decoder
    // holds the header and reports nothing until the body is there (0 is a PINGRESP, complete).
    Decoder decoder(Role::Client, Version::V5, kMaxRemainingLength + 5);
    std::string header = bytes(value == 0 ? "d0" : "30") + encoded;
    int packets = 0;
    QVERIFY(decoder.feed(header, [&](Packet &&) { ++packets; }));
    QCOMPARE(packets, value == 0 ? 1 : 0);
    QVERIFY(!decoder.error());
    QCOMPARE(decoder.buffered(), value == 0 ? std::size_t(0) : header.size());
}

void TestMqttCodec::specExamples_data()
{
    QTest::addColumn<Version>("version");
    QTest::addColumn<Role>("role");
    QTest::addColumn<std::string>("wire");
    QTest::addColumn<Packet>("expected");

    {
        // 3.1.1 section 3.1.2.11, Figure 3.6: protocol name, level 4, flags 0xCE (user name, password,
        // Will QoS 1, Will Flag, Clean Session), keep alive 10; then a payload for those flags.
        Connect c;
        c.version = Version::V311;
        c.cleanStart = true;
        c.keepAlive = 10;
        c.clientId = "kw";
        c.will = Will{"w/t", "bye", 1, false, {}};
        c.username = "u";
        c.password = "p";
        QTest::newRow("3.1.1 CONNECT variable header example")
            << Version::V311 << Role::Server
            << bytes("10 1e 00 04 'MQTT' 04 ce 00 0a 00 02 'kw' 00 03 'w/t' 00 03 'bye' 00 01 'u' 00 01 'p'")
            << Packet(c);
        // 5.0 section 3.1.2.12, Figure 3-7: the same with level 5 and properties of length 5 holding
        // Session Expiry Interval 10.
        c.version = Version::V5;
        c.properties.sessionExpiryInterval = 10;
        QTest::newRow("5.0 CONNECT variable header example")
            << Version::V5 << Role::Server
            << bytes("10 25 00 04 'MQTT' 05 ce 00 0a 05 11 00 00 00 0a 00 02 'kw' 00 00 03 'w/t' 00 03 'bye'"
                     " 00 01 'u' 00 01 'p'")
            << Packet(c);
    }
    QTest::newRow("3.1.1 CONNACK session present, accepted")
        << Version::V311 << Role::Client << bytes("20 02 01 00") << Packet(Connack{true, 0, {}});
    QTest::newRow("3.1.1 CONNACK not authorized")
        << Version::V311 << Role::Client << bytes("20 02 00 05") << Packet(Connack{false, 5, {}});
    {
        Connack c;
        c.properties.serverKeepAlive = 30;
        c.properties.receiveMaximum = 10;
        QTest::newRow("5.0 CONNACK Server Keep Alive 30, Receive Maximum 10")
            << Version::V5 << Role::Client << bytes("20 09 00 00 06 13 00 1e 21 00 0a") << Packet(c);
        QTest::newRow("5.0 CONNACK bad user name or password")
            << Version::V5 << Role::Client << bytes("20 03 00 86 00") << Packet(Connack{false, 0x86, {}});
    }
    QTest::newRow("3.1.1 PUBLISH QoS 1")
        << Version::V311 << Role::Client << bytes("32 09 00 03 'a/b' 00 0a 'hi'")
        << Packet(Publish{false, 1, false, "a/b", 10, {}, "hi"});
    {
        Publish p{false, 0, true, "a/b", 0, {}, "x"};
        p.properties.topicAlias = 1;
        QTest::newRow("5.0 PUBLISH retained with Topic Alias 1")
            << Version::V5 << Role::Server << bytes("31 0a 00 03 'a/b' 03 23 00 01 'x'") << Packet(p);
        Publish aliased{false, 0, false, "", 0, {}, ""};
        aliased.properties.topicAlias = 1;
        QTest::newRow("5.0 PUBLISH empty topic with Topic Alias")
            << Version::V5 << Role::Client << bytes("30 06 00 00 03 23 00 01") << Packet(aliased);
    }
    QTest::newRow("3.1.1 PUBREL flags 0010") << Version::V311 << Role::Server << bytes("62 02 00 07")
                                             << Packet(PublishAck{PacketType::Pubrel, 7, 0, {}});
    QTest::newRow("5.0 PUBACK short form") << Version::V5 << Role::Client << bytes("40 02 00 07")
                                           << Packet(PublishAck{PacketType::Puback, 7, 0, {}});
    QTest::newRow("5.0 PUBACK no matching subscribers")
        << Version::V5 << Role::Client << bytes("40 03 00 07 10")
        << Packet(PublishAck{PacketType::Puback, 7, 0x10, {}});
    QTest::newRow("3.1.1 SUBSCRIBE a/# QoS 1")
        << Version::V311 << Role::Server << bytes("82 08 00 01 00 03 'a/#' 01")
        << Packet(Subscribe{1, {}, {Subscription{"a/#", 1, false, false, 0}}});
    {
        Subscribe s{2, {}, {Subscription{"a/+", 2, true, true, 2}}};
        s.properties.subscriptionIdentifiers = {5};
        QTest::newRow("5.0 SUBSCRIBE options 0x2e, Subscription Identifier 5")
            << Version::V5 << Role::Server << bytes("82 0b 00 02 02 0b 05 00 03 'a/+' 2e") << Packet(s);
    }
    QTest::newRow("3.1.1 SUBACK granted QoS 1") << Version::V311 << Role::Client << bytes("90 03 00 01 01")
                                                << Packet(SubscribeAck{PacketType::Suback, 1, {}, {1}});
    QTest::newRow("5.0 SUBACK granted 1, not authorized")
        << Version::V5 << Role::Client << bytes("90 05 00 01 00 01 87")
        << Packet(SubscribeAck{PacketType::Suback, 1, {}, {1, 0x87}});
    QTest::newRow("3.1.1 UNSUBSCRIBE") << Version::V311 << Role::Server << bytes("a2 05 00 03 00 01 'x'")
                                       << Packet(Unsubscribe{3, {}, {"x"}});
    QTest::newRow("3.1.1 UNSUBACK") << Version::V311 << Role::Client << bytes("b0 02 00 01")
                                    << Packet(SubscribeAck{PacketType::Unsuback, 1, {}, {}});
    QTest::newRow("5.0 UNSUBACK success") << Version::V5 << Role::Client << bytes("b0 04 00 01 00 00")
                                          << Packet(SubscribeAck{PacketType::Unsuback, 1, {}, {0}});
    QTest::newRow("PINGREQ") << Version::V311 << Role::Server << bytes("c0 00") << Packet(Pingreq{});
    QTest::newRow("PINGRESP") << Version::V5 << Role::Client << bytes("d0 00") << Packet(Pingresp{});
    QTest::newRow("3.1.1 DISCONNECT")
        << Version::V311 << Role::Server << bytes("e0 00") << Packet(Disconnect{});
    QTest::newRow("5.0 DISCONNECT session taken over")
        << Version::V5 << Role::Client << bytes("e0 01 8e") << Packet(Disconnect{0x8E, {}});
    {
        Disconnect d{0x8B, {}};
        d.properties.reasonString = "bye";
        QTest::newRow("5.0 DISCONNECT server shutting down with reason string")
            << Version::V5 << Role::Client << bytes("e0 08 8b 06 1f 00 03 'bye'") << Packet(d);
    }
    QTest::newRow("5.0 AUTH success, short form")
        << Version::V5 << Role::Client << bytes("f0 00") << Packet(Auth{});
    {
        Auth a{0x18, {}};
        a.properties.authenticationMethod = "SCRM";
        QTest::newRow("5.0 AUTH continue authentication")
            << Version::V5 << Role::Server << bytes("f0 09 18 07 15 00 04 'SCRM'") << Packet(a);
    }
}

void TestMqttCodec::specExamples()
{
    QFETCH(Version, version);
    QFETCH(Role, role);
    QFETCH(std::string, wire);
    QFETCH(Packet, expected);

    DecodeError error;
    const std::optional<Packet> decoded = decodePacket(wire, role, version, &error);
    QVERIFY2(decoded, error.message.c_str());
    QVERIFY2(*decoded == expected,
             qPrintable(u"decoded as " + QString::fromLatin1(hex(encode(*decoded, version)))));
    // The encoder writes the same bytes (the standard's examples are in the shortest form).
    QCOMPARE(hex(encode(expected, version)), hex(wire));
}

void TestMqttCodec::roundTrip_data()
{
    QTest::addColumn<Version>("version");
    QTest::addColumn<Role>("role");
    QTest::addColumn<Packet>("packet");

    for (const Version version : {Version::V311, Version::V5}) {
        const bool v5 = version == Version::V5;
        const QByteArray tag = v5 ? "5.0 " : "3.1.1 ";
        const auto row = [&](const char *name, Role role, Packet packet) {
            QTest::newRow(QByteArray(tag + name).constData()) << version << role << std::move(packet);
        };

        Connect minimal;
        minimal.version = version;
        minimal.clientId = "";
        minimal.keepAlive = 0;
        minimal.cleanStart = true;
        row("CONNECT minimal", Role::Server, minimal);

        Connect full;
        full.version = version;
        full.cleanStart = false;
        full.keepAlive = 65535;
        full.clientId = "keepwatch-\xe2\x9c\x93";
        full.username = "operator";
        full.password = std::string("s3cr\x00t\xff", 7);
        Will will{"devices/kw/status", std::string("offline\x00", 8), 2, true, {}};
        if (v5) {
            full.properties.sessionExpiryInterval = 300;
            full.properties.receiveMaximum = 100;
            full.properties.maximumPacketSize = 1 << 20;
            full.properties.topicAliasMaximum = 5;
            full.properties.requestResponseInformation = 1;
            full.properties.requestProblemInformation = 0;
            full.properties.authenticationMethod = "PLAIN";
            full.properties.authenticationData = "token";
            full.properties.userProperties = {{"app", "keepwatch"}};
            will.properties.willDelayInterval = 5;
            will.properties.payloadFormatIndicator = 0;
            will.properties.messageExpiryInterval = 60;
            will.properties.contentType = "text/plain";
            will.properties.responseTopic = "r";
            will.properties.correlationData = "c";
            will.properties.userProperties = {{"w", "1"}};
        }
        full.will = will;
        row("CONNECT full", Role::Server, full);

        if (v5) {
            Connect passwordOnly;
            passwordOnly.version = version;
            passwordOnly.clientId = "p";
            passwordOnly.password = "only";
            row("CONNECT password without user name", Role::Server, passwordOnly);
        }

        Connack connack{true, 0, v5 ? connackProperties() : Properties{}};
        row("CONNACK with everything", Role::Client, connack);
        row("CONNACK refused", Role::Client, Connack{false, static_cast<std::uint8_t>(v5 ? 0x87 : 5), {}});

        for (const Role role : {Role::Client, Role::Server}) {
            const char *side = role == Role::Client ? " to client" : " to server";
            Publish qos0{false, 0, false, "t", 0, {}, ""};
            row((std::string("PUBLISH QoS 0 empty payload") + side).c_str(), role, qos0);
            Publish qos2{true, 2, true, "devices/a17/heartbeat", 0xFFFF, {}, std::string(300, '\x7f')};
            if (v5) {
                qos2.properties = publishProperties();
                if (role == Role::Server) // only a server adds subscription identifiers
                    qos2.properties.subscriptionIdentifiers.clear();
            }
            row((std::string("PUBLISH QoS 2 dup retain") + side).c_str(), role, qos2);

            for (const PacketType type :
                 {PacketType::Puback, PacketType::Pubrec, PacketType::Pubrel, PacketType::Pubcomp}) {
                row((std::string(packetTypeName(type)) + side).c_str(), role, PublishAck{type, 1, 0, {}});
                if (v5) {
                    row((std::string(packetTypeName(type)) + " reason only" + side).c_str(), role,
                        PublishAck{type, 2, 0x92, {}});
                    PublishAck withProperties{type, 0x1234, 0, {}};
                    withProperties.properties.reasonString = "why";
                    withProperties.properties.userProperties = {{"a", "b"}};
                    row((std::string(packetTypeName(type)) + " reason 0 with properties" + side).c_str(),
                        role, withProperties);
                }
            }
            if (v5) {
                Auth auth{0x19, {}};
                auth.properties.authenticationMethod = "SCRAM-SHA-256";
                auth.properties.authenticationData = std::string("\x01\x02\x00", 3);
                auth.properties.reasonString = "again";
                row((std::string("AUTH re-authenticate") + side).c_str(), role, auth);
                row((std::string("AUTH success") + side).c_str(), role, Auth{});
                row((std::string("DISCONNECT with will") + side).c_str(), role, Disconnect{0x04, {}});
            }
        }

        Subscribe subscribe{10, {}, {}};
        subscribe.subscriptions.push_back({"devices/+/heartbeat", 1, v5, false, 0});
        subscribe.subscriptions.push_back({"#", 2, false, v5, static_cast<std::uint8_t>(v5 ? 1 : 0)});
        subscribe.subscriptions.push_back(
            {"$share/group/x", 0, false, false, static_cast<std::uint8_t>(v5 ? 2 : 0)});
        if (v5) {
            subscribe.properties.subscriptionIdentifiers = {268'435'455};
            subscribe.properties.userProperties = {{"u", "v"}};
        }
        row("SUBSCRIBE", Role::Server, subscribe);

        Unsubscribe unsubscribe{11, {}, {"devices/+/heartbeat", "#"}};
        if (v5)
            unsubscribe.properties.userProperties = {{"u", "v"}};
        row("UNSUBSCRIBE", Role::Server, unsubscribe);

        SubscribeAck suback{PacketType::Suback, 10, {}, {0, 1, 2, 0x80}};
        if (v5) {
            suback.reasonCodes = {0, 1, 2, 0x80, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2};
            suback.properties.reasonString = "partly";
            suback.properties.userProperties = {{"u", "v"}};
        }
        row("SUBACK", Role::Client, suback);

        SubscribeAck unsuback{PacketType::Unsuback, 11, {}, {}};
        if (v5) {
            unsuback.reasonCodes = {0, 0x11};
            unsuback.properties.reasonString = "one was not there";
        }
        row("UNSUBACK", Role::Client, unsuback);

        row("PINGREQ", Role::Server, Pingreq{});
        row("PINGRESP", Role::Client, Pingresp{});
        row("DISCONNECT normal", Role::Server, Disconnect{});
        if (v5) {
            Disconnect d{0x9C, {}};
            d.properties.serverReference = "backup.example";
            d.properties.reasonString = "moved";
            d.properties.userProperties = {{"u", "v"}};
            row("DISCONNECT use another server", Role::Client, d);
            Disconnect fromClient{0x00, {}};
            fromClient.properties.sessionExpiryInterval = 0;
            row("DISCONNECT from client with Session Expiry Interval", Role::Server, fromClient);
        }
    }
}

void TestMqttCodec::roundTrip()
{
    QFETCH(Version, version);
    QFETCH(Role, role);
    QFETCH(Packet, packet);

    const std::string wire = encode(packet, version);
    // The decoder for the side that receives this packet, told the version (a server learns it from
    // CONNECT: give it nothing for CONNECT, so the level byte is what decides).
    const std::optional<Version> told = role == Role::Server && std::holds_alternative<Connect>(packet)
                                            ? std::nullopt
                                            : std::optional(version);
    const Outcome whole = decodeWhole(wire, role, told);
    QVERIFY2(!whole.error,
             (whole.error ? whole.error->message + " in " + hex(wire).toStdString() : "").c_str());
    QCOMPARE(whole.packets.size(), std::size_t(1));
    QVERIFY2(whole.packets.front() == packet,
             qPrintable(u"re-encoded: " + QString::fromLatin1(hex(encode(whole.packets.front(), version))) +
                        u"\nexpected:   " + QString::fromLatin1(hex(wire))));

    const Outcome bytewise = decodeBytewise(wire, role, told);
    QVERIFY(!bytewise.error);
    QCOMPARE(bytewise.packets.size(), std::size_t(1));
    QVERIFY(bytewise.packets.front() == packet);
}

void TestMqttCodec::malformed_data()
{
    QTest::addColumn<std::optional<Version>>("version");
    QTest::addColumn<Role>("role");
    QTest::addColumn<std::string>("wire");
    QTest::addColumn<std::string>("message");
    QTest::addColumn<int>("reasonCode");

    const std::optional<Version> v311 = Version::V311;
    const std::optional<Version> v5 = Version::V5;
    const std::optional<Version> unknown;
    const auto row = [](const char *name, std::optional<Version> version, Role role, std::string wire,
                        std::string message, int reasonCode) {
        QTest::newRow(name) << version << role << std::move(wire) << std::move(message) << reasonCode;
    };

    // Fixed header.
    row("CONNACK remaining length 3 in 3.1.1", v311, Role::Client, bytes("20 03 00 00 00"),
        "CONNACK: remaining length 3, expected 2 (3.1.1 section 3.2.1)", 0x81);
    row("remaining length of 5 bytes", v311, Role::Client, bytes("30 ff ff ff ff 01"),
        "PUBLISH: remaining length longer than 4 bytes (3.1.1 section 2.2.3)", 0x81);
    row("remaining length not minimal in 5.0", v5, Role::Client, bytes("d0 80 00"),
        "PINGRESP: remaining length in 2 bytes where fewer suffice (not minimal, [MQTT-1.5.5-1]) (5.0 "
        "section 1.5.5)",
        0x81);
    row("SUBSCRIBE flags 0000", v311, Role::Server, bytes("80 08 00 01 00 03 'a/#' 01"),
        "SUBSCRIBE: fixed header flags 0x00, expected 0x02 (reserved) (3.1.1 section 2.2.2)", 0x81);
    row("UNSUBSCRIBE flags 0011", v5, Role::Server, bytes("a3 06 00 03 00 00 01 'x'"),
        "UNSUBSCRIBE: fixed header flags 0x03, expected 0x02 (reserved) (5.0 section 2.1.3)", 0x81);
    row("PUBREL flags 0000", v5, Role::Client, bytes("60 02 00 01"),
        "PUBREL: fixed header flags 0x00, expected 0x02 (reserved) (5.0 section 2.1.3)", 0x81);
    row("PINGRESP flags 0001", v311, Role::Client, bytes("d1 00"),
        "PINGRESP: fixed header flags 0x01, expected 0x00 (reserved) (3.1.1 section 2.2.2)", 0x81);
    row("PUBLISH QoS 3", v311, Role::Client, bytes("36 07 00 03 'a/b' 00 01"),
        "PUBLISH: QoS 3 in the fixed header flags 0x06 ([MQTT-3.3.1-4]) (3.1.1 section 3.3.1.2)", 0x81);
    row("PUBLISH DUP on QoS 0", v5, Role::Client, bytes("38 06 00 03 'a/b' 00"),
        "PUBLISH: DUP flag set on a QoS 0 message ([MQTT-3.3.1-2]) (5.0 section 3.3.1.1)", 0x81);
    row("PUBREL remaining length 3 in 3.1.1", v311, Role::Server, bytes("62 03 00 01 00"),
        "PUBREL: remaining length 3, expected 2 (3.1.1 section 3.6.1)", 0x81);
    row("PUBACK remaining length 1 in 5.0", v5, Role::Server, bytes("40 01 00"),
        "PUBACK: remaining length 1, expected at least 2 (5.0 section 3.4.2)", 0x81);
    row("PINGRESP remaining length 1", v311, Role::Client, bytes("d0 01 00"),
        "PINGRESP: remaining length 1, expected 0 (3.1.1 section 3.13.1)", 0x81);
    row("3.1.1 DISCONNECT with a body", v311, Role::Server, bytes("e0 01 00"),
        "DISCONNECT: remaining length 1, expected 0 (3.1.1 section 3.14.1)", 0x81);
    row("AUTH remaining length 1", v5, Role::Client, bytes("f0 01 00"),
        "AUTH: remaining length 1, expected 0 or at least 2 (5.0 section 3.15.2.1)", 0x81);
    row("packet type 0", v5, Role::Client, bytes("00 00"),
        "reserved packet type 0 (first byte 0x00) (5.0 section 2.1.2)", 0x81);
    row("AUTH in 3.1.1", v311, Role::Client, bytes("f0 00"),
        "reserved packet type 15 (first byte 0xf0) (3.1.1 section 2.2.1)", 0x81);

    // Direction.
    row("client receives CONNECT", v311, Role::Client, bytes("10 0c 00 04 'MQTT' 04 02 00 3c 00 00"),
        "CONNECT: a server may not send CONNECT (it flows from client to server only), a protocol error "
        "(3.1.1 section 2.2.1)",
        0x82);
    row("client receives SUBSCRIBE", v5, Role::Client, bytes("82 07 00 01 00 00 01 'a' 00"),
        "SUBSCRIBE: a server may not send SUBSCRIBE (it flows from client to server only), a protocol error "
        "(5.0 section 2.1.2)",
        0x82);
    row("client receives PINGREQ", v311, Role::Client, bytes("c0 00"),
        "PINGREQ: a server may not send PINGREQ (it flows from client to server only), a protocol error "
        "(3.1.1 section 2.2.1)",
        0x82);
    row("client receives DISCONNECT in 3.1.1", v311, Role::Client, bytes("e0 00"),
        "DISCONNECT: a server may not send DISCONNECT in 3.1.1 (only clients send it), a protocol error "
        "(3.1.1 section 2.2.1)",
        0x82);
    row("server receives CONNACK", v5, Role::Server, bytes("20 03 00 00 00"),
        "CONNACK: a client may not send CONNACK (it flows from server to client only), a protocol error "
        "(5.0 section 2.1.2)",
        0x82);
    row("server receives PINGRESP", v311, Role::Server, bytes("d0 00"),
        "PINGRESP: a client may not send PINGRESP (it flows from server to client only), a protocol error "
        "(3.1.1 section 2.2.1)",
        0x82);
    row("server receives PINGREQ before CONNECT", unknown, Role::Server, bytes("c0 00"),
        "PINGREQ: received before CONNECT; a client's first packet must be CONNECT, a protocol error "
        "(3.1.1 section 3.1)",
        0x82);

    // CONNECT.
    row("CONNECT reserved flag", unknown, Role::Server, bytes("10 0c 00 04 'MQTT' 04 03 00 3c 00 00"),
        "CONNECT: connect flags: reserved bit 0 set ([MQTT-3.1.2-3]) (3.1.1 section 3.1.2.3)", 0x81);
    row("CONNECT Will QoS without Will Flag", unknown, Role::Server,
        bytes("10 0c 00 04 'MQTT' 05 0a 00 3c 00 00 00"),
        "CONNECT: connect flags: Will QoS 1 without the Will Flag ([MQTT-3.1.2-13]) (5.0 section 3.1.2.6)",
        0x81);
    row("CONNECT Will Retain without Will Flag", unknown, Role::Server,
        bytes("10 0c 00 04 'MQTT' 04 22 00 3c 00 00"),
        "CONNECT: connect flags: Will Retain without the Will Flag ([MQTT-3.1.2-15]) (3.1.1 section 3.1.2.7)",
        0x81);
    row("CONNECT Will QoS 3", unknown, Role::Server, bytes("10 0c 00 04 'MQTT' 04 1e 00 3c 00 00"),
        "CONNECT: connect flags: Will QoS 3 ([MQTT-3.1.2-14]) (3.1.1 section 3.1.2.6)", 0x81);
    row("CONNECT password without user name in 3.1.1", unknown, Role::Server,
        bytes("10 0f 00 04 'MQTT' 04 42 00 3c 00 00 00 01 'p'"),
        "CONNECT: connect flags: Password Flag without the User Name Flag ([MQTT-3.1.2-22]) (3.1.1 section "
        "3.1.2.9)",
        0x81);
    row("CONNECT protocol level 3", unknown, Role::Server, bytes("10 0c 00 04 'MQTT' 03 02 00 3c 00 00"),
        "CONNECT: protocol level: 3, expected 4 (3.1.1) or 5 (5.0) (3.1.1 section 3.1.2.2)", 0x84);
    row("CONNECT MQIsdp", unknown, Role::Server, bytes("10 0e 00 06 'MQIsdp' 03 02 00 3c 00 00"),
        "CONNECT: protocol name: \"MQIsdp\" (MQTT 3.1); only 3.1.1 and 5.0 are supported (3.1.1 section "
        "3.1.2.1)",
        0x84);
    row("CONNECT trailing byte", unknown, Role::Server, bytes("10 0d 00 04 'MQTT' 04 02 00 3c 00 00 ff"),
        "CONNECT: 1 byte after the last field, within the remaining length (3.1.1 section 3.1.3)", 0x81);
    row("CONNECT client identifier cut short", unknown, Role::Server,
        bytes("10 0e 00 04 'MQTT' 04 02 00 3c 00 05 'ab'"),
        "CONNECT: client identifier: string of 5 bytes, 2 left in the remaining length (3.1.1 section "
        "3.1.3.1)",
        0x81);
    row("CONNECT will topic with a wildcard", unknown, Role::Server,
        bytes("10 13 00 04 'MQTT' 04 06 00 3c 00 00 00 03 'a/+' 00 00"),
        "CONNECT: will topic: \"a/+\": a topic name may not contain the wildcards '+' or '#' (section 4.7.1) "
        "(3.1.1 section 3.1.3.2)",
        0x90);
    row("CONNECT authentication data without method", unknown, Role::Server,
        bytes("10 11 00 04 'MQTT' 05 02 00 3c 04 16 00 01 'x' 00 00"),
        "CONNECT: properties: Authentication Data without an Authentication Method, a protocol error "
        "(5.0 section 3.1.2.11.10)",
        0x82);
    row("CONNECT Will Delay Interval outside the will", unknown, Role::Server,
        bytes("10 12 00 04 'MQTT' 05 02 00 3c 05 18 00 00 00 01 00 00"),
        "CONNECT: properties: Will Delay Interval (0x18) may not appear in CONNECT (5.0 section 2.2.2.2)",
        0x81);

    // CONNACK.
    row("CONNACK reserved flag bits", v311, Role::Client, bytes("20 02 02 00"),
        "CONNACK: connect acknowledge flags: reserved bits set in 0x02 (bits 7-1 must be 0) (3.1.1 section "
        "3.2.2.1)",
        0x81);
    row("CONNACK session present on a refusal", v311, Role::Client, bytes("20 02 01 05"),
        "CONNACK: session present: set on a refusal (code 0x05), a protocol error (3.1.1 section 3.2.2.2)",
        0x82);
    row("CONNACK 5.0 without property length", v5, Role::Client, bytes("20 02 00 00"),
        "CONNACK: remaining length 2, expected at least 3 (5.0 section 3.2.2)", 0x81);

    // Properties.
    row("property in the wrong packet", v5, Role::Client, bytes("30 0b 00 03 'a/b' 05 11 00 00 00 0a"),
        "PUBLISH: properties: Session Expiry Interval (0x11) may not appear in PUBLISH (5.0 section 2.2.2.2)",
        0x81);
    row("property twice", v5, Role::Client, bytes("20 09 00 00 06 21 00 0a 21 00 0b"),
        "CONNACK: properties: Receive Maximum (0x21) appears more than once, a protocol error (5.0 section "
        "3.2.2.3)",
        0x82);
    row("Subscription Identifier twice in SUBSCRIBE", v5, Role::Server,
        bytes("82 0a 00 01 04 0b 01 0b 02 00 01 'a' 00"),
        "SUBSCRIBE: properties: Subscription Identifier (0x0b) appears more than once, a protocol error "
        "(5.0 section 3.8.2.1)",
        0x82);
    row("unknown property", v5, Role::Client, bytes("20 05 00 00 02 07 00"),
        "CONNACK: properties: unknown property identifier 7 (5.0 section 2.2.2.2)", 0x81);
    row("Receive Maximum 0", v5, Role::Client, bytes("20 06 00 00 03 21 00 00"),
        "CONNACK: properties: Receive Maximum (0x21) of 0 is a protocol error (5.0 section 3.2.2.3)", 0x82);
    row("Maximum QoS 2", v5, Role::Client, bytes("20 05 00 00 02 24 02"),
        "CONNACK: properties: Maximum QoS (0x24) of 2, not 0 or 1, a protocol error (5.0 section 3.2.2.3)",
        0x82);
    row("Topic Alias 0", v5, Role::Client, bytes("30 09 00 03 'a/b' 03 23 00 00"),
        "PUBLISH: properties: Topic Alias (0x23) of 0 is a protocol error (5.0 section 3.3.2.3)", 0x82);
    row("property length overruns", v5, Role::Client, bytes("20 04 00 00 05 21"),
        "CONNACK: properties length: length 5, 1 left in the remaining length (5.0 section 3.2.2.3)", 0x81);
    row("property value cut short", v5, Role::Client, bytes("20 05 00 00 02 21 00"),
        "CONNACK: Receive Maximum: needs 2 bytes, 1 left in the remaining length (5.0 section 3.2.2.3)",
        0x81);
    row("Response Topic with a wildcard", v5, Role::Client, bytes("30 0b 00 01 't' 06 08 00 03 'a/#' 'x'"),
        "PUBLISH: properties: Response Topic (0x08) \"a/#\" is not a topic name (empty or with a wildcard), "
        "a "
        "protocol error (5.0 section 3.3.2.3)",
        0x82);
    row("User Property value not UTF-8", v5, Role::Client, bytes("e0 09 00 07 26 00 01 'k' 00 01 ff"),
        "DISCONNECT: User Property value: not a valid MQTT UTF-8 string, invalid UTF-8 byte 0xff at offset 0 "
        "(5.0 section 1.5.4)",
        0x81);

    // PUBLISH.
    row("packet identifier 0", v311, Role::Client, bytes("32 09 00 03 'a/b' 00 00 'hi'"),
        "PUBLISH: packet identifier: 0, where a non-zero identifier is required (3.1.1 section 2.3.1)", 0x82);
    row("topic with U+0000", v311, Role::Client, bytes("30 05 00 03 'a' 00 'b'"),
        "PUBLISH: topic name: not a valid MQTT UTF-8 string, U+0000 at offset 1 (3.1.1 section 1.5.3)", 0x81);
    row("topic with a surrogate", v5, Role::Client, bytes("30 06 00 03 ed a0 80 00"),
        "PUBLISH: topic name: not a valid MQTT UTF-8 string, surrogate code point at offset 0 (5.0 section "
        "1.5.4)",
        0x81);
    row("topic with an overlong '/'", v311, Role::Client, bytes("30 05 00 03 'a' c0 af"),
        "PUBLISH: topic name: not a valid MQTT UTF-8 string, overlong UTF-8 sequence at offset 1 (3.1.1 "
        "section 1.5.3)",
        0x81);
    row("topic with a wildcard", v311, Role::Client, bytes("30 05 00 03 'a/#'"),
        "PUBLISH: topic name: \"a/#\": a topic name may not contain the wildcards '+' or '#' (section 4.7.1) "
        "(3.1.1 section 3.3.2.1)",
        0x90);
    row("empty topic in 3.1.1", v311, Role::Client, bytes("30 02 00 00"),
        "PUBLISH: topic name: \"\": a topic name must be at least one character long (section 4.7.3) "
        "(3.1.1 section 3.3.2.1)",
        0x90);
    row("empty topic without Topic Alias in 5.0", v5, Role::Client, bytes("30 03 00 00 00"),
        "PUBLISH: topic name: empty without a Topic Alias, a protocol error (5.0 section 3.3.2.1)", 0x82);
    row("topic length overruns", v311, Role::Client, bytes("30 04 00 05 'ab'"),
        "PUBLISH: topic name: string of 5 bytes, 2 left in the remaining length (3.1.1 section 3.3.2.1)",
        0x81);
    row("Subscription Identifier from a client", v5, Role::Server, bytes("30 08 00 03 'a/b' 02 0b 01"),
        "PUBLISH: properties: Subscription Identifier in a PUBLISH from a client, a protocol error "
        "(5.0 section 3.3.4)",
        0x82);

    // Acknowledgements, SUBSCRIBE, UNSUBSCRIBE, DISCONNECT.
    row("PUBACK packet identifier 0", v5, Role::Client, bytes("40 02 00 00"),
        "PUBACK: packet identifier: 0, where a non-zero identifier is required (5.0 section 2.2.1)", 0x82);
    row("SUBSCRIBE without a filter", v311, Role::Server, bytes("82 02 00 01"),
        "SUBSCRIBE: no topic filter; at least one is required ([MQTT-3.8.3-3]) (3.1.1 section 3.8.3)", 0x82);
    row("SUBSCRIBE QoS 3", v311, Role::Server, bytes("82 08 00 01 00 03 'a/#' 03"),
        "SUBSCRIBE: requested QoS: QoS 3 (3.1.1 section 3.8.3)", 0x81);
    row("SUBSCRIBE reserved bits in 3.1.1", v311, Role::Server, bytes("82 08 00 01 00 03 'a/#' 04"),
        "SUBSCRIBE: requested QoS: reserved bits set in 0x04 ([MQTT-3-8.3-4]) (3.1.1 section 3.8.3)", 0x81);
    row("SUBSCRIBE reserved bits in 5.0", v5, Role::Server, bytes("82 09 00 01 00 00 03 'a/#' 41"),
        "SUBSCRIBE: subscription options: reserved bits 7-6 set in 0x41 ([MQTT-3.8.3-5]) (5.0 section "
        "3.8.3.1)",
        0x81);
    row("SUBSCRIBE Retain Handling 3", v5, Role::Server, bytes("82 07 00 01 00 00 01 'a' 30"),
        "SUBSCRIBE: subscription options: Retain Handling 3, a protocol error (5.0 section 3.8.3.1)", 0x82);
    row("SUBSCRIBE No Local on a shared subscription", v5, Role::Server,
        bytes("82 10 00 01 00 00 0a '$share/g/a' 04"),
        "SUBSCRIBE: subscription options: No Local on the shared subscription \"$share/g/a\", a protocol "
        "error "
        "([MQTT-3.8.3-4]) (5.0 section 3.8.3.1)",
        0x82);
    row("SUBSCRIBE bad filter", v311, Role::Server, bytes("82 08 00 01 00 03 'a#b' 00"),
        "SUBSCRIBE: topic filter: \"a#b\": '#' must be the last level and alone in it (section 4.7.1.2) "
        "(3.1.1 section 3.8.3)",
        0x8F);
    row("UNSUBSCRIBE without a filter", v5, Role::Server, bytes("a2 03 00 01 00"),
        "UNSUBSCRIBE: no topic filter; at least one is required ([MQTT-3.10.3-2]) (5.0 section 3.10.3)",
        0x82);
    row("SUBACK reserved return code in 3.1.1", v311, Role::Client, bytes("90 03 00 01 03"),
        "SUBACK: return code: 0x03 is reserved ([MQTT-3.9.3-2]) (3.1.1 section 3.9.3)", 0x81);
    row("SUBACK without codes", v5, Role::Client, bytes("90 03 00 01 00"),
        "SUBACK: no reason code; one per topic filter is required (5.0 section 3.9.3)", 0x82);
    row("DISCONNECT with Session Expiry Interval from a server", v5, Role::Client,
        bytes("e0 07 00 05 11 00 00 00 01"),
        "DISCONNECT: properties: Session Expiry Interval from a server, a protocol error ([MQTT-3.14.2-2]) "
        "(5.0 section 3.14.2.2.2)",
        0x82);
}

void TestMqttCodec::malformed()
{
    QFETCH(std::optional<Version>, version);
    QFETCH(Role, role);
    QFETCH(std::string, wire);
    QFETCH(std::string, message);
    QFETCH(int, reasonCode);

    const Outcome whole = decodeWhole(wire, role, version);
    QVERIFY2(whole.error, qPrintable(u"decoded without an error: " + QString::fromLatin1(hex(wire))));
    QCOMPARE(QString::fromStdString(whole.error->message), QString::fromStdString(message));
    QCOMPARE(int(whole.error->reasonCode), reasonCode);
    QVERIFY(whole.packets.empty());

    // The same error whatever the slicing: each check runs on what has arrived, not on how.
    const Outcome bytewise = decodeBytewise(wire, role, version);
    QVERIFY(bytewise.error);
    QCOMPARE(QString::fromStdString(bytewise.error->message), QString::fromStdString(message));
    QVERIFY(bytewise.packets.empty());
}

void TestMqttCodec::slicingDoesNotMatter()
{
    // A server's side of a 5.0 session: CONNACK, then traffic, each packet split at every boundary.
    std::string stream;
    std::vector<Packet> sent;
    const auto add = [&](Packet packet) {
        encode(packet, Version::V5, stream);
        sent.push_back(std::move(packet));
    };
    Connack connack;
    connack.properties = connackProperties();
    add(connack);
    add(Pingresp{});
    Publish publish{false, 1, false, "devices/a17/heartbeat", 9, publishProperties(), std::string(2000, 'h')};
    add(publish);
    add(PublishAck{PacketType::Pubrel, 3, 0, {}});
    add(SubscribeAck{PacketType::Suback, 4, {}, {0, 1}});
    add(Pingresp{});
    add(Disconnect{0x8D, {}});

    const Outcome whole = decodeWhole(stream, Role::Client, Version::V5);
    QVERIFY(!whole.error);
    QVERIFY(whole.packets == sent);
    const Outcome bytewise = decodeBytewise(stream, Role::Client, Version::V5);
    QVERIFY(!bytewise.error);
    QVERIFY(bytewise.packets == sent);

    std::mt19937 random(20261201);
    for (int round = 0; round < 200; ++round) {
        std::vector<std::size_t> sizes;
        for (std::size_t total = 0; total < stream.size();) {
            sizes.push_back(std::uniform_int_distribution<std::size_t>(0, 40)(random));
            total += sizes.back();
        }
        const Outcome sliced = decodeSliced(stream, Role::Client, Version::V5, sizes);
        QVERIFY(!sliced.error);
        QVERIFY2(sliced.packets == sent, qPrintable(QString::number(round)));
    }
}

void TestMqttCodec::nonMinimalLengthIn311IsRead()
{
    // 3.1.1 has no rule against a padded remaining length; 5.0 does (section 1.5.5).
    const Outcome padded = decodeWhole(bytes("d0 80 00"), Role::Client, Version::V311);
    QVERIFY(!padded.error);
    QCOMPARE(padded.packets.size(), std::size_t(1));
    QVERIFY(std::holds_alternative<Pingresp>(padded.packets.front()));
    QVERIFY(decodeWhole(bytes("d0 80 00"), Role::Client, Version::V5).error);
}

void TestMqttCodec::maxPacketSizeBeforeBuffering()
{
    // A PUBLISH declaring 200 MB: refused on its fixed header, before any of the body is held.
    std::string header = bytes("30");
    encodeVariableByteInteger(200 * 1024 * 1024, header);
    QCOMPARE(hex(header), QByteArray("30 80 80 80 64"));
    const std::string input = header + bytes("00 03 'a/b'") + std::string(4096, 'x');

    for (const bool bytewise : {false, true}) {
        const Outcome outcome = bytewise ? decodeBytewise(input, Role::Client, Version::V5)
                                         : decodeWhole(input, Role::Client, Version::V5);
        QVERIFY(outcome.error);
        QCOMPARE(QString::fromStdString(outcome.error->message),
                 u"PUBLISH: packet of 209715205 bytes is over the maximum packet size of 1048576 bytes "
                 u"(5.0 section 3.1.2.11.4)"_s);
        QCOMPARE(int(outcome.error->reasonCode), 0x95);
        QVERIFY2(outcome.maxBuffered <= 4, qPrintable(QString::number(outcome.maxBuffered)));
    }

    Decoder server(Role::Server, Version::V311, 100);
    QVERIFY(!server.feed(bytes("30 ff 7f"), {}));
    QCOMPARE(
        QString::fromStdString(server.error()->message),
        u"PUBLISH: packet of 16386 bytes is over the maximum packet size of 100 bytes (this decoder's limit; "
        u"3.1.1 has no Maximum Packet Size)"_s);
    QCOMPARE(server.buffered(), std::size_t(0));
}

void TestMqttCodec::maxPacketSizeCountsTheFixedHeader()
{
    // A PUBLISH of exactly 16 bytes: 2 of fixed header, 14 of body.
    const std::string packet =
        encode(Publish{false, 0, false, "t", 0, {}, std::string(11, 'p')}, Version::V311);
    QCOMPARE(packet.size(), std::size_t(16));
    QVERIFY(!decodeSliced(packet, Role::Client, Version::V311, {}, 16).error);
    const Outcome over = decodeSliced(packet, Role::Client, Version::V311, {}, 15);
    QVERIFY(over.error);
    QCOMPARE(int(over.error->reasonCode), 0x95);

    // While a packet under the limit arrives, buffered() reports what is held.
    Decoder decoder(Role::Client, Version::V311);
    QVERIFY(decoder.feed(std::string_view(packet).substr(0, 7), {}));
    QCOMPARE(decoder.buffered(), std::size_t(7));
    int count = 0;
    QVERIFY(decoder.feed(std::string_view(packet).substr(7), [&](Packet &&) { ++count; }));
    QCOMPARE(count, 1);
    QCOMPARE(decoder.buffered(), std::size_t(0));
}

void TestMqttCodec::errorIsSticky()
{
    Decoder decoder(Role::Client, Version::V311);
    int count = 0;
    const auto onPacket = [&](Packet &&) { ++count; };
    QVERIFY(decoder.feed(bytes("d0 00"), onPacket));
    QCOMPARE(count, 1);
    // A good packet after the bad one in the same slice is not delivered.
    QVERIFY(!decoder.feed(bytes("d0 01 00 d0 00"), onPacket));
    QCOMPARE(count, 1);
    const std::string first = decoder.error()->message;
    QVERIFY(!decoder.feed(bytes("d0 00"), onPacket));
    QCOMPARE(count, 1);
    QCOMPARE(decoder.error()->message, first);
    QCOMPARE(decoder.buffered(), std::size_t(0));
}

void TestMqttCodec::resetStartsOver()
{
    Decoder decoder(Role::Server, std::nullopt);
    QVERIFY(decoder.feed(encode(Connect{}, Version::V5), {}));
    QCOMPARE(decoder.version(), std::optional(Version::V5));
    QVERIFY(!decoder.feed(bytes("c1 00"), {}));
    decoder.reset();
    QVERIFY(!decoder.error());
    QCOMPARE(decoder.version(), std::optional<Version>());
    Connect connect;
    connect.version = Version::V311;
    QVERIFY(decoder.feed(encode(connect, Version::V311), {}));
    QCOMPARE(decoder.version(), std::optional(Version::V311));
}

void TestMqttCodec::serverLearnsVersionFromConnect()
{
    // One slice with CONNECT and a 5.0 PUBLISH after it: the PUBLISH is read as 5.0 (properties).
    Connect connect;
    connect.version = Version::V5;
    connect.clientId = "c";
    Publish publish{false, 0, false, "t", 0, {}, "x"};
    publish.properties.messageExpiryInterval = 5;
    const std::string input = encode(connect, Version::V5) + encode(publish, Version::V5);
    std::vector<Packet> packets;
    Decoder decoder(Role::Server, std::nullopt);
    QVERIFY(decoder.feed(input, [&](Packet &&p) { packets.push_back(std::move(p)); }));
    QCOMPARE(packets.size(), std::size_t(2));
    QVERIFY(packets[1] == Packet(publish));
    QCOMPARE(decoder.version(), std::optional(Version::V5));

    // The same PUBLISH bytes after a 3.1.1 CONNECT are a different packet: the property length byte
    // and the property are payload.
    connect.version = Version::V311;
    Decoder old(Role::Server, std::nullopt);
    packets.clear();
    QVERIFY(old.feed(encode(connect, Version::V311) + encode(publish, Version::V5),
                     [&](Packet &&p) { packets.push_back(std::move(p)); }));
    QCOMPARE(packets.size(), std::size_t(2));
    QCOMPARE(QByteArray::fromStdString(std::get<Publish>(packets[1]).payload).toHex(' '),
             QByteArray("05 02 00 00 00 05 78"));
}

void TestMqttCodec::secondConnectIsAProtocolError()
{
    const std::string connect = encode(Connect{}, Version::V5);
    Decoder decoder(Role::Server, std::nullopt);
    int count = 0;
    QVERIFY(!decoder.feed(connect + connect, [&](Packet &&) { ++count; }));
    QCOMPARE(count, 1);
    QCOMPARE(
        QString::fromStdString(decoder.error()->message),
        u"CONNECT: a second CONNECT on the connection, a protocol error ([MQTT-3.1.0-2]) (5.0 section 3.1)"_s);
    QCOMPARE(int(decoder.error()->reasonCode), 0x82);
}

void TestMqttCodec::clientDecoderNeedsAVersion()
{
    Decoder decoder(Role::Client, std::nullopt);
    QVERIFY(!decoder.feed(bytes("d0 00"), {}));
    QVERIFY(decoder.error());
    Decoder told(Role::Client, std::nullopt);
    told.setVersion(Version::V311);
    QVERIFY(told.feed(bytes("d0 00"), {}));
}

void TestMqttCodec::decodePacketRejectsTrailingAndIncomplete()
{
    DecodeError error;
    QVERIFY(!decodePacket(bytes("d0 00 d0 00"), Role::Client, Version::V5, &error));
    QCOMPARE(QString::fromStdString(error.message), u"2 bytes after the PINGRESP"_s);
    QVERIFY(!decodePacket(bytes("32 09 00 03 'a/b'"), Role::Client, Version::V5, &error));
    QCOMPARE(QString::fromStdString(error.message), u"incomplete packet: 7 bytes, the packet needs more"_s);
    QVERIFY(!decodePacket(bytes(""), Role::Client, Version::V5, &error));
    QVERIFY(!decodePacket(bytes("d1 00 00"), Role::Client, Version::V5, &error));
    QCOMPARE(QString::fromStdString(error.message),
             u"PINGRESP: fixed header flags 0x01, expected 0x00 (reserved) (5.0 section 2.1.3)"_s);
    // No size limit: a packet over the Decoder's default decodes.
    const std::string big =
        encode(Publish{false, 0, false, "t", 0, {}, std::string(2 << 20, 'b')}, Version::V5);
    QVERIFY(decodePacket(big, Role::Client, Version::V5));
}

void TestMqttCodec::utf8_data()
{
    QTest::addColumn<std::string>("text");
    QTest::addColumn<bool>("valid");
    QTest::newRow("ascii") << std::string("devices/a17") << true;
    QTest::newRow("empty") << std::string() << true;
    QTest::newRow("two bytes") << bytes("c3 a9") << true;
    QTest::newRow("three bytes") << bytes("e2 9c 93") << true;
    QTest::newRow("four bytes") << bytes("f0 9f 98 80") << true;
    QTest::newRow("U+FFFF is allowed (a SHOULD NOT)") << bytes("ef bf bf") << true;
    QTest::newRow("U+0001 is allowed (a SHOULD NOT)") << bytes("01") << true;
    QTest::newRow("U+10FFFF") << bytes("f4 8f bf bf") << true;
    QTest::newRow("U+0000") << bytes("'a' 00") << false;
    QTest::newRow("overlong U+0000") << bytes("c0 80") << false;
    QTest::newRow("overlong three bytes") << bytes("e0 80 af") << false;
    QTest::newRow("overlong four bytes") << bytes("f0 80 80 af") << false;
    QTest::newRow("surrogate D800") << bytes("ed a0 80") << false;
    QTest::newRow("surrogate DFFF") << bytes("ed bf bf") << false;
    QTest::newRow("above U+10FFFF") << bytes("f4 90 80 80") << false;
    QTest::newRow("five-byte lead") << bytes("f8 88 80 80 80") << false;
    QTest::newRow("lone continuation") << bytes("80") << false;
    QTest::newRow("cut short") << bytes("e2 9c") << false;
    QTest::newRow("bad continuation") << bytes("e2 28 93") << false;
}

void TestMqttCodec::utf8()
{
    QFETCH(std::string, text);
    QFETCH(bool, valid);
    QCOMPARE(isValidMqttUtf8(text), valid);
}

void TestMqttCodec::reasons_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<Version>("version");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("slug");
    QTest::addColumn<QString>("phrase");

    const auto row = [](const char *name, const char *kind, Version version, int code, const char *slug,
                        const char *phrase) {
        QTest::newRow(name) << QString::fromLatin1(kind) << version << code << QString::fromLatin1(slug)
                            << QString::fromLatin1(phrase);
    };
    row("3.1.1 CONNACK 0", "connack", Version::V311, 0, "accepted", "connection accepted");
    row("3.1.1 CONNACK 1", "connack", Version::V311, 1, "unacceptable-protocol-version",
        "unacceptable protocol version");
    row("3.1.1 CONNACK 2", "connack", Version::V311, 2, "identifier-rejected", "identifier rejected");
    row("3.1.1 CONNACK 3", "connack", Version::V311, 3, "server-unavailable", "server unavailable");
    row("3.1.1 CONNACK 4", "connack", Version::V311, 4, "bad-username-or-password",
        "bad user name or password");
    row("3.1.1 CONNACK 5", "connack", Version::V311, 5, "not-authorized", "not authorized");
    row("3.1.1 CONNACK 6", "connack", Version::V311, 6, "code-6", "unknown code 6");
    row("3.1.1 CONNACK 0x87 is not 5.0's", "connack", Version::V311, 0x87, "code-135", "unknown code 135");
    row("5.0 CONNACK 0x80", "connack", Version::V5, 0x80, "unspecified-error", "unspecified error");
    row("5.0 CONNACK 0x84", "connack", Version::V5, 0x84, "unsupported-protocol-version",
        "unsupported protocol version");
    row("5.0 CONNACK 0x85", "connack", Version::V5, 0x85, "client-identifier-not-valid",
        "client identifier not valid");
    row("5.0 CONNACK 0x86", "connack", Version::V5, 0x86, "bad-username-or-password",
        "bad user name or password");
    row("5.0 CONNACK 0x87", "connack", Version::V5, 0x87, "not-authorized", "not authorized");
    row("5.0 CONNACK 0x8A", "connack", Version::V5, 0x8A, "banned", "banned");
    row("5.0 CONNACK 0x9C", "connack", Version::V5, 0x9C, "use-another-server", "use another server");
    row("5.0 CONNACK 0x9F", "connack", Version::V5, 0x9F, "connection-rate-exceeded",
        "connection rate exceeded");
    row("5.0 CONNACK 5 is not 3.1.1's", "connack", Version::V5, 5, "code-5", "unknown code 5");
    row("5.0 CONNACK 0x8B is DISCONNECT only", "connack", Version::V5, 0x8B, "code-139", "unknown code 139");
    row("DISCONNECT 0x00", "disconnect", Version::V5, 0x00, "normal-disconnection", "normal disconnection");
    row("DISCONNECT 0x04", "disconnect", Version::V5, 0x04, "disconnect-with-will-message",
        "disconnect with will message");
    row("DISCONNECT 0x80", "disconnect", Version::V5, 0x80, "unspecified-error", "unspecified error");
    row("DISCONNECT 0x8B", "disconnect", Version::V5, 0x8B, "server-shutting-down", "server shutting down");
    row("DISCONNECT 0x8D", "disconnect", Version::V5, 0x8D, "keep-alive-timeout", "keep alive timeout");
    row("DISCONNECT 0x8E", "disconnect", Version::V5, 0x8E, "session-taken-over", "session taken over");
    row("DISCONNECT 0x93", "disconnect", Version::V5, 0x93, "receive-maximum-exceeded",
        "receive maximum exceeded");
    row("DISCONNECT 0x9C", "disconnect", Version::V5, 0x9C, "use-another-server", "use another server");
    row("DISCONNECT 0xA2", "disconnect", Version::V5, 0xA2, "wildcard-subscriptions-not-supported",
        "wildcard subscriptions not supported");
    row("DISCONNECT 0xFF", "disconnect", Version::V5, 0xFF, "code-255", "unknown code 255");
    row("3.1.1 SUBACK 0x01", "suback", Version::V311, 0x01, "granted-qos-1", "success, maximum QoS 1");
    row("3.1.1 SUBACK 0x80", "suback", Version::V311, 0x80, "failure", "failure");
    row("5.0 SUBACK 0x87", "suback", Version::V5, 0x87, "not-authorized", "not authorized");
    row("5.0 SUBACK 0x9E", "suback", Version::V5, 0x9E, "shared-subscriptions-not-supported",
        "shared subscriptions not supported");
    row("5.0 SUBACK 0x03", "suback", Version::V5, 0x03, "code-3", "unknown code 3");
}

void TestMqttCodec::reasons()
{
    QFETCH(QString, kind);
    QFETCH(Version, version);
    QFETCH(int, code);
    QFETCH(QString, slug);
    QFETCH(QString, phrase);
    const auto c = static_cast<std::uint8_t>(code);
    const ReasonText text = kind == u"connack"_s  ? connackReason(version, c)
                            : kind == u"suback"_s ? subackReason(version, c)
                                                  : disconnectReason(c);
    QCOMPARE(QString::fromUtf8(text.slug.data(), qsizetype(text.slug.size())), slug);
    QCOMPARE(QString::fromUtf8(text.phrase.data(), qsizetype(text.phrase.size())), phrase);
}

void TestMqttCodec::packetNames()
{
    QCOMPARE(QString::fromLatin1(packetTypeName(PacketType::Connack)), u"CONNACK"_s);
    QCOMPARE(QString::fromLatin1(packetTypeName(PacketType::Unsubscribe)), u"UNSUBSCRIBE"_s);
    QCOMPARE(QString::fromLatin1(packetTypeName(PacketType::Auth)), u"AUTH"_s);
    QCOMPARE(packetType(Packet(PublishAck{PacketType::Pubcomp, 1, 0, {}})), PacketType::Pubcomp);
    QCOMPARE(packetType(Packet(SubscribeAck{PacketType::Unsuback, 1, {}, {}})), PacketType::Unsuback);
    QCOMPARE(packetType(Packet(Pingreq{})), PacketType::Pingreq);
    QCOMPARE(packetType(Packet(Connect{})), PacketType::Connect);
}

QTEST_GUILESS_MAIN(TestMqttCodec)
#include "tst_mqttcodec.moc"
