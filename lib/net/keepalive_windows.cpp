// Windows: TCP_KEEPIDLE/TCP_KEEPINTVL/TCP_KEEPCNT where the build offers them (10 1703/1709+), else
// SIO_KEEPALIVE_VALS with the probe count fixed by the OS. Support is detected on the socket itself.
#include "keepalive.h"

#if defined(_WIN32)

#include "socketerror.h"
#include "systemdefaults.h"
#include "winsockcompat.h"

#include <string>
#include <tuple>

namespace kw::net {

namespace {

// Vista and later send 10 probes on the SIO_KEEPALIVE_VALS path (Microsoft: "SIO_KEEPALIVE_VALS control
// code"; 2000/XP/2003 used 5 from TcpMaxDataRetransmissions).
constexpr int kFixedProbeCount = 10;
constexpr DWORD kDefaultKeepaliveTimeMs = 7200000;
constexpr DWORD kDefaultKeepaliveIntervalMs = 1000;

std::optional<DWORD> getDword(NativeSocket socket, int level, int option)
{
    DWORD value = 0; // Wine writes a single byte for SOL_SOCKET flags: start from zero
    int length = sizeof value;
    if (::getsockopt(win::toSocket(socket), level, option, reinterpret_cast<char *>(&value), &length) != 0)
        return std::nullopt;
    return value;
}

OptionResult makeResult(const char *name, const char *unit, std::optional<long long> requested)
{
    // Constructed, not assigned: GCC 12 -O2 reports a false -Wrestrict on string assignment here (PR 105329).
    return OptionResult{.option = std::string(name),
                        .status = requested ? OptionStatus::Applied : OptionStatus::NotRequested,
                        .requested = requested,
                        .unit = std::string(unit)};
}

void setDword(NativeSocket socket, int level, int option, DWORD value, OptionResult &result)
{
    if (::setsockopt(win::toSocket(socket), level, option, reinterpret_cast<const char *>(&value),
                     sizeof value) == 0) {
        result.status = OptionStatus::Applied;
        return;
    }
    result.error = ::WSAGetLastError();
    result.status = result.error == WSAENOPROTOOPT ? OptionStatus::Unsupported : OptionStatus::Failed;
    result.message = result.option + " refused: " + errorName(result.error) + " " + errorText(result.error);
    if (result.option == "SO_KEEPALIVE" && result.error == WSAEINVAL)
        result.message += " (Windows refuses SO_KEEPALIVE while a connect is pending: apply after connected)";
}

bool checkField(const TcpKeepaliveSettings &single, OptionResult &result)
{
    const auto issues = validateTcpKeepalive(single);
    if (issues.empty())
        return true;
    result.status = OptionStatus::Invalid;
    result.message = issues.front().message;
    return false;
}

void markUnsupported(OptionResult &result, const std::string &why)
{
    result.status = OptionStatus::Unsupported;
    result.error = WSAENOPROTOOPT;
    result.message = why;
}

struct Support
{
    bool times = false; // TCP_KEEPIDLE and TCP_KEEPINTVL in seconds: Windows 10 1709 (build 16299)+
    bool count = false; // TCP_KEEPCNT: Windows 10 1703+
};

// TCP_KEEPINTVL arrived together with the seconds meaning of TCP_KEEPIDLE; before build 16299 the same
// option number 3 took milliseconds (libuv, curl), so TCP_KEEPIDLE alone is no safe probe.
Support detectSupport(NativeSocket socket)
{
    return {getDword(socket, IPPROTO_TCP, win::kTcpKeepIntvl).has_value(),
            getDword(socket, IPPROTO_TCP, win::kTcpKeepCnt).has_value()};
}

} // namespace

EffectiveKeepalive readKeepalive(NativeSocket socket)
{
    EffectiveKeepalive effective;
    effective.enabled = getDword(socket, SOL_SOCKET, SO_KEEPALIVE).value_or(0) != 0;
    const Support support = detectSupport(socket);
    if (support.times) {
        if (const auto idle = getDword(socket, IPPROTO_TCP, win::kTcpKeepIdle); idle && *idle > 0)
            effective.idle = std::chrono::seconds(*idle);
        if (const auto interval = getDword(socket, IPPROTO_TCP, win::kTcpKeepIntvl);
            interval && *interval > 0)
            effective.interval = std::chrono::seconds(*interval);
        effective.readBack = true;
    }
    if (support.count) {
        if (const auto count = getDword(socket, IPPROTO_TCP, win::kTcpKeepCnt); count && *count > 0)
            effective.count = static_cast<int>(*count);
    } else {
        effective.count = kFixedProbeCount;
        effective.countFixedByOs = true;
    }
    // TCP_MAXRT reads back as DWORD seconds; 0xFFFFFFFF (-1) means retransmit forever.
    if (const auto maxRt = getDword(socket, IPPROTO_TCP, win::kTcpMaxRt);
        maxRt && *maxRt > 0 && *maxRt != 0xFFFFFFFF)
        effective.userTimeout = std::chrono::seconds(*maxRt);
    return effective;
}

KeepaliveReport applyKeepalive(NativeSocket socket, const TcpKeepaliveSettings &settings)
{
    KeepaliveReport report;
    const Support support = detectSupport(socket);
    const std::optional<bool> enable = settings.normalized().enabled;

    OptionResult enableResult =
        makeResult("SO_KEEPALIVE", "", enable ? std::optional<long long>(*enable ? 1 : 0) : std::nullopt);
    if (enable) {
        setDword(socket, SOL_SOCKET, SO_KEEPALIVE, *enable ? TRUE : FALSE, enableResult);
        if (!settings.enabled && enableResult.status == OptionStatus::Applied)
            enableResult.message = "turned on because idle, interval or count was given";
    }
    std::string skipReason;
    if (enable && !*enable)
        skipReason = "not sent: keepalive is disabled for this endpoint";
    else if (enableResult.status == OptionStatus::Failed || enableResult.status == OptionStatus::Unsupported)
        skipReason = "not sent: SO_KEEPALIVE could not be turned on";

    auto asCount = [](const auto &value) {
        return value ? std::optional<long long>(value->count()) : std::nullopt;
    };
    OptionResult idle = makeResult("TCP_KEEPIDLE", "s", asCount(settings.idle));
    OptionResult interval = makeResult("TCP_KEEPINTVL", "s", asCount(settings.interval));
    OptionResult count = makeResult(
        "TCP_KEEPCNT", "", settings.count ? std::optional<long long>(*settings.count) : std::nullopt);
    bool needKeepaliveVals = false;
    const std::string timesUnsupported =
        "needs Windows 10 1709 or later; sent with SIO_KEEPALIVE_VALS instead";
    for (auto [result, single, option] :
         {std::tuple{&idle, TcpKeepaliveSettings{.idle = settings.idle}, win::kTcpKeepIdle},
          std::tuple{&interval, TcpKeepaliveSettings{.interval = settings.interval}, win::kTcpKeepIntvl}}) {
        if (!result->requested || !checkField(single, *result))
            continue;
        if (!skipReason.empty()) {
            result->status = OptionStatus::Failed;
            result->message = skipReason;
        } else if (support.times) {
            setDword(socket, IPPROTO_TCP, option, static_cast<DWORD>(*result->requested), *result);
        } else {
            markUnsupported(*result, timesUnsupported);
            needKeepaliveVals = true;
        }
    }
    if (count.requested && checkField({.count = settings.count}, count)) {
        if (!skipReason.empty()) {
            count.status = OptionStatus::Failed;
            count.message = skipReason;
        } else if (support.count) {
            setDword(socket, IPPROTO_TCP, win::kTcpKeepCnt, static_cast<DWORD>(*settings.count), count);
        } else {
            markUnsupported(count, "needs Windows 10 1703 or later; this Windows sends " +
                                       std::to_string(kFixedProbeCount) + " probes");
            count.carriedByFallback = *settings.count == kFixedProbeCount;
        }
    }

    report.options.push_back(enableResult);
    report.options.push_back(idle);
    report.options.push_back(interval);
    report.options.push_back(count);

    std::optional<std::chrono::milliseconds> sentIdle, sentInterval;
    if (needKeepaliveVals) {
        // SIO_KEEPALIVE_VALS always sets both times (an unset one would be sent as 0), so the unset one
        // takes the system default from the registry.
        const SystemDefaults defaults = readSystemDefaults();
        const auto fill = [](const std::optional<std::chrono::seconds> &asked, const SourcedValue &system,
                             DWORD fallback) -> ULONG {
            if (asked)
                return static_cast<ULONG>(std::chrono::milliseconds(*asked).count());
            if (const auto value = system.duration())
                return static_cast<ULONG>(value->count());
            return fallback;
        };
        win::KeepaliveVals vals{
            1,
            fill(idle.status == OptionStatus::Invalid ? std::nullopt : settings.idle, defaults.keepaliveTime,
                 kDefaultKeepaliveTimeMs),
            fill(interval.status == OptionStatus::Invalid ? std::nullopt : settings.interval,
                 defaults.keepaliveInterval, kDefaultKeepaliveIntervalMs)};
        OptionResult valsResult = makeResult("SIO_KEEPALIVE_VALS", "ms", vals.keepalivetime);
        valsResult.message = "keepalivetime " + std::to_string(vals.keepalivetime) +
                             " ms, keepaliveinterval " + std::to_string(vals.keepaliveinterval) + " ms";
        DWORD returned = 0;
        if (::WSAIoctl(win::toSocket(socket), win::kSioKeepaliveVals, &vals, sizeof vals, nullptr, 0,
                       &returned, nullptr, nullptr) == 0) {
            sentIdle = std::chrono::milliseconds(vals.keepalivetime);
            sentInterval = std::chrono::milliseconds(vals.keepaliveinterval);
            for (OptionResult *carried : {&report.options[1], &report.options[2]})
                carried->carriedByFallback = carried->status == OptionStatus::Unsupported;
        } else {
            valsResult.error = ::WSAGetLastError();
            valsResult.status = OptionStatus::Failed;
            valsResult.message += ": " + errorName(valsResult.error) + " " + errorText(valsResult.error);
        }
        report.options.push_back(valsResult);
    }

    // TCP_MAXRT counts whole seconds; round up so the bound is never shorter than asked.
    OptionResult maxRt = makeResult(
        "TCP_MAXRT", "s",
        settings.userTimeout ? std::optional<long long>((settings.userTimeout->count() + 999) / 1000)
                             : std::nullopt);
    if (maxRt.requested && checkField({.userTimeout = settings.userTimeout}, maxRt)) {
        // 0 asks for the system behaviour: TCP_MAXRT expresses that as -1 (no per-socket limit).
        const DWORD value = *maxRt.requested == 0 ? 0xFFFFFFFF : static_cast<DWORD>(*maxRt.requested);
        setDword(socket, IPPROTO_TCP, win::kTcpMaxRt, value, maxRt);
        if (maxRt.status == OptionStatus::Unsupported)
            maxRt.message =
                "TCP_MAXRT (the Windows counterpart of TCP_USER_TIMEOUT) is not offered by this Windows";
        else if (maxRt.status == OptionStatus::Applied && settings.userTimeout->count() % 1000 != 0)
            maxRt.message = "rounded up to whole seconds";
    }
    report.options.push_back(maxRt);

    for (OptionResult &result : report.options) {
        const int option = result.option == "SO_KEEPALIVE"    ? SO_KEEPALIVE
                           : result.option == "TCP_KEEPIDLE"  ? win::kTcpKeepIdle
                           : result.option == "TCP_KEEPINTVL" ? win::kTcpKeepIntvl
                           : result.option == "TCP_KEEPCNT"   ? win::kTcpKeepCnt
                           : result.option == "TCP_MAXRT"     ? win::kTcpMaxRt
                                                              : -1;
        if (option < 0)
            continue;
        if (const auto value = getDword(socket, option == SO_KEEPALIVE ? SOL_SOCKET : IPPROTO_TCP, option))
            result.readBack = *value == 0xFFFFFFFF ? -1LL : static_cast<long long>(*value);
    }

    report.effective = readKeepalive(socket);
    if (sentIdle) {
        // The OS cannot report SIO_KEEPALIVE_VALS values: what was sent is the best knowledge.
        report.effective.enabled = true;
        report.effective.idle = std::chrono::ceil<std::chrono::seconds>(*sentIdle);
        report.effective.interval = std::chrono::ceil<std::chrono::seconds>(*sentInterval);
        report.effective.readBack = false;
    }
    return report;
}

} // namespace kw::net

#endif
