// A NAT router whose connection tracking forgets idle connections (as cloud load balancers and home
// routers do, far below RFC 5382's 2 h 4 min): keepalive probes faster than the router's idle timeout keep
// a connection alive; without them the connection is silently dead and only the next heartbeat finds out.

#include "keepwatchrun.h"
#include "labmeasurement.h"
#include "labtopology.h"
#include "prerequisite.h"

#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace kw::lab;
using namespace std::chrono_literals;

namespace {

constexpr auto kConntrackTimeout = 5s;

} // namespace

class TestLabNat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        const QString reason = LabTopology::unavailableReason();
        if (!reason.isEmpty())
            KW_SKIP_OR_FAIL_UNDER_CI(reason.toUtf8());
    }

    void conntrackIdleExpiry()
    {
        LabTopology lab(u"nat"_s);
        QString error;
        QVERIFY2(lab.create(Layout::Routed, &error), qPrintable(error));
        QVERIFY2(lab.configureRouter(kConntrackTimeout, &error), qPrintable(error));
        LabProcess peer;
        QVERIFY2(peer.startPeer(lab, 7000, {}, &error), qPrintable(error));

        // A: keepalive every 2 s of silence, well inside the router's 5 s. B: no keepalive, a heartbeat every
        // 10 s (twice the router's timeout) that must be answered within 3 s.
        const QString a = uR"({"name":"with-keepalive","kind":"tcp","host":"%1","port":7000,
            "keepalive":{"enabled":true,"idle_s":2,"interval_s":1,"count":3}})"_s.arg(lab.peerAddress());
        const QString b = uR"({"name":"heartbeat-only","kind":"tcp","host":"%1","port":7000,
            "keepalive":{"enabled":false},
            "heartbeat":{"interval_s":10,"send":"PING\n","expect":"PONG","misses":1,"timeout_ms":3000},
            "reconnect":{"initial_ms":500}})"_s.arg(lab.peerAddress());
        KeepwatchRun keepwatch;
        QVERIFY2(keepwatch.start(lab, workspaceJson({a, b}), &error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.firstState(u"with-keepalive"_s, kw::EndpointState::Up) &&
                                      keepwatch.firstState(u"heartbeat-only"_s, kw::EndpointState::Up),
                                  qPrintable(keepwatch.transcript()), 10000);
        // Both connections cross the router's masquerade: the peer sees the router's address.
        QTRY_VERIFY2_WITH_TIMEOUT(peer.lines().size() >= 3, peer.lines().join('\n').constData(), 5000);
        QVERIFY2(peer.lines().at(1).startsWith("accepted 198.51.100.129:"), peer.lines().at(1).constData());

        // B's heartbeat after 10 s finds its conntrack entry gone: the router drops it as not part of a
        // tracked connection, so no reply can come.
        const LabEvent bUp = *keepwatch.firstState(u"heartbeat-only"_s, kw::EndpointState::Up);
        QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.firstState(u"heartbeat-only"_s, kw::EndpointState::Down),
                                  qPrintable(keepwatch.transcript()), 30000);
        const LabEvent bDown = *keepwatch.firstState(u"heartbeat-only"_s, kw::EndpointState::Down);
        const qint64 sinceUp = millisecondsBetween(bUp.ts, bDown.ts);
        reportMeasurement(u"nat-expiry-heartbeat"_s, sinceUp, 13000, bDown.causeName());
        QVERIFY2(bDown.cause == kw::Cause(kw::CauseCode::HeartbeatTimeout) ||
                     bDown.cause == kw::Cause(kw::CauseCode::Reset),
                 qPrintable(keepwatch.transcript()));
        // The bound (10 s × 1 + 3 s) counts from the last reply: the heartbeat that crossed the expired
        // entry left at most 10 s after the one answered, on the endpoint's phase grid, so anywhere from
        // 0 to 10 s after up (a second heartbeat within the router's 5 s keeps the entry alive once more).
        std::optional<QDateTime> lastReply;
        for (const LabEvent &e : keepwatch.events()) {
            if (e.endpoint == u"heartbeat-only" && e.kind == kw::EventKind::Rtt &&
                e.json.value(u"source").toString() == u"heartbeat" && e.ts <= bDown.ts)
                lastReply = e.ts;
        }
        QVERIFY2(lastReply, qPrintable(keepwatch.transcript()));
        const qint64 afterReply = millisecondsBetween(*lastReply, bDown.ts);
        QVERIFY2(
            bDown.cause != kw::Cause(kw::CauseCode::HeartbeatTimeout) ||
                (afterReply >= 12500 && afterReply <= 13000 + 650 + 250),
            qPrintable(u"B down %1 ms after its last reply, expected 12500–13900 ms\n"_s.arg(afterReply) +
                       keepwatch.transcript()));
        QVERIFY2(sinceUp >= 12500 && sinceUp <= 24000,
                 qPrintable(u"B down %1 ms after up, expected 12500–24000 ms\n"_s.arg(sinceUp) +
                            keepwatch.transcript()));
        // A new connection opens a new conntrack entry.
        QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.countStates(u"heartbeat-only"_s, kw::EndpointState::Up) >= 2,
                                  qPrintable(keepwatch.transcript()), 10000);

        // A stayed up through at least 15 s of application silence (three router timeouts).
        const LabEvent aUp = *keepwatch.firstState(u"with-keepalive"_s, kw::EndpointState::Up);
        const qint64 remaining = 15000 - aUp.ts.msecsTo(QDateTime::currentDateTimeUtc());
        if (remaining > 0)
            QTest::qWait(static_cast<int>(remaining)); // proving that nothing happens needs the time to pass
        reportFields(u"nat-keepalive-survives"_s,
                     {{u"idle_ms"_s, QString::number(aUp.ts.msecsTo(QDateTime::currentDateTimeUtc()))},
                      {u"reconnects"_s,
                       QString::number(
                           keepwatch.countStates(u"with-keepalive"_s, kw::EndpointState::Connecting) - 1)}});
        QVERIFY2(keepwatch.countStates(u"with-keepalive"_s, kw::EndpointState::Down) == 0,
                 qPrintable(keepwatch.transcript()));
        QCOMPARE(keepwatch.countStates(u"with-keepalive"_s, kw::EndpointState::Connecting), 1);
        QVERIFY(keepwatch.stop());
    }
};

QTEST_GUILESS_MAIN(TestLabNat)
#include "tst_lab_nat.moc"
