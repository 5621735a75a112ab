#include "tcpkeepalivesettings.h"

namespace kw::net {

namespace {

using Field = TcpKeepaliveIssue::Field;

// ".." rather than an en dash: these lines also reach Windows consoles through `keepwatch keepalive`.
std::string outOfRange(const char *name, long long value, Field field, const char *unitWord,
                       const char *unsetMeans)
{
    const TcpKeepaliveRange range = tcpKeepaliveRange(field);
    const std::string unit = *range.unit ? std::string(" ") + range.unit : std::string();
    return std::string(name) + " " + std::to_string(value) + unit + " is out of range: use " +
           std::to_string(range.min) + ".." + std::to_string(range.max) + unitWord + " (" + range.reason +
           "), or leave it unset " + unsetMeans;
}

template<typename T>
bool outside(const T &value, Field field)
{
    const TcpKeepaliveRange range = tcpKeepaliveRange(field);
    return value < range.min || value > range.max;
}

} // namespace

TcpKeepaliveSettings TcpKeepaliveSettings::normalized() const
{
    TcpKeepaliveSettings settings = *this;
    if (!settings.enabled && timingRequested())
        settings.enabled = true;
    return settings;
}

TcpKeepaliveRange tcpKeepaliveRange(Field field)
{
    switch (field) {
    case Field::Enabled:
        return {0, 1, "", ""};
    case Field::Idle:
        return {kMinTcpKeepaliveIdle.count(), kMaxTcpKeepaliveIdle.count(), "s",
                "the Linux limit of TCP_KEEPIDLE"};
    case Field::Interval:
        return {kMinTcpKeepaliveInterval.count(), kMaxTcpKeepaliveInterval.count(), "s",
                "the Linux limit of TCP_KEEPINTVL"};
    case Field::Count:
        return {kMinTcpKeepaliveCount, kMaxTcpKeepaliveCount, "", "the Linux limit of TCP_KEEPCNT"};
    case Field::UserTimeout:
        return {kMinTcpUserTimeout.count(), kMaxTcpUserTimeout.count(), "ms",
                "0 = the system's retransmission limit"};
    }
    return {};
}

std::vector<TcpKeepaliveIssue> validateTcpKeepalive(const TcpKeepaliveSettings &settings)
{
    const char *systemDefault = "for the system default";
    std::vector<TcpKeepaliveIssue> issues;
    if (settings.idle && outside(settings.idle->count(), Field::Idle))
        issues.push_back({Field::Idle, outOfRange("TCP keepalive idle", settings.idle->count(), Field::Idle,
                                                  " s", systemDefault)});
    if (settings.interval && outside(settings.interval->count(), Field::Interval))
        issues.push_back({Field::Interval, outOfRange("TCP keepalive interval", settings.interval->count(),
                                                      Field::Interval, " s", systemDefault)});
    if (settings.count && outside(*settings.count, Field::Count))
        issues.push_back({Field::Count, outOfRange("TCP keepalive count", *settings.count, Field::Count,
                                                   " probes", systemDefault)});
    if (settings.userTimeout && outside(settings.userTimeout->count(), Field::UserTimeout))
        issues.push_back({Field::UserTimeout, outOfRange("TCP user timeout", settings.userTimeout->count(),
                                                         Field::UserTimeout, " ms", "for no user timeout")});
    return issues;
}

} // namespace kw::net
