// A heartbeat listener (`kind: "listen"`): keepwatch accepts peers in the monitor namespace and watches
// each one's heartbeats. A peer that hangs (SIGSTOP: its kernel keeps the connection) is caught by the
// missing heartbeats; a peer that dies (SIGKILL: its kernel sends FIN) is seen at once.

#include "keepwatchrun.h"
#include "labmeasurement.h"
#include "labtopology.h"
#include "prerequisite.h"

#include <QTest>

#include <signal.h>

using namespace Qt::StringLiterals;
using namespace kw::lab;

class TestLabListen : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        const QString reason = LabTopology::unavailableReason();
        if (!reason.isEmpty())
            KW_SKIP_OR_FAIL_UNDER_CI(reason.toUtf8());
    }

    void peerGoesAway_data()
    {
        QTest::addColumn<int>("signal");
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<kw::Cause>("cause");
        QTest::addColumn<int>("minDetectionMs");
        QTest::addColumn<int>("maxDetectionMs");
        // Heartbeats every 0.5 s, 3 misses: Down 1.5 s after the last one, which came 0–0.5 s before the
        // stop.
        QTest::newRow("peer hangs") << int(SIGSTOP) << u"listen-peer-sigstop"_s
                                    << kw::Cause(kw::CauseCode::HeartbeatTimeout) << 900 << 2500;
        QTest::newRow("peer dies") << int(SIGKILL) << u"listen-peer-killed"_s
                                   << kw::Cause(kw::CauseCode::PeerClosed) << -5 << 1000;
    }

    void peerGoesAway()
    {
        QFETCH(int, signal);
        QFETCH(QString, scenario);
        QFETCH(kw::Cause, cause);
        QFETCH(int, minDetectionMs);
        QFETCH(int, maxDetectionMs);

        LabTopology lab(u"listen"_s);
        QString error;
        QVERIFY2(lab.create(Layout::Direct, &error), qPrintable(error));
        KeepwatchRun keepwatch;
        const QString endpoint = uR"({"name":"sensors","kind":"listen","bind":"%1","port":7700,
            "heartbeat":{"interval_s":0.5,"expect":"HB","misses":3}})"_s.arg(lab.monitorAddress());
        QVERIFY2(keepwatch.start(lab, workspaceJson({endpoint}), &error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.firstState(u"sensors"_s, kw::EndpointState::Up),
                                  qPrintable(keepwatch.transcript()), 10000);

        LabProcess peer;
        QVERIFY2(peer.start(lab.peerNamespace(), labPeerBinary(),
                            {u"--heartbeat-to"_s, lab.monitorAddress() + u":7700"_s, u"--every"_s, u"500"_s,
                             u"--id"_s, u"sensor-1"_s},
                            &error),
                 qPrintable(error));
        const QString peerName = u"sensors/sensor-1"_s;
        QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.firstState(peerName, kw::EndpointState::Up),
                                  qPrintable(keepwatch.transcript()), 10000);
        QVERIFY2(keepwatch.firstState(peerName, kw::EndpointState::Up)->detail.contains(u"198.51.100.2:"),
                 qPrintable(keepwatch.transcript()));
        QTest::qWait(1200); // a few steady heartbeats: nothing may change while they arrive
        QCOMPARE(keepwatch.states(peerName).size(), 1);

        QVERIFY(peer.sendSignal(signal));
        const QDateTime injected = QDateTime::currentDateTimeUtc();
        QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.firstState(peerName, kw::EndpointState::Down),
                                  qPrintable(keepwatch.transcript()), 10000);
        const LabEvent down = *keepwatch.firstState(peerName, kw::EndpointState::Down);
        const qint64 detection = millisecondsBetween(injected, down.ts);
        reportMeasurement(scenario, detection, signal == SIGSTOP ? 1500 : 0, down.causeName());
        QVERIFY2(down.cause == cause, qPrintable(keepwatch.transcript()));
        QVERIFY2(detection >= minDetectionMs && detection <= maxDetectionMs,
                 qPrintable(u"detected after %1 ms, expected %2–%3 ms\n"_s.arg(detection)
                                .arg(minDetectionMs)
                                .arg(maxDetectionMs) +
                            keepwatch.transcript()));
        if (signal == SIGSTOP) {
            const auto suspect = keepwatch.firstState(peerName, kw::EndpointState::Suspect);
            QVERIFY2(suspect && suspect->ts <= down.ts, qPrintable(keepwatch.transcript()));
            // Woken up, the peer finds its connection closed, reconnects and is the same peer again.
            QVERIFY(peer.sendSignal(SIGCONT));
            QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.countStates(peerName, kw::EndpointState::Up) >= 2,
                                      qPrintable(keepwatch.transcript()), 10000);
        }
        // One peer going away is not the listener going away.
        QCOMPARE(keepwatch.countStates(u"sensors"_s, kw::EndpointState::Down), 0);
    }
};

QTEST_GUILESS_MAIN(TestLabListen)
#include "tst_lab_listen.moc"
