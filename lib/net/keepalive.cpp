#include "keepalive.h"

#include <string>

namespace kw::net {

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
