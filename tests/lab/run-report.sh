#!/bin/sh
# Repeats the fault-lab scenarios and prints docs/lab-report.md (Markdown) on standard output:
# min / median / p90 / max detection time per scenario next to its theoretical bound.
#
#   sudo tests/lab/run-report.sh [BUILD_DIR] > docs/lab-report.md
#
# BUILD_DIR defaults to build-lab; build the lab first:
#   cmake --build BUILD_DIR --target tst_lab_deadpeer tst_lab_peerclose tst_lab_nat tst_lab_loss tst_lab_connect \
#       tst_lab_listen tst_lab_mqtt
# REPEAT_BOUND (default 20) runs of the two bound scenarios (keepalive, user timeout), REPEAT (default 5) of
# the others. Not part of CTest: it takes about ten minutes. The raw lines go to $LOG; FROM_LOG=FILE
# rebuilds the report from such a file without running anything.
set -eu

build=${1:-build-lab}
lab="$build/tests/lab"
repeat_bound=${REPEAT_BOUND:-20}
repeat=${REPEAT:-5}
LOG=${FROM_LOG:-${LOG:-$(mktemp /tmp/kwlab-report.XXXXXX)}}

failures=0
if [ -n "${FROM_LOG:-}" ]; then
    failures=$(grep -c '^FAILED-RUN' "$LOG" || true)
elif [ "$(id -u)" -ne 0 ]; then
    echo "run-report.sh: the fault lab needs root (network namespaces, nftables)" >&2
    exit 77
fi
for t in tst_lab_deadpeer tst_lab_peerclose tst_lab_nat tst_lab_loss tst_lab_connect tst_lab_listen tst_lab_mqtt; do
    if [ -z "${FROM_LOG:-}" ] && [ ! -x "$lab/$t" ]; then
        echo "run-report.sh: $lab/$t not built; cmake --build $build --target $t" >&2
        exit 2
    fi
done

# run TIMES TEST FUNCTION[:ROW]: appends the LAB-RESULT lines to $LOG, counts failed runs.
run() {
    times=$1 test=$2 function=$3
    i=0
    while [ "$i" -lt "$times" ]; do
        i=$((i + 1))
        echo "# $test $function run $i" >>"$LOG"
        if ! QT_QPA_PLATFORM=offscreen "$lab/$test" "$function" >"$LOG.run" 2>&1; then
            failures=$((failures + 1))
            echo "FAILED-RUN scenario-function=$function" >>"$LOG"
            grep -E '^(FAIL|   Loc)' "$LOG.run" >>"$LOG" || true
        fi
        grep '^LAB-RESULT ' "$LOG.run" >>"$LOG" || true
        echo "run-report.sh: $test $function $i/$times" >&2
    done
    rm -f "$LOG.run"
}

if [ -z "${FROM_LOG:-}" ]; then
    run "$repeat_bound" tst_lab_deadpeer idleBlackholeIsKeepaliveTimeout
    run "$repeat_bound" tst_lab_deadpeer writeInFlightIsUserTimeout
    run "$repeat" tst_lab_deadpeer stoppedPeerIsHeartbeatTimeout
    run "$repeat" tst_lab_peerclose "peerEndsConnection:peer resets"
    run "$repeat" tst_lab_peerclose "peerEndsConnection:firewall resets"
    run "$repeat" tst_lab_peerclose "peerEndsConnection:peer closes"
    run "$repeat" tst_lab_nat conntrackIdleExpiry
    run "$repeat" tst_lab_loss randomLossIsNotDown
    run "$repeat" tst_lab_connect refusedPortBacksOff
    run "$repeat" tst_lab_connect blackholedSynIsConnectTimeout
    run "$repeat" tst_lab_connect unresolvableNameIsDns
    run "$repeat" tst_lab_listen "peerGoesAway:peer hangs"
    run "$repeat" tst_lab_listen "peerGoesAway:peer dies"
    run "$repeat" tst_lab_mqtt idleBlackholeIsPingTimeout
    run "$repeat" tst_lab_mqtt stoppedBrokerIsPingTimeoutNotKeepalive
    run "$repeat" tst_lab_mqtt resetFromThePathIsReset
    run "$repeat" tst_lab_mqtt reconnectsWithBackoffOnceTheFaultIsGone
    run "$repeat" tst_lab_mqtt silentDeviceIsNotTheBroker
fi
runs_bound=$(grep -c '^LAB-RESULT scenario=idle-blackhole ' "$LOG" || true)
runs_other=$(grep -c '^LAB-RESULT scenario=peer-sigstop ' "$LOG" || true)

# stats SCENARIO: "n | min | median | p90 | max | causes" over detection_ms (nearest-rank percentiles).
stats() {
    grep "^LAB-RESULT scenario=$1 " "$LOG" | sed -n 's/.* detection_ms=\([-0-9]*\).*/\1/p' | sort -n |
        awk '{ v[NR] = $1 }
             END {
                 if (NR == 0) { printf "0 | – | – | – | –"; exit }
                 m = int((NR + 1) / 2); p = int((9 * NR + 9) / 10); if (p > NR) p = NR
                 printf "%d | %.2f | %.2f | %.2f | %.2f", NR, v[1] / 1000, v[m] / 1000, v[p] / 1000, v[NR] / 1000
             }'
    printf ' | '
    grep "^LAB-RESULT scenario=$1 " "$LOG" | sed -n 's/.* cause=\([^ ]*\).*/\1/p' | sort | uniq -c |
        awk '{ printf "%s%s × %s", (NR > 1 ? ", " : ""), $2, $1 }'
}

# field_range SCENARIO FIELD: the range of a millisecond field in seconds, e.g. "0.21–0.33".
field_range() {
    grep "^LAB-RESULT scenario=$1 " "$LOG" | sed -n "s/.* $2=\\([0-9]*\\).*/\\1/p" | sort -n |
        awk '{ v[NR] = $1 } END { if (NR == 0) printf "–"; else printf "%.2f–%.2f", v[1] / 1000, v[NR] / 1000 }'
}

# cut_after_hello: the range of scenario 1's hello-to-cut times, e.g. "0.21–0.33".
cut_after_hello() {
    grep '^LAB-RESULT scenario=idle-blackhole ' "$LOG" | sed -n 's/.* cut_after_hello_ms=\([0-9]*\).*/\1/p' | sort -n |
        awk '{ v[NR] = $1 } END { if (NR == 0) printf "0.2"; else printf "%.2f–%.2f", v[1] / 1000, v[NR] / 1000 }'
}

row() {
    printf '| %s | %s | %s |\n' "$2" "$(stats "$1")" "$3"
}

kernel=$(uname -r)
cat <<EOF
# Fault-lab report

Detection times of the real \`keepwatch\` binary against faults injected with network namespaces and
nftables (\`tests/lab\`), measured on one machine: kernel $kernel, $(nproc) CPUs shared with other work.
Generated by \`tests/lab/run-report.sh\` ($runs_bound runs of the two bound scenarios, $runs_other of the
others) on $(date -u +%Y-%m-%d). Regenerate with:

    sudo tests/lab/run-report.sh build-lab > docs/lab-report.md

Detection time = the \`ts\` of keepwatch's first \`down\` event minus the wall-clock moment the fault was
in force (\`nft\` returned, the peer process was stopped, or the peer wrote its RST/FIN), all on the same
clock. Times in seconds; p90 is nearest-rank.

## Dead peers and closed connections

| scenario | runs | min | median | p90 | max | cause seen | theoretical bound |
|---|---|---|---|---|---|---|---|
EOF
row idle-blackhole "1. idle blackhole, keepalive 2 s / 1 s × 3" \
    "5 s after the last packet (idle 2 s + 3 × 1 s), which came $(cut_after_hello) s before the cut"
row write-in-flight "2. blackhole, heartbeat in flight, user timeout 3 s" \
    "3.2–3.7 s: first unanswered heartbeat ≤ 0.5 s after the cut, its tail-loss probe ~0.2 s later, then 3 s"
row peer-sigstop "5. peer SIGSTOP, heartbeat 1 s × 3 misses" \
    "3–4 s: three heartbeats go unanswered; the stop falls anywhere in one interval"
row peer-reset "3. peer resets (SO_LINGER 0)" "one round trip (< 1 ms on veth)"
row firewall-reset "3. firewall rejects with RST" "≤ 0.5 s: the next heartbeat meets the RST"
row peer-fin "4. peer closes (FIN)" "one round trip"
row nat-expiry-heartbeat "6. NAT entry expired, heartbeat 10 s (time since up)" \
    "13 s after up: heartbeat 10 s + reply timeout 3 s; the router forgot the entry at 5 s"
row syn-blackhole "8. SYN dropped, min connect timeout 2 s (time since connecting)" \
    "2 s: min_connect_timeout_ms"
row dns-failure "9. name does not resolve (time since connecting)" \
    "immediate: the namespace's resolver answers ICMP port unreachable"
row listen-peer-sigstop "10. listen endpoint, peer SIGSTOP, heartbeat 0.5 s × 3" \
    "1.0–1.5 s: 1.5 s after the peer's last heartbeat, sent 0–0.5 s before the stop"
row listen-peer-killed "10. listen endpoint, peer SIGKILL" "one round trip: the dead process's kernel sends FIN"
row mqtt-idle-blackhole "12. MQTT (mosquitto in the peer namespace), idle blackhole, keep alive 2 s, ping timeout 2 s" \
    "4 s (\`bound_ms\` 4000) after the last PINGREQ, whose PINGRESP came $(field_range mqtt-idle-blackhole cut_after_ping_ms) s before the cut"
row mqtt-broker-sigstop "12. MQTT, broker SIGSTOP, TCP keepalive 1 s / 1 s × 3 on" \
    "4 s after the last PINGREQ, answered $(field_range mqtt-broker-sigstop stop_after_ping_ms) s before the stop; keepalive never fires"
row mqtt-firewall-reset "12. MQTT, firewall rejects with RST" "≤ 2 s: the next PINGREQ (keep alive 2 s) meets the RST"
row mqtt-device-silent "12. MQTT, device (mosquitto_pub every 0.5 s) killed, \`timeout_s\` 5" \
    "4.5–6 s after the kill: 5 s after its last message (0–0.5 s before the kill), plus up to 1 s to the sweep"
row mqtt-broker-cut-with-device "12. MQTT, blackhole with a device watched" "4 s, as above; no device event"

cat <<EOF

## Things that must not happen

| scenario | runs | result |
|---|---|---|
EOF
nat_lines=$(grep -c '^LAB-RESULT scenario=nat-keepalive-survives ' "$LOG" || true)
nat_reconnects=$(grep '^LAB-RESULT scenario=nat-keepalive-survives ' "$LOG" | sed -n 's/.* reconnects=\([0-9]*\).*/\1/p' |
    awk '{ s += $1 } END { print s + 0 }')
printf '| 6. NAT, keepalive 2 s / 1 s × 3 under a 5 s conntrack timeout, 15 s idle | %s | %s reconnects in total |\n' \
    "$nat_lines" "$nat_reconnects"
loss_lines=$(grep -c '^LAB-RESULT scenario=loss-20 ' "$LOG" || true)
loss_summary=$(grep '^LAB-RESULT scenario=loss-20 ' "$LOG" | awk '{
        for (i = 2; i <= NF; ++i) { split($i, kv, "="); f[kv[1]] = kv[2] }
        downs += f["downs"]; suspects += f["suspects"]; retrans += f["total_retrans"]
        if (f["worst_rtt_ms"] + 0 > worst) worst = f["worst_rtt_ms"] + 0
    } END { printf "%d Down, %d Suspect, %d retransmissions in total; worst heartbeat RTT %d ms", downs, suspects, retrans, worst }')
printf '| 7. 20 %% random loss each way, heartbeat 1 s × 5 misses, 20 s | %s | %s |\n' "$loss_lines" "$loss_summary"
mqtt_sigstop_lines=$(grep -c '^LAB-RESULT scenario=mqtt-broker-sigstop ' "$LOG" || true)
mqtt_sigstop_keepalive=$(grep '^LAB-RESULT scenario=mqtt-broker-sigstop ' "$LOG" | grep -c 'cause=keepalive-timeout' || true)
printf '| 12. MQTT, stopped broker: TCP keepalive (1 s / 1 s × 3) ends the connection first | %s | %s times |\n' \
    "$mqtt_sigstop_lines" "$mqtt_sigstop_keepalive"
mqtt_cut_lines=$(grep -c '^LAB-RESULT scenario=mqtt-broker-cut-with-device ' "$LOG" || true)
printf '| 12. MQTT, broker cut while a device (`timeout_s` 5) is watched: a device event in the 7 s after the cut | %s | 0 times (a run with one fails) |\n' \
    "$mqtt_cut_lines"

cat <<EOF

## Backoff after refused connections (8)

\`initial_ms\` 200, \`multiplier\` 1.6, \`jitter\` 0.2, \`max_ms\` 2000: delay *n* must lie within
min(200 × 1.6^n, 2000) × (1 ± 0.2), i.e. 160–240, 256–384, 410–614, 655–983, 1049–1573, then 1600–2400 ms.

| run | announced delays (ms) |
|---|---|
EOF
grep '^LAB-RESULT scenario=refused-backoff ' "$LOG" | sed -n 's/.* delays_ms=\([0-9,]*\).*/\1/p' |
    awk '{ gsub(",", ", "); printf "| %d | %s |\n", NR, $0 }'

cat <<EOF

## MQTT reconnect after the path stops resetting (12)

\`initial_ms\` 500, \`multiplier\` 1.6, \`jitter\` 0.2, \`max_ms\` 2000: 400–600, 640–960, 1024–1536, then 1600–2400 ms.
The rule is removed after the fourth wait; "up after" is the time from then to the new session's Up.

| run | announced delays (ms) | up after (s) |
|---|---|---|
EOF
grep '^LAB-RESULT scenario=mqtt-reconnect ' "$LOG" |
    sed -n 's/.* up_after_clear_ms=\([0-9]*\) delays_ms=\([0-9,]*\).*/\1 \2/p' |
    awk '{ d = $2; gsub(",", ", ", d); printf "| %d | %s | %.2f |\n", NR, d, $1 / 1000 }'

cat <<'END'

## Where the bounds come from

1. **Keepalive.** Linux sends the first probe after `idle_s` without receiving anything, then one every
   `interval_s`, and closes with `ETIMEDOUT` once `count` probes went unanswered
   (net/ipv4/tcp_timer.c, `tcp_keepalive_timer`): 2 + 3 × 1 = 5 s after the peer's hello. The test
   cuts the link 0.2 s after the hello, plus the time `nft` needs to load the rule (the cut is timed when
   `nft` returns), so detection is 5 s minus that: about 4.6–4.8 s.
2. **User timeout.** Keepalive sends no probes while data is unacknowledged, so `TCP_USER_TIMEOUT`
   decides. The first heartbeat that meets the blackhole leaves at most 0.5 s after the cut (here
   consistently about 0.4 s, because the test cuts just after a reply). Linux counts the timeout from the
   first retransmission of that lone segment, its tail-loss probe about 200 ms later (`TCP_DELACK_MAX`
   in `tcp_schedule_loss_probe`), and ends the connection 3 s after that.
5. **Heartbeat against a stopped peer.** The stopped process's kernel still acknowledges data and
   keepalive probes, so keepalive never fires (the scenario's keepalive-only endpoint stays up 8 s
   against a 5 s bound). A heartbeat is due before the next one is sent; three missed in a row are
   Down, 3 s after the first unanswered one, which leaves 0–1 s after the stop. The endpoint is Suspect
   from the first miss.
3. **RST** and 4. **FIN** arrive within one round trip (microseconds on a veth) and keepwatch sees the
   socket error or the end of stream at once. A firewall's RST only answers a packet, so it comes with
   the next heartbeat (0.5 s apart).
6. **NAT idle expiry.** The router forgets a connection 5 s after its last packet and, with loose pickup
   off, drops later mid-stream packets as untracked. Keepalive after 2 s of silence refreshes the entry
   before it expires. The heartbeat-only endpoint's next heartbeat (at 10 s) is dropped silently, so
   the cause is `heartbeat-timeout`, 10 s + 3 s (`timeout_ms`) after the connection came up. A middlebox
   that answers with RST instead (Azure's "TCP reset on idle") would show `reset`.
7. **Loss.** With 20 % loss each way a round trip fails 1 − 0.8² = 36 % of the time; TCP retransmits
   (RTO from 200 ms), and a heartbeat counts as missed only when its reply comes after the next send.
   Five misses in a row would need TCP to stall for about 5 s.
8. **Connect timeout.** An attempt is abandoned after max(`min_connect_timeout_ms`, current backoff) =
   2 s; the kernel's own SYN retries (1 s, 3 s, …) never get their turn. **Refused** attempts are
   answered by the peer's RST within a round trip; the delays between them follow the backoff formula.
9. **DNS.** The namespace's resolver is 127.0.0.1 with nothing listening on port 53, so the lookup fails
   at once.
10. **Listen endpoint.** `kw_labpeer --heartbeat-to` sends `HB sensor-1` every 0.5 s; keepwatch marks the
    peer `sensors/sensor-1` Down 3 × 0.5 s after its last heartbeat. A killed peer's kernel closes the
    connection (FIN), which keepwatch sees at once.
12. **MQTT keep alive.** keepwatch sends PINGREQ when it has sent nothing for `keepalive_s` (2 s) and
    is Down (`mqtt-ping-timeout`) when no PINGRESP came within `ping_timeout_s` (2 s), Suspect at half
    of it: 4 s after the last PINGREQ. The tests cut 0.2 s after a PINGRESP (plus `nft`'s time to load
    the rule), so Down comes about 3.8 s after the cut. A stopped broker's kernel keeps acknowledging the PINGREQ
    and TCP keepalive probes, so only MQTT sees it. A firewall's RST answers the next PINGREQ. While the
    path resets, reconnect attempts are refused and back off (500 ms × 1.6ⁿ, max 2 s, jitter 0.2); the
    first attempt after the rule is gone is a new MQTT 5 session. A device is judged only while the
    broker session is up: the broker's Down puts every device back to *awaiting* without an event.
END

cat <<EOF

## Failed runs

EOF
if [ "$failures" -eq 0 ]; then
    echo "None."
else
    echo "$failures run(s) failed:"
    echo
    echo '```'
    grep -A3 '^FAILED-RUN' "$LOG" || true
    echo '```'
fi
echo "run-report.sh: raw results in $LOG" >&2
