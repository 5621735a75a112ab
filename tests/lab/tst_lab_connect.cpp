// Connections that never come up: a closed port (RST to the SYN), a firewall that swallows SYNs, and a
// name that cannot be resolved. Each needs its own cause, and the retries must follow the backoff.

#include "keepwatchrun.h"
#include "labmeasurement.h"
#include "labtopology.h"
#include "prerequisite.h"

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;
using namespace kw::lab;

class TestLabConnect : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        const QString reason = LabTopology::unavailableReason();
        if (!reason.isEmpty())
            KW_SKIP_OR_FAIL_UNDER_CI(reason.toUtf8());
    }

    // gRPC connection backoff: delay n = min(initial x 1.6^n, max) x (1 ± jitter).
    void refusedPortBacksOff()
    {
        LabTopology lab(u"refused"_s);
        QString error;
        QVERIFY2(lab.create(Layout::Direct, &error), qPrintable(error));
        constexpr double kInitialMs = 200;
        constexpr double kMaxMs = 2000;
        constexpr double kMultiplier = 1.6;
        constexpr double kJitter = 0.2;
        constexpr int kDelays = 8;
        KeepwatchRun keepwatch;
        const QString endpoint = uR"({"name":"svc","kind":"tcp","host":"%1","port":7001,
            "reconnect":{"initial_ms":200,"max_ms":2000,"multiplier":1.6,"jitter":0.2}})"_s.arg(
            lab.peerAddress());
        QVERIFY2(keepwatch.start(lab, workspaceJson({endpoint}), &error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.countStates(u"svc"_s, kw::EndpointState::Waiting) >= kDelays + 1,
                                  qPrintable(keepwatch.transcript()), 30000);

        const QList<LabEvent> states = keepwatch.states(u"svc"_s);
        QList<double> delays;
        QStringList delayText;
        for (qsizetype i = 0; i < states.size(); ++i) {
            const LabEvent &state = states.at(i);
            if (state.state == kw::EndpointState::Down) {
                QVERIFY2(state.cause == kw::Cause(kw::CauseCode::Refused),
                         qPrintable(keepwatch.transcript()));
                // A refusal is the peer's own RST to the SYN: it comes back within a round trip.
                QVERIFY(i > 0 && states.at(i - 1).state == kw::EndpointState::Connecting);
                QVERIFY2(states.at(i - 1).ts.msecsTo(state.ts) < 200, qPrintable(keepwatch.transcript()));
            }
            if (state.state == kw::EndpointState::Waiting) {
                const double delay = state.json.value(u"next_attempt_ms").toDouble(-1);
                delays.append(delay);
                delayText.append(QString::number(delay));
                // The attempt starts when announced (the engine's deadline scheduler, not a drifting timer).
                if (i + 1 < states.size()) {
                    const qint64 actual = state.ts.msecsTo(states.at(i + 1).ts);
                    QVERIFY2(std::abs(actual - delay) <= 100,
                             qPrintable(u"announced %1 ms, waited %2 ms"_s.arg(delay).arg(actual)));
                }
            }
        }
        reportFields(u"refused-backoff"_s, {{u"delays_ms"_s, delayText.join(u',')}});
        for (int n = 0; n < kDelays; ++n) {
            const double base = std::min(kInitialMs * std::pow(kMultiplier, n), kMaxMs);
            const double delay = delays.at(n);
            // One millisecond either way for rounding to whole milliseconds.
            QVERIFY2(delay >= base * (1 - kJitter) - 1 && delay <= base * (1 + kJitter) + 1,
                     qPrintable(u"delay %1 is %2 ms, expected %3 ms ± %4 %%; all: %5"_s.arg(n)
                                    .arg(delay)
                                    .arg(base)
                                    .arg(kJitter * 100)
                                    .arg(delayText.join(u", "))));
        }
        // Growth, not just a band: the capped delays are on average well above the first ones.
        QVERIFY(delays.at(kDelays - 1) > 4 * delays.at(0));
    }

    void blackholedSynIsConnectTimeout()
    {
        LabTopology lab(u"syn"_s);
        QString error;
        QVERIFY2(lab.create(Layout::Direct, &error), qPrintable(error));
        LabProcess peer;
        QVERIFY2(peer.startPeer(lab, 7000, {}, &error), qPrintable(error));
        QVERIFY2(lab.inject(Fault::DropSyn, 7000, &error).isValid(), qPrintable(error));

        KeepwatchRun keepwatch;
        const QString endpoint = uR"({"name":"svc","kind":"tcp","host":"%1","port":7000,
            "reconnect":{"initial_ms":200,"max_ms":1000,"min_connect_timeout_ms":2000}})"_s.arg(
            lab.peerAddress());
        QVERIFY2(keepwatch.start(lab, workspaceJson({endpoint}), &error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.firstState(u"svc"_s, kw::EndpointState::Down),
                                  qPrintable(keepwatch.transcript()), 10000);
        const LabEvent connecting = *keepwatch.firstState(u"svc"_s, kw::EndpointState::Connecting);
        const LabEvent down = *keepwatch.firstState(u"svc"_s, kw::EndpointState::Down);
        const qint64 detection = millisecondsBetween(connecting.ts, down.ts);
        reportMeasurement(u"syn-blackhole"_s, detection, 2000, down.causeName());
        QVERIFY2(down.cause == kw::Cause(kw::CauseCode::ConnectTimeout), qPrintable(keepwatch.transcript()));
        QVERIFY2(
            detection >= 1950 && detection <= 2500,
            qPrintable(u"gave up after %1 ms, expected 2000 ms (min_connect_timeout_ms)\n"_s.arg(detection) +
                       keepwatch.transcript()));
        QVERIFY(!peer.hasLineStartingWith("accepted"));

        // The path heals: the next attempt connects.
        QVERIFY2(lab.clearFaults(&error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.firstState(u"svc"_s, kw::EndpointState::Up),
                                  qPrintable(keepwatch.transcript()), 10000);
    }

    void unresolvableNameIsDns()
    {
        LabTopology lab(u"dns"_s);
        QString error;
        QVERIFY2(lab.create(Layout::Direct, &error), qPrintable(error));
        // The resolver address is inside the monitor namespace, where nothing listens on port 53: the
        // lookup fails at once and no query ever leaves the namespace.
        QVERIFY2(lab.setMonitorResolver(u"127.0.0.1"_s, &error), qPrintable(error));

        KeepwatchRun keepwatch;
        // .invalid can never resolve (RFC 6761 §6.4), whatever resolver answers.
        const QString endpoint = uR"({"name":"svc","kind":"tcp","host":"kwlab-missing.invalid","port":7000,
            "reconnect":{"initial_ms":500}})"_s;
        QVERIFY2(keepwatch.start(lab, workspaceJson({endpoint}), &error), qPrintable(error));
        QTRY_VERIFY2_WITH_TIMEOUT(keepwatch.firstState(u"svc"_s, kw::EndpointState::Down),
                                  qPrintable(keepwatch.transcript()), 15000);
        const LabEvent connecting = *keepwatch.firstState(u"svc"_s, kw::EndpointState::Connecting);
        const LabEvent down = *keepwatch.firstState(u"svc"_s, kw::EndpointState::Down);
        const qint64 detection = millisecondsBetween(connecting.ts, down.ts);
        reportMeasurement(u"dns-failure"_s, detection, 1000, down.causeName());
        QVERIFY2(down.cause == kw::Cause(kw::CauseCode::Dns), qPrintable(keepwatch.transcript()));
        QVERIFY2(down.detail.contains(u"kwlab-missing.invalid"), qPrintable(down.detail));
        QVERIFY2(detection <= 3000,
                 qPrintable(u"lookup failed after %1 ms\n"_s.arg(detection) + keepwatch.transcript()));
    }
};

QTEST_GUILESS_MAIN(TestLabConnect)
#include "tst_lab_connect.moc"
