#include "alertrules.h"
#include "manualclock.h"

#include <QTest>

#include <chrono>
#include <functional>

using namespace std::chrono;
using namespace std::chrono_literals;
using kw::AlertDecision;
using kw::AlertKind;
using kw::AlertParams;
using kw::AlertRules;
using kw::AlertSuppression;
using kw::Cause;
using kw::CauseCode;
using kw::EndpointState;
using kw::FlapDetector;
using kw::MaintenanceWindow;
using kw::WallTime;

namespace {

// Friday 4 December 2026, 12:00 UTC.
const WallTime kFriday = WallTime{sys_days{year{2026} / December / 4}} + 12h;

class FakeWall final : public kw::WallClock
{
public:
    WallTime now() const override { return t; }
    seconds utcOffset(WallTime at) const override { return offset ? offset(at) : seconds::zero(); }

    WallTime t = kFriday;
    std::function<seconds(WallTime)> offset;
};

WallTime utcAt(year_month_day day, hours h, minutes m = 0min)
{
    return WallTime{sys_days{day}} + h + m;
}

// Both clocks move together, as real time does.
struct Clocks
{
    kw::test::ManualClock steady;
    FakeWall wall;

    void advance(kw::Duration by)
    {
        steady.advance(by);
        wall.t += duration_cast<milliseconds>(by);
    }
};

int announcedCount(const std::vector<AlertDecision> &decisions)
{
    return int(std::count_if(decisions.begin(), decisions.end(),
                             [](const AlertDecision &d) { return d.announced(); }));
}

// Up -> Down (cause reset) -> Waiting, as a session reports one failed attempt.
std::vector<AlertDecision> fail(AlertRules &rules, CauseCode cause = CauseCode::Reset)
{
    std::vector<AlertDecision> out = rules.noteState(EndpointState::Down, cause);
    rules.noteState(EndpointState::Waiting);
    rules.noteState(EndpointState::Connecting);
    return out;
}

} // namespace

class TestAlertRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nagiosWeightsFullWindow();
    void nagiosWeightsShortHistory();
    void nagiosEveryChangeIsHundredPercent();
    void firstConnectSaysNothing();
    void downAndUpAnnouncedAtOnceByDefault();
    void downAfterCountsFailedChecks();
    void downAfterSecondsRunsOnTheDeadline();
    void recoveryBeforeDownAfterSecondsSaysNothing();
    void upAfterCountsGoodChecks();
    void goodCheckIgnoredWhenNotConnected();
    void resendRemindsWhileDown();
    void muteHoldsUntilItExpires();
    void muteCoversAWholeOutage();
    void flappingHoldsDownAndUp();
    void flappingHysteresis();
    void longGoodRunsStillSeeTheNextDrop();
    void userStopForgetsTheOutage();
    void oneOffMaintenance();
    void weeklyWindowAcrossMidnightLocal();
    void weeklyWindowAcrossTheWeekBoundary();
    void weeklyUtcWindowIgnoresLocalOffsetChanges();
    void maintenanceHoldsUntilTheWindowEnds();
    void suppressionNames();
};

void TestAlertRules::nagiosWeightsFullWindow()
{
    // 21 states with changes at positions 1, 10 and 20 (of 1..20):
    // 0.75 + (0.75 + 9 * 0.5 / 19) + 1.25 = 2.986842..., over 20 possible changes: 14.934 %.
    FlapDetector flap;
    const QString states = QStringLiteral("GFFFFFFFFFGGGGGGGGGGF");
    QCOMPARE(states.size(), 21);
    for (QChar c : states)
        flap.add(c == u'G');
    QCOMPARE(flap.size(), std::size_t(21));
    QVERIFY2(qAbs(flap.percent() - 14.934210526) < 1e-6, qPrintable(QString::number(flap.percent(), 'f', 9)));
    // One more good state: the oldest (change at 1) falls out, the others age by one step.
    // (0.75 + 8 * 0.5 / 19) + (0.75 + 18 * 0.5 / 19) + 1.25 = 3.434210..., 17.171 %.
    flap.add(true);
    QVERIFY2(qAbs(flap.percent() - 17.171052631) < 1e-6, qPrintable(QString::number(flap.percent(), 'f', 9)));
}

void TestAlertRules::nagiosWeightsShortHistory()
{
    // G F G: the missing 18 oldest count as unchanged, so the changes sit at 19 and 20:
    // (0.75 + 18 * 0.5 / 19) + 1.25 = 2.473684..., 12.368 %.
    FlapDetector flap;
    QCOMPARE(flap.percent(), 0.0);
    flap.add(true);
    QCOMPARE(flap.percent(), 0.0);
    flap.add(false);
    QCOMPARE(flap.percent(), 6.25); // 1.25 / 20
    flap.add(true);
    QVERIFY(qAbs(flap.percent() - 12.368421052) < 1e-6);
}

void TestAlertRules::nagiosEveryChangeIsHundredPercent()
{
    FlapDetector flap;
    for (int i = 0; i < 40; ++i)
        flap.add(i % 2 == 0);
    QVERIFY(qAbs(flap.percent() - 100.0) < 1e-9);
    for (int i = 0; i < 21; ++i)
        flap.add(true);
    QCOMPARE(flap.percent(), 0.0);
}

void TestAlertRules::firstConnectSaysNothing()
{
    Clocks c;
    AlertRules rules(c.steady, c.wall);
    QVERIFY(rules.noteState(EndpointState::Connecting).empty());
    QVERIFY(rules.noteState(EndpointState::Up).empty());
    QVERIFY(rules.noteGoodCheck().empty());
    QVERIFY(!rules.nextDeadline());
    QVERIFY(!rules.announcedDown());
}

void TestAlertRules::downAndUpAnnouncedAtOnceByDefault()
{
    Clocks c;
    AlertRules rules(c.steady, c.wall);
    rules.noteState(EndpointState::Up);
    c.advance(10s);
    const kw::TimePoint droppedAt = c.steady.now();
    const auto down = fail(rules, CauseCode::KeepaliveTimeout);
    QCOMPARE(down.size(), std::size_t(1));
    QCOMPARE(down[0].kind, AlertKind::Down);
    QVERIFY(down[0].announced());
    QCOMPARE(down[0].cause, Cause(CauseCode::KeepaliveTimeout));
    QCOMPARE(down[0].downSince, droppedAt);
    QCOMPARE(down[0].state, EndpointState::Down);
    QVERIFY(rules.announcedDown());
    // Further failed attempts are the same outage.
    c.advance(5s);
    QVERIFY(fail(rules, CauseCode::Refused).empty());
    c.advance(5s);
    const auto up = rules.noteState(EndpointState::Up);
    QCOMPARE(up.size(), std::size_t(1));
    QCOMPARE(up[0].kind, AlertKind::Up);
    QVERIFY(up[0].announced());
    QCOMPARE(up[0].cause, Cause(CauseCode::KeepaliveTimeout)); // what it recovered from
    QCOMPARE(up[0].downFor, kw::Duration(10s));
    QVERIFY(!rules.announcedDown());
}

void TestAlertRules::downAfterCountsFailedChecks()
{
    Clocks c;
    AlertParams params;
    params.downAfter = 3;
    AlertRules rules(c.steady, c.wall, params);
    rules.noteState(EndpointState::Up);
    for (int i = 1; i <= 2; ++i) {
        const auto d = fail(rules);
        QCOMPARE(d.size(), std::size_t(1));
        QCOMPARE(d[0].kind, AlertKind::Down);
        QCOMPARE(d[0].suppressed, AlertSuppression::BelowDownAfter);
        QCOMPARE(d[0].failedChecks, i);
        c.advance(2s);
    }
    const auto third = fail(rules);
    QCOMPARE(third.size(), std::size_t(1));
    QVERIFY(third[0].announced());
    QCOMPARE(third[0].failedChecks, 3);
    QCOMPARE(third[0].downSince, c.steady.now() - 4s);

    // A good check in between starts the count again.
    rules.noteState(EndpointState::Up);
    fail(rules);
    rules.noteState(EndpointState::Up);
    const auto again = fail(rules);
    QCOMPARE(again[0].suppressed, AlertSuppression::BelowDownAfter);
    QCOMPARE(again[0].failedChecks, 1);
}

void TestAlertRules::downAfterSecondsRunsOnTheDeadline()
{
    Clocks c;
    AlertParams params;
    params.downAfterS = 30s;
    AlertRules rules(c.steady, c.wall, params);
    rules.noteState(EndpointState::Up);
    const kw::TimePoint t0 = c.steady.now();
    const auto first = fail(rules);
    QCOMPARE(first[0].suppressed, AlertSuppression::BelowDownAfter);
    QCOMPARE(rules.nextDeadline(), t0 + 30s);
    c.advance(29s);
    QVERIFY(rules.evaluate().empty());
    c.advance(1s);
    const auto down = rules.evaluate();
    QCOMPARE(down.size(), std::size_t(1));
    QVERIFY(down[0].announced());
    QCOMPARE(down[0].downSince, t0);
    QVERIFY(!rules.nextDeadline());
    QVERIFY(rules.evaluate().empty()); // said once
}

void TestAlertRules::recoveryBeforeDownAfterSecondsSaysNothing()
{
    Clocks c;
    AlertParams params;
    params.downAfterS = 30s;
    params.downAfter = 5; // whichever first; neither is reached
    AlertRules rules(c.steady, c.wall, params);
    rules.noteState(EndpointState::Up);
    fail(rules);
    c.advance(10s);
    QCOMPARE(announcedCount(rules.noteState(EndpointState::Up)), 0);
    QVERIFY(!rules.nextDeadline());
    c.advance(60s);
    QVERIFY(rules.evaluate().empty());
}

void TestAlertRules::upAfterCountsGoodChecks()
{
    Clocks c;
    AlertParams params;
    params.upAfter = 3;
    AlertRules rules(c.steady, c.wall, params);
    rules.noteState(EndpointState::Up);
    QCOMPARE(announcedCount(fail(rules)), 1);
    auto d = rules.noteState(EndpointState::Up);
    QCOMPARE(d.size(), std::size_t(1));
    QCOMPARE(d[0].suppressed, AlertSuppression::BelowUpAfter);
    QCOMPARE(d[0].goodChecks, 1);
    d = rules.noteGoodCheck();
    QCOMPARE(d[0].suppressed, AlertSuppression::BelowUpAfter);
    d = rules.noteGoodCheck();
    QCOMPARE(d.size(), std::size_t(1));
    QCOMPARE(d[0].kind, AlertKind::Up);
    QVERIFY(d[0].announced());
    QCOMPARE(d[0].goodChecks, 3);
}

void TestAlertRules::goodCheckIgnoredWhenNotConnected()
{
    Clocks c;
    AlertParams params;
    params.upAfter = 2;
    AlertRules rules(c.steady, c.wall, params);
    rules.noteState(EndpointState::Up);
    fail(rules); // now Connecting
    QVERIFY(rules.noteGoodCheck().empty());
    QVERIFY(rules.announcedDown());
}

void TestAlertRules::resendRemindsWhileDown()
{
    Clocks c;
    AlertParams params;
    params.resendEvery = 60s;
    AlertRules rules(c.steady, c.wall, params);
    rules.noteState(EndpointState::Up);
    const kw::TimePoint t0 = c.steady.now();
    fail(rules);
    QCOMPARE(rules.nextDeadline(), t0 + 60s);
    c.advance(59s);
    QVERIFY(rules.evaluate().empty());
    c.advance(1s);
    auto d = rules.evaluate();
    QCOMPARE(d.size(), std::size_t(1));
    QCOMPARE(d[0].kind, AlertKind::Reminder);
    QVERIFY(d[0].announced());
    QCOMPARE(d[0].downFor, kw::Duration(60s));
    QCOMPARE(d[0].downSince, t0);
    QCOMPARE(rules.nextDeadline(), t0 + 120s);
    c.advance(60s);
    d = rules.evaluate();
    QCOMPARE(d.size(), std::size_t(1));
    QCOMPARE(d[0].downFor, kw::Duration(120s));
    // After Up, nothing more.
    QCOMPARE(rules.noteState(EndpointState::Up)[0].kind, AlertKind::Up);
    QVERIFY(!rules.nextDeadline());
}

void TestAlertRules::muteHoldsUntilItExpires()
{
    Clocks c;
    AlertParams params;
    params.muteUntil = c.wall.t + 100s;
    AlertRules rules(c.steady, c.wall, params);
    rules.noteState(EndpointState::Up);
    const kw::TimePoint t0 = c.steady.now();
    auto d = fail(rules);
    QCOMPARE(d.size(), std::size_t(1));
    QCOMPARE(d[0].kind, AlertKind::Down);
    QCOMPARE(d[0].suppressed, AlertSuppression::Muted);
    QCOMPARE(rules.suppression(), AlertSuppression::Muted);
    // Said once, not at every failed attempt.
    QVERIFY(fail(rules).empty());
    QCOMPARE(rules.nextDeadline(), t0 + 100s);
    c.advance(99s);
    QVERIFY(rules.evaluate().empty());
    c.advance(1s);
    d = rules.evaluate();
    QCOMPARE(d.size(), std::size_t(1));
    QCOMPARE(d[0].kind, AlertKind::Down);
    QVERIFY(d[0].announced());
    QCOMPARE(d[0].downSince, t0); // the outage began under the mute
    QCOMPARE(rules.suppression(), AlertSuppression::None);
}

void TestAlertRules::muteCoversAWholeOutage()
{
    Clocks c;
    AlertParams params;
    params.muteUntil = c.wall.t + 100s;
    AlertRules rules(c.steady, c.wall, params);
    rules.noteState(EndpointState::Up);
    fail(rules);
    c.advance(10s);
    QVERIFY(rules.noteState(EndpointState::Up).empty()); // nobody was told it was down
    QVERIFY(!rules.nextDeadline());
    c.advance(200s);
    QVERIFY(rules.evaluate().empty());
}

void TestAlertRules::flappingHoldsDownAndUp()
{
    Clocks c;
    AlertRules rules(c.steady, c.wall);
    // Percentages after each of G F G F G F G: 0, 6.25, 12.37, 18.36, 24.21, 29.93, 35.53.
    QStringList kinds;
    for (int i = 0; i < 7; ++i) {
        c.advance(1s);
        const auto d = i % 2 == 0 ? rules.noteState(EndpointState::Up) : fail(rules);
        for (const AlertDecision &one : d) {
            kinds << QString::number(i) + u':' + QString::number(int(one.kind)) + u':' +
                         QString::fromLatin1(kw::alertSuppressionName(one.suppressed));
        }
    }
    // Down(1) Up(2) Down(3) Up(4) Down(5) announced; at 6 Flapping goes out and Up is held.
    const QStringList expected{u"1:0:"_qs, u"2:1:"_qs, u"3:0:"_qs,        u"4:1:"_qs,
                               u"5:0:"_qs, u"6:3:"_qs, u"6:1:flapping"_qs};
    QCOMPARE(kinds, expected);
    QVERIFY(rules.isFlapping());
    // Down is still what was announced: a drop says nothing, the next Up is held again.
    c.advance(1s);
    QVERIFY(fail(rules).empty());
    const auto d = rules.noteState(EndpointState::Up);
    QCOMPARE(d.size(), std::size_t(1));
    QCOMPARE(d[0].kind, AlertKind::Up);
    QCOMPARE(d[0].suppressed, AlertSuppression::Flapping);
    QVERIFY(!rules.nextDeadline());
    // It stays up: good checks until stable; the only notice is Stable, in state Up.
    std::vector<AlertDecision> all;
    for (int i = 0; i < 40 && rules.isFlapping(); ++i) {
        const auto more = rules.noteGoodCheck();
        all.insert(all.end(), more.begin(), more.end());
    }
    QVERIFY(!rules.isFlapping());
    QCOMPARE(announcedCount(all), 1);
    QCOMPARE(all.back().kind, AlertKind::Stable);
    QCOMPARE(all.back().state, EndpointState::Up);
    QVERIFY(!rules.announcedDown());
    // And then a drop is announced again.
    QCOMPARE(announcedCount(fail(rules)), 1);
}

void TestAlertRules::flappingHysteresis()
{
    Clocks c;
    AlertParams params;
    params.flapHigh = 30;
    params.flapLow = 20;
    AlertRules rules(c.steady, c.wall, params);
    rules.noteState(EndpointState::Up);
    for (int i = 0; i < 5; ++i) // G F G F G F: 29.93 %
        i % 2 == 0 ? fail(rules) : rules.noteState(EndpointState::Up);
    QVERIFY(!rules.isFlapping());
    QVERIFY(rules.flapPercent() < 30.0);
    rules.noteState(EndpointState::Up); // the 7th state, the 6th change: 35.53 %
    QVERIFY(rules.isFlapping());
    // Between the thresholds it keeps flapping; it ends at the first check at or below 20 %.
    double previous = rules.flapPercent();
    bool sawBetween = false;
    while (rules.isFlapping()) {
        previous = rules.flapPercent();
        QVERIFY(previous > 20.0);
        sawBetween = sawBetween || previous < 30.0;
        const auto d = rules.noteGoodCheck();
        if (!rules.isFlapping()) {
            QCOMPARE(d.size(), std::size_t(1));
            QCOMPARE(d[0].kind, AlertKind::Stable);
        }
    }
    QVERIFY(sawBetween);
    QVERIFY(rules.flapPercent() <= 20.0);
    // Rising again below flap_high does not start it.
    params.flapHigh = 90;
    rules.setParams(params);
    for (int i = 0; i < 10; ++i)
        i % 2 == 0 ? fail(rules) : rules.noteState(EndpointState::Up);
    QVERIFY(rules.flapPercent() > 30.0);
    QVERIFY(!rules.isFlapping());
}

void TestAlertRules::longGoodRunsStillSeeTheNextDrop()
{
    // Hours of heartbeat replies (the common case, answered without asking the rules), then a drop,
    // flapping, and long runs again: every notice as after a short run.
    Clocks c;
    AlertRules rules(c.steady, c.wall);
    QVERIFY(rules.noteState(EndpointState::Up).empty());
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 200; ++i) {
            c.advance(1s);
            QVERIFY(rules.noteGoodCheck().empty());
        }
        QCOMPARE(rules.flapPercent(), 0.0);
        c.advance(1s);
        const auto down = fail(rules);
        QCOMPARE(announcedCount(down), 1);
        QCOMPARE(down.front().kind, AlertKind::Down);
        QCOMPARE(down.front().goodChecks, 0);
        QVERIFY(rules.announcedDown());
        c.advance(1s);
        const auto up = rules.noteState(EndpointState::Up);
        QCOMPARE(announcedCount(up), 1);
        QCOMPARE(up.front().kind, AlertKind::Up);
        QVERIFY(!rules.announcedDown());
    }
    // Flapping after a long run: F G F G F G F G goes over 30 %, as from the start, and ends up.
    for (int i = 0; i < 60; ++i)
        QVERIFY(rules.noteGoodCheck().empty());
    bool flapped = false;
    for (int i = 0; i < 8; ++i) {
        c.advance(1s);
        const auto d = i % 2 == 1 ? rules.noteState(EndpointState::Up) : fail(rules);
        flapped = flapped || std::any_of(d.begin(), d.end(), [](const AlertDecision &one) {
                      return one.kind == AlertKind::Flapping;
                  });
    }
    QVERIFY(flapped);
    QVERIFY(rules.isFlapping());
    // And good checks while flapping still end it with a Stable notice.
    std::vector<AlertDecision> all;
    for (int i = 0; i < 40 && rules.isFlapping(); ++i) {
        const auto more = rules.noteGoodCheck();
        all.insert(all.end(), more.begin(), more.end());
    }
    QVERIFY(!rules.isFlapping());
    QCOMPARE(all.back().kind, AlertKind::Stable);
}

void TestAlertRules::userStopForgetsTheOutage()
{
    Clocks c;
    AlertParams params;
    params.resendEvery = 60s;
    AlertRules rules(c.steady, c.wall, params);
    rules.noteState(EndpointState::Up);
    fail(rules);
    QVERIFY(rules.announcedDown());
    QVERIFY(rules.noteState(EndpointState::Disabled).empty());
    QVERIFY(!rules.announcedDown());
    QVERIFY(!rules.nextDeadline());
    rules.noteState(EndpointState::Connecting);
    QVERIFY(rules.noteState(EndpointState::Up).empty());
}

void TestAlertRules::oneOffMaintenance()
{
    FakeWall wall;
    MaintenanceWindow w;
    w.from = kFriday;
    w.until = kFriday + 2h;
    QVERIFY(!w.activeUntil(kFriday - 1s, wall));
    QCOMPARE(w.activeUntil(kFriday, wall), kFriday + 2h);
    QCOMPARE(w.activeUntil(kFriday + 2h - 1s, wall), kFriday + 2h);
    QVERIFY(!w.activeUntil(kFriday + 2h, wall));
}

void TestAlertRules::weeklyWindowAcrossMidnightLocal()
{
    // Fridays 23:00 local for two hours, on a machine two hours ahead of UTC.
    FakeWall wall;
    wall.offset = [](WallTime) { return seconds(2h); };
    MaintenanceWindow w;
    w.weekly = true;
    w.days = 1u << 4; // Friday
    w.start = 23h;
    w.duration = 120min;
    const year_month_day friday = year{2026} / December / 4;
    const year_month_day saturday = year{2026} / December / 5;
    const year_month_day thursday = year{2026} / December / 3;
    // Friday 23:00 local is 21:00 UTC; it ends Saturday 01:00 local, 23:00 UTC Friday.
    QVERIFY(!w.activeUntil(utcAt(friday, 20h, 59min), wall));
    QCOMPARE(w.activeUntil(utcAt(friday, 21h), wall), utcAt(friday, 23h));
    QCOMPARE(w.activeUntil(utcAt(friday, 22h, 30min), wall), utcAt(friday, 23h)); // 00:30 Saturday local
    QVERIFY(!w.activeUntil(utcAt(friday, 23h), wall));
    QVERIFY(!w.activeUntil(utcAt(thursday, 21h, 30min), wall));
    QVERIFY(!w.activeUntil(utcAt(saturday, 21h, 30min), wall));
    // The same window in UTC is two hours later.
    w.utc = true;
    QVERIFY(!w.activeUntil(utcAt(friday, 22h, 30min), wall));
    QCOMPARE(w.activeUntil(utcAt(saturday, 0h, 30min), wall), utcAt(saturday, 1h));
}

void TestAlertRules::weeklyWindowAcrossTheWeekBoundary()
{
    // Sundays 23:00 UTC for three hours: into Monday 02:00.
    FakeWall wall;
    MaintenanceWindow w;
    w.weekly = true;
    w.utc = true;
    w.days = 1u << 6; // Sunday
    w.start = 23h;
    w.duration = 180min;
    const year_month_day sunday = year{2026} / December / 6;
    const year_month_day monday = year{2026} / December / 7;
    QVERIFY(!w.activeUntil(utcAt(sunday, 22h, 59min), wall));
    QCOMPARE(w.activeUntil(utcAt(sunday, 23h), wall), utcAt(monday, 2h));
    QCOMPARE(w.activeUntil(utcAt(monday, 1h, 59min), wall), utcAt(monday, 2h));
    QVERIFY(!w.activeUntil(utcAt(monday, 2h), wall));
    // A week-long window (every minute of it) starting Monday 00:00 covers Sunday 23:59.
    w.days = 1u << 0;
    w.start = 0min;
    w.duration = MaintenanceWindow::kMaxDuration;
    QCOMPARE(w.activeUntil(utcAt(sunday, 23h, 59min), wall), utcAt(monday, 0h));
    QCOMPARE(w.activeUntil(utcAt(monday, 0h), wall), utcAt(year{2026} / December / 14, 0h));
}

void TestAlertRules::weeklyUtcWindowIgnoresLocalOffsetChanges()
{
    // Local time moves from +1 h to +2 h at Saturday 12:00 UTC (a DST change); a UTC window
    // does not move with it, a local one does.
    FakeWall wall;
    const WallTime change = utcAt(year{2026} / December / 5, 12h);
    wall.offset = [change](WallTime at) { return at < change ? seconds(1h) : seconds(2h); };
    MaintenanceWindow w;
    w.weekly = true;
    w.days = 0x7f; // every day
    w.start = 3h;
    w.duration = 60min;
    w.utc = true;
    const year_month_day friday = year{2026} / December / 4;
    const year_month_day sunday = year{2026} / December / 6;
    QCOMPARE(w.activeUntil(utcAt(friday, 3h, 30min), wall), utcAt(friday, 4h));
    QCOMPARE(w.activeUntil(utcAt(sunday, 3h, 30min), wall), utcAt(sunday, 4h));
    w.utc = false;
    QCOMPARE(w.activeUntil(utcAt(friday, 2h, 30min), wall), utcAt(friday, 3h)); // 03:00 +1
    QCOMPARE(w.activeUntil(utcAt(sunday, 1h, 30min), wall), utcAt(sunday, 2h)); // 03:00 +2
    QVERIFY(!w.activeUntil(utcAt(sunday, 2h, 30min), wall));
}

void TestAlertRules::maintenanceHoldsUntilTheWindowEnds()
{
    Clocks c;
    AlertParams params;
    MaintenanceWindow w;
    w.from = c.wall.t - 1h;
    w.until = c.wall.t + 30min;
    params.maintenance = {w};
    AlertRules rules(c.steady, c.wall, params);
    rules.noteState(EndpointState::Up);
    const auto d = fail(rules);
    QCOMPARE(d.size(), std::size_t(1));
    QCOMPARE(d[0].suppressed, AlertSuppression::Maintenance);
    QCOMPARE(rules.nextDeadline(), c.steady.now() + 30min);
    c.advance(30min);
    const auto after = rules.evaluate();
    QCOMPARE(after.size(), std::size_t(1));
    QCOMPARE(after[0].kind, AlertKind::Down);
    QVERIFY(after[0].announced());
    // Mute wins over maintenance when both apply.
    params.muteUntil = c.wall.t + 1h;
    params.maintenance[0].until = c.wall.t + 2h;
    rules.setParams(params);
    rules.noteState(EndpointState::Up);
    QCOMPARE(rules.suppression(), AlertSuppression::Muted);
}

void TestAlertRules::suppressionNames()
{
    QCOMPARE(kw::alertSuppressionName(AlertSuppression::None), "");
    QCOMPARE(kw::alertSuppressionName(AlertSuppression::Muted), "muted");
    QCOMPARE(kw::alertSuppressionName(AlertSuppression::Maintenance), "maintenance");
    QCOMPARE(kw::alertSuppressionName(AlertSuppression::Flapping), "flapping");
    QCOMPARE(kw::alertSuppressionName(AlertSuppression::BelowDownAfter), "below-down-after");
    QCOMPARE(kw::alertSuppressionName(AlertSuppression::BelowUpAfter), "below-up-after");
}

QTEST_APPLESS_MAIN(TestAlertRules)
#include "tst_alertrules.moc"
