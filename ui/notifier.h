#pragma once

#include "endpointstate.h"

#include <QString>

namespace kw {

// One desktop notification: "db-primary is down — keepalive-timeout".
struct Notification
{
    QString title;
    QString message;
    EndpointState state = EndpointState::Down; // how urgent it looks
    QString endpoint;                          // the one a click on it should select; may be empty
};

// Where desktop notifications go. Which drops deserve one, and how often (the alerting rules), is
// decided by the caller; a Notifier only brings the words to the person. TrayIcon is the desktop's
// (QSystemTrayIcon::showMessage); a webhook or a test can be others.
class Notifier
{
public:
    virtual ~Notifier() = default;
    // False when this notifier cannot show anything here (no system tray): the caller may use
    // another one. Never blocks.
    virtual bool notify(const Notification &notification) = 0;
};

} // namespace kw
