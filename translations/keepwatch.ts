<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>kw::AlertBody</name>
    <message>
        <source>no cause recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is back up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is still down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is flapping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is stable again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an unknown time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, detected within %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (since %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>back after %1 down; it had failed with %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>down for %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it keeps going down and up (now %1); notifications are held until it is stable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it stopped flapping and is %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n more alert(s) held by the rate limit</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> and %n other(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 between %2 and %3: %4</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::AlertDispatcher</name>
    <message>
        <source>notifier &quot;%1&quot;: the environment variable %2 (%3) is not set, so nothing will be sent; set it before starting Keepwatch</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::AppliedKeepalive</name>
    <message>
        <source>silent peer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unacked data %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::Check</name>
    <message>
        <source>workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>endpoint &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fix: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 warnings, %3 notes (%4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--strict: warnings fail the check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add --strict to fail on warnings</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::CommandLine</name>
    <message>
        <source>%1 needs a value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--format: expected csv or jsonl, got &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: expected a time like 2026-11-21T18:00:00Z or a date like 2026-11-21, got &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export: unknown option &quot;%1&quot; (see keepwatch --help)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: expected whole seconds %2–%3, got &quot;%4&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--count: expected a probe count %1–%2, got &quot;%3&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--user-timeout: expected milliseconds %1–%2, got &quot;%3&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keepalive: unknown option &quot;%1&quot; (see keepwatch --help)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>check: unknown option &quot;%1&quot; (see keepwatch --help)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--duration: expected a positive number of seconds, got &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown argument &quot;%1&quot; (see keepwatch --help)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>check: --workspace FILE is required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export: --format csv|jsonl is required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--headless needs --workspace FILE or --demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--workspace and --demo exclude each other; give one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--duration and --events apply to --headless runs; add --headless</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage:
  keepwatch [--workspace FILE] [--data-dir DIR] [--demo] [--metrics [ADDR:]PORT]
      Start the window. Without --workspace, open the last-used workspace, or the
      demo workspace when there is none.
  keepwatch --headless (--workspace FILE | --demo) [--data-dir DIR]
            [--duration SECONDS] [--events FILE|-]
      Run without a window until SIGINT/SIGTERM or the duration ends.
      --events - streams one JSON object per line to stdout.
      --metrics [ADDR:]PORT (here or with the window) serves Prometheus metrics
      at http://ADDR:PORT/metrics; ADDR is 127.0.0.1 unless given ([::1] for IPv6).
  keepwatch export [--data-dir DIR] --format csv|jsonl [--endpoint NAME]
            [--since T] [--until T] [-o FILE] [--csv-raw]
      Write the event log (T: 2026-11-21T18:00:00Z or 2026-11-21). CSV text cells
      that a spreadsheet would run as a formula get a leading &apos;; --csv-raw keeps
      them as stored.
  keepwatch bundle --endpoint NAME --since T [--until T] -o FILE.zip
            [--workspace FILE] [--data-dir DIR]
      Write one endpoint&apos;s incident bundle: its events, settings (no secrets),
      the system defaults, TCP_INFO samples, a timeline PNG and a summary.
  keepwatch keepalive [--idle S] [--interval S] [--count N] [--user-timeout MS]
      Show the system keepalive defaults, the effective settings, the detection
      bounds and the commands that change the system defaults.
  keepwatch check --workspace FILE [--strict] [--json]
      Validate a workspace file without connecting anywhere, then lint its
      keepalive and heartbeat settings (reason and fix for each finding).
      Exit code 0 when valid, warnings or not; 1 with warnings and --strict;
      2 when invalid. --json prints one JSON object.
  keepwatch probe-idle HOST:PORT [--max SECONDS] [--precision SECONDS]
            [--parallel N] [--json]
      Find how long the path to HOST:PORT keeps an idle TCP connection (NAT,
      firewall, load balancer), whether it then drops silently or resets, and
      the keepalive and heartbeat settings to use. Default --max 600, precision
      1 s, 4 connections. --json: one JSON object as the last line of stdout.
      Exit code 0 when the search ended (found or none up to --max), 1 when it
      could not connect.
  keepwatch --version | --help

Exit codes: 0 success, 1 runtime failure, 2 bad arguments or invalid workspace.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bundle: unknown option &quot;%1&quot; (see keepwatch --help)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bundle: --endpoint NAME, --since T and -o FILE.zip are required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bundle: the range is empty; --since must be before --until</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export: --csv-raw applies to --format csv only; drop it or use csv</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::CommandNotifier</name>
    <message>
        <source>runs are not keeping up; %1 are queued, the oldest is dropped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not start %1: %2; check &quot;program&quot; (a path, or a name found in PATH)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 did not finish within %2 and was killed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 crashed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 exited with code %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 exited with code %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>notifier &quot;%1&quot; (command): %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::DemoPeers</name>
    <message>
        <source>demo: cannot listen on 127.0.0.1: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>demo: Qt Network has no TLS backend here; install OpenSSL 3 (Debian: libssl3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>demo: cannot make the demo&apos;s TLS certificates: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>demo: cannot create a folder for the demo CA certificate: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>demo: cannot write the demo CA certificate to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>demo: Qt Network cannot read the demo&apos;s TLS certificate or key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>demo server restarting</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::DescriptorBudget</name>
    <message>
        <source> (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this workspace needs about %1 file descriptors but %2%3; the endpoints beyond the limit go down with cause local-limit. Estimate: 1 per outbound endpoint (%4), %5 per listen endpoint and its peers (%6), %7 for the event log, Qt and the process. To watch them all, %8</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::DesktopNotifier</name>
    <message>
        <source>Show in Keepwatch</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::DevicePanel</name>
    <message>
        <source>Devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices of the selected endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter devices by id, topic, state or payload, e.g. &quot;silent&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Awaiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>59 min ago (retained)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>59 min ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Devices&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Devices of %1&lt;/b&gt; &amp;nbsp;%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 shown</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::DeviceTableModel</name>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (retained)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
watched by %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 since %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In state since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last payload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The topic levels the watch filter&apos;s wildcards matched</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When the device last published, fresh or retained</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When the device entered its current state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The start of the last payload, printable characters only</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::DeviceWatch</name>
    <message>
        <source>last message %1 ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no message since the subscription</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 silent: nothing fresh on %2 for %3 (%4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 offline: the broker published its Will on %2 (&quot;%3&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 publishing again on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, … (%2 more)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 devices silent: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 devices offline (Will published): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 devices publishing again: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::EndpointDetails</name>
    <message>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Selected endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an endpoint to see its state, keepalive settings and statistics.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next attempt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last RTT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepalive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT ping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Broker limits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watch problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detects death</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flapping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MTTR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MTBF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last drop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;No endpoint selected&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;span style=&quot;font-size:large&quot;&gt;&lt;b&gt;%1&lt;/b&gt;&lt;/span&gt; &amp;nbsp;&lt;span style=&quot;color:%2&quot;&gt;● &lt;b&gt;%3&lt;/b&gt;&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 silent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 will</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> &amp;nbsp;&lt;span style=&quot;color:%1&quot;&gt;⚠ &lt;b&gt;%2 of %3&lt;/b&gt;&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (stopped)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, peers connected: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, suspicion φ %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not reported yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read back from the socket after the settings were applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ certificate not verified (tls.insecure) — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ certificate %1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>expires in %n day(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 this session · %2 last hour · %3 last 24 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean time to repair: down until up again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean time between failures: up until down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes — state changes too often</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no cause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no session yet: nothing has been accepted by the broker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT §3.1.2.10: a PINGREQ goes out when nothing was sent for the keep alive; no PINGRESP within the ping timeout is Down (mqtt-ping-timeout)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The device table below the endpoints lists every device, silent and will first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not counted yet (from the first up or down verdict)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms (%2, kernel-stamped)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timed from the kernel&apos;s receive stamp of the reply: the engine&apos;s lateness is not in it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timed by the engine&apos;s clock when it handled the reply: its lateness may be in it</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::EndpointDialog</name>
    <message>
        <source>Edit endpoint %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>General</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP keepalive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heartbeat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problems with this endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dialog buttons</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unique name, e.g. orders-db</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unique in the workspace; it names the endpoint in the event log, exports and /metrics.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>host name or IP address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(required)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tcp, mqtt: the remote port; listen: the local port peers connect to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ws://host[:port]/path or wss://… (TLS, port 443 by default). No credentials in the URL: they would land in the log; send them as a header (WebSocket tab).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. prod db (separated by spaces or commas)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Free words to filter and group the endpoint list by, such as the environment or the team.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watch this endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Off: the endpoint stays in the workspace but is not connected (Disabled).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP: hold a connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listen: a heartbeat server peers connect to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket: connect, upgrade and ping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT: a broker session, its keep alive and devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What Keepwatch holds: a TCP connection, a listening port for peers&apos; heartbeats, a WebSocket pinged with ping frames, or an MQTT session kept alive with PINGREQ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>T&amp;ags:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Initial backoff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Maximum backoff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backoff multiplier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backoff jitter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minimum connect timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;First retry after:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The wait before the first reconnect after a failure.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The delay grows by the multiplier after every failure, up to this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each further failure multiplies the delay by this (gRPC uses 1.6).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each delay is spread randomly by ± this fraction, so many endpoints do not retry in lockstep after a shared outage.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A connection attempt is given at least this long before it counts as failed (connect-timeout).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Longest wait:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Multiplier:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Jitter (fraction):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minimum &amp;connect timeout:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send application heartbeats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heartbeat interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heartbeat payload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. PING\r\n (escapes: \r \n \t \\ \xNN)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty: any reply counts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missed heartbeats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heartbeat reply timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>until the next send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Interval:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An application-level probe: send a payload and expect a reply. Catches a peer whose kernel still answers TCP but whose program hangs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seconds between heartbeats; fractions allowed. kind listen: how often peers are expected to send.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bytes to send, with escapes. Empty: send nothing, only listen. kind listen: the answer to every heartbeat.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A reply counts when it contains these bytes. kind listen: the first word after them is the peer&apos;s id.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heartbeats missed in a row before Down (heartbeat-timeout).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How long a reply may take; &quot;until the next send&quot; when 0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Send:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Expect:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Down after &amp;misses:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply &amp;timeout:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reader idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writer idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Idle action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mark suspect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>send a heartbeat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>close and reconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing &amp;read for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seconds without receiving anything (cause reader-idle); off when 0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seconds without sending anything (cause writer-idle); off when 0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seconds without either (cause all-idle); off when 0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What an idle timer does: mark Suspect, send a ping (the heartbeat payload, a WebSocket ping or PINGREQ), or close the connection and reconnect.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing &amp;written for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No &amp;traffic for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Then:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Bind address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bind address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local address to listen on: 127.0.0.1 for this machine only, 0.0.0.0 or :: for peers on other machines.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name or address to connect to, no spaces; IPv6 without brackets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name: another endpoint is already called &quot;%1&quot;; choose a different name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ⚠</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a name and the URL to watch; the other tabs are optional.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a name, the host and the port to watch; the other tabs are optional.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepalive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepalive idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepalive probe interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepalive probe count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Longest wait</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jitter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heartbeat send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heartbeat expect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heartbeat misses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heartbeat timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CA file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ALPN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warn before expiry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ping interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pong timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subprotocols</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Headers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transport</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep alive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ping timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password variable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clean start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Session expiry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Will topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Will payload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Will QoS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>topic filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QoS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>retained counts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watch row %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watch row %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>system default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepalive enabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SO_KEEPALIVE: whether the kernel probes a silent connection at all. &quot;system default&quot; turns it on as soon as a timing below is set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepalive idle time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP_KEEPIDLE: seconds of silence before the first probe. Keep it below the idle timeout of every NAT or load balancer on the path, or the path forgets the connection first (AWS NLB 350 s, Azure Load Balancer 4 min).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP_KEEPINTVL: seconds between unanswered probes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP_KEEPCNT: unanswered probes before the connection is declared dead (cause keepalive-timeout). Windows before 10 version 1703 ignores it and sends 10.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP user timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP_USER_TIMEOUT (Linux; TCP_RXT_CONNDROPTIME on macOS, TCP_MAXRT on Windows): drop the connection when sent data stays unacknowledged this long (cause user-timeout). Linux sends no keepalive probe while data is unacknowledged, so set it to about idle + interval × count. 0 is the system&apos;s retransmission limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detection bound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Platform notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Presets:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keepalive:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Idle before first probe:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probe i&amp;nterval:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probe &amp;count:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;User timeout:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepalive off: TCP never notices a silent dead peer; only a heartbeat, a WebSocket ping or an MQTT ping does.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system defaults are unknown here, so the bound cannot be computed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, unset values from the system defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A silent peer is declared dead after at most %1 (idle %2 + %3 × %4%5).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unacknowledged data is abandoned after %1 (the user timeout).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unacknowledged data is abandoned only after about %1 of retransmissions; set a user timeout to bound it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Windows before 10 version 1703 fixes the probe count at 10: there a silent peer is declared dead after %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>macOS has no TCP_USER_TIMEOUT: the user timeout becomes TCP_RXT_CONNDROPTIME, in whole seconds; Windows uses TCP_MAXRT, also in seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Linux sends no keepalive probe while sent data is unacknowledged: without a user timeout a peer that vanishes mid-transfer is found only by retransmission give-up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT transport</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP (port 1883)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS (port 8883)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket (port 80)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket over TLS (port 443)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>3.1.1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off (0): only TCP keepalive finds a dead broker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the keep alive, at most 30 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty: generated (keepwatch-…) and kept across reconnects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty: connect without a user name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password environment variable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. PLANT_MQTT_PASSWORD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passwords are never stored: give the name of the environment variable that holds it, and start Keepwatch with it set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clean start (no session kept from before)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not set: the session ends with the connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT 5 only: how long the broker keeps the session after a disconnect; 4294967295 keeps it for ever.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Publish a Will when Keepwatch vanishes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Will message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The broker publishes this message when Keepwatch disappears without a DISCONNECT, so others can see that the watcher itself is gone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A topic name, without wildcards.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. offline (escapes: \r \n \xNN)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0: at most once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1: at least once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>2: exactly once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retain (new subscribers see it at once)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retain the Will</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>T&amp;opic:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pa&amp;yload:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;QoS:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watched device topics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topic filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeout (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retained counts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A message counts only if it contains these bytes (escapes allowed); empty: any</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The subscription&apos;s maximum QoS, 0-2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each topic matching the filter is a device: devices/+/heartbeat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A device with nothing fresh for this long is silent (device-silent)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A message containing this is the device&apos;s Will (device-will); empty: none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A retained message (old by definition) counts as fresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT over TCP, TLS, a WebSocket or a WebSocket over TLS; TLS settings are on the TLS tab.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The MQTT protocol version Keepwatch speaks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Keep Alive sent in CONNECT: PINGREQ after this long without sending; the broker drops a client silent for 1.5 times it. A dead broker is found within keep alive + ping timeout.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How long a PINGRESP may take before Down (mqtt-ping-timeout).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Client Identifier. Every broker accepts 1-23 letters and digits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user name sent in CONNECT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name of the environment variable holding the password, read when connecting; the password itself is never saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clean Start (MQTT 5) or Clean Session (3.1.1): start without the broker&apos;s stored session.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ws and wss only: the request path of the WebSocket upgrade.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices that publish heartbeats through this broker: each matching topic is a device with its own state.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The QoS the broker publishes the Will with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The broker keeps the Will as the topic&apos;s retained message.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Will&apos;s payload, with escapes; may be empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Transport:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket &amp;path:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Version:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keep alive:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ping &amp;timeout:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Client id:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pass&amp;word variable:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Session e&amp;xpiry:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encrypt with TLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use TLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS through OpenSSL. The server&apos;s certificate and host name are verified against the system&apos;s trust store unless a CA file is given.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PEM files (*.pem *.crt *.key);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty: the system trust store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PEM file of the CA(s) that issue the server&apos;s certificate, for an internal CA.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client certificate file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only for servers that ask for one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client certificate (PEM), with its key below: both or neither.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client key file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The client certificate&apos;s unencrypted private key (PEM). Passwords are never kept in the workspace: keep the file readable only by this user.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty: the host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name sent as SNI and that the certificate must carry: set it when you connect by address (10.0.0.5 for db.internal).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ALPN protocols</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. h2 mqtt (in order of preference)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocols offered by ALPN, most preferred first; empty: none offered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warn before certificate expiry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An info event (certificate-expiry) and a mark in the window when the server&apos;s certificate expires within this many days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Do not verify the certificate (insecure)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip certificate verification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anyone on the path can pose as this server. Said in the window and in every event; give the server&apos;s CA file instead where you can.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;CA file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client &amp;certificate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client &amp;key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Server name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;ALPN:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Warn before expiry:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS is on: the URL starts with wss://.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS is off: a ws:// URL. Use wss:// to encrypt.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS is on: the MQTT transport is TLS or WebSocket over TLS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS is off: choose transport TLS or WebSocket over TLS on the MQTT tab to encrypt.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket ping interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A ping frame this often; each pong&apos;s delay is an RTT sample (source ws-ping).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket pong timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No pong this long after a ping: Down with cause ws-pong-timeout. Suspect once half of it has passed. A dead server is found within ping interval + pong timeout.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket subprotocols</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. graphql-ws (separated by spaces or commas)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offered in Sec-WebSocket-Protocol; the server must pick one of them or none.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extra request headers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extra request headers such as Authorization or Cookie. No CR or LF; Host, Upgrade, Connection and Sec-WebSocket-* cannot be overridden. They are saved in the workspace file as written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Header values are stored in the workspace file in plain text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Ping every:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pong &amp;timeout:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Subprotocols:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Headers:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A silent peer is declared dead after at most %1 (on Linux the user timeout of %2 takes the place of the probe count: idle %3, then a probe every %4 until it has passed%5).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS follows the URL: wss:// turns it on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepalive and heartbeat warnings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Middlebox on the path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What sits between Keepwatch and the peer (workspace key &quot;path&quot;): the warnings below check keepalive and heartbeat against its idle timeout.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Middlebox on the &amp;path:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>as the workspace says</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none (nothing on the path times out)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>measured: %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning, %1: %2 Fix: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note, %1: %2 Fix: %3.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::EndpointPanel</name>
    <message>
        <source>Filter endpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by name, target, tag or state, e.g. &quot;down&quot; (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show only endpoints in these states</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All states</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show only endpoints of this kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heartbeat listener</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show only endpoints with this tag (workspace &quot;tags&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group endpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group the list by tag, with each group&apos;s count and worst state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group: none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group: by tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint selection from another view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shown endpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear the endpoint selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show all endpoints again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>59 min ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (none left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Showing 1 endpoint from the chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Showing %1 endpoints from the chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Showing 1 endpoint that %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Showing %1 endpoints that %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mute alerts for 1 &amp;hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mute alerts until &amp;tomorrow 08:00</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Unmute alerts</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::EndpointTableModel</name>
    <message>
        <source>TCP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heartbeat listener</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 silent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 will</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, ⚠ %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last %1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not up for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No drops</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suspect for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RTT %1–%2 ms (largest per %3 s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Untagged</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Tag %1: %n endpoint(s), %2</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1, peers: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ⚠</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 endpoint %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next attempt %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last drop: %1 at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n reconnect(s) since the monitor started watching</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Mean time to repair %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean time between failures %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flapping: it keeps going down and coming back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No round-trip sample yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms, measured by %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Session %1 %, last hour %2 %, last 24 h %3 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detection bound: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RTT (ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepalive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why the last connection ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How long the endpoint has been in its current state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The last %1 minutes, oldest on the left: green up, amber suspect, red down, grey waiting or connecting; the line is the round-trip time (largest per %2 s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnects since the monitor started watching; ⚠ when flapping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last round-trip time; the tooltip names what measured it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share of time up since the monitor started watching</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepalive settings read back from the socket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 drop, not up for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 drops, not up for %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2) — %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not counted yet: uptime counts from the first verdict (up or down) after the watch starts</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::EndpointTimeline</name>
    <message>
        <source>Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heartbeat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket ping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT ping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP_INFO srtt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other RTT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepalive probes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retransmits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>5 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the last 5 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>24 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>7 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the present; zooming or dragging the chart pauses this</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save this timeline as a PNG image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the timeline as PNG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the timeline shows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RTT (ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an endpoint to see its timeline.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 to %2, paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 · %2 · %n drop(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source> · loading history…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · history not loaded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The timeline could not be drawn: it has no size. Show the window first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1. Choose a folder you can write to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeline legend</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n d</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No samples in this range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last %1, live</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::EndpointTransfer</name>
    <message>
        <source>&amp;Import endpoints…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add endpoints from a CSV or workspace JSON file, with a preview (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add endpoints from a CSV or workspace JSON file, with a preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write every endpoint to a CSV or workspace JSON file (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write every endpoint to a CSV or workspace JSON file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export se&amp;lected endpoints…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the selected endpoints to a CSV or workspace JSON file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import endpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoints (*.csv *.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepwatch workspace (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be read: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the path and that you may read the file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no endpoints to import.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A CSV file starts with a row of column names such as name,kind,host,port; a workspace file lists &quot;endpoints&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export selected endpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export endpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoints not exported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2. Choose a folder you can write to, and check the free space.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Exported %n endpoints to %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>CSV has no column for %1 (keys this version does not know); export as JSON to keep them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export endpoints…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::Engine</name>
    <message>
        <source>The endpoint needs a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An endpoint named &quot;%1&quot; exists already; choose another name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no endpoint named &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An imported endpoint has no name; give it one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no endpoint named &quot;%1&quot; to replace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is imported twice; keep one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An endpoint of the workspace has no name; give every endpoint a unique name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Two endpoints of the workspace are named &quot;%1&quot;; names must be unique.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not saved: the file changed on disk since Keepwatch read it. Your edit is kept in the window; save the workspace under another name, or open the file again to see the other change.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::EngineLateness</name>
    <message>
        <source>nothing measured yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>p50 %1 · p99 %2 · max %3 (%n sample(s))</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>engine lateness p99 %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How late Keepwatch itself ran over the last minute, apart from the network:
timers (probes sent, timeouts checked after their deadline): %1
sockets (replies left waiting before they were read): %2
RTT is timed where the bytes move (the kernel&apos;s receive stamp on Linux), so it leaves this out; a high lateness delays detection, not the RTT shown.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::EventExport</name>
    <message>
        <source>Cannot write %1: %2. Choose a folder you can write to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2. Check the free disk space.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot save %1: %2. Check the free space and permissions.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::EventLogModel</name>
    <message>
        <source>gone, the broker published its Will</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>silent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gone, the broker published their Wills</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 devices %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: %1%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the event log…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detail / RTT</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::EventLogView</name>
    <message>
        <source>Selected endpoint only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RTT samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the selected rows as tab-separated text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show round-trip time samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the RTT and TCP_INFO samples between the state changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show only events of the selected endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Events&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the events of the endpoint with exactly this name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cause filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any cause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A cause with a reason, such as ws-close, matches every reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time range filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 5 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (reading the log…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (older events have left this view)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (since the window opened)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copying the first %1 selected rows</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::Export</name>
    <message>
        <source>%1: no event log here; pass the --data-dir that the monitor used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>-o %1: cannot write: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::ExportDialog</name>
    <message>
        <source>&amp;Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;All endpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Only these:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV (RFC 4180, for spreadsheets)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON Lines (one event per line, like --events)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the export file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everything</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From (inclusive)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To (exclusive)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export all endpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export only the checked endpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoints to export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export %1 events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F&amp;ile:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Time range:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoints:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kinds:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no event log to export: Keepwatch runs without a data directory (start it with --data-dir to keep one).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export events to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON Lines (*.jsonl)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The range ends before it starts: choose a &quot;to&quot; after the &quot;from&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No endpoint is checked: check at least one, or choose All endpoints.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No kind of event is checked: check at least one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no event log to export.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a file to export to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export cancelled; %1 was not written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting… %1 of %2 events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the dialog</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Saved %n events to %1.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Raw cells (no &apos; before text that starts with = + - @)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write CSV cells as stored, without formula neutralisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A spreadsheet runs a cell that starts with =, +, -, @, a tab or a carriage return as a formula. By default such text cells get a leading &apos; so that they are shown as text; check this only for a program that reads the file itself.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::FleetFilter</name>
    <message>
        <source>dropped %1–%2 with %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::FleetReconnectChart</name>
    <message>
        <source>%1 and %2 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>24 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>7 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no cause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnects across all endpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Reconnects, all endpoints&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnect totals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time range of the reconnect chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How far back the reconnect chart reaches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drops</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnects per time bucket, stacked by cause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No reconnects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The bar pointed at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local time, one bar per hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the last %1 from the event log…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(history not read: %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1–%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2–%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: no drops</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: 1 drop — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 drops — %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
%2 (%3): %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click to show only these endpoints and this time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Causes and their colours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local time, one bar per minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local time, one bar per %1 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Point at a bar to see who dropped; click it to show only them in the list and the log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in the last %2, on %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 endpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(live only: no event log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No drops in the last %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No drops since the window opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 drop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 drops</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::HeadlessRunner</name>
    <message>
        <source>cannot write to standard output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--events %1: cannot open for writing: %2; choose a writable file or &apos;-&apos; for standard output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot load the workspace</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::HistoryReader</name>
    <message>
        <source>no event log (Keepwatch runs without a data directory)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::IdleProbeDialog</name>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>system default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find path idle timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opens TCP connections to the service with keepalive off, leaves them idle for longer and longer gaps and writes after each, to find how long the path (NAT, firewall, load balancer) keeps an idle connection. The same as keepwatch probe-idle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>db.example.net or 198.51.100.2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Longest gap (--max), seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The longest idle gap tried; a path that keeps connections longer reports none found. 3 h covers RFC 5382&apos;s minimum of 2 h 4 min.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Precision (--precision), seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The search stops when the bracket is this narrow.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections at once (--parallel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections idling at the same time: more finish sooner.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;recision:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Co&amp;nnections:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Longest &amp;gap:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Apply to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply the recommended keepalive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open this dialog with an endpoint selected to apply the recommendation to it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Available once a search found a timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled: the connections are closed. Nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A search takes up to a few times the longest gap. Keepwatch keeps monitoring meanwhile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching… each probe below idles for its gap, then writes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recommended TCP keepalive: first probe after %1 s idle, then every %2 s, %3 probes; or a heartbeat every %4 s (for MQTT a keep alive of %4 s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The search could not run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to apply to %1: no timeout was found up to %2 s, so nothing measured asks for a shorter keepalive. Search with a longer gap to find the path&apos;s limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is no longer in the workspace: nothing to apply.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply to %1 turns keepalive on with idle %2 s, interval %3 s, count %4 (now: %5, idle %6, interval %7, count %8) and restarts its connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not apply the keepalive to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applied to %1: keepalive idle %2 s, interval %3 s, count %4.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::IdleProbeJob</name>
    <message>
        <source>a search is already running: wait for it or cancel it first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give the host and the port (1–65535) of the service to probe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the search stopped without a result: run it again</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::IdleProber</name>
    <message>
        <source>no answer from %1 within %2 s: check the address, the port and any firewall on the way</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot turn TCP keepalive off on the probe connection (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 closed the connection as soon as it was made: probe a port whose service keeps connections open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing listens on %1 (%2): check the port and that the service runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is unreachable (%2): check the address and the route to it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer from %1 (%2): check the address, the port and any firewall on the way</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this machine cannot open another connection (%1): raise the open-file limit (ulimit -n)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot connect to %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::IdleSearch</name>
    <message>
        <source>--max %1 s is out of range: give %2–%3 s (3 h covers RFC 5382&apos;s minimum of 2 h 4 min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--precision %1 s is out of range: give %2 s up to --max (%3 s); the default is 1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--parallel %1 is out of range: give 1–%2 connections; the default is 4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the first gap %1 s is out of range: give %2 s up to --max (%3 s)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::ImportDialog</name>
    <message>
        <source>What to do with row %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import endpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From %1. Nothing changes until you press Import.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rows to import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip all taken names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every row whose name is taken is left out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename all taken names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every row whose name is taken is added under a free name such as db-2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the import</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n rows:</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n to import</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n with errors, not importable (hover over a message to read all of it)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n skipped</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n names taken: choose Skip, Replace or Rename in the Action column</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Import %n endpoints</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Choose what to do with every taken name first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing in this file can be imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to import.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Imported %n endpoints</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>(%1 replaced, %2 renamed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>; %n rows not imported</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>kw::ImportPreviewModel</name>
    <message>
        <source>row %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not importable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replaces the endpoint of this name (its past events stay in the log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added as &quot;%1&quot; (the name is taken by %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skipped (the name is taken by %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready; %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click or press F2 to choose what happens to this row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What happens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name taken by the workspace: choose Skip, Replace or Rename</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name taken by %1 of this file: choose Skip or Rename</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::IncidentBundle</name>
    <message>
        <source>the timeline could not be drawn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the timeline could not be encoded as PNG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: no event log here; pass the --data-dir that the monitor used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: no endpoint named &quot;%2&quot; (it has: %3); the bundle holds its events but not its settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this Keepwatch was built without the window, which draws the timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no timeline picture: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keepwatch: wrote the incident bundle of %1 (%2 events, %3 drop(s)) to %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no endpoint given; name one with --endpoint NAME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the range from %1 to %2 is empty; the start (--since) must be before the end (--until)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the event log %1 holds no events of an endpoint named &quot;%2&quot;; check the name (it is case-sensitive) and that --data-dir is the one the monitor used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no events of &quot;%1&quot; from %2 to %3; its events in the log run from %4 to %5: choose a range inside that</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no workspace was given, so the endpoint&apos;s settings are not known; the keepalive read back from its socket is in system-defaults.json</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the workspace has no endpoint of this name (any more); the keepalive read back from its socket is in system-defaults.json</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>excluded: the workspace holds only the names of environment variables (&quot;..._env&quot;), never their values; WebSocket header values and any key naming a password, token or secret read &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>read when the bundle was made, on the machine that made it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the log holds no keepalive report of this endpoint in or before the range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot write: the disk is full (%2); free some space or choose another folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot write: %2; choose a folder you can write to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: is a folder; give a file name such as %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the folder %2 does not exist; create it or choose another one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot add %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not a readable zip archive: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot read entry %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: entry %2 is damaged</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::IncidentBundleDialog</name>
    <message>
        <source>&amp;Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save incident bundle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From (inclusive)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To (exclusive)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zip file to write</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the zip file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bundle status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Endpoint:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The events, settings (without secrets), system keepalive defaults, TCP_INFO samples, a timeline picture and a summary of one endpoint, in one zip file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zip archive (*.zip)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose an endpoint.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The range is empty: &quot;From&quot; must be before &quot;To&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the file to write (Browse…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no event log to read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the event log…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved the incident bundle of %1 (%2 events) to %3.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::IncidentSummary</name>
    <message>
        <source>unknown (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no cause was recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the connection was refused: nothing listened on the port (the service was down or restarting)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the host name could not be resolved (DNS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the network or host was unreachable (no route)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connecting took too long: packets to the peer went unanswered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the TLS handshake failed (certificate or protocol)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the peer, or a middlebox on the path, reset the connection (TCP RST)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the peer closed the connection in an orderly way (FIN)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP keepalive probes went unanswered: the peer or the path died silently</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data sent stayed unacknowledged past the TCP user timeout: the peer or the path died</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the application heartbeats stopped arriving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing was read for longer than the reader-idle limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing was written for longer than the writer-idle limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing was read or written for longer than the idle limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the WebSocket upgrade was refused or broken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a WebSocket ping went unanswered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the peer closed the WebSocket (close code %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the MQTT broker did not answer a PINGREQ in time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the MQTT broker refused the connection (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the MQTT broker disconnected the client (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a watched device went silent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a watched device&apos;s last will was published: it lost its connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the peer sent something the protocol does not allow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this machine ran out of something (descriptors, buffers, memory), not the peer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the listen address could not be bound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a network error (the detail has the system&apos;s words)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the endpoint was stopped by a user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown cause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the drop event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the keepalive report of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incident bundle: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint **%1**, kind %2, target `%3`.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Range: %1 to %2 (UTC), %3; %4 events.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made %1 on %2 by Keepwatch %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What happened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At the start of the range the endpoint was %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in a state the log does not know</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No drops in this range.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Already down when the range begins (since %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: down (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no cause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cause: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detail: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It had been up for %1 before.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detection bound in force: %1 (from %2): a dead peer is noticed within this time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detection bound: not recorded (no keepalive report before the drop).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempts that failed: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no backoff waits recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>backoff waits %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recovered at %1 after %2 down: %3 connect attempt(s), %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped by a user before it recovered: %1 connect attempt(s), %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recovered by the end of the range: %1 connect attempt(s), %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At the end of the range the endpoint was %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uptime in the range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 % up (Up or Suspect) of %2 watched; %3 drop(s); %4 down in all.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not known: the log holds no state of the endpoint while it was watched in this range.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepalive settings and the system defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The log holds no keepalive report of this endpoint in or before the range.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read back from the socket at %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>option</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>requested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>read back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>system default (where it came from)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System defaults of %1 (%2), read when this bundle was made: idle %3, interval %4, probes %5.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every event of the endpoint in the range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the endpoint&apos;s settings and the workspace-wide settings in force</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the system keepalive defaults and the keepalive read back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 TCP_INFO samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not included: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the timeline of the range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>version, host, range and the SHA-256 of every file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secrets are excluded: the workspace holds only the names of environment variables that hold passwords and tokens, never their values, and WebSocket header values are left out.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::KeepaliveLint</name>
    <message>
        <source>the heartbeat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the WebSocket ping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT keep alive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> No &quot;path&quot; is set, so this is checked against the shortest common timeout, %1&apos;s %2 s; set &quot;path&quot; to what is between Keepwatch and the peer (or &quot;none&quot;) to check against that instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 forgets an idle connection after %2 s, usually without telling either end, so the next packet is dropped or reset.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> %1 (every %2 s) does not come sooner either.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepalive is on but keepalive.idle_s is unset, so the system default of %1 s applies (%2): the first probe comes after %1 s of silence. %3%4%5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set keepalive.idle_s to %1 or less</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first keepalive probe comes after %1 s of silence. %2%3%4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keepalive idle is %1 s, longer still</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keepalive is off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The broker accepts 1.5 × keep alive = %1 s without a packet (MQTT section 3.1.2.10), and %2. %3%4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set mqtt.keepalive_s to %1 or less, or keepalive.idle_s to %2 or less</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 every %2 s is the only traffic on an idle connection (%3). %4%5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set %1 to %2 or less, or turn keepalive on with keepalive.idle_s %2 or less</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepalive idle %1 s is far shorter than %2 every %3 s: about %4 probes go out between two of its messages, each asking what the next one answers anyway.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set keepalive.idle_s to %1 (probes then fill only a gap %2 leaves)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepalive is off and no heartbeat is set: nothing is sent on an idle connection, so a peer that vanishes silently is never noticed, and a NAT or load balancer on the path drops the connection unseen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set keepalive.idle_s (%1 fits every common path), or add a heartbeat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Windows before 10 version 1703 (and Wine) ignores the probe count and always sends %1 probes: there a silent peer is found after %2 s, not the %3 s that keepalive.count %4 asks for.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set keepalive.count to %1 and keepalive.interval_s to %2, which holds on every Windows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 takes the user timeout in whole seconds (%2): %3 ms becomes %4 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set keepalive.user_timeout_ms to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one lost probe drops a healthy connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 lost probes in a row drop a healthy connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On Linux a user timeout replaces the probe count: %1 ms is shorter than the keepalive bound of %2 s (idle + interval × count) by a probe interval or more, so only %3 of the %4 probes go out before the connection is dropped: %5.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set keepalive.user_timeout_ms to %1 or more (idle + interval × count)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (The endpoint is disabled.)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 endpoints to %2 send about %3 packets per second of heartbeats and probes (each with its answer), more than the %4 that tell anything about one host; the busiest: %5.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lengthen their heartbeat intervals (and keepalive.idle_s) to %1 s or more each, or watch %2 from fewer endpoints</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::KeepalivePresets</name>
    <message>
        <source>Aggressive (LAN)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepalive on: idle 5 s, interval 1 s, 3 probes, user timeout 8 s; reconnect from 0.5 s up to 10 s.
A dead peer on the same network is found within 8 s. Round trips on a LAN take well under a millisecond, so three unanswered probes a second apart are a dead peer, not a slow one. Too eager for paths over the internet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Behind NAT / load balancer (cloud)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepalive on: idle 60 s, interval 10 s, 6 probes, user timeout 120 s.
The first probe goes out after 60 s of silence, below every common idle timeout that forgets a flow: AWS NLB 350 s, Azure Load Balancer 4 min (which drops silently, without a reset), GCP VPC firewall 10 min, GCP Cloud NAT 20 min. Google recommends a 60 s keepalive for its VPC. A dead peer is found within 120 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mobile / cellular</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepalive on: idle 120 s, interval 30 s, 4 probes, user timeout 240 s; reconnect from 2 s up to 5 min with jitter 0.5.
Cellular paths stall for tens of seconds during handovers, so four probes 30 s apart avoid calling a slow link dead, and 120 s of idle stays below the carrier NAT timeouts of about 5 min that messaging apps design for (WhatsApp heartbeats every 4 min 45 s). The wide jitter keeps a fleet of devices from reconnecting in step when the network returns.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OS default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clears every keepalive field: the socket keeps the operating system&apos;s settings (Linux: keepalive off unless the program turns it on; when on, 7200 s idle, 75 s interval, 9 probes, about 2 h 11 min before a dead peer is noticed). Tools &gt; System keepalive shows this machine&apos;s values.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::KeepaliveText</name>
    <message>
        <source>unknown here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keepalive off, as the workspace asks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing asked: keepalive stays as the OS leaves a new socket (off)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System %1: %2, read from %3%4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (the OS default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 (system %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: system %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user timeout %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>asked %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::ListenSession</name>
    <message>
        <source>%1 sent a message longer than %2 bytes (a message ends with LF, NUL or ETX); closed the connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 closed the connection (FIN)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 sent a peer id longer than %2 bytes; closed the connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>heartbeat again after %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>now heartbeats from %1; closed its older connection from %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>first heartbeat, from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>back after %1 down (%2), from %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>heartbeat from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected from %1 %2 ago and sent no heartbeat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; %1 message(s) did not contain &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no heartbeat for %1 (%2 × %3 interval)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no heartbeat for %1 (interval %2; down after %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected, no heartbeat yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>listening on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, no peers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 suspect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 without a heartbeat yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, 1 peer: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, %1 peers: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+%1 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; %1 down (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>heartbeat %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>binding %1 (attempt %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an IP address: &quot;bind&quot; takes a local address such as 127.0.0.1, 0.0.0.0 or ::; fix the workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>address in use: %1 — another program listens there; choose another port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>permission denied: %1 — ports below 1024 need root or CAP_NET_BIND_SERVICE; choose a port above 1023</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot listen on %1: out of descriptors or socket memory; %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>address not available: %1 — no interface of this machine has it; bind to 127.0.0.1, 0.0.0.0 or an address of this machine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot listen on %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused %1 connection(s), the latest from %2: out of descriptors; %3: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused %1 connection(s), the latest from %2: %3 peers are connected, the limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not take over a peer&apos;s connection: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>out of descriptors; %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot accept peers on %1: %2; trying again every %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>peer sockets: </source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::MainWindow</name>
    <message>
        <source>Keepwatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint counts by state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Down includes endpoints waiting to reconnect; other is connecting or stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workspace file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>or Enter in the list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workspace not saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a TCP or MQTT endpoint to watch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the selected endpoint&apos;s settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop watching the selected endpoint and delete it from the workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect and watch the selected endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the selected endpoint&apos;s connection and stop watching it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xport events…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save events from the log as CSV or JSON Lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Keepwatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version and what Keepwatch does</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Keepwatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Keepwatch %1&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holds long-lived TCP and MQTT connections, applies per-socket keepalive, detects dead peers, names the cause of every drop and reconnects with backoff.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved workspace (no file)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workspace not saved to a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edits stay in memory; File &gt; Save workspace as… writes them to a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (last edit not saved)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The last edit could not be saved; File &gt; Save workspace as… writes the workspace to a file you choose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every edit is saved to %1 at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepwatch[*]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1[*] — Keepwatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n up</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n suspect</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n down</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n other</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 up, %2 suspect, %3 down, %4 other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint not added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is no longer in the workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint not changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop watching &quot;%1&quot; and remove it from the workspace?

Its past events stay in the event log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint not removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;System keepalive…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This machine&apos;s TCP keepalive defaults, how to change them, and which endpoints set their own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts of %1 muted until %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts of %1 unmuted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save &amp;incident bundle…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the selected endpoint&apos;s events, settings, timeline and a summary of a time range as one zip file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find path idle &amp;timeout…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find how long the path to a service keeps an idle TCP connection, and the keepalive that outlasts it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine lateness</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::MetricsServer</name>
    <message>
        <source>--metrics %1: cannot listen there: %2; choose another port, or stop what uses it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--metrics %1: %2; expected [ADDR:]PORT such as 9464, 0.0.0.0:9464 or [::1]:9464</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an IPv6 address in brackets must be followed by :PORT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>write an IPv6 address in brackets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a port number 0–65535</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the address before the port is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an IP address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>brackets are for IPv6 addresses only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>serving metrics at %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::Middlebox</name>
    <message>
        <source>Azure Load Balancer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AWS Network Load Balancer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Google Cloud VPC firewall</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Google Cloud NAT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a NAT (RFC 5382 minimum)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the path (idle timeout %1 s)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::MiddleboxTimeouts</name>
    <message>
        <source>Azure Load Balancer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>drops the flow silently (no reset unless &quot;TCP reset on idle&quot; is on); 4 to 100 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Azure Load Balancer documentation, &quot;Configure TCP reset and idle timeout&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AWS Network Load Balancer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP listeners, 60 to 6000 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AWS Elastic Load Balancing documentation, &quot;Network Load Balancers: connection idle timeout&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GCP VPC firewall</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stops tracking an idle connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Google Cloud VPC documentation, &quot;Firewall rules: connection tracking&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GCP Cloud NAT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>established TCP mappings, adjustable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Google Cloud NAT documentation, &quot;NAT timeouts: TCP established connection idle timeout&quot;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::Monitor</name>
    <message>
        <source>stopped by the user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>settings changed; restarting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>removed from the workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepwatch is shutting down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 events were not written to the log: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>held: muted until %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>held: maintenance window until %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>held: flapping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>held: not yet down for %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>held: %1 of %2 failed checks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>held: %1 of %2 good checks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>down: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>up again after %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>up again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>still down after %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>flapping: %1 % state changes over the last %2 checks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stable again (%1 % state changes), %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::MqttSession</name>
    <message>
        <source>the broker refused the connection: %1 (MQTT %2 %3 %4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>return code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reason code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the client id &quot;%1&quot; is one every broker must accept (1-23 letters and digits), so the broker refused the keep alive: mosquitto answers this when keepalive_s (%2) is above its max_keepalive. Lower mqtt.keepalive_s, or use mqtt.version &quot;5&quot;, where the broker answers with the keep alive it allows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the client id &quot;%1&quot; is not one every broker must accept (1-23 letters and digits): set mqtt.client_id to such an id or remove it; a mosquitto broker also answers this when keepalive_s (%2) is above its max_keepalive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no user name was sent: set mqtt.username and mqtt.password_env</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user %1 was sent without a password: the environment variable %2 (mqtt.password_env) is not set for Keepwatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>check user %1 and the password in %2, and the broker&apos;s ACL for this client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no mqtt.password_env)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the broker does not speak MQTT 5: set mqtt.version to &quot;3.1.1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the broker does not speak MQTT 3.1.1: set mqtt.version to &quot;5&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set mqtt.client_id to 1-23 letters and digits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the broker points to %1: change host/port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this client (id %1, from this address) is banned by the broker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the broker disconnected: %1 (reason code 0x%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; it heard nothing from us within 1.5 × the keep alive (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; another client connected with client id %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; the broker points to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT CONNACK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected to %1 and sent CONNECT (MQTT %2), but no CONNACK within %3: the port may not speak MQTT%4, or the broker is overloaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (or expects TLS: mqtt.transport &quot;tls&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the broker answered in MQTT 3.1.1 with return code 1 (unacceptable protocol version): it does not speak MQTT 5; set mqtt.version to &quot;3.1.1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the broker sent a malformed packet: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 before CONNACK: the first packet a broker sends must be CONNACK (3.1.1 section 3.2; 5.0 section 3.2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a second CONNACK: a broker sends CONNACK once per connection (5.0 section 3.2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AUTH, but this client sent no Authentication Method (5.0 section 4.12)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>max packet %1 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>receive max %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>max QoS %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>topic aliases %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no retained messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no wildcard subscriptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>session expiry %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keep alive off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keep alive %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (asked %1: the broker&apos;s Server Keep Alive)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT %1 session up · %2 · ping timeout %3 · client id %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · session resumed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PUBLISH without a topic name: topic aliases were not allowed (Topic Alias Maximum 0, 5.0 section 3.3.2.3.4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the broker refused the subscription to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (&quot;%1&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no PINGRESP within %1 of PINGREQ #%2 (keep alive %3): the broker stopped answering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no PINGRESP for %1 (limit %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no MQTT keep alive (keepalive_s 0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mqtt ping %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::MqttText</name>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket over TLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQTT %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 over %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>client id %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>session present (the broker kept our subscriptions)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keep alive off: no PINGREQ is sent, a dead broker is found only by TCP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keep alive %1 (asked %2; the broker&apos;s Server Keep Alive)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keep alive %1 (the broker&apos;s Server Keep Alive agrees)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keep alive %1 (asked %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keep alive %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ping timeout %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n PINGREQ unanswered</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>last ping RTT %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no device has published on the watched topics yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 for %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>, %n more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 silent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 will</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 awaiting a fresh message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, %1 silent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, %1 will</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Awaiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Silent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Will</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Known (a retained or earlier message), no fresh message yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A fresh message arrived within the watch&apos;s timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing fresh within the watch&apos;s timeout (device-silent)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The broker published the device&apos;s Will: its connection ended without a clean disconnect (device-will)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::Notify</name>
    <message>
        <source>secrets are never kept in the workspace; put it in an environment variable and name that variable in &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected the name of an environment variable such as &quot;KW_WEBHOOK_SECRET&quot; (letters, digits and _, not starting with a digit), got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tag words such as &quot;prod&quot; or &quot;db&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected an array of endpoint names, got %1 at index %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected an array of endpoint names, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected an array of alert kinds (&quot;down&quot;, &quot;up&quot;, &quot;reminder&quot;, &quot;flapping&quot;, &quot;stable&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, got %1 at index %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is listed twice; keep one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give either &quot;url&quot; or &quot;url_env&quot;, not both</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required for type &quot;webhook&quot;: the http:// or https:// address to post to, or &quot;url_env&quot; naming an environment variable that holds it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected an http:// or https:// address such as &quot;https://hooks.example.com/keepwatch&quot;, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>contains a password; secrets are never kept in the workspace: remove it and name an environment variable in &quot;token_env&quot; instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected the path or name of a program, got &quot;&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required for type &quot;command&quot;: the program to run (no shell is used; give its arguments in &quot;args&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected an array of strings, got %1 at index %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected an array of strings, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not used by type %1; remove it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required: a unique name such as &quot;ops-slack&quot;, used in messages about its deliveries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required: one of &quot;desktop&quot;, &quot;webhook&quot;, &quot;command&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected an array of notifier objects such as [{&quot;name&quot;: &quot;ops&quot;, &quot;type&quot;: &quot;webhook&quot;, &quot;url&quot;: &quot;https://...&quot;}], got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: expected an object, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>.name: %1 is already the name of notify[%2]; names must be unique</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::OutboundSession</name>
    <message>
        <source>connecting to %1 (attempt %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot resolve %1: out of descriptors; %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot resolve %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected to %1, but no %2 within %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected to %1, but the %2 handshake did not complete within %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer from %1 within %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected %1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 for %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 keepalive probe(s) unanswered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>retransmitting (%1 timeouts in a row)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>liveness checks pass again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 closed the connection (FIN)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>expires %1 (%n day(s))</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>no certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ALPN %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · verification off (the certificate would have verified)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · verification off: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS up: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expired %1 day(s) ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expires in %1 day(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server&apos;s certificate %1 (%2, not after %3): renew it before it does</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 KiB unsent: the peer is not reading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 closed the connection: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1; after that: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::ProbeIdle</name>
    <message>
        <source>--max: expected the longest idle gap to try in seconds, e.g. --max 600, got &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--precision: expected seconds, e.g. --precision 0.5, got &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--parallel: expected a number of connections, e.g. --parallel 4, got &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>probe-idle: unknown option &quot;%1&quot; (see keepwatch --help)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>probe-idle: one HOST:PORT only, got &quot;%1&quot; as well</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>probe-idle: expected HOST:PORT (e.g. db.example.net:5432 or [2001:db8::1]:443), got &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>probe-idle: HOST:PORT is required, e.g. keepwatch probe-idle db.example.net:5432</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot resolve &quot;%1&quot; (%2): check the name, or give an address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probing how long the path to %1 keeps an idle TCP connection: keepalive off, gaps from %2 s doubling up to %3 s, %4 connections at once, precision %5 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bracket (%1 s, %2 s]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bracket (%1 s, ≥ %2 s]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  probe %1: idle %2 s (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reusing a connection that survived</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s (of %2 s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 (after %n retransmission(s): a lossy path)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>  probe %1: %2 idle: %3; %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  probe %1: %2 s no longer needed, closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The path drops idle connections silently: the next write is never acknowledged, and without keepalive or a heartbeat the connection hangs until a timeout.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The path resets idle connections: the next write is answered with a RST.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The peer (or a proxy in front of it) closes idle connections with a FIN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Idle timeout: about %1 s (idle %2 s survived, %3 s did not; %4 s of probing).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No idle timeout up to %1 s: every gap survived (%2 s of probing). Try a longer --max to look further.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recommended, at most 2/3 of the %1 s that survived (paste into the endpoint):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  or a heartbeat: &quot;heartbeat&quot;: {&quot;interval_s&quot;: %1}; for MQTT: &quot;keepalive_s&quot;: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::RetryingSession</name>
    <message>
        <source>disabled in the workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>next attempt in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>first connect in %1, spread with the other endpoints on %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::StateStyle</name>
    <message>
        <source>Disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suspect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::SystemKeepaliveView</name>
    <message>
        <source>System keepalive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dialog buttons</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Defaults on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>They apply to a socket that turns keepalive on without its own timings. Keepwatch sets the timings per socket where the workspace asks (see below); these are what everything else on this machine gets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepalive idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probe interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probe count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection tracking (established)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System keepalive defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, OS default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With these defaults a silent peer is declared dead after %1; unacknowledged data is abandoned after about %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an unknown time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detection bound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: forgets an idle connection after %2 (%3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This machine&apos;s connection tracking forgets an idle connection after %1 (nf_conntrack_tcp_timeout_established).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Middlebox warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ The idle default of %1 is longer than what these keep an idle connection for; a path through them forgets the connection before the first probe, and the peer&apos;s death is noticed only when data is sent:
• %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The idle default of %1 is below the common middlebox idle timeouts (the shortest, Azure Load Balancer, is 4 min).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Idle timeouts are the providers&apos; defaults, from their documentation: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sources of the idle timeouts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Commands to change the defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run as an administrator. Keepwatch only shows these commands; it never runs them. Its own endpoints do not need them: set keepalive per endpoint instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Platform</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The commands differ by system: sysctl on Linux and macOS (milliseconds on macOS), the registry on Windows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep it below the shortest idle timeout on your paths; 60 s is below all of those listed above.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seconds between unanswered probes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unanswered probes before the connection is dead; fixed at 10 on Windows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;System:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Idle:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I&amp;nterval:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Probes:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Commands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy command %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy this command to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The defaults already have these values.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workspace endpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workspace endpoints and the defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoints that set their own keepalive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>idle %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>interval %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 probe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 probes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>probe count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user timeout %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keepalive on, no timings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing: overrides every default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No endpoint turns keepalive on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 endpoint turns keepalive on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 endpoints turn keepalive on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 endpoint leaves keepalive off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 endpoints leave keepalive off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: TCP alone never notices a peer going silent; only a heartbeat, a WebSocket ping or an MQTT ping does.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoints summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retransmissions before giving up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::TcpSession</name>
    <message>
        <source>heartbeat %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>phi %1 above %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 missed, %2 awaiting a reply, interval %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no heartbeat reply for %1 (bound %2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no reply to any heartbeat for %1 since the first (bound %2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>heartbeat replies late: %1 missed (down after %2 without a reply)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::TerminalPrinter</name>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>device %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>down for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, 1 more attempt failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, %1 more attempts failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 suspect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+%1 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 reconnect in the last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 reconnect in the last %1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 reconnects in the last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 reconnects in the last %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alert %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>held %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::TimeFormat</name>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>just now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::TimelineChartView</name>
    <message>
        <source>Timeline of the selected endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State band, round-trip times by source, keepalive probes and retransmits; wheel to zoom, drag to pan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Down at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Down at %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backoff: next attempt after %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backoff: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up again at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Down for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>after %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>after %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 from %2 to %3 (%4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 at %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::TrayIcon</name>
    <message>
        <source>Keepwatch tray menu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the Keepwatch window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit Keepwatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop watching every endpoint and close Keepwatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no endpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paused, %1 of %2 stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all %1 up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 up of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 down of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 suspect of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 down, %2 suspect of %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepwatch — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no cause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2, %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select %1 in the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… and %1 more down: open the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Resume all (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start again the endpoints Pause all stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pause all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop watching every running endpoint until Resume all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Mute notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For 1 &amp;hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For &amp;8 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Until &amp;tomorrow 08:00</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Until I &amp;unmute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>U&amp;nmute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notifications &amp;muted until %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notifications &amp;muted</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::WebSocketSession</name>
    <message>
        <source>upgraded %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, subprotocol %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ws ping %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no pong within %1 of ping #%2 (pings every %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no pong for %1 (limit %2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::WebhookNotifier</name>
    <message>
        <source>the receiver is not keeping up; %1 alerts are queued, the oldest are dropped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not sent: the environment variable %1 (url_env) is not set or does not hold an http:// or https:// address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not sent: the environment variable %1 (token_env) is not set; set it before starting Keepwatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not sent: the environment variable %1 (secret_env) is not set; set it before starting Keepwatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer within %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (gave up after %2 attempts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>notifier &quot;%1&quot; (webhook to %2): %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::Workspace</name>
    <message>
        <source>the file is empty; a workspace looks like {&quot;version&quot;: 1, &quot;endpoints&quot;: []}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1, column %2: JSON syntax error: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a JSON object at the top level, got an array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a JSON object at the top level, got a single value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>version: %1: written by a newer Keepwatch (this one reads version 1); upgrade Keepwatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: is a directory; give the path of a workspace .json file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot open: %2; check the path and that this user may read it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not saved: this is not a regular file; choose a .json file path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not saved: the file on disk does not pass validation (%2); fix it or move it away, then save again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not saved: the workspace is not valid: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not saved: cannot write in %2: %3; check that the directory exists and is writable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only %1 of %2 bytes could be written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the data could not be written to disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not saved (the previous file is unchanged): %2; check the free disk space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not saved (the previous file is unchanged): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a non-empty string, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required: a unique, non-empty string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required: one of &quot;tcp&quot;, &quot;mqtt&quot;, &quot;listen&quot;, &quot;websocket&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not used by kind &quot;listen&quot;; the local address is &quot;bind&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not used by kind &quot;websocket&quot;; the host and port are part of &quot;url&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required for kind %1: a name or address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only used by kind &quot;listen&quot;; remove it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required: an integer 1–65535</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tag words such as &quot;prod&quot; or &quot;db&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is listed twice; keep one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; contains a comma, which CSV exports use between tags; use - or _</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not supported by kind &quot;listen&quot; yet; remove it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only used by kind &quot;mqtt&quot;; remove it, or set &quot;kind&quot;: &quot;mqtt&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>.heartbeat: not used by kind &quot;websocket&quot;, which pings with WebSocket ping frames; set websocket.ping_interval_s and websocket.pong_timeout_s instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>.heartbeat: not used by kind &quot;mqtt&quot;, which pings with PINGREQ; set mqtt.keepalive_s instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>.idle.action: &quot;ping&quot; needs heartbeat.send for kind %1 (there is nothing else to send); set heartbeat.send or use &quot;suspect&quot; or &quot;close&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required; add &quot;version&quot;: 1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected 1, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required: an array of endpoint objects (may be empty)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected an array, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: expected an object, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>.name: %1 is already the name of endpoints[%2]; names must be unique</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected one of %1, &quot;none&quot;, or the path&apos;s idle timeout in whole seconds %2–%3 (as `keepwatch probe-idle` measures it), got %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a date and time with its offset, like &quot;2026-12-24T18:00:00Z&quot; or &quot;2026-12-24T19:00:00+01:00&quot;, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>either &quot;from&quot;/&quot;until&quot; (one-off) or &quot;days&quot;/&quot;start&quot;/&quot;duration_min&quot; (weekly), not both; split it into two windows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected &quot;from&quot; and &quot;until&quot; (one-off) or &quot;days&quot;, &quot;start&quot; and &quot;duration_min&quot; (weekly)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing: say when the window begins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing: say when the window ends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be later than &quot;from&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing: name the days, like [&quot;sat&quot;, &quot;sun&quot;]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a list of &quot;mon&quot;, &quot;tue&quot;, &quot;wed&quot;, &quot;thu&quot;, &quot;fri&quot;, &quot;sat&quot;, &quot;sun&quot;, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing: the time of day it begins, like &quot;02:00&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a time of day &quot;HH:MM&quot; (00:00–23:59), got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing: how many minutes it lasts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (up to a week)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (failed checks in a row)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s (up to a week)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (good checks in a row)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a percentage 0–100</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is above flap_high %2: flapping would end before it starts; make flap_low the lower one (defaults 20 and 30)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a list of windows, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a window object, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> days (0 keeps events for ever)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> days (0 keeps samples as long as keep_days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> MB (0: no size limit)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 MB holds a few minutes of a large workspace; give at least %2, or 0 for no size limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 keeps rtt and tcpinfo samples longer than keep_days (%2) keeps the failures they explain; make it at most %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> connects that may start at the same instant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connects per second after the burst, a number %1–%2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::WorkspaceFiles</name>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start an empty workspace without a file; Save As gives it one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open workspace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watch the endpoints of a workspace file instead of these</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the workspace to its file (edits are saved at once once it has one)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save workspace &amp;as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the workspace to a new file and save edits there from now on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Workspace not opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be opened, so Keepwatch goes on watching the endpoints it has.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fix the file in a text editor (the user guide&apos;s workspace reference describes every key), then open it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Opened %1: %n endpoints</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Opened %1: %n endpoints; %2</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unknown keys kept as written (misspelt?): </source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Save them before opening another workspace?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not there any more; it was removed from the recent files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepwatch workspace (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save them before starting a new workspace?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New workspace: add endpoints, then save it with Save workspace as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every edit is already saved to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save workspace as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved to %1; edits are saved there from now on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workspace not saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your endpoints are unchanged in the window. Choose another file or folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The endpoints in this workspace are not saved to a file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The last edits could not be saved to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save them before closing Keepwatch?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed from the recent workspaces, no longer there: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;%1 %2 — %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No recent workspaces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear the list</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kw::WrappingLabel</name>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy &amp;all</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>no display to show the window on; run with --headless (--workspace FILE | --demo)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this build has no window; run with --headless (--workspace FILE | --demo)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
