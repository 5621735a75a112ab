// A listening endpoint times its peers' heartbeats where their bytes arrived (the socket's receive
// stamp, Connection::lastReceivedAt()), as outbound sessions time their replies: with thousands of
// peers one wake-up reads many sockets, and how long the thread took to get to one is not the peer's.

#include "connection.h"
#include "connectspreader.h"
#include "enginetimers.h"
#include "listensession.h"
#include "systemdefaults.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <memory>

using namespace kw;
using namespace std::chrono;

namespace {

EndpointConfig listenEndpoint()
{
    EndpointConfig c;
    c.name = u"hb"_qs;
    c.kind = EndpointKind::Listen;
    c.bind = u"127.0.0.1"_qs;
    c.port = 0;
    HeartbeatConfig hb;
    hb.interval = milliseconds(100);
    hb.timeout = milliseconds(50); // suspect after 150 ms of silence
    hb.expect = "HB";
    hb.misses = 30; // down only after 3 s: the busy spell below never drops the peer
    c.heartbeat = hb;
    return c;
}

EndpointState peerState(const ListenSession &session, const QString &id)
{
    const std::optional<ListenPeer> p = session.peer(id);
    return p ? p->state : EndpointState::Disabled;
}

double ms(Duration d)
{
    return duration<double, std::milli>(d).count();
}

} // namespace

class TestListenStamps : public QObject
{
    Q_OBJECT

private:
    SteadyClock m_clock;
    std::unique_ptr<EngineTimers> m_timers;
    std::unique_ptr<ConnectSpreader> m_spreader;
    net::SystemDefaults m_defaults = net::readSystemDefaults();

private Q_SLOTS:
    void init()
    {
        QTest::failOnWarning(QRegularExpression(u"illegal state change"_qs));
        qRegisterMetaType<Event>();
        m_timers = std::make_unique<EngineTimers>(m_clock);
        m_spreader = std::make_unique<ConnectSpreader>();
    }

    void heartbeatIsTimedAtArrivalNotProcessing()
    {
        // The kernel turns its receive stamps on for the whole machine a little after the first
        // socket asks: a stamped pair of our own is kept open so the listener's sockets are stamped.
        QTcpServer warmServer;
        QVERIFY(warmServer.listen(QHostAddress::LocalHost, 0));
        QTcpSocket *warmPeer = nullptr;
        connect(&warmServer, &QTcpServer::newConnection, this,
                [&] { warmPeer = warmServer.nextPendingConnection(); });
        Connection warm;
        bool warmConnected = false;
        bool byKernel = false;
        qsizetype warmReceived = 0;
        connect(&warm, &Connection::connected, this, [&] { warmConnected = true; });
        connect(&warm, &Connection::received, this, [&](const QByteArray &data) {
            warmReceived += data.size();
            byKernel = warm.lastReceiveStampedByKernel();
        });
        warm.connectTo(QHostAddress::LocalHost, warmServer.serverPort());
        QTRY_VERIFY(warmConnected && warmPeer);
#if defined(__linux__)
        for (int i = 0; i < 100 && !byKernel; ++i) {
            warmPeer->write("x");
            QVERIFY(warmPeer->flush());
            const qsizetype expected = warmReceived + 1;
            QTRY_COMPARE(warmReceived, expected);
            if (!byKernel)
                QTest::qWait(10);
        }
        QVERIFY2(byKernel, "the kernel never stamped the received bytes (SO_TIMESTAMPING)");
#endif

        ListenSession session(listenEndpoint(), SessionContext{*m_timers, *m_spreader, m_defaults});
        QSignalSpy events(&session, &ListenSession::eventRaised);
        session.start();
        QTRY_COMPARE(session.state(), EndpointState::Up);

        QTcpSocket peer;
        peer.connectToHost(QHostAddress::LocalHost, session.listeningPort());
        QVERIFY(peer.waitForConnected(5000));
        const TimePoint beforeFirst = steady_clock::now();
        peer.write("HB a\n");
        QVERIFY(peer.flush());
        QTRY_COMPARE(peerState(session, u"a"_qs), EndpointState::Up);
        const TimePoint firstSeen = steady_clock::now();
        QTRY_COMPARE(peerState(session, u"a"_qs), EndpointState::Suspect);

        const TimePoint beforeSecond = steady_clock::now();
        peer.write("HB a\n");
        QVERIFY(peer.flush()); // on loopback in the listener's socket when this returns
        const TimePoint afterSecond = steady_clock::now();
        QThread::msleep(300); // the engine thread is busy: the heartbeat waits in the socket
        const TimePoint afterBusy = steady_clock::now();
        // Read after the busy spell, the heartbeat is 300 ms old: the peer is up again, and soon
        // suspect again unless the next one comes, which it does not here.
        const auto recovery = [&]() -> std::optional<Event> {
            for (const QList<QVariant> &args : events) {
                const Event e = args.at(0).value<Event>();
                if (e.kind == EventKind::State && e.endpoint == u"hb/a" && e.state == EndpointState::Up &&
                    e.detail.startsWith(u"heartbeat again after"))
                    return e;
            }
            return std::nullopt;
        };
        QTRY_VERIFY(recovery());
        const std::optional<Event> recovered = recovery();
        QVERIFY(recovered);
        QVERIFY2(recovered->detail.startsWith(u"heartbeat again after"), qPrintable(recovered->detail));
        const double gap = recovered->data.value(u"gap_ms").toDouble();
#if defined(__linux__)
        // From the first heartbeat's arrival to the second's: the 300 ms spent before reading it are
        // not in the gap (the millisecond allows for the stamp's conversion).
        QVERIFY2(
            gap <= ms(afterSecond - beforeFirst) + 1.0,
            qPrintable(
                QStringLiteral("gap %1 ms, sent within %2 ms").arg(gap).arg(ms(afterSecond - beforeFirst))));
        QVERIFY2(gap >= ms(beforeSecond - firstSeen) - 1.0, qPrintable(QString::number(gap)));
        Q_UNUSED(afterBusy)
#else
        // No stamp from the kernel: the time of the read, after the busy spell.
        QVERIFY(gap >= ms(afterBusy - firstSeen));
        Q_UNUSED(beforeFirst)
        Q_UNUSED(beforeSecond)
        Q_UNUSED(afterSecond)
#endif
        // The engine's socket lateness counts the wait.
        QVERIFY(m_timers->socketLateness().totalCount() > 0);
    }
};

QTEST_GUILESS_MAIN(TestListenStamps)
#include "tst_listenstamps.moc"
