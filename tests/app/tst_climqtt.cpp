// The headless contract for MQTT endpoints: the real keepwatch binary, a workspace file with one
// endpoint per transport (TCP, TLS, WebSocket, secure WebSocket) against a real mosquitto broker
// (WebSocket through Qt WebSockets), every ping an rtt event, a device going silent as a device
// event, and the password in no output, log or export.

#include "mosquittobroker.h"
#include "mqttwebsocketbridge.h"
#include "prerequisite.h"
#include "testpki.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace kw::test;
using namespace Qt::StringLiterals;

namespace {

const QString kBinary = QString::fromLocal8Bit(KEEPWATCH_BINARY);
constexpr char kPassword[] = "pw-for-the-cli-test-7f3a";

QList<QJsonObject> parseLines(const QByteArray &text)
{
    QList<QJsonObject> objects;
    for (const QByteArray &line : text.split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (doc.isObject())
            objects.append(doc.object());
    }
    return objects;
}

} // namespace

class TestCliMqtt : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyTransportHeadless();

private:
    TestPki m_pki;
};

void TestCliMqtt::initTestCase()
{
    if (MosquittoBroker::program().isEmpty())
        KW_SKIP_OR_FAIL_UNDER_CI("mosquitto is not installed: apt-get install mosquitto (setup.sh does)");
    if (MqttWebSocketBridge::program().isEmpty())
        KW_SKIP_OR_FAIL_UNDER_CI("mqtt_wsbridge was not built: install qt6-websockets-dev (setup.sh does)");
    if (QStandardPaths::findExecutable(u"mosquitto_pub"_s).isEmpty())
        KW_SKIP_OR_FAIL_UNDER_CI(
            "mosquitto_pub is not installed: apt-get install mosquitto-clients (setup.sh does)");
    QString error;
    if (!m_pki.create(&error))
        KW_SKIP_OR_FAIL_UNDER_CI(qPrintable(error));
}

void TestCliMqtt::everyTransportHeadless()
{
    MosquittoBroker::Options options;
    options.tls = &m_pki;
    options.users.insert(u"watcher"_s, QString::fromLatin1(kPassword));
    MosquittoBroker broker(options);
    QString error;
    QVERIFY2(broker.start(&error), qPrintable(error));
    MqttWebSocketBridge ws;
    QVERIFY2(ws.start(broker.port(), &error), qPrintable(error));
    MqttWebSocketBridge wss;
    QVERIFY2(wss.start(broker.port(), m_pki.file(u"localhost.pem"_s), m_pki.file(u"localhost.key"_s), &error),
             qPrintable(error));

    const auto endpoint = [&](const QString &name, const QString &transport, quint16 port) {
        QJsonObject mqtt{{u"version"_s, u"5"_s},        {u"keepalive_s"_s, 1},
                         {u"ping_timeout_s"_s, 1},      {u"transport"_s, transport},
                         {u"username"_s, u"watcher"_s}, {u"password_env"_s, u"KW_CLI_MQTT_PASSWORD"_s}};
        if (transport == u"tcp")
            mqtt.insert(u"watch"_s,
                        QJsonArray{QJsonObject{{u"topic"_s, u"devices/+/heartbeat"_s}, {u"timeout_s"_s, 1}}});
        QJsonObject e{{u"name"_s, name},
                      {u"kind"_s, u"mqtt"_s},
                      {u"host"_s, u"127.0.0.1"_s},
                      {u"port"_s, port},
                      {u"mqtt"_s, mqtt}};
        if (transport == u"tls" || transport == u"wss")
            e.insert(u"tls"_s,
                     QJsonObject{{u"ca_file"_s, m_pki.file(u"ca.pem"_s)}, {u"peer_name"_s, u"localhost"_s}});
        return e;
    };
    const QJsonObject workspace{
        {u"version"_s, 1},
        {u"endpoints"_s, QJsonArray{endpoint(u"over-tcp"_s, u"tcp"_s, broker.port()),
                                    endpoint(u"over-tls"_s, u"tls"_s, broker.tlsPort()),
                                    endpoint(u"over-ws"_s, u"ws"_s, ws.port()),
                                    endpoint(u"over-wss"_s, u"wss"_s, wss.port())}}};
    QTemporaryDir dir;
    QFile file(dir.filePath(u"workspace.json"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(workspace).toJson());
    file.close();

    QProcess keepwatch;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"KW_CLI_MQTT_PASSWORD"_s, QString::fromLatin1(kPassword));
    keepwatch.setProcessEnvironment(env);
    keepwatch.start(kBinary, {u"--headless"_s, u"--workspace"_s, file.fileName(), u"--data-dir"_s,
                              dir.filePath(u"data"_s), u"--events"_s, u"-"_s, u"--duration"_s, u"6"_s});
    QVERIFY(keepwatch.waitForStarted());
    // A device publishes once, then falls silent: a device event after its 1 s timeout.
    QTest::qWait(1500);
    QCOMPARE(QProcess::execute(QStandardPaths::findExecutable(u"mosquitto_pub"_s),
                               {u"-h"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(broker.port()), u"-u"_s,
                                u"watcher"_s, u"-P"_s, QString::fromLatin1(kPassword), u"-t"_s,
                                u"devices/pump-7/heartbeat"_s, u"-m"_s, u"{\"seq\":1}"_s}),
             0);
    QVERIFY(keepwatch.waitForFinished(30000));
    const QByteArray out = keepwatch.readAllStandardOutput();
    const QByteArray err = keepwatch.readAllStandardError();
    QCOMPARE(keepwatch.exitCode(), 0);
    const QList<QJsonObject> events = parseLines(out);
    QVERIFY2(!events.isEmpty(), err.constData());

    for (const QString &name : {u"over-tcp"_s, u"over-tls"_s, u"over-ws"_s, u"over-wss"_s}) {
        bool up = false;
        int pings = 0;
        QStringList downs;
        for (const QJsonObject &e : events) {
            if (e.value(u"endpoint"_s).toString() != name)
                continue;
            const QString kind = e.value(u"kind"_s).toString();
            if (kind == u"state" && e.value(u"state"_s).toString() == u"up")
                up = up || e.value(u"detail"_s).toString().contains(u"MQTT 5 session up"_s);
            if (kind == u"state" && e.value(u"state"_s).toString() == u"down")
                downs << e.value(u"cause"_s).toString() + u": "_s + e.value(u"detail"_s).toString();
            if (kind == u"rtt" && e.value(u"source"_s).toString() == u"mqtt-ping")
                ++pings;
        }
        QVERIFY2(up, qPrintable(name + u" never up; "_s + QString::fromUtf8(err)));
        QVERIFY2(downs.isEmpty(), qPrintable(name + u": "_s + downs.join(u"; "_s)));
        QVERIFY2(pings >= 3, qPrintable(name + u": "_s + QString::number(pings) + u" pings"_s));
    }
    bool silent = false;
    for (const QJsonObject &e : events) {
        if (e.value(u"kind"_s).toString() == u"device" && e.value(u"cause"_s).toString() == u"device-silent")
            silent = silent || e.value(u"device"_s).toString() ==
                                   u"devices/pump-7/heartbeat"; // data keys are top-level
    }
    if (!silent) {
        QByteArray shown;
        for (const QJsonObject &e : events) {
            if (e.value(u"kind"_s).toString() != u"rtt" && e.value(u"kind"_s).toString() != u"tcpinfo")
                shown += QJsonDocument(e).toJson(QJsonDocument::Compact) + '\n';
        }
        QFAIL(shown.constData());
    }

    // The password is nowhere: not in the events, not on stderr, not in the log's export.
    QVERIFY(!out.contains(kPassword));
    QVERIFY(!err.contains(kPassword));
    QProcess exporter;
    exporter.start(kBinary,
                   {u"export"_s, u"--data-dir"_s, dir.filePath(u"data"_s), u"--format"_s, u"jsonl"_s});
    QVERIFY(exporter.waitForFinished(30000));
    const QByteArray exported = exporter.readAllStandardOutput();
    QVERIFY2(exported.contains("mqtt-ping"), exporter.readAllStandardError().constData());
    QVERIFY(!exported.contains(kPassword));
    QVERIFY(!file.open(QIODevice::ReadOnly) || !file.readAll().contains(kPassword));
}

QTEST_GUILESS_MAIN(TestCliMqtt)
#include "tst_climqtt.moc"
