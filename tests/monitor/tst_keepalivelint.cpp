// The keepalive and heartbeat lint, rule by rule at the values either side of each limit, on workspaces
// read by the real loader (so "path" goes through the same check a file gets).

#include "keepalivelint.h"
#include "middleboxtimeouts.h"
#include "workspace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using kw::LintFinding;
using kw::LintRule;
using kw::LintSeverity;
using kw::net::SystemDefaults;

Q_DECLARE_METATYPE(LintRule)
Q_DECLARE_METATYPE(LintSeverity)
Q_DECLARE_METATYPE(SystemDefaults)

namespace {

SystemDefaults makeDefaults(const char *platform, long long time, long long interval, const char *unit,
                            long long probes)
{
    SystemDefaults defaults;
    defaults.platform = platform;
    defaults.keepaliveTime = {time, unit, "/proc/sys/net/ipv4/tcp_keepalive_time", true};
    defaults.keepaliveInterval = {interval, unit, "test", true};
    defaults.keepaliveProbes = {probes, "", "test", true};
    defaults.retransmitGiveUp = {15, "", "test", true};
    return defaults;
}

const SystemDefaults kLinux = makeDefaults(kw::net::kPlatformLinux, 7200, 75, "s", 9);
const SystemDefaults kWindows = makeDefaults(kw::net::kPlatformWindows, 7200000, 1000, "ms", 10);
const SystemDefaults kMacOs = makeDefaults(kw::net::kPlatformMacOs, 7200000, 75000, "ms", 8);

QJsonObject endpoint(const QString &name, const QString &kind, const QJsonObject &extra)
{
    QJsonObject o{{QStringLiteral("name"), name}, {QStringLiteral("kind"), kind}};
    if (kind == u"websocket") {
        o.insert(QStringLiteral("url"), QStringLiteral("ws://peer.example:8080/"));
    } else if (kind == u"listen") {
        o.insert(QStringLiteral("port"), 9000);
    } else {
        o.insert(QStringLiteral("host"), QStringLiteral("peer.example"));
        o.insert(QStringLiteral("port"), kind == u"mqtt" ? 1883 : 5432);
    }
    for (auto it = extra.begin(); it != extra.end(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

QJsonObject keepalive(QJsonObject settings)
{
    return QJsonObject{{QStringLiteral("keepalive"), settings}};
}

kw::Workspace load(const QJsonArray &endpoints, const QJsonValue &path = QJsonValue::Undefined)
{
    QJsonObject top{{QStringLiteral("version"), 1}, {QStringLiteral("endpoints"), endpoints}};
    if (!path.isUndefined())
        top.insert(QStringLiteral("path"), path);
    const kw::WorkspaceResult result =
        kw::parseWorkspace(QJsonDocument(top).toJson(QJsonDocument::Compact), QStringLiteral("test.json"));
    if (!result.ok())
        qWarning() << result.errors;
    return result.workspace.value_or(kw::Workspace{});
}

QList<LintFinding> lint(const QJsonObject &one, const QJsonValue &path = QJsonValue::Undefined,
                        const SystemDefaults &defaults = kLinux)
{
    const kw::Workspace workspace = load(QJsonArray{one}, path);
    if (workspace.endpoints.size() != 1)
        return {};
    return kw::lintWorkspace(workspace, defaults);
}

QList<LintFinding> only(const QList<LintFinding> &findings, LintRule rule)
{
    QList<LintFinding> out;
    for (const LintFinding &f : findings) {
        if (f.rule == rule)
            out << f;
    }
    return out;
}

} // namespace

class TestKeepaliveLint : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void table();
    void silenceLimit_data();
    void silenceLimit();
    void pathKeyIsChecked_data();
    void pathKeyIsChecked();
    void keepaliveIdle_data();
    void keepaliveIdle();
    void endpointPathWins();
    void systemDefaultIdle();
    void appTrafficAboveMiddlebox_data();
    void appTrafficAboveMiddlebox();
    void heartbeatCoversLongKeepalive();
    void nothingKeepsPathAlive();
    void wastedProbes_data();
    void wastedProbes();
    void flood_data();
    void flood();
    void windowsFixedCount_data();
    void windowsFixedCount();
    void userTimeoutCutsProbes_data();
    void userTimeoutCutsProbes();
    void userTimeoutRounded_data();
    void userTimeoutRounded();
    void names();
    void shippedExampleHasNoWarnings();
};

void TestKeepaliveLint::table()
{
    // The figures of docs/keepalive.md, each with a source.
    const QList<std::pair<QString, long long>> expected{{QStringLiteral("azure-lb"), 240},
                                                        {QStringLiteral("aws-nlb"), 350},
                                                        {QStringLiteral("gcp-firewall"), 600},
                                                        {QStringLiteral("gcp-nat"), 1200},
                                                        {QStringLiteral("nat"), 7440}};
    QCOMPARE(kw::knownMiddleboxes().size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const kw::Middlebox &m = kw::knownMiddleboxes().at(i);
        QCOMPARE(m.id, expected.at(i).first);
        QCOMPARE(m.idleTimeout.count(), expected.at(i).second);
        QVERIFY2(m.source.startsWith(u"https://"), qPrintable(m.id));
    }
    QCOMPARE(kw::shortestCommonMiddlebox().id, QStringLiteral("azure-lb"));
}

void TestKeepaliveLint::silenceLimit_data()
{
    QTest::addColumn<long long>("timeout");
    QTest::addColumn<long long>("limit");
    QTest::newRow("Azure LB") << 240LL << 228LL;
    QTest::newRow("AWS NLB") << 350LL << 333LL;
    QTest::newRow("GCP firewall") << 600LL << 570LL;
    QTest::newRow("Cloud NAT") << 1200LL << 1140LL;
    QTest::newRow("RFC 5382") << 7440LL << 7068LL;
    QTest::newRow("short: 10 s margin") << 100LL << 90LL;
    QTest::newRow("tiny") << 5LL << 1LL;
}

void TestKeepaliveLint::silenceLimit()
{
    QFETCH(long long, timeout);
    QFETCH(long long, limit);
    QCOMPARE(kw::middleboxSilenceLimit(std::chrono::seconds(timeout)).count(), limit);
}

void TestKeepaliveLint::pathKeyIsChecked_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<bool>("valid");
    QTest::newRow("aws-nlb") << QJsonValue(QStringLiteral("aws-nlb")) << true;
    QTest::newRow("none") << QJsonValue(QStringLiteral("none")) << true;
    QTest::newRow("seconds") << QJsonValue(300) << true;
    QTest::newRow("misspelt") << QJsonValue(QStringLiteral("aws")) << false;
    QTest::newRow("zero") << QJsonValue(0) << false;
    QTest::newRow("fraction") << QJsonValue(1.5) << false;
    QTest::newRow("object") << QJsonValue(QJsonObject{}) << false;
}

void TestKeepaliveLint::pathKeyIsChecked()
{
    QFETCH(QJsonValue, value);
    QFETCH(bool, valid);
    for (const bool perEndpoint : {false, true}) {
        QJsonObject top{{QStringLiteral("version"), 1}};
        QJsonObject one = endpoint(QStringLiteral("db"), QStringLiteral("tcp"), {});
        if (perEndpoint)
            one.insert(QStringLiteral("path"), value);
        else
            top.insert(QStringLiteral("path"), value);
        top.insert(QStringLiteral("endpoints"), QJsonArray{one});
        const kw::WorkspaceResult result =
            kw::parseWorkspace(QJsonDocument(top).toJson(), QStringLiteral("w.json"));
        QCOMPARE(result.ok(), valid);
        QVERIFY2(result.warnings.isEmpty(), qPrintable(result.warnings.join(u'\n')));
        if (!valid) {
            QCOMPARE(result.errors.size(), 1);
            const QString where = perEndpoint ? QStringLiteral("w.json: endpoints[0].path: expected one of")
                                              : QStringLiteral("w.json: path: expected one of");
            QVERIFY2(result.errors.first().startsWith(where), qPrintable(result.errors.first()));
            QVERIFY(result.errors.first().contains(u"\"aws-nlb\""));
        } else {
            // Saved as read.
            const QJsonObject saved = kw::workspaceToJsonObject(*result.workspace);
            const QJsonValue back =
                perEndpoint ? saved.value(u"endpoints").toArray().first().toObject().value(u"path")
                            : saved.value(u"path");
            QCOMPARE(back, value);
        }
    }
}

void TestKeepaliveLint::keepaliveIdle_data()
{
    QTest::addColumn<QJsonValue>("path");
    QTest::addColumn<int>("idle");
    QTest::addColumn<bool>("found");
    QTest::addColumn<LintSeverity>("severity");
    const QJsonValue none = QJsonValue::Undefined;
    QTest::newRow("aws-nlb at the limit")
        << QJsonValue(QStringLiteral("aws-nlb")) << 333 << false << LintSeverity::Warning;
    QTest::newRow("aws-nlb above") << QJsonValue(QStringLiteral("aws-nlb")) << 334 << true
                                   << LintSeverity::Warning;
    QTest::newRow("no path: shortest common, at") << none << 228 << false << LintSeverity::Info;
    QTest::newRow("no path: shortest common, above") << none << 229 << true << LintSeverity::Info;
    QTest::newRow("measured 60 s, at") << QJsonValue(60) << 50 << false << LintSeverity::Warning;
    QTest::newRow("measured 60 s, above") << QJsonValue(60) << 51 << true << LintSeverity::Warning;
    QTest::newRow("gcp-nat above") << QJsonValue(QStringLiteral("gcp-nat")) << 1141 << true
                                   << LintSeverity::Warning;
    QTest::newRow("path none") << QJsonValue(QStringLiteral("none")) << 7000 << false
                               << LintSeverity::Warning;
}

void TestKeepaliveLint::keepaliveIdle()
{
    QFETCH(QJsonValue, path);
    QFETCH(int, idle);
    QFETCH(bool, found);
    QFETCH(LintSeverity, severity);
    const QList<LintFinding> all = lint(
        endpoint(QStringLiteral("db"), QStringLiteral("tcp"), keepalive({{QStringLiteral("idle_s"), idle}})),
        path);
    const QList<LintFinding> findings = only(all, LintRule::KeepaliveIdleAboveMiddlebox);
    QCOMPARE(findings.size(), found ? 1 : 0);
    QCOMPARE(all.size(), findings.size()); // nothing else applies to these settings
    if (!found)
        return;
    const LintFinding &f = findings.first();
    QCOMPARE(f.severity, severity);
    QCOMPARE(f.endpoint, QStringLiteral("db"));
    QCOMPARE(f.key, QStringLiteral("keepalive.idle_s"));
    const long long limit = idle - 1;
    QCOMPARE(f.fix, QStringLiteral("set keepalive.idle_s to %1 or less").arg(limit));
    QVERIFY2(f.reason.contains(QStringLiteral("after %1 s of silence").arg(idle)), qPrintable(f.reason));
    // Without a path the finding says what it assumed and how to say otherwise.
    QCOMPARE(f.reason.contains(u"No \"path\" is set"), path.isUndefined());
}

void TestKeepaliveLint::endpointPathWins()
{
    QJsonObject one =
        endpoint(QStringLiteral("db"), QStringLiteral("tcp"), keepalive({{QStringLiteral("idle_s"), 300}}));
    one.insert(QStringLiteral("path"), QStringLiteral("azure-lb"));
    QList<LintFinding> findings = lint(one, QStringLiteral("nat"));
    QCOMPARE(findings.size(), 1);
    QVERIFY(findings.first().reason.contains(u"Azure Load Balancer"));
    QCOMPARE(findings.first().fix, QStringLiteral("set keepalive.idle_s to 228 or less"));

    // And the other way round: the endpoint says "none", the workspace a short timeout.
    one.insert(QStringLiteral("path"), QStringLiteral("none"));
    QVERIFY(lint(one, QStringLiteral("azure-lb")).isEmpty());
}

void TestKeepaliveLint::systemDefaultIdle()
{
    // Keepalive on with idle unset: the system default of 7200 s is behind even an RFC 5382 NAT's margin.
    const QJsonObject on =
        endpoint(QStringLiteral("db"), QStringLiteral("tcp"), keepalive({{QStringLiteral("enabled"), true}}));
    QList<LintFinding> findings = lint(on, QStringLiteral("nat"));
    QCOMPARE(findings.size(), 1);
    QCOMPARE(findings.first().rule, LintRule::KeepaliveDefaultIdle);
    QCOMPARE(findings.first().severity, LintSeverity::Warning);
    QVERIFY2(findings.first().reason.contains(u"system default of 7200 s"),
             qPrintable(findings.first().reason));
    QVERIFY(findings.first().reason.contains(u"/proc/sys/net/ipv4/tcp_keepalive_time"));
    QCOMPARE(findings.first().fix, QStringLiteral("set keepalive.idle_s to 7068 or less"));

    // A machine whose default is short enough passes.
    SystemDefaults tuned = kLinux;
    tuned.keepaliveTime.value = 7068;
    QVERIFY(lint(on, QStringLiteral("nat"), tuned).isEmpty());
    tuned.keepaliveTime.value = 7069;
    QCOMPARE(lint(on, QStringLiteral("nat"), tuned).size(), 1);
}

void TestKeepaliveLint::appTrafficAboveMiddlebox_data()
{
    QTest::addColumn<QJsonObject>("config");
    QTest::addColumn<bool>("found");
    QTest::addColumn<LintRule>("rule");
    QTest::addColumn<QString>("fix");
    const auto heartbeat = [](double s) {
        return endpoint(QStringLiteral("hb"), QStringLiteral("tcp"),
                        {{QStringLiteral("heartbeat"),
                          QJsonObject{{QStringLiteral("interval_s"), s},
                                      {QStringLiteral("send"), QStringLiteral("ping\\n")}}}});
    };
    const QString hbFix = QStringLiteral(
        "set heartbeat.interval_s to 333 or less, or turn keepalive on with keepalive.idle_s 333 or less");
    QTest::newRow("heartbeat at") << heartbeat(333) << false << LintRule::HeartbeatAboveMiddlebox << hbFix;
    QTest::newRow("heartbeat above") << heartbeat(333.5) << true << LintRule::HeartbeatAboveMiddlebox
                                     << hbFix;
    const auto mqtt = [](int keepAlive) {
        return endpoint(QStringLiteral("broker"), QStringLiteral("mqtt"),
                        {{QStringLiteral("mqtt"), QJsonObject{{QStringLiteral("keepalive_s"), keepAlive}}}});
    };
    // 1.5 x 222 = 333, 1.5 x 223 = 334.5.
    const QString mqttFix =
        QStringLiteral("set mqtt.keepalive_s to 222 or less, or keepalive.idle_s to 333 or less");
    QTest::newRow("mqtt at") << mqtt(222) << false << LintRule::MqttKeepAliveAboveMiddlebox << mqttFix;
    QTest::newRow("mqtt above") << mqtt(223) << true << LintRule::MqttKeepAliveAboveMiddlebox << mqttFix;
    const auto ws = [](int s) {
        return endpoint(QStringLiteral("ws"), QStringLiteral("websocket"),
                        {{QStringLiteral("websocket"), QJsonObject{{QStringLiteral("ping_interval_s"), s}}}});
    };
    const QString wsFix = QStringLiteral("set websocket.ping_interval_s to 333 or less, or turn keepalive on "
                                         "with keepalive.idle_s 333 or less");
    QTest::newRow("websocket at") << ws(333) << false << LintRule::WebSocketPingAboveMiddlebox << wsFix;
    QTest::newRow("websocket above") << ws(334) << true << LintRule::WebSocketPingAboveMiddlebox << wsFix;
}

void TestKeepaliveLint::appTrafficAboveMiddlebox()
{
    QFETCH(QJsonObject, config);
    QFETCH(bool, found);
    QFETCH(LintRule, rule);
    QFETCH(QString, fix);
    const QList<LintFinding> findings = lint(config, QStringLiteral("aws-nlb"));
    QCOMPARE(findings.size(), found ? 1 : 0);
    if (!found)
        return;
    QCOMPARE(findings.first().rule, rule);
    QCOMPARE(findings.first().severity, LintSeverity::Warning);
    QCOMPARE(findings.first().fix, fix);
    QVERIFY(findings.first().reason.contains(u"keepalive is off"));
}

void TestKeepaliveLint::heartbeatCoversLongKeepalive()
{
    // A long keepalive idle under a heartbeat that keeps the path alive is fine: keepalive never fires.
    QJsonObject config =
        endpoint(QStringLiteral("hb"), QStringLiteral("tcp"),
                 {{QStringLiteral("heartbeat"), QJsonObject{{QStringLiteral("interval_s"), 60}}}});
    config.insert(QStringLiteral("keepalive"), QJsonObject{{QStringLiteral("idle_s"), 7000}});
    QVERIFY(lint(config, QStringLiteral("aws-nlb")).isEmpty());
    // Both too slow: one finding, on the one that comes sooner, offering both fixes.
    config.insert(QStringLiteral("heartbeat"), QJsonObject{{QStringLiteral("interval_s"), 400}});
    const QList<LintFinding> findings = lint(config, QStringLiteral("aws-nlb"));
    QCOMPARE(findings.size(), 1);
    QCOMPARE(findings.first().rule, LintRule::HeartbeatAboveMiddlebox);
    QVERIFY(findings.first().reason.contains(u"keepalive idle is 7000 s, longer still"));
}

void TestKeepaliveLint::nothingKeepsPathAlive()
{
    const QList<LintFinding> findings =
        lint(endpoint(QStringLiteral("bare"), QStringLiteral("tcp"), {}), QStringLiteral("none"));
    QCOMPARE(findings.size(), 1);
    QCOMPARE(findings.first().rule, LintRule::NothingKeepsPathAlive);
    QCOMPARE(findings.first().key, QStringLiteral("keepalive"));
    QCOMPARE(findings.first().severity, LintSeverity::Warning);
    // Keepalive off explicitly is the same; keepalive on, or MQTT's own pings, are not.
    QCOMPARE(only(lint(endpoint(QStringLiteral("off"), QStringLiteral("tcp"),
                                keepalive({{QStringLiteral("enabled"), false}}))),
                  LintRule::NothingKeepsPathAlive)
                 .size(),
             1);
    QVERIFY(lint(endpoint(QStringLiteral("on"), QStringLiteral("tcp"),
                          keepalive({{QStringLiteral("idle_s"), 60}})))
                .isEmpty());
    QVERIFY(lint(endpoint(QStringLiteral("broker"), QStringLiteral("mqtt"), {})).isEmpty());
    // A disabled endpoint gets the same finding as a note.
    const QList<LintFinding> disabled =
        lint(endpoint(QStringLiteral("later"), QStringLiteral("tcp"), {{QStringLiteral("enabled"), false}}));
    QCOMPARE(disabled.size(), 1);
    QCOMPARE(disabled.first().rule, LintRule::NothingKeepsPathAlive);
    QCOMPARE(disabled.first().severity, LintSeverity::Info);
    QVERIFY(disabled.first().reason.endsWith(u"(The endpoint is disabled.)"));
}

void TestKeepaliveLint::wastedProbes_data()
{
    QTest::addColumn<QJsonValue>("path");
    QTest::addColumn<double>("heartbeat");
    QTest::addColumn<int>("idle");
    QTest::addColumn<bool>("found");
    QTest::addColumn<LintSeverity>("severity");
    QTest::addColumn<QString>("fix");
    const QJsonValue none = QStringLiteral("none");
    const QJsonValue unset = QJsonValue::Undefined;
    const QString to60 =
        QStringLiteral("set keepalive.idle_s to 60 (probes then fill only a gap the heartbeat leaves)");
    QTest::newRow("4 x idle = heartbeat") << none << 60.0 << 15 << false << LintSeverity::Warning << to60;
    QTest::newRow("4 x idle < heartbeat") << none << 60.0 << 14 << true << LintSeverity::Warning << to60;
    QTest::newRow("no path, heartbeat under the limit")
        << unset << 60.0 << 14 << true << LintSeverity::Warning << to60;
    // The heartbeat (600 s) is too slow for the assumed path, so probes up to its limit (228 s) are needed.
    const QString to228 =
        QStringLiteral("set keepalive.idle_s to 228 (probes then fill only a gap the heartbeat leaves)");
    QTest::newRow("capped at the path, 4 x idle > limit")
        << unset << 600.0 << 57 << false << LintSeverity::Info << to228;
    QTest::newRow("capped at the path, 4 x idle < limit")
        << unset << 600.0 << 56 << true << LintSeverity::Info << to228;
    const QString to333 =
        QStringLiteral("set keepalive.idle_s to 333 (probes then fill only a gap the heartbeat leaves)");
    QTest::newRow("capped at a known path")
        << QJsonValue(QStringLiteral("aws-nlb")) << 600.0 << 83 << true << LintSeverity::Warning << to333;
}

void TestKeepaliveLint::wastedProbes()
{
    QFETCH(QJsonValue, path);
    QFETCH(double, heartbeat);
    QFETCH(int, idle);
    QFETCH(bool, found);
    QFETCH(LintSeverity, severity);
    QFETCH(QString, fix);
    QJsonObject config =
        endpoint(QStringLiteral("hb"), QStringLiteral("tcp"),
                 {{QStringLiteral("heartbeat"), QJsonObject{{QStringLiteral("interval_s"), heartbeat}}}});
    config.insert(QStringLiteral("keepalive"), QJsonObject{{QStringLiteral("idle_s"), idle}});
    const QList<LintFinding> all = lint(config, path);
    const QList<LintFinding> findings = only(all, LintRule::WastedProbes);
    QCOMPARE(findings.size(), found ? 1 : 0);
    QCOMPARE(all.size(), findings.size());
    if (!found)
        return;
    QCOMPARE(findings.first().severity, severity);
    QCOMPARE(findings.first().fix, fix);
    // ceil(60 / 14) - 1 = 4 probes between two heartbeats.
    if (heartbeat == 60.0)
        QVERIFY2(findings.first().reason.contains(u"about 4 probes"), qPrintable(findings.first().reason));
}

void TestKeepaliveLint::flood_data()
{
    QTest::addColumn<int>("endpoints");
    QTest::addColumn<double>("interval");
    QTest::addColumn<bool>("found");
    // 2 packets per heartbeat: 50 endpoints at 1 s are 100 packets/s, exactly the threshold.
    QTest::newRow("50 at 1 s") << 50 << 1.0 << false;
    QTest::newRow("51 at 1 s") << 51 << 1.0 << true;
    QTest::newRow("500 at 10 s") << 500 << 10.0 << false;
    QTest::newRow("501 at 10 s") << 501 << 10.0 << true;
    QTest::newRow("one endpoint, very fast") << 1 << 0.01 << false;
}

void TestKeepaliveLint::flood()
{
    QFETCH(int, endpoints);
    QFETCH(double, interval);
    QFETCH(bool, found);
    QJsonArray array;
    for (int i = 0; i < endpoints; ++i) {
        QJsonObject e =
            endpoint(QStringLiteral("e%1").arg(i), QStringLiteral("tcp"),
                     {{QStringLiteral("heartbeat"), QJsonObject{{QStringLiteral("interval_s"), interval}}}});
        // The host's spelling does not split it; a second host does not add to it.
        e.insert(QStringLiteral("host"),
                 i % 2 ? QStringLiteral("PEER.example") : QStringLiteral("peer.example"));
        array.append(e);
    }
    array.append(
        endpoint(QStringLiteral("other"), QStringLiteral("tcp"),
                 {{QStringLiteral("host"), QStringLiteral("other.example")},
                  {QStringLiteral("heartbeat"), QJsonObject{{QStringLiteral("interval_s"), 0.01}}}}));
    // A disabled endpoint sends nothing.
    array.append(
        endpoint(QStringLiteral("off"), QStringLiteral("tcp"),
                 {{QStringLiteral("enabled"), false},
                  {QStringLiteral("heartbeat"), QJsonObject{{QStringLiteral("interval_s"), 0.01}}}}));
    const kw::Workspace workspace = load(array, QStringLiteral("none"));
    QCOMPARE(workspace.endpoints.size(), endpoints + 2);
    const QList<LintFinding> findings = kw::lintFloods(workspace.endpoints, kLinux);
    QCOMPARE(findings.size(), found ? 1 : 0);
    if (!found)
        return;
    const LintFinding &f = findings.first();
    QCOMPARE(f.rule, LintRule::HeartbeatFlood);
    QVERIFY(f.endpoint.isEmpty());
    QCOMPARE(f.members.size(), endpoints);
    QVERIFY(!f.members.contains(u"off"_qs));
    QVERIFY2(f.reason.startsWith(QStringLiteral("%1 endpoints to peer.example send about").arg(endpoints)),
             qPrintable(f.reason));
    QVERIFY(f.fix.contains(QStringLiteral("to %1 s or more").arg(endpoints == 51 ? 2 : 11)));
    // lintWorkspace() reports it after the endpoints' own findings.
    QCOMPARE(kw::lintWorkspace(workspace, kLinux).last(), f);
}

void TestKeepaliveLint::windowsFixedCount_data()
{
    QTest::addColumn<SystemDefaults>("defaults");
    QTest::addColumn<int>("count");
    QTest::addColumn<bool>("found");
    QTest::addColumn<LintSeverity>("severity");
    QTest::newRow("Windows, 5") << kWindows << 5 << true << LintSeverity::Info;
    QTest::newRow("Windows, 10") << kWindows << 10 << false << LintSeverity::Warning;
    QTest::newRow("Windows, 12") << kWindows << 12 << true << LintSeverity::Info;
    QTest::newRow("Linux, 5") << kLinux << 5 << false << LintSeverity::Warning;
}

void TestKeepaliveLint::windowsFixedCount()
{
    QFETCH(SystemDefaults, defaults);
    QFETCH(int, count);
    QFETCH(bool, found);
    QFETCH(LintSeverity, severity);
    const QList<LintFinding> findings = lint(endpoint(QStringLiteral("db"), QStringLiteral("tcp"),
                                                      keepalive({{QStringLiteral("idle_s"), 60},
                                                                 {QStringLiteral("interval_s"), 10},
                                                                 {QStringLiteral("count"), count}})),
                                             QStringLiteral("none"), defaults);
    QCOMPARE(findings.size(), found ? 1 : 0);
    if (!found)
        return;
    QCOMPARE(findings.first().rule, LintRule::WindowsFixedCount);
    QCOMPARE(findings.first().severity, severity);
    QCOMPARE(findings.first().key, QStringLiteral("keepalive.count"));
    if (count == 5) {
        // 60 + 10 x 10 = 160 s on Windows against the 110 s asked for; 10 probes 5 s apart keep 110 s.
        QVERIFY2(findings.first().reason.contains(u"after 160 s, not the 110 s"),
                 qPrintable(findings.first().reason));
        QCOMPARE(
            findings.first().fix,
            QStringLiteral(
                "set keepalive.count to 10 and keepalive.interval_s to 5, which holds on every Windows"));
    }
}

void TestKeepaliveLint::userTimeoutCutsProbes_data()
{
    QTest::addColumn<int>("userTimeout");
    QTest::addColumn<int>("probes"); // 0: no finding
    // idle 60 s, interval 10 s, count 5: a bound of 110 s. Linux drops at the first probe tick at or after
    // the user timeout: 100000 ms is the 4th tick, 100001 the 5th (the count's own).
    QTest::newRow("at the bound") << 110000 << 0;
    QTest::newRow("into the last interval") << 100001 << 0;
    QTest::newRow("one interval short") << 100000 << 4;
    QTest::newRow("below idle") << 30000 << 1;
}

void TestKeepaliveLint::userTimeoutCutsProbes()
{
    QFETCH(int, userTimeout);
    QFETCH(int, probes);
    const QJsonObject config = endpoint(QStringLiteral("db"), QStringLiteral("tcp"),
                                        keepalive({{QStringLiteral("idle_s"), 60},
                                                   {QStringLiteral("interval_s"), 10},
                                                   {QStringLiteral("count"), 5},
                                                   {QStringLiteral("user_timeout_ms"), userTimeout}}));
    const QList<LintFinding> findings = lint(config, QStringLiteral("none"));
    QCOMPARE(findings.size(), probes ? 1 : 0);
    // Only Linux ties the user timeout to the probes.
    QVERIFY(only(lint(config, QStringLiteral("none"), kMacOs), LintRule::UserTimeoutCutsProbes).isEmpty());
    if (!probes)
        return;
    QCOMPARE(findings.first().rule, LintRule::UserTimeoutCutsProbes);
    QVERIFY2(findings.first().reason.contains(QStringLiteral("only %1 of the 5 probes go out").arg(probes)),
             qPrintable(findings.first().reason));
    QCOMPARE(findings.first().fix,
             QStringLiteral("set keepalive.user_timeout_ms to 110000 or more (idle + interval × count)"));
}

void TestKeepaliveLint::userTimeoutRounded_data()
{
    QTest::addColumn<SystemDefaults>("defaults");
    QTest::addColumn<int>("userTimeout");
    QTest::addColumn<bool>("found");
    QTest::newRow("macOS 1500 ms") << kMacOs << 1500 << true;
    QTest::newRow("Windows 1001 ms") << kWindows << 1001 << true;
    QTest::newRow("macOS 2000 ms") << kMacOs << 2000 << false;
    QTest::newRow("Linux 1500 ms") << kLinux << 1500 << false;
}

void TestKeepaliveLint::userTimeoutRounded()
{
    QFETCH(SystemDefaults, defaults);
    QFETCH(int, userTimeout);
    QFETCH(bool, found);
    // Keepalive stays off (the user timeout alone does not turn it on); a heartbeat keeps the path alive.
    const QJsonObject config = endpoint(
        QStringLiteral("db"), QStringLiteral("tcp"),
        {{QStringLiteral("keepalive"), QJsonObject{{QStringLiteral("user_timeout_ms"), userTimeout}}},
         {QStringLiteral("heartbeat"), QJsonObject{{QStringLiteral("interval_s"), 30}}}});
    const QList<LintFinding> findings = lint(config, QStringLiteral("none"), defaults);
    QCOMPARE(findings.size(), found ? 1 : 0);
    if (!found)
        return;
    QCOMPARE(findings.first().rule, LintRule::UserTimeoutRounded);
    QCOMPARE(findings.first().severity, LintSeverity::Info);
    QCOMPARE(findings.first().fix, QStringLiteral("set keepalive.user_timeout_ms to 2000"));
}

void TestKeepaliveLint::names()
{
    QSet<QString> seen;
    for (int i = 0; i <= int(LintRule::UserTimeoutRounded); ++i) {
        const QString name = kw::lintRuleName(LintRule(i));
        QVERIFY(!name.isEmpty());
        QVERIFY2(!seen.contains(name), qPrintable(name));
        seen.insert(name);
    }
    QCOMPARE(kw::lintSeverityName(LintSeverity::Warning), QStringLiteral("warning"));
    QCOMPARE(kw::lintSeverityName(LintSeverity::Info), QStringLiteral("info"));
}

void TestKeepaliveLint::shippedExampleHasNoWarnings()
{
    // The example workspace that ships passes `keepwatch check --strict` on every platform.
    const kw::WorkspaceResult loaded =
        kw::loadWorkspace(QStringLiteral(KEEPWATCH_SOURCE_DIR "/resources/workspaces/example.json"));
    QVERIFY2(loaded.ok(), qPrintable(loaded.errors.join(u'\n')));
    for (const SystemDefaults &defaults : {kLinux, kWindows, kMacOs}) {
        for (const LintFinding &f : kw::lintWorkspace(*loaded.workspace, defaults))
            QVERIFY2(f.severity == LintSeverity::Info, qPrintable(f.endpoint + u": "_qs + f.reason));
    }
}

QTEST_GUILESS_MAIN(TestKeepaliveLint)
#include "tst_keepalivelint.moc"
