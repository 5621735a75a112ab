#include "loopbackpair.h"
#include "tcpsnapshot.h"

#include <QTest>

#include <netinet/tcp.h>

#include <string>

class TestTcpSnapshot : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void liveConnectionReportsEstablishedAndRtt();
    void peerCloseShowsCloseWait();
    void listenerAndBadSocket();
    void stateNames_data();
    void stateNames();
};

void TestTcpSnapshot::liveConnectionReportsEstablishedAndRtt()
{
    kw::test::LoopbackPair pair;
    QVERIFY(pair.isValid());
    // One round trip so the kernel has an RTT sample and an acknowledgement.
    const char ping[] = "ping";
    QCOMPARE(::send(pair.client(), ping, sizeof ping, 0), ssize_t(sizeof ping));
    char buffer[16];
    QCOMPARE(::recv(pair.server(), buffer, sizeof buffer, 0), ssize_t(sizeof ping));
    QCOMPARE(::send(pair.server(), ping, sizeof ping, 0), ssize_t(sizeof ping));
    QCOMPARE(::recv(pair.client(), buffer, sizeof buffer, 0), ssize_t(sizeof ping));

    std::string error;
    const auto snapshot = kw::net::readTcpSnapshot(pair.client(), &error);
    QVERIFY2(snapshot, error.c_str());
    QCOMPARE(snapshot->state, std::optional<int>(TCP_ESTABLISHED));
    QCOMPARE(snapshot->stateName, std::optional<std::string>("ESTABLISHED"));
    QVERIFY(snapshot->rttUs);
    QVERIFY(*snapshot->rttUs > 0);
    QVERIFY(snapshot->rtoUs);
    QVERIFY(*snapshot->rtoUs >= 200000); // Linux TCP_RTO_MIN
    QCOMPARE(snapshot->unacked, std::optional<std::uint32_t>(0));
    QCOMPARE(snapshot->probes, std::optional<std::uint32_t>(0));
    QVERIFY(!snapshot->hasDataInFlight());
    QVERIFY(snapshot->lastDataRecvMs);
    QVERIFY(*snapshot->lastDataRecvMs < 60000);
    // Linux has no byte counters in the glibc tcp_info: absent, never zero-filled.
    QVERIFY(!snapshot->bytesInFlight);
    QVERIFY(!snapshot->bytesRetrans);
}

void TestTcpSnapshot::peerCloseShowsCloseWait()
{
    kw::test::LoopbackPair pair;
    QVERIFY(pair.isValid());
    ::close(pair.takeServer());
    QTRY_COMPARE(kw::net::readTcpSnapshot(pair.client())->stateName,
                 std::optional<std::string>("CLOSE_WAIT"));
}

void TestTcpSnapshot::listenerAndBadSocket()
{
    std::string error;
    QVERIFY(!kw::net::readTcpSnapshot(-1, &error));
    QVERIFY2(error.find("TCP_INFO") != std::string::npos, error.c_str());
    QVERIFY2(error.find("Bad file descriptor") != std::string::npos, error.c_str());
    QVERIFY(!kw::net::readTcpSnapshot(-1)); // no error sink: still safe
}

void TestTcpSnapshot::stateNames_data()
{
    QTest::addColumn<int>("state");
    QTest::addColumn<QString>("name");
    QTest::newRow("established") << int(TCP_ESTABLISHED) << QStringLiteral("ESTABLISHED");
    QTest::newRow("syn-sent") << int(TCP_SYN_SENT) << QStringLiteral("SYN_SENT");
    QTest::newRow("close-wait") << int(TCP_CLOSE_WAIT) << QStringLiteral("CLOSE_WAIT");
    QTest::newRow("time-wait") << int(TCP_TIME_WAIT) << QStringLiteral("TIME_WAIT");
    QTest::newRow("closing") << int(TCP_CLOSING) << QStringLiteral("CLOSING");
    QTest::newRow("zero is not a Linux state") << 0 << QStringLiteral("UNKNOWN(0)");
    QTest::newRow("out of table") << 42 << QStringLiteral("UNKNOWN(42)");
}

void TestTcpSnapshot::stateNames()
{
    QFETCH(int, state);
    QFETCH(QString, name);
    QCOMPARE(QString::fromStdString(kw::net::tcpStateName(state)), name);
}

QTEST_GUILESS_MAIN(TestTcpSnapshot)
#include "tst_tcpsnapshot.moc"
