#pragma once

// The keepalive presets of the endpoint dialog: documented values with the reason for each, so the
// tooltip, the user guide and the test name the same numbers. Private to ui/.

#include "endpointconfig.h"
#include "tcpkeepalivesettings.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <optional>

namespace kw {

struct KeepalivePreset
{
    QString id;     // object-name suffix: "Lan", "Cloud", "Mobile", "OsDefault"
    QString name;   // the button's text
    QString reason; // the tooltip: what it sets and why
    net::TcpKeepaliveSettings keepalive;
    std::optional<ReconnectConfig> reconnect; // absent: the reconnect tab is left as it is
};

class KeepalivePresets
{
    Q_DECLARE_TR_FUNCTIONS(kw::KeepalivePresets)

public:
    static QList<KeepalivePreset> all();
};

} // namespace kw
