#pragma once

#include <optional>
#include <string_view>

namespace kw {

// The states every endpoint moves through (DESIGN.md, "Endpoint states"):
// Disabled -> Connecting -> Up <-> Suspect -> Down -> Waiting -> Connecting ...
enum class EndpointState {
    Disabled,
    Connecting,
    Up,
    Suspect,
    Down,
    Waiting,
};

// Lower-case names used in events, JSON and exports ("up", "suspect", ...).
std::string_view endpointStateName(EndpointState state);
std::optional<EndpointState> endpointStateFromName(std::string_view name);

// Causes are kw::Cause (cause.h in lib/net, where most of them are named).

} // namespace kw
