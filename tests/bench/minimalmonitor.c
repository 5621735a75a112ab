/* kw_bench_minimal: the floor the scale benchmark compares Keepwatch against (docs/benchmarks.md).
 *
 * What a careful C programmer would write to do Keepwatch's heartbeats and nothing else: one thread,
 * one epoll set, N non-blocking TCP connections to the given ports, "PING\n" on each connection every
 * heartbeat interval with the sends spread evenly over the interval (connection i is due at
 * i * interval / N into each round: a sorted ring), the "PONG\n" replies matched per connection. The
 * ring is served on a tick (--tick-ms, default 10): the process wakes at the first tick at or after
 * the next due send and sends everything due, so 10,000 connections cost ~100 timer wake-ups a second,
 * not one per send. No log, no UI, no per-reply allocation.
 *
 * RTT: CLOCK_MONOTONIC read right before send() and once right after epoll_wait() returns, before any
 * reply is read or parsed. RTTs go into a fixed histogram (the same buckets kw_bench_scale uses for
 * Keepwatch), replies into 100 ms windows.
 *
 *   kw_bench_minimal --port P [--port P ...] [--host A] [--endpoints N] [--heartbeat-ms MS]
 *                    [--tick-ms MS] [--settle S --measure S]
 *
 * Prints "connected N" on stdout once every connection is up. The measurement window starts on
 * SIGUSR1 (or --settle seconds after "connected" when --measure is given) and ends on SIGTERM/SIGINT
 * (or after --measure seconds); then one line of JSON goes to stdout and the process exits.
 */
#define _GNU_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { kMaxPorts = 64, kEvents = 512, kWindowMs = 100, kMaxWindows = 36000 /* one hour */ };

/* RTT histogram: 1 µs steps below 10 ms, 100 µs steps below 1 s, 10 ms steps below 60 s. */
enum { kFineBuckets = 10000, kMidBuckets = 9900, kCoarseBuckets = 5900 };
enum { kBuckets = kFineBuckets + kMidBuckets + kCoarseBuckets };

typedef struct
{
    int fd;
    uint8_t connected;
    uint8_t outstanding; /* a PING was sent and its PONG is still due */
    uint8_t rxLength;    /* bytes of an unfinished reply line kept in rx */
    char rx[5];
    int64_t sentNs;
} Connection;

static uint32_t histogram[kBuckets];
static uint32_t windows[kMaxWindows];

static int64_t nowNs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static size_t bucketOf(int64_t ns)
{
    const int64_t us = ns / 1000;
    if (us < 0)
        return 0;
    if (us < 10000)
        return (size_t)us;
    if (us < 1000000)
        return kFineBuckets + (size_t)((us - 10000) / 100);
    if (us < 60000000)
        return kFineBuckets + kMidBuckets + (size_t)((us - 1000000) / 10000);
    return kBuckets - 1;
}

/* The middle of a bucket, in ms. */
static double bucketMs(size_t bucket)
{
    if (bucket < kFineBuckets)
        return ((double)bucket + 0.5) / 1000.0;
    if (bucket < kFineBuckets + kMidBuckets)
        return 10.0 + ((double)(bucket - kFineBuckets) + 0.5) * 0.1;
    return 1000.0 + ((double)(bucket - kFineBuckets - kMidBuckets) + 0.5) * 10.0;
}

static double percentileMs(uint64_t count, double q)
{
    if (count == 0)
        return 0;
    const uint64_t rank = (uint64_t)(q * (double)(count - 1)) + 1;
    uint64_t seen = 0;
    for (size_t b = 0; b < kBuckets; ++b) {
        seen += histogram[b];
        if (seen >= rank)
            return bucketMs(b);
    }
    return bucketMs(kBuckets - 1);
}

static long statusKb(const char *key)
{
    FILE *file = fopen("/proc/self/status", "r");
    if (!file)
        return -1;
    char line[256];
    long kb = -1;
    const size_t keyLength = strlen(key);
    while (fgets(line, sizeof line, file)) {
        if (strncmp(line, key, keyLength) == 0) {
            kb = strtol(line + keyLength, NULL, 10);
            break;
        }
    }
    fclose(file);
    return kb;
}

static int64_t cpuUs(void)
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return ((int64_t)usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000 + usage.ru_utime.tv_usec +
           usage.ru_stime.tv_usec;
}

static int startConnect(int epoll, Connection *c, const struct sockaddr_in *address, uint32_t index)
{
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0)
        return -1;
    const int on = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    c->connected = 0;
    c->outstanding = 0;
    c->rxLength = 0;
    if (connect(c->fd, (const struct sockaddr *)address, sizeof *address) != 0 && errno != EINPROGRESS) {
        close(c->fd);
        c->fd = -1;
        return -1;
    }
    struct epoll_event event = {.events = EPOLLOUT, .data.u32 = index};
    epoll_ctl(epoll, EPOLL_CTL_ADD, c->fd, &event);
    return 0;
}

static void usage(const char *program)
{
    fprintf(stderr,
            "usage: %s --port P [--port P ...] [--host A] [--endpoints N] [--heartbeat-ms MS] "
            "[--tick-ms MS] [--settle S --measure S]\n",
            program);
}

int main(int argc, char **argv)
{
    const char *host = "127.0.0.1";
    unsigned short ports[kMaxPorts];
    int portCount = 0;
    long endpoints = 1000;
    long heartbeatMs = 5000;
    long tickMs = 10;
    long settleS = 0;
    long measureS = 0;
    for (int i = 1; i < argc; ++i) {
        const int hasValue = i + 1 < argc;
        if (strcmp(argv[i], "--port") == 0 && hasValue && portCount < kMaxPorts)
            ports[portCount++] = (unsigned short)atoi(argv[++i]);
        else if (strcmp(argv[i], "--host") == 0 && hasValue)
            host = argv[++i];
        else if (strcmp(argv[i], "--endpoints") == 0 && hasValue)
            endpoints = atol(argv[++i]);
        else if (strcmp(argv[i], "--heartbeat-ms") == 0 && hasValue)
            heartbeatMs = atol(argv[++i]);
        else if (strcmp(argv[i], "--tick-ms") == 0 && hasValue)
            tickMs = atol(argv[++i]);
        else if (strcmp(argv[i], "--settle") == 0 && hasValue)
            settleS = atol(argv[++i]);
        else if (strcmp(argv[i], "--measure") == 0 && hasValue)
            measureS = atol(argv[++i]);
        else {
            usage(argv[0]);
            return 2;
        }
    }
    if (portCount == 0 || endpoints < 1 || heartbeatMs < 1 || tickMs < 1) {
        usage(argv[0]);
        return 2;
    }

    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }

    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGUSR1);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigprocmask(SIG_BLOCK, &signals, NULL);
    const int signalFd = signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC);
    const int epoll = epoll_create1(EPOLL_CLOEXEC);
    if (signalFd < 0 || epoll < 0) {
        perror("signalfd/epoll_create1");
        return 1;
    }
    const uint32_t signalTag = UINT32_MAX;
    struct epoll_event signalEvent = {.events = EPOLLIN, .data.u32 = signalTag};
    epoll_ctl(epoll, EPOLL_CTL_ADD, signalFd, &signalEvent);

    /* The idle process: the fixed tables touched, no connection yet. */
    memset(histogram, 0, sizeof histogram);
    memset(windows, 0, sizeof windows);
    const long idleRssKb = statusKb("VmRSS:");

    const uint32_t n = (uint32_t)endpoints;
    Connection *connections = calloc(n, sizeof *connections);
    struct sockaddr_in *addresses = calloc((size_t)portCount, sizeof *addresses);
    if (!connections || !addresses)
        return 1;
    for (int p = 0; p < portCount; ++p) {
        addresses[p].sin_family = AF_INET;
        addresses[p].sin_port = htons(ports[p]);
        if (inet_pton(AF_INET, host, &addresses[p].sin_addr) != 1) {
            fprintf(stderr, "--host %s: not an IPv4 address\n", host);
            return 2;
        }
    }
    for (uint32_t i = 0; i < n; ++i) {
        if (startConnect(epoll, &connections[i], &addresses[i % (uint32_t)portCount], i) != 0) {
            fprintf(stderr, "connection %u: %s\n", i, strerror(errno));
            return 1;
        }
    }

    const int64_t intervalNs = (int64_t)heartbeatMs * 1000000;
    const int64_t tickNs = (int64_t)tickMs * 1000000;
    uint32_t connectedCount = 0;
    uint32_t nextIndex = 0; /* the ring: connection nextIndex is the next one due */
    int64_t roundStartNs = 0;
    int64_t measureFromNs = -1, measureUntilNs = -1, measureEndNs = 0;
    int64_t cpuFromUs = 0;
    int measuring = 0;
    uint64_t replies = 0, sent = 0, missed = 0, connectFailures = 0;
    int64_t maxRttNs = 0;
    int done = 0;
    struct epoll_event events[kEvents];
    char buffer[4096];

    while (!done) {
        int timeoutMs = -1;
        int64_t now = nowNs();
        if (!measuring && measureFromNs >= 0 && now >= measureFromNs) {
            measuring = 1;
            cpuFromUs = cpuUs();
        }
        if (connectedCount == n) {
            /* Send what is due; the next due send sets the timeout. */
            for (;;) {
                const int64_t due = roundStartNs + (int64_t)nextIndex * intervalNs / (int64_t)n;
                if (due > now) {
                    const int64_t wakeAt = (due + tickNs - 1) / tickNs * tickNs;
                    timeoutMs = (int)((wakeAt - now + 999999) / 1000000);
                    break;
                }
                Connection *c = &connections[nextIndex];
                if (c->connected) {
                    if (c->outstanding && measuring)
                        ++missed;
                    c->sentNs = nowNs();
                    if (send(c->fd, "PING\n", 5, MSG_NOSIGNAL | MSG_DONTWAIT) == 5) {
                        c->outstanding = 1;
                        if (measuring)
                            ++sent;
                    }
                }
                if (++nextIndex == n) {
                    nextIndex = 0;
                    roundStartNs += intervalNs;
                }
                now = nowNs();
            }
        }
        if (measureUntilNs >= 0) {
            const int64_t left = measureUntilNs - now;
            const int leftMs = left <= 0 ? 0 : (int)((left + 999999) / 1000000);
            if (timeoutMs < 0 || leftMs < timeoutMs)
                timeoutMs = leftMs;
        }

        const int ready = epoll_wait(epoll, events, kEvents, timeoutMs);
        const int64_t wokeNs = nowNs();
        if (ready < 0 && errno != EINTR) {
            perror("epoll_wait");
            return 1;
        }
        for (int e = 0; e < ready; ++e) {
            const uint32_t tag = events[e].data.u32;
            if (tag == signalTag) {
                struct signalfd_siginfo info;
                while (read(signalFd, &info, sizeof info) == (ssize_t)sizeof info) {
                    if (info.ssi_signo == SIGUSR1 && !measuring) {
                        measuring = 1;
                        measureFromNs = wokeNs;
                        cpuFromUs = cpuUs();
                    } else if (info.ssi_signo != SIGUSR1) {
                        done = 1;
                    }
                }
                continue;
            }
            Connection *c = &connections[tag];
            if (!c->connected) {
                int error = 0;
                socklen_t length = sizeof error;
                getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &error, &length);
                if (error != 0 || (events[e].events & (EPOLLERR | EPOLLHUP))) {
                    /* Refused or reset in the connect storm: try again at once. */
                    ++connectFailures;
                    close(c->fd);
                    if (startConnect(epoll, c, &addresses[tag % (uint32_t)portCount], tag) != 0)
                        return 1;
                    continue;
                }
                c->connected = 1;
                struct epoll_event event = {.events = EPOLLIN | EPOLLRDHUP, .data.u32 = tag};
                epoll_ctl(epoll, EPOLL_CTL_MOD, c->fd, &event);
                if (++connectedCount == n) {
                    printf("connected %u\n", n);
                    fflush(stdout);
                    roundStartNs = nowNs();
                    if (measureS > 0) {
                        measureFromNs = roundStartNs + settleS * 1000000000;
                        measureUntilNs = measureFromNs + measureS * 1000000000;
                    }
                }
                continue;
            }
            for (;;) {
                const ssize_t got = recv(c->fd, buffer, sizeof buffer, 0);
                if (got <= 0) {
                    if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
                        fprintf(stderr, "connection %u: closed by the peer\n", tag);
                        return 1;
                    }
                    break;
                }
                for (ssize_t b = 0; b < got; ++b) {
                    if (buffer[b] != '\n') {
                        if (c->rxLength < sizeof c->rx)
                            c->rx[c->rxLength++] = buffer[b];
                        continue;
                    }
                    const int pong = c->rxLength == 4 && memcmp(c->rx, "PONG", 4) == 0;
                    c->rxLength = 0;
                    if (!pong || !c->outstanding)
                        continue;
                    c->outstanding = 0;
                    if (!measuring || wokeNs < measureFromNs)
                        continue;
                    const int64_t rtt = wokeNs - c->sentNs;
                    ++histogram[bucketOf(rtt)];
                    if (rtt > maxRttNs)
                        maxRttNs = rtt;
                    const int64_t window = (wokeNs - measureFromNs) / (kWindowMs * 1000000);
                    if (window < kMaxWindows)
                        ++windows[window];
                    ++replies;
                }
            }
        }
        if (measureUntilNs >= 0 && wokeNs >= measureUntilNs)
            done = 1;
    }
    measureEndNs = nowNs();

    if (!measuring || measureEndNs <= measureFromNs) {
        fprintf(stderr, "no measurement window: SIGUSR1 never arrived\n");
        return 1;
    }
    const double wallS = (double)(measureEndNs - measureFromNs) / 1e9;
    const double cpuPercent = 100.0 * (double)(cpuUs() - cpuFromUs) / 1e6 / wallS;
    int64_t windowCount = (measureEndNs - measureFromNs) / (kWindowMs * 1000000);
    if (windowCount > kMaxWindows)
        windowCount = kMaxWindows;
    uint32_t maxWindow = 0;
    uint64_t inWindows = 0, busyWindows = 0;
    for (int64_t w = 0; w < windowCount; ++w) {
        inWindows += windows[w];
        busyWindows += windows[w] > 0;
        if (windows[w] > maxWindow)
            maxWindow = windows[w];
    }
    const double meanWindow = windowCount > 0 ? (double)inWindows / (double)windowCount : 0;
    printf("{\"endpoints\":%u,\"heartbeat_ms\":%ld,\"window_s\":%.3f,\"sent\":%llu,\"replies\":%llu,"
           "\"missed\":%llu,\"connect_failures\":%llu,"
           "\"rtt_p50_ms\":%.4f,\"rtt_p99_ms\":%.4f,\"rtt_max_ms\":%.4f,"
           "\"windows\":%lld,\"busy_windows\":%llu,\"window_max\":%u,\"window_mean\":%.3f,"
           "\"tick_ms\":%ld,\"cpu_percent\":%.3f,\"idle_rss_kb\":%ld,\"rss_kb\":%ld,\"peak_rss_kb\":%ld}\n",
           n, heartbeatMs, wallS, (unsigned long long)sent, (unsigned long long)replies,
           (unsigned long long)missed, (unsigned long long)connectFailures, percentileMs(replies, 0.50),
           percentileMs(replies, 0.99), (double)maxRttNs / 1e6, (long long)windowCount,
           (unsigned long long)busyWindows, maxWindow, meanWindow, tickMs, cpuPercent, idleRssKb,
           statusKb("VmRSS:"), statusKb("VmHWM:"));
    fflush(stdout);
    return 0;
}
