// The shared test tools are themselves tested: a fake that lies makes every
// suite built on it pass for the wrong reason.

#include "clocksteps.h"
#include "heartbeatclient.h"
#include "manualclock.h"
#include "pongserver.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <thread>

using namespace kw;
using namespace kw::test;
using namespace std::chrono_literals;

class TestTestSupport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void manualClockMovesOnlyWhenTold()
    {
        ManualClock manual;
        const Clock &clock = manual; // what the components see
        const TimePoint start = clock.now();
        QVERIFY(start - 1h > TimePoint{}); // room to look back from the start
        QCOMPARE(clock.now(), start);
        manual.advance(250ms);
        QCOMPARE(clock.now(), start + 250ms);
        manual.advance(2h);
        QCOMPARE(clock.now(), start + 2h + 250ms);
        manual.set(start + 10s);
        QCOMPARE(clock.now(), start + 10s);

        ManualClock placed(TimePoint{} + 5s);
        QCOMPARE(placed.now(), TimePoint{} + 5s);
    }

    void manualClockTellsSubscribersOfEveryJump()
    {
        ManualClock clock;
        QList<TimePoint> seen;
        Clock::JumpSubscription subscription = clock.onJump([&] { seen.append(clock.now()); });
        QVERIFY(subscription);
        clock.advance(1s);
        clock.set(clock.now() + 1min);
        QCOMPARE(seen.size(), 2);
        QCOMPARE(seen.last(), clock.now());
        subscription.reset();
        clock.advance(1s);
        QCOMPARE(seen.size(), 2);
    }

    void manualClockSubscriberMayUnsubscribeAnotherWhileCalled()
    {
        ManualClock clock;
        int second = 0;
        Clock::JumpSubscription b;
        Clock::JumpSubscription a = clock.onJump([&] { b.reset(); });
        b = clock.onJump([&] { ++second; });
        clock.advance(1s);
        QCOMPARE(second, 0);
    }

    void manualClockIsReadSafelyFromAnotherThread()
    {
        ManualClock clock;
        const TimePoint start = clock.now();
        bool monotonic = true;
        std::thread reader([&] {
            TimePoint previous = start;
            while (previous < start + 10000ms) {
                const TimePoint now = clock.now();
                monotonic = monotonic && now >= previous;
                previous = now;
            }
        });
        for (int i = 0; i < 10000; ++i)
            clock.advance(1ms);
        reader.join();
        QVERIFY(monotonic);
    }

    void advanceUntilStopsWhenDoneOrAtTheLimit()
    {
        ManualClock clock;
        const TimePoint start = clock.now();
        QVERIFY(advanceUntil(clock, [&] { return clock.now() >= start + 100ms; }, 1s, {10ms}));
        QCOMPARE(clock.now(), start + 100ms);
        QVERIFY(advanceUntil(
            clock, [] { return true; }, 1s));
        QCOMPARE(clock.now(), start + 100ms); // no time passes when done already
        QVERIFY(!advanceUntil(clock, [] { return false; }, 200ms, {50ms}));
        QCOMPARE(clock.now(), start + 300ms);
        advanceBy(clock, 45ms, {10ms});
        QCOMPARE(clock.now(), start + 345ms);
    }

    void pongServerAnswersEveryLine()
    {
        PongServer server;
        QVERIFY(!server.isListening());
        QVERIFY(server.listen());
        QSignalSpy accepted(&server, &PongServer::accepted);
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, server.port());
        QVERIFY(client.waitForConnected(5000));
        client.write("PING\nPING\npartial");
        QTRY_COMPARE(client.bytesAvailable(), qint64(2 * (sizeof PongServer::kReply - 1)));
        QCOMPARE(client.readAll(), QByteArray("PONG\nPONG\n"));
        QCOMPARE(accepted.size(), 1);
        QCOMPARE(server.sockets().size(), 1);
        QCOMPARE(server.replies(), qint64(2));

        server.setAnswering(false);
        client.write("\nPING\n");
        QTest::qWait(50);
        QCOMPARE(client.bytesAvailable(), qint64(0));
        server.sockets().first()->disconnectFromHost();
        QTRY_COMPARE(client.state(), QAbstractSocket::UnconnectedState);
    }

    void heartbeatClientBeatsAndReconnectsWhenAsked()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        QList<QTcpSocket *> peers;
        QByteArray received;
        connect(&server, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *s = server.nextPendingConnection()) {
                peers.append(s);
                connect(s, &QTcpSocket::readyRead, s, [&received, s] { received += s->readAll(); });
            }
        });
        HeartbeatClient client(QHostAddress::LocalHost, server.serverPort(), "HB db-7\n", 20ms);
        client.setReconnecting(true);
        QTRY_VERIFY(received.count("HB db-7\n") >= 3);
        QTRY_COMPARE(peers.size(), 1);
        peers.first()->write("hello");
        QTRY_COMPARE(client.received(), QByteArray("hello"));

        client.quiet();
        QTest::qWait(20);
        const qsizetype quietAt = received.size();
        QTest::qWait(100);
        QCOMPARE(received.size(), quietAt);
        client.resume();
        QTRY_VERIFY(received.size() > quietAt);

        peers.first()->disconnectFromHost();
        QTRY_COMPARE(peers.size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestTestSupport)
#include "tst_testsupport.moc"
