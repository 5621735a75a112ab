// TlsLayer against a real TLS server nobody here wrote (openssl s_server) over real loopback TCP, with
// certificates made for the run by the openssl command line (kw::test::TestPki, shared with the session
// tests): every failure text is the one a person would read for that exact server.
#include "loopbackpair.h"
#include "peerprocess.h"
#include "prerequisite.h"
#include "socketio.h"
#include "testpki.h"
#include "tlscontext.h"
#include "tlslayer.h"

#include <QtCore/QFile>
#include <QtTest/QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using kw::stream::Failure;
using kw::stream::TlsLayer;
using kw::stream::TlsOptions;
using kw::test::PeerProcess;
using kw::test::startTlsServer;

namespace {

constexpr auto kRunLimit = 10s;

std::string text(const QString &string)
{
    return string.toStdString();
}

QString qtext(const std::string &string)
{
    return QString::fromStdString(string);
}

std::chrono::system_clock::time_point utc(int y, unsigned m, unsigned d, int h = 0, int min = 0, int s = 0)
{
    using namespace std::chrono;
    return sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{min} + seconds{s};
}

// What a layer reported during one run.
struct Outcome
{
    bool ready = false;
    std::string received;
    std::optional<Failure> failure;
    std::optional<Failure> closed;
    kw::stream::TlsSessionInfo info;
    bool endOfStream = false;
    int tcpError = 0;
    bool peerEndAtLastSend = false; // the layer knew the peer's end when it last sent (its answer)
};

// One TCP connection to 127.0.0.1:port that moves bytes between the socket and a TlsLayer, the way
// the session will: the layer never sees the socket.
class Connection
{
public:
    bool connectTo(std::uint16_t port)
    {
        const kw::net::ConnectStart start = kw::net::startConnect("127.0.0.1", port);
        m_socket = start.socket;
        if (m_socket == kw::net::kInvalidSocket)
            return false;
        if (start.inProgress) {
            pollfd one{static_cast<int>(m_socket), POLLOUT, 0};
            if (::poll(&one, 1, 5000) != 1)
                return false;
            return kw::net::finishConnect(m_socket) == 0;
        }
        return start.error == 0;
    }
    ~Connection()
    {
        if (m_socket != kw::net::kInvalidSocket)
            kw::net::closeSocket(m_socket);
    }

    // Wires the callbacks; `onReady` runs inside ready() (it may send).
    void attach(TlsLayer &layer, std::function<void(TlsLayer &)> onReady = {})
    {
        m_layer = &layer;
        TlsLayer::Callbacks callbacks;
        callbacks.sendBelow = [this](std::string_view bytes) {
            outcome.peerEndAtLastSend = m_layer->peerEnd().has_value();
            bytesOut += bytes.size();
            m_out.append(bytes);
        };
        callbacks.ready = [this, onReady] {
            QVERIFY(!outcome.ready);
            outcome.ready = true;
            outcome.info = m_layer->sessionInfo();
            if (onReady)
                onReady(*m_layer);
        };
        callbacks.deliver = [this](std::string_view bytes) {
            QVERIFY(!outcome.failure && !outcome.closed);
            outcome.received.append(bytes);
        };
        callbacks.failed = [this](const Failure &failure) {
            QVERIFY2(!outcome.failure && !outcome.closed, "a callback after the end");
            outcome.failure = failure;
        };
        callbacks.closedByPeer = [this](const Failure &how) {
            QVERIFY2(!outcome.failure && !outcome.closed, "a callback after the end");
            outcome.closed = how;
        };
        layer.setCallbacks(std::move(callbacks));
    }

    // Moves bytes until `done` holds, the layer ended, the socket ended or the time is up.
    // feed(false) keeps received bytes in `withheld` instead of handing them to the layer.
    void run(const std::function<bool()> &done, bool byteByByte = false, bool feed = true)
    {
        const auto deadline = std::chrono::steady_clock::now() + kRunLimit;
        char buffer[64 * 1024];
        while (std::chrono::steady_clock::now() < deadline) {
            flush();
            if ((done && done()) || outcome.failure || outcome.closed || outcome.endOfStream ||
                outcome.tcpError)
                return;
            pollfd one{static_cast<int>(m_socket), static_cast<short>(POLLIN | (m_out.empty() ? 0 : POLLOUT)),
                       0};
            if (::poll(&one, 1, 50) <= 0)
                continue;
            if (!(one.revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            const kw::net::IoResult result = kw::net::receiveSome(m_socket, buffer, sizeof buffer);
            if (result.bytes > 0) {
                const std::string_view bytes(buffer, static_cast<std::size_t>(result.bytes));
                bytesIn += bytes.size();
                if (!feed)
                    withheld.append(bytes);
                else if (byteByByte)
                    for (char byte : bytes)
                        m_layer->receive(std::string_view(&byte, 1));
                else
                    m_layer->receive(bytes);
            } else if (result.endOfStream) {
                outcome.endOfStream = true;
                if (feed)
                    m_layer->belowEnded();
            } else if (!result.wouldBlock) {
                outcome.tcpError = result.error;
            }
        }
    }

    Outcome outcome;
    std::string withheld;
    std::size_t bytesIn = 0;  // from the socket
    std::size_t bytesOut = 0; // from the layer (sendBelow)

private:
    void flush()
    {
        while (!m_out.empty()) {
            const kw::net::IoResult result = kw::net::sendSome(m_socket, m_out.data(), m_out.size());
            if (result.bytes <= 0)
                return;
            m_out.erase(0, static_cast<std::size_t>(result.bytes));
        }
    }

    kw::net::NativeSocket m_socket = kw::net::kInvalidSocket;
    TlsLayer *m_layer = nullptr;
    std::string m_out;
};

} // namespace

class TestTlsLayer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void daysUntil_data();
    void daysUntil();
    void formatUtc();
    void createRefuses_data();
    void createRefuses();
    void contextsAreShared();
    void sendBeforeReadyIsAnError();
    void handshake_data();
    void handshake();
    void largeWriteRoundTrips();
    void postHandshakeMessages_data();
    void postHandshakeMessages();
    void writeDuringRenegotiation();
    void closeNotify();
    void peerClosesWithoutCloseNotify();
    void peerIsNotTls_data();
    void peerIsNotTls();
    void serverKilledMidHandshake();

private:
    QString file(const QString &name) const { return m_pki.file(name); }
    std::string path(const QString &name) const { return name.isEmpty() ? std::string() : text(file(name)); }

    kw::test::TestPki m_pki;
};

void TestTlsLayer::initTestCase()
{
    QVERIFY(kw::net::initializeSockets());
    if (kw::test::TestPki::opensslProgram().isEmpty())
        KW_SKIP_OR_FAIL_UNDER_CI(
            "the openssl command line is not installed (Debian: apt-get install openssl)");
    QString error;
    QVERIFY2(m_pki.create(&error), qPrintable(error));
}

void TestTlsLayer::daysUntil_data()
{
    QTest::addColumn<int>("hoursLeft");
    QTest::addColumn<long long>("days");
    QTest::newRow("30 days") << 30 * 24 << 30LL;
    QTest::newRow("one hour short of 30 days") << 30 * 24 - 1 << 29LL;
    QTest::newRow("last day") << 5 << 0LL;
    QTest::newRow("exactly now") << 0 << 0LL;
    QTest::newRow("expired an hour ago") << -1 << -1LL;
    QTest::newRow("expired 2 days ago") << -48 << -2LL;
}

void TestTlsLayer::daysUntil()
{
    QFETCH(int, hoursLeft);
    QFETCH(long long, days);
    const auto now = utc(2026, 12, 1, 6, 30);
    QCOMPARE(kw::stream::daysUntil(now + std::chrono::hours(hoursLeft), now), days);
}

void TestTlsLayer::formatUtc()
{
    QCOMPARE(qtext(kw::stream::formatUtc(utc(2020, 1, 2))), u"2020-01-02T00:00:00Z"_s);
    QCOMPARE(qtext(kw::stream::formatUtc(utc(2099, 12, 31, 23, 59, 59) + 999ms)), u"2099-12-31T23:59:59Z"_s);
}

void TestTlsLayer::createRefuses_data()
{
    QTest::addColumn<QString>("caFile");
    QTest::addColumn<QString>("certFile");
    QTest::addColumn<QString>("keyFile");
    QTest::addColumn<QStringList>("alpn");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("missing CA file") << u"nosuch.pem"_s << QString() << QString() << QStringList()
                                     << QStringList{u"tls.ca_file"_s, u"nosuch.pem"_s, u"does not exist"_s};
    QTest::newRow("CA file is not PEM")
        << u"notpem.txt"_s << QString() << QString() << QStringList()
        << QStringList{u"tls.ca_file"_s, u"notpem.txt"_s, u"no PEM certificate"_s};
    QTest::newRow("CA file is a directory") << u"."_s << QString() << QString() << QStringList()
                                            << QStringList{u"tls.ca_file"_s, u"is a directory"_s};
    QTest::newRow("missing cert file")
        << u"ca.pem"_s << u"nosuch.pem"_s << u"client.key"_s << QStringList()
        << QStringList{u"tls.cert_file"_s, u"nosuch.pem"_s, u"does not exist"_s};
    QTest::newRow("missing key file") << u"ca.pem"_s << u"client.pem"_s << u"nosuch.key"_s << QStringList()
                                      << QStringList{u"tls.key_file"_s, u"nosuch.key"_s, u"does not exist"_s};
    QTest::newRow("key without cert") << u"ca.pem"_s << QString() << u"client.key"_s << QStringList()
                                      << QStringList{u"tls.key_file is set but tls.cert_file is not"_s};
    QTest::newRow("key of another certificate")
        << u"ca.pem"_s << u"client.pem"_s << u"localhost.key"_s << QStringList()
        << QStringList{u"tls.key_file"_s, u"localhost.key"_s, u"is not the private key of the certificate"_s,
                       u"client.pem"_s};
    QTest::newRow("key file is not a key")
        << u"ca.pem"_s << u"client.pem"_s << u"notpem.txt"_s << QStringList()
        << QStringList{u"tls.key_file"_s, u"no usable private key"_s};
    QTest::newRow("empty ALPN name") << u"ca.pem"_s << QString() << QString() << QStringList{QString()}
                                     << QStringList{u"tls.alpn"_s, u"1 to 255 bytes"_s};
}

void TestTlsLayer::createRefuses()
{
    QFETCH(QString, caFile);
    QFETCH(QString, certFile);
    QFETCH(QString, keyFile);
    QFETCH(QStringList, alpn);
    QFETCH(QStringList, expected);
    TlsOptions options;
    options.serverName = "localhost";
    options.caFile = path(caFile);
    options.certFile = path(certFile);
    options.keyFile = path(keyFile);
    for (const QString &protocol : alpn)
        options.alpn.push_back(text(protocol));
    std::string error;
    QVERIFY(!TlsLayer::create(options, &error));
    for (const QString &part : expected)
        QVERIFY2(qtext(error).contains(part), error.c_str());
}

void TestTlsLayer::contextsAreShared()
{
    TlsOptions options;
    options.caFile = path(u"ca.pem"_s);
    options.serverName = "localhost";
    std::string error;
    const std::size_t before = kw::stream::tlsContextCacheSize();
    auto first = kw::stream::acquireTlsContext(options, &error);
    QVERIFY2(first, error.c_str());
    options.serverName = "other.example"; // per connection, not per context
    auto second = kw::stream::acquireTlsContext(options, &error);
    QCOMPARE(second.get(), first.get());
    QCOMPARE(kw::stream::tlsContextCacheSize(), before + 1);

    options.insecure = true;
    auto insecure = kw::stream::acquireTlsContext(options, &error);
    QVERIFY(insecure && insecure.get() != first.get());
    options.insecure = false;

    // A CA file renewed on disk gives a new context for new connections.
    const QString copy = file(u"ca-copy.pem"_s);
    QVERIFY(QFile::copy(file(u"ca.pem"_s), copy));
    options.caFile = text(copy);
    auto beforeRenewal = kw::stream::acquireTlsContext(options, &error);
    QVERIFY(beforeRenewal);
    QFile renewed(copy);
    QVERIFY(renewed.open(QIODevice::Append));
    renewed.write("\n");
    renewed.close();
    auto afterRenewal = kw::stream::acquireTlsContext(options, &error);
    QVERIFY(afterRenewal && afterRenewal.get() != beforeRenewal.get());

    first.reset();
    second.reset();
    insecure.reset();
    beforeRenewal.reset();
    afterRenewal.reset();
    QCOMPARE(kw::stream::tlsContextCacheSize(), before);
}

void TestTlsLayer::sendBeforeReadyIsAnError()
{
    TlsOptions options;
    options.caFile = path(u"ca.pem"_s);
    options.serverName = "localhost";
    std::string error;
    auto layer = TlsLayer::create(options, &error);
    QVERIFY2(layer, error.c_str());
    std::optional<Failure> failure;
    int calls = 0;
    TlsLayer::Callbacks callbacks;
    callbacks.sendBelow = [&](std::string_view) { ++calls; };
    callbacks.failed = [&](const Failure &f) {
        failure = f;
        ++calls;
    };
    layer->setCallbacks(callbacks);
    layer->start();
    const int afterStart = calls;
    QVERIFY(afterStart >= 1); // the ClientHello
    layer->send("too early");
    QVERIFY(failure);
    QCOMPARE(failure->layer, kw::stream::LayerKind::Tls);
    QVERIFY2(qtext(failure->text).contains(u"before the TLS handshake finished"_s), failure->text.c_str());
    // Nothing after failed().
    layer->receive("more bytes");
    layer->belowEnded();
    layer->send("again");
    QCOMPARE(calls, afterStart + 1);
}

void TestTlsLayer::handshake_data()
{
    QTest::addColumn<QStringList>("server"); // s_server arguments; file names are in the temporary dir
    QTest::addColumn<QString>("serverName");
    QTest::addColumn<QString>("caFile");
    QTest::addColumn<QString>("certFile");
    QTest::addColumn<bool>("insecure");
    QTest::addColumn<bool>("byteByByte");
    QTest::addColumn<bool>("expectReady"); // false: a failure is expected (TLS 1.3 may be ready first)
    QTest::addColumn<int>("code");
    QTest::addColumn<QStringList>("expected"); // parts of the failure text, or of verifyText when ready
    QTest::addColumn<QString>("protocol");

    const QStringList localhost{u"-cert"_s, u"localhost.pem"_s, u"-key"_s, u"localhost.key"_s};
    const QStringList wantsClientCert{u"-Verify"_s, u"1"_s, u"-CAfile"_s, u"clientca.pem"_s,
                                      u"-verify_return_error"_s};
    const QString ca = u"ca.pem"_s;

    QTest::newRow("TLS 1.3") << localhost << u"localhost"_s << ca << QString() << false << false << true << 0
                             << QStringList() << u"TLSv1.3"_s;
    QTest::newRow("TLS 1.2") << localhost + QStringList{u"-tls1_2"_s} << u"localhost"_s << ca << QString()
                             << false << false << true << 0 << QStringList() << u"TLSv1.2"_s;
    QTest::newRow("IP literal") << localhost << u"127.0.0.1"_s << ca << QString() << false << false << true
                                << 0 << QStringList() << u"TLSv1.3"_s;
    QTest::newRow("one byte at a time") << localhost << u"localhost"_s << ca << QString() << false << true
                                        << true << 0 << QStringList() << u"TLSv1.3"_s;
    QTest::newRow("TLS 1.2 one byte at a time")
        << localhost + QStringList{u"-tls1_2"_s} << u"localhost"_s << ca << QString() << false << true << true
        << 0 << QStringList() << u"TLSv1.2"_s;

    QTest::newRow("unknown CA, system store")
        << localhost << u"localhost"_s << QString() << QString() << false << false << false << 20
        << QStringList{u"\"CN=Keepwatch Test CA\""_s, u"system trust store"_s,
                       u"add that CA's certificate with tls.ca_file"_s}
        << QString();
    QTest::newRow("unknown CA, another CA file")
        << localhost << u"localhost"_s << u"clientca.pem"_s << QString() << false << false << false << 20
        << QStringList{u"\"CN=Keepwatch Test CA\""_s, u"clientca.pem"_s, u"tls.ca_file"_s} << QString();
    QTest::newRow("self-signed") << QStringList{u"-cert"_s, u"selfsigned.pem"_s, u"-key"_s,
                                                u"selfsigned.key"_s}
                                 << u"localhost"_s << ca << QString() << false << false << false << 18
                                 << QStringList{u"\"CN=localhost\""_s, u"self-signed"_s, u"tls.ca_file"_s}
                                 << QString();
    QTest::newRow("wrong host name") << localhost << u"keepwatch.invalid"_s << ca << QString() << false
                                     << false << false << 62
                                     << QStringList{u"\"keepwatch.invalid\""_s,
                                                    u"it carries localhost, 127.0.0.1"_s, u"tls.peer_name"_s}
                                     << QString();
    QTest::newRow("certificate for another name")
        << QStringList{u"-cert"_s, u"other.pem"_s, u"-key"_s, u"other.key"_s} << u"localhost"_s << ca
        << QString() << false << false << false << 62
        << QStringList{u"\"localhost\""_s, u"it carries other.example, www.other.example"_s,
                       u"tls.peer_name"_s}
        << QString();
    QTest::newRow("wrong IP address")
        << localhost << u"127.0.0.2"_s << ca << QString() << false << false << false << 64
        << QStringList{u"\"127.0.0.2\""_s, u"it carries localhost, 127.0.0.1"_s} << QString();
    QTest::newRow("expired") << QStringList{u"-cert"_s, u"expired.pem"_s, u"-key"_s, u"expired.key"_s}
                             << u"localhost"_s << ca << QString() << false << false << false << 10
                             << QStringList{u"expired on 2020-01-02T00:00:00Z"_s, u"renew it"_s} << QString();
    QTest::newRow("not yet valid") << QStringList{u"-cert"_s, u"future.pem"_s, u"-key"_s, u"future.key"_s}
                                   << u"localhost"_s << ca << QString() << false << false << false << 9
                                   << QStringList{u"not valid before 2090-01-01T00:00:00Z"_s, u"clock"_s}
                                   << QString();

    const QStringList certRequired{u"requires a client certificate"_s,
                                   u"set tls.cert_file and tls.key_file"_s};
    QTest::newRow("client certificate required, TLS 1.3")
        << localhost + wantsClientCert << u"localhost"_s << ca << QString() << false << false << false << 116
        << certRequired + QStringList{u"certificate required"_s} << QString();
    QTest::newRow("client certificate required, TLS 1.2")
        << localhost + wantsClientCert + QStringList{u"-tls1_2"_s} << u"localhost"_s << ca << QString()
        << false << false << false << 40 << certRequired << QString();
    QTest::newRow("client certificate given")
        << localhost + wantsClientCert << u"localhost"_s << ca << u"client"_s << false << false << true << 0
        << QStringList() << u"TLSv1.3"_s;
    QTest::newRow("client certificate given, TLS 1.2")
        << localhost + wantsClientCert + QStringList{u"-tls1_2"_s} << u"localhost"_s << ca << u"client"_s
        << false << false << true << 0 << QStringList() << u"TLSv1.2"_s;
    QTest::newRow("client certificate from a CA the server does not trust")
        << localhost + wantsClientCert << u"localhost"_s << ca << u"strayclient"_s << false << false << false
        << 48 << QStringList{u"rejected our client certificate"_s, u"strayclient.pem"_s, u"unknown CA"_s}
        << QString();

    // s_server answers SNI "localhost" with the localhost certificate and anything else with the
    // other.example one; a different SNI name is refused with unrecognized_name.
    const QStringList bySni{u"-cert"_s,     u"other.pem"_s,        u"-key"_s,
                            u"other.key"_s, u"-cert2"_s,           u"localhost.pem"_s,
                            u"-key2"_s,     u"localhost.key"_s,    u"-servername"_s,
                            u"localhost"_s, u"-servername_fatal"_s};
    QTest::newRow("SNI picks the certificate") << bySni << u"localhost"_s << ca << QString() << false << false
                                               << true << 0 << QStringList() << u"TLSv1.3"_s;
    QTest::newRow("no SNI for an IP literal")
        << bySni << u"127.0.0.1"_s << ca << QString() << false << false << false << 64
        << QStringList{u"\"127.0.0.1\""_s, u"it carries other.example, www.other.example"_s} << QString();
    QTest::newRow("SNI name the server does not serve")
        << bySni << u"keepwatch.invalid"_s << ca << QString() << false << false << false << 112
        << QStringList{u"does not serve the name \"keepwatch.invalid\""_s, u"unrecognized name"_s,
                       u"tls.peer_name"_s}
        << QString();

    QTest::newRow("insecure, unknown CA")
        << localhost << u"localhost"_s << QString() << QString() << true << false << true << 20
        << QStringList{u"\"CN=Keepwatch Test CA\""_s} << u"TLSv1.3"_s;
    QTest::newRow("insecure, expired")
        << QStringList{u"-cert"_s, u"expired.pem"_s, u"-key"_s, u"expired.key"_s} << u"localhost"_s << ca
        << QString() << true << false << true << 10 << QStringList{u"2020-01-02T00:00:00Z"_s} << u"TLSv1.3"_s;
}

void TestTlsLayer::handshake()
{
    QFETCH(QStringList, server);
    QFETCH(QString, serverName);
    QFETCH(QString, caFile);
    QFETCH(QString, certFile);
    QFETCH(bool, insecure);
    QFETCH(bool, byteByByte);
    QFETCH(bool, expectReady);
    QFETCH(int, code);
    QFETCH(QStringList, expected);
    QFETCH(QString, protocol);

    PeerProcess tlsServer;
    quint16 port = 0;
    QString why;
    QStringList arguments{u"-rev"_s};
    for (const QString &argument : server)
        arguments << (QFile::exists(file(argument)) ? file(argument) : argument);
    QVERIFY2(startTlsServer(tlsServer, arguments, &port, &why), qPrintable(why));

    TlsOptions options;
    options.serverName = text(serverName);
    options.caFile = path(caFile);
    if (!certFile.isEmpty()) {
        options.certFile = path(certFile + u".pem"_s);
        options.keyFile = path(certFile + u".key"_s);
    }
    options.insecure = insecure;
    std::string error;
    auto layer = TlsLayer::create(options, &error);
    QVERIFY2(layer, error.c_str());

    Connection connection;
    QVERIFY(connection.connectTo(port));
    // s_server -rev answers each line reversed. Nothing is sent when the server is to refuse us:
    // unread data in its socket would turn its close into a reset that may overtake its alert.
    connection.attach(*layer, [expectReady](TlsLayer &tls) {
        if (expectReady)
            tls.send("keepwatch\n");
    });
    layer->start();
    const Outcome &outcome = connection.outcome;
    connection.run([&] { return outcome.received.find("hctawpeek") != std::string::npos; }, byteByByte);
    QCOMPARE(outcome.tcpError, 0);

    if (!expectReady) {
        QVERIFY2(outcome.failure, outcome.closed ? outcome.closed->text.c_str() : "no failure reported");
        QCOMPARE(outcome.failure->layer, kw::stream::LayerKind::Tls);
        QCOMPARE(outcome.failure->code, code);
        for (const QString &part : expected)
            QVERIFY2(qtext(outcome.failure->text).contains(part), outcome.failure->text.c_str());
        QVERIFY(outcome.received.empty());
        return;
    }

    QVERIFY2(!outcome.failure, outcome.failure ? outcome.failure->text.c_str() : "");
    QVERIFY(outcome.ready);
    QVERIFY(layer->isReady());
    QVERIFY2(outcome.received.find("hctawpeek") != std::string::npos, outcome.received.c_str());
    const kw::stream::TlsSessionInfo &info = outcome.info;
    QCOMPARE(qtext(info.protocol), protocol);
    QVERIFY(!info.cipher.empty());
    QCOMPARE(info.verifyResult, static_cast<long>(code));
    QCOMPARE(info.verified, code == 0);
    for (const QString &part : expected)
        QVERIFY2(qtext(info.verifyText).contains(part), info.verifyText.c_str());
    if (server.contains(u"localhost.pem"_s)) {
        QCOMPARE(qtext(info.peerSubject), u"O=Keepwatch Tests,CN=localhost"_s);
        QCOMPARE(qtext(info.peerIssuer), u"CN=Keepwatch Test CA"_s);
        QCOMPARE(info.peerNames, (std::vector<std::string>{"localhost", "127.0.0.1"}));
        QVERIFY(info.notBefore && info.notAfter);
        QCOMPARE(qtext(kw::stream::formatUtc(*info.notBefore)), u"2024-01-01T00:00:00Z"_s);
        QCOMPARE(qtext(kw::stream::formatUtc(*info.notAfter)), u"2099-12-31T23:59:59Z"_s);
        QCOMPARE(kw::stream::daysUntil(*info.notAfter, utc(2099, 12, 1)), 30LL);
    }
}

void TestTlsLayer::largeWriteRoundTrips()
{
    PeerProcess tlsServer;
    quint16 port = 0;
    QString why;
    QVERIFY2(
        startTlsServer(tlsServer,
                       {u"-rev"_s, u"-cert"_s, file(u"localhost.pem"_s), u"-key"_s, file(u"localhost.key"_s)},
                       &port, &why),
        qPrintable(why));
    TlsOptions options;
    options.serverName = "localhost";
    options.caFile = path(u"ca.pem"_s);
    options.alpn = {"kw-test/1", "http/1.1"};
    std::string error;
    auto layer = TlsLayer::create(options, &error);
    QVERIFY2(layer, error.c_str());

    // 2,000 lines of 1,000 bytes in one send(): many records out, many reads back.
    constexpr int kLines = 2000;
    std::string payload, expected;
    for (int i = 0; i < kLines; ++i) {
        std::string line(999, static_cast<char>('a' + i % 26));
        line.replace(0, 6, std::to_string(100000 + i));
        payload += line + '\n';
        expected += std::string(line.rbegin(), line.rend()) + '\n';
    }
    Connection connection;
    QVERIFY(connection.connectTo(port));
    connection.attach(*layer, [&](TlsLayer &tls) { tls.send(payload); });
    layer->start();
    connection.run([&] { return connection.outcome.received.size() >= expected.size(); });
    QVERIFY2(!connection.outcome.failure,
             connection.outcome.failure ? connection.outcome.failure->text.c_str() : "");
    QCOMPARE(connection.outcome.received.size(), expected.size());
    QVERIFY(connection.outcome.received == expected);
    // s_server offers no ALPN unless told: none chosen, and the handshake does not fail over it.
    QCOMPARE(qtext(connection.outcome.info.alpn), QString());
}

void TestTlsLayer::postHandshakeMessages_data()
{
    QTest::addColumn<QStringList>("version");
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<bool>("answered"); // we send handshake records back before any data of ours
    QTest::newRow("TLS 1.2 renegotiation") << QStringList{u"-tls1_2"_s} << QByteArray("r\n") << true;
    // update_requested: OpenSSL sends our KeyUpdate in front of our next application data record,
    // which RFC 8446 section 4.6.3 allows ("prior to sending its next Application Data record").
    QTest::newRow("TLS 1.3 key update, answer requested")
        << QStringList{u"-tls1_3"_s} << QByteArray("K\n") << false;
    QTest::newRow("TLS 1.3 key update") << QStringList{u"-tls1_3"_s} << QByteArray("k\n") << false;
}

// The server renegotiates (TLS 1.2) or updates its keys (TLS 1.3, RFC 8446 section 4.6.3) in the
// middle of the connection: data keeps flowing both ways and nobody fails.
void TestTlsLayer::postHandshakeMessages()
{
    QFETCH(QStringList, version);
    QFETCH(QByteArray, command);
    QFETCH(bool, answered);
    PeerProcess tlsServer;
    quint16 port = 0;
    QString why;
    QVERIFY2(
        startTlsServer(
            tlsServer,
            QStringList{u"-cert"_s, file(u"localhost.pem"_s), u"-key"_s, file(u"localhost.key"_s)} + version,
            &port, &why),
        qPrintable(why));
    TlsOptions options;
    options.serverName = "localhost";
    options.caFile = path(u"ca.pem"_s);
    std::string error;
    auto layer = TlsLayer::create(options, &error);
    QVERIFY2(layer, error.c_str());
    Connection connection;
    QVERIFY(connection.connectTo(port));
    connection.attach(*layer, [](TlsLayer &tls) { tls.send("before\n"); });
    layer->start();
    connection.run([&] { return tlsServer.output().contains("before"); });
    QVERIFY2(tlsServer.output().contains("before"), tlsServer.output().constData());

    // Text from the server first: once it is here, so are the TLS 1.3 session tickets sent before it,
    // and the next record from the server is the one the command makes.
    tlsServer.write("hello\n");
    connection.run([&] { return connection.outcome.received.find("hello") != std::string::npos; });
    QVERIFY(connection.outcome.received.find("hello") != std::string::npos);
    const std::size_t inBefore = connection.bytesIn;
    const std::size_t outBefore = connection.bytesOut;
    tlsServer.write(command);
    // s_server takes a command only as a read of its own (it drops the rest of that read).
    connection.run([&] { return connection.bytesIn > inBefore; });
    QVERIFY(connection.bytesIn > inBefore); // the HelloRequest or KeyUpdate
    tlsServer.write("from the server\n");
    connection.run([&] { return connection.outcome.received.find("from the server") != std::string::npos; });
    QVERIFY2(connection.outcome.received.find("from the server") != std::string::npos,
             connection.outcome.received.c_str());
    QCOMPARE(connection.bytesOut > outBefore, answered);
    layer->send("after\n");
    connection.run([&] { return tlsServer.output().contains("after"); });
    const Outcome &outcome = connection.outcome;
    QVERIFY2(!outcome.failure, outcome.failure ? outcome.failure->text.c_str() : "");
    QVERIFY(!outcome.closed);
    QVERIFY2(tlsServer.output().contains("after"), tlsServer.output().constData());
}

// SSL_write(3) cannot go on while a renegotiation waits for the server: the bytes wait in the
// layer's queue and go out, in order, once the handshake is through.
void TestTlsLayer::writeDuringRenegotiation()
{
    PeerProcess tlsServer;
    quint16 port = 0;
    QString why;
    QVERIFY2(startTlsServer(
                 tlsServer,
                 {u"-cert"_s, file(u"localhost.pem"_s), u"-key"_s, file(u"localhost.key"_s), u"-tls1_2"_s},
                 &port, &why),
             qPrintable(why));
    TlsOptions options;
    options.serverName = "localhost";
    options.caFile = path(u"ca.pem"_s);
    std::string error;
    auto layer = TlsLayer::create(options, &error);
    QVERIFY2(layer, error.c_str());
    Connection connection;
    QVERIFY(connection.connectTo(port));
    connection.attach(*layer, [](TlsLayer &tls) { tls.send("before\n"); });
    layer->start();
    connection.run([&] { return tlsServer.output().contains("before"); });
    QVERIFY2(tlsServer.output().contains("before"), tlsServer.output().constData());

    // The HelloRequest reaches the layer, which answers with a ClientHello; the server's answer to
    // that is held back, so the renegotiation is certainly still waiting when we write.
    const std::size_t inBefore = connection.bytesIn;
    const std::size_t outBeforeHello = connection.bytesOut;
    tlsServer.write("r\n");
    connection.run([&] { return connection.bytesIn > inBefore; });
    QVERIFY(connection.bytesIn > inBefore);
    connection.run([&] { return !connection.withheld.empty(); }, false, false);
    QVERIFY(connection.bytesOut > outBeforeHello); // the ClientHello
    QVERIFY(!connection.withheld.empty());         // the ServerHello flight
    const std::size_t outBeforeWrite = connection.bytesOut;
    layer->send("during\n");
    layer->send("renegotiation\n");
    QCOMPARE(connection.bytesOut, outBeforeWrite); // queued, not sent
    layer->receive(connection.withheld);
    connection.withheld.clear();
    layer->send("after\n");
    connection.run([&] { return tlsServer.output().contains("after"); });
    const Outcome &outcome = connection.outcome;
    QVERIFY2(!outcome.failure, outcome.failure ? outcome.failure->text.c_str() : "");
    QVERIFY2(tlsServer.output().contains("during\nrenegotiation\nafter\n"), tlsServer.output().constData());
}

void TestTlsLayer::closeNotify()
{
    PeerProcess tlsServer;
    quint16 port = 0;
    QString why;
    QVERIFY2(startTlsServer(tlsServer,
                            {u"-rev"_s, u"-cert"_s, file(u"localhost.pem"_s), u"-key"_s,
                             file(u"localhost.key"_s), u"-alpn"_s, u"http/1.1"_s},
                            &port, &why),
             qPrintable(why));
    TlsOptions options;
    options.serverName = "localhost";
    options.caFile = path(u"ca.pem"_s);
    options.alpn = {"kw-test/1", "http/1.1"};
    std::string error;
    auto layer = TlsLayer::create(options, &error);
    QVERIFY2(layer, error.c_str());
    Connection connection;
    QVERIFY(connection.connectTo(port));
    // s_server -rev answers a line "CLOSE" with SSL_shutdown: a close_notify.
    connection.attach(*layer, [](TlsLayer &tls) { tls.send("CLOSE\n"); });
    layer->start();
    connection.run({});
    const Outcome &outcome = connection.outcome;
    QVERIFY(outcome.ready);
    QCOMPARE(qtext(outcome.info.alpn), u"http/1.1"_s);
    QVERIFY2(!outcome.failure, outcome.failure ? outcome.failure->text.c_str() : "");
    QVERIFY(outcome.closed);
    QCOMPARE(outcome.closed->layer, kw::stream::LayerKind::Tls);
    QVERIFY2(qtext(outcome.closed->text).contains(u"close_notify"_s), outcome.closed->text.c_str());
    QVERIFY(!qtext(outcome.closed->text).contains(u"without"_s));
    // Known as the peer's end before our close_notify answered it: a reset meeting the answer is
    // still named by it (the session asks peerEnd()).
    QVERIFY(outcome.peerEndAtLastSend);
    QVERIFY(layer->peerEnd());
    QCOMPARE(layer->peerEnd()->text, outcome.closed->text);
}

void TestTlsLayer::peerClosesWithoutCloseNotify()
{
    PeerProcess tlsServer;
    quint16 port = 0;
    QString why;
    QVERIFY2(
        startTlsServer(tlsServer,
                       {u"-rev"_s, u"-cert"_s, file(u"localhost.pem"_s), u"-key"_s, file(u"localhost.key"_s)},
                       &port, &why),
        qPrintable(why));
    TlsOptions options;
    options.serverName = "localhost";
    options.caFile = path(u"ca.pem"_s);
    std::string error;
    auto layer = TlsLayer::create(options, &error);
    QVERIFY2(layer, error.c_str());
    Connection connection;
    QVERIFY(connection.connectTo(port));
    connection.attach(*layer, [](TlsLayer &tls) { tls.send("keepwatch\n"); });
    layer->start();
    connection.run([&] { return connection.outcome.received.find("hctawpeek") != std::string::npos; });
    QVERIFY(connection.outcome.ready);
    // Killed: the kernel sends FIN, no close_notify.
    tlsServer.stop();
    connection.run({});
    const Outcome &outcome = connection.outcome;
    QVERIFY(outcome.endOfStream);
    QVERIFY2(!outcome.failure, outcome.failure ? outcome.failure->text.c_str() : "");
    QVERIFY(outcome.closed);
    QVERIFY2(qtext(outcome.closed->text).contains(u"without sending TLS close_notify"_s),
             outcome.closed->text.c_str());
    QVERIFY(!layer->peerEnd()); // a FIN is TCP's end, not one TLS heard
}

void TestTlsLayer::peerIsNotTls_data()
{
    QTest::addColumn<QByteArray>("banner");
    QTest::newRow("SSH server") << QByteArray("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
    QTest::newRow("HTTP server") << QByteArray("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    QTest::newRow("heartbeat line") << QByteArray("hb 1\n");
}

void TestTlsLayer::peerIsNotTls()
{
    QFETCH(QByteArray, banner);
    kw::test::LoopbackListener listener;
    QVERIFY(listener.port() != 0);
    TlsOptions options;
    options.serverName = "localhost";
    options.caFile = path(u"ca.pem"_s);
    std::string error;
    auto layer = TlsLayer::create(options, &error);
    QVERIFY2(layer, error.c_str());
    Connection connection;
    QVERIFY(connection.connectTo(listener.port()));
    const int peer = ::accept(listener.fd(), nullptr, nullptr);
    QVERIFY(peer >= 0);
    QCOMPARE(::send(peer, banner.constData(), static_cast<std::size_t>(banner.size()), 0), banner.size());
    connection.attach(*layer);
    layer->start();
    connection.run({});
    ::close(peer);
    const Outcome &outcome = connection.outcome;
    QVERIFY(!outcome.ready);
    QVERIFY2(outcome.failure, "no failure reported");
    QVERIFY2(qtext(outcome.failure->text).contains(u"does not speak TLS"_s), outcome.failure->text.c_str());
    QVERIFY2(qtext(outcome.failure->text).contains(u"check the port"_s), outcome.failure->text.c_str());
}

void TestTlsLayer::serverKilledMidHandshake()
{
    PeerProcess tlsServer;
    quint16 port = 0;
    QString why;
    QVERIFY2(
        startTlsServer(tlsServer,
                       {u"-rev"_s, u"-cert"_s, file(u"localhost.pem"_s), u"-key"_s, file(u"localhost.key"_s)},
                       &port, &why),
        qPrintable(why));
    TlsOptions options;
    options.serverName = "localhost";
    options.caFile = path(u"ca.pem"_s);
    std::string error;
    auto layer = TlsLayer::create(options, &error);
    QVERIFY2(layer, error.c_str());
    Connection connection;
    QVERIFY(connection.connectTo(port));
    connection.attach(*layer);
    layer->start();
    // The server's first flight arrives but is held back from the layer; then the server dies
    // (it had read the whole ClientHello, so its kernel sends FIN, not RST).
    connection.run([&] { return !connection.withheld.empty(); }, false, false);
    QVERIFY(!connection.withheld.empty());
    tlsServer.stop();
    connection.run({}, false, false);
    QVERIFY(connection.outcome.endOfStream);
    QCOMPARE(connection.outcome.tcpError, 0);
    // The layer sees part of the flight, then the end of the stream.
    layer->receive(std::string_view(connection.withheld).substr(0, connection.withheld.size() / 2));
    QVERIFY(!connection.outcome.failure);
    layer->belowEnded();
    const Outcome &outcome = connection.outcome;
    QVERIFY(!outcome.ready);
    QVERIFY2(outcome.failure, "no failure reported");
    QCOMPARE(outcome.failure->code, 0);
    QVERIFY2(
        qtext(outcome.failure->text).contains(u"the server closed the connection during the TLS handshake"_s),
        outcome.failure->text.c_str());
    QVERIFY2(qtext(outcome.failure->text).contains(u"\"localhost\""_s), outcome.failure->text.c_str());
}

QTEST_GUILESS_MAIN(TestTlsLayer)
#include "tst_tlslayer.moc"
