#include "endpointstate.h"

#include <array>
#include <utility>

namespace kw {

namespace {
constexpr std::array<std::pair<EndpointState, std::string_view>, 6> kStateNames{{
    {EndpointState::Disabled, "disabled"},
    {EndpointState::Connecting, "connecting"},
    {EndpointState::Up, "up"},
    {EndpointState::Suspect, "suspect"},
    {EndpointState::Down, "down"},
    {EndpointState::Waiting, "waiting"},
}};
} // namespace

std::string_view endpointStateName(EndpointState state)
{
    for (const auto &[s, name] : kStateNames) {
        if (s == state)
            return name;
    }
    return "unknown";
}

std::optional<EndpointState> endpointStateFromName(std::string_view name)
{
    for (const auto &[s, n] : kStateNames) {
        if (n == name)
            return s;
    }
    return std::nullopt;
}

} // namespace kw
