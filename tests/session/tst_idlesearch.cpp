// Idle-timeout discovery: the search as pure logic against simulated paths on a manual clock (a path that
// forgets idle flows after a timeout, silently or with a RST or FIN), then the real prober on loopback
// sockets against a server that holds, resets or closes its connections.

#include "idleprober.h"
#include "idlesearch.h"
#include "manualclock.h"
#include "socketio.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <map>

using namespace kw;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

Q_DECLARE_METATYPE(kw::IdleProbeOutcome)

namespace {

constexpr milliseconds kAckWait = 1500ms;

// A middlebox that forgets a flow idle for `timeout` or longer. `death` is what the prober sees then:
// SilentDrop after its write and the acknowledgement wait, Reset at once on the write, Closed (a FIN) at
// the moment of expiry, during the gap.
struct FakePath
{
    milliseconds timeout = milliseconds::max();
    IdleProbeOutcome death = IdleProbeOutcome::SilentDrop;
    // Gaps that die once whatever their length (a lost write), to provoke a contradiction.
    std::vector<milliseconds> flukes{};
};

struct Simulation
{
    IdleSearchResult result;
    int maxRunning = 0;
    int reportsAfterCancel = 0;
};

// Runs the search to its end as discrete events on the manual clock: connects take no time, each probe
// ends when the path says it does.
Simulation simulate(test::ManualClock &clock, const IdleSearchOptions &options, FakePath path)
{
    IdleSearch search(clock, options);
    Simulation sim;
    std::map<int, std::pair<TimePoint, IdleProbeOutcome>> pending; // id -> when it ends, how
    const auto launch = [&] {
        for (const IdleSearch::Request &request : search.takeRequests()) {
            search.begun(request.id);
            const TimePoint now = clock.now();
            const auto fluke = std::find(path.flukes.begin(), path.flukes.end(), request.gap);
            if (fluke != path.flukes.end()) {
                path.flukes.erase(fluke);
                pending[request.id] = {now + request.gap + kAckWait, IdleProbeOutcome::SilentDrop};
            } else if (request.gap < path.timeout) {
                pending[request.id] = {now + request.gap, IdleProbeOutcome::Survived};
            } else if (path.death == IdleProbeOutcome::Closed) {
                pending[request.id] = {now + path.timeout, IdleProbeOutcome::Closed};
            } else if (path.death == IdleProbeOutcome::Reset) {
                pending[request.id] = {now + request.gap, IdleProbeOutcome::Reset};
            } else {
                pending[request.id] = {now + request.gap + kAckWait, IdleProbeOutcome::SilentDrop};
            }
        }
        sim.maxRunning = std::max(sim.maxRunning, search.running());
        for (const int id : search.takeCancels())
            pending.erase(id);
    };
    launch();
    while (!search.finished() && !pending.empty()) {
        const auto next = std::min_element(pending.begin(), pending.end(), [](const auto &a, const auto &b) {
            return a.second.first < b.second.first;
        });
        const int id = next->first;
        const auto [at, outcome] = next->second;
        pending.erase(next);
        clock.set(at);
        if (search.probe(id)->cancelled)
            ++sim.reportsAfterCancel;
        search.report(id, outcome);
        launch();
    }
    sim.result = search.result();
    return sim;
}

double secondsOf(Duration d)
{
    return std::chrono::duration<double>(d).count();
}

} // namespace

class TestIdleSearch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void findsTheTimeout_data()
    {
        QTest::addColumn<int>("timeoutMs");
        QTest::addColumn<IdleProbeOutcome>("death");
        QTest::addColumn<int>("maxS");
        QTest::addColumn<int>("parallel");
        QTest::addColumn<QString>("behaviour");
        // Each narrowing round costs about the timeout (a gap must be waited out in full), and each splits
        // the bracket into parallel + 1: a bound that a crawling search would break.
        QTest::addColumn<double>("maxElapsedS");

        const auto silent = IdleProbeOutcome::SilentDrop;
        QTest::newRow("lab conntrack 8 s") << 8000 << silent << 12 << 4 << u"silent-drop"_qs << 25.0;
        QTest::newRow("aws nlb 350 s") << 350000 << silent << 600 << 4 << u"silent-drop"_qs << 2100.0;
        QTest::newRow("azure 4 min, one at a time")
            << 240000 << silent << 600 << 1 << u"silent-drop"_qs << 3000.0;
        QTest::newRow("reset at 30 s")
            << 30000 << IdleProbeOutcome::Reset << 600 << 4 << u"reset"_qs << 150.0;
        QTest::newRow("fin at 7.3 s") << 7300 << IdleProbeOutcome::Closed << 60 << 4 << u"closed"_qs << 25.0;
        QTest::newRow("below the first gap") << 2200 << silent << 60 << 4 << u"silent-drop"_qs << 15.0;
        QTest::newRow("just below max") << 11500 << silent << 12 << 4 << u"silent-drop"_qs << 30.0;
    }

    void findsTheTimeout()
    {
        QFETCH(int, timeoutMs);
        QFETCH(IdleProbeOutcome, death);
        QFETCH(int, maxS);
        QFETCH(int, parallel);
        QFETCH(QString, behaviour);
        QFETCH(double, maxElapsedS);

        test::ManualClock clock;
        IdleSearchOptions options;
        options.max = std::chrono::seconds(maxS);
        options.parallel = parallel;
        const Simulation sim = simulate(clock, options, {milliseconds(timeoutMs), death});
        const IdleSearchResult &r = sim.result;
        QCOMPARE(idleBehaviourName(r.behaviour), behaviour);
        QVERIFY(r.shortestDied);
        // The timeout lies inside the bracket, and the bracket is as narrow as asked.
        QVERIFY2(r.longestSurvived < milliseconds(timeoutMs) && milliseconds(timeoutMs) <= *r.shortestDied,
                 qPrintable(
                     u"bracket (%1, %2] ms"_qs.arg(r.longestSurvived.count()).arg(r.shortestDied->count())));
        QVERIFY(*r.shortestDied - r.longestSurvived <= options.precision);
        QVERIFY(std::chrono::abs(*r.idleTimeout() - milliseconds(timeoutMs)) <= options.precision);
        QVERIFY(sim.maxRunning <= parallel);
        QCOMPARE(sim.reportsAfterCancel, 0);
        QVERIFY2(secondsOf(r.elapsed) <= maxElapsedS, qPrintable(u"took %1 s"_qs.arg(secondsOf(r.elapsed))));
        for (const IdleProbeRecord &p : r.probes)
            QVERIFY(p.gap <= options.max);
    }

    void noneFoundUpToMax()
    {
        test::ManualClock clock;
        IdleSearchOptions options;
        options.max = 12s;
        const Simulation sim = simulate(clock, options, {});
        QCOMPARE(sim.result.behaviour, IdleBehaviour::NoneFound);
        QCOMPARE(idleBehaviourName(sim.result.behaviour), u"none-found"_qs);
        QVERIFY(!sim.result.shortestDied);
        QVERIFY(!sim.result.idleTimeout());
        QCOMPARE(sim.result.longestSurvived, 12000ms);
        // Done the moment max survived: whatever else ran is cancelled, not waited for.
        QCOMPARE(sim.result.elapsed, Duration(12s));
        const auto survivedMax =
            std::count_if(sim.result.probes.begin(), sim.result.probes.end(), [](const auto &p) {
                return p.gap == 12s && p.outcome == IdleProbeOutcome::Survived;
            });
        QCOMPARE(survivedMax, 1);
    }

    void probesPastTheFirstDeathAreCancelled()
    {
        // Doubling from 5 s: 5, 10, 20, 40 start together; once 10 s died, 20 and 40 can tell nothing.
        test::ManualClock clock;
        IdleSearchOptions options;
        options.max = 600s;
        IdleSearch search(clock, options);
        std::vector<milliseconds> gaps;
        for (const auto &request : search.takeRequests()) {
            gaps.push_back(request.gap);
            search.begun(request.id);
        }
        QCOMPARE(gaps, (std::vector<milliseconds>{5s, 10s, 20s, 40s}));
        clock.advance(5s);
        search.report(1, IdleProbeOutcome::Survived, 2); // acknowledged after two retransmissions
        QCOMPARE(search.probe(1)->retransmits, 2);
        QCOMPARE(search.longestSurvived(), 5000ms);
        QVERIFY(search.takeCancels().empty());
        // The free connection splits the bracket while 10 s still runs: doubling goes on (80 s).
        const auto after5 = search.takeRequests();
        QCOMPARE(after5.size(), std::size_t(1));
        QCOMPARE(after5.front().gap, 80000ms);
        clock.advance(6500ms);
        search.report(2, IdleProbeOutcome::SilentDrop);
        QCOMPARE(search.shortestDied(), std::optional<milliseconds>(10s));
        QCOMPARE(search.longestSurvived(), 5000ms);
        const std::vector<int> cancels = search.takeCancels();
        QCOMPARE(cancels, (std::vector<int>{3, 4, after5.front().id}));
        // Now the free connections split (5, 10]: no gap outside it.
        for (const auto &request : search.takeRequests()) {
            QVERIFY(request.gap > 5s && request.gap < 10s);
        }
        QVERIFY(!search.finished());
    }

    void aCancelledProbeCannotContradictTheBracket()
    {
        // 10 s survives while the 5 s probe still waits for its acknowledgement (a lost write): its answer
        // is no longer needed, so it is cancelled, and a late "silent-drop" from it changes nothing.
        test::ManualClock clock;
        IdleSearchOptions options;
        options.max = 20s;
        IdleSearch search(clock, options);
        const auto requests = search.takeRequests();
        QCOMPARE(requests.size(), std::size_t(4)); // 5, 10, 20, and 15 splitting the widest part (10, 20]
        QCOMPARE(requests[3].gap, 15000ms);
        for (const auto &request : requests)
            search.begun(request.id);
        clock.advance(10s);
        search.report(requests[1].id, IdleProbeOutcome::Survived);
        QCOMPARE(search.longestSurvived(), 10000ms);
        const std::vector<int> cancels = search.takeCancels();
        QCOMPARE(cancels, (std::vector<int>{requests[0].id}));
        clock.advance(1500ms);
        search.report(requests[0].id, IdleProbeOutcome::SilentDrop);
        QVERIFY(!search.shortestDied());
        QCOMPARE(search.longestSurvived(), 10000ms);
        QVERIFY(!search.probe(requests[0].id)->outcome);
        QVERIFY(search.probe(requests[0].id)->cancelled);
    }

    void aPeerThatTalksRestartsTheGap()
    {
        test::ManualClock clock;
        IdleSearchOptions options;
        options.max = 20s;
        options.parallel = 1;
        IdleSearch search(clock, options);
        const auto requests = search.takeRequests();
        QCOMPARE(requests.size(), std::size_t(1));
        search.begun(requests[0].id);
        clock.advance(3s);
        search.restarted(requests[0].id); // the peer sent a line at 3 s
        clock.advance(2s);
        search.report(requests[0].id, IdleProbeOutcome::Reset); // a RST 2 s after it
        QCOMPARE(search.probe(requests[0].id)->idle, 2000ms);
        QCOMPARE(search.shortestDied(), std::optional<milliseconds>(2s));
    }

    void aFailedFirstConnectEndsTheSearch()
    {
        test::ManualClock clock;
        IdleSearch search(clock, IdleSearchOptions{});
        const auto requests = search.takeRequests();
        QCOMPARE(requests.size(), std::size_t(4));
        search.failed(requests[0].id, u"nothing listens on 192.0.2.1:7"_qs);
        QVERIFY(search.finished());
        QCOMPARE(search.result().error, u"nothing listens on 192.0.2.1:7"_qs);
        QCOMPARE(search.takeCancels().size(), std::size_t(3));
        QVERIFY(search.takeRequests().empty());
    }

    void aLaterFailedConnectIsRetried()
    {
        test::ManualClock clock;
        IdleSearchOptions options;
        options.max = 12s;
        IdleSearch search(clock, options);
        const auto first = search.takeRequests();
        QCOMPARE(first.size(), std::size_t(4)); // 5, 10, 12, and 2.5 splitting (0, 5]
        QCOMPARE(first[2].gap, 12000ms);
        QCOMPARE(first[3].gap, 2500ms);
        search.begun(first[0].id);
        search.failed(first[2].id, u"refused"_qs);
        QVERIFY(!search.finished());
        const auto again = search.takeRequests();
        QVERIFY(!again.empty());
        QCOMPARE(again.front().gap, 12000ms);
    }

    void optionsAreValidated()
    {
        IdleSearchOptions options;
        QVERIFY(validateIdleSearchOptions(options).isEmpty());
        options.max = 500ms;
        options.parallel = 0;
        const QStringList problems = validateIdleSearchOptions(options);
        QCOMPARE(problems.size(), 3); // max, precision above max, parallel
        QVERIFY2(problems.at(0).startsWith(u"--max 0.5 s is out of range"_qs), qPrintable(problems.at(0)));
        QVERIFY2(problems.at(2).contains(u"--parallel 0"_qs), qPrintable(problems.at(2)));
    }

    void recommendationsStayBelowWhatSurvived_data()
    {
        QTest::addColumn<int>("survivedMs");
        QTest::addColumn<int>("idle");
        QTest::addColumn<int>("interval");
        QTest::addColumn<int>("heartbeat");
        QTest::newRow("lab 7.5 s") << 7500 << 5 << 1 << 5;
        QTest::newRow("aws nlb 350 s") << 350000 << 233 << 58 << 233;
        QTest::newRow("tiny 1 s") << 1000 << 1 << 1 << 1;
    }

    void recommendationsStayBelowWhatSurvived()
    {
        QFETCH(int, survivedMs);
        QFETCH(int, idle);
        QFETCH(int, interval);
        QFETCH(int, heartbeat);
        IdleSearchResult result;
        result.longestSurvived = milliseconds(survivedMs);
        result.shortestDied = milliseconds(survivedMs + 500);
        const IdleRecommendation r = recommendForIdle(result);
        QCOMPARE(r.keepaliveIdle.count(), idle);
        QCOMPARE(r.keepaliveInterval.count(), interval);
        QCOMPARE(r.keepaliveCount, 3);
        QCOMPARE(r.heartbeatInterval.count(), heartbeat);
        QCOMPARE(r.basedOn, milliseconds(survivedMs));
    }

    // The real prober, on loopback: no middlebox, so the server's own behaviour is the "path".
    void proberAgainstAServer_data()
    {
        QTest::addColumn<QString>("server"); // hold, reset, close
        QTest::addColumn<QString>("behaviour");
        QTest::newRow("holds") << u"hold"_qs << u"none-found"_qs;
        QTest::newRow("resets after 600 ms") << u"reset"_qs << u"reset"_qs;
        QTest::newRow("closes after 600 ms") << u"close"_qs << u"closed"_qs;
    }

    void proberAgainstAServer()
    {
        QFETCH(QString, server);
        QFETCH(QString, behaviour);
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
        QByteArray received;
        int accepted = 0;
        connect(&listener, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *s = listener.nextPendingConnection()) {
                ++accepted;
                connect(s, &QTcpSocket::readyRead, s, [&received, s] { received += s->readAll(); });
                if (server == u"hold")
                    continue;
                // A server-side idle timeout: 600 ms without a byte from the client, restarted by each one.
                auto *idle = new QTimer(s);
                idle->setSingleShot(true);
                connect(idle, &QTimer::timeout, s, [s, reset = server == u"reset"] {
                    if (reset)
                        net::setResetOnClose(net::NativeSocket(s->socketDescriptor()));
                    s->close();
                });
                connect(s, &QTcpSocket::readyRead, idle, [idle] { idle->start(600); });
                idle->start(600);
            }
        });

        SteadyClock clock;
        IdleSearchOptions options;
        options.max = 1500ms;
        options.firstGap = 300ms;
        options.precision = 200ms;
        IdleProber prober(clock, QHostAddress::LocalHost, listener.serverPort(), options);
        QSignalSpy finished(&prober, &IdleProber::finished);
        QSignalSpy ended(&prober, &IdleProber::probeEnded);
        prober.start();
        QVERIFY(finished.wait(30000));
        const IdleSearchResult r = prober.search().result();
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(idleBehaviourName(r.behaviour), behaviour);
        QVERIFY(accepted >= 1);
        QVERIFY(ended.size() >= 1);
        if (server == u"hold") {
            QCOMPARE(r.longestSurvived, 1500ms);
            // Every survival was a write the server got, an empty line each (a probe cancelled at the end
            // may have written too).
            const auto survived = std::count_if(r.probes.begin(), r.probes.end(), [](const auto &p) {
                return p.outcome == IdleProbeOutcome::Survived;
            });
            QVERIFY(survived >= 1);
            QCOMPARE(received.count("\r\n") * 2, received.size());
            QVERIFY2(received.count("\r\n") >= survived &&
                         received.count("\r\n") <= qsizetype(r.probes.size()),
                     received.constData());
        } else {
            // The server ends a connection after 600 ms without a byte: the bracket closes around that.
            QVERIFY(r.shortestDied);
            QVERIFY2(*r.shortestDied <= 1000ms && *r.shortestDied >= 400ms,
                     qPrintable(u"died after %1 ms idle"_qs.arg(r.shortestDied->count())));
            QVERIFY(*r.shortestDied - r.longestSurvived <= options.precision);
        }
    }

    void proberNamesARefusedPort()
    {
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
        const quint16 port = listener.serverPort();
        listener.close(); // nothing listens there any more
        SteadyClock clock;
        IdleProber prober(clock, QHostAddress::LocalHost, port, IdleSearchOptions{});
        QSignalSpy finished(&prober, &IdleProber::finished);
        prober.start();
        QVERIFY(finished.wait(10000));
        const QString error = prober.search().result().error;
        QVERIFY2(error.startsWith(u"nothing listens on 127.0.0.1:"_qs + QString::number(port)),
                 qPrintable(error));
        QVERIFY2(error.contains(u"ECONNREFUSED"_qs), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestIdleSearch)
#include "tst_idlesearch.moc"
