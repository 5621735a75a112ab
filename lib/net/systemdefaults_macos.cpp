#include "systemdefaults.h"

#if defined(__APPLE__)

#include <sys/sysctl.h>
#include <sys/types.h>

#include <string>

namespace kw::net {

namespace {

// xnu bsd/netinet/tcp_timer.c: keepidle/keepintvl are in milliseconds (TCP_KEEPIDLE 2 h, TCP_KEEPINTVL 75 s),
// keepcnt 8 (TCPTV_KEEPCNT).
SourcedValue readSysctl(const char *name, const char *unit, long long osDefault)
{
    SourcedValue result;
    result.unit = unit;
    int value = 0;
    size_t size = sizeof value;
    if (::sysctlbyname(name, &value, &size, nullptr, 0) == 0) {
        result.value = value;
        result.source = std::string("sysctl ") + name;
        result.isOsDefault = value == osDefault;
    } else {
        result.value = osDefault;
        result.source =
            std::string("unreadable sysctl ") + name + " (default " + std::to_string(osDefault) + ")";
        result.isOsDefault = true;
    }
    return result;
}

} // namespace

SystemDefaults readSystemDefaults()
{
    SystemDefaults defaults;
    defaults.platform = kPlatformMacOs;
    defaults.keepaliveTime = readSysctl("net.inet.tcp.keepidle", "ms", 7200000);
    defaults.keepaliveInterval = readSysctl("net.inet.tcp.keepintvl", "ms", 75000);
    defaults.keepaliveProbes = readSysctl("net.inet.tcp.keepcnt", "", 8);
    defaults.retransmitGiveUp.source = "not reported on macOS";
    defaults.conntrackEstablished.source = "not applicable on macOS";
    return defaults;
}

} // namespace kw::net

#endif
