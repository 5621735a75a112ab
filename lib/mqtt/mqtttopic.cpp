#include "mqtttopic.h"
#include "mqttwire.h"

#include <cstddef>
#include <vector>

namespace kw::mqtt {

namespace {

constexpr std::size_t kMaxTopicBytes = 65'535; // a UTF-8 string's two-byte length (section 1.5.3)

std::vector<std::string_view> levels(std::string_view topic)
{
    std::vector<std::string_view> result;
    std::size_t start = 0;
    for (;;) {
        const std::size_t slash = topic.find('/', start);
        if (slash == std::string_view::npos) {
            result.push_back(topic.substr(start));
            return result;
        }
        result.push_back(topic.substr(start, slash - start));
        start = slash + 1;
    }
}

std::string checkString(std::string_view text, const char *what)
{
    if (text.empty())
        return std::string("a topic ") + what + " must be at least one character long (section 4.7.3)";
    if (text.size() > kMaxTopicBytes)
        return std::string("a topic ") + what + " of " + std::to_string(text.size()) +
               " bytes is longer than the 65,535 a string can carry (section 1.5.3)";
    if (const std::string problem = wire::utf8Problem(text); !problem.empty())
        return "not valid MQTT UTF-8: " + problem + " (section 1.5.3)";
    return {};
}

std::string checkFilterLevels(std::string_view filter)
{
    const std::vector<std::string_view> parts = levels(filter);
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string_view level = parts[i];
        if (level.find('#') != std::string_view::npos && (level != "#" || i + 1 != parts.size()))
            return "'#' must be the last level and alone in it (section 4.7.1.2)";
        if (level.find('+') != std::string_view::npos && level != "+")
            return "'+' must fill a whole level (section 4.7.1.3)";
    }
    return {};
}

// "$share/{ShareName}/{filter}" (5.0 section 4.8.2): the filter the subscription matches with.
bool splitShared(std::string_view filter, std::string_view &shareName, std::string_view &inner)
{
    constexpr std::string_view kPrefix = "$share/";
    if (!filter.starts_with(kPrefix))
        return false;
    const std::string_view rest = filter.substr(kPrefix.size());
    const std::size_t slash = rest.find('/');
    shareName = rest.substr(0, slash);
    inner = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    return true;
}

// Walks filter and topic level by level; calls onWildcard(level text) for what '+' and '#' took.
template<typename OnWildcard>
bool match(std::string_view filter, std::string_view topic, OnWildcard &&onWildcard)
{
    std::string_view shareName;
    std::string_view inner;
    if (splitShared(filter, shareName, inner))
        filter = inner;
    if (!validateTopicFilter(filter).empty() || !validateTopicName(topic).empty())
        return false;
    // Section 4.7.2: a filter starting with a wildcard does not match a topic starting with '$'.
    if (topic.front() == '$' && (filter.front() == '+' || filter.front() == '#'))
        return false;
    const std::vector<std::string_view> f = levels(filter);
    const std::vector<std::string_view> t = levels(topic);
    std::size_t i = 0;
    for (; i < f.size(); ++i) {
        if (f[i] == "#") {
            // Section 4.7.1.2: "sport/#" matches "sport" too (the parent level).
            if (i < t.size()) {
                const std::size_t from = std::size_t(t[i].data() - topic.data());
                onWildcard(topic.substr(from));
            }
            return true;
        }
        if (i >= t.size())
            return false;
        if (f[i] == "+")
            onWildcard(t[i]);
        else if (f[i] != t[i])
            return false;
    }
    return i == t.size();
}

} // namespace

std::string validateTopicFilter(std::string_view filter)
{
    if (std::string problem = checkString(filter, "filter"); !problem.empty())
        return problem;
    std::string_view shareName;
    std::string_view inner;
    if (splitShared(filter, shareName, inner)) {
        if (shareName.empty())
            return "a shared subscription needs a share name: $share/{name}/{filter} (5.0 section 4.8.2)";
        if (shareName.find_first_of("+#") != std::string_view::npos)
            return "a share name may not contain '+' or '#' (5.0 section 4.8.2)";
        if (inner.empty())
            return "a shared subscription needs a topic filter after $share/" + std::string(shareName) +
                   "/ (5.0 section 4.8.2)";
        return checkFilterLevels(inner);
    }
    return checkFilterLevels(filter);
}

std::string validateTopicName(std::string_view topic)
{
    if (std::string problem = checkString(topic, "name"); !problem.empty())
        return problem;
    if (topic.find_first_of("+#") != std::string_view::npos)
        return "a topic name may not contain the wildcards '+' or '#' (section 4.7.1)";
    return {};
}

bool topicMatches(std::string_view filter, std::string_view topic)
{
    return match(filter, topic, [](std::string_view) {});
}

std::string wildcardLevels(std::string_view filter, std::string_view topic)
{
    std::string joined;
    bool any = false;
    const bool matched = match(filter, topic, [&](std::string_view level) {
        if (any)
            joined += '/';
        joined += level;
        any = true;
    });
    return matched ? joined : std::string();
}

} // namespace kw::mqtt
