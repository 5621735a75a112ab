#include "systemdefaults.h"

#if defined(_WIN32)

#include "winsockcompat.h"

#include <string>

namespace kw::net {

namespace {

constexpr char kTcpipParameters[] = R"(SYSTEM\CurrentControlSet\Services\Tcpip\Parameters)";

// Absent values are the normal case: Windows only reads them when an administrator added them
// (Microsoft: "TCP/IP and NBT configuration parameters for Windows XP"; still honoured by later Windows).
SourcedValue readRegistryDword(const char *name, const char *unit, long long osDefault)
{
    SourcedValue result;
    result.unit = unit;
    const std::string where = std::string("registry HKLM\\") + kTcpipParameters + "\\" + name;
    HKEY key = nullptr;
    DWORD value = 0;
    DWORD type = 0;
    DWORD size = sizeof value;
    LONG status = ::RegOpenKeyExA(HKEY_LOCAL_MACHINE, kTcpipParameters, 0, KEY_QUERY_VALUE, &key);
    if (status == ERROR_SUCCESS) {
        status = ::RegQueryValueExA(key, name, nullptr, &type, reinterpret_cast<BYTE *>(&value), &size);
        ::RegCloseKey(key);
    }
    if (status == ERROR_SUCCESS && type == REG_DWORD) {
        result.value = value;
        result.source = where;
        result.isOsDefault = value == osDefault;
        return result;
    }
    result.value = osDefault;
    result.isOsDefault = true;
    if (status == ERROR_SUCCESS)
        result.source = "ignored " + where + " (not a REG_DWORD); default " + std::to_string(osDefault);
    else
        result.source = "not set (default " + std::to_string(osDefault) + ")";
    return result;
}

} // namespace

SystemDefaults readSystemDefaults()
{
    SystemDefaults defaults;
    defaults.platform = kPlatformWindows;
    defaults.keepaliveTime = readRegistryDword("KeepAliveTime", "ms", 7200000);
    defaults.keepaliveInterval = readRegistryDword("KeepAliveInterval", "ms", 1000);
    // Vista and later fix the keepalive probe count at 10; there is no registry value for it.
    defaults.keepaliveProbes.value = 10;
    defaults.keepaliveProbes.source = "fixed by Windows (10 on Vista and later)";
    defaults.keepaliveProbes.isOsDefault = true;
    defaults.retransmitGiveUp = readRegistryDword("TcpMaxDataRetransmissions", "", 5);
    defaults.conntrackEstablished.source = "not applicable on Windows";
    return defaults;
}

} // namespace kw::net

#endif
