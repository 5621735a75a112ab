// The WebSocket layer and its upgrade parser: the parser and the frame reading from byte strings,
// the layer over real loopback sockets against servers nobody here wrote (Qt WebSockets'
// QWebSocketServer in ws_testserver, Python's http.server), and a tiny in-test responder only for
// answers no real server gives (a wrong Sec-WebSocket-Accept, a masked frame).

#include "httpupgrade.h"
#include "streamfuzz.h"
#include "websocketlayer.h"
#include "websocketpeers.h"

#include <QtCore/QRegularExpression>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace kw::stream;
using namespace kw::stream::test;

namespace {

bool underCi()
{
    return qEnvironmentVariable("CI") == u"true"_s;
}

// A missing program skips the test on a developer machine and fails it under CI, where a skip
// would hide that nothing was tested.
#define REQUIRE_PREREQUISITE(condition, message)                                                             \
    do {                                                                                                     \
        if (!(condition)) {                                                                                  \
            if (underCi())                                                                                   \
                QFAIL(message);                                                                              \
            QSKIP(message);                                                                                  \
        }                                                                                                    \
    } while (false)

QByteArray toQt(std::string_view bytes)
{
    return QByteArray(bytes.data(), qsizetype(bytes.size()));
}

std::string frame(std::uint8_t opcode, std::string_view payload, bool fin = true)
{
    std::string out;
    out += char((fin ? 0x80 : 0) | opcode);
    if (payload.size() < 126) {
        out += char(payload.size());
    } else if (payload.size() < 65536) {
        out += char(126);
        out += char(payload.size() >> 8);
        out += char(payload.size() & 0xff);
    } else {
        out += char(127);
        for (int shift = 56; shift >= 0; shift -= 8)
            out += char((std::uint64_t(payload.size()) >> shift) & 0xff);
    }
    out += payload;
    return out;
}

std::string closePayload(int code, std::string_view reason)
{
    return std::string{char(code >> 8), char(code & 0xff)} + std::string(reason);
}

std::string validAnswer(const std::string &key, std::string_view extra = {})
{
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: " +
           webSocketAccept(key) + "\r\n" + std::string(extra) + "\r\n";
}

std::string keyOf(const std::string &request)
{
    const std::size_t at = request.find("Sec-WebSocket-Key: ");
    return at == std::string::npos ? std::string() : request.substr(at + 19, 24);
}

QString testServerPath()
{
#ifdef KW_WS_TESTSERVER
    return QStringLiteral(KW_WS_TESTSERVER);
#else
    return {};
#endif
}

WebSocketOptions loopbackOptions(std::uint16_t port = 80)
{
    WebSocketOptions options;
    options.host = "127.0.0.1";
    options.port = port;
    options.path = "/";
    return options;
}

} // namespace

class TestWebSocketLayer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acceptOfRfcExample();
    void request_data();
    void request();
    void randomKeys();
    void refusedOptions_data();
    void refusedOptions();
    void parse_data();
    void parse();
    void parseTruncated_data();
    void parseTruncated();

    void frames_data();
    void frames();
    void nothingAfterTheEnd();
    void destroyedFromItsCallbacks_data();
    void destroyedFromItsCallbacks();
    void outgoingFramesMaskedAndBounded();

    void peerHandshake_data();
    void peerHandshake();
    void peerEcho_data();
    void peerEcho();
    void peerPingPong();
    void peerPingsUs();
    void peerCloses_data();
    void peerCloses();
    void weClose();
    void refusedByPlainHttpServer_data();
    void refusedByPlainHttpServer();
    void fakeServer_data();
    void fakeServer();
};

void TestWebSocketLayer::acceptOfRfcExample()
{
    // RFC 6455 section 1.3.
    QCOMPARE(webSocketAccept("dGhlIHNhbXBsZSBub25jZQ=="), std::string("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

void TestWebSocketLayer::request_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<bool>("secure");
    QTest::addColumn<QStringList>("subprotocols");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray tail =
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n";
    QTest::newRow("default ws port") << u"example.com"_s << 80 << false << QStringList()
                                     << "GET /chat?x=1 HTTP/1.1\r\nHost: example.com\r\n" + tail +
                                            "Origin: https://example.com\r\n\r\n";
    QTest::newRow("default wss port")
        << u"example.com"_s << 443 << true << QStringList{u"mqtt"_s}
        << "GET /chat?x=1 HTTP/1.1\r\nHost: example.com\r\n" + tail +
               "Sec-WebSocket-Protocol: mqtt\r\nOrigin: https://example.com\r\n\r\n";
    QTest::newRow("other port") << u"example.com"_s << 443 << false << QStringList{u"a"_s, u"b"_s}
                                << "GET /chat?x=1 HTTP/1.1\r\nHost: example.com:443\r\n" + tail +
                                       "Sec-WebSocket-Protocol: a, b\r\nOrigin: https://example.com\r\n\r\n";
    QTest::newRow("IPv6 literal") << u"::1"_s << 8080 << false << QStringList()
                                  << "GET /chat?x=1 HTTP/1.1\r\nHost: [::1]:8080\r\n" + tail +
                                         "Origin: https://example.com\r\n\r\n";
}

void TestWebSocketLayer::request()
{
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(bool, secure);
    QFETCH(QStringList, subprotocols);
    QFETCH(QByteArray, expected);
    WebSocketOptions options;
    options.host = host.toStdString();
    options.port = std::uint16_t(port);
    options.secure = secure;
    options.path = "/chat?x=1";
    for (const QString &name : subprotocols)
        options.subprotocols.push_back(name.toStdString());
    options.headers = {{"Origin", " https://example.com "}};
    const UpgradeRequest request = buildUpgradeRequest(options, "dGhlIHNhbXBsZSBub25jZQ==");
    QCOMPARE(QByteArray::fromStdString(request.error), QByteArray());
    QCOMPARE(QByteArray::fromStdString(request.bytes), expected);
}

void TestWebSocketLayer::randomKeys()
{
    const UpgradeRequest first = buildUpgradeRequest(loopbackOptions());
    const UpgradeRequest second = buildUpgradeRequest(loopbackOptions());
    // RFC 6455 section 4.1, item 7: 16 random bytes, base64; fresh for every connection.
    QCOMPARE(QByteArray::fromBase64(toQt(first.key)).size(), 16);
    QCOMPARE(first.key.size(), std::size_t(24));
    QVERIFY(first.key != second.key);
    QVERIFY(first.bytes.find("Sec-WebSocket-Key: " + first.key + "\r\n") != std::string::npos);
}

void TestWebSocketLayer::refusedOptions_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("subprotocol");
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("error");

    QTest::newRow("empty host") << QString() << u"/"_s << QString() << QByteArray() << QByteArray()
                                << u"the WebSocket host is empty; give the server's name or address"_s;
    QTest::newRow("relative path")
        << u"h"_s << u"ws"_s << QString() << QByteArray() << QByteArray()
        << u"the WebSocket path \"ws\" must start with '/' (for example \"/ws\")"_s;
    QTest::newRow("fragment")
        << u"h"_s << u"/ws#top"_s << QString() << QByteArray() << QByteArray()
        << u"the WebSocket path \"/ws#top\" contains '#'; WebSocket URIs have no fragment"_s;
    QTest::newRow("subprotocol with space")
        << u"h"_s << u"/"_s << u"my proto"_s << QByteArray() << QByteArray()
        << u"the subprotocol \"my proto\" is not a valid name (letters, digits and !#$%&'*+-.^_`|~ only, not empty)"_s;
    QTest::newRow("CRLF in value") << u"h"_s << u"/"_s << QString() << QByteArray("X-Token")
                                   << QByteArray("a\r\nHost: evil")
                                   << u"the value of header \"X-Token\" contains a line break"_s;
    QTest::newRow("LF in name") << u"h"_s << u"/"_s << QString() << QByteArray("X-A\nB") << QByteArray("1")
                                << u"the header name \"X-A\\x0aB\" contains a line break"_s;
    QTest::newRow("overrides the key")
        << u"h"_s << u"/"_s << QString() << QByteArray("sec-websocket-key") << QByteArray("x")
        << u"the header \"sec-websocket-key\" is set by the WebSocket handshake itself and cannot be overridden"_s;
    QTest::newRow("overrides Host")
        << u"h"_s << u"/"_s << QString() << QByteArray("Host") << QByteArray("x")
        << u"the header \"Host\" is set by the WebSocket handshake itself and cannot be overridden"_s;
    QTest::newRow("protocol as header")
        << u"h"_s << u"/"_s << QString() << QByteArray("Sec-WebSocket-Protocol") << QByteArray("mqtt")
        << u"the header \"Sec-WebSocket-Protocol\" is set by the WebSocket handshake; list subprotocols instead"_s;
}

void TestWebSocketLayer::refusedOptions()
{
    QFETCH(QString, host);
    QFETCH(QString, path);
    QFETCH(QString, subprotocol);
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, value);
    QFETCH(QString, error);
    WebSocketOptions options;
    options.host = host.toStdString();
    options.path = path.toStdString();
    if (!subprotocol.isEmpty())
        options.subprotocols = {subprotocol.toStdString()};
    if (!name.isEmpty())
        options.headers = {{name.toStdString(), value.toStdString()}};
    QCOMPARE(QString::fromStdString(checkUpgradeOptions(options)), error);
    const UpgradeRequest request = buildUpgradeRequest(options);
    QCOMPARE(QString::fromStdString(request.error), error);
    QVERIFY(request.bytes.empty());

    // The layer fails at start() with the same words and sends nothing.
    WebSocketLayer layer(options);
    Recorder events;
    events.attach(layer, true, {});
    layer.start();
    QVERIFY(events.failed);
    QCOMPARE(QString::fromStdString(events.failed->text), error);
    QVERIFY(events.sent.empty());
}

void TestWebSocketLayer::parse_data()
{
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<bool>("done");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QByteArray>("subprotocol");
    QTest::addColumn<QByteArray>("remainder");

    const std::string key(kw::stream::fuzz::kSampleKey);
    const QByteArray valid = toQt(validAnswer(key));
    const QByteArray accept = "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n";
    QTest::newRow("valid 101") << valid << true << 101 << QString() << QByteArray() << QByteArray();
    QTest::newRow("101 with frames after it")
        << valid + QByteArray("\x81\x05hello\x89\x00", 9) << true << 101 << QString() << QByteArray()
        << QByteArray("\x81\x05hello\x89\x00", 9);
    QTest::newRow("subprotocol") << toQt(validAnswer(key, "Sec-WebSocket-Protocol: superchat\r\n")) << true
                                 << 101 << QString() << QByteArray("superchat") << QByteArray();
    QTest::newRow("case, folding, LF endings")
        << QByteArray("HTTP/1.1 101 Switching Protocols\nupgrade:   WebSocket  \nCONNECTION: "
                      "keep-alive,\n\tUpgrade\n"
                      "sec-websocket-accept:s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\n\n")
        << true << 101 << QString() << QByteArray() << QByteArray();
    QTest::newRow("refused 403") << QByteArray("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n") << false
                                 << 403 << u"server refused the WebSocket upgrade: HTTP/1.1 403 Forbidden"_s
                                 << QByteArray() << QByteArray();
    QTest::newRow("redirect")
        << QByteArray("HTTP/1.1 301 Moved Permanently\r\nLocation: wss://example.com/ws\r\n\r\n") << false
        << 301
        << u"server refused the WebSocket upgrade: HTTP/1.1 301 Moved Permanently; it redirects to "
           "\"wss://example.com/ws\""_s
        << QByteArray() << QByteArray();
    QTest::newRow("missing Upgrade")
        << "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n" + accept + "\r\n"
        << false << 101
        << u"the server answered 101 without an Upgrade header (RFC 6455 section 4.1, item 2)"_s
        << QByteArray() << QByteArray();
    QTest::newRow("wrong Upgrade")
        << "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n" + accept + "\r\n"
        << false << 101
        << u"the server answered 101 with \"Upgrade: h2c\" instead of \"websocket\" (RFC 6455 section 4.1, item 2)"_s
        << QByteArray() << QByteArray();
    QTest::newRow("Connection without upgrade")
        << "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: keep-alive\r\n" + accept +
               "\r\n"
        << false << 101
        << u"the server answered 101 with \"Connection: keep-alive\", which lacks the \"upgrade\" token (RFC "
           u"6455 "
           "section 4.1, item 3)"_s
        << QByteArray() << QByteArray();
    QTest::newRow("wrong accept")
        << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n")
        << false << 101
        << u"the server's Sec-WebSocket-Accept \"AAAAAAAAAAAAAAAAAAAAAAAAAAA=\" does not match our key "
           u"(expected "
           "\"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\", RFC 6455 section 4.1, item 4); something that is not this "
           "WebSocket "
           "server answered"_s
        << QByteArray() << QByteArray();
    QTest::newRow("subprotocol not offered")
        << toQt(validAnswer(key, "Sec-WebSocket-Protocol: mqtt\r\n")) << false << 101
        << u"the server chose the subprotocol \"mqtt\", which we did not offer (we offered chat, superchat; "
           u"RFC 6455 "
           "section 4.1, item 6)"_s
        << QByteArray() << QByteArray();
    QTest::newRow("extension")
        << toQt(validAnswer(key, "Sec-WebSocket-Extensions: permessage-deflate\r\n")) << false << 101
        << u"the server enabled the extension \"permessage-deflate\", which we did not offer "
           "(RFC 6455 section 4.1, item 5)"_s
        << QByteArray() << QByteArray();
    QTest::newRow("HTTP/1.0 101")
        << QByteArray("HTTP/1.0 101 Switching Protocols\r\n\r\n") << false << 101
        << u"the server answered the WebSocket upgrade with \"HTTP/1.0 101 Switching "
           "Protocols\"; an upgrade needs HTTP/1.1 (RFC 6455 section 4.1)"_s
        << QByteArray() << QByteArray();
    QTest::newRow("not HTTP")
        << QByteArray("SSH-2.0-OpenSSH_9.2p1\r\n") << false << 0
        << u"the server did not answer the WebSocket upgrade in HTTP: it sent \"S\"; is it a "
           "WebSocket server, and does the port need wss (TLS)?"_s
        << QByteArray() << QByteArray();
    QTest::newRow("TLS alert")
        << QByteArray("\x15\x03\x01\x00\x02\x02\x46", 7) << false << 0
        << u"the server did not answer the WebSocket upgrade in HTTP: it sent \"\\x15\"; is it "
           "a WebSocket server, and does the port need wss (TLS)?"_s
        << QByteArray() << QByteArray();
    QTest::newRow("malformed header")
        << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade websocket\r\n\r\n") << false << 101
        << u"the server's answer to the WebSocket upgrade has a malformed header line: "
           "\"Upgrade websocket\""_s
        << QByteArray() << QByteArray();
    QTest::newRow("headers too long")
        << "HTTP/1.1 101 Switching Protocols\r\nX-Padding: " + QByteArray(17000, 'a') + "\r\n\r\n"
        << false << 101
        << u"the server's answer to the WebSocket upgrade has more than 16384 bytes of headers"_s
        << QByteArray() << QByteArray();
    QByteArray many = "HTTP/1.1 101 Switching Protocols\r\n";
    for (int i = 0; i <= int(kMaxUpgradeHeaderCount); ++i)
        many += "X-" + QByteArray::number(i) + ": 1\r\n";
    QTest::newRow("too many headers")
        << many + "\r\n"
        << false << 101 << u"the server's answer to the WebSocket upgrade has more than 100 headers"_s
        << QByteArray() << QByteArray();
}

void TestWebSocketLayer::parse()
{
    QFETCH(QByteArray, answer);
    QFETCH(bool, done);
    QFETCH(int, code);
    QFETCH(QString, error);
    QFETCH(QByteArray, subprotocol);
    QFETCH(QByteArray, remainder);
    const std::string_view bytes(answer.constData(), std::size_t(answer.size()));

    // One slice, two slices split at every offset, and one byte at a time must all read the same.
    std::vector<std::vector<std::string_view>> slicings{{bytes}};
    for (std::size_t split = 0; split <= bytes.size(); ++split)
        slicings.push_back({bytes.substr(0, split), bytes.substr(split)});
    std::vector<std::string_view> single;
    for (std::size_t i = 0; i < bytes.size(); ++i)
        single.push_back(bytes.substr(i, 1));
    slicings.push_back(single);

    for (const auto &slices : slicings) {
        UpgradeResponseParser parser(std::string(kw::stream::fuzz::kSampleKey), {"chat", "superchat"});
        std::string trailing;
        for (const std::string_view slice : slices) {
            if (parser.status() != UpgradeResponseParser::Status::NeedMore)
                trailing += slice;
            else if (parser.feed(slice) == UpgradeResponseParser::Status::Done)
                trailing += parser.remainder();
        }
        const auto where =
            qPrintable(u"first slice of "_s + QString::number(slices.front().size()) + u" bytes"_s);
        QVERIFY2(parser.status() ==
                     (done ? UpgradeResponseParser::Status::Done : UpgradeResponseParser::Status::Failed),
                 where);
        QCOMPARE(parser.statusCode(), code);
        QCOMPARE(QString::fromStdString(parser.error()), error);
        QCOMPARE(toQt(parser.subprotocol()), subprotocol);
        if (done)
            QCOMPARE(toQt(trailing), remainder);
    }
}

void TestWebSocketLayer::parseTruncated_data()
{
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("error");
    QTest::newRow("nothing")
        << QByteArray() << 0
        << u"the server closed the connection during the WebSocket upgrade, after 0 bytes of its answer"_s;
    QTest::newRow("half a 101")
        << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgr") << 101
        << u"the server closed the connection during the WebSocket upgrade, after 38 bytes of its "
           "answer"_s;
    QTest::newRow("half a 503")
        << QByteArray("HTTP/1.1 503 Service Unavailable\r\nRetry-") << 503
        << u"server refused the WebSocket upgrade: HTTP/1.1 503 Service Unavailable"_s;
}

void TestWebSocketLayer::parseTruncated()
{
    QFETCH(QByteArray, answer);
    QFETCH(int, code);
    QFETCH(QString, error);
    UpgradeResponseParser parser("key", {});
    QCOMPARE(parser.feed(std::string_view(answer.constData(), std::size_t(answer.size()))),
             UpgradeResponseParser::Status::NeedMore);
    QCOMPARE(parser.finish(), UpgradeResponseParser::Status::Failed);
    QCOMPARE(parser.statusCode(), code);
    QCOMPARE(QString::fromStdString(parser.error()), error);
}

// Frames from a server, fed to a layer that accepted a valid 101, one byte at a time and whole.
void TestWebSocketLayer::frames_data()
{
    QTest::addColumn<QByteArray>("frames");
    QTest::addColumn<int>("maxMessageBytes");
    QTest::addColumn<QString>("outcome"); // "messages", "closed", "failed"
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("closeSent");       // the close code we sent the server, 0 for none
    QTest::addColumn<QByteArray>("messages"); // "t:hello|b:..." in order

    const auto q = [](const std::string &bytes) { return toQt(bytes); };
    QTest::newRow("text and binary") << q(frame(1, "hello") + frame(2, std::string("\0\1", 2))) << 1
                                     << u"messages"_s << 0 << QString() << 0
                                     << QByteArray("t:hello|b:\0\1", 12);
    QTest::newRow("fragmented with a ping inside")
        << q(frame(1, "hel", false) + frame(9, "p") + frame(0, "lo")) << 1 << u"messages"_s << 0 << QString()
        << 0 << QByteArray("t:hello");
    QTest::newRow("UTF-8 split over fragments") << q(frame(1, "gr\xc3", false) + frame(0, "\xbc\xc3\x9f"
                                                                                          "e"))
                                                << 1 << u"messages"_s << 0 << QString() << 0
                                                << QByteArray("t:gr\xc3\xbc\xc3\x9f"
                                                              "e");
    QTest::newRow("64-bit length") << q(frame(2, std::string(70000, 'x'))) << 1 << u"messages"_s << 0
                                   << QString() << 0 << "b:" + QByteArray(70000, 'x');
    QTest::newRow("close with reason")
        << q(frame(1, "bye") + frame(8, closePayload(1001, "going away now"))) << 1 << u"closed"_s << 1001
        << u"server closed the WebSocket: 1001 going away: going away now"_s << 1001 << QByteArray("t:bye");
    QTest::newRow("close 1012 (IANA)")
        << q(frame(8, closePayload(1012, ""))) << 1 << u"closed"_s << 1012
        << u"server closed the WebSocket: 1012 service restart"_s << 1012 << QByteArray();
    QTest::newRow("close without code")
        << q(frame(8, "")) << 1 << u"closed"_s << 1005
        << u"server closed the WebSocket without a status code (1005 no status received)"_s << 1005
        << QByteArray();
    QTest::newRow("masked frame")
        << QByteArray("\x81\x82\x01\x02\x03\x04\x69\x6b", 8) << 1 << u"failed"_s << 1002
        << u"the server sent a masked frame; frames from a server are never masked (RFC 6455 section 5.1)"_s
        << 1002 << QByteArray();
    QTest::newRow("reserved opcode")
        << q(frame(3, "")) << 1 << u"failed"_s << 1002
        << u"the server sent a frame with the reserved opcode 0x3 (RFC 6455 section 5.2)"_s << 1002
        << QByteArray();
    QTest::newRow("RSV1 without extension") << QByteArray("\xc1\x01x", 3) << 1 << u"failed"_s << 1002
                                            << u"the server set the reserved bit(s) RSV1 in a frame, but no "
                                               u"extension was negotiated (RFC 6455 section "
                                               "5.2)"_s
                                            << 1002 << QByteArray();
    QTest::newRow("fragmented ping")
        << q(frame(9, "p", false)) << 1 << u"failed"_s << 1002
        << u"the server sent a fragmented ping frame; control frames cannot be fragmented "
           "(RFC 6455 section 5.5)"_s
        << 1002 << QByteArray();
    QTest::newRow("stray continuation")
        << q(frame(0, "x")) << 1 << u"failed"_s << 1002
        << u"the server sent a continuation frame with no fragmented message to continue (RFC 6455 section 5.4)"_s
        << 1002 << QByteArray();
    QTest::newRow("new message inside a fragmented one")
        << q(frame(2, "a", false) + frame(1, "b")) << 1 << u"failed"_s << 1002
        << u"the server started a new text message inside a fragmented binary message (RFC 6455 section 5.4)"_s
        << 1002 << QByteArray();
    QTest::newRow("non-minimal length")
        << QByteArray("\x82\x7e\x00\x05hello", 9) << 1 << u"failed"_s << 1002
        << u"the server encoded a 5-byte payload length in 2 bytes; lengths use the "
           "shortest form (RFC 6455 section 5.2)"_s
        << 1002 << QByteArray();
    QTest::newRow("invalid UTF-8 text")
        << q(frame(1, "\xc3\x28")) << 1 << u"failed"_s << 1007
        << u"the server sent a text message that is not valid UTF-8 (RFC 6455 section "
           "8.1)"_s
        << 1007 << QByteArray();
    QTest::newRow("text ending mid-character")
        << q(frame(1, "ok\xe2\x82")) << 1 << u"failed"_s << 1007
        << u"the server sent a text message that is not valid UTF-8 (RFC 6455 "
           "section 8.1)"_s
        << 1007 << QByteArray();
    QTest::newRow("surrogate in text")
        << q(frame(1, "\xed\xa0\x80")) << 1 << u"failed"_s << 1007
        << u"the server sent a text message that is not valid UTF-8 (RFC 6455 section "
           "8.1)"_s
        << 1007 << QByteArray();
    QTest::newRow("invalid UTF-8 close reason")
        << q(frame(8, closePayload(1000, "\xff"))) << 1 << u"failed"_s << 1007
        << u"the server sent a close reason that is not valid UTF-8 (RFC 6455 section 5.5.1)"_s << 1007
        << QByteArray();
    QTest::newRow("close code 1005 on the wire")
        << q(frame(8, closePayload(1005, ""))) << 1 << u"failed"_s << 1002
        << u"the server sent the close code 1005, which may not appear in a close frame (RFC 6455 section 7.4)"_s
        << 1002 << QByteArray();
    QTest::newRow("message over the limit")
        << q(frame(2, std::string(65, 'x'))) << 64 << u"failed"_s << 1009
        << u"the server sent a message of at least 65 bytes, over the limit of 64 bytes"_s << 1009
        << QByteArray();
    QTest::newRow("fragments over the limit")
        << q(frame(1, std::string(40, 'x'), false) + frame(0, std::string(40, 'x'))) << 64 << u"failed"_s
        << 1009 << u"the server sent a message of at least 80 bytes, over the limit of 64 bytes"_s << 1009
        << QByteArray();
    QTest::newRow("message at the limit") << q(frame(2, std::string(64, 'x'))) << 64 << u"messages"_s << 0
                                          << QString() << 0 << "b:" + QByteArray(64, 'x');
}

void TestWebSocketLayer::frames()
{
    QFETCH(QByteArray, frames);
    QFETCH(int, maxMessageBytes);
    QFETCH(QString, outcome);
    QFETCH(int, code);
    QFETCH(QString, text);
    QFETCH(int, closeSent);
    QFETCH(QByteArray, messages);

    for (const bool bytewise : {false, true}) {
        WebSocketOptions options = loopbackOptions();
        if (maxMessageBytes > 1)
            options.maxMessageBytes = std::size_t(maxMessageBytes);
        WebSocketLayer layer(options);
        Recorder events;
        events.attach(layer, true, {});
        layer.start();
        const std::string key = keyOf(events.sent);
        layer.receive(validAnswer(key));
        QCOMPARE(events.ready, 1);
        QVERIFY(layer.isReady());
        events.sent.clear();
        const std::string_view bytes(frames.constData(), std::size_t(frames.size()));
        if (bytewise) {
            for (std::size_t i = 0; i < bytes.size() && !events.ended(); ++i)
                layer.receive(bytes.substr(i, 1));
        } else {
            layer.receive(bytes);
        }

        QByteArray seen;
        for (const auto &[isText, payload] : events.messages)
            seen += (seen.isEmpty() ? "" : "|") + QByteArray(isText ? "t:" : "b:") + toQt(payload);
        QCOMPARE(seen, messages);
        if (outcome == u"messages"_s) {
            QVERIFY(!events.ended());
        } else {
            const std::optional<Failure> &end = outcome == u"closed"_s ? events.closed : events.failed;
            QVERIFY2(end, qPrintable(outcome));
            QCOMPARE(end->layer, LayerKind::WebSocket);
            QCOMPARE(end->code, code);
            QCOMPARE(QString::fromStdString(end->text), text);
        }
        // A close frame is known as the peer's end before it is answered: a connection reset by the
        // answer is still named by it (the session asks peerEnd()). A violation is no peer's end.
        QCOMPARE(layer.peerEnd().has_value(), outcome == u"closed"_s);
        if (outcome == u"closed"_s) {
            QCOMPARE(layer.peerEnd()->code, code);
            QCOMPARE(QString::fromStdString(layer.peerEnd()->text), text);
            QVERIFY(events.peerEndAtLastSend);
        }
        // Every frame we send is masked (RFC 6455 section 5.3); a violation is answered with its code.
        QCOMPARE(kw::stream::fuzz::lastCloseSent(events.sent), closeSent);
        QCOMPARE(events.afterEnd, 0);
    }
}

void TestWebSocketLayer::nothingAfterTheEnd()
{
    WebSocketLayer layer(loopbackOptions());
    Recorder events;
    events.attach(layer, true, {});
    layer.start();
    layer.receive(validAnswer(keyOf(events.sent)) + frame(3, ""));
    QVERIFY(events.failed);
    const std::size_t sent = events.sent.size();
    layer.receive(frame(1, "late") + frame(8, closePayload(1000, "")));
    layer.send("more");
    QVERIFY(!layer.sendText("more"));
    QVERIFY(!layer.sendPing("p"));
    QVERIFY(!layer.close(1000, ""));
    layer.belowEnded();
    QCOMPARE(events.afterEnd, 0);
    QVERIFY(!events.closed);
    QCOMPARE(events.sent.size(), sent);
}

// The session drops the whole stack from inside failed(), closedByPeer() or a message it cannot
// use; the layer must not touch itself afterwards, with more frames still in the same slice.
void TestWebSocketLayer::destroyedFromItsCallbacks_data()
{
    QTest::addColumn<QString>("callback");
    QTest::addColumn<QByteArray>("frames");
    const auto q = [](const std::string &bytes) { return toQt(bytes); };
    QTest::newRow("ready") << u"ready"_s << q(frame(1, "a"));
    QTest::newRow("message") << u"message"_s
                             << q(frame(1, "a") + frame(1, "b") + frame(8, closePayload(1000, "")));
    QTest::newRow("pong") << u"pong"_s << q(frame(10, "p") + frame(1, "b"));
    QTest::newRow("serverPing") << u"serverPing"_s << q(frame(9, "p") + frame(1, "b"));
    QTest::newRow("failed") << u"failed"_s << q(frame(1, "a") + frame(3, ""));
    QTest::newRow("closedByPeer") << u"closedByPeer"_s
                                  << q(frame(8, closePayload(1001, "bye")) + frame(1, "x"));
    QTest::newRow("sendBelow (pong)") << u"sendBelow"_s << q(frame(9, "p") + frame(1, "b"));
}

void TestWebSocketLayer::destroyedFromItsCallbacks()
{
    QFETCH(QString, callback);
    QFETCH(QByteArray, frames);
    auto layer = std::make_unique<WebSocketLayer>(loopbackOptions());
    std::string request;
    bool upgraded = false;
    int calls = 0;
    const auto drop = [&](const QString &name) {
        if (name == callback && upgraded) {
            ++calls;
            layer.reset();
        }
    };
    Layer::Callbacks callbacks;
    callbacks.sendBelow = [&](std::string_view bytes) {
        request += bytes;
        drop(u"sendBelow"_s);
    };
    callbacks.ready = [&] { drop(u"ready"_s); };
    callbacks.failed = [&](const Failure &) { drop(u"failed"_s); };
    callbacks.closedByPeer = [&](const Failure &) { drop(u"closedByPeer"_s); };
    layer->setCallbacks(callbacks);
    WebSocketLayer::WebSocketCallbacks ws;
    ws.message = [&](bool, std::string_view) { drop(u"message"_s); };
    ws.pong = [&](std::string_view) { drop(u"pong"_s); };
    ws.serverPing = [&] { drop(u"serverPing"_s); };
    layer->setWebSocketCallbacks(ws);
    layer->start();
    upgraded = true;
    layer->receive(validAnswer(keyOf(request)) + frames.toStdString());
    QCOMPARE(calls, 1);
    QVERIFY(!layer);
}

void TestWebSocketLayer::outgoingFramesMaskedAndBounded()
{
    WebSocketLayer layer(loopbackOptions());
    Recorder events;
    std::size_t largestChunk = 0;
    events.attach(layer, true,
                  [&](std::string_view bytes) { largestChunk = std::max(largestChunk, bytes.size()); });
    layer.start();
    layer.send("too early"); // before ready(): a caller error, and nothing is sent
    QVERIFY(!layer.sendPing("x"));
    layer.receive(validAnswer(keyOf(events.sent)));
    events.sent.clear();
    largestChunk = 0;

    layer.send(std::string(300 * 1024, 'z'));
    QVERIFY(layer.sendText("grüße"));
    QVERIFY(!layer.sendText("\xc3\x28"));           // not UTF-8: refused, not sent
    QVERIFY(layer.sendPing(std::string(125, 'p'))); // the largest control payload
    QVERIFY(!layer.sendPing(std::string(126, 'p')));
    QVERIFY(!layer.close(1005, ""));                   // reserved for reports (RFC 6455 section 7.4.1)
    QVERIFY(layer.close(4000, std::string(200, 'r'))); // the reason is cut to 123 bytes
    QVERIFY(!layer.close(1000, ""));                   // once

    QVERIFY(largestChunk <= 64 * 1024);
    QCOMPARE(kw::stream::fuzz::lastCloseSent(events.sent), 4000);
    // Unmask the frames: binary 300 KiB, text, ping, close with a 123-byte reason.
    std::vector<std::pair<int, std::string>> frames;
    std::size_t at = 0;
    while (at < events.sent.size()) {
        const auto byte = [&](std::size_t i) { return std::uint8_t(events.sent[i]); };
        QVERIFY(byte(at + 1) & 0x80);
        std::uint64_t length = byte(at + 1) & 0x7f;
        std::size_t header = 2;
        if (length >= 126) {
            const std::size_t size = length == 126 ? 2 : 8;
            length = 0;
            for (std::size_t i = 0; i < size; ++i)
                length = (length << 8) | byte(at + 2 + i);
            header += size;
        }
        std::string payload = events.sent.substr(at + header + 4, std::size_t(length));
        for (std::size_t i = 0; i < payload.size(); ++i)
            payload[i] = char(payload[i] ^ events.sent[at + header + i % 4]);
        frames.emplace_back(byte(at) & 0x0f, payload);
        at += header + 4 + std::size_t(length);
    }
    QCOMPARE(frames.size(), std::size_t(4));
    QCOMPARE(frames[0].first, 2);
    QCOMPARE(frames[0].second, std::string(300 * 1024, 'z'));
    QCOMPARE(frames[1].first, 1);
    QCOMPARE(frames[1].second, std::string("grüße"));
    QCOMPARE(frames[2].first, 9);
    QCOMPARE(frames[3].first, 8);
    QCOMPARE(frames[3].second.size(), std::size_t(125));
}

void TestWebSocketLayer::peerHandshake_data()
{
    QTest::addColumn<QStringList>("serverProtocols");
    QTest::addColumn<QStringList>("offered");
    QTest::addColumn<QByteArray>("chosen");
    QTest::newRow("no subprotocol") << QStringList() << QStringList() << QByteArray();
    QTest::newRow("negotiated") << QStringList{u"chat"_s} << QStringList{u"other"_s, u"chat"_s}
                                << QByteArray("chat");
    QTest::newRow("none in common") << QStringList{u"chat"_s} << QStringList{u"mqtt"_s} << QByteArray();
}

void TestWebSocketLayer::peerHandshake()
{
    QFETCH(QStringList, serverProtocols);
    QFETCH(QStringList, offered);
    QFETCH(QByteArray, chosen);
    REQUIRE_PREREQUISITE(!testServerPath().isEmpty(),
                         "ws_testserver was not built (needs qt6-websockets-dev)");
    QStringList arguments{u"--port"_s, u"0"_s};
    for (const QString &name : serverProtocols)
        arguments << u"--subprotocol"_s << name;
    PeerProcess server;
    QVERIFY2(server.start(testServerPath(), arguments, QRegularExpression(u"listening (\\d+)"_s)),
             qPrintable(server.errors()));

    WebSocketOptions options = loopbackOptions(server.port);
    for (const QString &name : offered)
        options.subprotocols.push_back(name.toStdString());
    Connection connection(options);
    QVERIFY(connection.open(server.port));
    QVERIFY(connection.pumpUntil([&] { return connection.events.ready || connection.events.ended(); }));
    QVERIFY2(!connection.events.failed,
             connection.events.failed ? connection.events.failed->text.c_str() : "");
    QCOMPARE(connection.events.ready, 1);
    QVERIFY(connection.layer.isReady());
    QCOMPARE(toQt(connection.layer.subprotocol()), chosen);
    QCOMPARE(toQt(connection.layer.statusLine()).left(13), QByteArray("HTTP/1.1 101 "));
}

void TestWebSocketLayer::peerEcho_data()
{
    QTest::addColumn<bool>("messageCallback");
    QTest::newRow("message()") << true;
    QTest::newRow("deliver()") << false;
}

void TestWebSocketLayer::peerEcho()
{
    QFETCH(bool, messageCallback);
    REQUIRE_PREREQUISITE(!testServerPath().isEmpty(),
                         "ws_testserver was not built (needs qt6-websockets-dev)");
    PeerProcess server;
    QVERIFY2(server.start(testServerPath(), {u"--port"_s, u"0"_s, u"--echo"_s},
                          QRegularExpression(u"listening (\\d+)"_s)),
             qPrintable(server.errors()));
    Connection connection(loopbackOptions(server.port), messageCallback);
    QVERIFY(connection.open(server.port));
    QVERIFY(connection.pumpUntil([&] { return connection.events.ready || connection.events.ended(); }));
    QCOMPARE(connection.events.ready, 1);

    const std::string large(200 * 1024, 'L');
    QVERIFY(connection.layer.sendText("grüße ✓"));
    connection.layer.send(std::string("\0\1\2\xff", 4));
    connection.layer.send(large);
    Recorder &events = connection.events;
    if (messageCallback) {
        QVERIFY(connection.pumpUntil([&] { return events.messages.size() >= 3 || events.ended(); }));
        QCOMPARE(events.messages.size(), std::size_t(3));
        QCOMPARE(events.messages[0], std::pair(true, std::string("grüße ✓")));
        QCOMPARE(events.messages[1], std::pair(false, std::string("\0\1\2\xff", 4)));
        QCOMPARE(events.messages[2], std::pair(false, large));
        QVERIFY(events.delivered.empty());
    } else {
        const std::string all = "grüße ✓" + std::string("\0\1\2\xff", 4) + large;
        QVERIFY(
            connection.pumpUntil([&] { return events.delivered.size() >= all.size() || events.ended(); }));
        QCOMPARE(events.delivered, all);
    }
    QVERIFY(!events.ended());
}

void TestWebSocketLayer::peerPingPong()
{
    REQUIRE_PREREQUISITE(!testServerPath().isEmpty(),
                         "ws_testserver was not built (needs qt6-websockets-dev)");
    PeerProcess server;
    QVERIFY2(server.start(testServerPath(), {u"--port"_s, u"0"_s}, QRegularExpression(u"listening (\\d+)"_s)),
             qPrintable(server.errors()));
    Connection connection(loopbackOptions(server.port));
    QVERIFY(connection.open(server.port));
    QVERIFY(connection.pumpUntil([&] { return connection.events.ready || connection.events.ended(); }));
    QVERIFY(connection.layer.sendPing("keepwatch-1"));
    QVERIFY(connection.layer.sendPing(std::string(125, 'x')));
    QVERIFY(connection.pumpUntil(
        [&] { return connection.events.pongs.size() >= 2 || connection.events.ended(); }));
    QCOMPARE(connection.events.pongs.size(), std::size_t(2));
    QCOMPARE(connection.events.pongs[0], std::string("keepwatch-1"));
    QCOMPARE(connection.events.pongs[1], std::string(125, 'x'));
}

void TestWebSocketLayer::peerPingsUs()
{
    // The server's ping must be answered without the session doing anything: wslay queues the pong
    // and ws_testserver reports the pong it got back as a text message.
    REQUIRE_PREREQUISITE(!testServerPath().isEmpty(),
                         "ws_testserver was not built (needs qt6-websockets-dev)");
    PeerProcess server;
    QVERIFY2(server.start(testServerPath(),
                          {u"--port"_s, u"0"_s, u"--ping-after-ms"_s, u"50"_s, u"--ping-payload"_s,
                           u"are-you-there"_s},
                          QRegularExpression(u"listening (\\d+)"_s)),
             qPrintable(server.errors()));
    Connection connection(loopbackOptions(server.port));
    QVERIFY(connection.open(server.port));
    Recorder &events = connection.events;
    QVERIFY(connection.pumpUntil([&] { return !events.messages.empty() || events.ended(); }));
    QCOMPARE(events.serverPings, 1);
    QCOMPARE(events.messages.front(), std::pair(true, std::string("pong:are-you-there")));
}

void TestWebSocketLayer::peerCloses_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("text");
    QTest::newRow("going away") << 1001 << u"maintenance at 03:00"_s
                                << u"server closed the WebSocket: 1001 going away: maintenance at 03:00"_s;
    QTest::newRow("normal, no reason")
        << 1000 << QString() << u"server closed the WebSocket: 1000 normal closure"_s;
    QTest::newRow("application code")
        << 4001 << u"kicked"_s << u"server closed the WebSocket: 4001 application-defined: kicked"_s;
}

void TestWebSocketLayer::peerCloses()
{
    QFETCH(int, code);
    QFETCH(QString, reason);
    QFETCH(QString, text);
    REQUIRE_PREREQUISITE(!testServerPath().isEmpty(),
                         "ws_testserver was not built (needs qt6-websockets-dev)");
    PeerProcess server;
    QVERIFY2(server.start(testServerPath(),
                          {u"--port"_s, u"0"_s, u"--close-after-ms"_s, u"100"_s, u"--close-code"_s,
                           QString::number(code), u"--close-reason"_s, reason},
                          QRegularExpression(u"listening (\\d+)"_s)),
             qPrintable(server.errors()));
    Connection connection(loopbackOptions(server.port));
    QVERIFY(connection.open(server.port));
    QVERIFY(connection.pumpUntilEnded());
    QVERIFY2(connection.events.closed,
             connection.events.failed ? connection.events.failed->text.c_str() : "");
    QCOMPARE(connection.events.closed->code, code);
    QCOMPARE(QString::fromStdString(connection.events.closed->text), text);
    // Our echo lets the server finish its closing handshake and end TCP (RFC 6455 section 7.1.1); the
    // end of stream that follows brings no second report.
    QVERIFY(connection.pumpUntil([] { return false; }, 500) == false);
    QCOMPARE(connection.events.afterEnd, 0);
    QVERIFY(!connection.events.failed);
}

void TestWebSocketLayer::weClose()
{
    REQUIRE_PREREQUISITE(!testServerPath().isEmpty(),
                         "ws_testserver was not built (needs qt6-websockets-dev)");
    PeerProcess server;
    QVERIFY2(server.start(testServerPath(), {u"--port"_s, u"0"_s}, QRegularExpression(u"listening (\\d+)"_s)),
             qPrintable(server.errors()));
    Connection connection(loopbackOptions(server.port));
    QVERIFY(connection.open(server.port));
    QVERIFY(connection.pumpUntil([&] { return connection.events.ready || connection.events.ended(); }));
    QVERIFY(connection.layer.close(1000, "stopped by the user"));
    QVERIFY(!connection.layer.sendText("after close"));
    QVERIFY(connection.pumpUntilEnded());
    QVERIFY(connection.events.closed);
    QCOMPARE(connection.events.closed->code, 1000);
    QCOMPARE(
        QString::fromStdString(connection.events.closed->text),
        u"server closed the WebSocket: 1000 normal closure: stopped by the user (answering our close frame)"_s);
}

void TestWebSocketLayer::refusedByPlainHttpServer_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("text");
    QTest::newRow("404") << u"/no-such-websocket"_s << 404
                         << u"server refused the WebSocket upgrade: HTTP/1.0 404 File not found"_s;
    QTest::newRow("200 directory listing")
        << u"/"_s << 200 << u"server refused the WebSocket upgrade: HTTP/1.0 200 OK"_s;
}

void TestWebSocketLayer::refusedByPlainHttpServer()
{
    QFETCH(QString, path);
    QFETCH(int, code);
    QFETCH(QString, text);
    const QString python = QStandardPaths::findExecutable(u"python3"_s);
    REQUIRE_PREREQUISITE(!python.isEmpty(), "python3 not found (its http.server is the plain HTTP peer)");
    QTemporaryDir root;
    QVERIFY(root.isValid());
    PeerProcess server;
    QVERIFY2(server.start(python,
                          {u"-u"_s, u"-m"_s, u"http.server"_s, u"0"_s, u"--bind"_s, u"127.0.0.1"_s,
                           u"--directory"_s, root.path()},
                          QRegularExpression(u"port (\\d+)"_s)),
             qPrintable(server.errors()));
    WebSocketOptions options = loopbackOptions(server.port);
    options.path = path.toStdString();
    Connection connection(options);
    QVERIFY(connection.open(server.port));
    QVERIFY(connection.pumpUntilEnded());
    QVERIFY(connection.events.failed);
    QCOMPARE(connection.events.ready, 0);
    QCOMPARE(connection.events.failed->layer, LayerKind::WebSocket);
    QCOMPARE(connection.events.failed->code, code);
    QCOMPARE(QString::fromStdString(connection.events.failed->text), text);
    QCOMPARE(QString::fromStdString(connection.layer.statusLine()), text.mid(text.indexOf(u"HTTP/"_s)));
}

void TestWebSocketLayer::fakeServer_data()
{
    QTest::addColumn<QByteArray>("answer"); // "ACCEPT" stands for the right Sec-WebSocket-Accept
    QTest::addColumn<bool>("closeTcp");
    QTest::addColumn<QString>("outcome");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("closeSent");

    const QByteArray ok = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: ACCEPT\r\n\r\n";
    QTest::newRow("wrong accept") << QByteArray(
                                         "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                         "Connection: Upgrade\r\nSec-WebSocket-Accept: c3Bvb2Y=\r\n\r\n")
                                  << false << u"failed"_s << 101 << u"does not match our key"_s << 0;
    QTest::newRow("masked frame") << ok + QByteArray("\x81\x82\x01\x02\x03\x04\x69\x6b", 8) << false
                                  << u"failed"_s << 1002 << u"the server sent a masked frame"_s << 1002;
    QTest::newRow("invalid UTF-8") << ok + QByteArray("\x81\x02\xc3\x28", 4) << false << u"failed"_s << 1007
                                   << u"not valid UTF-8"_s << 1007;
    QTest::newRow("TCP close without close frame")
        << ok + QByteArray("\x81\x02hi", 4) << true << u"closed"_s << 1006
        << u"the server closed the TCP connection without a WebSocket close frame (1006 abnormal closure)"_s
        << 0;
    QTest::newRow("TCP close during upgrade")
        << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n") << true << u"failed"_s
        << 101
        << u"the server closed the connection during the WebSocket upgrade, after 54 bytes of its answer"_s
        << 0;
}

void TestWebSocketLayer::fakeServer()
{
    QFETCH(QByteArray, answer);
    QFETCH(bool, closeTcp);
    QFETCH(QString, outcome);
    QFETCH(int, code);
    QFETCH(QString, text);
    QFETCH(int, closeSent);
    FakeServer server;
    QVERIFY(server.port != 0);
    Connection connection(loopbackOptions(server.port));
    QVERIFY(connection.open(server.port));
    const std::string request = server.acceptRequest();
    QVERIFY(request.rfind("GET / HTTP/1.1\r\n", 0) == 0);
    answer.replace("ACCEPT", toQt(webSocketAccept(keyOf(request))));
    server.write(std::string_view(answer.constData(), std::size_t(answer.size())));
    if (closeTcp)
        server.closeClient();
    QVERIFY(connection.pumpUntilEnded());
    const std::optional<Failure> &end =
        outcome == u"closed"_s ? connection.events.closed : connection.events.failed;
    QVERIFY2(end, qPrintable(outcome));
    QCOMPARE(end->code, code);
    QVERIFY2(QString::fromStdString(end->text).contains(text), end->text.c_str());
    if (closeSent != 0) {
        // RFC 6455 section 7.1.7: the server hears why before the connection goes.
        const std::string back = server.read(kPeerTimeoutMs);
        QCOMPARE(kw::stream::fuzz::lastCloseSent(back), closeSent);
    }
}

QTEST_GUILESS_MAIN(TestWebSocketLayer)
#include "tst_websocketlayer.moc"
