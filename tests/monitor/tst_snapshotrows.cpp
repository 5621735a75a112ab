// The rows of the Monitor's snapshots: a row whose session and statistics did not move is the last
// snapshot's (same revision, same content, not even copied), one that moved gets a new revision,
// and what moves with time alone (uptime while down) still moves. The two row lists the Monitor
// builds in turn: every snapshot shows the current rows whatever changed in the one before, and a
// snapshot a reader holds stays as it was. A real Monitor on this thread, real loopback peers,
// deadlines on a manual clock.

#include "clocksteps.h"
#include "enginetest.h"
#include "manualclock.h"
#include "monitor.h"
#include "pongserver.h"

#include <QRandomGenerator>
#include <QSet>
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

QString targetOf(quint16 port)
{
    return u"127.0.0.1:%1"_qs.arg(port);
}

// A snapshot a reader holds, with a copy of its rows made when it was built (its own elements, not
// the Monitor's list).
struct HeldSnapshot
{
    explicit HeldSnapshot(SnapshotPtr held)
        : snapshot(std::move(held)), rows(snapshot->endpoints.cbegin(), snapshot->endpoints.cend())
    {}
    SnapshotPtr snapshot;
    QList<EndpointSnapshot> rows;

    bool unchanged() const
    {
        if (snapshot->endpoints.size() != rows.size())
            return false;
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const EndpointSnapshot &now = snapshot->endpoints.at(i);
            if (now.revision != rows.at(i).revision || now.target != rows.at(i).target ||
                !sameShown(now, rows.at(i)))
                return false;
        }
        return true;
    }
};

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

    // A row that changed in the last snapshot is in the next one too, built in the other list: the
    // list from two snapshots ago, written in place once no reader holds it, copied when one does.
    void theOtherListCatchesUpWithTheShownOne()
    {
        PongServer server;
        QVERIFY(server.listen());
        ManualClock clock;
        Monitor monitor(on(clock));
        monitor.startAll({endpoint(u"x"_qs, server.port()), endpoint(u"y"_qs, server.port()),
                          endpoint(u"z"_qs, server.port())});
        QVERIFY(advanceUntil(
            clock,
            [&] {
                const SnapshotPtr s = monitor.buildSnapshot();
                return std::all_of(s->endpoints.cbegin(), s->endpoints.cend(),
                                   [](const EndpointSnapshot &e) { return e.state == EndpointState::Up; });
            },
            kPatience));
        advanceBy(clock, milliseconds(1500)); // past the first TCP_INFO samples
        monitor.buildSnapshot();

        monitor.stopEndpoint(u"x"_qs);
        SnapshotPtr a = monitor.buildSnapshot();
        const EndpointSnapshot *aData = a->endpoints.constData();
        QCOMPARE(rowOf(a, u"x"_qs)->state, EndpointState::Disabled);
        a.reset(); // the Monitor alone holds that list now
        monitor.stopEndpoint(u"y"_qs);
        const SnapshotPtr b = monitor.buildSnapshot();
        const HeldSnapshot heldB(b);
        QVERIFY(b->endpoints.constData() != aData);
        QCOMPARE(rowOf(b, u"x"_qs)->state, EndpointState::Disabled);
        QCOMPARE(rowOf(b, u"y"_qs)->state, EndpointState::Disabled);

        // Only z changes: x and y, changed since the list was last built, are brought into it.
        monitor.stopEndpoint(u"z"_qs);
        const SnapshotPtr c = monitor.buildSnapshot();
        QCOMPARE(c->endpoints.constData(), aData); // written in place, not copied
        for (const QString &name : {u"x"_qs, u"y"_qs, u"z"_qs}) {
            QCOMPARE(rowOf(c, name)->state, EndpointState::Disabled);
            QCOMPARE(rowOf(c, name)->cause, u"stopped"_qs);
        }
        QCOMPARE(rowOf(c, u"x"_qs)->revision, rowOf(b, u"x"_qs)->revision);
        QCOMPARE(rowOf(c, u"y"_qs)->revision, rowOf(b, u"y"_qs)->revision);
        QVERIFY(heldB.unchanged());

        // b is still held when the snapshot after c is built in its list: that one is a copy, and b
        // stays as it was.
        monitor.startEndpoint(u"x"_qs);
        const SnapshotPtr d = monitor.buildSnapshot();
        QVERIFY(d->endpoints.constData() != b->endpoints.constData());
        QVERIFY(d->endpoints.constData() != c->endpoints.constData());
        QVERIFY(rowOf(d, u"x"_qs)->state != EndpointState::Disabled);
        QCOMPARE(rowOf(d, u"y"_qs)->state, EndpointState::Disabled);
        QCOMPARE(rowOf(d, u"z"_qs)->state, EndpointState::Disabled);
        QVERIFY(heldB.unchanged());
        QCOMPARE(rowOf(c, u"x"_qs)->state, EndpointState::Disabled);
        monitor.shutdown();
    }

    // Stops, starts, adds, removes and edits (a replaced session, another target) in a fixed
    // pseudo-random order, with time passing, some snapshots held and some let go: each snapshot
    // shows every endpoint in order with its current state and target, and the held ones never move.
    void everySnapshotShowsTheCurrentRows()
    {
        PongServer server;
        PongServer other;
        QVERIFY(server.listen());
        QVERIFY(other.listen());
        ManualClock clock;
        Monitor monitor(on(clock));
        QStringList names;
        QHash<QString, quint16> ports;
        QList<EndpointConfig> configs;
        for (int i = 0; i < 8; ++i) {
            names.append(u"e%1"_qs.arg(i));
            ports.insert(names.last(), server.port());
            configs.append(endpoint(names.last(), server.port()));
        }
        monitor.startAll(configs);
        QSet<QString> stopped;
        QRandomGenerator random(20261202);
        std::vector<HeldSnapshot> held;
        SnapshotPtr previous = monitor.buildSnapshot();
        int added = 0;
        for (int step = 0; step < 150; ++step) {
            const QString name = names.at(random.bounded(qsizetype(names.size())));
            switch (random.bounded(8)) {
            case 0:
            case 1:
                if (stopped.remove(name)) {
                    monitor.startEndpoint(name);
                } else {
                    monitor.stopEndpoint(name);
                    stopped.insert(name);
                }
                break;
            case 2:
                if (names.size() > 3) {
                    monitor.removeEndpoint(name);
                    names.removeOne(name);
                    stopped.remove(name);
                    ports.remove(name);
                }
                break;
            case 3: {
                const QString late = u"late%1"_qs.arg(++added);
                monitor.addEndpoint(endpoint(late, server.port()));
                names.append(late);
                ports.insert(late, server.port());
                break;
            }
            case 4: {
                const quint16 port = ports.value(name) == server.port() ? other.port() : server.port();
                monitor.updateEndpoint(name, endpoint(name, port)); // restarted on the new target
                ports.insert(name, port);
                stopped.remove(name);
                break;
            }
            default:
                break; // time alone
            }
            advanceBy(clock, milliseconds(random.bounded(1, 200)));
            const SnapshotPtr snapshot = monitor.buildSnapshot();

            QCOMPARE(snapshot->endpoints.size(), names.size());
            QSet<quint64> revisions;
            for (qsizetype i = 0; i < names.size(); ++i) {
                const EndpointSnapshot &row = snapshot->endpoints.at(i);
                QCOMPARE(row.name, names.at(i));
                QCOMPARE(row.target, targetOf(ports.value(row.name)));
                QVERIFY2((row.state == EndpointState::Disabled) == stopped.contains(row.name),
                         qPrintable(u"step %1: %2 %3"_qs.arg(step).arg(row.name, row.detail)));
                QVERIFY(row.revision != 0);
                revisions.insert(row.revision);
                // The same revision as the last snapshot's row: the same row.
                const EndpointSnapshot *before = rowOf(previous, row.name);
                if (before && before->revision == row.revision)
                    QVERIFY(sameShown(row, *before) && row.target == before->target);
            }
            QCOMPARE(revisions.size(), names.size()); // one counter: no two rows share a revision

            if (random.bounded(3) == 0)
                held.emplace_back(snapshot);
            if (!held.empty() && random.bounded(4) == 0)
                held.erase(held.begin() + random.bounded(qsizetype(held.size())));
            for (const HeldSnapshot &h : held)
                QVERIFY2(h.unchanged(), qPrintable(u"step %1"_qs.arg(step)));
            previous = snapshot;
        }
        monitor.shutdown();
    }
};

QTEST_GUILESS_MAIN(TestSnapshotRows)
#include "tst_snapshotrows.moc"
