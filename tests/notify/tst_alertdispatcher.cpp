// AlertDispatcher: routing by filters, the rate limit turning a burst into a few posts and a summary,
// the implicit desktop route, and secrets kept out of everything a person or a log sees.
#include "alertdispatcher.h"
#include "notifytests.h"
#include "webhooksink.h"
#include "workspace.h"

#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace kw {
namespace {

// JSON written with single quotes, so it reads without escapes (moc mis-reads raw strings with quotes).
QByteArray j(const char *json)
{
    return QByteArray(json).replace('\'', '"');
}

// Stands for the window's desktop notifier.
class RecordingNotifier final : public AlertNotifier
{
public:
    void notify(const AlertNotice &notice) override { notices << notice; }
    void notifySummary(const AlertSummary &summary) override { summaries << summary; }
    QList<AlertNotice> notices;
    QList<AlertSummary> summaries;
};

QList<NotifierConfig> parseNotifiers(const QByteArray &notify)
{
    const WorkspaceResult r =
        parseWorkspace(j("{'version': 1, 'endpoints': [], 'notify': ") + notify + "}", u"w.json"_s);
    if (!r.ok())
        qWarning().noquote() << r.errors.join(u'\n');
    return r.ok() ? r.workspace->notify : QList<NotifierConfig>();
}

QByteArray url(const test::WebhookSink &sink)
{
    return sink.url().toString().toUtf8();
}

QStringList endpointsPosted(const test::WebhookSink &sink)
{
    QStringList out;
    for (const test::WebhookSink::Request &r : sink.requests)
        out << r.json().value(u"endpoint"_s).toString();
    return out;
}

// Every message logged while it lives.
QStringList *g_log = nullptr;
void recordMessage(QtMsgType, const QMessageLogContext &, const QString &message)
{
    if (g_log)
        *g_log << message;
}

} // namespace

class TestAlertDispatcher final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void routesByFilters()
    {
        test::WebhookSink prod;
        test::WebhookSink recoveries;
        QVERIFY(prod.listen() && recoveries.listen());
        SteadyClock clock;
        AlertDispatcher dispatcher(clock);
        const QStringList warnings = dispatcher.configure(
            parseNotifiers(j("[{'name': 'prod', 'type': 'webhook', 'url': '") + url(prod) +
                           j("', 'tags': ['prod']},"
                             "                {'name': 'recoveries', 'type': 'webhook', 'url': '") +
                           url(recoveries) +
                           j("', 'kinds': ['up']},"
                             "                {'name': 'off', 'type': 'webhook', 'url': '") +
                           url(prod) +
                           j("', 'enabled': false},"
                             "                {'name': 'desk', 'type': 'desktop'}]")));
        QVERIFY(warnings.isEmpty());
        // Headless: no desktop notifier, so no desktop route.
        QCOMPARE(dispatcher.routeNames(), (QStringList{u"prod"_s, u"recoveries"_s}));
        dispatcher.dispatch({test::sampleNotice(u"db"_s, AlertKind::Down, {u"prod"_s}),
                             test::sampleNotice(u"cache"_s, AlertKind::Down, {u"staging"_s}),
                             test::sampleNotice(u"cache"_s, AlertKind::Up, {u"staging"_s}),
                             test::sampleNotice(u"db"_s, AlertKind::Up, {u"prod"_s})});
        QTRY_COMPARE(prod.requests.size(), 2);
        QTRY_COMPARE(recoveries.requests.size(), 2);
        QTest::qWait(100);
        QCOMPARE(endpointsPosted(prod), (QStringList{u"db"_s, u"db"_s}));
        QCOMPARE(endpointsPosted(recoveries), (QStringList{u"cache"_s, u"db"_s}));
        QCOMPARE(recoveries.requests.first().json().value(u"alert"_s).toString(), u"up"_s);
    }

    void aBurstBecomesAFewPostsAndASummary()
    {
        test::WebhookSink sink;
        QVERIFY(sink.listen());
        SteadyClock clock;
        AlertDispatcher dispatcher(clock);
        dispatcher.configure(parseNotifiers(j("[{'name': 'ops', 'type': 'webhook', 'url': '") + url(sink) +
                                            j("', 'rate_limit': {'count': 3, 'window_s': 0.5}}]")));
        QList<AlertNotice> burst;
        for (int i = 0; i < 100; ++i)
            burst << test::sampleNotice(u"ep-"_s + QString::number(i));
        dispatcher.dispatch(burst);
        QTRY_COMPARE(sink.requests.size(), 4);
        QCOMPARE(endpointsPosted(sink).mid(0, 3), (QStringList{u"ep-0"_s, u"ep-1"_s, u"ep-2"_s}));
        const QJsonObject summary = sink.requests[3].json();
        QCOMPARE(summary.value(u"alert"_s).toString(), u"summary"_s);
        QCOMPARE(summary.value(u"count"_s).toInt(), 97);
        QCOMPARE(summary.value(u"kinds"_s).toObject().value(u"down"_s).toInt(), 97);
        QCOMPARE(summary.value(u"endpoints"_s).toArray().first().toString(), u"ep-3"_s);
        QCOMPARE(summary.value(u"other_endpoints"_s).toInt(), 97 - AlertSummary::kMaxNames);
        QTest::qWait(700);
        QCOMPARE(sink.requests.size(), 4); // nothing more was held
    }

    void desktopGetsEverythingWhenNotConfigured()
    {
        SteadyClock clock;
        AlertDispatcher dispatcher(clock);
        RecordingNotifier desktop;
        dispatcher.setDesktopNotifier(&desktop);
        dispatcher.configure({});
        QCOMPARE(dispatcher.routeNames(), QStringList{u"desktop"_s});
        dispatcher.dispatch({test::sampleNotice(u"a"_s), test::sampleNotice(u"b"_s, AlertKind::Up)});
        QCOMPARE(desktop.notices.size(), 2);

        // A "desktop" entry takes the implicit one's place, with its filters...
        dispatcher.configure(parseNotifiers(j("[{'name': 'mine', 'type': 'desktop', 'kinds': ['up']}]")));
        QCOMPARE(dispatcher.routeNames(), QStringList{u"mine"_s});
        dispatcher.dispatch({test::sampleNotice(u"c"_s), test::sampleNotice(u"d"_s, AlertKind::Up)});
        QCOMPARE(desktop.notices.size(), 3);
        QCOMPARE(desktop.notices.last().endpoint, u"d"_s);
        // ...and one that is disabled turns the desktop off.
        dispatcher.configure(parseNotifiers(j("[{'name': 'mine', 'type': 'desktop', 'enabled': false}]")));
        QVERIFY(dispatcher.routeNames().isEmpty());
        dispatcher.dispatch({test::sampleNotice(u"e"_s)});
        QCOMPARE(desktop.notices.size(), 3);
    }

    void desktopSummaryAfterABurst()
    {
        SteadyClock clock;
        AlertDispatcher dispatcher(clock);
        RecordingNotifier desktop;
        dispatcher.setDesktopNotifier(&desktop);
        dispatcher.configure(parseNotifiers(
            j("[{'name': 'd', 'type': 'desktop', 'rate_limit': {'count': 2, 'window_s': 0.2}}]")));
        QList<AlertNotice> burst;
        for (int i = 0; i < 30; ++i)
            burst << test::sampleNotice();
        dispatcher.dispatch(burst);
        QCOMPARE(desktop.notices.size(), 2);
        QTRY_COMPARE(desktop.summaries.size(), 1);
        QCOMPARE(desktop.summaries.first().count, 28);
    }

    void secretsNeverShow()
    {
        const QByteArray secret = "hmac-7c1d9e-do-not-print";
        const QByteArray token = "token-55aa-do-not-print";
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"KW_T_SECRET"_s, QString::fromLatin1(secret));
        environment.insert(u"KW_T_TOKEN"_s, QString::fromLatin1(token));
        AlertDispatcher::Options options;
        options.environment = environment;
        options.firstRetryBackoff = 20ms;

        test::WebhookSink sink;
        QVERIFY(sink.listen());
        sink.script({{QHttpServerResponder::StatusCode::InternalServerError, {}},
                     {QHttpServerResponder::StatusCode::InternalServerError, {}}});
        QTemporaryDir dir;
        const QString envFile = dir.filePath(u"env.txt"_s);
        const QString sh = QStandardPaths::findExecutable(u"sh"_s);
        QVERIFY(!sh.isEmpty());
        const QByteArray notify =
            j("[{'name': 'ops', 'type': 'webhook', 'url': '") + url(sink) +
            j("', 'secret_env': 'KW_T_SECRET', 'token_env': 'KW_T_TOKEN', 'retries': 1},"
              "             {'name': 'run', 'type': 'command', 'program': '") +
            sh.toUtf8() + j("', 'args': ['-c', 'env > \\'$0\\'; exit 1', '") + envFile.toUtf8() + j("']}]");
        const WorkspaceResult workspace =
            parseWorkspace(j("{'version': 1, 'endpoints': [], 'notify': ") + notify + "}", u"w.json"_s);
        QVERIFY2(workspace.ok(), qPrintable(workspace.errors.join(u'\n')));

        QStringList log;
        g_log = &log;
        const QtMessageHandler previous = qInstallMessageHandler(recordMessage);
        {
            SteadyClock clock;
            AlertDispatcher dispatcher(clock, options);
            QSignalSpy failed(&dispatcher, &AlertDispatcher::deliveryFailed);
            dispatcher.configure(workspace.workspace->notify);
            dispatcher.dispatch({test::sampleNotice()});
            QTRY_COMPARE(failed.size(), 2); // the webhook gave up after its retry; the command exited 1
            QCOMPARE(sink.requests.size(), 2);
        }
        qInstallMessageHandler(previous);
        g_log = nullptr;

        QVERIFY(!log.isEmpty()); // the failures were logged
        const QString joined = log.join(u'\n');
        QVERIFY2(joined.contains(u"notifier \"ops\""_s) && joined.contains(u"HTTP 500"_s),
                 qPrintable(joined));
        QVERIFY2(joined.contains(u"notifier \"run\""_s), qPrintable(joined));
        QVERIFY(!joined.contains(QString::fromLatin1(secret)));
        QVERIFY(!joined.contains(QString::fromLatin1(token)));
        const QByteArray saved = workspaceToJson(*workspace.workspace);
        QVERIFY(!saved.contains(secret) && !saved.contains(token));
        for (const test::WebhookSink::Request &r : sink.requests)
            QVERIFY(!r.body.contains(secret) && !r.body.contains(token));
        // The command inherits the environment, but not the webhook's secrets.
        QFile file(envFile);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray env = file.readAll();
        QVERIFY(env.contains("KEEPWATCH_ENDPOINT=db-primary"));
        QVERIFY(!env.contains(secret) && !env.contains(token));
    }

    void warnsAboutAMissingSecret()
    {
        SteadyClock clock;
        AlertDispatcher::Options options;
        options.environment = QProcessEnvironment();
        AlertDispatcher dispatcher(clock, options);
        const QStringList warnings = dispatcher.configure(
            parseNotifiers(j("[{'name': 'ops', 'type': 'webhook', 'url': 'https://hooks.example/x', "
                             "'secret_env': 'KW_NOT_SET_HERE'}]")));
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings.first().contains(
                     u"notifier \"ops\": the environment variable KW_NOT_SET_HERE (secret_env) "
                     "is not set"_s),
                 qPrintable(warnings.first()));
    }
};

} // namespace kw

int runAlertDispatcherTests(int argc, char **argv)
{
    kw::TestAlertDispatcher test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_alertdispatcher.moc"
