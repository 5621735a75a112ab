#pragma once

#include "systemdefaults.h"
#include "tcpkeepalivesettings.h"

#include <QString>

namespace kw {

// What a workspace asks of TCP keepalive, beside the system defaults it overrides, in one line:
// "asked idle 60 s (system 7200 s) · interval 5 s (system 75 s) · count: system 9". The tooltip
// form names where each system value was read (sysctl, registry).
struct KeepaliveRequestText
{
    QString line;
    QString toolTip;
};

KeepaliveRequestText describeKeepaliveRequest(const net::TcpKeepaliveSettings &requested,
                                              const net::SystemDefaults &defaults);

} // namespace kw
