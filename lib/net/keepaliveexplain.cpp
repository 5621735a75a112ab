#include "detectionbound.h"
#include "keepalive.h"
#include "systemdefaults.h"

#if defined(_WIN32)
#include "winsockcompat.h"
#else
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

#include <cstdio>
#include <string>

namespace kw::net {

namespace {

// Common middlebox idle timeouts (Azure Load Balancer 4 min default, AWS NLB 350 s): an idle above them
// lets the path forget the connection before the first probe.
constexpr std::chrono::seconds kShortMiddleboxIdle{240};

std::string pad(std::string text, std::size_t width)
{
    if (text.size() < width)
        text.append(width - text.size(), ' ');
    return text;
}

std::string valueText(const std::optional<long long> &value, const std::string &unit)
{
    if (!value)
        return "-";
    return std::to_string(*value) + (unit.empty() ? "" : " " + unit);
}

std::string requestedText(const TcpKeepaliveSettings &requested)
{
    std::string text;
    auto add = [&text](const std::string &part) { text += (text.empty() ? "" : ", ") + part; };
    if (requested.enabled)
        add(*requested.enabled ? "keepalive on" : "keepalive off");
    if (requested.idle)
        add("idle " + std::to_string(requested.idle->count()) + " s");
    if (requested.interval)
        add("interval " + std::to_string(requested.interval->count()) + " s");
    if (requested.count)
        add("count " + std::to_string(*requested.count));
    if (requested.userTimeout)
        add("user timeout " + std::to_string(requested.userTimeout->count()) + " ms");
    return text.empty() ? std::string("nothing (system defaults stay)") : text;
}

// Tries the settings on a fresh, unconnected TCP socket: the options are accepted before connect on every
// supported OS, and this shows what this machine refuses without touching a live connection.
std::optional<KeepaliveReport> tryOnScratchSocket(const TcpKeepaliveSettings &requested, std::string &error)
{
#if defined(_WIN32)
    WSADATA data;
    if (::WSAStartup(MAKEWORD(2, 2), &data) != 0) {
        error = "WSAStartup failed";
        return std::nullopt;
    }
    const SOCKET handle = ::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (handle == INVALID_SOCKET) {
        error = "cannot create a TCP socket";
        ::WSACleanup();
        return std::nullopt;
    }
    KeepaliveReport report = applyKeepalive(static_cast<NativeSocket>(handle), requested);
    ::closesocket(handle);
    ::WSACleanup();
    return report;
#else
    const int handle = ::socket(AF_INET, SOCK_STREAM, 0);
    if (handle < 0) {
        error = "cannot create a TCP socket";
        return std::nullopt;
    }
    KeepaliveReport report = applyKeepalive(handle, requested);
    ::close(handle);
    return report;
#endif
}

} // namespace

std::string keepaliveExplainText(const TcpKeepaliveSettings &requested)
{
    const SystemDefaults defaults = readSystemDefaults();
    std::string out = "Keepalive on " + defaults.platform + "\n\n";
    out += "Requested: " + requestedText(requested) + "\n";
    for (const TcpKeepaliveIssue &issue : validateTcpKeepalive(requested))
        out += "  error: " + issue.message + "\n";

    out += "\nSystem defaults:\n";
    const std::pair<const char *, const SourcedValue *> rows[] = {
        {"keepalive idle", &defaults.keepaliveTime},
        {"keepalive interval", &defaults.keepaliveInterval},
        {"keepalive probes", &defaults.keepaliveProbes},
        {"retransmission give-up", &defaults.retransmitGiveUp},
        {"conntrack established", &defaults.conntrackEstablished},
    };
    for (const auto &[label, value] : rows) {
        if (!value->value && defaults.platform != kPlatformLinux)
            continue;
        out += "  " + pad(label, 24) + pad(valueText(value->value, value->unit), 12) + value->source +
               (value->value && value->isOsDefault ? "  [OS default]" : "") + "\n";
    }

    std::string error;
    const auto report = tryOnScratchSocket(requested, error);
    out += "\nOn a new socket:\n";
    if (!report) {
        out += "  could not try the settings: " + error + "\n";
    } else {
        for (const OptionResult &option : report->options) {
            if (option.status == OptionStatus::NotRequested)
                continue;
            out += "  " + pad(option.option, 22) + pad(optionStatusName(option.status), 13) +
                   pad(valueText(option.requested, option.unit), 12) + "read back " +
                   valueText(option.readBack, option.unit);
            if (!option.message.empty())
                out += "  (" + option.message + ")";
            out += "\n";
        }
        out += "  effective: " + describeKeepalive(report->effective) + "\n";

        const DetectionBound bound = detectionBound(report->effective, defaults);
        out += "\nDetection bounds:\n";
        auto boundText = [](const std::optional<std::chrono::milliseconds> &value) {
            if (!value)
                return std::string("never (by TCP)");
            char text[32];
            std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(value->count()) / 1000.0);
            return std::string(text);
        };
        out += "  silent peer:          " + boundText(bound.silentPeer) + "\n";
        out += "  unacknowledged data:  " + boundText(bound.unackedData) + "\n";
        out += "  " + bound.explanation + "\n";

        const auto idle = report->effective.idle
                              ? std::optional<std::chrono::milliseconds>(*report->effective.idle)
                              : defaults.keepaliveTime.duration();
        if (report->effective.enabled && idle && *idle > kShortMiddleboxIdle)
            out += "  warning: idle " + boundText(idle) +
                   " exceeds common middlebox idle timeouts (Azure LB 240 s, AWS NLB 350 s): such a path can "
                   "forget the connection before the first probe.\n";
        if (const auto conntrack = defaults.conntrackEstablished.duration();
            conntrack && report->effective.enabled && idle && *idle >= *conntrack)
            out += "  warning: idle " + boundText(idle) +
                   " is not below nf_conntrack_tcp_timeout_established " + boundText(conntrack) +
                   ": this host's firewall can forget the connection first.\n";
    }

    const auto commands = adminCommands(requested, defaults);
    if (!commands.empty()) {
        out += "\nTo make these the system defaults (administrator; shown, never run by Keepwatch):\n";
        for (const std::string &command : commands)
            out += "  " + command + "\n";
    }
    return out;
}

} // namespace kw::net
