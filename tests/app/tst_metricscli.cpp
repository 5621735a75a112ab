// `keepwatch --headless --metrics`: the real binary serving /metrics over HTTP while it watches a real
// loopback peer; promtool's lint on what it serves; a dropped peer seen as up 0 and a reconnect counted
// with its cause. And the files in resources/ that sit on top: the Prometheus configuration and rules
// (promtool) and the Grafana dashboard (its queries name only metrics Keepwatch serves).

#include "metricsregistry.h"
#include "metricstext.h"
#include "pongserver.h"
#include "prerequisite.h"
#include "socketio.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace kw;
using namespace kw::test;

namespace {

const QString kBinary = QString::fromLocal8Bit(KEEPWATCH_BINARY);
const QString kSourceDir = QString::fromLocal8Bit(KEEPWATCH_SOURCE_DIR);

struct Response
{
    int status = 0;
    QByteArray contentType;
    QByteArray body;
};

Response get(QNetworkAccessManager &network, const QString &url)
{
    QNetworkRequest request{QUrl(url)};
    request.setTransferTimeout(10000);
    QNetworkReply *reply = network.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    Response r{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
               reply->header(QNetworkRequest::ContentTypeHeader).toByteArray(), reply->readAll()};
    reply->deleteLater();
    return r;
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    QFile file(dir.filePath(name));
    file.open(QIODevice::WriteOnly);
    file.write(content);
    return file.fileName();
}

// promtool with arguments; its output, or nullopt when it did not run.
std::optional<QString> promtool(const QStringList &arguments, int *exitCode)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(promtoolPath(), arguments);
    if (!process.waitForStarted(10000) || !process.waitForFinished(60000))
        return std::nullopt;
    *exitCode = process.exitCode();
    return QString::fromUtf8(process.readAll());
}

// The families a full exposition announces (every family has its HELP line, samples or not).
QSet<QString> familiesOf(const QByteArray &text)
{
    const MetricsText m = MetricsText::parse(text);
    return QSet<QString>(m.helpNames.begin(), m.helpNames.end());
}

void collectExpressions(const QJsonValue &value, QStringList &out)
{
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (it.key() == u"expr" && it->isString())
                out << it->toString();
            else
                collectExpressions(*it, out);
        }
    } else if (value.isArray()) {
        for (const QJsonValue &v : value.toArray())
            collectExpressions(v, out);
    }
}

} // namespace

class TestMetricsCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void servesMetricsOfARealPeerThatPromtoolAccepts();
    void windowRunServesMetrics();
    void takenPortIsNamed();
    void badAddressIsRefused_data();
    void badAddressIsRefused();
    void prometheusConfigurationAndRulesAreValid();
    void dashboardQueriesNameOnlyServedMetrics();
};

void TestMetricsCli::init()
{
    if (promtoolPath().isEmpty())
        KW_SKIP_OR_FAIL_UNDER_CI("promtool is not installed (Debian package prometheus)");
}

void TestMetricsCli::servesMetricsOfARealPeerThatPromtoolAccepts()
{
    QTemporaryDir dir;
    PongServer peer;
    QVERIFY(peer.listen());
    const quint16 peerPort = peer.port();
    const QString ws = writeFile(dir, u"ws.json"_qs,
                                 QStringLiteral(R"({"version":1,"endpoints":[
            {"name":"svc \"a\"","kind":"tcp","host":"127.0.0.1","port":%1,
             "keepalive":{"enabled":true,"idle_s":5,"interval_s":1,"count":3},
             "heartbeat":{"interval_s":0.2,"send":"PING\n","expect":"PONG","misses":3},
             "reconnect":{"initial_ms":200,"max_ms":500}}]})")
                                     .arg(peerPort)
                                     .toUtf8());

    QProcess process;
    process.start(kBinary, {u"--headless"_qs, u"--workspace"_qs, ws, u"--data-dir"_qs,
                            dir.filePath(u"data"_qs), u"--metrics"_qs, u"127.0.0.1:0"_qs});
    QVERIFY(process.waitForStarted());
    // Port 0: any free port, printed on start (stderr, so that stdout stays the event stream).
    QByteArray err;
    const QRegularExpression urlPattern(u"serving metrics at (http://127\\.0\\.0\\.1:\\d+/metrics)"_qs);
    QRegularExpressionMatch match;
    QTRY_VERIFY_WITH_TIMEOUT(
        (match = urlPattern.match(QString::fromUtf8(err += process.readAllStandardError()))).hasMatch(),
        10000);
    const QString url = match.captured(1);

    QNetworkAccessManager network;
    const QString labels =
        u"endpoint=\"svc \\\"a\\\"\",kind=\"tcp\",target=\"127.0.0.1:%1\""_qs.arg(peerPort);
    const auto scrape = [&] { return MetricsText::parse(get(network, url).body); };
    const auto value = [&](const QString &name, const QString &more = {}) {
        return scrape().value(name + u'{' + labels + (more.isEmpty() ? QString() : u',' + more) + u'}');
    };

    QTRY_COMPARE_WITH_TIMEOUT(value(u"keepwatch_up"_qs), std::optional<double>(1.0), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(
        value(u"keepwatch_rtt_seconds_count"_qs, u"source=\"heartbeat\""_qs).value_or(0) >= 2, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(value(u"keepwatch_detection_bound_seconds"_qs).has_value(), 10000);
    QCOMPARE(value(u"keepwatch_keepalive_idle_seconds"_qs), std::optional<double>(5.0));

    // The HTTP contract: the format's Content-Type, 404 for anything but /metrics.
    const Response ok = get(network, url);
    QCOMPARE(ok.status, 200);
    QCOMPARE(ok.contentType, QByteArray("text/plain; version=0.0.4; charset=utf-8"));
    QCOMPARE(get(network, QString(url).replace(u"/metrics"_qs, u"/"_qs)).status, 404);
    QCOMPARE(get(network, url + u"x"_qs).status, 404);

    int exitCode = -1;
    const std::optional<QString> problems = promtoolCheckMetrics(ok.body, &exitCode);
    QVERIFY2(problems, "promtool did not run");
    QVERIFY2(problems->trimmed().isEmpty(), qPrintable(*problems));
    QCOMPARE(exitCode, 0);

    // The peer goes away: its listener closes (so retries are refused) and the held connection is reset.
    QTRY_VERIFY(!peer.sockets().isEmpty());
    peer.close();
    QTcpSocket *held = peer.sockets().last();
    QVERIFY(net::setResetOnClose(held->socketDescriptor()));
    held->abort();
    QTRY_COMPARE_WITH_TIMEOUT(value(u"keepwatch_up"_qs), std::optional<double>(0.0), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(value(u"keepwatch_drops_total"_qs, u"cause=\"reset\""_qs),
                              std::optional<double>(1.0), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(
        value(u"keepwatch_connect_failures_total"_qs, u"cause=\"refused\""_qs).value_or(0) >= 1, 10000);
    QCOMPARE(value(u"keepwatch_reconnects_total"_qs, u"cause=\"reset\""_qs), std::nullopt);
    // The info metric names the most recent Down's cause, a failed retry's included: one series.
    const QStringList lastDrop = scrape().seriesStartingWith(u"keepwatch_last_drop_info{"_qs + labels);
    QCOMPARE(lastDrop, QStringList{u"keepwatch_last_drop_info{"_qs + labels + u",cause=\"refused\"}"_qs});

    // Back: one reconnect, credited to the reset that caused the drop.
    QVERIFY(peer.listen(QHostAddress(QHostAddress::LocalHost), peerPort));
    QTRY_COMPARE_WITH_TIMEOUT(value(u"keepwatch_up"_qs), std::optional<double>(1.0), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(value(u"keepwatch_reconnects_total"_qs, u"cause=\"reset\""_qs),
                              std::optional<double>(1.0), 10000);
    QCOMPARE(value(u"keepwatch_drops_total"_qs, u"cause=\"reset\""_qs), std::optional<double>(1.0));

    const std::optional<QString> after = promtoolCheckMetrics(get(network, url).body, &exitCode);
    QVERIFY(after);
    QVERIFY2(after->trimmed().isEmpty(), qPrintable(*after));

    process.terminate();
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
}

void TestMetricsCli::windowRunServesMetrics()
{
#if !defined(KEEPWATCH_TEST_GUI)
    QSKIP("built without the window (KEEPWATCH_BUILD_GUI=OFF)");
#else
    QTemporaryDir dir;
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"QT_QPA_PLATFORM"_qs, u"offscreen"_qs);
    env.insert(u"XDG_CONFIG_HOME"_qs, dir.filePath(u"config"_qs)); // the window's settings stay here
    process.setProcessEnvironment(env);
    process.start(kBinary, {u"--demo"_qs, u"--data-dir"_qs, dir.filePath(u"data"_qs), u"--metrics"_qs,
                            u"127.0.0.1:0"_qs});
    QVERIFY(process.waitForStarted());
    QByteArray err;
    const QRegularExpression urlPattern(u"serving metrics at (http://127\\.0\\.0\\.1:\\d+/metrics)"_qs);
    QRegularExpressionMatch match;
    QTRY_VERIFY_WITH_TIMEOUT(
        (match = urlPattern.match(QString::fromUtf8(err += process.readAllStandardError()))).hasMatch(),
        20000);
    QNetworkAccessManager network;
    // The demo's endpoints, from the window's engine.
    QTRY_VERIFY_WITH_TIMEOUT(MetricsText::parse(get(network, match.captured(1)).body)
                                     .value(u"keepwatch_endpoints{state=\"up\"}"_qs)
                                     .value_or(0) >= 3,
                             20000);
    process.kill();
    process.waitForFinished(10000);
#endif
}

void TestMetricsCli::takenPortIsNamed()
{
    QTemporaryDir dir;
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    const QString address = u"127.0.0.1:%1"_qs.arg(squatter.serverPort());
    QProcess process;
    process.start(kBinary, {u"--headless"_qs, u"--demo"_qs, u"--data-dir"_qs, dir.path(), u"--metrics"_qs,
                            address, u"--duration"_qs, u"20"_qs});
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitCode(), 1);
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(err.contains(u"--metrics "_qs + address + u": cannot listen there"), qPrintable(err));
    QVERIFY2(err.contains(u"choose another port"), qPrintable(err));
}

void TestMetricsCli::badAddressIsRefused_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("reason");
    QTest::newRow("port too large") << u"99999"_qs << u"is not a port number"_qs;
    QTest::newRow("no port") << u"127.0.0.1:"_qs << u"is not a port number"_qs;
    QTest::newRow("name") << u"metrics.example:9464"_qs << u"is not an IP address"_qs;
    QTest::newRow("ipv6 without brackets") << u"::1:9464"_qs << u"in brackets"_qs;
    QTest::newRow("brackets around ipv4") << u"[127.0.0.1]:9464"_qs << u"IPv6 addresses only"_qs;
}

void TestMetricsCli::badAddressIsRefused()
{
    QFETCH(QString, value);
    QFETCH(QString, reason);
    QProcess process;
    process.start(kBinary, {u"--headless"_qs, u"--demo"_qs, u"--metrics"_qs, value});
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitCode(), 2);
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(err.contains(u"--metrics "_qs + value + u": "), qPrintable(err));
    QVERIFY2(err.contains(reason), qPrintable(err));
    QVERIFY2(err.contains(u"expected [ADDR:]PORT"), qPrintable(err));
}

void TestMetricsCli::prometheusConfigurationAndRulesAreValid()
{
    const QString dir = kSourceDir + u"/resources/prometheus"_qs;
    int exitCode = -1;
    const std::optional<QString> config =
        promtool({u"check"_qs, u"config"_qs, dir + u"/prometheus.yml"_qs}, &exitCode);
    QVERIFY2(config, "promtool did not run");
    QVERIFY2(exitCode == 0, qPrintable(*config));
    QVERIFY2(config->contains(u"1 rule files found"), qPrintable(*config));
    const std::optional<QString> rules =
        promtool({u"check"_qs, u"rules"_qs, dir + u"/keepwatch-rules.yml"_qs}, &exitCode);
    QVERIFY(rules);
    QVERIFY2(exitCode == 0, qPrintable(*rules));

    // Every vantage point has its label.
    QFile file(dir + u"/prometheus.yml"_qs);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray yml = file.readAll();
    QVERIFY(yml.count("targets:") >= 2);
    QCOMPARE(yml.count("vantage:"), yml.count("targets:"));
}

void TestMetricsCli::dashboardQueriesNameOnlyServedMetrics()
{
    // Every family is announced (HELP and TYPE) even before it has samples.
    const QSet<QString> served = familiesOf(MetricsRegistry(u"0"_qs).render(QDateTime::currentDateTimeUtc()));
    QVERIFY(served.size() >= 20);

    QFile file(kSourceDir + u"/resources/grafana/keepwatch-dashboard.json"_qs);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QVERIFY(doc.isObject());
    QVERIFY(!doc.object().value(u"panels").toArray().isEmpty());

    QStringList expressions;
    collectExpressions(doc.object(), expressions);
    QVERIFY(expressions.size() >= 8);
    const QRegularExpression metricName(u"\\bkeepwatch_[a-z_]+"_qs);
    QSet<QString> referenced;
    for (const QString &expr : std::as_const(expressions)) {
        for (auto it = metricName.globalMatch(expr); it.hasNext();) {
            QString name = it.next().captured();
            for (const char *suffix : {"_bucket", "_sum", "_count"}) {
                if (name.endsWith(QLatin1StringView(suffix)) &&
                    served.contains(name.chopped(qstrlen(suffix))))
                    name.chop(qstrlen(suffix));
            }
            referenced.insert(name);
        }
    }
    for (const QString &name : std::as_const(referenced))
        QVERIFY2(served.contains(name),
                 qPrintable(u"the dashboard queries "_qs + name + u", which is not served"_qs));
    // What the dashboard promises to show.
    for (const char *needed :
         {"keepwatch_up", "keepwatch_drops_total", "keepwatch_rtt_seconds",
          "keepwatch_detection_bound_seconds", "keepwatch_tls_cert_expiry_timestamp_seconds"})
        QVERIFY2(referenced.contains(QLatin1StringView(needed)), needed);

    // The queries parse as PromQL: promtool checks them as recording rules, with Grafana's variables
    // replaced by what they expand to.
    QTemporaryDir dir;
    QByteArray rules = "groups:\n  - name: dashboard\n    rules:\n";
    int n = 0;
    for (QString expr : std::as_const(expressions)) {
        expr.replace(u"$__rate_interval"_qs, u"5m"_qs)
            .replace(u"$vantage"_qs, u".*"_qs)
            .replace(u"$endpoint"_qs, u".*"_qs)
            .replace(u"$source"_qs, u".*"_qs);
        rules += "      - record: keepwatch:dashboard_" + QByteArray::number(++n) + "\n        expr: '" +
                 expr.replace(u"'"_qs, u"''"_qs).toUtf8() + "'\n";
    }
    const QString path = writeFile(dir, u"dashboard-rules.yml"_qs, rules);
    int exitCode = -1;
    const std::optional<QString> checked = promtool({u"check"_qs, u"rules"_qs, path}, &exitCode);
    QVERIFY(checked);
    QVERIFY2(exitCode == 0, qPrintable(*checked + u"\n"_qs + QString::fromUtf8(rules)));
}

QTEST_GUILESS_MAIN(TestMetricsCli)
#include "tst_metricscli.moc"
