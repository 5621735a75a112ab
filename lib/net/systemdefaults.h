#pragma once

#include "tcpkeepalivesettings.h"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kw::net {

struct SourcedValue
{
    std::optional<long long> value{}; // absent when unknown on this platform
    std::string unit{};               // "s", "ms" or "" (counts)
    // Where the value came from: "/proc/sys/net/ipv4/tcp_keepalive_time",
    // "registry HKLM\...\KeepAliveTime", "not set (default 7200000)", "sysctl net.inet.tcp.keepidle".
    std::string source{};
    bool isOsDefault = false; // the value is the OS's built-in default (nobody changed it)

    // The value as a duration when unit is "s" or "ms".
    std::optional<std::chrono::milliseconds> duration() const;
};

struct SystemDefaults
{
    SourcedValue keepaliveTime{};
    SourcedValue keepaliveInterval{};
    SourcedValue keepaliveProbes{};
    SourcedValue retransmitGiveUp{};     // Linux tcp_retries2, Windows TcpMaxDataRetransmissions
    SourcedValue conntrackEstablished{}; // Linux nf_conntrack_tcp_timeout_established, when visible
    std::string platform{};              // "Linux", "Windows", "macOS"
};

inline constexpr char kPlatformLinux[] = "Linux";
inline constexpr char kPlatformWindows[] = "Windows";
inline constexpr char kPlatformMacOs[] = "macOS";

// The system-wide defaults of the running OS, each with its source.
SystemDefaults readSystemDefaults();
// Linux defaults read below a sysctl root (normally "/proc/sys"); usable on any OS, for tests and
// for inspecting a container's /proc from outside.
SystemDefaults readLinuxSystemDefaults(const std::filesystem::path &procSys);

// Commands an administrator could run to make the system defaults of defaults.platform match the
// requested settings (only the fields that are set and differ). Shown to the user, never executed.
// Lines starting with '#' are explanations.
std::vector<std::string> adminCommands(const TcpKeepaliveSettings &settings, const SystemDefaults &defaults);

} // namespace kw::net
