#pragma once

#include "socketheader.h"

#include "nativesocket.h"

#include <cstdint>
#include <optional>
#include <string>

namespace kw::net {

// Kernel view of one connection. Absent fields are ones the platform does not report; they are
// never zero-filled.
struct TcpSnapshot
{
    std::optional<int> state{};             // platform's own numbering
    std::optional<std::string> stateName{}; // "ESTABLISHED", "CLOSE_WAIT", ... (same on every OS)
    std::optional<std::uint32_t> rttUs{};   // smoothed RTT
    std::optional<std::uint32_t> rttVarUs{};
    std::optional<std::uint32_t> rtoUs{};
    std::optional<std::uint32_t> retransmits{}; // consecutive RTO retries of the current segment
    std::optional<std::uint32_t> probes{};      // keepalive / zero-window probes unanswered
    std::optional<std::uint32_t> backoff{};
    std::optional<std::uint32_t> unacked{};        // segments sent and not acknowledged
    std::optional<std::uint32_t> lastDataSentMs{}; // ms ago
    std::optional<std::uint32_t> lastDataRecvMs{};
    std::optional<std::uint32_t> lastAckRecvMs{};
    std::optional<std::uint32_t> totalRetrans{};
    std::optional<std::uint64_t> bytesInFlight{}; // Windows TCP_INFO_v0, macOS send buffer
    std::optional<std::uint64_t> bytesRetrans{};

    // True when the snapshot shows data sent and not yet acknowledged.
    bool hasDataInFlight() const;
};

// Linux TCP_INFO, Windows SIO_TCP_INFO v0 (10 1703+), macOS TCP_CONNECTION_INFO. On failure returns
// nullopt and, when error is given, a message naming the call and the OS error.
std::optional<TcpSnapshot> readTcpSnapshot(NativeSocket socket, std::string *error = nullptr);

// "ESTABLISHED" for a platform state number; "UNKNOWN(n)" for numbers outside the table.
std::string tcpStateName(int state);

} // namespace kw::net
