#include "alertratelimit.h"

#include <algorithm>

namespace kw {

AlertRateLimit::AlertRateLimit(int count, std::chrono::milliseconds window)
    : m_count(std::max(1, count)), m_window(std::max(window, std::chrono::milliseconds(1)))
{}

void AlertRateLimit::startWindow(TimePoint now)
{
    m_windowStart = now;
    m_sent = 0;
}

bool AlertRateLimit::admit(const AlertNotice &notice, TimePoint now)
{
    if (!m_windowStart || (now - *m_windowStart >= m_window && m_held.count == 0))
        startWindow(now);
    if (m_held.count == 0 && m_sent < m_count) {
        ++m_sent;
        return true;
    }
    // Once something is held, later notices join the summary too, so the order people read stays
    // the order things happened in.
    m_held.add(notice);
    return false;
}

std::optional<AlertSummary> AlertRateLimit::takeSummary(TimePoint now)
{
    const std::optional<TimePoint> due = summaryDue();
    if (!due || now < *due)
        return std::nullopt;
    AlertSummary summary = std::move(m_held);
    m_held = {};
    startWindow(now);
    m_sent = 1;
    return summary;
}

std::optional<TimePoint> AlertRateLimit::summaryDue() const
{
    if (m_held.count == 0 || !m_windowStart)
        return std::nullopt;
    return *m_windowStart + m_window;
}

} // namespace kw
