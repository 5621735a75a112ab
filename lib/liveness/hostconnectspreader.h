#pragma once

#include "clock.h"
#include "connectspreader.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

namespace kw {

// The first connects of a watch (the engine starting, a start after a stop, a
// restart with edited settings), spread per destination host: a workspace of
// thousands of endpoints on a few servers reaches each server as a burst and
// then a steady rate instead of a SYN flood, while endpoints on distinct hosts
// all start at once. One ConnectSpreader per host, made on the first reserve.
//
// The host is the configured one, normalised (normalizedHost): names are not
// resolved, so "db.example" and its address are two hosts, and an IP literal is
// its own host.
//
// A host's entry is dropped once its spreader is idle (its whole burst
// available again), which it answers the same as a new one would: the table
// holds only hosts reserved within about burst / rate, or with a queue still
// running, plus at most as many idle ones again before the next sweep.
class HostConnectSpreader
{
public:
    // No sweep while the table is smaller than this.
    static constexpr std::size_t kMinSweep = 64;

    explicit HostConnectSpreader(SpreaderParams perHost = {});

    const SpreaderParams &params() const { return m_params; }

    // The earliest time >= now at which a first connect to `host` may start; the
    // slot is taken (call once per attempt).
    TimePoint reserve(std::string_view host, TimePoint now);
    // Hosts with an entry right now (bounded as above).
    std::size_t hostsTracked() const { return m_hosts.size(); }

    // Lower case (ASCII: host names are LDH, and an IDN arrives as its A-label),
    // without a trailing dot or the brackets of an IPv6 literal.
    static std::string normalizedHost(std::string_view host);

private:
    void sweep(TimePoint now);

    SpreaderParams m_params;
    std::unordered_map<std::string, ConnectSpreader> m_hosts;
    std::size_t m_sweepAt = kMinSweep;
};

} // namespace kw
