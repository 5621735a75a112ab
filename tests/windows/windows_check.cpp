// Windows keepalive check: plain C++ (no Qt, no test framework), built with MinGW-w64 and run under Wine
// by run-under-wine.sh. One line per check, then "N passed, N failed"; exit status 1 on any failure.
//
//   kw_windows_check.exe          checks that leave the machine as it is (real Windows)
//   kw_windows_check.exe --wine   also expects Wine's answers (TCP_KEEP* refused) and writes
//                                 KeepAliveTime into the (throwaway) registry, removing it afterwards
#include "detectionbound.h"
#include "keepalive.h"
#include "poller.h"
#include "resourcelimits.h"
#include "socketerror.h"
#include "socketio.h"
#include "systemdefaults.h"
#include "tcpsnapshot.h"

// winsock2.h must precede windows.h.
#include <winsock2.h>

#include <ws2tcpip.h>

#include <windows.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

using namespace std::chrono_literals;
using namespace kw::net;

namespace {

int g_passed = 0;
int g_failed = 0;

void check(const char *name, bool ok, const std::string &detail = {})
{
    ++(ok ? g_passed : g_failed);
    std::printf("%s %s%s%s\n", ok ? "PASS" : "FAIL", name, detail.empty() ? "" : ": ", detail.c_str());
    std::fflush(stdout);
}

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

const OptionResult *findOption(const KeepaliveReport &report, const char *name)
{
    for (const OptionResult &option : report.options)
        if (option.option == name)
            return &option;
    return nullptr;
}

std::string describe(const OptionResult *option)
{
    if (!option)
        return "missing from the report";
    return option->option + " " + optionStatusName(option->status) + " error " +
           std::to_string(option->error) + (option->message.empty() ? "" : " (" + option->message + ")");
}

class Socket
{
public:
    explicit Socket(SOCKET handle = INVALID_SOCKET) : m_handle(handle) {}
    ~Socket() { reset(); }
    Socket(const Socket &) = delete;
    Socket &operator=(const Socket &) = delete;
    Socket &operator=(Socket &&other) noexcept
    {
        reset();
        m_handle = other.m_handle;
        other.m_handle = INVALID_SOCKET;
        return *this;
    }
    SOCKET get() const { return m_handle; }
    NativeSocket native() const { return static_cast<NativeSocket>(m_handle); }
    bool valid() const { return m_handle != INVALID_SOCKET; }
    void reset()
    {
        if (m_handle != INVALID_SOCKET)
            ::closesocket(m_handle);
        m_handle = INVALID_SOCKET;
    }

private:
    SOCKET m_handle;
};

sockaddr *asSockaddr(sockaddr_in *address)
{
    return reinterpret_cast<sockaddr *>(address);
}

// listen + connect + accept on 127.0.0.1.
struct LoopbackPair
{
    Socket listener, client, server;
    sockaddr_in address{};

    bool open()
    {
        listener = Socket(::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int length = sizeof address;
        if (!listener.valid() || ::bind(listener.get(), asSockaddr(&address), sizeof address) != 0 ||
            ::listen(listener.get(), 1) != 0 ||
            ::getsockname(listener.get(), asSockaddr(&address), &length) != 0)
            return false;
        client = Socket(::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        if (!client.valid() || ::connect(client.get(), asSockaddr(&address), sizeof address) != 0)
            return false;
        server = Socket(::accept(listener.get(), nullptr, nullptr));
        return server.valid();
    }
};

constexpr char kParameters[] = R"(SYSTEM\CurrentControlSet\Services\Tcpip\Parameters)";

bool setKeepaliveTimeInRegistry(std::optional<DWORD> value)
{
    HKEY key = nullptr;
    if (::RegCreateKeyExA(HKEY_LOCAL_MACHINE, kParameters, 0, nullptr, 0, KEY_SET_VALUE, nullptr, &key,
                          nullptr) != ERROR_SUCCESS)
        return false;
    LONG status = ERROR_SUCCESS;
    if (value) {
        status = ::RegSetValueExA(key, "KeepAliveTime", 0, REG_DWORD, reinterpret_cast<const BYTE *>(&*value),
                                  sizeof *value);
    } else {
        status = ::RegDeleteValueA(key, "KeepAliveTime");
        if (status == ERROR_FILE_NOT_FOUND)
            status = ERROR_SUCCESS;
    }
    ::RegCloseKey(key);
    return status == ERROR_SUCCESS;
}

void checkApplyOnLiveSocket(bool underWine)
{
    LoopbackPair pair;
    check("loopback connection (listen + connect on 127.0.0.1)", pair.open());
    if (!pair.client.valid())
        return;

    const KeepaliveReport report = applyKeepalive(pair.client.native(), {true, 2s, 1s, 3, 3000ms});
    std::printf("     report: %s\n", report.summary().c_str());
    const OptionResult *enable = findOption(report, "SO_KEEPALIVE");
    check("SO_KEEPALIVE applied and read back",
          enable && enable->status == OptionStatus::Applied &&
              enable->readBack == std::optional<long long>(1),
          describe(enable));

    const OptionResult *idle = findOption(report, "TCP_KEEPIDLE");
    const OptionResult *interval = findOption(report, "TCP_KEEPINTVL");
    const OptionResult *count = findOption(report, "TCP_KEEPCNT");
    const OptionResult *vals = findOption(report, "SIO_KEEPALIVE_VALS");
    const bool modern = idle && idle->status == OptionStatus::Applied;
    std::printf("     path: %s\n",
                modern ? "TCP_KEEPIDLE/TCP_KEEPINTVL (Windows 10 1709+)" : "SIO_KEEPALIVE_VALS");
    if (underWine)
        check("Wine refuses TCP_KEEPIDLE, so the fallback path is taken", !modern, describe(idle));

    if (modern) {
        check("TCP_KEEPIDLE read back", idle->readBack == std::optional<long long>(2), describe(idle));
        check("TCP_KEEPINTVL read back", interval && interval->readBack == std::optional<long long>(1),
              describe(interval));
        check("effective values read back",
              report.effective.readBack && report.effective.idle == 2s && report.effective.interval == 1s);
        return;
    }
    for (const OptionResult *option : {idle, interval})
        check((std::string(option ? option->option : "timing option") + " unsupported, carried by fallback")
                  .c_str(),
              option && option->status == OptionStatus::Unsupported && option->error == WSAENOPROTOOPT &&
                  option->carriedByFallback,
              describe(option));
    check("SIO_KEEPALIVE_VALS succeeded with both times in ms",
          vals && vals->status == OptionStatus::Applied &&
              contains(vals->message, "keepalivetime 2000 ms, keepaliveinterval 1000 ms"),
          describe(vals));
    if (count && count->status == OptionStatus::Unsupported) {
        check("TCP_KEEPCNT unsupported and not carried (count 3 is not 10)",
              count->error == WSAENOPROTOOPT && !count->carriedByFallback, describe(count));
        check("count reported as fixed by the OS (10)",
              report.effective.countFixedByOs && report.effective.count == std::optional<int>(10));
        check("summary names the refused TCP_KEEPCNT",
              contains(report.summary(), "refused: TCP_KEEPCNT unsupported"), report.summary());
        check("allApplied() is false: the count could not be honoured", !report.allApplied());
    }
    check("effective values are what was sent (not read back)",
          !report.effective.readBack && report.effective.enabled && report.effective.idle == 2s &&
              report.effective.interval == 1s);
    const OptionResult *maxRt = findOption(report, "TCP_MAXRT");
    check("TCP_MAXRT applied or reported unsupported (never a silent failure)",
          maxRt && (maxRt->status == OptionStatus::Applied || maxRt->status == OptionStatus::Unsupported) &&
              maxRt->requested == std::optional<long long>(3),
          describe(maxRt));
    DWORD on = 0;
    int length = sizeof on;
    check("getsockopt(SO_KEEPALIVE) is on", ::getsockopt(pair.client.get(), SOL_SOCKET, SO_KEEPALIVE,
                                                         reinterpret_cast<char *>(&on), &length) == 0 &&
                                                on != 0);

    const SystemDefaults defaults = readSystemDefaults();
    const DetectionBound bound = detectionBound(report.effective, defaults);
    check("detection bound uses the fixed count: 2 s + 1 s x 10 = 12 s",
          bound.silentPeer == std::optional<std::chrono::milliseconds>(12s) &&
              contains(bound.explanation, "10 probes (fixed by Windows)"),
          bound.explanation);

    const KeepaliveReport ten = applyKeepalive(pair.server.native(), {true, 5s, 1s, 10, std::nullopt});
    const OptionResult *tenCount = findOption(ten, "TCP_KEEPCNT");
    check("count 10 on the fallback path is honoured (allApplied)",
          tenCount && tenCount->carriedByFallback && ten.allApplied(), ten.summary());

    const KeepaliveReport bad = applyKeepalive(pair.server.native(), {.idle = 40000s, .count = 200});
    const OptionResult *badIdle = findOption(bad, "TCP_KEEPIDLE");
    check("out-of-range idle refused with a message, not clamped",
          badIdle && badIdle->status == OptionStatus::Invalid && contains(badIdle->message, "1..32767"),
          describe(badIdle));
}

void checkRegistryDefaults(bool underWine)
{
    if (!underWine) {
        const SystemDefaults defaults = readSystemDefaults();
        check("registry defaults read",
              defaults.platform == "Windows" && defaults.keepaliveTime.value.has_value(),
              defaults.keepaliveTime.source);
        return;
    }
    check("registry: KeepAliveTime removed for a clean start", setKeepaliveTimeInRegistry(std::nullopt));
    SystemDefaults defaults = readSystemDefaults();
    check("KeepAliveTime absent -> not set (default 7200000)",
          defaults.keepaliveTime.source == "not set (default 7200000)" &&
              defaults.keepaliveTime.value == std::optional<long long>(7200000) &&
              defaults.keepaliveTime.isOsDefault && defaults.keepaliveTime.unit == "ms",
          defaults.keepaliveTime.source);
    check("KeepAliveInterval absent -> not set (default 1000)",
          defaults.keepaliveInterval.source == "not set (default 1000)" &&
              defaults.keepaliveInterval.value == std::optional<long long>(1000),
          defaults.keepaliveInterval.source);
    check("TcpMaxDataRetransmissions default 5",
          defaults.retransmitGiveUp.value == std::optional<long long>(5), defaults.retransmitGiveUp.source);
    check("probe count fixed at 10", defaults.keepaliveProbes.value == std::optional<long long>(10),
          defaults.keepaliveProbes.source);

    check("registry: KeepAliveTime = 600000 written", setKeepaliveTimeInRegistry(600000));
    defaults = readSystemDefaults();
    check("KeepAliveTime 600000 picked up from the registry",
          defaults.keepaliveTime.value == std::optional<long long>(600000) &&
              !defaults.keepaliveTime.isOsDefault &&
              defaults.keepaliveTime.source ==
                  R"(registry HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters\KeepAliveTime)",
          defaults.keepaliveTime.source);

    LoopbackPair pair;
    if (pair.open()) {
        // Only the interval is asked for: SIO_KEEPALIVE_VALS must carry the registry idle, not 0.
        const KeepaliveReport report = applyKeepalive(pair.client.native(), {.interval = 2s});
        const OptionResult *vals = findOption(report, "SIO_KEEPALIVE_VALS");
        check("unset idle filled from the registry (600000 ms)",
              vals && vals->status == OptionStatus::Applied &&
                  contains(vals->message, "keepalivetime 600000 ms, keepaliveinterval 2000 ms") &&
                  report.effective.idle == 600s,
              describe(vals));
        const DetectionBound bound = detectionBound(report.effective, defaults);
        check("detection bound with registry idle: 600 s + 2 s x 10 = 620 s",
              bound.silentPeer == std::optional<std::chrono::milliseconds>(620s), bound.explanation);
    }
    check("registry: KeepAliveTime removed again", setKeepaliveTimeInRegistry(std::nullopt));
}

void checkSnapshotAndErrors()
{
    LoopbackPair pair;
    if (!pair.open()) {
        check("loopback connection for snapshot and errors", false);
        return;
    }
    std::string error;
    const auto snapshot = readTcpSnapshot(pair.client.native(), &error);
    if (snapshot)
        check("SIO_TCP_INFO v0: ESTABLISHED",
              snapshot->stateName == std::optional<std::string>("ESTABLISHED"),
              snapshot->stateName.value_or("?"));
    else
        check("SIO_TCP_INFO unavailable is reported in words", contains(error, "SIO_TCP_INFO"), error);

    check("no pending error on a healthy socket", pendingSocketError(pair.client.native()) == 0);

    // SO_LINGER {1, 0}: closesocket() aborts with RST.
    const linger abort{1, 0};
    ::setsockopt(pair.server.get(), SOL_SOCKET, SO_LINGER, reinterpret_cast<const char *>(&abort),
                 sizeof abort);
    pair.server.reset();
    char buffer[8];
    int resetError = ::recv(pair.client.get(), buffer, sizeof buffer, 0) < 0 ? ::WSAGetLastError() : 0;
    // Wine 8 reports the RST to recv() as end of stream; the next send() then fails with WSAECONNRESET.
    if (resetError == 0)
        resetError = ::send(pair.client.get(), "x", 1, 0) < 0 ? ::WSAGetLastError() : 0;
    const Classification reset = classifySocketError(resetError, {.keepaliveOn = true});
    check("peer abort -> WSAECONNRESET -> reset",
          errorName(resetError) == "WSAECONNRESET" && reset.cause.name() == "reset", reset.detail);

    const unsigned short port = pair.address.sin_port;
    pair.listener.reset();
    Socket refused(::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
    sockaddr_in closed = pair.address;
    closed.sin_port = port;
    const int connected = ::connect(refused.get(), asSockaddr(&closed), sizeof closed);
    const int refusedError = connected != 0 ? ::WSAGetLastError() : 0;
    const Classification refusal = classifySocketError(refusedError, {.duringConnect = true});
    check("closed port -> WSAECONNREFUSED -> refused", refusal.cause.name() == "refused", refusal.detail);

    const Classification timeout = classifySocketError(WSAETIMEDOUT, {.keepaliveOn = true});
    check("WSAETIMEDOUT with keepalive -> keepalive-timeout", timeout.cause.name() == "keepalive-timeout",
          timeout.detail);
    const Classification netReset = classifySocketError(WSAENETRESET, {.keepaliveOn = true});
    check("WSAENETRESET with keepalive -> keepalive-timeout", netReset.cause.name() == "keepalive-timeout",
          netReset.detail);

    // This machine, not the peer.
    const Classification noSockets = classifySocketError(WSAEMFILE, {.duringConnect = true});
    check("WSAEMFILE -> local-limit, naming Windows' lack of a descriptor limit",
          noSockets.cause.name() == "local-limit" && contains(noSockets.detail, "WSAEMFILE (10024)") &&
              contains(noSockets.detail, "no per-process limit on sockets"),
          noSockets.detail);
    const Classification noBuffers = classifySocketError(WSAENOBUFS, {});
    check("WSAENOBUFS -> local-limit",
          noBuffers.cause.name() == "local-limit" && contains(noBuffers.detail, "ephemeral"),
          noBuffers.detail);
}

// The WSAPoll backend of net::Poller: what lib/net would use on Windows, and the events lib/session's
// connections depend on (readable, writable, a refused connect ending the wait).
void checkPoller()
{
    check("default poller backend is poll (WSAPoll)", defaultPollerBackend() == PollerBackend::Poll);
    int error = 0;
    const std::unique_ptr<Poller> poller = makePoller(&error);
    check("WSAPoll poller made", poller != nullptr, "error " + std::to_string(error));
    if (!poller)
        return;
    check("WSAPoll poller has no descriptor for an event loop", !poller->eventDescriptor());
    LoopbackPair pair;
    if (!pair.open()) {
        check("loopback connection for the poller", false);
        return;
    }
    u_long nonBlocking = 1;
    ::ioctlsocket(pair.client.get(), FIONBIO, &nonBlocking);

    std::array<PollEvent, 8> events{};
    const auto waitFor = [&](std::chrono::milliseconds timeout) {
        const PollWait result = poller->wait(events, timeout);
        return result.error != 0 ? std::size_t(99) : result.count;
    };
    const std::uint32_t serial = poller->add(pair.client.native(), PollInterest{true, false}, &error);
    check("socket added with a serial", serial != 0, "error " + std::to_string(error));
    check("nothing ready before the peer sends", waitFor(0ms) == 0);
    ::send(pair.server.get(), "ping", 4, 0);
    check("readable once the peer sent", waitFor(2000ms) == 1 && events[0].readable && !events[0].writable &&
                                             events[0].serial == serial &&
                                             events[0].socket == pair.client.native());
    check("unread data is reported again (level-triggered)", waitFor(0ms) == 1 && events[0].readable);
    char buffer[8];
    ::recv(pair.client.get(), buffer, sizeof buffer, 0);
    check("nothing ready once it is read", waitFor(0ms) == 0);

    check("modify to write interest", poller->modify(pair.client.native(), PollInterest{false, true}));
    check("writable when asked", waitFor(2000ms) == 1 && events[0].writable && !events[0].readable);
    const PollEvent old = events[0];
    poller->remove(pair.client.native());
    check("nothing reported after remove", waitFor(0ms) == 0 && poller->size() == 0);
    const std::uint32_t again = poller->add(pair.client.native(), PollInterest{false, true}, &error);
    check("a new registration of the same number is a new serial, the old event is not current",
          again != 0 && again != serial && !poller->isCurrent(old));
    poller->remove(pair.client.native());

    pair.listener.reset(); // the port is closed now
    const ConnectStart start = startConnect("127.0.0.1", ntohs(pair.address.sin_port));
    if (start.socket == kInvalidSocket || !start.inProgress) {
        check("refused connect fails at once or is in progress",
              start.socket != kInvalidSocket || start.error != 0, "error " + std::to_string(start.error));
        if (start.socket != kInvalidSocket)
            closeSocket(start.socket);
        return;
    }
    poller->add(start.socket, PollInterest{false, true}, &error);
    const std::size_t ready = waitFor(5000ms);
    const bool reported = ready == 1 && (events[0].hangup || events[0].error);
    const int connectError = finishConnect(start.socket);
    poller->remove(start.socket);
    closeSocket(start.socket);
    // Windows 10 before 2004 (build 19041) never reported it; see poller_poll.cpp.
    check("refused connect reported by WSAPoll as hang-up or error, then WSAECONNREFUSED",
          reported && connectError == WSAECONNREFUSED,
          "events " + std::to_string(ready) + ", error " + std::to_string(connectError));
}

void checkDescriptorLimit()
{
    // No RLIMIT_NOFILE on Windows: nothing to raise, and no number to pretend.
    const kw::net::DescriptorLimitRaise raise = kw::net::raiseDescriptorLimit();
    check("descriptor limit unknown and not raised", !raise.before.known && !raise.raised, raise.detail);
    check("describe says Windows has no such limit",
          contains(kw::net::describeDescriptorLimit(raise.after), "no per-process limit on sockets"));
}

void checkExplainText()
{
    const std::string text = keepaliveExplainText({.idle = 60s, .interval = 5s});
    check("explain text names Windows, the registry and a reg add command",
          contains(text, "Keepalive on Windows") && contains(text, "KeepAliveTime") &&
              contains(text, "reg add \"HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\" /v "
                             "KeepAliveTime /t REG_DWORD /d 60000 /f"),
          text);
}

} // namespace

int main(int argc, char **argv)
{
    const bool underWine = argc > 1 && std::strcmp(argv[1], "--wine") == 0;
    WSADATA data;
    const int startup = ::WSAStartup(MAKEWORD(2, 2), &data);
    check("Winsock 2.2 startup", startup == 0, "WSAStartup returned " + std::to_string(startup));
    if (startup == 0) {
        checkApplyOnLiveSocket(underWine);
        checkRegistryDefaults(underWine);
        checkSnapshotAndErrors();
        checkExplainText();
        checkDescriptorLimit();
        checkPoller();
        ::WSACleanup();
    }
    std::printf("%d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 ? 0 : 1;
}
