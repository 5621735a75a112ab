#pragma once

#include <string>
#include <string_view>

// Topic names and filters (3.1.1 section 4.7; 5.0 section 4.7).
namespace kw::mqtt {

// Empty when `filter` is a valid topic filter, else why not, in the standard's words ("'#' must be
// the last level (section 4.7.1.2)"). Shared subscriptions ($share/...) are accepted as filters.
std::string validateTopicFilter(std::string_view filter);
// Empty when `topic` is a valid topic name for PUBLISH (no wildcards, not empty, UTF-8).
std::string validateTopicName(std::string_view topic);

// True when `topic` matches `filter`: '+' one level, '#' this level and every one below; a filter
// starting with a wildcard does not match topics starting with '$' (section 4.7.2). A shared
// subscription ("$share/group/devices/+") matches with the filter after its share name.
bool topicMatches(std::string_view filter, std::string_view topic);

// The levels of `topic` that the filter's wildcards matched, joined by '/': "a17" for
// "devices/+/heartbeat" and "devices/a17/heartbeat". Empty when the filter has no wildcard or does
// not match.
std::string wildcardLevels(std::string_view filter, std::string_view topic);

} // namespace kw::mqtt
