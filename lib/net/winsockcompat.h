#pragma once

// Winsock headers plus the constants and structures older MinGW-w64 headers lack. Values are from
// Microsoft's ws2ipdef.h / mstcpip.h; the names stay ours so newer headers never collide.
#if defined(_WIN32)

// Order matters: winsock2.h must precede windows.h, and mstcpip.h needs both.
#include <winsock2.h>

#include <ws2tcpip.h>

#include <windows.h>

#include <mstcpip.h>

#include <cstdint>

namespace kw::net::win {

inline constexpr int kTcpMaxRt = 5;                    // TCP_MAXRT: seconds, -1 = retransmit forever
inline constexpr int kTcpKeepIdle = 3;                 // TCP_KEEPIDLE == TCP_KEEPALIVE: seconds (10 1709+)
inline constexpr int kTcpKeepCnt = 16;                 // TCP_KEEPCNT: probes, at most 255 (10 1703+)
inline constexpr int kTcpKeepIntvl = 17;               // TCP_KEEPINTVL: seconds (10 1709+)
inline constexpr DWORD kSioKeepaliveVals = 0x98000004; // _WSAIOW(IOC_VENDOR, 4)
inline constexpr DWORD kSioTcpInfo = 0xD8000027;       // _WSAIORW(IOC_VENDOR, 39), Windows 10 1703+

// struct tcp_keepalive (mstcpip.h): times in milliseconds.
struct KeepaliveVals
{
    ULONG onoff;
    ULONG keepalivetime;
    ULONG keepaliveinterval;
};

// TCP_INFO_v0 (mstcpip.h), returned by SIO_TCP_INFO with input version 0.
struct TcpInfoV0
{
    int State; // TCPSTATE
    ULONG Mss;
    ULONG64 ConnectionTimeMs;
    BOOLEAN TimestampsEnabled;
    ULONG RttUs;
    ULONG MinRttUs;
    ULONG BytesInFlight;
    ULONG Cwnd;
    ULONG SndWnd;
    ULONG RcvWnd;
    ULONG RcvBuf;
    ULONG64 BytesOut;
    ULONG64 BytesIn;
    ULONG BytesReordered;
    ULONG BytesRetrans;
    ULONG FastRetrans;
    ULONG DupAcksIn;
    ULONG TimeoutEpisodes;
    UCHAR SynRetrans;
};

inline SOCKET toSocket(std::intptr_t socket)
{
    return static_cast<SOCKET>(socket);
}

} // namespace kw::net::win

#endif
