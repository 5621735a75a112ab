// WebhookNotifier against a real HTTP server on loopback: delivery per template, retries, the
// signature checked the way a receiver checks it, the bearer token, timeouts and failures that name
// the notifier and the status but never the secret.
#include "notifytests.h"
#include "webhooknotifier.h"
#include "webhooksink.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QMessageAuthenticationCode>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace kw {
namespace {

using Status = QHttpServerResponder::StatusCode;

NotifierConfig webhookConfig(const QUrl &url, WebhookTemplate t = WebhookTemplate::Json)
{
    NotifierConfig c;
    c.name = u"ops"_s;
    c.type = NotifierType::Webhook;
    c.url = url;
    c.bodyTemplate = t;
    c.retries = 2;
    return c;
}

WebhookNotifier::Options fastOptions(QProcessEnvironment environment = {})
{
    WebhookNotifier::Options o;
    o.firstBackoff = 50ms;
    o.environment = std::move(environment);
    return o;
}

} // namespace

class TestWebhookNotifier final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deliversEachTemplate_data()
    {
        QTest::addColumn<int>("bodyTemplate");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QString>("jsonKey");
        QTest::newRow("json") << int(WebhookTemplate::Json) << QByteArray("application/json")
                              << u"endpoint"_s;
        QTest::newRow("slack") << int(WebhookTemplate::Slack) << QByteArray("application/json") << u"text"_s;
        QTest::newRow("teams") << int(WebhookTemplate::Teams) << QByteArray("application/json")
                               << u"attachments"_s;
        QTest::newRow("ntfy") << int(WebhookTemplate::Ntfy) << QByteArray("text/plain; charset=utf-8")
                              << QString();
    }

    void deliversEachTemplate()
    {
        QFETCH(int, bodyTemplate);
        QFETCH(QByteArray, contentType);
        QFETCH(QString, jsonKey);
        test::WebhookSink sink;
        QVERIFY(sink.listen());
        QNetworkAccessManager network;
        WebhookNotifier notifier(webhookConfig(sink.url(), WebhookTemplate(bodyTemplate)), &network,
                                 fastOptions());
        QSignalSpy delivered(&notifier, &WebhookNotifier::delivered);
        const AlertNotice notice = test::sampleNotice();
        notifier.notify(notice);
        QTRY_COMPARE(delivered.size(), 1);
        QCOMPARE(delivered.first().first().toInt(), 200);
        QCOMPARE(sink.requests.size(), 1);
        const test::WebhookSink::Request &request = sink.requests.first();
        QCOMPARE(request.header("Content-Type"), contentType);
        QCOMPARE(request.body, webhookBody(WebhookTemplate(bodyTemplate), notice).body);
        if (!jsonKey.isEmpty())
            QVERIFY(request.json().contains(jsonKey));
        else
            QCOMPARE(request.header("Title"), QByteArray("db-primary is down"));
        QVERIFY(request.header("X-Keepwatch-Signature").isEmpty());
        QCOMPARE(notifier.pending(), 0);
    }

    void retriesAfterA500()
    {
        test::WebhookSink sink;
        QVERIFY(sink.listen());
        sink.script({{Status::InternalServerError, {}}, {Status::BadGateway, {}}});
        QNetworkAccessManager network;
        WebhookNotifier notifier(webhookConfig(sink.url()), &network, fastOptions());
        QSignalSpy delivered(&notifier, &WebhookNotifier::delivered);
        QSignalSpy failed(&notifier, &WebhookNotifier::failed);
        notifier.notify(test::sampleNotice(u"a"_s));
        notifier.notify(test::sampleNotice(u"b"_s));
        QTRY_COMPARE(delivered.size(), 2);
        QCOMPARE(failed.size(), 0);
        // "a" three times (500, 502, then 200), then "b": in order, one at a time.
        QCOMPARE(sink.requests.size(), 4);
        QCOMPARE(sink.requests[0].body, sink.requests[2].body);
        QCOMPARE(sink.requests[2].json().value(u"endpoint"_s).toString(), u"a"_s);
        QCOMPARE(sink.requests[3].json().value(u"endpoint"_s).toString(), u"b"_s);
    }

    void givesUpAfterItsRetries()
    {
        test::WebhookSink sink;
        QVERIFY(sink.listen());
        sink.script({{Status::ServiceUnavailable, {}},
                     {Status::ServiceUnavailable, {}},
                     {Status::ServiceUnavailable, {}}});
        QNetworkAccessManager network;
        WebhookNotifier notifier(webhookConfig(sink.url()), &network, fastOptions());
        QSignalSpy failed(&notifier, &WebhookNotifier::failed);
        notifier.notify(test::sampleNotice());
        QTRY_COMPARE(failed.size(), 1);
        QCOMPARE(sink.requests.size(), 3); // the first attempt and retries: 2
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(u"notifier \"ops\""_s) && message.contains(u"HTTP 503"_s) &&
                     message.contains(u"gave up after 3 attempts"_s),
                 qPrintable(message));
        QVERIFY2(!message.contains(u"/hook"_s), qPrintable(message));
    }

    void clientErrorsAreNotRetried()
    {
        test::WebhookSink sink;
        QVERIFY(sink.listen());
        sink.script({{Status::NotFound, {}}});
        QNetworkAccessManager network;
        WebhookNotifier notifier(webhookConfig(sink.url()), &network, fastOptions());
        QSignalSpy failed(&notifier, &WebhookNotifier::failed);
        notifier.notify(test::sampleNotice());
        QTRY_COMPARE(failed.size(), 1);
        QCOMPARE(sink.requests.size(), 1);
        QVERIFY2(failed.first().first().toString().contains(u"HTTP 404"_s),
                 qPrintable(failed.first().first().toString()));
    }

    void waitsForRetryAfter()
    {
        test::WebhookSink sink;
        QVERIFY(sink.listen());
        sink.script({{Status::TooManyRequests, "1"}});
        QNetworkAccessManager network;
        WebhookNotifier notifier(webhookConfig(sink.url()), &network, fastOptions());
        QSignalSpy delivered(&notifier, &WebhookNotifier::delivered);
        QElapsedTimer elapsed;
        elapsed.start();
        notifier.notify(test::sampleNotice());
        QTRY_COMPARE(sink.requests.size(), 1);
        QTRY_COMPARE(delivered.size(), 1);
        QCOMPARE(sink.requests.size(), 2);
        // Not the 50 ms backoff: the receiver asked for a second. (A lower bound only: a busy
        // machine can make it later, never sooner.)
        QVERIFY2(elapsed.elapsed() >= 1000, qPrintable(QString::number(elapsed.elapsed())));
    }

    void signsWithATimestamp()
    {
        test::WebhookSink sink;
        QVERIFY(sink.listen());
        NotifierConfig config = webhookConfig(sink.url());
        config.secretEnv = u"KW_HOOK_SECRET"_s;
        config.tokenEnv = u"KW_HOOK_TOKEN"_s;
        QProcessEnvironment environment;
        environment.insert(u"KW_HOOK_SECRET"_s, u"hmac-key-7f3a"_s);
        environment.insert(u"KW_HOOK_TOKEN"_s, u"bearer-token-91c2"_s);
        QNetworkAccessManager network;
        WebhookNotifier notifier(config, &network, fastOptions(environment));
        QSignalSpy delivered(&notifier, &WebhookNotifier::delivered);
        notifier.notify(test::sampleNotice());
        QTRY_COMPARE(delivered.size(), 1);
        const test::WebhookSink::Request &request = sink.requests.first();
        const QByteArray timestamp = request.header("X-Keepwatch-Timestamp");
        bool ok = false;
        const qint64 seconds = timestamp.toLongLong(&ok);
        QVERIFY(ok);
        QVERIFY(qAbs(QDateTime::currentSecsSinceEpoch() - seconds) < 300);
        // What a receiver does: HMAC-SHA256 of "<timestamp>.<body>" with the shared key.
        const QByteArray mac = QMessageAuthenticationCode::hash(timestamp + '.' + request.body,
                                                                "hmac-key-7f3a", QCryptographicHash::Sha256)
                                   .toHex();
        QCOMPARE(request.header("X-Keepwatch-Signature"), "sha256=" + mac);
        QCOMPARE(request.header("Authorization"), QByteArray("Bearer bearer-token-91c2"));
        QVERIFY(!request.body.contains("hmac-key-7f3a"));
        QVERIFY(!request.body.contains("bearer-token-91c2"));
    }

    void refusesToSendUnsigned()
    {
        test::WebhookSink sink;
        QVERIFY(sink.listen());
        NotifierConfig config = webhookConfig(sink.url());
        config.secretEnv = u"KW_HOOK_SECRET_UNSET"_s;
        QNetworkAccessManager network;
        WebhookNotifier notifier(config, &network, fastOptions());
        QSignalSpy failed(&notifier, &WebhookNotifier::failed);
        notifier.notify(test::sampleNotice());
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.first().first().toString().contains(
                     u"the environment variable KW_HOOK_SECRET_UNSET (secret_env) is not set"_s),
                 qPrintable(failed.first().first().toString()));
        QTest::qWait(100);
        QCOMPARE(sink.requests.size(), 0);
    }

    void takesItsUrlFromTheEnvironment()
    {
        test::WebhookSink sink;
        QVERIFY(sink.listen());
        NotifierConfig config = webhookConfig(QUrl());
        config.urlEnv = u"KW_HOOK_URL"_s;
        QProcessEnvironment environment;
        environment.insert(u"KW_HOOK_URL"_s, sink.url().toString());
        QNetworkAccessManager network;
        WebhookNotifier notifier(config, &network, fastOptions(environment));
        QSignalSpy delivered(&notifier, &WebhookNotifier::delivered);
        notifier.notify(test::sampleNotice());
        QTRY_COMPARE(delivered.size(), 1);
        QCOMPARE(sink.requests.size(), 1);

        WebhookNotifier unset(config, &network, fastOptions());
        QSignalSpy failed(&unset, &WebhookNotifier::failed);
        unset.notify(test::sampleNotice());
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.first().first().toString().contains(u"KW_HOOK_URL (url_env) is not set"_s),
                 qPrintable(failed.first().first().toString()));
    }

    void timesOut()
    {
        // A receiver that accepts the connection and never answers.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        NotifierConfig config =
            webhookConfig(QUrl(u"http://127.0.0.1:%1/services/T0/SECRETPATH"_s.arg(silent.serverPort())));
        config.timeout = 300ms;
        config.retries = 1;
        QNetworkAccessManager network;
        WebhookNotifier notifier(config, &network, fastOptions());
        QSignalSpy failed(&notifier, &WebhookNotifier::failed);
        notifier.notify(test::sampleNotice());
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(u"no answer within 0.3 s"_s) &&
                     message.contains(u"gave up after 2 attempts"_s),
                 qPrintable(message));
        QVERIFY2(!message.contains(u"SECRETPATH"_s), qPrintable(message));
    }

    void networkErrorsNameTheNotifier()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close(); // nothing listens there now: connection refused
        NotifierConfig config = webhookConfig(QUrl(u"http://127.0.0.1:%1/hook/SECRETPATH"_s.arg(port)));
        config.retries = 0;
        QNetworkAccessManager network;
        WebhookNotifier notifier(config, &network, fastOptions());
        QSignalSpy failed(&notifier, &WebhookNotifier::failed);
        notifier.notify(test::sampleNotice());
        QTRY_COMPARE(failed.size(), 1);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.startsWith(u"notifier \"ops\" (webhook to 127.0.0.1): "_s), qPrintable(message));
        QVERIFY2(message.contains(u"refused"_s, Qt::CaseInsensitive), qPrintable(message));
        QVERIFY2(!message.contains(u"SECRETPATH"_s), qPrintable(message));
    }

    void boundsItsQueue()
    {
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        NotifierConfig config = webhookConfig(QUrl(u"http://127.0.0.1:%1/hook"_s.arg(silent.serverPort())));
        config.timeout = 60s;
        QNetworkAccessManager network;
        WebhookNotifier::Options options = fastOptions();
        options.maxQueue = 5;
        WebhookNotifier notifier(config, &network, options);
        QSignalSpy failed(&notifier, &WebhookNotifier::failed);
        for (int i = 0; i < 50; ++i)
            notifier.notify(test::sampleNotice());
        QCOMPARE(notifier.pending(), 6); // one in flight, five waiting
        QCOMPARE(failed.size(), 1);      // said once, not 44 times
        QVERIFY(failed.first().first().toString().contains(u"not keeping up"_s));
    }
};

} // namespace kw

int runWebhookNotifierTests(int argc, char **argv)
{
    kw::TestWebhookNotifier test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_webhooknotifier.moc"
