#include "demodata.h"

#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <random>

namespace kw::test {

namespace {
using namespace std::chrono_literals;

EndpointSnapshot make(const QString &name, EndpointKind kind, const QString &target, EndpointState state,
                      const QDateTime &since)
{
    EndpointSnapshot e;
    e.name = name;
    e.kind = kind;
    e.target = target;
    e.state = state;
    e.enabled = state != EndpointState::Disabled;
    e.since = since;
    e.stats.uptimeSessionPercent = 100;
    e.stats.uptime1hPercent = 100;
    e.stats.uptime24hPercent = 100;
    return e;
}

void rttSeries(QList<Event> &events, const QString &name, const QString &source, const QDateTime &now,
               double base, double noise, std::mt19937 &random, int everySeconds = 5,
               std::pair<int, int> gap = {-1, -1})
{
    std::normal_distribution<double> jitter(0, noise);
    for (int s = 600; s >= 0; s -= everySeconds) {
        if (s <= gap.first && s >= gap.second)
            continue;
        Event e = Event::rtt(name, std::max(0.05, base + std::abs(jitter(random))), source);
        if (source == u"tcpinfo")
            e.kind = EventKind::TcpInfo; // the engine's periodic TCP_INFO reads have their own kind
        e.ts = now.addSecs(-s);
        events.append(e);
    }
}

Event state(const QString &name, const QDateTime &ts, EndpointState to, const Cause &cause = {},
            const QString &detail = {})
{
    Event e = Event::stateChange(name, to, cause, detail);
    e.ts = ts;
    return e;
}
} // namespace

DemoData makeDemoData(const QDateTime &now)
{
    std::mt19937 random(20261121);
    DemoData demo;
    QList<Event> &ev = demo.events;
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->generation = 4711;
    snapshot->taken = now;
    QList<EndpointSnapshot> &list = snapshot->endpoints;

    EndpointSnapshot orders =
        make(u"orders-db"_qs, EndpointKind::Tcp, u"10.20.0.14:5432"_qs, EndpointState::Up, now.addSecs(-236));
    orders.lastRttMs = 0.61;
    orders.lastRttSource = u"tcpinfo"_qs;
    orders.keepalive = u"on · idle 10 s · interval 2 s · count 3 · user timeout 8000 ms"_qs;
    orders.detectionBound = u"silent peer: 16 s · unacknowledged data: 8 s"_qs;
    orders.detail = u"connected from 10.20.0.3:51544"_qs;
    orders.stats = {
        99.31, 98.72, 99.94, 1,    std::chrono::milliseconds(4180), std::chrono::milliseconds(10'620'000),
        false, {},    {},    false};
    orders.stats.lastDropCause = u"reset"_qs;
    orders.stats.lastDropAt = now.addSecs(-252);
    list.append(orders);
    rttSeries(ev, orders.name, u"tcpinfo"_qs, now, 0.48, 0.12, random, 5, {252, 238});
    ev.append(state(orders.name, now.addSecs(-10'860), EndpointState::Up));
    ev.append(state(orders.name, now.addSecs(-252), EndpointState::Down, Cause(CauseCode::Reset),
                    u"connection reset by peer"_qs));
    ev.append(state(orders.name, now.addSecs(-251), EndpointState::Waiting, Cause(CauseCode::Reset),
                    u"next attempt in 1.0 s"_qs));
    ev.append(state(orders.name, now.addSecs(-250), EndpointState::Connecting, Cause(CauseCode::Reset)));
    ev.append(state(orders.name, now.addSecs(-248), EndpointState::Waiting, Cause(CauseCode::Refused),
                    u"next attempt in 1.6 s"_qs));
    ev.append(state(orders.name, now.addSecs(-237), EndpointState::Connecting, Cause(CauseCode::Refused)));
    ev.append(state(orders.name, now.addSecs(-236), EndpointState::Up, {}, u"connected in 0.9 ms"_qs));

    EndpointSnapshot broker = make(u"mqtt-broker"_qs, EndpointKind::Mqtt, u"broker.internal:8883"_qs,
                                   EndpointState::Up, now.addSecs(-7420));
    broker.lastRttMs = 1.84;
    broker.lastRttSource = u"mqtt-ping"_qs;
    broker.keepalive = u"on · idle 60 s · interval 5 s · count 4"_qs;
    broker.detectionBound = u"PINGRESP missing: 15 s · broker side: 15 s · silent peer: 80 s"_qs;
    broker.tls = u"TLSv1.3, TLS_AES_256_GCM_SHA384; peer CN=broker.internal,OU=Plant-North-IoT,"
                 u"O=Example-Manufacturing-GmbH; expires 2027-08-14 (256 days)"_qs;
    broker.stats.mttr = std::chrono::milliseconds(2100);
    {
        // Twelve devices on plant/+/heartbeat: pump-2 went quiet, valve-9's Will came in.
        MqttSnapshot m;
        m.version = u"5"_qs;
        m.transport = u"tls"_qs;
        m.clientId = u"keepwatch-7hq2m0c4xz"_qs;
        m.requestedKeepAliveS = 60;
        m.effectiveKeepAliveS = 10;
        m.serverKeepAlive = true;
        m.pingTimeoutMs = 5000;
        m.brokerLimits = u"max packet 1 MB · receive max 20 · topic aliases 10 · QoS ≤ 1 · no retain"_qs;
        auto devices = std::make_shared<QList<DeviceSnapshot>>();
        const auto device = [&](const QString &id, DeviceSnapshot::State state, int lastS, int sinceS,
                                const QString &preview, qint64 messages, bool retained = false) {
            DeviceSnapshot d;
            d.id = id;
            d.topic = u"plant/"_qs + id + u"/heartbeat"_qs;
            d.watch = u"plant/+/heartbeat"_qs;
            d.state = state;
            d.lastMessage = lastS < 0 ? QDateTime() : now.addSecs(-lastS);
            d.lastRetained = retained;
            d.since = now.addSecs(-sinceS);
            d.preview = preview;
            d.messages = messages;
            devices->append(d);
        };
        using S = DeviceSnapshot::State;
        device(u"pump-2"_qs, S::Silent, 47, 32, u"{\"seq\":48213,\"v\":3.29}"_qs, 48213);
        device(u"valve-9"_qs, S::Will, 212, 212, u"offline"_qs, 9120);
        device(u"boiler-1"_qs, S::Up, 3, 7400, u"{\"seq\":51877,\"t\":71.4}"_qs, 51877);
        device(u"chiller-4"_qs, S::Up, 1, 7400, u"{\"seq\":50210,\"t\":6.2}"_qs, 50210);
        device(u"compressor-1"_qs, S::Up, 4, 7400, u"{\"seq\":49934,\"bar\":7.9}"_qs, 49934);
        device(u"conveyor-3"_qs, S::Up, 2, 3300, u"{\"seq\":22017,\"rpm\":118}"_qs, 22017);
        device(u"fan-12"_qs, S::Up, 6, 7400, u"ok"_qs, 7402);
        device(u"press-7"_qs, S::Up, 0, 610, u"{\"seq\":4410,\"kN\":312}"_qs, 4410);
        device(u"pump-1"_qs, S::Up, 5, 7400, u"{\"seq\":51730,\"v\":3.31}"_qs, 51730);
        device(u"pump-3"_qs, S::Up, 2, 7400, u"{\"seq\":51702,\"v\":3.30}"_qs, 51702);
        device(u"scale-5"_qs, S::Up, 8, 7400, u"{\"seq\":12003,\"kg\":18.2}"_qs, 12003);
        device(u"valve-2"_qs, S::Awaiting, 5400, 90, u"closed"_qs, 1, true);
        m.devices = devices;
        m.devicesUp = 9;
        m.devicesSilent = 1;
        m.devicesWill = 1;
        m.devicesAwaiting = 1;
        m.watchProblems = {
            u"plant/secret/# (qos 1): the broker refused the subscription: Not authorized (0x87)"_qs};
        broker.mqtt = std::make_shared<const MqttSnapshot>(std::move(m));
    }
    list.append(broker);
    rttSeries(ev, broker.name, u"mqtt-ping"_qs, now, 1.6, 0.3, random, 10);
    {
        const auto deviceEvent = [&](int agoS, const QString &id, EndpointState to, const Cause &cause,
                                     const QString &detail) {
            Event e = Event::stateChange(broker.name, to, cause, detail);
            e.kind = EventKind::Device;
            e.ts = now.addSecs(-agoS);
            e.data = QJsonObject{{u"device"_qs, QString(u"plant/"_qs + id + u"/heartbeat"_qs)},
                                 {u"id"_qs, id},
                                 {u"watch"_qs, u"plant/+/heartbeat"_qs}};
            ev.append(e);
        };
        deviceEvent(212, u"valve-9"_qs, EndpointState::Down, Cause(CauseCode::DeviceWill),
                    u"Will on plant/valve-9/heartbeat: \"offline\""_qs);
        deviceEvent(32, u"pump-2"_qs, EndpointState::Down, Cause(CauseCode::DeviceSilent),
                    u"nothing for 15 s"_qs);
    }

    EndpointSnapshot cache =
        make(u"cache"_qs, EndpointKind::Tcp, u"10.20.0.31:6379"_qs, EndpointState::Suspect, now.addSecs(-21));
    cache.lastRttMs = 3.92;
    cache.lastRttSource = u"heartbeat"_qs;
    cache.detail = u"heartbeat reply 2 of 3 overdue"_qs;
    cache.keepalive = u"on · idle 5 s · interval 1 s · count 3"_qs;
    cache.detectionBound = u"heartbeat: 6 s · silent peer: 8 s"_qs;
    cache.phi = 6.2;
    cache.stats.uptimeSessionPercent = 99.97;
    list.append(cache);
    rttSeries(ev, cache.name, u"heartbeat"_qs, now, 0.9, 0.25, random, 2);
    ev.append(state(cache.name, now.addSecs(-9000), EndpointState::Up));
    ev.append(state(cache.name, now.addSecs(-21), EndpointState::Suspect, {}, u"heartbeat reply overdue"_qs));

    EndpointSnapshot payments = make(u"payments-api"_qs, EndpointKind::Tcp, u"payments.internal:443"_qs,
                                     EndpointState::Waiting, now.addSecs(-8));
    payments.cause = u"connect-timeout"_qs;
    payments.detail = u"no SYN-ACK within 20 s after a keepalive timeout; attempt 5 of the backoff"_qs;
    payments.nextAttempt = now.addSecs(14);
    payments.keepalive = u"on · idle 15 s · interval 3 s · count 3"_qs;
    payments.detectionBound = u"silent peer: 24 s"_qs;
    payments.stats = {
        81.2, 64.5, 93.8, 7,    std::chrono::milliseconds(48'000), std::chrono::milliseconds(540'000),
        true, {},   {},   false};
    payments.stats.lastDropCause = u"connect-timeout"_qs;
    payments.stats.lastDropAt = now.addSecs(-15);
    list.append(payments);
    rttSeries(ev, payments.name, u"connect"_qs, now, 12.5, 3.0, random, 20, {200, 0});
    ev.append(state(payments.name, now.addSecs(-5400), EndpointState::Up));
    ev.append(state(payments.name, now.addSecs(-200), EndpointState::Suspect, {},
                    u"keepalive probes in flight (TCP_INFO)"_qs));
    ev.append(state(payments.name, now.addSecs(-191), EndpointState::Down, Cause(CauseCode::KeepaliveTimeout),
                    u"no ACK for 3 keepalive probes"_qs));
    for (int i = 0; i < 4; ++i) {
        ev.append(state(payments.name, now.addSecs(-190 + i * 45), EndpointState::Waiting,
                        Cause(CauseCode::KeepaliveTimeout)));
        ev.append(state(payments.name, now.addSecs(-170 + i * 45), EndpointState::Connecting,
                        Cause(CauseCode::KeepaliveTimeout)));
        ev.append(state(payments.name, now.addSecs(-150 + i * 45), EndpointState::Down,
                        Cause(CauseCode::ConnectTimeout), u"no SYN-ACK within 20 s"_qs));
    }
    ev.append(state(payments.name, now.addSecs(-8), EndpointState::Waiting, Cause(CauseCode::ConnectTimeout),
                    u"next attempt in 22 s"_qs));

    EndpointSnapshot replica = make(u"ledger-replica"_qs, EndpointKind::Tcp, u"10.20.0.52:5433"_qs,
                                    EndpointState::Down, now.addSecs(-2));
    replica.cause = u"refused"_qs;
    replica.detail = u"connection refused by 10.20.0.52:5433 (nothing listening)"_qs;
    replica.stats = {
        96.4,  88.1, 97.2, 3,    std::chrono::milliseconds(12'400), std::chrono::milliseconds(3'600'000),
        false, {},   {},   false};
    replica.stats.lastDropCause = u"refused"_qs;
    replica.stats.lastDropAt = now.addSecs(-2);
    list.append(replica);
    rttSeries(ev, replica.name, u"tcpinfo"_qs, now, 0.7, 0.15, random, 10, {120, 0});
    ev.append(state(replica.name, now.addSecs(-7000), EndpointState::Up));
    ev.append(state(replica.name, now.addSecs(-121), EndpointState::Down, Cause(CauseCode::PeerClosed),
                    u"server closed the connection"_qs));
    for (int s = 120; s > 2; s -= 30) {
        ev.append(state(replica.name, now.addSecs(-s), EndpointState::Waiting, Cause(CauseCode::Refused)));
        ev.append(
            state(replica.name, now.addSecs(-s + 14), EndpointState::Connecting, Cause(CauseCode::Refused)));
        ev.append(state(replica.name, now.addSecs(-s + 15), EndpointState::Down, Cause(CauseCode::Refused)));
    }
    ev.append(
        state(replica.name, now.addSecs(-2), EndpointState::Down, Cause(CauseCode::Refused), replica.detail));

    EndpointSnapshot edge = make(u"edge-gateway"_qs, EndpointKind::Listen, u"listen 0.0.0.0:7000"_qs,
                                 EndpointState::Up, now.addSecs(-86000));
    edge.peers = 3;
    edge.lastRttMs = 4.1;
    edge.lastRttSource = u"heartbeat"_qs;
    edge.keepalive = u"peers: heartbeat every 5 s, 3 misses"_qs;
    edge.detectionBound = u"quiet peer: 15 s"_qs;
    list.append(edge);
    rttSeries(ev, edge.name, u"heartbeat"_qs, now, 3.8, 0.8, random, 15);

    EndpointSnapshot metrics = make(u"metrics-push"_qs, EndpointKind::Tcp, u"pushgw.internal:9091"_qs,
                                    EndpointState::Up, now.addSecs(-3300));
    metrics.lastRttMs = 0.93;
    metrics.lastRttSource = u"connect"_qs;
    metrics.keepalive = u"system default · idle 7200 s · interval 75 s · count 9"_qs;
    metrics.detectionBound = u"silent peer: 2 h 11 min"_qs;
    metrics.stats.uptime24hPercent = 99.1;
    metrics.stats.reconnects = 2;
    list.append(metrics);
    rttSeries(ev, metrics.name, u"tcpinfo"_qs, now, 0.85, 0.1, random, 30);

    EndpointSnapshot erp = make(u"legacy-erp"_qs, EndpointKind::Tcp, u"erp.local:3200"_qs,
                                EndpointState::Disabled, now.addSecs(-1800));
    erp.cause = u"stopped"_qs;
    erp.detail = u"stopped from the window"_qs;
    erp.stats = {42.0, 0, 61.3, 0, std::nullopt, std::nullopt, false, {}, {}, false};
    list.append(erp);

    std::stable_sort(ev.begin(), ev.end(), [](const Event &a, const Event &b) { return a.ts < b.ts; });
    demo.snapshot = snapshot;
    return demo;
}

QList<Event> makeDemoHistory(const QDateTime &now)
{
    std::mt19937 random(20261201);
    QList<Event> ev;
    // Outages as [from, to) seconds before now, during which an endpoint has no samples.
    struct Outage
    {
        qint64 from;
        qint64 to;
    };
    const auto samples = [&](const QString &name, const QString &source, double base, double noise,
                             qint64 fromS, const QList<Outage> &outages) {
        std::normal_distribution<double> jitter(0, noise);
        for (qint64 s = fromS; s > 600; s -= 60) {
            if (std::any_of(outages.cbegin(), outages.cend(),
                            [s](const Outage &o) { return s <= o.from && s > o.to; }))
                continue;
            // A busy hour in the afternoon: latency climbs for everyone.
            const double load = (s > 30'000 && s < 34'000) ? 2.5 : 1.0;
            Event e = Event::rtt(name, std::max(0.05, base * load + std::abs(jitter(random))), source);
            if (source == u"tcpinfo")
                e.kind = EventKind::TcpInfo;
            e.ts = now.addSecs(-s);
            ev.append(e);
        }
    };
    // A drop at `atS`, its retries, and the way back `downS` later.
    const auto drop = [&](const QString &name, qint64 atS, qint64 downS, const Cause &cause,
                          const QString &detail, const Cause &retryCause = {}) {
        ev.append(state(name, now.addSecs(-atS), EndpointState::Down, cause, detail));
        // Seconds before now: the retries stay between the drop and the way back.
        const qint64 back = atS - downS;
        qint64 delay = 1;
        for (qint64 t = atS - 1; t - delay > back; t -= delay + 1, delay *= 2) {
            ev.append(state(name, now.addSecs(-t), EndpointState::Waiting, cause,
                            u"next attempt in %1 s"_qs.arg(delay)));
            ev.append(state(name, now.addSecs(-(t - delay)), EndpointState::Connecting, cause));
            if (t - delay - 1 > back) // that attempt failed too
                ev.append(state(name, now.addSecs(-(t - delay - 1)), EndpointState::Down,
                                retryCause.isNone() ? cause : retryCause));
        }
        ev.append(state(name, now.addSecs(-(atS - downS)), EndpointState::Up, {}, u"connected again"_qs));
    };

    ev.append(state(u"edge-gateway"_qs, now.addSecs(-86'000), EndpointState::Up));
    samples(u"edge-gateway"_qs, u"heartbeat"_qs, 3.8, 0.8, 86'000, {});

    ev.append(state(u"orders-db"_qs, now.addSecs(-86'300), EndpointState::Up));
    drop(u"orders-db"_qs, 50'000, 6, Cause(CauseCode::Reset), u"connection reset by peer"_qs);
    ev.append(state(u"orders-db"_qs, now.addSecs(-10'890), EndpointState::Suspect, {},
                    u"keepalive probes in flight (TCP_INFO)"_qs));
    drop(u"orders-db"_qs, 10'876, 16, Cause(CauseCode::KeepaliveTimeout), u"no ACK for 3 keepalive probes"_qs,
         Cause(CauseCode::ConnectTimeout));
    samples(u"orders-db"_qs, u"tcpinfo"_qs, 0.48, 0.12, 86'300, {{50'000, 49'994}, {10'876, 10'860}});

    ev.append(state(u"cache"_qs, now.addSecs(-80'000), EndpointState::Up));
    drop(u"cache"_qs, 9'030, 30, Cause(CauseCode::HeartbeatTimeout), u"3 heartbeat replies missed"_qs);
    samples(u"cache"_qs, u"heartbeat"_qs, 0.9, 0.25, 80'000, {{9'030, 9'000}});

    ev.append(state(u"payments-api"_qs, now.addSecs(-70'000), EndpointState::Up));
    for (int i = 0; i < 5; ++i)
        drop(u"payments-api"_qs, 6'000 - i * 120, 40,
             Cause(i % 2 ? CauseCode::ConnectTimeout : CauseCode::Reset),
             i % 2 ? u"no SYN-ACK within 20 s"_qs : u"connection reset by peer"_qs);
    samples(u"payments-api"_qs, u"connect"_qs, 12.5, 3.0, 70'000, {{6'000, 5'400}});

    ev.append(state(u"ledger-replica"_qs, now.addSecs(-60'000), EndpointState::Up));
    drop(u"ledger-replica"_qs, 7'100, 100, Cause(CauseCode::PeerClosed), u"server closed the connection"_qs,
         Cause(CauseCode::Refused));
    samples(u"ledger-replica"_qs, u"tcpinfo"_qs, 0.7, 0.15, 60'000, {{7'100, 7'000}});

    ev.append(state(u"mqtt-broker"_qs, now.addSecs(-40'000), EndpointState::Up));
    drop(u"mqtt-broker"_qs, 7'440, 20, Cause(CauseCode::MqttPingTimeout), u"no PINGRESP within 5 s"_qs);
    samples(u"mqtt-broker"_qs, u"mqtt-ping"_qs, 1.8, 0.3, 40'000, {{7'440, 7'420}});

    ev.append(state(u"metrics-push"_qs, now.addSecs(-80'500), EndpointState::Up));
    drop(u"metrics-push"_qs, 72'000, 10, Cause(CauseCode::PeerClosed), u"server closed the connection"_qs);
    drop(u"metrics-push"_qs, 3'310, 10, Cause(CauseCode::PeerClosed), u"server closed the connection"_qs);
    samples(u"metrics-push"_qs, u"tcpinfo"_qs, 0.85, 0.1, 80'500, {{72'000, 71'990}, {3'310, 3'300}});

    ev.append(state(u"legacy-erp"_qs, now.addSecs(-30'000), EndpointState::Up));
    drop(u"legacy-erp"_qs, 20'000, 300, Cause(CauseCode::Unreachable), u"no route to host"_qs);
    ev.append(state(u"legacy-erp"_qs, now.addSecs(-1'800), EndpointState::Disabled, Cause(CauseCode::Stopped),
                    u"stopped from the window"_qs));
    samples(u"legacy-erp"_qs, u"tcpinfo"_qs, 2.1, 0.4, 30'000, {{20'000, 19'700}, {1'800, 0}});

    std::stable_sort(ev.begin(), ev.end(), [](const Event &a, const Event &b) { return a.ts < b.ts; });
    return ev;
}

} // namespace kw::test
