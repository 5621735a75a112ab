// A peer that ends the connection on purpose: RST from the peer process (SO_LINGER 0), RST from a
// firewall in front of it (nft "reject with tcp reset"), and an orderly close (FIN). Each must be named
// for what it was, and seen at once, not at the next liveness check.

#include "keepwatchrun.h"
#include "labmeasurement.h"
#include "labtopology.h"
#include "prerequisite.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace kw::lab;

namespace {

constexpr quint16 kPort = 7000;

enum class Ending { PeerResets, FirewallResets, PeerCloses };

} // namespace

Q_DECLARE_METATYPE(Ending)

class TestLabPeerClose : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        const QString reason = LabTopology::unavailableReason();
        if (!reason.isEmpty())
            KW_SKIP_OR_FAIL_UNDER_CI(reason.toUtf8());
    }

    void peerEndsConnection_data()
    {
        QTest::addColumn<Ending>("ending");
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<kw::Cause>("cause");
        QTest::addColumn<int>("maxDetectionMs");
        // The peer's RST or FIN reaches keepwatch within a round trip; 1 s leaves room for a loaded machine.
        QTest::newRow("peer resets") << Ending::PeerResets << u"peer-reset"_s
                                     << kw::Cause(kw::CauseCode::Reset) << 1000;
        // The firewall answers keepwatch's next heartbeat (0.5 s apart) with a RST.
        QTest::newRow("firewall resets")
            << Ending::FirewallResets << u"firewall-reset"_s << kw::Cause(kw::CauseCode::Reset) << 1500;
        QTest::newRow("peer closes") << Ending::PeerCloses << u"peer-fin"_s
                                     << kw::Cause(kw::CauseCode::PeerClosed) << 1000;
    }

    void peerEndsConnection()
    {
        QFETCH(Ending, ending);
        QFETCH(QString, scenario);
        QFETCH(kw::Cause, cause);
        QFETCH(int, maxDetectionMs);

        LabTopology lab(u"close"_s);
        QString error;
        QVERIFY2(lab.create(Layout::Direct, &error), qPrintable(error));
        QStringList peerArguments;
        if (ending == Ending::PeerResets)
            peerArguments << u"--reset-after"_s << u"1500"_s;
        if (ending == Ending::PeerCloses)
            peerArguments << u"--close-after"_s << u"1500"_s;
        LabProcess peer;
        QVERIFY2(peer.startPeer(lab, kPort, peerArguments, &error), qPrintable(error));

        KeepwatchRun keepwatch;
        const QString endpoint = uR"({"name":"svc","kind":"tcp","host":"%1","port":%2,
                "keepalive":{"enabled":true,"idle_s":2,"interval_s":1,"count":3},
                "heartbeat":{"interval_s":0.5,"send":"PING\n","expect":"PONG","misses":3},
                "reconnect":{"initial_ms":500,"max_ms":2000}})"_s.arg(lab.peerAddress())
                                     .arg(kPort);
        QVERIFY2(keepwatch.start(lab, workspaceJson({endpoint}), &error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.countRtt(u"svc"_s, u"heartbeat"_s) > 0,
                                  qPrintable(keepwatch.transcript()), 10000);

        QDateTime injected;
        if (ending == Ending::FirewallResets) {
            injected = lab.inject(Fault::RejectWithReset, kPort, &error);
            QVERIFY2(injected.isValid(), qPrintable(error));
        }
        QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.firstState(u"svc"_s, kw::EndpointState::Down),
                                  qPrintable(keepwatch.transcript()), 10000);
        if (ending == Ending::PeerResets)
            injected = peer.stampOf("reset");
        if (ending == Ending::PeerCloses)
            injected = peer.stampOf("fin");
        QVERIFY2(injected.isValid(), peer.lines().join('\n').constData());

        const LabEvent down = *keepwatch.firstState(u"svc"_s, kw::EndpointState::Down);
        const qint64 detection = millisecondsBetween(injected, down.ts);
        reportMeasurement(scenario, detection, ending == Ending::FirewallResets ? 500 : 0, down.causeName());
        QVERIFY2(down.cause == cause, qPrintable(keepwatch.transcript()));
        QVERIFY2(detection >= -5 && detection <= maxDetectionMs,
                 qPrintable(
                     u"detected after %1 ms, expected at most %2 ms\n"_s.arg(detection).arg(maxDetectionMs) +
                     keepwatch.transcript()));
        // The connection was up the whole time before: nothing else went wrong first.
        const QList<LabEvent> states = keepwatch.states(u"svc"_s);
        for (const LabEvent &state : states) {
            if (state.ts < down.ts)
                QVERIFY2(state.state == kw::EndpointState::Connecting || state.state == kw::EndpointState::Up,
                         qPrintable(keepwatch.transcript()));
        }
        // And keepwatch comes back: the peer still listens (the firewall row lets nothing through).
        if (ending != Ending::FirewallResets) {
            QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.countStates(u"svc"_s, kw::EndpointState::Up) >= 2,
                                      qPrintable(keepwatch.transcript()), 10000);
        }
    }
};

QTEST_GUILESS_MAIN(TestLabPeerClose)
#include "tst_lab_peerclose.moc"
