// Connection is the socket under every session: many at once, opened and
// closed in bursts, each must report exactly its own outcome.

#include "connection.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <cerrno>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

using namespace kw;

namespace {

// What a session does with its connection, recorded; `onReceived` may delete the connection.
class RecordingObserver final : public ConnectionObserver
{
public:
    void connectionConnected() override { ++connected; }
    void connectionReceived(const QByteArray &data) override
    {
        received += data;
        if (onReceived)
            onReceived();
    }
    void connectionPeerClosed() override { ++peerClosed; }
    void connectionFailed(int error) override { failures.append(error); }

    int connected = 0;
    QByteArray received;
    int peerClosed = 0;
    QList<int> failures;
    std::function<void()> onReceived;
};

} // namespace

class TestConnection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void manyConnectionsEachGetTheirOwnEvents()
    {
        QTcpServer server;
        server.setMaxPendingConnections(1000);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        std::vector<QTcpSocket *> accepted;
        connect(&server, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *s = server.nextPendingConnection()) {
                accepted.push_back(s);
                // Echo with the peer's own index so a crossed wire would show.
                connect(s, &QTcpSocket::readyRead, s, [s] { s->write(s->readAll()); });
            }
        });

        constexpr int kCount = 300;
        std::vector<std::unique_ptr<Connection>> connections;
        std::vector<QByteArray> received(kCount);
        int connectedCount = 0;
        for (int i = 0; i < kCount; ++i) {
            auto c = std::make_unique<Connection>();
            connect(c.get(), &Connection::connected, this, [&, i, conn = c.get()] {
                ++connectedCount;
                conn->write(QByteArray("hello " + QByteArray::number(i) + '\n'));
            });
            connect(c.get(), &Connection::received, this,
                    [&, i](const QByteArray &data) { received[std::size_t(i)] += data; });
            c->connectTo(QHostAddress::LocalHost, server.serverPort());
            connections.push_back(std::move(c));
        }
        QTRY_COMPARE_WITH_TIMEOUT(connectedCount, kCount, 20000);
        for (int i = 0; i < kCount; ++i)
            QTRY_COMPARE(received[std::size_t(i)], "hello " + QByteArray::number(i) + '\n');

        // Close every other one from our side, the rest from the peer's.
        int peerClosed = 0;
        for (int i = 0; i < kCount; ++i) {
            connect(connections[std::size_t(i)].get(), &Connection::peerClosed, this, [&] { ++peerClosed; });
            if (i % 2 == 0)
                connections[std::size_t(i)]->close();
        }
        for (QTcpSocket *s : accepted) {
            if (s->state() == QAbstractSocket::ConnectedState)
                s->disconnectFromHost();
        }
        QTRY_COMPARE_WITH_TIMEOUT(peerClosed, kCount / 2, 10000);
        QTest::qWait(100);
        QCOMPARE(peerClosed, kCount / 2); // closed ones stay silent
        for (int i = 0; i < kCount; ++i)
            QVERIFY(!connections[std::size_t(i)]->isOpen());
    }

    void deletingInsideASignalIsSafe()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QTcpSocket *peer = nullptr;
        connect(&server, &QTcpServer::newConnection, this, [&] { peer = server.nextPendingConnection(); });
        auto *c = new Connection;
        bool deleted = false;
        connect(c, &QObject::destroyed, this, [&] { deleted = true; });
        connect(c, &Connection::received, this, [c](const QByteArray &) { delete c; });
        c->connectTo(QHostAddress::LocalHost, server.serverPort());
        QTRY_VERIFY(peer);
        peer->write("x");
        peer->disconnectFromHost(); // data and FIN in one wake-up
        QTRY_VERIFY(deleted);
        QTest::qWait(50); // no use after free under ASan
    }

    // With an observer, the observer hears every outcome and the signals stay silent (nothing
    // outside subscribes to a session's connection); without one the signals are back.
    void observerHearsInsteadOfTheSignals()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QTcpSocket *peer = nullptr;
        connect(&server, &QTcpServer::newConnection, this, [&] { peer = server.nextPendingConnection(); });
        Connection c;
        RecordingObserver observer;
        c.setObserver(&observer);
        QSignalSpy connectedSignal(&c, &Connection::connected);
        QSignalSpy receivedSignal(&c, &Connection::received);
        QSignalSpy closedSignal(&c, &Connection::peerClosed);
        c.connectTo(QHostAddress::LocalHost, server.serverPort());
        QTRY_COMPARE(observer.connected, 1);
        QTRY_VERIFY(peer);
        peer->write("hello");
        QTRY_COMPARE(observer.received, QByteArray("hello"));
        peer->disconnectFromHost();
        QTRY_COMPARE(observer.peerClosed, 1);
        QVERIFY(observer.failures.isEmpty());
        QCOMPARE(observer.received, QByteArray("hello"));
        QCOMPARE(connectedSignal.size(), 0);
        QCOMPARE(receivedSignal.size(), 0);
        QCOMPARE(closedSignal.size(), 0);

        // A refused connect reaches the observer with the kernel's error, or the signal without one.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 port = closed.serverPort();
        closed.close();
        Connection refused;
        RecordingObserver refusedObserver;
        refused.setObserver(&refusedObserver);
        QSignalSpy failedSignal(&refused, &Connection::failed);
        refused.connectTo(QHostAddress::LocalHost, port);
        QTRY_COMPARE(refusedObserver.failures.size(), 1);
        QCOMPARE(refusedObserver.failures.first(), ECONNREFUSED);
        QCOMPARE(failedSignal.size(), 0);
        refused.setObserver(nullptr);
        refused.connectTo(QHostAddress::LocalHost, port);
        QTRY_COMPARE(failedSignal.size(), 1);
        QCOMPARE(refusedObserver.failures.size(), 1);
    }

    void dataAndFinTogetherAreBothHeard()
    {
        // The reply and the peer's FIN queued before the first read: a short read ends the read of
        // that wake-up, and the FIN behind it must still be heard, after every byte.
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        Connection c;
        RecordingObserver observer;
        c.setObserver(&observer);
        c.connectTo(QHostAddress::LocalHost, server.serverPort());
        QVERIFY(server.waitForNewConnection(5000));
        QTcpSocket *peer = server.nextPendingConnection();
        QTRY_COMPARE(observer.connected, 1);
        const QByteArray big(100 * 1024 + 7, 'x'); // more than one read's chunk, then a short one
        for (const QByteArray &message : {QByteArray("PONG\n"), big}) {
            observer.received.clear();
            peer->write(message);
            QVERIFY(peer->waitForBytesWritten(5000));
            QTRY_COMPARE(observer.received.size(), message.size());
            QCOMPARE(observer.received, message);
        }
        observer.received.clear();
        peer->write("bye\n");
        QVERIFY(peer->waitForBytesWritten(5000));
        peer->disconnectFromHost(); // before this thread's loop runs again: both are queued
        QTRY_COMPARE(observer.peerClosed, 1);
        QCOMPARE(observer.received, QByteArray("bye\n"));
        QVERIFY(observer.failures.isEmpty());
    }

    // A session's teardown deletes its connection from inside the connection's own call: data and
    // the peer's FIN in one wake-up, the connection deleted while it reports the data, must neither
    // touch freed memory nor report the FIN.
    void deletingInsideAnObserverCallIsSafe()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QTcpSocket *peer = nullptr;
        connect(&server, &QTcpServer::newConnection, this, [&] { peer = server.nextPendingConnection(); });
        auto *c = new Connection;
        bool deleted = false;
        connect(c, &QObject::destroyed, this, [&] { deleted = true; });
        RecordingObserver observer;
        observer.onReceived = [&c] {
            delete c;
            c = nullptr;
        };
        c->setObserver(&observer);
        c->connectTo(QHostAddress::LocalHost, server.serverPort());
        QTRY_VERIFY(peer);
        QTRY_COMPARE(observer.connected, 1);
        peer->write("x");
        peer->disconnectFromHost(); // data and FIN in one wake-up
        QTRY_VERIFY(deleted);
        QTest::qWait(50); // no use after free under ASan
        QCOMPARE(observer.received, QByteArray("x"));
        QCOMPARE(observer.peerClosed, 0);
        QVERIFY(observer.failures.isEmpty());
    }

    // A peer that stops reading fills the socket buffers; what is queued meanwhile must reach it
    // whole and in order once it reads again, through many partial sends.
    void partialSendsKeepEveryByteInOrder()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QTcpSocket *peer = nullptr;
        connect(&server, &QTcpServer::newConnection, this, [&] { peer = server.nextPendingConnection(); });
        Connection c;
        bool connected = false;
        connect(&c, &Connection::connected, this, [&] { connected = true; });
        c.connectTo(QHostAddress::LocalHost, server.serverPort());
        QTRY_VERIFY(connected && peer);
        peer->setReadBufferSize(1); // Qt stops reading: the kernel buffers fill up

        QByteArray sent;
        for (int block = 0; block < 256; ++block) {
            QByteArray chunk(16 * 1024, char('a' + block % 26));
            chunk.prepend(QByteArray::number(block) + ':');
            sent += chunk;
            c.write(chunk);
        }
        QTRY_VERIFY(c.bytesToWrite() > 0); // the socket took only part of 4 MiB
        const qsizetype queued = c.bytesToWrite();
        QVERIFY2(queued < sent.size(), "the kernel should have taken some of it");

        peer->setReadBufferSize(0);
        QByteArray received;
        connect(peer, &QTcpSocket::readyRead, this, [&] { received += peer->readAll(); });
        received += peer->readAll();
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), sent.size(), 20000);
        QVERIFY(received == sent);
        QCOMPARE(c.bytesToWrite(), 0);
    }

    // At 10,000 endpoints the thread reads a socket long after its bytes arrived (other sockets of the
    // same wake-up, timers): the stamp must be the arrival, so RTT is the network's, not ours.
    void receiveStampIsTheArrivalNotTheProcessing()
    {
        using namespace std::chrono;
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QTcpSocket *peer = nullptr;
        connect(&server, &QTcpServer::newConnection, this, [&] { peer = server.nextPendingConnection(); });
        Connection c;
        bool connected = false;
        connect(&c, &Connection::connected, this, [&] { connected = true; });
        QByteArray received;
        TimePoint stamp{};
        Duration waited{};
        bool byKernel = false;
        connect(&c, &Connection::received, this, [&](const QByteArray &data) {
            received += data;
            stamp = c.lastReceivedAt();
            waited = c.lastReceiveWait();
            byKernel = c.lastReceiveStampedByKernel();
        });
        c.connectTo(QHostAddress::LocalHost, server.serverPort());
        QTRY_VERIFY(connected && peer);

        // The send stamp: the send() call that took the bytes.
        const TimePoint beforeSend = steady_clock::now();
        c.write("PING\n");
        const TimePoint afterSend = steady_clock::now();
        QVERIFY(c.lastSentAt() >= beforeSend && c.lastSentAt() <= afterSend);
        QTRY_COMPARE(peer->bytesAvailable(), qint64(5));

#if defined(__linux__)
        // The kernel turns its receive stamps on for the whole machine a little after the first
        // socket asks (net_enable_timestamp() defers the static key's switch to a work queue), so
        // the first bytes may arrive unstamped: exchange until they are stamped.
        for (int i = 0; i < 100 && !byKernel; ++i) {
            peer->write("x");
            QVERIFY(peer->flush());
            const qsizetype expected = received.size() + 1;
            QTRY_COMPARE(received.size(), expected);
            if (!byKernel)
                QTest::qWait(10);
        }
        QVERIFY2(byKernel, "the kernel never stamped the received bytes (SO_TIMESTAMPING)");
        received.clear();
        byKernel = false;
#endif
        const TimePoint beforeReply = steady_clock::now();
        peer->write("PONG\n");
        QVERIFY(peer->flush()); // into the kernel now: on loopback it is in our socket when this returns
        const TimePoint afterReply = steady_clock::now();
        QThread::msleep(200); // the engine thread is busy: the reply waits in the socket
        const TimePoint afterBusy = steady_clock::now();
        QTRY_COMPARE(received, QByteArray("PONG\n"));
#if defined(__linux__)
        // The kernel's receive stamp, converted from CLOCK_REALTIME: the arrival, within the reply's
        // write (the millisecond allows for the conversion), and the 200 ms counted as waiting.
        QVERIFY(byKernel);
        QVERIFY(stamp >= beforeReply - milliseconds(1));
        QVERIFY2(stamp <= afterReply + milliseconds(1),
                 qPrintable(QString::number(duration_cast<microseconds>(stamp - afterReply).count())));
        QVERIFY(stamp < afterBusy - milliseconds(199));
        QVERIFY2(waited >= milliseconds(199),
                 qPrintable(QString::number(duration_cast<microseconds>(waited).count())));
#else
        // No stamp from the kernel: the time of the read, after the busy spell.
        QVERIFY(!byKernel);
        QVERIFY(stamp >= afterBusy);
        Q_UNUSED(beforeReply)
        Q_UNUSED(afterReply)
        Q_UNUSED(waited)
#endif
    }

    void refusedReportsTheErrno()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        Connection c;
        QSignalSpy failed(&c, &Connection::failed);
        c.connectTo(QHostAddress::LocalHost, port);
        QTRY_COMPARE(failed.size(), 1);
        QVERIFY(failed.first().first().toInt() != 0);
        QVERIFY(!c.isOpen());
    }
};

QTEST_GUILESS_MAIN(TestConnection)
#include "tst_connection.moc"
