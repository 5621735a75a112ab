#include "idledetector.h"

#include "endpointstate.h"

#include <QStringList>
#include <QTest>

#include <chrono>

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;
using kw::IdleDetector;
using kw::IdleEvent;
using kw::IdleKind;
using kw::IdleParams;
using kw::TimePoint;

namespace {

const TimePoint kStart = TimePoint{} + 1h;

TimePoint at(const QString &ms)
{
    return kStart + std::chrono::milliseconds(ms.toLongLong());
}

// "R1:1000" = Reader, first, idle for 1000 ms.
QString describe(const IdleEvent &event)
{
    const QChar kind = event.kind == IdleKind::Reader ? u'R' : event.kind == IdleKind::Writer ? u'W' : u'A';
    return kind + QString::number(event.first ? 1 : 0) + u':' + QString::number(event.idleFor.count());
}

} // namespace

class TestIdleDetector : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nettySequences_data();
    void nettySequences();
    void causes();
};

// Each step is one of
//   "r T" / "w T"     read / write at T ms
//   "p T [events]"    poll at T, expecting exactly these events in order
//   "d T" / "d -"     nextDeadline() is T / none
//   "restart T"       a new connection at T
void TestIdleDetector::nettySequences_data()
{
    QTest::addColumn<qint64>("reader");
    QTest::addColumn<qint64>("writer");
    QTest::addColumn<qint64>("all");
    QTest::addColumn<QStringList>("steps");

    QTest::newRow("reader fires each period while idle")
        << qint64(1000) << qint64(0) << qint64(0)
        << QStringList{u"d 1000"_s, u"p 999"_s,          u"p 1000 R1:1000"_s, u"d 2000"_s,
                       u"p 1500"_s, u"p 2000 R0:2000"_s, u"p 3000 R0:3000"_s};
    QTest::newRow("a read starts a new idle period")
        << qint64(1000) << qint64(0) << qint64(0)
        << QStringList{u"p 1000 R1:1000"_s, u"r 1500"_s,         u"d 2500"_s,
                       u"p 2000"_s,         u"p 2500 R1:1000"_s, u"d 3500"_s};
    QTest::newRow("a read before the deadline pushes it")
        << qint64(1000) << qint64(0) << qint64(0)
        << QStringList{u"r 400"_s, u"d 1400"_s, u"p 1000"_s, u"p 1400 R1:1000"_s};
    QTest::newRow("writer and all")
        << qint64(0) << qint64(500) << qint64(1000)
        << QStringList{
               u"w 300"_s,  u"d 800"_s,          u"p 800 W1:500"_s, u"d 1300"_s, u"p 1300 W0:1000 A1:1000"_s,
               u"d 1800"_s, u"p 1800 W0:1500"_s, u"d 2300"_s};
    QTest::newRow("reads keep all-idle quiet while writer-idle fires")
        << qint64(0) << qint64(1000) << qint64(1000)
        << QStringList{u"r 500"_s,  u"r 1000"_s,         u"p 1000 W1:1000"_s, u"d 2000"_s,
                       u"r 1500"_s, u"p 2000 W0:2000"_s, u"d 2500"_s,         u"p 2500 A1:1000"_s};
    QTest::newRow("canonical 60/30/0: ping after 30 s quiet output, close after 60 s quiet input")
        << qint64(60000) << qint64(30000) << qint64(0) << QStringList{u"p 30000 W1:30000"_s,
                                                                      u"w 30000"_s,
                                                                      u"d 60000"_s,
                                                                      u"r 45000"_s,
                                                                      u"p 60000 W1:30000"_s,
                                                                      u"d 90000"_s,
                                                                      u"p 105000 R1:60000 W0:75000"_s};
    QTest::newRow("late poll fires once and re-arms from the poll")
        << qint64(1000) << qint64(0) << qint64(0)
        << QStringList{u"p 5000 R1:5000"_s, u"d 6000"_s, u"p 5999"_s, u"p 6000 R0:6000"_s};
    QTest::newRow("all disabled") << qint64(0) << qint64(0) << qint64(0)
                                  << QStringList{u"d -"_s, u"p 100000"_s, u"r 5"_s, u"d -"_s};
    QTest::newRow("restart forgets the old connection")
        << qint64(1000) << qint64(0) << qint64(0)
        << QStringList{u"p 1000 R1:1000"_s, u"p 2000 R0:2000"_s, u"restart 2500"_s, u"d 3500"_s,
                       u"p 3500 R1:1000"_s};
    QTest::newRow("activity from the past does not move the clock back")
        << qint64(1000) << qint64(0) << qint64(0) << QStringList{u"r 800"_s, u"r 200"_s, u"d 1800"_s};
}

void TestIdleDetector::nettySequences()
{
    QFETCH(qint64, reader);
    QFETCH(qint64, writer);
    QFETCH(qint64, all);
    QFETCH(QStringList, steps);

    IdleParams params{std::chrono::milliseconds(reader), std::chrono::milliseconds(writer),
                      std::chrono::milliseconds(all)};
    IdleDetector detector(params, kStart);
    for (const QString &step : steps) {
        const QStringList parts = step.split(u' ');
        const QString &op = parts.at(0);
        if (op == u"r") {
            detector.noteRead(at(parts.at(1)));
        } else if (op == u"w") {
            detector.noteWrite(at(parts.at(1)));
        } else if (op == u"restart") {
            detector.restart(at(parts.at(1)));
        } else if (op == u"d") {
            const auto deadline = detector.nextDeadline();
            if (parts.at(1) == u"-") {
                QVERIFY2(!deadline, qPrintable(step));
            } else {
                QVERIFY2(deadline, qPrintable(step));
                QCOMPARE(std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - kStart).count(),
                         parts.at(1).toLongLong());
            }
        } else if (op == u"p") {
            QStringList got;
            for (const IdleEvent &event : detector.poll(at(parts.at(1))))
                got << describe(event);
            QCOMPARE(got.join(u' '), parts.mid(2).join(u' '));
        } else {
            QFAIL(qPrintable(u"bad step "_s + step));
        }
    }
}

void TestIdleDetector::causes()
{
    QCOMPARE(kw::idleCause(IdleKind::Reader), kw::CauseCode::ReaderIdle);
    QCOMPARE(kw::idleCause(IdleKind::Writer), kw::CauseCode::WriterIdle);
    QCOMPARE(kw::idleCause(IdleKind::All), kw::CauseCode::AllIdle);
}

QTEST_GUILESS_MAIN(TestIdleDetector)
#include "tst_idledetector.moc"
