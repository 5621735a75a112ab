#pragma once

#include "alertbody.h"
#include "alertnotice.h"

namespace kw {

// Brings announced alerts to people: a desktop notification, an HTTP POST, a program run. The
// AlertDispatcher decides which notices reach which notifier (filters, rate limit); a notifier only
// delivers, on the GUI thread, and never blocks it: slow work (HTTP, a process) runs asynchronously
// and failures are reported through the dispatcher.
class AlertNotifier
{
public:
    virtual ~AlertNotifier() = default;
    virtual void notify(const AlertNotice &notice) = 0;
    virtual void notifySummary(const AlertSummary &summary) = 0;
};

} // namespace kw
