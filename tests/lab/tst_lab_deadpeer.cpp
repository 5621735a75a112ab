// Dead and hung peers seen by the real keepwatch binary across a veth link: the kernel's own keepalive and
// user-timeout timers, and the application heartbeat for a peer whose kernel still answers TCP.

#include "keepwatchrun.h"
#include "labmeasurement.h"
#include "labtopology.h"
#include "prerequisite.h"

#include <QSet>
#include <QTest>

#include <optional>

#include <signal.h>

using namespace Qt::StringLiterals;
using namespace kw::lab;

namespace {

constexpr quint16 kPort = 7000;

QString endpointJson(const QString &host, const QString &settings)
{
    return uR"({"name":"svc","kind":"tcp","host":"%1","port":%2,%3})"_s.arg(host).arg(kPort).arg(settings);
}

} // namespace

class TestLabDeadPeer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        const QString reason = LabTopology::unavailableReason();
        if (!reason.isEmpty())
            KW_SKIP_OR_FAIL_UNDER_CI(reason.toUtf8());
    }

    // Issue #3: keepalive idle 2 s, interval 1 s, count 3 must end a silent connection about 5 s after the
    // last packet from the peer, and name the kernel's keepalive as the cause.
    void idleBlackholeIsKeepaliveTimeout()
    {
        LabTopology lab(u"idle"_s);
        QString error;
        QVERIFY2(lab.create(Layout::Direct, &error), qPrintable(error));
        LabProcess peer;
        QVERIFY2(peer.startPeer(lab, kPort, {u"--hello"_s, u"HELLO"_s}, &error), qPrintable(error));

        KeepwatchRun keepwatch;
        const QString endpoint = endpointJson(
            lab.peerAddress(), uR"("keepalive":{"enabled":true,"idle_s":2,"interval_s":1,"count":3})"_s);
        QVERIFY2(keepwatch.start(lab, workspaceJson({endpoint}), &error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.firstState(u"svc"_s, kw::EndpointState::Up),
                                  qPrintable(keepwatch.transcript()), 10000);
        // The peer's hello is the last data exchange; the scenario cuts the link 200 ms after it.
        QTRY_VERIFY_WITH_TIMEOUT(peer.hasLineStartingWith("hello"), 5000);
        const QDateTime hello = peer.stampOf("hello");
        QVERIFY(hello.isValid());
        QTest::qWait(
            static_cast<int>(std::max<qint64>(0, 200 - hello.msecsTo(QDateTime::currentDateTimeUtc()))));

        const QDateTime injected = lab.inject(Fault::Blackhole, kPort, &error);
        QVERIFY2(injected.isValid(), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.firstState(u"svc"_s, kw::EndpointState::Down),
                                  qPrintable(keepwatch.transcript()), 15000);
        const LabEvent down = *keepwatch.firstState(u"svc"_s, kw::EndpointState::Down);
        const qint64 detection = millisecondsBetween(injected, down.ts);
        const qint64 cutAfterHello = hello.msecsTo(injected);
        reportFields(u"idle-blackhole"_s, {{u"detection_ms"_s, QString::number(detection)},
                                           {u"bound_ms"_s, QString::number(5000 - cutAfterHello)},
                                           {u"cut_after_hello_ms"_s, QString::number(cutAfterHello)},
                                           {u"cause"_s, down.causeName()}});
        QVERIFY2(down.cause == kw::Cause(kw::CauseCode::KeepaliveTimeout),
                 qPrintable(keepwatch.transcript()));
        // idle 2 s + 3 probes x 1 s after the hello, which left ~200 ms before the cut (nft itself takes
        // 50–250 ms to load a ruleset on a busy machine; beyond 500 ms the scenario is not the one
        // specified).
        QVERIFY2(cutAfterHello < 500,
                 qPrintable(u"the cut came %1 ms after the hello, too late to measure the bound"_s.arg(
                     cutAfterHello)));
        QVERIFY2(detection >= 4500 && detection <= 6500,
                 qPrintable(u"detected after %1 ms, expected 4500–6500 ms\n"_s.arg(detection) +
                            keepwatch.transcript()));
        QCOMPARE(down.json.value(u"bound_ms").toDouble(), 5000.0);
    }

    // A heartbeat in flight stops keepalive probing (net/ipv4/tcp_timer.c); TCP_USER_TIMEOUT ends the
    // connection instead, and keepwatch must say so.
    void writeInFlightIsUserTimeout()
    {
        LabTopology lab(u"uto"_s);
        QString error;
        QVERIFY2(lab.create(Layout::Direct, &error), qPrintable(error));
        LabProcess peer;
        QVERIFY2(peer.startPeer(lab, kPort, {}, &error), qPrintable(error));

        // 20 misses x 0.5 s = 10 s: the heartbeat must not be what ends this connection.
        KeepwatchRun keepwatch;
        const QString endpoint = endpointJson(lab.peerAddress(), uR"("keepalive":{"user_timeout_ms":3000},
                "heartbeat":{"interval_s":0.5,"send":"PING\n","expect":"PONG","misses":20})"_s);
        QVERIFY2(keepwatch.start(lab, workspaceJson({endpoint}), &error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.countRtt(u"svc"_s, u"heartbeat"_s) > 0,
                                  qPrintable(keepwatch.transcript()), 10000);

        const QDateTime injected = lab.inject(Fault::Blackhole, kPort, &error);
        QVERIFY2(injected.isValid(), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.firstState(u"svc"_s, kw::EndpointState::Down),
                                  qPrintable(keepwatch.transcript()), 15000);
        const LabEvent down = *keepwatch.firstState(u"svc"_s, kw::EndpointState::Down);
        const qint64 detection = millisecondsBetween(injected, down.ts);
        reportMeasurement(u"write-in-flight"_s, detection, 3700, down.causeName());
        QVERIFY2(down.cause == kw::Cause(kw::CauseCode::UserTimeout), qPrintable(keepwatch.transcript()));
        // The next heartbeat leaves within 0.5 s of the cut. Linux counts the user timeout from the first
        // retransmission of a lone segment, the tail-loss probe ~200 ms later (tcp_output.c
        // tcp_schedule_loss_probe adds TCP_DELACK_MAX; tcp_timer.c retransmits_timed_out), so: 3.2–3.7 s.
        QVERIFY2(detection >= 2800 && detection <= 4500,
                 qPrintable(u"detected after %1 ms, expected 2800–4500 ms\n"_s.arg(detection) +
                            keepwatch.transcript()));
        // Suspect for two reasons at once (heartbeats missed, retransmitting): one detail that grows,
        // never two details taking turns, each raising an event.
        QSet<QString> seen;
        for (const LabEvent &e : keepwatch.states(u"svc"_s)) {
            if (e.state != kw::EndpointState::Suspect)
                continue;
            QVERIFY2(!seen.contains(e.detail),
                     qPrintable(u"repeated Suspect detail: "_s + e.detail + u'\n' + keepwatch.transcript()));
            seen.insert(e.detail);
        }
    }

    // SIGSTOP freezes the peer process while its kernel still acknowledges data and keepalive probes:
    // keepalive alone never notices; the application heartbeat does, and the endpoint is Suspect first.
    void stoppedPeerIsHeartbeatTimeout()
    {
        LabTopology lab(u"stop"_s);
        QString error;
        QVERIFY2(lab.create(Layout::Direct, &error), qPrintable(error));
        LabProcess peer;
        QVERIFY2(peer.startPeer(lab, kPort, {}, &error), qPrintable(error));

        // "svc" has keepalive and a heartbeat; "keepalive-only" has the same keepalive and nothing else.
        KeepwatchRun keepwatch;
        const QString endpoint = endpointJson(
            lab.peerAddress(), uR"("keepalive":{"enabled":true,"idle_s":2,"interval_s":1,"count":3},
                "heartbeat":{"interval_s":1,"send":"PING\n","expect":"PONG","misses":3})"_s);
        const QString keepaliveOnly = uR"({"name":"keepalive-only","kind":"tcp","host":"%1","port":%2,
                "keepalive":{"enabled":true,"idle_s":2,"interval_s":1,"count":3}})"_s.arg(lab.peerAddress())
                                          .arg(kPort);
        QVERIFY2(keepwatch.start(lab, workspaceJson({endpoint, keepaliveOnly}), &error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.countRtt(u"svc"_s, u"heartbeat"_s) >= 2 &&
                                      keepwatch.firstState(u"keepalive-only"_s, kw::EndpointState::Up),
                                  qPrintable(keepwatch.transcript()), 10000);
        const qsizetype statesBefore = keepwatch.states(u"svc"_s).size();

        QVERIFY(peer.sendSignal(SIGSTOP));
        const QDateTime injected = QDateTime::currentDateTimeUtc();
        QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.firstState(u"svc"_s, kw::EndpointState::Down, statesBefore),
                                  qPrintable(keepwatch.transcript()), 15000);
        const LabEvent down = *keepwatch.firstState(u"svc"_s, kw::EndpointState::Down, statesBefore);
        const qint64 detection = millisecondsBetween(injected, down.ts);
        QVERIFY2(down.cause == kw::Cause(kw::CauseCode::HeartbeatTimeout),
                 qPrintable(keepwatch.transcript()));
        // The bound counts from the last reply (issue #12): heartbeat 1 s × 3 is 3 s after it.
        const qint64 bound = qint64(down.json.value(u"bound_ms").toDouble());
        QCOMPARE(bound, qint64(3000));
        std::optional<QDateTime> lastReply;
        for (const LabEvent &e : keepwatch.events()) {
            if (e.endpoint == u"svc" && e.kind == kw::EventKind::Rtt &&
                e.json.value(u"source").toString() == u"heartbeat" && e.ts <= down.ts)
                lastReply = e.ts;
        }
        QVERIFY2(lastReply, qPrintable(keepwatch.transcript()));
        const qint64 afterReply = millisecondsBetween(*lastReply, down.ts);
        reportFields(u"peer-sigstop"_s, {{u"detection_ms"_s, QString::number(detection)},
                                         {u"after_last_reply_ms"_s, QString::number(afterReply)},
                                         {u"bound_ms"_s, QString::number(bound)},
                                         {u"cause"_s, down.causeName()}});
        const auto suspect = keepwatch.firstState(u"svc"_s, kw::EndpointState::Suspect, statesBefore);
        QVERIFY2(suspect && suspect->ts <= down.ts && suspect->ts >= injected.addMSecs(-5),
                 qPrintable(u"no Suspect between the stop and Down\n"_s + keepwatch.transcript()));
        // Down at the bound after the last reply, plus the engine's coalescing (5 %) and the time the
        // event takes to reach the file (the old rule, the third missed deadline, came 3.9–4 s after
        // it); the stop falls somewhere within the interval after that reply.
        QVERIFY2(afterReply >= bound - 20 && afterReply <= bound + bound / 20 + 250,
                 qPrintable(u"down %1 ms after the last reply, bound %2 ms\n"_s.arg(afterReply).arg(bound) +
                            keepwatch.transcript()));
        QVERIFY2(detection >= 1800 && detection <= 3500,
                 qPrintable(u"detected after %1 ms, expected 1800–3500 ms\n"_s.arg(detection) +
                            keepwatch.transcript()));

        // The stopped peer's kernel answers every keepalive probe: keepalive alone never notices. Its
        // bound is 5 s; watch it for 8 s (proving that nothing happens needs the time to pass).
        const qint64 remaining = 8000 - injected.msecsTo(QDateTime::currentDateTimeUtc());
        if (remaining > 0)
            QTest::qWait(static_cast<int>(remaining));
        QVERIFY2(keepwatch.countStates(u"keepalive-only"_s, kw::EndpointState::Down) == 0,
                 qPrintable(keepwatch.transcript()));
        QVERIFY(peer.sendSignal(SIGCONT));
    }
};

QTEST_GUILESS_MAIN(TestLabDeadPeer)
#include "tst_lab_deadpeer.moc"
