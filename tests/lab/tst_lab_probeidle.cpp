// `keepwatch probe-idle` against paths whose idle timeout the test chooses: a NAT router whose connection
// tracking forgets flows idle for 8 s (strict conntrack: a packet of a forgotten flow is dropped, or, in
// the second case, answered with a RST), and a direct path with no middlebox at all.

#include "keepwatchrun.h"
#include "labmeasurement.h"
#include "labtopology.h"
#include "prerequisite.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace kw::lab;
using namespace std::chrono_literals;

namespace {

constexpr auto kConntrackTimeout = 8s;
constexpr quint16 kPort = 7000;
constexpr int kRunTimeoutMs = 60000;

struct ProbeRun
{
    CommandResult command;
    QJsonObject json; // the last line of stdout
    QString transcript() const
    {
        return QString::fromUtf8("exit " + QByteArray::number(command.exitCode) + "\nstdout:\n" +
                                 command.out + "\nstderr:\n" + command.err);
    }
};

ProbeRun probeIdle(const LabTopology &lab, const QStringList &arguments)
{
    ProbeRun run;
    run.command = lab.runIn(lab.monitorNamespace(), keepwatchBinary(),
                            QStringList{u"probe-idle"_s} + arguments, kRunTimeoutMs);
    const QList<QByteArray> lines = run.command.out.trimmed().split('\n');
    if (!lines.isEmpty())
        run.json = QJsonDocument::fromJson(lines.last()).object();
    return run;
}

} // namespace

class TestLabProbeIdle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        const QString reason = LabTopology::unavailableReason();
        if (!reason.isEmpty())
            KW_SKIP_OR_FAIL_UNDER_CI(reason.toUtf8());
    }

    void natForgetsIdleFlows_data()
    {
        QTest::addColumn<bool>("resets");
        QTest::addColumn<QString>("behaviour");
        QTest::newRow("silently") << false << u"silent-drop"_s;
        QTest::newRow("with a reset") << true << u"reset"_s;
    }

    void natForgetsIdleFlows()
    {
        QFETCH(bool, resets);
        QFETCH(QString, behaviour);
        LabTopology lab(u"probe"_s);
        QString error;
        QVERIFY2(lab.create(Layout::Routed, &error), qPrintable(error));
        QVERIFY2(lab.configureRouter(kConntrackTimeout, &error), qPrintable(error));
        if (resets) {
            // Strict conntrack (nf_conntrack_tcp_loose=0) makes a packet of a forgotten flow "invalid":
            // answer it with a RST instead of the policy's drop, as some firewalls do.
            QVERIFY2(
                lab.nft(
                    lab.routerNamespace(),
                    u"add rule ip kwlabnat forward ct state invalid meta l4proto tcp reject with tcp reset\n"_s,
                    &error),
                qPrintable(error));
        }
        LabProcess peer;
        QVERIFY2(peer.startPeer(lab, kPort, {}, &error), qPrintable(error));

        const ProbeRun run =
            probeIdle(lab, {u"%1:%2"_s.arg(lab.peerAddress()).arg(kPort), u"--max"_s, u"12"_s, u"--json"_s});
        QVERIFY2(run.command.ok, qPrintable(run.transcript()));
        QCOMPARE(run.json.value(u"behaviour").toString(), behaviour);
        const double found = run.json.value(u"idle_timeout_s").toDouble(-1);
        reportMeasurement(u"probe-idle-nat-"_s + behaviour, std::llround(found * 1000),
                          std::chrono::milliseconds(kConntrackTimeout).count(), behaviour);
        QVERIFY2(std::abs(found - 8.0) <= 1.5, qPrintable(u"found %1 s\n"_s.arg(found) + run.transcript()));
        // The bracket holds the router's timeout and is as narrow as the default precision.
        const QJsonArray bracket = run.json.value(u"bracket_s").toArray();
        QCOMPARE(bracket.size(), 2);
        QVERIFY2(bracket.at(0).toDouble() < 8.5 && bracket.at(1).toDouble() > 7.5,
                 qPrintable(run.transcript()));
        QVERIFY2(bracket.at(1).toDouble() - bracket.at(0).toDouble() <= 1.0, qPrintable(run.transcript()));
        // What to paste, below the timeout: the first keepalive probe and the heartbeat within 2/3 of it.
        const QJsonObject recommend = run.json.value(u"recommend").toObject();
        const QJsonObject keepalive = recommend.value(u"keepalive").toObject();
        QVERIFY(keepalive.value(u"enabled").toBool());
        const int idle = keepalive.value(u"idle_s").toInt();
        QVERIFY2(idle >= 4 && idle <= 5, qPrintable(run.transcript()));
        QVERIFY(recommend.value(u"heartbeat").toObject().value(u"interval_s").toInt() <= 5);
        // The probes crossed the NAT: the peer saw the router's address (its lines are read by the event
        // loop, which the blocking run above did not spin).
        QTRY_VERIFY2_WITH_TIMEOUT(peer.hasLineStartingWith("accepted 198.51.100.129:"),
                                  peer.lines().join('\n').constData(), 5000);
        // Human-readable progress went to stderr, each probe's gap and outcome with the bracket.
        QVERIFY2(run.command.err.contains(QByteArray("idle: " + behaviour.toUtf8() + "; bracket (")),
                 run.command.err.constData());
    }

    void noMiddleboxNoneFound()
    {
        LabTopology lab(u"probedirect"_s);
        QString error;
        QVERIFY2(lab.create(Layout::Direct, &error), qPrintable(error));
        LabProcess peer;
        QVERIFY2(peer.startPeer(lab, kPort, {}, &error), qPrintable(error));

        const ProbeRun run =
            probeIdle(lab, {u"%1:%2"_s.arg(lab.peerAddress()).arg(kPort), u"--max"_s, u"12"_s, u"--json"_s});
        QVERIFY2(run.command.ok, qPrintable(run.transcript()));
        QCOMPARE(run.json.value(u"behaviour").toString(), u"none-found"_s);
        QVERIFY(run.json.value(u"idle_timeout_s").isNull());
        QCOMPARE(run.json.value(u"bracket_s").toArray().at(0).toDouble(), 12.0);
        QVERIFY(run.json.value(u"bracket_s").toArray().at(1).isNull());
        const QJsonArray probes = run.json.value(u"probes").toArray();
        bool maxSurvived = false;
        for (const QJsonValue &probe : probes) {
            QVERIFY2(probe[u"outcome"].toString() == u"survived" ||
                         probe[u"outcome"].toString() == u"cancelled",
                     qPrintable(run.transcript()));
            maxSurvived |= probe[u"gap_s"].toDouble() == 12.0 && probe[u"outcome"].toString() == u"survived";
        }
        QVERIFY2(maxSurvived, qPrintable(run.transcript()));
        reportFields(u"probe-idle-none"_s,
                     {{u"elapsed_s"_s, run.json.value(u"elapsed_s").toVariant().toString()}});

        // A port where nothing listens: exit 1, and the message names the target and the fix.
        const ProbeRun refused = probeIdle(lab, {u"%1:%2"_s.arg(lab.peerAddress()).arg(kPort + 1)});
        QCOMPARE(refused.command.exitCode, 1);
        QVERIFY2(refused.command.err.contains("nothing listens on 198.51.100.2:7001 (ECONNREFUSED"),
                 qPrintable(refused.transcript()));
        QVERIFY2(refused.command.err.contains("check the port"), qPrintable(refused.transcript()));

        const CommandResult bad = runCommand(keepwatchBinary(), {u"probe-idle"_s, u"198.51.100.2"_s});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("expected HOST:PORT"), bad.err.constData());
        const CommandResult badMax =
            runCommand(keepwatchBinary(), {u"probe-idle"_s, u"198.51.100.2:7000"_s, u"--max"_s, u"0.2"_s});
        QCOMPARE(badMax.exitCode, 2);
        QVERIFY2(badMax.err.contains("--max 0.2 s is out of range"), badMax.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestLabProbeIdle)
#include "tst_lab_probeidle.moc"
