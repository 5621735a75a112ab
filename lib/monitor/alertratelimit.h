#pragma once

#include "alertbody.h"
#include "alertnotice.h"
#include "clock.h"

#include <chrono>
#include <optional>

namespace kw {

// At most `count` messages per `window` for one notifier; what arrives beyond that is held and
// becomes one summary when the window ends, so a burst of 100 drops is a few messages and a summary,
// not 100 posts. Pure logic: the caller passes the monotonic time.
class AlertRateLimit
{
public:
    AlertRateLimit(int count, std::chrono::milliseconds window);

    // True: send `notice` now. False: it is held for the summary.
    bool admit(const AlertNotice &notice, TimePoint now);
    // When the window that held notices has ended, their summary (which counts as the first message of
    // the next window); nullopt otherwise.
    std::optional<AlertSummary> takeSummary(TimePoint now);
    // When takeSummary() will have one; nullopt when nothing is held.
    std::optional<TimePoint> summaryDue() const;
    int held() const { return m_held.count; }

private:
    void startWindow(TimePoint now);

    int m_count;
    Duration m_window;
    std::optional<TimePoint> m_windowStart;
    int m_sent = 0;
    AlertSummary m_held;
};

} // namespace kw
