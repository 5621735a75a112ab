#include "hostconnectspreader.h"

#include <algorithm>

namespace kw {

HostConnectSpreader::HostConnectSpreader(SpreaderParams perHost) : m_params(ConnectSpreader(perHost).params())
{}

std::string HostConnectSpreader::normalizedHost(std::string_view host)
{
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host.size() > 1 && host.back() == '.')
        host.remove_suffix(1);
    std::string normalized(host);
    std::transform(normalized.begin(), normalized.end(), normalized.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; });
    return normalized;
}

TimePoint HostConnectSpreader::reserve(std::string_view host, TimePoint now)
{
    if (m_hosts.size() >= m_sweepAt)
        sweep(now);
    return m_hosts.try_emplace(normalizedHost(host), m_params).first->second.reserve(now);
}

void HostConnectSpreader::sweep(TimePoint now)
{
    std::erase_if(m_hosts, [now](const auto &entry) { return entry.second.isIdle(now); });
    // Sweep again when the table has doubled: amortised O(1) per reserve, and
    // never more idle entries than busy ones plus kMinSweep.
    m_sweepAt = std::max(kMinSweep, 2 * m_hosts.size());
}

} // namespace kw
