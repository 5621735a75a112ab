#include "endpointdialogpresets.h"

namespace kw {

namespace {
using std::chrono::milliseconds;
using std::chrono::seconds;

net::TcpKeepaliveSettings keepalive(int idle, int interval, int count)
{
    net::TcpKeepaliveSettings k;
    k.enabled = true;
    k.idle = seconds(idle);
    k.interval = seconds(interval);
    k.count = count;
    // Linux sends no keepalive probe while data is unacknowledged (tcp_keepalive_timer()), so a peer
    // that vanishes with a heartbeat in flight is caught only by the user timeout: the usual rule sets
    // it to the keepalive bound, idle + interval × count.
    k.userTimeout = milliseconds(seconds(idle + interval * count));
    return k;
}

ReconnectConfig reconnect(int initialMs, int maxMs, double jitter)
{
    ReconnectConfig r;
    r.initial = milliseconds(initialMs);
    r.max = milliseconds(maxMs);
    r.jitter = jitter;
    return r;
}
} // namespace

QList<KeepalivePreset> KeepalivePresets::all()
{
    return {
        {QStringLiteral("Lan"), tr("Aggressive (LAN)"),
         tr("Keepalive on: idle 5 s, interval 1 s, 3 probes, user timeout 8 s; reconnect from 0.5 s up "
            "to 10 s.\nA dead peer on the same network is found within 8 s. Round trips on a LAN take "
            "well under a millisecond, so three unanswered probes a second apart are a dead peer, not "
            "a slow one. Too eager for paths over the internet."),
         keepalive(5, 1, 3), reconnect(500, 10000, 0.2)},
        {QStringLiteral("Cloud"), tr("Behind NAT / load balancer (cloud)"),
         tr("Keepalive on: idle 60 s, interval 10 s, 6 probes, user timeout 120 s.\nThe first probe "
            "goes out after 60 s of silence, below every common idle timeout that forgets a flow: "
            "AWS NLB 350 s, Azure Load Balancer 4 min (which drops silently, without a reset), GCP VPC "
            "firewall 10 min, GCP Cloud NAT 20 min. Google recommends a 60 s keepalive for its VPC. A "
            "dead peer is found within 120 s."),
         keepalive(60, 10, 6), std::nullopt},
        {QStringLiteral("Mobile"), tr("Mobile / cellular"),
         tr("Keepalive on: idle 120 s, interval 30 s, 4 probes, user timeout 240 s; reconnect from 2 s "
            "up to 5 min with jitter 0.5.\nCellular paths stall for tens of seconds during handovers, "
            "so four probes 30 s apart avoid calling a slow link dead, and 120 s of idle stays below "
            "the carrier NAT timeouts of about 5 min that messaging apps design for (WhatsApp "
            "heartbeats every 4 min 45 s). The wide jitter keeps a fleet of devices from reconnecting "
            "in step when the network returns."),
         keepalive(120, 30, 4), reconnect(2000, 300000, 0.5)},
        {QStringLiteral("OsDefault"), tr("OS default"),
         tr("Clears every keepalive field: the socket keeps the operating system's settings (Linux: "
            "keepalive off unless the program turns it on; when on, 7200 s idle, 75 s interval, 9 "
            "probes, about 2 h 11 min before a dead peer is noticed). Tools > System keepalive shows "
            "this machine's values."),
         net::TcpKeepaliveSettings{}, std::nullopt},
    };
}

} // namespace kw
