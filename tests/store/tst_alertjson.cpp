// Workspace key "alert": reading every key at the top level and per endpoint, the messages for bad
// values, unknown keys kept, round trips that keep what was written, and the endpoint's keys
// overriding the workspace default's.
#include "alertjson.h"
#include "workspace.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono;
using namespace std::chrono_literals;
using kw::AlertConfig;
using kw::MaintenanceWindow;
using kw::WallTime;

namespace {

QByteArray workspaceWith(const QByteArray &topAlert, const QByteArray &endpointAlert)
{
    QByteArray json = "{\"version\": 1, ";
    if (!topAlert.isEmpty())
        json += "\"alert\": " + topAlert + ", ";
    json += "\"endpoints\": [{\"name\": \"db\", \"kind\": \"tcp\", \"host\": \"db.internal\", \"port\": 5432";
    if (!endpointAlert.isEmpty())
        json += ", \"alert\": " + endpointAlert;
    return json + "}]}";
}

kw::WorkspaceResult load(const QByteArray &json)
{
    return kw::parseWorkspace(json, u"w.json"_s);
}

QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

class TestAlertJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsEveryKey()
    {
        const auto result = load(workspaceWith(
            R"({"down_after": 3, "down_after_s": 60, "up_after": 2, "resend_every_s": 900,
                "mute_until": "2026-12-24T19:00:00+01:00", "flap_high": 40, "flap_low": 25.5,
                "maintenance": [{"from": "2026-12-24T18:00:00Z", "until": "2026-12-27T08:00:00Z"},
                                {"days": ["sat", "sun"], "start": "02:00", "duration_min": 90, "utc": true},
                                {"days": ["mon"], "start": "23:30", "duration_min": 60}]})",
            {}));
        QVERIFY2(result.ok(), qPrintable(result.errors.join(u'\n')));
        QVERIFY(result.warnings.isEmpty());
        const AlertConfig &a = result.workspace->alert;
        QCOMPARE(a.downAfter, 3);
        QCOMPARE(a.downAfterS, 60s);
        QCOMPARE(a.upAfter, 2);
        QCOMPARE(a.resendEvery, 900s);
        const WallTime christmasEve = WallTime{sys_days{year{2026} / December / 24}};
        QCOMPARE(a.muteUntil, christmasEve + 18h);
        QCOMPARE(a.flapHigh, 40.0);
        QCOMPARE(a.flapLow, 25.5);
        QVERIFY(a.maintenance);
        QCOMPARE(a.maintenance->size(), std::size_t(3));
        const MaintenanceWindow &once = a.maintenance->at(0);
        QVERIFY(!once.weekly);
        QCOMPARE(once.from, christmasEve + 18h);
        QCOMPARE(once.until, christmasEve + 3 * 24h + 8h);
        const MaintenanceWindow &weekend = a.maintenance->at(1);
        QVERIFY(weekend.weekly);
        QCOMPARE(weekend.days, (1u << 5) | (1u << 6));
        QCOMPARE(weekend.start, minutes(120));
        QCOMPARE(weekend.duration, minutes(90));
        QVERIFY(weekend.utc);
        QVERIFY(!a.maintenance->at(2).utc); // local time unless "utc"
        QCOMPARE(a.maintenance->at(2).start, minutes(23 * 60 + 30));
    }

    void endpointOverridesTheDefault()
    {
        const auto result = load(workspaceWith(R"({"down_after": 3, "resend_every_s": 600, "flap_high": 50,
                                                   "maintenance": [{"days": ["sun"], "start": "01:00",
                                                                    "duration_min": 60}]})",
                                               R"({"down_after": 1, "up_after": 4, "maintenance": []})"));
        QVERIFY2(result.ok(), qPrintable(result.errors.join(u'\n')));
        const kw::AlertParams p =
            kw::resolveAlert(result.workspace->alert, result.workspace->endpoints[0].alert);
        QCOMPARE(p.downAfter, 1);              // the endpoint's
        QCOMPARE(p.upAfter, 4);                // the endpoint's
        QCOMPARE(p.resendEvery, seconds(600)); // the default's
        QCOMPARE(p.flapHigh, 50.0);            // the default's
        QCOMPARE(p.flapLow, 20.0);             // built in
        QVERIFY(p.maintenance.empty());        // the endpoint's empty list replaces the default's
        QVERIFY(!p.downAfterS);
        QVERIFY(!p.muteUntil);
        // Nothing anywhere: AlertParams' defaults.
        QCOMPARE(kw::resolveAlert({}, {}), kw::AlertParams{});
    }

    void badValuesNameTheKey_data()
    {
        QTest::addColumn<QByteArray>("alert");
        QTest::addColumn<QString>("message");
        QTest::newRow("not an object") << QByteArray("3") << u"endpoints[0].alert: expected an object"_s;
        QTest::newRow("down_after 0") << QByteArray(R"({"down_after": 0})")
                                      << u"endpoints[0].alert.down_after: expected an integer 1–1000"_s;
        QTest::newRow("down_after_s text") << QByteArray(R"({"down_after_s": "60"})")
                                           << u"endpoints[0].alert.down_after_s: expected an integer"_s;
        QTest::newRow("mute without offset")
            << QByteArray(R"({"mute_until": "2026-12-24T18:00:00"})")
            << u"endpoints[0].alert.mute_until: expected a date and time with its offset"_s;
        QTest::newRow("flap above 100") << QByteArray(R"({"flap_high": 101})")
                                        << u"endpoints[0].alert.flap_high: expected a percentage 0–100"_s;
        QTest::newRow("flap low above high") << QByteArray(R"({"flap_high": 20, "flap_low": 30})")
                                             << u"endpoints[0].alert.flap_low: 30 is above flap_high 20"_s;
        QTest::newRow("maintenance not a list")
            << QByteArray(R"({"maintenance": {}})") << u"endpoints[0].alert.maintenance: expected a list"_s;
        QTest::newRow("window both kinds")
            << QByteArray(R"({"maintenance": [{"from": "2026-12-24T18:00:00Z", "days": ["sun"]}]})")
            << u"endpoints[0].alert.maintenance[0]: either \"from\"/\"until\" (one-off) or"_s;
        QTest::newRow("until before from")
            << QByteArray(
                   R"({"maintenance": [{"from": "2026-12-24T18:00:00Z", "until": "2026-12-24T17:00:00Z"}]})")
            << u"endpoints[0].alert.maintenance[0].until: must be later than \"from\""_s;
        QTest::newRow("no until") << QByteArray(R"({"maintenance": [{"from": "2026-12-24T18:00:00Z"}]})")
                                  << u"endpoints[0].alert.maintenance[0].until: missing"_s;
        QTest::newRow("bad day")
            << QByteArray(R"({"maintenance": [{"days": ["sunday"], "start": "01:00", "duration_min": 5}]})")
            << u"endpoints[0].alert.maintenance[0].days: expected a list of \"mon\""_s;
        QTest::newRow("bad start")
            << QByteArray(R"({"maintenance": [{"days": ["sun"], "start": "24:00", "duration_min": 5}]})")
            << u"endpoints[0].alert.maintenance[0].start: expected a time of day \"HH:MM\""_s;
        QTest::newRow("too long")
            << QByteArray(R"({"maintenance": [{"days": ["sun"], "start": "01:00", "duration_min": 10081}]})")
            << u"endpoints[0].alert.maintenance[0].duration_min: expected an integer 1–10080"_s;
    }

    void badValuesNameTheKey()
    {
        QFETCH(QByteArray, alert);
        QFETCH(QString, message);
        const auto result = load(workspaceWith({}, alert));
        QVERIFY(!result.ok());
        QVERIFY2(std::any_of(result.errors.begin(), result.errors.end(),
                             [&](const QString &e) { return e.contains(message); }),
                 qPrintable(result.errors.join(u'\n')));
    }

    void unknownKeysKeptWithAWarning()
    {
        const auto result = load(workspaceWith(R"({"down_afterr": 3, "future": {"x": 1}})", {}));
        QVERIFY2(result.ok(), qPrintable(result.errors.join(u'\n')));
        QCOMPARE(result.warnings.size(), 2);
        QVERIFY(result.warnings.join(u'\n').contains(u"alert.down_afterr"));
        const QJsonObject saved = object(kw::workspaceToJson(*result.workspace));
        QCOMPARE(saved.value(u"alert").toObject().value(u"down_afterr").toInt(), 3);
        QCOMPARE(saved.value(u"alert").toObject().value(u"future").toObject().value(u"x").toInt(), 1);
    }

    void roundTripKeepsWhatWasWritten()
    {
        const QByteArray alert = R"({"mute_until": "2026-12-24T19:00:00+01:00", "flap_low": 10,
                                     "maintenance": [{"utc": false, "days": ["sun", "mon"], "start": "01:00",
                                                      "duration_min": 60, "note": "backup"}]})";
        const auto first = load(workspaceWith(alert, alert));
        QVERIFY2(first.ok(), qPrintable(first.errors.join(u'\n')));
        const QByteArray saved = kw::workspaceToJson(*first.workspace);
        const QJsonObject written = object(saved).value(u"alert").toObject();
        QCOMPARE(written, object(alert)); // the offset, "utc": false and the window's note survive
        const auto second = load(saved);
        QVERIFY(second.ok());
        QCOMPARE(kw::workspaceToJson(*second.workspace), saved);
        QCOMPARE(second.workspace->endpoints[0].alert, first.workspace->endpoints[0].alert);
    }

    void editsAreWritten()
    {
        auto result =
            load(workspaceWith({}, R"({"down_after": 2, "mute_until": "2026-12-24T19:00:00+01:00"})"));
        QVERIFY(result.ok());
        kw::EndpointConfig &db = result.workspace->endpoints[0];
        // Muted for an hour from a given instant, as the window's menu does; "down_after" removed.
        const WallTime until = WallTime{sys_days{year{2026} / December / 1}} + 18h + 30min;
        db.alert.muteUntil = until;
        db.alert.downAfter.reset();
        db.alert.maintenance = std::vector<MaintenanceWindow>{};
        const QJsonObject written = kw::endpointToJson(db).value(u"alert").toObject();
        QCOMPARE(written.value(u"mute_until").toString(), u"2026-12-01T18:30:00Z"_s);
        QVERIFY(!written.contains(u"down_after"));
        QCOMPARE(written.value(u"maintenance").toArray().size(), 0);
        // Unmuted and nothing else: the keys go (the object stays, as the file had one).
        db.alert = {};
        QCOMPARE(kw::endpointToJson(db).value(u"alert").toObject(), QJsonObject());
        db.raw.remove(u"alert"_s);
        QVERIFY(!kw::endpointToJson(db).contains(u"alert"));
        // An edit of the alert keys is an edit of the endpoint.
        kw::EndpointConfig other = db;
        other.alert.upAfter = 2;
        QVERIFY(!(other == db));
    }

    void wallTimes()
    {
        const WallTime t = WallTime{sys_days{year{2026} / December / 1}} + 18h;
        QCOMPARE(kw::formatWallTime(t), u"2026-12-01T18:00:00Z"_s);
        QCOMPARE(kw::formatWallTime(t + 250ms), u"2026-12-01T18:00:00.250Z"_s);
        QCOMPARE(kw::parseWallTime(u"2026-12-01T18:00:00Z"_s), t);
        QCOMPARE(kw::parseWallTime(u"2026-12-01T20:00:00+02:00"_s), t);
        QCOMPARE(kw::parseWallTime(u"2026-12-01T18:00:00.250Z"_s), t + 250ms);
        QVERIFY(!kw::parseWallTime(u"2026-12-01T18:00:00"_s));
        QVERIFY(!kw::parseWallTime(u"2026-12-01"_s));
        QVERIFY(!kw::parseWallTime(u"tomorrow"_s));
        // Far beyond the system clock's nanoseconds (2262): still a time, no overflow (found by
        // fuzz_workspace).
        const std::optional<WallTime> far = kw::parseWallTime(u"9735-12-24T18:00:00Z"_s);
        QVERIFY(far);
        QCOMPARE(year_month_day(floor<days>(*far)).year(), year{9735});
        QCOMPARE(kw::formatWallTime(*far), u"9735-12-24T18:00:00Z"_s);
    }
};

QTEST_APPLESS_MAIN(TestAlertJson)
#include "tst_alertjson.moc"
