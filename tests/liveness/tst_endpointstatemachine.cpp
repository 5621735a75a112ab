#include "endpointstatemachine.h"

#include <QTest>

#include <chrono>
#include <string>

using namespace std::chrono_literals;
using kw::EndpointState;
using kw::EndpointStateMachine;
using kw::TimePoint;

Q_DECLARE_METATYPE(kw::EndpointState)

class TestEndpointStateMachine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void legality_data();
    void legality();
    void downNeedsACause();
    void causeIsCarriedUntilUp();
    void fullCycle();
};

void TestEndpointStateMachine::legality_data()
{
    QTest::addColumn<EndpointState>("from");
    QTest::addColumn<EndpointState>("to");
    QTest::addColumn<bool>("legal");

    using S = EndpointState;
    const S all[] = {S::Disabled, S::Connecting, S::Up, S::Suspect, S::Down, S::Waiting};
    // DESIGN.md: Disabled -> Connecting -> Up <-> Suspect -> Down -> Waiting -> Connecting,
    // a failed attempt Connecting -> Down, and a stop from anywhere.
    const std::pair<S, S> legal[] = {
        {S::Disabled, S::Connecting}, {S::Connecting, S::Up}, {S::Connecting, S::Down},
        {S::Up, S::Suspect},          {S::Suspect, S::Up},    {S::Up, S::Down},
        {S::Suspect, S::Down},        {S::Down, S::Waiting},  {S::Waiting, S::Connecting},
    };
    for (S from : all) {
        for (S to : all) {
            bool expected = to == S::Disabled && from != S::Disabled;
            for (const auto &[a, b] : legal)
                expected = expected || (a == from && b == to);
            const QByteArray name = QByteArray(kw::endpointStateName(from).data()) + " -> " +
                                    QByteArray(kw::endpointStateName(to).data());
            QTest::newRow(name.constData()) << from << to << expected;
        }
    }
}

void TestEndpointStateMachine::legality()
{
    QFETCH(EndpointState, from);
    QFETCH(EndpointState, to);
    QFETCH(bool, legal);

    QCOMPARE(EndpointStateMachine::isLegal(from, to), legal);

    const TimePoint t0 = TimePoint{} + 1h;
    EndpointStateMachine machine(from, t0);
    std::string error;
    QCOMPARE(machine.transition(to, t0 + 1s, kw::CauseCode::Reset, &error), legal);
    QCOMPARE(machine.state(), legal ? to : from);
    QCOMPARE(machine.since(), legal ? t0 + 1s : t0);
    QCOMPARE(error.empty(), legal);
    if (!legal) {
        // The message names both states.
        QVERIFY(error.find(kw::endpointStateName(from)) != std::string::npos);
        QVERIFY(error.find(kw::endpointStateName(to)) != std::string::npos);
    }
}

void TestEndpointStateMachine::downNeedsACause()
{
    EndpointStateMachine machine(EndpointState::Up, TimePoint{});
    std::string error;
    QVERIFY(!machine.transition(EndpointState::Down, TimePoint{} + 1s, {}, &error));
    QCOMPARE(machine.state(), EndpointState::Up);
    QVERIFY(error.find("cause") != std::string::npos);
    QVERIFY(machine.transition(EndpointState::Down, TimePoint{} + 1s, kw::CauseCode::KeepaliveTimeout));
    QCOMPARE(machine.cause(), kw::Cause(kw::CauseCode::KeepaliveTimeout));
}

void TestEndpointStateMachine::causeIsCarriedUntilUp()
{
    EndpointStateMachine machine(EndpointState::Connecting, TimePoint{});
    QVERIFY(machine.transition(EndpointState::Down, TimePoint{} + 1s, kw::CauseCode::Refused));
    QVERIFY(machine.transition(EndpointState::Waiting, TimePoint{} + 1s));
    QCOMPARE(machine.cause(), kw::Cause(kw::CauseCode::Refused));
    QVERIFY(machine.transition(EndpointState::Connecting, TimePoint{} + 2s));
    QCOMPARE(machine.cause(), kw::Cause(kw::CauseCode::Refused));
    QVERIFY(!machine.isUp());
    QVERIFY(machine.transition(EndpointState::Up, TimePoint{} + 3s));
    QVERIFY(machine.cause().isNone());
    QVERIFY(machine.isUp());
    QVERIFY(machine.transition(EndpointState::Suspect, TimePoint{} + 4s));
    QVERIFY(machine.isUp());
    QVERIFY(machine.transition(EndpointState::Disabled, TimePoint{} + 5s, kw::CauseCode::Stopped));
    QCOMPARE(machine.cause(), kw::Cause(kw::CauseCode::Stopped));
}

void TestEndpointStateMachine::fullCycle()
{
    using S = EndpointState;
    EndpointStateMachine machine(S::Disabled, TimePoint{});
    TimePoint t{};
    for (S next : {S::Connecting, S::Up, S::Suspect, S::Up, S::Suspect, S::Down, S::Waiting, S::Connecting,
                   S::Down, S::Waiting, S::Connecting, S::Up, S::Disabled}) {
        t += 1s;
        QVERIFY2(machine.transition(next, t, kw::CauseCode::HeartbeatTimeout),
                 kw::endpointStateName(next).data());
        QCOMPARE(machine.state(), next);
    }
}

QTEST_GUILESS_MAIN(TestEndpointStateMachine)
#include "tst_endpointstatemachine.moc"
