// TLS on a TCP endpoint against openssl s_server with certificates the test makes: what was
// negotiated is named when up, every verification failure names the problem and the fix, and the
// heartbeat runs inside the TLS stream.

#include "peerprocess.h"
#include "prerequisite.h"
#include "sessiontestkit.h"
#include "snapshot.h"
#include "tcpsession.h"
#include "testpki.h"

#include <QRegularExpression>
#include <QTest>

using namespace kw;
using namespace kw::test;
using namespace std::chrono;
using namespace Qt::StringLiterals;

class TestTlsSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void upNamesWhatWasNegotiated_data();
    void upNamesWhatWasNegotiated();
    void refused_data();
    void refused();
    void insecureIsSaidInEveryEvent();
    void expiringCertificateWarns();

private:
    bool startServer(PeerProcess &server, const QStringList &arguments, quint16 *port);
    EndpointConfig endpoint(quint16 port) const;

    TestPki m_pki;
    std::unique_ptr<SessionKit> m_kit;
};

void TestTlsSession::initTestCase()
{
    QString error;
    if (!m_pki.create(&error)) {
        KW_SKIP_OR_FAIL_UNDER_CI(qPrintable(error));
    }
}

void TestTlsSession::init()
{
    QTest::failOnWarning(QRegularExpression(u"illegal state change"_s));
    m_kit = std::make_unique<SessionKit>();
}

bool TestTlsSession::startServer(PeerProcess &server, const QStringList &arguments, quint16 *port)
{
    QString error;
    // -rev: every line comes back reversed, so "PING" is answered "GNIP" inside TLS.
    if (startTlsServer(server, QStringList{u"-rev"_s} + arguments, port, &error))
        return true;
    qWarning().noquote() << error;
    return false;
}

EndpointConfig TestTlsSession::endpoint(quint16 port) const
{
    EndpointConfig c;
    c.name = u"db"_s;
    c.host = u"127.0.0.1"_s;
    c.port = port;
    c.tls.enabled = true;
    c.tls.caFile = m_pki.file(u"ca.pem"_s);
    c.tls.peerName = u"localhost"_s;
    c.reconnect.initial = 200ms;
    c.reconnect.max = 400ms;
    HeartbeatConfig hb;
    hb.interval = 300ms;
    hb.send = "PING\n";
    hb.expect = "GNIP";
    c.heartbeat = hb;
    return c;
}

void TestTlsSession::upNamesWhatWasNegotiated_data()
{
    QTest::addColumn<QStringList>("serverArgs");
    QTest::addColumn<QString>("protocol");
    QTest::newRow("TLS 1.3") << QStringList{} << u"TLSv1.3"_s;
    QTest::newRow("TLS 1.2") << QStringList{u"-tls1_2"_s} << u"TLSv1.2"_s;
}

void TestTlsSession::upNamesWhatWasNegotiated()
{
    QFETCH(QStringList, serverArgs);
    QFETCH(QString, protocol);
    PeerProcess server;
    quint16 port = 0;
    QVERIFY(startServer(
        server,
        QStringList{u"-cert"_s, m_pki.file(u"localhost.pem"_s), u"-key"_s, m_pki.file(u"localhost.key"_s)} +
            serverArgs,
        &port));
    TcpSession session(endpoint(port), m_kit->context());
    QSignalSpy events(&session, &Session::eventRaised);
    session.start();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), EndpointState::Up, 5000);
    const QList<Event> infos = SessionKit::events(events, EventKind::Info);
    QVERIFY(!infos.isEmpty());
    const Event tls = infos.first();
    QCOMPARE(tls.data.value(u"tls_protocol"_s).toString(), protocol);
    QVERIFY(!tls.data.value(u"tls_cipher"_s).toString().isEmpty());
    QVERIFY2(tls.data.value(u"peer_subject"_s).toString().contains(u"CN=localhost"_s),
             qPrintable(tls.detail));
    QCOMPARE(tls.data.value(u"not_after"_s).toString().left(10), u"2099-12-31"_s);
    QVERIFY(tls.data.value(u"verified"_s).toBool());
    QVERIFY2(tls.detail.startsWith(u"TLS up: "_s + protocol), qPrintable(tls.detail));
    // The heartbeat went through TLS and came back reversed: heartbeat RTTs, still Up.
    QTRY_VERIFY_WITH_TIMEOUT(SessionKit::events(events, EventKind::Rtt).size() >= 3, 5000);
    int heartbeats = 0;
    for (const Event &e : SessionKit::events(events, EventKind::Rtt))
        heartbeats += e.source == u"heartbeat" ? 1 : 0;
    QVERIFY(heartbeats >= 2);
    QVERIFY(SessionKit::downs(events).isEmpty());
    EndpointSnapshot snapshot;
    session.fillSnapshot(snapshot);
    QVERIFY(snapshot.tls.startsWith(protocol));
    QVERIFY(snapshot.tlsDaysLeft && *snapshot.tlsDaysLeft > 1000);
    QVERIFY(!snapshot.tlsExpiryWarning);
}

void TestTlsSession::refused_data()
{
    QTest::addColumn<QString>("serverCert");
    QTest::addColumn<QStringList>("serverArgs");
    QTest::addColumn<QString>("caFile");
    QTest::addColumn<QString>("peerName");
    QTest::addColumn<QString>("clientCert");
    QTest::addColumn<QStringList>("detailHas");
    QTest::newRow("unknown issuer") << u"localhost"_s << QStringList{} << QString() << u"localhost"_s
                                    << QString() << QStringList{u"Keepwatch Test CA"_s, u"tls.ca_file"_s};
    QTest::newRow("host name mismatch")
        << u"other"_s << QStringList{} << u"ca.pem"_s << u"localhost"_s << QString()
        << QStringList{u"localhost"_s, u"other.example"_s, u"www.other.example"_s, u"tls.peer_name"_s};
    QTest::newRow("expired") << u"expired"_s << QStringList{} << u"ca.pem"_s << u"localhost"_s << QString()
                             << QStringList{u"expired"_s, u"2020-01-02"_s};
    QTest::newRow("client certificate required")
        << u"localhost"_s << QStringList{u"-Verify"_s, u"1"_s, u"-CAfile"_s, u"clientca.pem"_s} << u"ca.pem"_s
        << u"localhost"_s << QString() << QStringList{u"client certificate"_s, u"tls.cert_file"_s};
}

void TestTlsSession::refused()
{
    QFETCH(QString, serverCert);
    QFETCH(QStringList, serverArgs);
    QFETCH(QString, caFile);
    QFETCH(QString, peerName);
    QFETCH(QStringList, detailHas);
    for (QString &arg : serverArgs) {
        if (arg.endsWith(u".pem"_s))
            arg = m_pki.file(arg);
    }
    PeerProcess server;
    quint16 port = 0;
    QVERIFY(startServer(server,
                        QStringList{u"-cert"_s, m_pki.file(serverCert + u".pem"_s), u"-key"_s,
                                    m_pki.file(serverCert + u".key"_s)} +
                            serverArgs,
                        &port));
    EndpointConfig config = endpoint(port);
    config.tls.caFile = caFile.isEmpty() ? QString() : m_pki.file(caFile);
    config.tls.peerName = peerName;
    TcpSession session(config, m_kit->context());
    QSignalSpy events(&session, &Session::eventRaised);
    session.start();
    QTRY_VERIFY_WITH_TIMEOUT(!SessionKit::downs(events).isEmpty(), 5000);
    const Event down = SessionKit::downs(events).first();
    QCOMPARE(down.cause, Cause(CauseCode::Tls));
    for (const QString &part : detailHas)
        QVERIFY2(down.detail.contains(part, Qt::CaseInsensitive),
                 qPrintable(part + u" not in: "_s + down.detail));
    // TLS 1.3 (RFC 8446 section 4.4.2): the client finishes its handshake before the server judges its
    // certificate, so a missing client certificate can show as a moment of Up before this Down.
    if (!QByteArray(QTest::currentDataTag()).startsWith("client certificate"))
        QVERIFY(SessionKit::ups(events).isEmpty());
}

void TestTlsSession::insecureIsSaidInEveryEvent()
{
    PeerProcess server;
    quint16 port = 0;
    QVERIFY(startServer(
        server, {u"-cert"_s, m_pki.file(u"other.pem"_s), u"-key"_s, m_pki.file(u"other.key"_s)}, &port));
    EndpointConfig config = endpoint(port);
    config.tls.caFile.clear();
    config.tls.insecure = true;
    TcpSession session(config, m_kit->context());
    QSignalSpy events(&session, &Session::eventRaised);
    session.start();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), EndpointState::Up, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(!SessionKit::events(events, EventKind::Rtt, {}).isEmpty(), 3000);
    for (const Event &e : SessionKit::events(events))
        QVERIFY2(e.data.value(u"tls_insecure"_s).toBool(), qPrintable(e.kindName() + u": "_s + e.detail));
    QVERIFY2(session.tlsSummary().contains(u"verification off"_s), qPrintable(session.tlsSummary()));
    EndpointSnapshot snapshot;
    session.fillSnapshot(snapshot);
    QVERIFY(snapshot.tlsInsecure);
}

void TestTlsSession::expiringCertificateWarns()
{
    PeerProcess server;
    quint16 port = 0;
    QVERIFY(startServer(
        server, {u"-cert"_s, m_pki.file(u"localhost.pem"_s), u"-key"_s, m_pki.file(u"localhost.key"_s)},
        &port));
    EndpointConfig config = endpoint(port);
    // The test certificate runs until 2099: a threshold past that makes it "expiring".
    config.tls.warnExpiryDays = 365 * 100;
    TcpSession session(config, m_kit->context());
    QSignalSpy events(&session, &Session::eventRaised);
    session.start();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), EndpointState::Up, 5000);
    bool warned = false;
    for (const Event &e : SessionKit::events(events, EventKind::Info)) {
        if (e.data.value(u"warning"_s).toString() == u"certificate-expiry") {
            warned = true;
            QVERIFY2(e.detail.contains(u"expires in"_s) && e.detail.contains(u"2099-12-31"_s),
                     qPrintable(e.detail));
            QVERIFY(e.data.value(u"days_left"_s).toInt() > 1000);
        }
    }
    QVERIFY(warned);
    EndpointSnapshot snapshot;
    session.fillSnapshot(snapshot);
    QVERIFY(snapshot.tlsExpiryWarning);
}

QTEST_GUILESS_MAIN(TestTlsSession)
#include "tst_tlssession.moc"
