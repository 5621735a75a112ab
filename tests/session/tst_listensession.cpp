// ListenSession against real peers on loopback: peers connect, heartbeat, go
// quiet, close, reset or misbehave, and each one's state and cause must be
// what the sockets did.

#include "connectspreader.h"
#include "enginetimers.h"
#include "eventtostring.h"
#include "heartbeatmessage.h"
#include "listensession.h"
#include "prerequisite.h"
#include "snapshot.h"
#include "socketio.h"
#include "systemdefaults.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace kw;
using namespace std::chrono;

namespace {

// A peer we control: connects and sends `payload` every `every`.
class Client : public QObject
{
public:
    QTcpSocket socket;
    QTimer timer;
    QByteArray payload;
    QByteArray received;

    Client(quint16 port, QByteArray heartbeat, milliseconds every = milliseconds(40))
        : payload(std::move(heartbeat))
    {
        QObject::connect(&socket, &QTcpSocket::readyRead, this, [this] { received += socket.readAll(); });
        QObject::connect(&timer, &QTimer::timeout, this, [this] { send(); });
        QObject::connect(&socket, &QTcpSocket::connected, this, [this] { send(); });
        socket.connectToHost(QHostAddress::LocalHost, port);
        timer.start(every);
    }
    void send()
    {
        if (socket.state() == QAbstractSocket::ConnectedState && !payload.isEmpty())
            socket.write(payload);
    }
    void quiet() { timer.stop(); }
    void resume()
    {
        send();
        timer.start();
    }
    bool isConnected() const { return socket.state() == QAbstractSocket::ConnectedState; }
};

EndpointConfig listenEndpoint(quint16 port = 0)
{
    EndpointConfig c;
    c.name = u"hb"_qs;
    c.kind = EndpointKind::Listen;
    c.bind = u"127.0.0.1"_qs;
    c.port = port;
    c.reconnect.initial = milliseconds(100);
    c.reconnect.max = milliseconds(200);
    HeartbeatConfig hb;
    hb.interval = milliseconds(100);
    hb.expect = "HB";
    hb.misses = 3;
    c.heartbeat = hb;
    return c;
}

QList<Event> eventsOf(const QSignalSpy &spy)
{
    QList<Event> result;
    for (const QList<QVariant> &args : spy)
        result.append(args.at(0).value<Event>());
    return result;
}

// State events of one endpoint ("hb" or a peer "hb/db-7"), optionally of one state.
QList<Event> states(const QSignalSpy &spy, const QString &endpoint, std::optional<EndpointState> state = {})
{
    QList<Event> result;
    for (const Event &e : eventsOf(spy)) {
        if (e.kind == EventKind::State && e.endpoint == endpoint && (!state || e.state == state))
            result.append(e);
    }
    return result;
}

QList<Event> peerStates(const QSignalSpy &spy, EndpointState state)
{
    QList<Event> result;
    for (const Event &e : eventsOf(spy)) {
        if (e.kind == EventKind::State && e.endpoint.startsWith(u"hb/") && e.state == state)
            result.append(e);
    }
    return result;
}

EndpointState peerState(const ListenSession &session, const QString &id)
{
    const std::optional<ListenPeer> p = session.peer(id);
    return p ? p->state : EndpointState::Disabled;
}

} // namespace

class TestListenSession : public QObject
{
    Q_OBJECT

private:
    SteadyClock m_clock;
    std::unique_ptr<EngineTimers> m_timers;
    std::unique_ptr<ConnectSpreader> m_spreader;
    net::SystemDefaults m_defaults = net::readSystemDefaults();

    std::unique_ptr<ListenSession> makeSession(const EndpointConfig &config, ListenLimits limits = {})
    {
        return std::make_unique<ListenSession>(config, SessionContext{*m_timers, *m_spreader, m_defaults},
                                               limits);
    }

    // A started session that listens on an ephemeral port.
    std::unique_ptr<ListenSession> listening(const EndpointConfig &config = listenEndpoint(),
                                             ListenLimits limits = {})
    {
        auto session = makeSession(config, limits);
        session->start();
        return session;
    }

private Q_SLOTS:
    void init()
    {
        // Every transition a session makes must be one DESIGN.md allows.
        QTest::failOnWarning(QRegularExpression(u"illegal state change"_qs));
        qRegisterMetaType<Event>();
        m_timers = std::make_unique<EngineTimers>(m_clock);
        m_spreader = std::make_unique<ConnectSpreader>();
    }

    void parseMessage_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QByteArray>("expect");
        QTest::addColumn<bool>("heartbeat");
        QTest::addColumn<QByteArray>("id");

        QTest::newRow("id after expect")
            << QByteArray("HB db-7\n") << QByteArray("HB") << true << QByteArray("db-7");
        QTest::newRow("no id") << QByteArray("HB\n") << QByteArray("HB") << true << QByteArray();
        QTest::newRow("CRLF") << QByteArray("HB db-7\r\n") << QByteArray("HB") << true << QByteArray("db-7");
        QTest::newRow("expect inside, spaces, more words")
            << QByteArray("<7> HB \t sensor.12 up 99%\n") << QByteArray("HB") << true
            << QByteArray("sensor.12");
        QTest::newRow("C string") << QByteArray("HB db-9", 8) << QByteArray("HB") << true
                                  << QByteArray("db-9");
        QTest::newRow("STX/ETX frame")
            << QByteArray("\x02HB\x03") << QByteArray("\x02HB\x03") << true << QByteArray();
        QTest::newRow("id directly after expect")
            << QByteArray("HB:db-7\n") << QByteArray("HB:") << true << QByteArray("db-7");
        QTest::newRow("not a heartbeat")
            << QByteArray("hello\n") << QByteArray("HB") << false << QByteArray();
        QTest::newRow("expect is case sensitive")
            << QByteArray("hb db-7\n") << QByteArray("HB") << false << QByteArray();
        QTest::newRow("empty expect: any message, never an id")
            << QByteArray("ping db-7\n") << QByteArray() << true << QByteArray();
    }

    void parseMessage()
    {
        QFETCH(QByteArray, message);
        QFETCH(QByteArray, expect);
        QFETCH(bool, heartbeat);
        QFETCH(QByteArray, id);
        const HeartbeatMessage parsed = parseHeartbeatMessage(message, expect, 128);
        QCOMPARE(parsed.heartbeat, heartbeat);
        QCOMPARE(parsed.id, id);
        QVERIFY(!parsed.idTooLong);
    }

    void parseMessageRejectsLongId()
    {
        const QByteArray tooLong = QByteArray("HB ") + QByteArray(129, 'x') + '\n';
        QVERIFY(parseHeartbeatMessage(tooLong, "HB", 128).idTooLong);
        const QByteArray longest = QByteArray("HB ") + QByteArray(128, 'x') + '\n';
        QVERIFY(!parseHeartbeatMessage(longest, "HB", 128).idTooLong);
    }

    void peersHeartbeatAndComeUp()
    {
        // A wider interval than elsewhere: this test asserts that steady peers never look late.
        EndpointConfig config = listenEndpoint();
        config.heartbeat->interval = milliseconds(200);
        auto session = listening(config);
        QSignalSpy events(session.get(), &ListenSession::eventRaised);
        QTRY_COMPARE(session->state(), EndpointState::Up);
        const quint16 port = session->listeningPort();
        QVERIFY(port != 0);

        Client a(port, "HB a\n");
        Client b(port, "HB b\n");
        Client c(port, "HB c\n");
        QTRY_COMPARE(session->connectedPeers(), 3);
        for (const QString &id : {u"a"_qs, u"b"_qs, u"c"_qs}) {
            QTRY_COMPARE(peerState(*session, id), EndpointState::Up);
            const QList<Event> ups = states(events, u"hb/"_qs + id, EndpointState::Up);
            QCOMPARE(ups.size(), 1);
            QCOMPARE(ups.first().data.value(u"peer").toString(), id);
            QVERIFY(ups.first().data.value(u"address").toString().startsWith(u"127.0.0.1:"));
        }

        EndpointSnapshot snapshot;
        session->fillSnapshot(snapshot);
        QCOMPARE(snapshot.kind, EndpointKind::Listen);
        QCOMPARE(snapshot.state, EndpointState::Up);
        QCOMPARE(snapshot.peers, 3);
        QCOMPARE(snapshot.target, u"listen 127.0.0.1:"_qs + QString::number(port));
        QVERIFY2(snapshot.detail.contains(u"listening on 127.0.0.1:" + QString::number(port)),
                 qPrintable(snapshot.detail));
        QVERIFY2(snapshot.detail.contains(u"3 peers: 3 up"), qPrintable(snapshot.detail));
        QVERIFY2(snapshot.detectionBound.contains(u"heartbeat 0.6 s"), qPrintable(snapshot.detectionBound));

        // Steady heartbeats raise no further state events.
        const qsizetype before = events.size();
        QTest::qWait(300);
        QCOMPARE(peerStates(events, EndpointState::Suspect).size(), 0);
        QCOMPARE(events.size(), before);
    }

    void quietPeerGoesSuspectThenDown()
    {
        auto session = listening();
        QSignalSpy events(session.get(), &ListenSession::eventRaised);
        QTRY_COMPARE(session->state(), EndpointState::Up);
        Client a(session->listeningPort(), "HB a\n");
        Client b(session->listeningPort(), "HB b\n");
        QTRY_COMPARE(peerState(*session, u"b"_qs), EndpointState::Up);
        QTRY_COMPARE(peerState(*session, u"a"_qs), EndpointState::Up);

        QElapsedTimer quietFor;
        b.quiet();
        quietFor.start();
        QTRY_VERIFY_WITH_TIMEOUT(!states(events, u"hb/b"_qs, EndpointState::Down).isEmpty(), 3000);
        // misses × interval = 300 ms measured from b's last heartbeat, sent at most 40 ms before it went
        // quiet.
        QVERIFY2(quietFor.elapsed() >= 250, qPrintable(QString::number(quietFor.elapsed())));
        const Event down = states(events, u"hb/b"_qs, EndpointState::Down).first();
        QCOMPARE(down.cause, Cause(CauseCode::HeartbeatTimeout));
        QCOMPARE(down.data.value(u"bound_ms").toDouble(), 300.0);
        QVERIFY2(down.detail.contains(u"no heartbeat for"), qPrintable(down.detail));
        QCOMPARE(states(events, u"hb/b"_qs, EndpointState::Suspect).size(), 1);

        // The quiet peer is disconnected and listed as down; the other stays up.
        QTRY_VERIFY(!b.isConnected());
        QCOMPARE(session->connectedPeers(), 1);
        QCOMPARE(peerState(*session, u"a"_qs), EndpointState::Up);
        QCOMPARE(states(events, u"hb/a"_qs, EndpointState::Down).size(), 0);
        const std::optional<ListenPeer> record = session->peer(u"b"_qs);
        QVERIFY(record);
        QCOMPARE(record->state, EndpointState::Down);
        QCOMPARE(record->cause, u"heartbeat-timeout"_qs);
        QVERIFY(!record->connected);

        EndpointSnapshot snapshot;
        session->fillSnapshot(snapshot);
        QCOMPARE(snapshot.peers, 1);
        QVERIFY2(snapshot.detail.contains(u"1 peer: 1 up; 1 down (b: heartbeat-timeout)"),
                 qPrintable(snapshot.detail));
        QCOMPARE(snapshot.state, EndpointState::Up); // the listener itself is fine
    }

    void suspectPeerRecovers()
    {
        auto session = listening();
        QSignalSpy events(session.get(), &ListenSession::eventRaised);
        QTRY_COMPARE(session->state(), EndpointState::Up);
        Client a(session->listeningPort(), "HB a\n");
        QTRY_COMPARE(peerState(*session, u"a"_qs), EndpointState::Up);
        a.quiet();
        QTRY_COMPARE(peerState(*session, u"a"_qs), EndpointState::Suspect);
        a.resume();
        QTRY_COMPARE(peerState(*session, u"a"_qs), EndpointState::Up);
        const QList<Event> ups = states(events, u"hb/a"_qs, EndpointState::Up);
        QCOMPARE(ups.size(), 2);
        QVERIFY2(ups.last().detail.startsWith(u"heartbeat again after"), qPrintable(ups.last().detail));
        QVERIFY(ups.last().data.value(u"gap_ms").toDouble() >= 150.0);
        QCOMPARE(states(events, u"hb/a"_qs, EndpointState::Down).size(), 0);
    }

    void closeCauses_data()
    {
        QTest::addColumn<bool>("reset");
        QTest::addColumn<Cause>("cause");
        QTest::addColumn<QString>("detailPart");
        QTest::newRow("FIN") << false << Cause(CauseCode::PeerClosed) << u"closed the connection (FIN)"_qs;
        QTest::newRow("RST") << true << Cause(CauseCode::Reset) << u"ECONNRESET"_qs;
    }

    void closeCauses()
    {
        QFETCH(bool, reset);
        QFETCH(Cause, cause);
        QFETCH(QString, detailPart);
        auto session = listening();
        QSignalSpy events(session.get(), &ListenSession::eventRaised);
        QTRY_COMPARE(session->state(), EndpointState::Up);
        Client x(session->listeningPort(), "HB x\n");
        QTRY_COMPARE(peerState(*session, u"x"_qs), EndpointState::Up);
        x.quiet();
        if (reset) {
            QVERIFY(net::setResetOnClose(x.socket.socketDescriptor()));
            x.socket.abort();
        } else {
            x.socket.disconnectFromHost();
        }
        QTRY_VERIFY(!states(events, u"hb/x"_qs, EndpointState::Down).isEmpty());
        const Event down = states(events, u"hb/x"_qs, EndpointState::Down).first();
        QCOMPARE(down.cause, cause);
        QVERIFY2(down.detail.contains(detailPart), qPrintable(down.detail));
        QVERIFY(down.data.contains(u"up_for_ms"));
        QCOMPARE(session->connectedPeers(), 0);
        QCOMPARE(peerState(*session, u"x"_qs), EndpointState::Down);
    }

    void peerIdentity_data()
    {
        QTest::addColumn<QByteArray>("expect");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("id"); // empty: the peer is known by its address

        QTest::newRow("id in line") << QByteArray("HB") << QByteArray("HB db-7\n") << u"db-7"_qs;
        QTest::newRow("id with CRLF") << QByteArray("HB") << QByteArray("HB db-7\r\n") << u"db-7"_qs;
        QTest::newRow("NUL-terminated") << QByteArray("HB") << QByteArray("HB db-9", 8) << u"db-9"_qs;
        QTest::newRow("no id: address") << QByteArray("HB") << QByteArray("HB\n") << QString();
        QTest::newRow("empty expect: address") << QByteArray() << QByteArray("alive\n") << QString();
        QTest::newRow("STX/ETX without LF")
            << QByteArray("\x02HB\x03") << QByteArray("\x02HB\x03") << QString();
    }

    void peerIdentity()
    {
        QFETCH(QByteArray, expect);
        QFETCH(QByteArray, payload);
        QFETCH(QString, id);
        EndpointConfig config = listenEndpoint();
        config.heartbeat->expect = expect;
        auto session = listening(config);
        QSignalSpy events(session.get(), &ListenSession::eventRaised);
        QTRY_COMPARE(session->state(), EndpointState::Up);
        Client client(session->listeningPort(), payload);
        QTRY_COMPARE(peerStates(events, EndpointState::Up).size(), 1);
        const Event up = peerStates(events, EndpointState::Up).first();
        const QString expectedId =
            id.isEmpty() ? u"127.0.0.1:"_qs + QString::number(client.socket.localPort()) : id;
        QCOMPARE(up.endpoint, u"hb/"_qs + expectedId);
        const std::optional<ListenPeer> record = session->peer(expectedId);
        QVERIFY(record);
        QCOMPARE(record->named, !id.isEmpty());
        QCOMPARE(record->state, EndpointState::Up);
        // Later heartbeats keep it up (the frames keep being recognised).
        QTRY_VERIFY(session->peer(expectedId)->heartbeats >= 4);
        QCOMPARE(peerStates(events, EndpointState::Suspect).size(), 0);
    }

    void dualStackShowsIpv4PeersAsIpv4()
    {
        EndpointConfig config = listenEndpoint();
        config.bind = u"::"_qs;
        auto session = listening(config);
        if (session->state() != EndpointState::Up)
            KW_SKIP_OR_FAIL_UNDER_CI("IPv6 is not available here (no ::1; enable IPv6 on loopback)");
        QVERIFY2(session->summary().startsWith(u"listening on [::]:"), qPrintable(session->summary()));
        Client client(session->listeningPort(), "HB v4\n");
        QTRY_COMPARE(peerState(*session, u"v4"_qs), EndpointState::Up);
        QCOMPARE(session->peer(u"v4"_qs)->address,
                 u"127.0.0.1:"_qs + QString::number(client.socket.localPort()));
    }

    void reconnectWithSameIdContinues()
    {
        auto session = listening();
        QSignalSpy events(session.get(), &ListenSession::eventRaised);
        QTRY_COMPARE(session->state(), EndpointState::Up);
        auto first = std::make_unique<Client>(session->listeningPort(), "HB db-7\n");
        QTRY_VERIFY(session->peer(u"db-7"_qs) && session->peer(u"db-7"_qs)->heartbeats >= 3);
        const quint64 before = session->peer(u"db-7"_qs)->heartbeats;
        first->quiet();
        first->socket.disconnectFromHost();
        QTRY_COMPARE(peerState(*session, u"db-7"_qs), EndpointState::Down);

        Client second(session->listeningPort(), "HB db-7\n");
        QTRY_COMPARE(peerState(*session, u"db-7"_qs), EndpointState::Up);
        const QList<Event> ups = states(events, u"hb/db-7"_qs, EndpointState::Up);
        QCOMPARE(ups.size(), 2);
        QVERIFY2(ups.last().detail.contains(u"back after") && ups.last().detail.contains(u"peer-closed"),
                 qPrintable(ups.last().detail));
        QVERIFY(ups.last().data.contains(u"down_for_ms"));
        QCOMPARE(ups.last().data.value(u"address").toString(),
                 u"127.0.0.1:"_qs + QString::number(second.socket.localPort()));

        // One identity, its history carried on.
        const QList<ListenPeer> all = session->peers();
        QCOMPARE(all.size(), 1);
        QCOMPARE(all.first().id, u"db-7"_qs);
        QVERIFY(all.first().heartbeats > before);
        QVERIFY(all.first().connected);
    }

    void newerConnectionTakesOver()
    {
        auto session = listening();
        QSignalSpy events(session.get(), &ListenSession::eventRaised);
        QTRY_COMPARE(session->state(), EndpointState::Up);
        Client older(session->listeningPort(), "HB db-7\n");
        QTRY_COMPARE(peerState(*session, u"db-7"_qs), EndpointState::Up);
        Client newer(session->listeningPort(), "HB db-7\n");

        QTRY_VERIFY(!older.isConnected());
        QCOMPARE(session->connectedPeers(), 1);
        QVERIFY(newer.isConnected());
        QCOMPARE(session->peer(u"db-7"_qs)->address,
                 u"127.0.0.1:"_qs + QString::number(newer.socket.localPort()));
        bool sawInfo = false;
        for (const Event &e : eventsOf(events))
            sawInfo |= e.kind == EventKind::Info && e.endpoint == u"hb/db-7" &&
                       e.detail.contains(u"older connection");
        QVERIFY(sawInfo);
        QCOMPARE(states(events, u"hb/db-7"_qs, EndpointState::Down).size(), 0);
        QCOMPARE(states(events, u"hb/db-7"_qs, EndpointState::Up).size(), 1);
    }

    void bindFailureRetriesWithBackoff()
    {
        QTcpServer blocker;
        QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
        const quint16 port = blocker.serverPort();
        auto session = makeSession(listenEndpoint(port));
        QSignalSpy events(session.get(), &ListenSession::eventRaised);
        session->start();

        QTRY_VERIFY(!states(events, u"hb"_qs, EndpointState::Down).isEmpty());
        const Event down = states(events, u"hb"_qs, EndpointState::Down).first();
        QCOMPARE(down.cause, Cause(CauseCode::Bind));
        const QString where = u"127.0.0.1:"_qs + QString::number(port);
        QVERIFY2(down.detail.startsWith(u"address in use: " + where), qPrintable(down.detail));
        QVERIFY2(down.detail.contains(u"choose another port"), qPrintable(down.detail));
        QTRY_COMPARE(session->state(), EndpointState::Waiting);
        QVERIFY(session->nextAttempt().isValid());

        QTRY_VERIFY_WITH_TIMEOUT(states(events, u"hb"_qs, EndpointState::Down).size() >= 3, 5000);
        blocker.close();
        QTRY_COMPARE_WITH_TIMEOUT(session->state(), EndpointState::Up, 5000);
        QCOMPARE(session->listeningPort(), port);
        Client a(port, "HB a\n");
        QTRY_COMPARE(peerState(*session, u"a"_qs), EndpointState::Up);
    }

    void invalidBindAddressIsNotRetried()
    {
        EndpointConfig config = listenEndpoint();
        config.bind = u"not-an-address"_qs;
        auto session = makeSession(config);
        QSignalSpy events(session.get(), &ListenSession::eventRaised);
        session->start();
        QCOMPARE(session->state(), EndpointState::Down);
        QCOMPARE(session->cause(), kw::Cause(kw::CauseCode::Bind));
        QVERIFY2(session->detail().contains(u"\"not-an-address\" is not an IP address"),
                 qPrintable(session->detail()));
        QTest::qWait(300); // a retry would have come by now (initial backoff 100 ms)
        QCOMPARE(session->state(), EndpointState::Down);
        QCOMPARE(states(events, u"hb"_qs, EndpointState::Connecting).size(), 1);
    }

    void stopClosesListenerAndPeers()
    {
        auto session = listening();
        QTRY_COMPARE(session->state(), EndpointState::Up);
        const quint16 port = session->listeningPort();
        Client a(port, "HB a\n");
        Client b(port, "HB b\n");
        QTRY_COMPARE(peerState(*session, u"a"_qs), EndpointState::Up);
        QTRY_COMPARE(peerState(*session, u"b"_qs), EndpointState::Up);

        QSignalSpy events(session.get(), &ListenSession::eventRaised);
        session->stop(u"stopped by the test"_qs);
        QCOMPARE(session->state(), EndpointState::Disabled);
        QCOMPARE(session->cause(), kw::Cause(kw::CauseCode::Stopped));
        QCOMPARE(session->detail(), u"stopped by the test"_qs);
        QCOMPARE(session->connectedPeers(), 0);
        QTRY_VERIFY(!a.isConnected());
        QTRY_VERIFY(!b.isConnected());
        // The port is free again.
        QTcpServer again;
        QVERIFY2(again.listen(QHostAddress::LocalHost, port), qPrintable(again.errorString()));
        QTest::qWait(400); // heartbeat deadlines of the closed peers would have passed
        QCOMPARE(peerStates(events, EndpointState::Down).size(), 0);
        EndpointSnapshot snapshot;
        session->fillSnapshot(snapshot);
        QCOMPARE(snapshot.peers, 0);
        QCOMPARE(snapshot.state, EndpointState::Disabled);
    }

    void tooLongMessageIsProtocolError_data()
    {
        QTest::addColumn<QByteArray>("first");
        QTest::addColumn<QByteArray>("then");
        QTest::addColumn<QString>("peer"); // empty: known by address
        QTest::newRow("unterminated") << QByteArray() << QByteArray(5000, 'A') << QString();
        QTest::newRow("long line after heartbeats") << QByteArray("HB p\n") << QByteArray(5000, 'A') + '\n'
                                                    << u"p"_qs;
    }

    void tooLongMessageIsProtocolError()
    {
        QFETCH(QByteArray, first);
        QFETCH(QByteArray, then);
        QFETCH(QString, peer);
        auto session = listening();
        QSignalSpy events(session.get(), &ListenSession::eventRaised);
        QTRY_COMPARE(session->state(), EndpointState::Up);
        Client client(session->listeningPort(), first);
        if (!peer.isEmpty())
            QTRY_COMPARE(peerState(*session, peer), EndpointState::Up);
        else
            QTRY_VERIFY(client.isConnected());
        const quint16 localPort = client.socket.localPort();
        client.quiet();
        client.socket.write(then);

        QTRY_VERIFY(!peerStates(events, EndpointState::Down).isEmpty());
        const Event down = peerStates(events, EndpointState::Down).first();
        QCOMPARE(down.cause, Cause(CauseCode::ProtocolError));
        QVERIFY2(down.detail.contains(u"longer than 4096 bytes"), qPrintable(down.detail));
        const QString expected = peer.isEmpty() ? u"127.0.0.1:"_qs + QString::number(localPort) : peer;
        QCOMPARE(down.endpoint, u"hb/"_qs + expected);
        QTRY_VERIFY(!client.isConnected());
    }

    void wrongHeartbeatTextIsNamed()
    {
        auto session = listening();
        QSignalSpy events(session.get(), &ListenSession::eventRaised);
        QTRY_COMPARE(session->state(), EndpointState::Up);
        Client client(session->listeningPort(), "hello\n");
        QTRY_VERIFY_WITH_TIMEOUT(!peerStates(events, EndpointState::Down).isEmpty(), 3000);
        const Event down = peerStates(events, EndpointState::Down).first();
        QCOMPARE(down.cause, Cause(CauseCode::HeartbeatTimeout));
        QVERIFY2(down.detail.contains(u"sent no heartbeat"), qPrintable(down.detail));
        QVERIFY2(down.detail.contains(u"did not contain \"HB\""), qPrintable(down.detail));
        QCOMPARE(peerStates(events, EndpointState::Up).size(), 0);
        QTRY_VERIFY(!client.isConnected());
    }

    void probeWithoutDataRaisesNoPeerEvent()
    {
        auto session = listening();
        QSignalSpy events(session.get(), &ListenSession::eventRaised);
        QTRY_COMPARE(session->state(), EndpointState::Up);
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, session->listeningPort());
        QVERIFY(probe.waitForConnected(2000));
        QTRY_COMPARE(session->connectedPeers(), 1);
        QCOMPARE(session->peers().first().state, EndpointState::Connecting);
        probe.disconnectFromHost();
        QTRY_COMPARE(session->connectedPeers(), 0);
        QCOMPARE(peerStates(events, EndpointState::Down).size(), 0);
        QVERIFY(session->peers().isEmpty());
        QCOMPARE(session->silentConnections(), quint64(1));
    }

    void peersOverTheLimitAreRefused()
    {
        ListenLimits limits;
        limits.maxPeers = 2;
        auto session = listening(listenEndpoint(), limits);
        QSignalSpy events(session.get(), &ListenSession::eventRaised);
        QTRY_COMPARE(session->state(), EndpointState::Up);
        Client a(session->listeningPort(), "HB a\n");
        Client b(session->listeningPort(), "HB b\n");
        QTRY_COMPARE(session->connectedPeers(), 2);
        Client c(session->listeningPort(), "HB c\n");
        QTRY_VERIFY(c.socket.state() == QAbstractSocket::UnconnectedState);
        QCOMPARE(session->connectedPeers(), 2);
        QCOMPARE(session->refusedConnections(), quint64(1));
        QVERIFY(!session->peer(u"c"_qs));
        bool sawInfo = false;
        for (const Event &e : eventsOf(events))
            sawInfo |= e.kind == EventKind::Info && e.endpoint == u"hb" &&
                       e.detail.contains(u"2 peers are connected, the limit");
        QVERIFY(sawInfo);
        QVERIFY(a.isConnected());
        QVERIFY(b.isConnected());
    }

    void heartbeatsAreAnsweredWithSend()
    {
        EndpointConfig config = listenEndpoint();
        config.heartbeat->send = "ACK\n";
        auto session = listening(config);
        QTRY_COMPARE(session->state(), EndpointState::Up);
        Client a(session->listeningPort(), "HB a\n");
        Client other(session->listeningPort(), "noise\n");
        QTRY_VERIFY(a.received.count("ACK\n") >= 2);
        QTest::qWait(100);
        QVERIFY(other.received.isEmpty()); // only heartbeats are answered
    }

    void downPeersAreRememberedBoundedAndExpire()
    {
        ListenLimits limits;
        limits.maxRemembered = 2;
        limits.rememberDown = milliseconds(500);
        auto session = listening(listenEndpoint(), limits);
        QTRY_COMPARE(session->state(), EndpointState::Up);
        for (const QByteArray &id : {QByteArray("a"), QByteArray("b"), QByteArray("c")}) {
            Client client(session->listeningPort(), "HB " + id + '\n');
            QTRY_COMPARE(peerState(*session, QString::fromLatin1(id)), EndpointState::Up);
            client.quiet();
            client.socket.disconnectFromHost();
            QTRY_COMPARE(peerState(*session, QString::fromLatin1(id)), EndpointState::Down);
        }
        // Newest first, the oldest evicted.
        QList<ListenPeer> remembered = session->peers();
        QCOMPARE(remembered.size(), 2);
        QCOMPARE(remembered.at(0).id, u"c"_qs);
        QCOMPARE(remembered.at(1).id, u"b"_qs);
        EndpointSnapshot snapshot;
        session->fillSnapshot(snapshot);
        QVERIFY2(snapshot.detail.contains(u"no peers; 2 down (c: peer-closed, b: peer-closed)"),
                 qPrintable(snapshot.detail));
        QTRY_VERIFY_WITH_TIMEOUT(session->peers().isEmpty(), 3000);
    }
};

QTEST_GUILESS_MAIN(TestListenSession)
#include "tst_listensession.moc"
