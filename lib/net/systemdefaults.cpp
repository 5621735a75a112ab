#include "systemdefaults.h"

#include <fstream>
#include <string>

namespace kw::net {

namespace {

// Kernel defaults (include/net/tcp.h TCP_KEEPALIVE_TIME/INTVL/PROBES, TCP_RETR2;
// nf_conntrack_proto_tcp.c tcp_timeouts[ESTABLISHED]).
constexpr long long kLinuxKeepaliveTime = 7200;
constexpr long long kLinuxKeepaliveInterval = 75;
constexpr long long kLinuxKeepaliveProbes = 9;
constexpr long long kLinuxRetries2 = 15;
constexpr long long kLinuxConntrackEstablished = 432000;

SourcedValue readProc(const std::filesystem::path &procSys, const char *relative, const char *unit,
                      std::optional<long long> kernelDefault)
{
    const std::filesystem::path path = procSys / relative;
    SourcedValue result;
    result.unit = unit;
    std::ifstream file(path);
    long long value = 0;
    if (file >> value) {
        result.value = value;
        result.source = path.string();
        result.isOsDefault = kernelDefault && value == *kernelDefault;
        return result;
    }
    if (kernelDefault) {
        // Unreadable (container without /proc/sys, restricted sandbox): the kernel default is the best guess.
        result.value = kernelDefault;
        result.source =
            "unreadable " + path.string() + " (kernel default " + std::to_string(*kernelDefault) + ")";
        result.isOsDefault = true;
    } else {
        result.source = "not visible: " + path.string();
    }
    return result;
}

void addCommand(std::vector<std::string> &commands, const SourcedValue &current, long long wanted,
                const std::string &command)
{
    if (current.value && *current.value == wanted)
        return;
    commands.push_back(command);
}

} // namespace

std::optional<std::chrono::milliseconds> SourcedValue::duration() const
{
    if (!value)
        return std::nullopt;
    if (unit == "s")
        return std::chrono::seconds(*value);
    if (unit == "ms")
        return std::chrono::milliseconds(*value);
    return std::nullopt;
}

SystemDefaults readLinuxSystemDefaults(const std::filesystem::path &procSys)
{
    SystemDefaults defaults;
    defaults.platform = kPlatformLinux;
    defaults.keepaliveTime = readProc(procSys, "net/ipv4/tcp_keepalive_time", "s", kLinuxKeepaliveTime);
    defaults.keepaliveInterval =
        readProc(procSys, "net/ipv4/tcp_keepalive_intvl", "s", kLinuxKeepaliveInterval);
    defaults.keepaliveProbes = readProc(procSys, "net/ipv4/tcp_keepalive_probes", "", kLinuxKeepaliveProbes);
    defaults.retransmitGiveUp = readProc(procSys, "net/ipv4/tcp_retries2", "", kLinuxRetries2);
    // Only present when nf_conntrack is loaded in this network namespace.
    defaults.conntrackEstablished =
        readProc(procSys, "net/netfilter/nf_conntrack_tcp_timeout_established", "s", std::nullopt);
    if (defaults.conntrackEstablished.value)
        defaults.conntrackEstablished.isOsDefault =
            *defaults.conntrackEstablished.value == kLinuxConntrackEstablished;
    else
        defaults.conntrackEstablished.source += " (nf_conntrack not loaded here)";
    return defaults;
}

#if defined(__linux__)
SystemDefaults readSystemDefaults()
{
    return readLinuxSystemDefaults("/proc/sys");
}
#endif

std::vector<std::string> adminCommands(const TcpKeepaliveSettings &settings, const SystemDefaults &defaults)
{
    std::vector<std::string> commands;
    if (!validateTcpKeepalive(settings).empty())
        return commands;

    if (defaults.platform == kPlatformWindows) {
        const std::string key = R"(reg add "HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters")";
        if (settings.idle) {
            const long long ms = std::chrono::milliseconds(*settings.idle).count();
            addCommand(commands, defaults.keepaliveTime, ms,
                       key + " /v KeepAliveTime /t REG_DWORD /d " + std::to_string(ms) + " /f");
        }
        if (settings.interval) {
            const long long ms = std::chrono::milliseconds(*settings.interval).count();
            addCommand(commands, defaults.keepaliveInterval, ms,
                       key + " /v KeepAliveInterval /t REG_DWORD /d " + std::to_string(ms) + " /f");
        }
        if (settings.count)
            commands.push_back(
                "# the probe count has no system setting on Windows Vista and later: it is fixed "
                "at 10 (per socket, TCP_KEEPCNT on Windows 10 1703+)");
        if (!commands.empty() && commands.front().front() != '#')
            commands.push_back("# run in an elevated prompt; takes effect after a reboot, only for programs "
                               "that turn keepalive on");
    } else if (defaults.platform == kPlatformMacOs) {
        // net.inet.tcp.keepidle and keepintvl are in milliseconds.
        if (settings.idle) {
            const long long ms = std::chrono::milliseconds(*settings.idle).count();
            addCommand(commands, defaults.keepaliveTime, ms,
                       "sudo sysctl -w net.inet.tcp.keepidle=" + std::to_string(ms));
        }
        if (settings.interval) {
            const long long ms = std::chrono::milliseconds(*settings.interval).count();
            addCommand(commands, defaults.keepaliveInterval, ms,
                       "sudo sysctl -w net.inet.tcp.keepintvl=" + std::to_string(ms));
        }
        if (settings.count)
            addCommand(commands, defaults.keepaliveProbes, *settings.count,
                       "sudo sysctl -w net.inet.tcp.keepcnt=" + std::to_string(*settings.count));
        if (!commands.empty())
            commands.push_back(
                "# lost at reboot: add the same name=value lines to /etc/sysctl.conf to keep them");
    } else {
        std::string persist;
        auto add = [&](const SourcedValue &current, long long wanted, const char *name) {
            if (current.value && *current.value == wanted)
                return;
            commands.push_back(std::string("sudo sysctl -w ") + name + "=" + std::to_string(wanted));
            persist += std::string(name) + " = " + std::to_string(wanted) + "\\n";
        };
        if (settings.idle)
            add(defaults.keepaliveTime, settings.idle->count(), "net.ipv4.tcp_keepalive_time");
        if (settings.interval)
            add(defaults.keepaliveInterval, settings.interval->count(), "net.ipv4.tcp_keepalive_intvl");
        if (settings.count)
            add(defaults.keepaliveProbes, *settings.count, "net.ipv4.tcp_keepalive_probes");
        if (!persist.empty())
            commands.push_back("printf '" + persist +
                               "' | sudo tee /etc/sysctl.d/90-keepwatch-keepalive.conf");
        if (!commands.empty())
            commands.push_back(
                "# system defaults apply only to programs that turn keepalive on (SO_KEEPALIVE)");
    }
    if (settings.userTimeout && settings.userTimeout->count() > 0)
        commands.push_back("# the user timeout has no system-wide default; it is set per socket "
                           "(Keepwatch does this for every connection)");
    return commands;
}

} // namespace kw::net
