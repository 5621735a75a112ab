#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace kw::net {

// TCP keepalive as a user asks for it on one socket: SO_KEEPALIVE and the TCP_KEEP* options, plus
// TCP_USER_TIMEOUT. Not MQTT Keep Alive, which is a protocol timer (MQTT 3.1.1 section 3.1.2.10) with
// its own settings. An unset field keeps the system default, which is different from 0: the system
// default on Linux is 7200 s idle, 75 s interval, 9 probes.
//
// The workspace loader, the endpoint dialog and `keepwatch keepalive` all hold this type and check it
// with validateTcpKeepalive(), so a limit or a rule is written once.
struct TcpKeepaliveSettings
{
    std::optional<bool> enabled{};
    std::optional<std::chrono::seconds> idle{};
    std::optional<std::chrono::seconds> interval{};
    std::optional<int> count{};
    std::optional<std::chrono::milliseconds> userTimeout{};

    // Idle, interval or count given. The user timeout is not a probe timing: it also bounds
    // unacknowledged data and applies with keepalive off.
    bool timingRequested() const { return idle || interval || count; }
    // These settings with `enabled` set when it was unset and a timing is given: timings without
    // SO_KEEPALIVE would be stored by the kernel but never used, so asking for one means asking for
    // keepalive. An explicit `enabled = false` stays.
    TcpKeepaliveSettings normalized() const;

    bool operator==(const TcpKeepaliveSettings &) const = default;
};

// The portable limits: the tightest of the supported systems, so a workspace valid on one is valid on
// all of them.
// - TCP_KEEPIDLE / TCP_KEEPINTVL: Linux refuses anything above 32767 s with EINVAL (MAX_TCP_KEEPIDLE,
//   MAX_TCP_KEEPINTVL in include/net/tcp.h). Windows takes a DWORD of seconds (10 1709+) or, through
//   SIO_KEEPALIVE_VALS, a ULONG of milliseconds (32767 s fits); macOS TCP_KEEPALIVE an int of seconds.
// - TCP_KEEPCNT: Linux 127 (MAX_TCP_KEEPCNT). Windows 10 1703+ accepts up to 255, older Windows fixes
//   the count at 10; macOS takes an int.
// - TCP_USER_TIMEOUT: Linux takes an unsigned int of ms, but the monitor's timers are int milliseconds.
//   0 means the system's retransmission limit (Linux tcp_retries2), so 0 is a value, not "unset".
inline constexpr std::chrono::seconds kMinTcpKeepaliveIdle{1};
inline constexpr std::chrono::seconds kMaxTcpKeepaliveIdle{32767};
inline constexpr std::chrono::seconds kMinTcpKeepaliveInterval{1};
inline constexpr std::chrono::seconds kMaxTcpKeepaliveInterval{32767};
inline constexpr int kMinTcpKeepaliveCount = 1;
inline constexpr int kMaxTcpKeepaliveCount = 127;
inline constexpr std::chrono::milliseconds kMinTcpUserTimeout{0};
inline constexpr std::chrono::milliseconds kMaxTcpUserTimeout{2147483647};

struct TcpKeepaliveIssue
{
    enum class Field { Enabled, Idle, Interval, Count, UserTimeout };

    Field field = Field::Enabled;
    // Names the field, the value, the allowed range with its reason and the fix, e.g. "TCP keepalive
    // count 200 is out of range: use 1..127 probes (the Linux limit of TCP_KEEPCNT), or leave it unset
    // for the system default". Callers put their own name of the field in front (a JSON path, a
    // dialog label, a command-line flag) and keep the text.
    std::string message{};

    bool operator==(const TcpKeepaliveIssue &) const = default;
};

// What a caller needs to describe a field before it has a value (a spin box range, a type error).
struct TcpKeepaliveRange
{
    long long min = 0;
    long long max = 0;
    const char *unit = "";   // "s", "ms" or "" (count, enabled)
    const char *reason = ""; // why max is the limit, e.g. "the Linux limit of TCP_KEEPCNT"
};
TcpKeepaliveRange tcpKeepaliveRange(TcpKeepaliveIssue::Field field);

// Checks ranges before anything touches a socket. Empty when valid; otherwise one issue per bad field,
// in field order. Values are never clamped.
std::vector<TcpKeepaliveIssue> validateTcpKeepalive(const TcpKeepaliveSettings &settings);

} // namespace kw::net
