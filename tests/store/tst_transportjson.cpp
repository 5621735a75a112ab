// Workspace keys "tls" and kind "websocket": what loads, what is refused with which words, and that a
// load/save round trip keeps what the user wrote.

#include "workspace.h"
#include "workspacejson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace kw::test;

class TestTransportJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tlsEveryField();
    void tlsOffByDefault();
    void insecureIsSaidAtLoad();
    void refused_data();
    void refused();
    void webSocketUrl_data();
    void webSocketUrl();
    void webSocketEveryFieldRoundTrips();
    void wssAloneAddsNoTlsKey();
};

namespace {

QByteArray webSocket(const char *extra = "")
{
    return QByteArray(R"({"version": 1, "endpoints": [{"name": "feed", "kind": "websocket", )") + extra +
           "}]}";
}

kw::EndpointConfig loadOne(const QByteArray &json)
{
    const kw::WorkspaceResult result = kw::parseWorkspace(json, kFile);
    if (!result.ok())
        qWarning().noquote() << result.errors.join(u'\n');
    return result.ok() ? result.workspace->endpoints.first() : kw::EndpointConfig{};
}

} // namespace

void TestTransportJson::tlsEveryField()
{
    const kw::EndpointConfig c = loadOne(withKey("tls", R"({"ca_file": "/etc/ca.pem",
        "cert_file": "c.pem", "key_file": "k.pem", "peer_name": "db.example.net",
        "alpn": ["h2", "http/1.1"], "warn_expiry_days": 30})"));
    QVERIFY(c.tls.enabled);
    QCOMPARE(c.tls.caFile, u"/etc/ca.pem"_s);
    QCOMPARE(c.tls.certFile, u"c.pem"_s);
    QCOMPARE(c.tls.keyFile, u"k.pem"_s);
    QCOMPARE(c.tls.peerName, u"db.example.net"_s);
    QCOMPARE(c.tls.alpn, (QStringList{u"h2"_s, u"http/1.1"_s}));
    QCOMPARE(c.tls.warnExpiryDays, 30);
    QVERIFY(!c.tls.insecure);
}

void TestTransportJson::tlsOffByDefault()
{
    const kw::EndpointConfig c = loadOne(fileWith({baseEndpoint()}));
    QVERIFY(!c.tls.enabled);
    QCOMPARE(c.tls.warnExpiryDays, 14);
    QCOMPARE(kw::endpointToJson(c).contains(u"tls"_s), false);
    QVERIFY(loadOne(withKey("tls", "{}")).tls.enabled);
    QVERIFY(!loadOne(withKey("tls", R"({"enabled": false, "ca_file": "x.pem"})")).tls.enabled);
}

void TestTransportJson::insecureIsSaidAtLoad()
{
    const kw::WorkspaceResult result = kw::parseWorkspace(withKey("tls", R"({"insecure": true})"), kFile);
    QVERIFY(result.ok());
    QCOMPARE(result.warnings.size(), 1);
    QVERIFY2(result.warnings.first().startsWith(u"ws.json: endpoints[0].tls.insecure: TLS certificate and "
                                                "host-name verification are off"_s),
             qPrintable(result.warnings.first()));
}

void TestTransportJson::refused_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    const QString e0 = u"ws.json: endpoints[0]."_s;
    QTest::newRow("cert without key") << withKey("tls", R"({"cert_file": "c.pem"})")
                                      << e0 + u"tls.key_file: required with cert_file: a client certificate "
                                              "needs both its certificate and its private key"_s;
    QTest::newRow("empty ca") << withKey("tls", R"({"ca_file": " "})")
                              << e0 + u"tls.ca_file: expected the path of a PEM file, got an empty string; "
                                      "remove the key"_s;
    QTest::newRow("password") << withKey("tls", R"({"key_password": "hunter2"})")
                              << e0 + u"tls.key_password: secrets are never kept in the workspace; use an "
                                      "unencrypted key file readable only by this user"_s;
    QTest::newRow("alpn not a list") << withKey("tls", R"({"alpn": "h2"})")
                                     << e0 + u"tls.alpn: expected an array of protocol names such as \"h2\" "
                                             "or \"mqtt\", got \"h2\""_s;
    QTest::newRow("ws without url") << webSocket(R"("websocket": {})")
                                    << e0 + u"url: required for kind \"websocket\": ws://host:port/path or "
                                            "wss://host:port/path"_s;
    QTest::newRow("ws http url") << webSocket(R"("url": "http://h/x")")
                                 << e0 +
                                        u"url: expected ws://host[:port]/path or wss://host[:port]/path, got "
                                        "\"http://h/x\""_s;
    QTest::newRow("ws credentials") << webSocket(R"("url": "ws://user:pw@h/x")")
                                    << e0 +
                                           u"url: credentials in the URL would be written into the log; send "
                                           "them in a header from websocket.headers instead"_s;
    QTest::newRow("ws host key") << webSocket(R"("url": "ws://h/x", "host": "h")")
                                 << e0 + u"host: not used by kind \"websocket\"; the host and port are part "
                                         "of \"url\""_s;
    QTest::newRow("ws header CRLF")
        << webSocket(R"("url": "ws://h/", "websocket": {"headers": {"X-A": "1\r\nX-B: 2"}})")
        << e0 + u"websocket.headers.X-A: a header name and value must not contain "
                "CR, LF or (in the name) ':'"_s;
    QTest::newRow("ws heartbeat") << webSocket(R"("url": "ws://h/", "heartbeat": {})")
                                  << e0 + u"heartbeat: not used by kind \"websocket\", which pings with "
                                          "WebSocket ping frames; set websocket.ping_interval_s and "
                                          "websocket.pong_timeout_s instead"_s;
    QTest::newRow("listen tls") << withKey("tls", "{}", listenEndpoint())
                                << e0 + u"tls: not supported by kind \"listen\" yet; remove it"_s;
}

void TestTransportJson::refused()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const kw::WorkspaceResult result = kw::parseWorkspace(json, kFile);
    QVERIFY(!result.ok());
    QVERIFY2(result.errors.contains(expected), qPrintable(result.errors.join(u'\n')));
}

void TestTransportJson::webSocketUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("secure");
    QTest::newRow("ws default port") << u"ws://feed.example.net/live"_s << u"feed.example.net"_s << 80
                                     << u"/live"_s << false;
    QTest::newRow("wss default port")
        << u"wss://feed.example.net"_s << u"feed.example.net"_s << 443 << u"/"_s << true;
    QTest::newRow("port and query") << u"ws://127.0.0.1:8080/a/b?x=1&y=2"_s << u"127.0.0.1"_s << 8080
                                    << u"/a/b?x=1&y=2"_s << false;
    QTest::newRow("ipv6") << u"wss://[2001:db8::5]:8443/s"_s << u"2001:db8::5"_s << 8443 << u"/s"_s << true;
}

void TestTransportJson::webSocketUrl()
{
    QFETCH(QString, url);
    const kw::EndpointConfig c =
        loadOne(webSocket(QString(u"\"url\": \""_s + url + u'"').toUtf8().constData()));
    QCOMPARE(c.kind, kw::EndpointKind::WebSocket);
    QTEST(c.host, "host");
    QTEST(int(c.port), "port");
    QTEST(c.websocket.path, "path");
    QTEST(c.websocket.secure, "secure");
    QCOMPARE(c.tls.enabled, c.websocket.secure);
    QCOMPARE(c.target(), url);
}

void TestTransportJson::webSocketEveryFieldRoundTrips()
{
    const QByteArray json = webSocket(R"("url": "wss://feed.example.net:8443/live",
        "websocket": {"ping_interval_s": 2.5, "pong_timeout_s": 1, "subprotocols": ["graphql-ws"],
                      "headers": {"Authorization": "Bearer x"}},
        "tls": {"ca_file": "ca.pem", "warn_expiry_days": 7},
        "keepalive": {"enabled": true, "idle_s": 10})");
    const kw::EndpointConfig c = loadOne(json);
    QCOMPARE(c.websocket.pingInterval, 2500ms);
    QCOMPARE(c.websocket.pongTimeout, 1000ms);
    QCOMPARE(c.websocket.subprotocols, QStringList{u"graphql-ws"_s});
    QCOMPARE(c.websocket.headers.size(), 1);
    QCOMPARE(c.websocket.headers.first().first, u"Authorization"_s);
    QVERIFY(c.tls.enabled);
    QCOMPARE(c.tls.caFile, u"ca.pem"_s);
    QCOMPARE(c.tls.warnExpiryDays, 7);

    const QJsonObject saved = kw::endpointToJson(c);
    QVERIFY(!saved.contains(u"host"_s));
    QVERIFY(!saved.contains(u"port"_s));
    QCOMPARE(saved.value(u"url"_s).toString(), u"wss://feed.example.net:8443/live"_s);
    QCOMPARE(saved.value(u"websocket"_s).toObject().value(u"ping_interval_s"_s).toDouble(), 2.5);
    // Reloading what was saved gives the same endpoint.
    const QByteArray again =
        QJsonDocument(QJsonObject{{u"version"_s, 1}, {u"endpoints"_s, QJsonArray{saved}}}).toJson();
    QCOMPARE(loadOne(again), c);
}

void TestTransportJson::wssAloneAddsNoTlsKey()
{
    const kw::EndpointConfig c = loadOne(webSocket(R"("url": "wss://h/")"));
    QVERIFY(c.tls.enabled);
    QVERIFY(!kw::endpointToJson(c).contains(u"tls"_s));
}

QTEST_GUILESS_MAIN(TestTransportJson)
#include "tst_transportjson.moc"
