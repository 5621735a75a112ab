// The embedded demo is what a new user sees first: run the real binary on it, headless, and check
// that each of its endpoints shows what it is there to show.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString kBinary = QString::fromLocal8Bit(KEEPWATCH_BINARY);

// The demo's endpoints, in the order the demo lists them. Adding one is a deliberate change here.
const QStringList kDemoEndpoints = {u"heartbeat-service"_qs, u"tls-service"_qs,        u"websocket-feed"_qs,
                                    u"flaky-service"_qs,     u"tcp-keepalive-only"_qs, u"retired-service"_qs};

QList<QJsonObject> eventsOf(const QList<QJsonObject> &events, const QString &endpoint, const QString &kind)
{
    QList<QJsonObject> out;
    for (const QJsonObject &event : events) {
        if (event[u"endpoint"].toString() == endpoint && event[u"kind"].toString() == kind)
            out.append(event);
    }
    return out;
}

QByteArray describe(const QList<QJsonObject> &events)
{
    QByteArray text;
    for (const QJsonObject &event : events)
        text += QJsonDocument(event).toJson(QJsonDocument::Compact) + '\n';
    return text;
}

} // namespace

class TestDemo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dataDir.isValid());
        QProcess process;
        process.start(kBinary, {u"--headless"_qs, u"--demo"_qs, u"--data-dir"_qs, m_dataDir.path(),
                                u"--duration"_qs, u"6"_qs, u"--events"_qs, u"-"_qs});
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        for (const QByteArray &line : process.readAllStandardOutput().split('\n')) {
            if (line.trimmed().isEmpty())
                continue;
            QJsonParseError error;
            const QJsonDocument document = QJsonDocument::fromJson(line, &error);
            QVERIFY2(error.error == QJsonParseError::NoError && document.isObject(), line.constData());
            m_events.append(document.object());
        }
    }

    void startsEveryDemoEndpoint()
    {
        QStringList seen;
        for (const QJsonObject &event : std::as_const(m_events)) {
            const QString endpoint = event[u"endpoint"].toString();
            if (!endpoint.isEmpty() && !seen.contains(endpoint))
                seen.append(endpoint);
        }
        std::sort(seen.begin(), seen.end());
        QStringList expected = kDemoEndpoints;
        std::sort(expected.begin(), expected.end());
        QCOMPARE(seen, expected);
    }

    void endpointComesUpWithRttSamples_data()
    {
        QTest::addColumn<QString>("endpoint");
        QTest::addColumn<QString>("source");
        QTest::newRow("heartbeat") << u"heartbeat-service"_qs << u"heartbeat"_qs;
        QTest::newRow("tls heartbeat") << u"tls-service"_qs << u"heartbeat"_qs;
        QTest::newRow("websocket ping") << u"websocket-feed"_qs << u"ws-ping"_qs;
    }

    void endpointComesUpWithRttSamples()
    {
        QFETCH(QString, endpoint);
        QFETCH(QString, source);
        const QList<QJsonObject> states = eventsOf(m_events, endpoint, u"state"_qs);
        QVERIFY2(!states.isEmpty(), qPrintable(endpoint));
        QVERIFY2(std::any_of(states.begin(), states.end(),
                             [](const QJsonObject &e) { return e[u"state"].toString() == u"up"; }),
                 describe(states).constData());
        // Nothing but the shutdown takes it down within the run.
        for (const QJsonObject &state : states) {
            const QString to = state[u"state"].toString();
            QVERIFY2(to != u"down" && to != u"waiting", describe({state}).constData());
        }

        // A sample every 2 s for 6 s; the first comes right after the connection is up.
        int samples = 0;
        for (const QJsonObject &rtt : eventsOf(m_events, endpoint, u"rtt"_qs)) {
            if (rtt[u"source"].toString() != source)
                continue;
            QVERIFY2(rtt[u"rtt_ms"].toDouble(-1) >= 0, describe({rtt}).constData());
            ++samples;
        }
        QVERIFY2(samples >= 2, qPrintable(u"%1: %2 %3 samples"_qs.arg(endpoint).arg(samples).arg(source)));
    }

    void tlsEndpointVerifiesTheDemoCertificate()
    {
        const QList<QJsonObject> infos = eventsOf(m_events, u"tls-service"_qs, u"info"_qs);
        const auto up = std::find_if(infos.begin(), infos.end(), [](const QJsonObject &e) {
            return e[u"detail"].toString().startsWith(u"TLS up: ");
        });
        QVERIFY2(up != infos.end(), describe(infos).constData());
        QVERIFY2(up->value(u"detail").toString().startsWith(u"TLS up: TLSv1.3"), describe({*up}).constData());
        QCOMPARE(up->value(u"tls_protocol").toString(), u"TLSv1.3"_qs);
        // Verified against the demo CA; the demo never shows `insecure`.
        QCOMPARE(up->value(u"verified").toBool(), true);
        QVERIFY(!up->value(u"tls_insecure").toBool());
        QVERIFY2(up->value(u"peer_subject").toString().contains(u"CN=localhost"),
                 describe({*up}).constData());
        QVERIFY2(up->value(u"peer_issuer").toString().contains(u"Keepwatch demo CA"),
                 describe({*up}).constData());
        // Made for this run, and not so close to expiry that the demo warns about it.
        QVERIFY2(up->value(u"days_left").toInt() > 14, describe({*up}).constData());
        for (const QJsonObject &info : infos)
            QVERIFY2(!info.contains(u"warning"), describe({info}).constData());
    }

    void webSocketEndpointUpgradesOnItsPath()
    {
        const QList<QJsonObject> states = eventsOf(m_events, u"websocket-feed"_qs, u"state"_qs);
        const auto up = std::find_if(states.begin(), states.end(),
                                     [](const QJsonObject &e) { return e[u"state"].toString() == u"up"; });
        QVERIFY2(up != states.end(), describe(states).constData());
        const QString detail = up->value(u"detail").toString();
        QVERIFY2(detail.contains(u"ws://127.0.0.1:") && detail.contains(u"/demo") && detail.contains(u"101"),
                 qPrintable(detail));
    }

private:
    QTemporaryDir m_dataDir;
    QList<QJsonObject> m_events;
};

QTEST_GUILESS_MAIN(TestDemo)
#include "tst_demo.moc"
