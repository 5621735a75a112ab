#include "endpointstatemachine.h"

namespace kw {

EndpointStateMachine::EndpointStateMachine(EndpointState initial, TimePoint since)
    : m_state(initial), m_since(since)
{}

bool EndpointStateMachine::isLegal(EndpointState from, EndpointState to)
{
    using S = EndpointState;
    if (from == to)
        return false;
    if (to == S::Disabled)
        return true; // a stop is always possible
    switch (from) {
    case S::Disabled:
        return to == S::Connecting;
    case S::Connecting:
        return to == S::Up || to == S::Down;
    case S::Up:
        return to == S::Suspect || to == S::Down;
    case S::Suspect:
        return to == S::Up || to == S::Down;
    case S::Down:
        return to == S::Waiting;
    case S::Waiting:
        return to == S::Connecting;
    }
    return false;
}

namespace {

std::string allowedFrom(EndpointState from)
{
    std::string allowed;
    for (auto to : {EndpointState::Disabled, EndpointState::Connecting, EndpointState::Up,
                    EndpointState::Suspect, EndpointState::Down, EndpointState::Waiting}) {
        if (!EndpointStateMachine::isLegal(from, to))
            continue;
        if (!allowed.empty())
            allowed += ", ";
        allowed += endpointStateName(to);
    }
    return allowed;
}

} // namespace

bool EndpointStateMachine::transition(EndpointState to, TimePoint at, const Cause &cause, std::string *error)
{
    if (!isLegal(m_state, to)) {
        if (error) {
            *error = std::string("illegal state change ") + std::string(endpointStateName(m_state)) + " -> " +
                     std::string(endpointStateName(to)) + "; from " +
                     std::string(endpointStateName(m_state)) +
                     " the next state is one of: " + allowedFrom(m_state);
        }
        return false;
    }
    if (to == EndpointState::Down && cause.isNone()) {
        if (error)
            *error = std::string("a change to down needs a cause (for example \"reset\" or \"") +
                     std::string(causeCodeName(CauseCode::ConnectTimeout)) + "\")";
        return false;
    }
    m_state = to;
    m_since = at;
    if (to == EndpointState::Up)
        m_cause = {};
    else if (!cause.isNone())
        m_cause = cause;
    return true;
}

} // namespace kw
