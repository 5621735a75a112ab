// The first connects of a workspace, spread per destination host, against a real
// server: endpoints on one host reach it as the burst then the rate, endpoints on
// distinct hosts (127.0.0.0/8 all answers on loopback) start at once. The engine's
// deadlines run on a manual clock held still, so "at once" and "later" are exact.

#include "clocksteps.h"
#include "engine.h"
#include "enginetest.h"
#include "manualclock.h"
#include "monitor.h"
#include "pongserver.h"
#include "workspace.h"

#include <QHash>
#include <QSet>
#include <QTcpSocket>
#include <QTest>

#include <algorithm>

using namespace kw;
using namespace kw::test;
using namespace std::chrono;

namespace {

constexpr int kSameHost = 300;
constexpr int kDistinctHosts = 300;
constexpr SpreaderParams kSpread = Monitor::kFirstConnectSpreadPerHost;

// 127.0.1.2, 127.0.1.3, ... 127.0.2.1, ...: one host each, none of them 127.0.0.1.
QString distinctHost(int i)
{
    return u"127.0.%1.%2"_qs.arg(1 + i / 250).arg(2 + i % 250);
}

// How many accepted connections came to 127.0.0.1, and to any other address.
struct Accepted
{
    int sameHost = 0;
    int distinctHosts = 0;
};

Accepted accepted(const PongServer &server)
{
    Accepted counts;
    for (const QTcpSocket *socket : server.sockets()) {
        if (socket->localAddress() == QHostAddress(QHostAddress::LocalHost))
            ++counts.sameHost;
        else
            ++counts.distinctHosts;
    }
    return counts;
}

} // namespace

class TestStartSpread : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstConnectsAreSpreadPerHost()
    {
        PongServer server;
        // Room for every connect at once: a SYN a full backlog drops is retried a second of
        // real time later, which would blur what the spreader let out.
        server.server().setMaxPendingConnections(kSameHost + kDistinctHosts);
        server.server().setListenBacklogSize(kSameHost + kDistinctHosts);
        QVERIFY2(server.listen(QHostAddress(QHostAddress::AnyIPv4), 0), qPrintable(server.errorString()));

        Workspace workspace;
        for (int i = 0; i < kSameHost; ++i) {
            // Interleaved, as a workspace lists them: the queue of one host holds up no other.
            workspace.endpoints.append(endpoint(u"same-%1"_qs.arg(i), server.port()));
            EndpointConfig other = endpoint(u"other-%1"_qs.arg(i), server.port());
            other.host = distinctHost(i);
            workspace.endpoints.append(other);
        }

        ManualClock clock;
        QList<Event> streamed; // before the engine: its shutdown still publishes
        Engine engine(EngineOptions{}, on(clock));
        connect(&engine, &Engine::eventsReady, this, [&](const QList<Event> &batch) { streamed += batch; });
        QString error;
        QVERIFY2(engine.start(workspace, &error), qPrintable(error));

        // The clock has not moved: all distinct hosts and the burst of the shared one connect...
        const int burst = kSpread.burst;
        QTRY_COMPARE_WITH_TIMEOUT(accepted(server).distinctHosts, kDistinctHosts, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(accepted(server).sameHost, burst, 20000);
        // ...and no more, however long the sockets are given in real time.
        QTest::qWait(300);
        QCOMPARE(accepted(server).sameHost, burst);
        QCOMPARE(accepted(server).distinctHosts, kDistinctHosts);

        // The start published the rest as queued: Connecting with the wait, one slot of the
        // per-host rate after another (2 ms at 500/s), and nothing queued on distinct hosts.
        QTRY_VERIFY_WITH_TIMEOUT(!streamed.isEmpty(), 20000);
        QList<qint64> waits;
        QSet<QString> queued;
        for (const Event &event : std::as_const(streamed)) {
            if (event.kind != EventKind::State || event.state != EndpointState::Connecting ||
                !event.data.contains(u"next_attempt_ms"))
                continue;
            QVERIFY2(event.endpoint.startsWith(u"same-"), qPrintable(event.endpoint));
            QVERIFY2(event.detail.contains(u"127.0.0.1"), qPrintable(event.detail));
            waits.append(event.data.value(u"next_attempt_ms").toInteger());
            queued.insert(event.endpoint);
        }
        QCOMPARE(waits.size(), kSameHost - burst);
        QCOMPARE(queued.size(), kSameHost - burst);
        const auto slot = duration_cast<milliseconds>(duration<double>(1.0 / kSpread.ratePerSecond));
        for (qsizetype i = 0; i < waits.size(); ++i)
            QCOMPARE(waits.at(i), (slot * (i + 1)).count());
        // The first `burst` endpoints of the host in workspace order went at once.
        for (int i = 0; i < kSameHost; ++i)
            QCOMPARE(queued.contains(u"same-%1"_qs.arg(i)), i >= burst);

        // As the clock moves, the rest follow at the rate, never ahead of it (deadlines never
        // run early; accepting lags behind connecting, which only lowers the count)...
        const TimePoint start = clock.now();
        int mostAhead = 0; // connects beyond what the rate allows by the clock's time
        const bool all = advanceUntil(
            clock,
            [&] {
                const int allowed = burst + int((clock.now() - start) / slot);
                const int same = accepted(server).sameHost;
                mostAhead = std::max(mostAhead, same - allowed);
                return same == kSameHost;
            },
            seconds(5));
        QCOMPARE(mostAhead, 0);
        // ...and all of them get through.
        QVERIFY2(all, qPrintable(QString::number(accepted(server).sameHost)));
        QCOMPARE(accepted(server).distinctHosts, kDistinctHosts);

        // Waiting for a slot and the connect itself are not down time: every endpoint, the last
        // one queued 400 ms included, shows 100 % once up, in the snapshot the window and
        // /metrics read.
        const auto allUp = [&] {
            const SnapshotPtr snapshot = engine.latestSnapshot();
            return snapshot &&
                   std::all_of(snapshot->endpoints.begin(), snapshot->endpoints.end(),
                               [](const EndpointSnapshot &e) { return e.state == EndpointState::Up; });
        };
        QVERIFY(advanceUntil(clock, allUp, kPatience));
        advanceBy(clock, seconds(2));
        const SnapshotPtr snapshot = engine.latestSnapshot();
        QCOMPARE(snapshot->endpoints.size(), kSameHost + kDistinctHosts);
        for (const EndpointSnapshot &e : snapshot->endpoints) {
            QVERIFY2(e.state == EndpointState::Up, qPrintable(e.name));
            QVERIFY2(!e.stats.uptimePending, qPrintable(e.name));
            QVERIFY2(e.stats.uptimeSessionPercent == 100.0,
                     qPrintable(e.name + u" "_qs + QString::number(e.stats.uptimeSessionPercent, 'g', 17)));
            QCOMPARE(e.stats.uptime1hPercent, 100.0);
            QCOMPARE(e.stats.reconnects, 0);
        }
        engine.shutdown();
    }

    // The workspace's "connect_spread" replaces the defaults: 10 at once to one host, then 250 a
    // second (4 ms apart).
    void configuredFirstConnectRateIsUsed()
    {
        constexpr int kEndpoints = 40;
        constexpr int kBurst = 10;
        PongServer server;
        server.server().setMaxPendingConnections(kEndpoints);
        server.server().setListenBacklogSize(kEndpoints);
        QVERIFY2(server.listen(QHostAddress::LocalHost, 0), qPrintable(server.errorString()));

        const WorkspaceResult parsed = parseWorkspace(
            R"({"version": 1, "endpoints": [],
                "connect_spread": {"first_connect_burst": 10, "first_connect_per_second": 250}})",
            u"ws.json"_qs);
        QVERIFY2(parsed.ok(), qPrintable(parsed.errors.join(u"\n"_qs)));
        Workspace workspace = *parsed.workspace;
        for (int i = 0; i < kEndpoints; ++i)
            workspace.endpoints.append(endpoint(u"same-%1"_qs.arg(i), server.port()));

        ManualClock clock;
        QList<Event> streamed;
        Engine engine(EngineOptions{}, on(clock));
        connect(&engine, &Engine::eventsReady, this, [&](const QList<Event> &batch) { streamed += batch; });
        QString error;
        QVERIFY2(engine.start(workspace, &error), qPrintable(error));

        QTRY_COMPARE_WITH_TIMEOUT(accepted(server).sameHost, kBurst, 20000);
        QTest::qWait(300);
        QCOMPARE(accepted(server).sameHost, kBurst); // not the default burst of 100

        QTRY_VERIFY_WITH_TIMEOUT(!streamed.isEmpty(), 20000);
        QList<qint64> waits;
        for (const Event &event : std::as_const(streamed)) {
            if (event.kind == EventKind::State && event.state == EndpointState::Connecting &&
                event.data.contains(u"next_attempt_ms"))
                waits.append(event.data.value(u"next_attempt_ms").toInteger());
        }
        QCOMPARE(waits.size(), kEndpoints - kBurst);
        for (qsizetype i = 0; i < waits.size(); ++i)
            QCOMPARE(waits.at(i), 4 * (i + 1)); // not 2 ms apart, the default rate's slot

        QVERIFY(advanceUntil(
            clock, [&] { return accepted(server).sameHost == kEndpoints; }, seconds(5)));
        engine.shutdown();
    }
};

QTEST_GUILESS_MAIN(TestStartSpread)
#include "tst_startspread.moc"
