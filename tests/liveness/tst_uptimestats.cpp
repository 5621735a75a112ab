#include "uptimestats.h"

#include <QStringList>
#include <QTest>

#include <chrono>
#include <cmath>

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;
using kw::EndpointState;
using kw::TimePoint;
using kw::UptimeStats;

namespace {

const TimePoint kStart = TimePoint{} + 1000h;

TimePoint at(const QString &seconds)
{
    return kStart + std::chrono::milliseconds(std::llround(seconds.toDouble() * 1000));
}

QString percentText(std::optional<double> value)
{
    return value ? QString::number(*value, 'f', 3) : u"-"_s;
}

QString msText(std::optional<std::chrono::milliseconds> value)
{
    return value ? QString::number(value->count()) : u"-"_s;
}

} // namespace

class TestUptimeStats : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scriptedHistories_data();
    void scriptedHistories();
    void memoryIsBounded();
};

// Steps: "<state> T [cause]" (T in seconds from the start) or
// "expect T <key> <value>" with key one of session, 1h, 24h (percent, 3
// decimals, "-" when nothing was monitored), reconnects, failures, mttr, mtbf
// (ms or "-"), cause, drop. (Flapping is the alert rules': tst_alertrules.)
void TestUptimeStats::scriptedHistories_data()
{
    QTest::addColumn<QStringList>("steps");

    // Counting starts at the first verdict: the first connect is not down time.
    QTest::newRow("steady") << QStringList{u"connecting 0"_s,
                                           u"up 1"_s,
                                           u"expect 3601 session 100.000"_s,
                                           u"expect 3601 1h 100.000"_s,
                                           u"expect 3601 24h 100.000"_s,
                                           u"expect 3601 reconnects 0"_s,
                                           u"expect 3601 mttr -"_s,
                                           u"expect 3601 mtbf -"_s};
    QTest::newRow("one outage") << QStringList{u"connecting 0"_s,
                                               u"up 0"_s,
                                               u"down 600 reset"_s,
                                               u"waiting 600"_s,
                                               u"connecting 601"_s,
                                               u"up 660"_s,
                                               u"expect 3600 session 98.333"_s,
                                               u"expect 3600 1h 98.333"_s,
                                               u"expect 3600 reconnects 1"_s,
                                               u"expect 3600 failures 1"_s,
                                               u"expect 3600 mttr 60000"_s,
                                               u"expect 3600 mtbf 600000"_s,
                                               u"expect 3600 cause reset"_s};
    QTest::newRow("disabled time is excluded") << QStringList{u"connecting 0"_s,
                                                              u"up 0"_s,
                                                              u"disabled 1800 stopped"_s,
                                                              u"expect 2700 session 100.000"_s,
                                                              u"connecting 2700"_s,
                                                              u"up 2700"_s,
                                                              u"expect 3600 session 100.000"_s,
                                                              u"expect 3600 1h 100.000"_s,
                                                              u"expect 3600 reconnects 0"_s,
                                                              u"expect 3600 cause stopped"_s};
    QTest::newRow("rolling windows") << QStringList{u"connecting 0"_s,
                                                    u"up 0"_s,
                                                    u"down 90000 keepalive-timeout"_s,
                                                    u"expect 91800 session 98.039"_s,
                                                    u"expect 91800 1h 50.000"_s,
                                                    u"expect 91800 24h 97.917"_s,
                                                    u"waiting 90001"_s,
                                                    u"connecting 91800"_s,
                                                    u"up 91800"_s,
                                                    u"expect 95400 1h 100.000"_s,
                                                    u"expect 95400 24h 97.917"_s,
                                                    u"expect 95400 mttr 1800000"_s,
                                                    u"expect 95400 mtbf 90000000"_s};
    QTest::newRow("means over several failures") << QStringList{u"connecting 0"_s,
                                                                u"up 0"_s,
                                                                u"down 100 reset"_s,
                                                                u"up 130"_s,
                                                                u"down 400 peer-closed"_s,
                                                                u"up 500"_s,
                                                                u"expect 600 reconnects 2"_s,
                                                                u"expect 600 failures 2"_s,
                                                                u"expect 600 mttr 65000"_s,
                                                                u"expect 600 mtbf 185000"_s,
                                                                u"expect 600 cause peer-closed"_s,
                                                                u"expect 600 session 78.333"_s};
    QTest::newRow("failed first connects are not reconnects") << QStringList{u"connecting 0"_s,
                                                                             u"down 5 refused"_s,
                                                                             u"waiting 5"_s,
                                                                             u"connecting 6"_s,
                                                                             u"down 6 refused"_s,
                                                                             u"waiting 6"_s,
                                                                             u"connecting 8"_s,
                                                                             u"up 8"_s,
                                                                             u"expect 10 reconnects 0"_s,
                                                                             u"expect 10 failures 0"_s,
                                                                             u"expect 10 mttr -"_s,
                                                                             u"expect 10 cause refused"_s,
                                                                             u"expect 10 session 40.000"_s};
    QTest::newRow("a stop during an outage is not a repair") << QStringList{u"connecting 0"_s,
                                                                            u"up 0"_s,
                                                                            u"down 100 reset"_s,
                                                                            u"disabled 150 stopped"_s,
                                                                            u"connecting 1000"_s,
                                                                            u"up 1000"_s,
                                                                            u"expect 1100 reconnects 0"_s,
                                                                            u"expect 1100 mttr -"_s,
                                                                            u"expect 1100 mtbf 100000"_s,
                                                                            u"expect 1100 session 80.000"_s};
    QTest::newRow("the last drop outlives recovery and stops") << QStringList{u"connecting 0"_s,
                                                                              u"expect 0 drop -"_s,
                                                                              u"up 1"_s,
                                                                              u"down 10 reset"_s,
                                                                              u"waiting 10 reset"_s,
                                                                              u"connecting 11 reset"_s,
                                                                              u"down 11 refused"_s,
                                                                              u"waiting 11 refused"_s,
                                                                              u"connecting 13 refused"_s,
                                                                              u"up 13"_s,
                                                                              u"expect 20 drop refused@11"_s,
                                                                              u"disabled 30 stopped"_s,
                                                                              u"expect 40 drop refused@11"_s,
                                                                              u"expect 40 cause stopped"_s};
    QTest::newRow("a slow first connect then up is 100 %") << QStringList{u"connecting 0"_s,
                                                                          u"expect 20 session -"_s,
                                                                          u"up 20"_s,
                                                                          u"expect 26 session 100.000"_s,
                                                                          u"expect 26 1h 100.000"_s,
                                                                          u"expect 26 24h 100.000"_s,
                                                                          u"expect 26 reconnects 0"_s,
                                                                          u"expect 26 mttr -"_s};
    QTest::newRow("a refused first connect counts down from the refusal")
        << QStringList{u"connecting 0"_s,
                       u"down 10 refused"_s,
                       u"expect 10 session -"_s,
                       u"expect 12 session 0.000"_s,
                       u"waiting 12"_s,
                       u"connecting 13"_s,
                       u"up 15"_s,
                       u"expect 20 session 50.000"_s,
                       u"expect 20 1h 50.000"_s,
                       u"expect 20 failures 0"_s,
                       u"expect 20 reconnects 0"_s,
                       u"expect 20 mttr -"_s,
                       u"expect 20 mtbf -"_s};
    QTest::newRow("a drop then recovery: MTTR from the drop to up")
        << QStringList{u"connecting 0"_s,
                       u"up 3"_s,
                       u"down 63 reset"_s,
                       u"waiting 63 reset"_s,
                       u"connecting 64 reset"_s,
                       u"expect 70 mttr -"_s,
                       u"up 73"_s,
                       u"expect 83 mttr 10000"_s,
                       u"expect 83 mtbf 60000"_s,
                       u"expect 83 reconnects 1"_s,
                       u"expect 83 failures 1"_s,
                       u"expect 83 session 87.500"_s};
    QTest::newRow("two drops: MTBF over the up periods that ended in one")
        << QStringList{u"connecting 0"_s,
                       u"up 2"_s,
                       u"down 102 reset"_s,
                       u"waiting 102"_s,
                       u"connecting 103"_s,
                       u"up 104"_s,
                       u"down 404 peer-closed"_s,
                       u"waiting 404"_s,
                       u"connecting 405"_s,
                       u"up 410"_s,
                       u"expect 500 mtbf 200000"_s,
                       u"expect 500 mttr 4000"_s,
                       u"expect 500 reconnects 2"_s,
                       u"expect 500 failures 2"_s,
                       u"expect 500 session 98.394"_s};
    QTest::newRow("a restart after a stop is pending again") << QStringList{u"connecting 0"_s,
                                                                            u"up 0"_s,
                                                                            u"disabled 100 stopped"_s,
                                                                            u"connecting 200"_s,
                                                                            u"expect 230 session 100.000"_s,
                                                                            u"down 230 refused"_s,
                                                                            u"waiting 230"_s,
                                                                            u"expect 240 session 90.909"_s,
                                                                            u"expect 240 failures 0"_s};
    QTest::newRow("suspect counts as up")
        << QStringList{u"connecting 0"_s,         u"up 0"_s,
                       u"suspect 10"_s,           u"up 20"_s,
                       u"suspect 30"_s,           u"expect 100 session 100.000"_s,
                       u"expect 100 failures 0"_s};
    QTest::newRow("nothing monitored yet")
        << QStringList{u"expect 100 session -"_s, u"expect 100 1h -"_s,      u"connecting 100"_s,
                       u"expect 100 session -"_s, u"expect 110 session -"_s, u"expect 110 24h -"_s};
    QTest::newRow("time from the past is clamped")
        << QStringList{u"connecting 0"_s, u"up 100"_s, u"down 50 reset"_s, u"expect 200 session 0.000"_s,
                       u"expect 200 failures 1"_s};
}

void TestUptimeStats::scriptedHistories()
{
    QFETCH(QStringList, steps);

    UptimeStats stats(kStart);
    for (const QString &step : steps) {
        const QStringList parts = step.split(u' ');
        const QString &op = parts.at(0);
        if (op != u"expect") {
            const auto state = kw::endpointStateFromName(op.toStdString());
            QVERIFY2(state, qPrintable(u"bad step "_s + step));
            stats.noteState(*state, at(parts.at(1)),
                            parts.size() > 2 ? kw::Cause::fromName(parts.at(2).toStdString()).value()
                                             : kw::Cause());
            QCOMPARE(stats.state(), *state);
            continue;
        }
        const TimePoint now = at(parts.at(1));
        const QString &key = parts.at(2);
        QString got;
        if (key == u"session")
            got = percentText(stats.uptimePercent(now));
        else if (key == u"1h")
            got = percentText(stats.uptime1hPercent(now));
        else if (key == u"24h")
            got = percentText(stats.uptime24hPercent(now));
        else if (key == u"reconnects")
            got = QString::number(stats.reconnects());
        else if (key == u"failures")
            got = QString::number(stats.failures());
        else if (key == u"mttr")
            got = msText(stats.mttr());
        else if (key == u"mtbf")
            got = msText(stats.mtbf());
        else if (key == u"cause")
            got = QString::fromStdString(stats.lastCause().name());
        else if (key == u"drop") // "<cause>@<seconds>" of the last move to Down, "-" before any
            got = stats.lastDropAt()
                      ? QString::fromStdString(stats.lastDropCause().name()) + u'@' +
                            QString::number(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                *stats.lastDropAt() - kStart)
                                                .count() /
                                            1000.0)
                      : u"-"_s;
        else
            QFAIL(qPrintable(u"bad key in "_s + step));
        QVERIFY2(got == parts.at(3), qPrintable(step + u" got "_s + got));
    }
}

void TestUptimeStats::memoryIsBounded()
{
    // Two days of a peer that is up 1 s, down 1 s: far more changes than kept.
    UptimeStats stats(kStart);
    TimePoint t = kStart;
    for (int i = 0; i < 2 * 86400; ++i) {
        stats.noteState(i % 2 ? EndpointState::Down : EndpointState::Up, t, kw::CauseCode::Reset);
        t += 1s;
    }
    QVERIFY(stats.rememberedChanges() <= UptimeStats::kMaxTransitions);
    QVERIFY(std::abs(*stats.uptime24hPercent(t) - 50.0) < 0.1);
    QVERIFY(std::abs(*stats.uptime1hPercent(t) - 50.0) < 0.1);
    QVERIFY(std::abs(*stats.uptimePercent(t) - 50.0) < 0.1);
    QCOMPARE(stats.reconnects(), 86400 - 1);
    QCOMPARE(stats.mttr(), std::optional(1000ms));
    QCOMPARE(stats.mtbf(), std::optional(1000ms));

    // Retention: after a quiet day only the change that opens the window is needed.
    stats.noteState(EndpointState::Up, t, {});
    stats.noteState(EndpointState::Suspect, t + 25h, {});
    stats.noteState(EndpointState::Down, t + 25h + 1s, kw::CauseCode::Reset);
    QVERIFY(stats.rememberedChanges() <= 3);
}

QTEST_GUILESS_MAIN(TestUptimeStats)
#include "tst_uptimestats.moc"
