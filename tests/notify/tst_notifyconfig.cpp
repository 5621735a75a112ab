// The "notify" key of the workspace, the words and bodies of an alert, and the rate limit's logic.
#include "alertbody.h"
#include "alertratelimit.h"
#include "notifyjson.h"
#include "notifytests.h"
#include "workspace.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
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

QByteArray workspaceWith(const QByteArray &notify)
{
    return j("{'version': 1, 'endpoints': [], 'notify': ") + notify + "}";
}

} // namespace

class TestNotifyConfig final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesEveryKey()
    {
        const WorkspaceResult r = parseWorkspace(
            workspaceWith(j(
                "["
                "            {'name': 'ops-slack', 'type': 'webhook', 'url': "
                "'https://hooks.slack.example/services/T0/B0',"
                "             'template': 'slack', 'secret_env': 'KW_SLACK_SECRET', 'token_env': "
                "'KW_SLACK_TOKEN',"
                "             'timeout_s': 2.5, 'retries': 5, 'tags': ['prod'], 'endpoints': ['db primary'],"
                "             'kinds': ['down', 'up'], 'rate_limit': {'count': 3, 'window_s': 120}},"
                "            {'name': 'pager', 'type': 'command', 'program': '/usr/local/bin/page', 'args': "
                "['--urgent', 'a b']},"
                "            {'name': 'desk', 'type': 'desktop', 'enabled': false}"
                "        ]")),
            u"w.json"_s);
        QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
        QVERIFY2(r.warnings.isEmpty(), qPrintable(r.warnings.join(u'\n')));
        const QList<NotifierConfig> &n = r.workspace->notify;
        QCOMPARE(n.size(), 3);
        QCOMPARE(n[0].name, u"ops-slack"_s);
        QCOMPARE(n[0].type, NotifierType::Webhook);
        QCOMPARE(n[0].url, QUrl(u"https://hooks.slack.example/services/T0/B0"_s));
        QCOMPARE(n[0].bodyTemplate, WebhookTemplate::Slack);
        QCOMPARE(n[0].secretEnv, u"KW_SLACK_SECRET"_s);
        QCOMPARE(n[0].tokenEnv, u"KW_SLACK_TOKEN"_s);
        QCOMPARE(n[0].effectiveTimeout(), 2500ms);
        QCOMPARE(n[0].retries, 5);
        QCOMPARE(n[0].tags, QStringList{u"prod"_s});
        QCOMPARE(n[0].endpoints, QStringList{u"db primary"_s});
        QCOMPARE(n[0].kinds, (QList<AlertKind>{AlertKind::Down, AlertKind::Up}));
        QCOMPARE(n[0].rateCount, 3);
        QCOMPARE(n[0].rateWindow, 120'000ms);
        QCOMPARE(n[1].type, NotifierType::Command);
        QCOMPARE(n[1].program, u"/usr/local/bin/page"_s);
        QCOMPARE(n[1].args, (QStringList{u"--urgent"_s, u"a b"_s}));
        QCOMPARE(n[1].effectiveTimeout(), NotifierConfig::kDefaultCommandTimeout);
        QCOMPARE(n[2].type, NotifierType::Desktop);
        QVERIFY(!n[2].enabled);

        // Save, load, save: the same notifiers and the same bytes; defaults are not added.
        const QByteArray saved = workspaceToJson(*r.workspace);
        const WorkspaceResult again = parseWorkspace(saved, u"saved.json"_s);
        QVERIFY(again.ok());
        QCOMPARE(again.workspace->notify, n);
        QCOMPARE(workspaceToJson(*again.workspace), saved);
        QVERIFY(!saved.contains("\"retries\": 3"));
        QVERIFY(!QJsonDocument::fromJson(saved)
                     .object()
                     .value(u"notify"_s)
                     .toArray()
                     .at(1)
                     .toObject()
                     .contains(u"rate_limit"_s));
    }

    void keepsUnknownKeys()
    {
        const WorkspaceResult r = parseWorkspace(
            workspaceWith(j("[{'name': 'n', 'type': 'desktop', 'sound': 'bell'}]")), u"w.json"_s);
        QVERIFY(r.ok());
        QCOMPARE(r.warnings.size(), 1);
        QVERIFY2(r.warnings.first().contains(u"notify[0].sound: unknown key"_s),
                 qPrintable(r.warnings.first()));
        QVERIFY(workspaceToJson(*r.workspace).contains("\"sound\": \"bell\""));
    }

    void refusesBadInput_data()
    {
        QTest::addColumn<QByteArray>("notify");
        QTest::addColumn<QString>("message");
        QTest::newRow("not an array") << QByteArray(j("{'name': 'x'}")) << u"notify: expected an array"_s;
        QTest::newRow("no name") << QByteArray(j("[{'type': 'desktop'}]")) << u"notify[0].name: required"_s;
        QTest::newRow("no type") << QByteArray(j("[{'name': 'a'}]")) << u"notify[0].type: required: one of"_s;
        QTest::newRow("bad type")
            << QByteArray(j("[{'name': 'a', 'type': 'email'}]"))
            << u"notify[0].type: expected one of \"desktop\", \"webhook\", \"command\""_s;
        QTest::newRow("same name")
            << QByteArray(j("[{'name': 'a', 'type': 'desktop'}, {'name': 'a', 'type': 'desktop'}]"))
            << u"notify[1].name: \"a\" is already the name of notify[0]"_s;
        QTest::newRow("no url") << QByteArray(j("[{'name': 'a', 'type': 'webhook'}]"))
                                << u"notify[0].url: required for type \"webhook\""_s;
        QTest::newRow("url and url_env")
            << QByteArray(j("[{'name': 'a', 'type': 'webhook', 'url': 'https://h/x', 'url_env': 'KW_URL'}]"))
            << u"notify[0].url: give either \"url\" or \"url_env\", not both"_s;
        QTest::newRow("bad url_env") << QByteArray(
                                            j("[{'name': 'a', 'type': 'webhook', 'url_env': 'https://h/x'}]"))
                                     << u"notify[0].url_env: expected the name of an environment variable"_s;
        QTest::newRow("ftp url") << QByteArray(j("[{'name': 'a', 'type': 'webhook', 'url': 'ftp://h/x'}]"))
                                 << u"notify[0].url: expected an http:// or https:// address"_s;
        QTest::newRow("password in url")
            << QByteArray(j("[{'name': 'a', 'type': 'webhook', 'url': 'https://u:pw@h/x'}]"))
            << u"notify[0].url: contains a password; secrets are never kept in the workspace"_s;
        QTest::newRow("secret in file")
            << QByteArray(j("[{'name': 'a', 'type': 'webhook', 'url': 'https://h/x', 'secret': 's3'}]"))
            << u"notify[0].secret: secrets are never kept in the workspace; put it in an environment "
               u"variable "
               "and name that variable in \"secret_env\""_s;
        QTest::newRow("token in file")
            << QByteArray(j("[{'name': 'a', 'type': 'webhook', 'url': 'https://h/x', 'token': 't'}]"))
            << u"name that variable in \"token_env\""_s;
        QTest::newRow("bad variable name")
            << QByteArray(
                   j("[{'name': 'a', 'type': 'webhook', 'url': 'https://h/x', 'secret_env': '1 BAD'}]"))
            << u"notify[0].secret_env: expected the name of an environment variable"_s;
        QTest::newRow("bad template")
            << QByteArray(
                   j("[{'name': 'a', 'type': 'webhook', 'url': 'https://h/x', 'template': 'discord'}]"))
            << u"notify[0].template: expected one of \"json\", \"slack\", \"teams\", \"ntfy\""_s;
        QTest::newRow("retries")
            << QByteArray(j("[{'name': 'a', 'type': 'webhook', 'url': 'https://h/', 'retries': 11}]"))
            << u"notify[0].retries: expected an integer 0–10"_s;
        QTest::newRow("kind") << QByteArray(
                                     j("[{'name': 'a', 'type': 'desktop', 'kinds': ['down', 'sideways']}]"))
                              << u"notify[0].kinds: expected an array of alert kinds"_s;
        QTest::newRow("kind twice") << QByteArray(
                                           j("[{'name': 'a', 'type': 'desktop', 'kinds': ['up', 'up']}]"))
                                    << u"notify[0].kinds: \"up\" is listed twice"_s;
        QTest::newRow("endpoints") << QByteArray(j("[{'name': 'a', 'type': 'desktop', 'endpoints': ['']}]"))
                                   << u"notify[0].endpoints: expected an array of endpoint names"_s;
        QTest::newRow("rate") << QByteArray(
                                     j("[{'name': 'a', 'type': 'desktop', 'rate_limit': {'count': 0}}]"))
                              << u"notify[0].rate_limit.count: expected an integer 1–10000"_s;
        QTest::newRow("no program") << QByteArray(j("[{'name': 'a', 'type': 'command'}]"))
                                    << u"notify[0].program: required for type \"command\""_s;
        QTest::newRow("args") << QByteArray(
                                     j("[{'name': 'a', 'type': 'command', 'program': 'p', 'args': [1]}]"))
                              << u"notify[0].args: expected an array of strings, got 1 at index 0"_s;
        QTest::newRow("url on command")
            << QByteArray(j("[{'name': 'a', 'type': 'command', 'program': 'p', 'url': 'https://h/'}]"))
            << u"notify[0].url: not used by type \"command\"; remove it"_s;
        QTest::newRow("program on desktop")
            << QByteArray(j("[{'name': 'a', 'type': 'desktop', 'program': 'p'}]"))
            << u"notify[0].program: not used by type \"desktop\"; remove it"_s;
    }

    void refusesBadInput()
    {
        QFETCH(QByteArray, notify);
        QFETCH(QString, message);
        const WorkspaceResult r = parseWorkspace(workspaceWith(notify), u"w.json"_s);
        QVERIFY(!r.ok());
        QVERIFY(!r.workspace);
        const bool found = std::any_of(r.errors.cbegin(), r.errors.cend(), [&](const QString &e) {
            return e.startsWith(u"w.json: "_s) && e.contains(message);
        });
        QVERIFY2(found, qPrintable(r.errors.join(u'\n')));
    }

    void urlFromTheEnvironment()
    {
        const WorkspaceResult r = parseWorkspace(
            workspaceWith(
                j("[{'name': 'slack', 'type': 'webhook', 'url_env': 'KW_SLACK_URL', 'template': 'slack'}]")),
            u"w.json"_s);
        QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
        QCOMPARE(r.workspace->notify.first().urlEnv, u"KW_SLACK_URL"_s);
        QVERIFY(r.workspace->notify.first().url.isEmpty());
        const QByteArray saved = workspaceToJson(*r.workspace);
        QVERIFY(saved.contains("\"url_env\": \"KW_SLACK_URL\""));
        QVERIFY(!saved.contains("\"url\""));
        QCOMPARE(parseWorkspace(saved, u"s.json"_s).workspace->notify, r.workspace->notify);
    }

    void secretValuesNeverReachTheFile()
    {
        // Only the names of the variables are kept; the values are read at send time.
        qputenv("KW_TEST_NOTIFY_SECRET", "s3cr3t-value-1234");
        const WorkspaceResult r =
            parseWorkspace(workspaceWith(j("[{'name': 'a', 'type': 'webhook', 'url': 'https://h/x', "
                                           "'secret_env': 'KW_TEST_NOTIFY_SECRET'}]")),
                           u"w.json"_s);
        QVERIFY(r.ok());
        const QByteArray saved = workspaceToJson(*r.workspace);
        QVERIFY(saved.contains("KW_TEST_NOTIFY_SECRET"));
        QVERIFY(!saved.contains("s3cr3t-value-1234"));
        qunsetenv("KW_TEST_NOTIFY_SECRET");
    }

    void filters_data()
    {
        QTest::addColumn<QByteArray>("filter");
        QTest::addColumn<QString>("endpoint");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QStringList>("tags");
        QTest::addColumn<bool>("accepted");
        const int down = int(AlertKind::Down);
        const int up = int(AlertKind::Up);
        QTest::newRow("no filter") << QByteArray("") << u"a"_s << down << QStringList() << true;
        QTest::newRow("tag matches") << QByteArray(j("'tags': ['db', 'prod'],")) << u"a"_s << down
                                     << QStringList{u"prod"_s} << true;
        QTest::newRow("tag does not")
            << QByteArray(j("'tags': ['prod'],")) << u"a"_s << down << QStringList{u"staging"_s} << false;
        QTest::newRow("untagged") << QByteArray(j("'tags': ['prod'],")) << u"a"_s << down << QStringList()
                                  << false;
        QTest::newRow("endpoint listed")
            << QByteArray(j("'endpoints': ['a', 'b'],")) << u"b"_s << down << QStringList() << true;
        QTest::newRow("endpoint not")
            << QByteArray(j("'endpoints': ['a'],")) << u"c"_s << down << QStringList() << false;
        QTest::newRow("kind listed") << QByteArray(j("'kinds': ['up'],")) << u"a"_s << up << QStringList()
                                     << true;
        QTest::newRow("kind not") << QByteArray(j("'kinds': ['up'],")) << u"a"_s << down << QStringList()
                                  << false;
        QTest::newRow("all of them") << QByteArray(
                                            j("'kinds': ['down'], 'tags': ['prod'], 'endpoints': ['a'],"))
                                     << u"a"_s << down << QStringList{u"prod"_s} << true;
    }

    void filters()
    {
        QFETCH(QByteArray, filter);
        QFETCH(QString, endpoint);
        QFETCH(int, kind);
        QFETCH(QStringList, tags);
        QFETCH(bool, accepted);
        const WorkspaceResult r =
            parseWorkspace(workspaceWith("[{" + filter + j("'name': 'n', 'type': 'desktop'}]")), u"w.json"_s);
        QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
        const AlertNotice notice = test::sampleNotice(endpoint, AlertKind(kind), tags);
        QCOMPARE(r.workspace->notify.first().accepts(notice), accepted);
    }

    void words()
    {
        const AlertNotice down = test::sampleNotice();
        QCOMPARE(alertTitle(down), u"db-primary is down"_s);
        QCOMPARE(alertText(down),
                 u"db.internal:5432: keepalive-timeout (no ACK to 5 probes), detected within "
                 "45 s (since 2026-03-04 10:42:04 UTC)"_s);
        const AlertNotice up = test::sampleNotice(u"db-primary"_s, AlertKind::Up);
        QCOMPARE(alertTitle(up), u"db-primary is back up"_s);
        QVERIFY2(alertText(up).contains(u"back after 2.1 min down"_s), qPrintable(alertText(up)));
    }

    void bodies()
    {
        const AlertNotice n = test::sampleNotice();
        const QJsonObject json = QJsonDocument::fromJson(webhookBody(WebhookTemplate::Json, n).body).object();
        QCOMPARE(json.value(u"alert"_s).toString(), u"down"_s);
        QCOMPARE(json.value(u"endpoint"_s).toString(), u"db-primary"_s);
        QCOMPARE(json.value(u"state"_s).toString(), u"down"_s);
        QCOMPARE(json.value(u"cause"_s).toString(), u"keepalive-timeout"_s);
        QCOMPARE(json.value(u"detail"_s).toString(), u"no ACK to 5 probes"_s);
        QCOMPARE(json.value(u"target"_s).toString(), u"db.internal:5432"_s);
        QCOMPARE(json.value(u"bound_ms"_s).toInteger(), 45'000);
        QCOMPARE(json.value(u"ts"_s).toString(), u"2026-03-04T10:42:07.000Z"_s);
        QCOMPARE(json.value(u"down_since"_s).toString(), u"2026-03-04T10:42:04.000Z"_s);
        QCOMPARE(json.value(u"tags"_s).toArray(), QJsonArray{u"prod"_s});
        QVERIFY(!json.contains(u"down_for_ms"_s));

        const QJsonObject slack =
            QJsonDocument::fromJson(webhookBody(WebhookTemplate::Slack, n).body).object();
        QVERIFY(slack.value(u"text"_s).toString().startsWith(u":red_circle: *db-primary is down*\n"_s));

        const QJsonObject teams =
            QJsonDocument::fromJson(webhookBody(WebhookTemplate::Teams, n).body).object();
        QCOMPARE(teams.value(u"type"_s).toString(), u"message"_s);
        const QJsonObject attachment = teams.value(u"attachments"_s).toArray().at(0).toObject();
        QCOMPARE(attachment.value(u"contentType"_s).toString(), u"application/vnd.microsoft.card.adaptive"_s);
        const QJsonObject card = attachment.value(u"content"_s).toObject();
        QCOMPARE(card.value(u"type"_s).toString(), u"AdaptiveCard"_s);
        QCOMPARE(card.value(u"body"_s).toArray().at(0).toObject().value(u"text"_s).toString(),
                 u"db-primary is down"_s);

        const WebhookBody ntfy = webhookBody(WebhookTemplate::Ntfy, n);
        QVERIFY(ntfy.contentType.startsWith("text/plain"));
        QCOMPARE(ntfy.body, alertText(n).toUtf8());
        QVERIFY(ntfy.headers.contains(qMakePair(QByteArray("Title"), QByteArray("db-primary is down"))));
        QVERIFY(ntfy.headers.contains(qMakePair(QByteArray("Priority"), QByteArray("5"))));
    }

    void signature()
    {
        // Checked against an HMAC computed here, the way a receiver does.
        const QByteArray body = j("{'alert':'down'}");
        const QByteArray expected =
            QMessageAuthenticationCode::hash("1700000000." + body, "key", QCryptographicHash::Sha256).toHex();
        QCOMPARE(webhookSignature("key", "1700000000", body), "sha256=" + expected);
        QVERIFY(webhookSignature("key", "1700000001", body) != webhookSignature("key", "1700000000", body));
    }

    void rateLimitHoldsABurstForOneSummary()
    {
        AlertRateLimit limit(3, 60s);
        const TimePoint t0{std::chrono::hours(1)};
        int sent = 0;
        for (int i = 0; i < 100; ++i)
            sent +=
                limit.admit(test::sampleNotice(u"ep-"_s + QString::number(i % 20)), t0 + i * 10ms) ? 1 : 0;
        QCOMPARE(sent, 3);
        QCOMPARE(limit.held(), 97);
        QCOMPARE(limit.summaryDue(), std::optional<TimePoint>(t0 + 60s));
        QVERIFY(!limit.takeSummary(t0 + 59s));
        const std::optional<AlertSummary> summary = limit.takeSummary(t0 + 60s);
        QVERIFY(summary);
        QCOMPARE(summary->count, 97);
        QCOMPARE(summary->byKind.value(AlertKind::Down), 97);
        QCOMPARE(summary->endpoints.size(), AlertSummary::kMaxNames);
        QCOMPARE(summary->otherEndpoints, 10);
        QVERIFY(!limit.summaryDue());
        QVERIFY(summaryText(*summary).contains(u"and 10 other(s)"_s));
        // The summary was the first message of the new window: two more fit in it, not three.
        QVERIFY(limit.admit(test::sampleNotice(), t0 + 61s));
        QVERIFY(limit.admit(test::sampleNotice(), t0 + 62s));
        QVERIFY(!limit.admit(test::sampleNotice(), t0 + 63s));
    }

    void fuzzSeedsRoundTrip()
    {
        // fuzz_workspace's property for notifiers, over its seeds: what parses saves and parses back
        // to the same notifiers, and saving twice gives the same bytes.
        const QDir dir(QStringLiteral(KW_FUZZ_CORPUS_DIR "/workspace"));
        const QStringList seeds = dir.entryList(QDir::Files);
        QVERIFY(seeds.contains(u"valid-notify.json"_s));
        for (const QString &seed : seeds) {
            QFile file(dir.filePath(seed));
            QVERIFY(file.open(QIODevice::ReadOnly));
            const WorkspaceResult r = parseWorkspace(file.readAll(), seed);
            if (seed.startsWith(u"valid-"_s))
                QVERIFY2(r.ok(), qPrintable(seed + u": "_s + r.errors.join(u'\n')));
            if (!r.workspace)
                continue;
            const QByteArray saved = workspaceToJson(*r.workspace);
            const WorkspaceResult again = parseWorkspace(saved, seed);
            QVERIFY2(again.ok(), qPrintable(seed));
            QCOMPARE(again.workspace->notify, r.workspace->notify);
            QCOMPARE(workspaceToJson(*again.workspace), saved);
            if (seed == u"valid-notify.json"_s)
                QCOMPARE(r.workspace->notify.size(), 4);
        }
    }

    void rateLimitLetsASteadyTrickleThrough()
    {
        AlertRateLimit limit(2, 10s);
        const TimePoint t0{std::chrono::hours(1)};
        for (int i = 0; i < 20; ++i)
            QVERIFY(limit.admit(test::sampleNotice(), t0 + i * 6s));
        QVERIFY(!limit.summaryDue());
    }
};

} // namespace kw

int runNotifyConfigTests(int argc, char **argv)
{
    kw::TestNotifyConfig test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_notifyconfig.moc"
