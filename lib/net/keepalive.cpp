#include "keepalive.h"

#include <string>

namespace kw::net {

namespace {

std::string secondsRange(const char *field, long long value, long long max)
{
    return std::string("keepalive ") + field + " " + std::to_string(value) + " s is out of range: use 1.." +
           std::to_string(max) + " s, or leave it unset for the system default";
}

} // namespace

std::vector<std::string> validateKeepalive(const KeepaliveSettings &settings)
{
    std::vector<std::string> problems;
    if (settings.idle && (settings.idle->count() < 1 || *settings.idle > kMaxKeepaliveIdle))
        problems.push_back(secondsRange("idle", settings.idle->count(), kMaxKeepaliveIdle.count()));
    if (settings.interval && (settings.interval->count() < 1 || *settings.interval > kMaxKeepaliveInterval))
        problems.push_back(
            secondsRange("interval", settings.interval->count(), kMaxKeepaliveInterval.count()));
    if (settings.count && (*settings.count < 1 || *settings.count > kMaxKeepaliveCount))
        problems.push_back(
            "keepalive count " + std::to_string(*settings.count) + " is out of range: use 1.." +
            std::to_string(kMaxKeepaliveCount) +
            " probes (Linux caps TCP_KEEPCNT at 127), or leave it unset for the system default");
    if (settings.userTimeout &&
        (settings.userTimeout->count() < 0 || *settings.userTimeout > kMaxUserTimeout))
        problems.push_back("keepalive user timeout " + std::to_string(settings.userTimeout->count()) +
                           " ms is out of range: use 0.." + std::to_string(kMaxUserTimeout.count()) +
                           " ms (0 = system retransmission limit), or leave it unset");
    return problems;
}

std::string optionStatusName(OptionStatus status)
{
    switch (status) {
    case OptionStatus::Applied:
        return "applied";
    case OptionStatus::Unsupported:
        return "unsupported";
    case OptionStatus::Failed:
        return "failed";
    case OptionStatus::Invalid:
        return "invalid";
    case OptionStatus::NotRequested:
        return "not requested";
    }
    return "unknown";
}

bool KeepaliveReport::allApplied() const
{
    for (const OptionResult &option : options) {
        switch (option.status) {
        case OptionStatus::Applied:
        case OptionStatus::NotRequested:
            break;
        case OptionStatus::Unsupported:
            if (!option.carriedByFallback)
                return false;
            break;
        case OptionStatus::Failed:
        case OptionStatus::Invalid:
            return false;
        }
    }
    return true;
}

std::string describeKeepalive(const EffectiveKeepalive &effective)
{
    if (!effective.enabled) {
        std::string text = "keepalive off";
        if (effective.userTimeout)
            text += ": user timeout " + std::to_string(effective.userTimeout->count()) + " ms";
        return text + (effective.readBack ? " (read back)" : " (as sent)");
    }
    std::string text = "keepalive on: idle ";
    text += effective.idle ? std::to_string(effective.idle->count()) + " s" : std::string("system default");
    text += ", interval ";
    text += effective.interval ? std::to_string(effective.interval->count()) + " s"
                               : std::string("system default");
    text += ", count ";
    text += effective.count ? std::to_string(*effective.count) : std::string("system default");
    if (effective.countFixedByOs)
        text += " (fixed by the OS)";
    text += ", user timeout ";
    text +=
        effective.userTimeout ? std::to_string(effective.userTimeout->count()) + " ms" : std::string("none");
    text += effective.readBack ? " (read back)" : " (as sent; the OS cannot report it)";
    return text;
}

std::string KeepaliveReport::summary() const
{
    std::string text = describeKeepalive(effective);
    std::string refused;
    for (const OptionResult &option : options) {
        if (option.status != OptionStatus::Unsupported && option.status != OptionStatus::Failed &&
            option.status != OptionStatus::Invalid)
            continue;
        if (option.carriedByFallback)
            continue;
        refused += refused.empty() ? "" : ", ";
        refused += option.option + " " + optionStatusName(option.status);
        if (!option.message.empty())
            refused += " (" + option.message + ")";
    }
    if (!refused.empty())
        text += "; refused: " + refused;
    return text;
}

} // namespace kw::net
