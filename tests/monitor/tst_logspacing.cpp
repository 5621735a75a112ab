// The event log spaces out an endpoint's RTT samples (Monitor::kLogSampleSpacingPerEndpoint per
// watched endpoint): a heartbeat RTT within the spacing of the last one logged is published but not
// written. An endpoint removed and added again starts afresh; an edited one keeps its spacing. A
// real Monitor and a real SQLite log, a real loopback peer, deadlines on a manual clock; the
// stopped endpoints only lengthen the spacing (to 6 s: 1,500 endpoints watched).

#include "clocksteps.h"
#include "enginetest.h"
#include "eventlog.h"
#include "manualclock.h"
#include "monitor.h"
#include "pongserver.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace kw;
using namespace kw::test;
using namespace std::chrono;

namespace {

constexpr int kWatched = 1500;

EndpointConfig beating(quint16 port)
{
    EndpointConfig config = endpoint(u"beat"_qs, port);
    HeartbeatConfig hb;
    hb.interval = milliseconds(1000);
    hb.send = "PING\n";
    hb.expect = "PONG";
    config.heartbeat = hb;
    return config;
}

bool isHeartbeatRtt(const Event &event)
{
    return event.endpoint == u"beat" && event.kind == EventKind::Rtt && event.source == u"heartbeat";
}

} // namespace

class TestLogSpacing : public QObject
{
    Q_OBJECT

private:
    // Heartbeat RTTs of "beat" in the log so far.
    qint64 loggedHeartbeats(const QString &dir)
    {
        QString error;
        const std::unique_ptr<EventLog> log = EventLog::open(dir, &error);
        if (!log) {
            qWarning() << error;
            return -1;
        }
        EventQuery query;
        query.endpoint = u"beat"_qs;
        query.kinds = {EventKind::Rtt};
        qint64 count = 0;
        log->forEach(
            query,
            [&count](const Event &event) {
                count += isHeartbeatRtt(event) ? 1 : 0;
                return true;
            },
            &error);
        return count;
    }

private Q_SLOTS:
    void anEndpointAddedAgainStartsAfresh()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        PongServer server;
        QVERIFY(server.listen());
        ManualClock clock;
        Monitor monitor(on(clock));
        QString error;
        QVERIFY2(monitor.openLog(dir.path(), &error), qPrintable(error));
        QList<EndpointConfig> configs;
        for (int i = 1; i < kWatched; ++i) {
            EndpointConfig stopped = endpoint(u"stopped%1"_qs.arg(i), server.port());
            stopped.enabled = false;
            configs.append(stopped);
        }
        configs.append(beating(server.port()));
        int published = 0;
        connect(&monitor, &Monitor::eventsReady, this, [&published](const QList<Event> &events) {
            published += int(std::count_if(events.cbegin(), events.cend(), isHeartbeatRtt));
        });
        monitor.startAll(configs);
        QVERIFY(advanceUntil(
            clock, [&] { return published >= 1; }, kPatience));

        // Two more heartbeats within the 6 s after the first: published, not written.
        QVERIFY(advanceUntil(
            clock, [&] { return published >= 3; }, seconds(3)));
        advanceBy(clock, milliseconds(300)); // a publish: the log written
        QCOMPARE(loggedHeartbeats(dir.path()), 1);

        // Edited (another heartbeat text): the same endpoint, its spacing kept.
        EndpointConfig edited = beating(server.port());
        edited.heartbeat->send = "PING again\n";
        monitor.updateEndpoint(u"beat"_qs, edited);
        const int beforeEdit = published;
        QVERIFY(advanceUntil(
            clock, [&] { return published > beforeEdit; }, seconds(4)));
        advanceBy(clock, milliseconds(300));
        QCOMPARE(loggedHeartbeats(dir.path()), 1);

        // Removed and added again at once: its first heartbeat is written, within 6 s of the last.
        monitor.removeEndpoint(u"beat"_qs);
        monitor.addEndpoint(beating(server.port()));
        const int beforeReadd = published;
        QVERIFY(advanceUntil(
            clock, [&] { return published > beforeReadd; }, seconds(4)));
        advanceBy(clock, milliseconds(300));
        QCOMPARE(loggedHeartbeats(dir.path()), 2);
        monitor.shutdown();
    }
};

QTEST_GUILESS_MAIN(TestLogSpacing)
#include "tst_logspacing.moc"
