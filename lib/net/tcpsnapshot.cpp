#include "tcpsnapshot.h"

#if defined(_WIN32)
#include "socketerror.h"
#include "winsockcompat.h"
#else
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#endif

#include <array>
#include <string>

namespace kw::net {

namespace {

// Index = the platform's state number (Linux include/net/tcp_states.h, Windows TCPSTATE in mstcpip.h,
// xnu netinet/tcp_fsm.h).
#if defined(_WIN32)
constexpr std::array<const char *, 11> kStateNames{"CLOSED",      "LISTEN",     "SYN_SENT",   "SYN_RECEIVED",
                                                   "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT",
                                                   "CLOSING",     "LAST_ACK",   "TIME_WAIT"};
#elif defined(__APPLE__)
constexpr std::array<const char *, 11> kStateNames{"CLOSED",      "LISTEN",     "SYN_SENT",   "SYN_RECEIVED",
                                                   "ESTABLISHED", "CLOSE_WAIT", "FIN_WAIT_1", "CLOSING",
                                                   "LAST_ACK",    "FIN_WAIT_2", "TIME_WAIT"};
#else
constexpr std::array<const char *, 12> kStateNames{nullptr,      "ESTABLISHED", "SYN_SENT",  "SYN_RECEIVED",
                                                   "FIN_WAIT_1", "FIN_WAIT_2",  "TIME_WAIT", "CLOSED",
                                                   "CLOSE_WAIT", "LAST_ACK",    "LISTEN",    "CLOSING"};
#endif

void setError(std::string *error, std::string text)
{
    if (error)
        *error = std::move(text);
}

} // namespace

bool TcpSnapshot::hasDataInFlight() const
{
    return unacked.value_or(0) > 0 || bytesInFlight.value_or(0) > 0;
}

std::string tcpStateName(int state)
{
    if (state >= 0 && static_cast<std::size_t>(state) < kStateNames.size() &&
        kStateNames[static_cast<std::size_t>(state)] != nullptr)
        return kStateNames[static_cast<std::size_t>(state)];
    return "UNKNOWN(" + std::to_string(state) + ")";
}

std::optional<TcpSnapshot> readTcpSnapshot(NativeSocket socket, std::string *error)
{
    TcpSnapshot snapshot;
#if defined(_WIN32)
    DWORD version = 0;
    win::TcpInfoV0 info{};
    DWORD returned = 0;
    if (::WSAIoctl(win::toSocket(socket), win::kSioTcpInfo, &version, sizeof version, &info, sizeof info,
                   &returned, nullptr, nullptr) != 0) {
        const int code = ::WSAGetLastError();
        setError(error, "SIO_TCP_INFO failed (needs Windows 10 1703 or later): " + errorName(code) + " " +
                            errorText(code));
        return std::nullopt;
    }
    snapshot.state = info.State;
    snapshot.rttUs = info.RttUs;
    snapshot.bytesInFlight = info.BytesInFlight;
    snapshot.bytesRetrans = info.BytesRetrans;
    snapshot.totalRetrans = info.FastRetrans + info.TimeoutEpisodes;
#elif defined(__APPLE__)
    tcp_connection_info info{};
    socklen_t length = sizeof info;
    if (::getsockopt(static_cast<int>(socket), IPPROTO_TCP, TCP_CONNECTION_INFO, &info, &length) != 0) {
        setError(error, std::string("TCP_CONNECTION_INFO failed: ") + std::strerror(errno));
        return std::nullopt;
    }
    // xnu reports these in milliseconds.
    snapshot.state = info.tcpi_state;
    snapshot.rttUs = info.tcpi_srtt * 1000U;
    snapshot.rttVarUs = info.tcpi_rttvar * 1000U;
    snapshot.rtoUs = info.tcpi_rto * 1000U;
    snapshot.bytesInFlight = info.tcpi_snd_sbbytes;
    snapshot.bytesRetrans = info.tcpi_txretransmitbytes;
    snapshot.totalRetrans = static_cast<std::uint32_t>(info.tcpi_txretransmitpackets);
#else
    tcp_info info{};
    socklen_t length = sizeof info;
    if (::getsockopt(static_cast<int>(socket), IPPROTO_TCP, TCP_INFO, &info, &length) != 0) {
        setError(error, std::string("getsockopt(TCP_INFO) failed: ") + std::strerror(errno));
        return std::nullopt;
    }
    snapshot.state = info.tcpi_state;
    snapshot.rttUs = info.tcpi_rtt;
    snapshot.rttVarUs = info.tcpi_rttvar;
    snapshot.rtoUs = info.tcpi_rto;
    snapshot.retransmits = info.tcpi_retransmits;
    snapshot.probes = info.tcpi_probes;
    snapshot.backoff = info.tcpi_backoff;
    snapshot.unacked = info.tcpi_unacked;
    snapshot.lastDataSentMs = info.tcpi_last_data_sent;
    snapshot.lastDataRecvMs = info.tcpi_last_data_recv;
    snapshot.lastAckRecvMs = info.tcpi_last_ack_recv;
    snapshot.totalRetrans = info.tcpi_total_retrans;
#endif
    snapshot.stateName = tcpStateName(*snapshot.state);
    return snapshot;
}

} // namespace kw::net
