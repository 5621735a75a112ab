// The rows of the Monitor's snapshots: a row whose session and statistics did not move is the last
// snapshot's (same revision, same content, not even copied), one that moved gets a new revision,
// and what moves with time alone (uptime while down) still moves. A real Monitor on this thread,
// real loopback peers, deadlines on a manual clock.

#include "clocksteps.h"
#include "enginetest.h"
#include "manualclock.h"
#include "monitor.h"
#include "pongserver.h"

#include <QTcpSocket>
#include <QTest>

using namespace kw;
using namespace kw::test;
using namespace std::chrono;

namespace {

const EndpointSnapshot *rowOf(const SnapshotPtr &snapshot, const QString &name)
{
    return find(snapshot, name);
}

bool sameShown(const EndpointSnapshot &a, const EndpointSnapshot &b)
{
    return a.name == b.name && a.state == b.state && a.cause == b.cause && a.detail == b.detail &&
           a.since == b.since && a.nextAttempt == b.nextAttempt && a.lastRttMs == b.lastRttMs &&
           a.lastRttSource == b.lastRttSource && a.keepalive == b.keepalive &&
           a.detectionBound == b.detectionBound && a.phi == b.phi && a.stats == b.stats;
}

} // namespace

class TestSnapshotRows : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void unchangedRowsAreKeptAndChangedOnesMove()
    {
        PongServer server;
        QVERIFY(server.listen());
        EndpointConfig calm = endpoint(u"calm"_qs, server.port()); // no probe: nothing happens while up
        EndpointConfig beating = endpoint(u"beating"_qs, server.port());
        HeartbeatConfig hb;
        hb.interval = milliseconds(1000);
        hb.send = "PING\n";
        hb.expect = "PONG";
        beating.heartbeat = hb;

        ManualClock clock;
        Monitor monitor(on(clock));
        monitor.startAll({calm, beating});
        SnapshotPtr snapshot;
        QVERIFY(advanceUntil(
            clock,
            [&] {
                snapshot = monitor.buildSnapshot();
                const EndpointSnapshot *b = rowOf(snapshot, u"beating"_qs);
                return rowOf(snapshot, u"calm"_qs)->state == EndpointState::Up &&
                       b->state == EndpointState::Up && b->lastRttSource == u"heartbeat";
            },
            kPatience));

        // Past the first verdict's instant (uptime pending -> 100 %) and the first TCP_INFO sample
        // (the kernel's RTT): from here the calm endpoint has nothing new to show.
        advanceBy(clock, milliseconds(1500));
        monitor.buildSnapshot();

        // Nothing of either endpoint moved between two snapshots: the second has the first's rows,
        // the very same list (not a copy of it).
        const SnapshotPtr first = monitor.buildSnapshot();
        const SnapshotPtr again = monitor.buildSnapshot();
        QVERIFY(first->generation != again->generation);
        QCOMPARE(again->endpoints.constData(), first->endpoints.constData());
        const EndpointSnapshot calmBefore = *rowOf(first, u"calm"_qs);
        const EndpointSnapshot beatBefore = *rowOf(first, u"beating"_qs);
        QVERIFY(calmBefore.revision != 0);
        QVERIFY(calmBefore.revision != beatBefore.revision);

        // Heartbeats go back and forth: the beating endpoint's row gets new revisions (its RTT, its
        // phi), the calm one's stays as it was, in content too.
        int moves = 0;
        quint64 lastRevision = beatBefore.revision;
        for (int i = 0; i < 12; ++i) {
            advanceBy(clock, milliseconds(250));
            const SnapshotPtr next = monitor.buildSnapshot();
            const EndpointSnapshot &c = *rowOf(next, u"calm"_qs);
            const EndpointSnapshot &b = *rowOf(next, u"beating"_qs);
            QCOMPARE(c.revision, calmBefore.revision);
            QVERIFY(sameShown(c, calmBefore));
            QCOMPARE(b.state, EndpointState::Up);
            if (b.revision != lastRevision) {
                QVERIFY(b.revision > lastRevision);
                ++moves;
                lastRevision = b.revision;
            }
        }
        QVERIFY2(moves >= 2, qPrintable(QString::number(moves))); // three heartbeats in 3 s

        // A stop is a change of the calm row: a new revision and the new state.
        monitor.stopEndpoint(u"calm"_qs);
        const SnapshotPtr stopped = monitor.buildSnapshot();
        const EndpointSnapshot &c = *rowOf(stopped, u"calm"_qs);
        QVERIFY(c.revision > calmBefore.revision);
        QCOMPARE(c.state, EndpointState::Disabled);
        QCOMPARE(c.cause, u"stopped"_qs);

        // An endpoint removed, one added: each row stays with its own endpoint.
        monitor.removeEndpoint(u"calm"_qs);
        monitor.addEndpoint(endpoint(u"late"_qs, server.port()));
        const SnapshotPtr edited = monitor.buildSnapshot();
        QCOMPARE(edited->endpoints.size(), 2);
        QCOMPARE(edited->endpoints.at(0).name, u"beating"_qs);
        QCOMPARE(edited->endpoints.at(0).state, EndpointState::Up);
        QCOMPARE(edited->endpoints.at(1).name, u"late"_qs);
        QVERIFY(edited->endpoints.at(1).revision > c.revision);
        monitor.shutdown();
    }

    void uptimeMovesWhileDownWithoutEvents()
    {
        PongServer server;
        QVERIFY(server.listen());
        EndpointConfig config = endpoint(u"dropped"_qs, server.port());
        config.reconnect.initial = seconds(60); // Waiting, with nothing happening, for a minute
        config.reconnect.max = seconds(60);
        config.reconnect.jitter = 0;

        ManualClock clock;
        Monitor monitor(on(clock));
        monitor.startAll({config});
        QVERIFY(advanceUntil(
            clock, [&] { return rowOf(monitor.buildSnapshot(), u"dropped"_qs)->state == EndpointState::Up; },
            kPatience));
        advanceBy(clock, seconds(2)); // up for a while: the uptime has something to fall from
        server.close();
        for (QTcpSocket *socket : server.sockets())
            socket->close(); // FIN: peer-closed
        QVERIFY(advanceUntil(
            clock,
            [&] { return rowOf(monitor.buildSnapshot(), u"dropped"_qs)->state == EndpointState::Waiting; },
            kPatience));

        const EndpointSnapshot before = *rowOf(monitor.buildSnapshot(), u"dropped"_qs);
        QCOMPARE(before.cause, u"peer-closed"_qs);
        QCOMPARE(before.stats.lastDropCause, u"peer-closed"_qs);
        advanceBy(clock, seconds(2));
        const EndpointSnapshot after = *rowOf(monitor.buildSnapshot(), u"dropped"_qs);
        // The session did nothing in those 2 s; its statistics moved, and so did the row.
        QCOMPARE(after.state, EndpointState::Waiting);
        QCOMPARE(after.detail, before.detail);
        QCOMPARE(after.since, before.since);
        QCOMPARE(after.stats.lastDropAt, before.stats.lastDropAt); // the same drop, the same wall time
        QVERIFY2(
            after.stats.uptimeSessionPercent < before.stats.uptimeSessionPercent,
            qPrintable(
                u"%1 -> %2"_qs.arg(before.stats.uptimeSessionPercent).arg(after.stats.uptimeSessionPercent)));
        QVERIFY(after.stats.uptimeSessionPercent < 100.0);
        QVERIFY(after.revision > before.revision);
        monitor.shutdown();
    }
};

QTEST_GUILESS_MAIN(TestSnapshotRows)
#include "tst_snapshotrows.moc"
