#pragma once

#include "cause.h"
#include "clock.h"
#include "endpointstate.h"

#include <string>
#include <string_view>

namespace kw {

// The endpoint life cycle of DESIGN.md with the cause carried along:
//   Disabled -> Connecting -> Up <-> Suspect -> Down -> Waiting -> Connecting ...
// Connecting -> Down (a failed attempt); any state -> Disabled (stopped).
// A Down must name its cause. The cause of the last Down (or stop) stays
// readable through Waiting and Connecting and is cleared by Up.
class EndpointStateMachine
{
public:
    explicit EndpointStateMachine(EndpointState initial, TimePoint since);

    static bool isLegal(EndpointState from, EndpointState to);

    // False (state unchanged) for an illegal move or a Down without a cause;
    // `error` then names both states and what is allowed instead.
    bool transition(EndpointState to, TimePoint at, const Cause &cause = {}, std::string *error = nullptr);

    EndpointState state() const { return m_state; }
    TimePoint since() const { return m_since; }
    const Cause &cause() const { return m_cause; }
    bool isUp() const { return m_state == EndpointState::Up || m_state == EndpointState::Suspect; }

private:
    EndpointState m_state;
    TimePoint m_since;
    Cause m_cause;
};

} // namespace kw
