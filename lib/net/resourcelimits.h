#pragma once

#include "nativesocket.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace kw::net {

// The per-process limit on open descriptors (POSIX RLIMIT_NOFILE). Every socket, the event log's files
// and Qt's own wake-up descriptors count against it.
struct DescriptorLimit
{
    // False where the OS has no such limit (Windows: sockets are bounded by kernel memory, not by a
    // per-process count) or getrlimit failed; soft and hard are then 0.
    bool known = false;
    std::uint64_t soft = 0; // kUnlimitedDescriptors for RLIM_INFINITY
    std::uint64_t hard = 0;
};

inline constexpr std::uint64_t kUnlimitedDescriptors = UINT64_MAX;

// Descriptors that Keepwatch's own sockets leave free for everything else: SQLite, name lookups, and
// Qt and GLib, which need one for the event dispatcher of every new thread. GLib aborts the process
// when it cannot get it (measured: the window under a limit of 128 with 150 endpoints died with
// "Creating pipes for GWakeup: Too many open files"). 32 is half of DescriptorBudget's fixed share.
inline constexpr std::uint64_t kReservedDescriptors = 32;

DescriptorLimit descriptorLimit();

// True when this process cannot open one more descriptor right now (EMFILE, or ENFILE for the whole
// system): for failures that arrive without their errno, such as SQLite's SQLITE_CANTOPEN or a failed
// name lookup. Always false on Windows.
bool descriptorsExhausted();

// True when a new socket with this descriptor leaves fewer than kReservedDescriptors free: the kernel
// hands out the lowest free number (POSIX open(2), socket(2)), so every number below it is taken. The
// caller closes it and treats the attempt as EMFILE. Always false on Windows.
bool eatsIntoDescriptorReserve(NativeSocket socket);

struct DescriptorLimitRaise
{
    DescriptorLimit before{};
    DescriptorLimit after{};
    bool raised = false; // after.soft > before.soft
    // What happened, e.g. "raised the open-file limit (RLIMIT_NOFILE) from 64 to 4096, the hard limit".
    std::string detail{};
};

// Raises the soft limit to the hard one, as servers do at start: the soft limit of a desktop session
// (often 1,024) is a guard for select()-based programs, and Qt's event dispatchers and Keepwatch's
// connections use poll()/epoll, which have no FD_SETSIZE ceiling. Where the hard limit is unlimited the
// ceiling is what the kernel accepts (Linux fs.nr_open, macOS kern.maxfilesperproc / OPEN_MAX).
DescriptorLimitRaise raiseDescriptorLimit();

// "this process may hold 1024 descriptors (RLIMIT_NOFILE soft 1024, hard 4096)"; on Windows a sentence
// saying there is no such limit.
std::string describeDescriptorLimit(const DescriptorLimit &limit);

// Where to raise the limit: "ulimit -n …, LimitNOFILE= in the systemd unit, /etc/security/limits.conf".
std::string descriptorLimitFix();

// Descriptors a workspace needs at most: one per outbound endpoint, one per listen endpoint plus
// kListenPeerShare accepted peers, plus kFixedDescriptors for everything that is not an endpoint.
struct DescriptorBudget
{
    // Peers a listen endpoint is expected to hold at once. The workspace has no per-endpoint peer
    // limit, so this is a share, not a bound: a listener with more peers needs more.
    static constexpr std::uint64_t kListenPeerShare = 16;
    // Everything that is not an endpoint. Measured on Linux, headless, empty workspace: 13 (standard
    // streams, the event log's database, -wal and -shm, the --events file, two eventfds, the signal
    // socket pair, a pipe); the engine's epoll set comes with the first connection. A GUI session adds
    // its display connection, fonts and D-Bus. 64 leaves room for those and the resolver, so that the
    // warning comes early rather than late.
    static constexpr std::uint64_t kFixedDescriptors = 64;

    std::uint64_t outbound = 0;
    std::uint64_t listen = 0;

    std::uint64_t needed() const { return kFixedDescriptors + outbound + listen * (1 + kListenPeerShare); }
};

} // namespace kw::net
