#include "detectionbound.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace kw::net {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Vista and later, SIO_KEEPALIVE_VALS path: the OS sends 10 probes.
constexpr int kWindowsProbeCount = 10;
// RFC 6298 initial RTO; Windows gives up after TcpMaxDataRetransmissions doublings of it.
constexpr milliseconds kWindowsInitialRto{1000};

std::string formatMs(milliseconds value)
{
    if (value.count() % 1000 == 0)
        return std::to_string(value.count() / 1000) + " s";
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(value.count()) / 1000.0);
    return text;
}

std::string withSource(const std::string &text, bool fromSystem)
{
    return fromSystem ? text + " (system default)" : text;
}

} // namespace

milliseconds linuxRetransmitGiveUp(int retries)
{
    // net/ipv4/tcp_timer.c retransmits_timed_out(): exponential from TCP_RTO_MIN up to TCP_RTO_MAX,
    // then linear in TCP_RTO_MAX steps.
    constexpr long long kRtoMinMs = 200;
    constexpr long long kRtoMaxMs = 120000;
    constexpr int kLinearBackoffThreshold = 9; // ilog2(TCP_RTO_MAX / TCP_RTO_MIN)
    const int boundary = std::max(retries, 0);
    if (boundary <= kLinearBackoffThreshold)
        return milliseconds(((2LL << boundary) - 1) * kRtoMinMs);
    return milliseconds(((2LL << kLinearBackoffThreshold) - 1) * kRtoMinMs +
                        (boundary - kLinearBackoffThreshold) * kRtoMaxMs);
}

DetectionBound detectionBound(const EffectiveKeepalive &effective, const SystemDefaults &defaults)
{
    DetectionBound bound;
    const bool onWindows = defaults.platform == kPlatformWindows;
    const bool onLinux = defaults.platform == kPlatformLinux;
    const std::optional<milliseconds> userTimeout =
        effective.userTimeout && effective.userTimeout->count() > 0 ? effective.userTimeout : std::nullopt;

    if (!effective.enabled) {
        bound.explanation =
            "Keepalive is off: TCP never notices a silent peer; only an application heartbeat "
            "or MQTT ping does.";
    } else {
        const std::optional<milliseconds> idle =
            effective.idle ? std::optional<milliseconds>(*effective.idle) : defaults.keepaliveTime.duration();
        const std::optional<milliseconds> interval = effective.interval
                                                         ? std::optional<milliseconds>(*effective.interval)
                                                         : defaults.keepaliveInterval.duration();
        std::optional<int> count = effective.count;
        if (!count && onWindows)
            count = kWindowsProbeCount;
        if (!count && defaults.keepaliveProbes.value)
            count = static_cast<int>(*defaults.keepaliveProbes.value);
        if (idle && interval && count) {
            const std::string countText = std::to_string(*count) + " probes" +
                                          (effective.countFixedByOs || (onWindows && !effective.count)
                                               ? " (fixed by Windows)"
                                               : (effective.count ? "" : " (system default)"));
            std::string arithmetic = "idle " + withSource(formatMs(*idle), !effective.idle) + " + interval " +
                                     withSource(formatMs(*interval), !effective.interval) + " x " + countText;
            if (onLinux && userTimeout) {
                // tcp_keepalive_timer(): with a user timeout the count is ignored; the connection dies at the
                // first probe tick (idle + k x interval, k >= 1) at or after the user timeout.
                const long long step = std::max<long long>(interval->count(), 1);
                const long long beyond = userTimeout->count() - idle->count();
                const long long ticks = std::max<long long>(1, (beyond + step - 1) / step);
                bound.silentPeer = *idle + *interval * ticks;
                bound.explanation = "A silent peer is declared dead after " + formatMs(*bound.silentPeer) +
                                    ": the user timeout " + formatMs(*userTimeout) +
                                    " replaces the probe count (first probe tick after it; idle " +
                                    formatMs(*idle) + ", interval " + formatMs(*interval) + ").";
            } else {
                bound.silentPeer = *idle + *interval * *count;
                bound.explanation = "A silent peer is declared dead after " + arithmetic + " = " +
                                    formatMs(*bound.silentPeer) + ".";
            }
        } else {
            bound.explanation =
                "Keepalive is on but the system defaults are unknown here, so the bound cannot "
                "be computed.";
        }
    }

    if (userTimeout) {
        bound.unackedData = userTimeout;
        bound.explanation += std::string(" Unacknowledged data is abandoned after the user timeout ") +
                             (onWindows ? "(TCP_MAXRT) " : "(TCP_USER_TIMEOUT) ") + formatMs(*userTimeout) +
                             ".";
    } else if (onLinux) {
        const int retries = static_cast<int>(defaults.retransmitGiveUp.value.value_or(15));
        bound.unackedData = linuxRetransmitGiveUp(retries);
        bound.explanation +=
            " Unacknowledged data is abandoned only after about " + formatMs(*bound.unackedData) +
            " (tcp_retries2 = " + std::to_string(retries) +
            "); keepalive does not probe while data is unacknowledged, so set a user timeout.";
    } else if (onWindows) {
        const int retries = static_cast<int>(defaults.retransmitGiveUp.value.value_or(5));
        bound.unackedData = kWindowsInitialRto * ((2LL << std::clamp(retries, 0, 20)) - 1);
        bound.explanation += " Unacknowledged data is abandoned after about " + formatMs(*bound.unackedData) +
                             " (estimate: TcpMaxDataRetransmissions = " + std::to_string(retries) +
                             " doublings of a 1 s retransmission timeout; TCP_MAXRT bounds it exactly).";
    } else {
        bound.explanation +=
            " Unacknowledged data is abandoned at the system retransmission limit, which this "
            "platform does not report; set a user timeout to bound it.";
    }
    return bound;
}

} // namespace kw::net
