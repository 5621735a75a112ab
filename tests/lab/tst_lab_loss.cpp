// A lossy path is not a dead one: with 20 % of the packets dropped each way, TCP retransmits and the
// heartbeat (1 s, 5 misses) must ride it out without ever declaring the endpoint Down.

#include "keepwatchrun.h"
#include "labmeasurement.h"
#include "labtopology.h"
#include "prerequisite.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace kw::lab;

namespace {

constexpr quint16 kPort = 7000;
constexpr int kLossPercent = 20;
constexpr int kDurationMs = 20000;

} // namespace

class TestLabLoss : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        const QString reason = LabTopology::unavailableReason();
        if (!reason.isEmpty())
            KW_SKIP_OR_FAIL_UNDER_CI(reason.toUtf8());
    }

    void randomLossIsNotDown()
    {
        LabTopology lab(u"loss"_s);
        QString error;
        QVERIFY2(lab.create(Layout::Direct, &error), qPrintable(error));
        LabProcess peer;
        QVERIFY2(peer.startPeer(lab, kPort, {}, &error), qPrintable(error));

        KeepwatchRun keepwatch;
        const QString endpoint = uR"({"name":"svc","kind":"tcp","host":"%1","port":%2,
            "heartbeat":{"interval_s":1,"send":"PING\n","expect":"PONG","misses":5}})"_s
                                     .arg(lab.peerAddress())
                                     .arg(kPort);
        QVERIFY2(keepwatch.start(lab, workspaceJson({endpoint}), &error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.countRtt(u"svc"_s, u"heartbeat"_s) > 0,
                                  qPrintable(keepwatch.transcript()), 10000);
        const qsizetype repliesBefore = keepwatch.countRtt(u"svc"_s, u"heartbeat"_s);

        QVERIFY2(lab.inject(Fault::RandomLoss, kPort, &error, kLossPercent).isValid(), qPrintable(error));
        QTest::qWait(kDurationMs); // proving that something does not happen needs the time to pass

        QVERIFY2(keepwatch.countStates(u"svc"_s, kw::EndpointState::Down) == 0,
                 qPrintable(keepwatch.transcript()));
        // The heartbeat kept flowing (about one reply a second)...
        const qsizetype replies = keepwatch.countRtt(u"svc"_s, u"heartbeat"_s) - repliesBefore;
        QVERIFY2(replies >= kDurationMs / 1000 / 2, qPrintable(keepwatch.transcript()));
        // ...through a path that really lost packets: TCP had to retransmit.
        double retransmitted = 0;
        double worstRtt = 0;
        for (const LabEvent &event : keepwatch.events()) {
            if (event.kind == kw::EventKind::TcpInfo)
                retransmitted = std::max(retransmitted, event.json.value(u"total_retrans").toDouble());
            if (event.kind == kw::EventKind::Rtt && event.json.value(u"source").toString() == u"heartbeat")
                worstRtt = std::max(worstRtt, event.json.value(u"rtt_ms").toDouble());
        }
        reportFields(
            u"loss-20"_s,
            {{u"downs"_s, QString::number(keepwatch.countStates(u"svc"_s, kw::EndpointState::Down))},
             {u"suspects"_s, QString::number(keepwatch.countStates(u"svc"_s, kw::EndpointState::Suspect))},
             {u"replies"_s, QString::number(replies)},
             {u"total_retrans"_s, QString::number(retransmitted)},
             {u"worst_rtt_ms"_s, QString::number(worstRtt, 'f', 0)}});
        QVERIFY2(retransmitted > 0, qPrintable(u"no retransmission seen: was the loss rule in force?\n"_s +
                                               keepwatch.transcript()));
    }
};

QTEST_GUILESS_MAIN(TestLabLoss)
#include "tst_lab_loss.moc"
