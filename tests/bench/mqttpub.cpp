// kw_bench_mqttpub: the device load of kw_bench_mqtt. Publishes one QoS 0 message per device topic
// ("devices/d000017/heartbeat") every period, paced evenly over the period and spread over a few
// connections to one broker, encoded by kw_mqtt (MQTT 5). Plain POSIX sockets, one thread, so its
// own CPU is small and easy to read beside the broker's.
//
//   kw_bench_mqttpub --port P [--host 127.0.0.1] [--devices 100000] [--period 30] [--connections 4]
//                    [--duration S]
//
// Prints "connected N" once every connection has its CONNACK, then "published TOTAL" once a second,
// until killed, until --duration seconds have passed (0: no end) or until the broker closes a
// connection (exit 1).

#include "mqttcodec.h"
#include "mqttpacket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono;
using Clock = steady_clock;
namespace mqtt = kw::mqtt;

// Messages are written in batches this far apart: 3,333 messages/s is ~33 per tick, few syscalls.
constexpr milliseconds kTick{10};

struct Options
{
    std::string host = "127.0.0.1";
    unsigned short port = 1883;
    long devices = 100000;
    double periodS = 30;
    int connections = 4;
    double durationS = 0;
};

struct Link
{
    int fd = -1;
    mqtt::Decoder decoder{mqtt::Role::Client, mqtt::Version::V5};
    std::string out;
};

[[noreturn]] void die(const char *what)
{
    std::fprintf(stderr, "kw_bench_mqttpub: %s\n", what);
    std::exit(1);
}

bool sendAll(int fd, std::string_view bytes)
{
    while (!bytes.empty()) {
        const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        bytes.remove_prefix(std::size_t(n));
    }
    return true;
}

// Reads what the broker sent without waiting; false when it closed, disconnected us or sent
// something malformed.
bool drain(Link &link, bool wait, bool *connacked)
{
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::recv(link.fd, buffer, sizeof buffer, wait ? 0 : MSG_DONTWAIT);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return true;
        if (n <= 0)
            return false;
        bool ok = true;
        link.decoder.feed(std::string_view(buffer, std::size_t(n)), [&](mqtt::Packet &&packet) {
            if (const auto *connack = std::get_if<mqtt::Connack>(&packet)) {
                ok = ok && connack->reasonCode == 0;
                if (connacked)
                    *connacked = true;
            } else if (std::holds_alternative<mqtt::Disconnect>(packet)) {
                ok = false;
            }
        });
        if (!ok || link.decoder.error())
            return false;
        if (wait)
            return true;
    }
}

int connectTo(const Options &options)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(options.port);
    if (::inet_pton(AF_INET, options.host.c_str(), &address.sin_addr) != 1 ||
        ::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    const int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    return fd;
}

Options parse(int argc, char **argv)
{
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : nullptr;
        if (!value) {
            std::fprintf(stderr, "kw_bench_mqttpub: %s needs a value\n", argv[i]);
            std::exit(2);
        }
        ++i;
        if (arg == "--host")
            options.host = value;
        else if (arg == "--port")
            options.port = static_cast<unsigned short>(std::atoi(value));
        else if (arg == "--devices")
            options.devices = std::atol(value);
        else if (arg == "--period")
            options.periodS = std::atof(value);
        else if (arg == "--connections")
            options.connections = std::atoi(value);
        else if (arg == "--duration")
            options.durationS = std::atof(value);
        else {
            std::fprintf(stderr, "kw_bench_mqttpub: unknown option %s\n", argv[i - 1]);
            std::exit(2);
        }
    }
    if (options.port == 0 || options.devices < 1 || options.periodS <= 0 || options.connections < 1) {
        std::fprintf(stderr,
                     "kw_bench_mqttpub: --port, --devices, --period and --connections must be positive\n");
        std::exit(2);
    }
    return options;
}

} // namespace

int main(int argc, char **argv)
{
    const Options options = parse(argc, argv);
    std::vector<Link> links(std::size_t(options.connections));
    for (std::size_t c = 0; c < links.size(); ++c) {
        Link &link = links[c];
        link.fd = connectTo(options);
        if (link.fd < 0)
            die("cannot connect to the broker");
        mqtt::Connect connect;
        connect.version = mqtt::Version::V5;
        connect.cleanStart = true;
        // Publishes go out every tick, which is all the keep alive asks for (5.0 section 3.1.2.10).
        connect.keepAlive = 60;
        connect.clientId = "kw-bench-pub-" + std::to_string(::getpid()) + "-" + std::to_string(c);
        bool connacked = false;
        if (!sendAll(link.fd, mqtt::encode(connect, mqtt::Version::V5)))
            die("cannot send CONNECT");
        while (!connacked) {
            if (!drain(link, true, &connacked))
                die("the broker refused or closed the connection before CONNACK");
        }
    }
    std::printf("connected %zu\n", links.size());
    std::fflush(stdout);

    const double perSecond = double(options.devices) / options.periodS;
    const Clock::time_point start = Clock::now();
    Clock::time_point nextReport = start + seconds(1);
    long long sent = 0;
    mqtt::Publish publish;
    publish.qos = 0;
    char topic[64];
    char payload[96];
    for (Clock::time_point tick = start;; tick += kTick) {
        std::this_thread::sleep_until(tick);
        const double elapsedS = duration<double>(Clock::now() - start).count();
        if (options.durationS > 0 && elapsedS >= options.durationS)
            break;
        // Device i of each round goes out at (round + i / devices) periods: every device once a period.
        const auto due = static_cast<long long>(elapsedS * perSecond);
        for (; sent < due; ++sent) {
            const long device = long(sent % options.devices);
            std::snprintf(topic, sizeof topic, "devices/d%06ld/heartbeat", device);
            // 47-55 bytes, like a small device's JSON heartbeat.
            const long long round = sent / options.devices;
            const int length = std::snprintf(
                payload, sizeof payload, "{\"seq\":%lld,\"uptime_s\":%lld,\"battery\":%ld,\"rssi\":-%ld}",
                round, round * static_cast<long long>(options.periodS), 20 + device % 80, 40 + device % 50);
            publish.topic = topic;
            publish.payload.assign(payload, std::size_t(length));
            mqtt::encode(publish, mqtt::Version::V5, links[std::size_t(device) % links.size()].out);
        }
        for (Link &link : links) {
            if (!link.out.empty() && !sendAll(link.fd, link.out))
                die("the broker closed a connection");
            link.out.clear();
            if (!drain(link, false, nullptr))
                die("the broker closed or disconnected a connection");
        }
        if (Clock::now() >= nextReport) {
            nextReport += seconds(1);
            std::printf("published %lld\n", sent);
            std::fflush(stdout);
        }
    }
    for (Link &link : links) {
        sendAll(link.fd, mqtt::encode(mqtt::Disconnect{}, mqtt::Version::V5));
        ::close(link.fd);
    }
    return 0;
}
