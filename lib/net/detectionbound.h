#pragma once

#include "effectivekeepalive.h"
#include "systemdefaults.h"

#include <chrono>
#include <optional>
#include <string>

namespace kw::net {

struct DetectionBound
{
    // Peer silent (blackholed, powered off) with nothing unacknowledged: idle + interval × count
    // (Windows SIO_KEEPALIVE_VALS: count fixed at 10). Absent when keepalive is off.
    std::optional<std::chrono::milliseconds> silentPeer{};
    // Data sent but never acknowledged (keepalive does not probe then): TCP_USER_TIMEOUT / TCP_MAXRT,
    // else the retransmission give-up estimate (Linux tcp_retries2 15: ~924.6 s).
    std::optional<std::chrono::milliseconds> unackedData{};
    std::string explanation{}; // the arithmetic in words, one sentence per bound
};

DetectionBound detectionBound(const EffectiveKeepalive &effective, const SystemDefaults &defaults);

// Linux retransmission give-up for tcp_retries2 = retries (net/ipv4/tcp_timer.c retransmits_timed_out
// with TCP_RTO_MIN 200 ms, TCP_RTO_MAX 120 s): the shortest time before ETIMEDOUT.
std::chrono::milliseconds linuxRetransmitGiveUp(int retries);

// Text for `keepwatch keepalive [--idle S --interval S --count N --user-timeout MS]`: system defaults with
// sources, the settings that would apply to a new socket (tried on one), detection bounds, admin commands.
std::string keepaliveExplainText(const TcpKeepaliveSettings &requested);

} // namespace kw::net
