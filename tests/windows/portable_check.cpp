// The plain C++ libraries other than lib/net, built for Windows with MinGW-w64 and run under Wine:
// an MQTT packet round trip through lib/mqtt's encoder and incremental decoder, and lib/liveness's
// backoff sequence. No Qt; the Qt Test suites cover these in depth on Linux.
#include "backoff.h"
#include "mqttcodec.h"

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

int g_passed = 0;
int g_failed = 0;

void check(const char *name, bool ok, const std::string &detail = {})
{
    ++(ok ? g_passed : g_failed);
    std::printf("%s %s%s%s\n", ok ? "PASS" : "FAIL", name, detail.empty() ? "" : ": ", detail.c_str());
    std::fflush(stdout);
}

void checkMqttRoundTrip()
{
    kw::mqtt::Connect connect;
    connect.version = kw::mqtt::Version::V5;
    connect.keepAlive = 30;
    connect.clientId = "kw-windows";
    connect.username = "ops";
    const std::string bytes = kw::mqtt::encode(kw::mqtt::Packet{connect}, kw::mqtt::Version::V5);

    kw::mqtt::Decoder decoder(kw::mqtt::Role::Server, std::nullopt);
    std::vector<kw::mqtt::Packet> packets;
    bool fed = true;
    for (char byte : bytes) // one byte at a time: the decoder's slicing on this platform too
        fed = decoder.feed(std::string_view(&byte, 1), [&](kw::mqtt::Packet &&p) { packets.push_back(p); }) &&
              fed;
    check("MQTT CONNECT decodes byte by byte", fed && packets.size() == 1,
          decoder.error() ? decoder.error()->message : std::to_string(packets.size()) + " packets");
    check("MQTT CONNECT round-trips unchanged",
          packets.size() == 1 && std::get_if<kw::mqtt::Connect>(&packets.front()) &&
              *std::get_if<kw::mqtt::Connect>(&packets.front()) == connect);
}

void checkBackoff()
{
    kw::BackoffParams params;
    params.initial = 1000ms;
    params.max = 4000ms;
    params.multiplier = 2.0;
    params.jitter = 0.0;
    kw::Backoff backoff(params, std::uint64_t{1});
    std::string delays;
    for (int i = 0; i < 4; ++i)
        delays += std::to_string(backoff.nextDelay().count()) + (i < 3 ? " " : "");
    check("backoff grows by its multiplier up to its cap", delays == "1000 2000 4000 4000", delays);
}

} // namespace

int main()
{
    checkMqttRoundTrip();
    checkBackoff();
    std::printf("%d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 ? 0 : 1;
}
