// Linux and macOS: keepalive is plain setsockopt/getsockopt; only option names and units differ.
#include "keepalive.h"

#if defined(__linux__) || defined(__APPLE__)

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace kw::net {

namespace {

struct TimingOption
{
    const char *name;
    int level;
    int option;
    const char *unit;
};

#if defined(__APPLE__)
// xnu netinet/tcp.h: TCP_KEEPALIVE is the idle time in seconds; TCP_RXT_CONNDROPTIME (seconds) drops a
// connection whose retransmissions last that long, the nearest thing to Linux TCP_USER_TIMEOUT.
constexpr TimingOption kIdle{"TCP_KEEPALIVE", IPPROTO_TCP, TCP_KEEPALIVE, "s"};
constexpr TimingOption kUserTimeout{"TCP_RXT_CONNDROPTIME", IPPROTO_TCP, TCP_RXT_CONNDROPTIME, "s"};
constexpr bool kUserTimeoutInSeconds = true;
#else
constexpr TimingOption kIdle{"TCP_KEEPIDLE", IPPROTO_TCP, TCP_KEEPIDLE, "s"};
constexpr TimingOption kUserTimeout{"TCP_USER_TIMEOUT", IPPROTO_TCP, TCP_USER_TIMEOUT, "ms"};
constexpr bool kUserTimeoutInSeconds = false;
#endif
constexpr TimingOption kEnable{"SO_KEEPALIVE", SOL_SOCKET, SO_KEEPALIVE, ""};
constexpr TimingOption kInterval{"TCP_KEEPINTVL", IPPROTO_TCP, TCP_KEEPINTVL, "s"};
constexpr TimingOption kCount{"TCP_KEEPCNT", IPPROTO_TCP, TCP_KEEPCNT, ""};

std::optional<int> getInt(NativeSocket socket, const TimingOption &option)
{
    int value = 0;
    socklen_t length = sizeof value;
    if (::getsockopt(static_cast<int>(socket), option.level, option.option, &value, &length) != 0)
        return std::nullopt;
    return value;
}

OptionResult baseResult(const TimingOption &option, std::optional<long long> requested)
{
    // Constructed, not assigned: GCC 12 -O2 reports a false -Wrestrict on string assignment here (PR 105329).
    return OptionResult{.option = std::string(option.name),
                        .status = requested ? OptionStatus::Applied : OptionStatus::NotRequested,
                        .requested = requested,
                        .unit = std::string(option.unit)};
}

void setInt(NativeSocket socket, const TimingOption &option, int value, OptionResult &result)
{
    if (::setsockopt(static_cast<int>(socket), option.level, option.option, &value, sizeof value) == 0) {
        result.status = OptionStatus::Applied;
        return;
    }
    result.error = errno;
    result.status = result.error == ENOPROTOOPT ? OptionStatus::Unsupported : OptionStatus::Failed;
    result.message = result.status == OptionStatus::Unsupported
                         ? std::string("this kernel does not offer ") + option.name
                         : std::string(option.name) + " refused: " + std::strerror(result.error);
}

// One timing option: validated alone so that one bad field does not hide the others.
OptionResult applyTiming(NativeSocket socket, const TimingOption &option, std::optional<long long> requested,
                         const TcpKeepaliveSettings &single, const char *skipReason)
{
    OptionResult result = baseResult(option, requested);
    if (!requested)
        return result;
    if (const auto issues = validateTcpKeepalive(single); !issues.empty()) {
        result.status = OptionStatus::Invalid;
        result.message = issues.front().message;
        return result;
    }
    if (skipReason) {
        result.status = OptionStatus::Failed;
        result.message = skipReason;
        return result;
    }
    setInt(socket, option, static_cast<int>(*requested), result);
    return result;
}

} // namespace

EffectiveKeepalive readKeepalive(NativeSocket socket)
{
    EffectiveKeepalive effective;
    const auto enabled = getInt(socket, kEnable);
    effective.enabled = enabled.value_or(0) != 0;
    // Linux getsockopt reports the value in force, the sysctl default when the socket has none.
    if (const auto idle = getInt(socket, kIdle); idle && *idle > 0)
        effective.idle = std::chrono::seconds(*idle);
    if (const auto interval = getInt(socket, kInterval); interval && *interval > 0)
        effective.interval = std::chrono::seconds(*interval);
    if (const auto count = getInt(socket, kCount); count && *count > 0)
        effective.count = *count;
    if (const auto timeout = getInt(socket, kUserTimeout); timeout && *timeout > 0)
        effective.userTimeout = kUserTimeoutInSeconds
                                    ? std::chrono::milliseconds(std::chrono::seconds(*timeout))
                                    : std::chrono::milliseconds(*timeout);
    effective.readBack = enabled.has_value();
    return effective;
}

KeepaliveReport applyKeepalive(NativeSocket socket, const TcpKeepaliveSettings &settings)
{
    KeepaliveReport report;
    const std::optional<bool> enable = settings.normalized().enabled;

    OptionResult enableResult =
        baseResult(kEnable, enable ? std::optional<long long>(*enable ? 1 : 0) : std::nullopt);
    if (enable) {
        setInt(socket, kEnable, *enable ? 1 : 0, enableResult);
        if (!settings.enabled && enableResult.status == OptionStatus::Applied)
            enableResult.message = "turned on because idle, interval or count was given";
    }
    const char *skipReason = nullptr;
    if (enable && !*enable)
        skipReason = "not sent: keepalive is disabled for this endpoint";
    else if (enableResult.status == OptionStatus::Failed || enableResult.status == OptionStatus::Unsupported)
        skipReason = "not sent: SO_KEEPALIVE could not be turned on";
    report.options.push_back(enableResult);

    auto asCount = [](const auto &value) {
        return value ? std::optional<long long>(value->count()) : std::nullopt;
    };
    report.options.push_back(
        applyTiming(socket, kIdle, asCount(settings.idle), {.idle = settings.idle}, skipReason));
    report.options.push_back(applyTiming(socket, kInterval, asCount(settings.interval),
                                         {.interval = settings.interval}, skipReason));
    report.options.push_back(
        applyTiming(socket, kCount, settings.count ? std::optional<long long>(*settings.count) : std::nullopt,
                    {.count = settings.count}, skipReason));

    // The user timeout also bounds unacknowledged data, so it applies whether keepalive is on or not.
    std::optional<long long> timeout = asCount(settings.userTimeout);
    if (kUserTimeoutInSeconds && timeout)
        timeout = (*timeout + 999) / 1000;
    OptionResult timeoutResult =
        applyTiming(socket, kUserTimeout, timeout, {.userTimeout = settings.userTimeout}, nullptr);
    if (kUserTimeoutInSeconds && settings.userTimeout && settings.userTimeout->count() % 1000 != 0 &&
        timeoutResult.status == OptionStatus::Applied)
        timeoutResult.message = "rounded up to whole seconds";
    report.options.push_back(timeoutResult);

    for (OptionResult &result : report.options) {
        const TimingOption *option = result.option == kEnable.name        ? &kEnable
                                     : result.option == kIdle.name        ? &kIdle
                                     : result.option == kInterval.name    ? &kInterval
                                     : result.option == kCount.name       ? &kCount
                                     : result.option == kUserTimeout.name ? &kUserTimeout
                                                                          : nullptr;
        if (option)
            if (const auto value = getInt(socket, *option))
                result.readBack = *value;
    }
    report.effective = readKeepalive(socket);
    return report;
}

} // namespace kw::net

#endif
