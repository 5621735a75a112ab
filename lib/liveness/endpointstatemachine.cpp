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

bool EndpointStateMachine::transition(EndpointState to, TimePoint at, std::string_view cause,
                                      std::string *error)
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
    if (to == EndpointState::Down && cause.empty()) {
        if (error)
            *error = std::string("a change to down needs a cause (for example \"reset\" or \"") +
                     std::string(cause::kConnectTimeout) + "\")";
        return false;
    }
    m_state = to;
    m_since = at;
    if (to == EndpointState::Up)
        m_cause.clear();
    else if (!cause.empty())
        m_cause = std::string(cause);
    return true;
}

} // namespace kw
