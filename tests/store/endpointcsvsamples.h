#pragma once

// Workspace JSON for tst_endpointcsv, apart because moc (Qt 6.4) stops finding the test class in a
// file with these raw string literals.

// Endpoints of every kind that between them set a value in every CSV column.
inline const char *kEveryColumn = R"({"version": 1, "endpoints": [
  {"name": "db, primary", "kind": "tcp", "host": "db1.internal", "port": 5432, "enabled": false,
   "tags": ["prod", "db;pg"],
   "keepalive": {"enabled": true, "idle_s": 30, "interval_s": 5, "count": 3, "user_timeout_ms": 45000},
   "heartbeat": {"interval_s": 2.5, "send": "PING \"x\"\\r\\n", "expect": "PONG", "misses": 4, "timeout_ms": 900},
   "idle": {"reader_s": 60, "writer_s": 30, "all_s": 90, "action": "ping"},
   "reconnect": {"initial_ms": 250, "max_ms": 30000, "multiplier": 1.7, "jitter": 0.3,
                 "min_connect_timeout_ms": 5000},
   "tls": {"enabled": true, "ca_file": "/etc/ca, internal.pem", "cert_file": "c.pem", "key_file": "c.key",
           "peer_name": "db.internal", "insecure": true, "alpn": ["h2", "http/1.1"], "warn_expiry_days": 30}},
  {"name": "beats", "kind": "listen", "bind": "0.0.0.0", "port": 7700,
   "heartbeat": {"interval_s": 10, "expect": "HB", "misses": 3},
   "alert": {"down_after": 3, "down_after_s": 60, "up_after": 2, "resend_every_s": 900,
             "mute_until": "2026-12-24T19:00:00+01:00", "flap_high": 40, "flap_low": 12.5,
             "maintenance": [{"days": ["sat", "sun"], "start": "23:30", "duration_min": 120, "utc": true},
                             {"from": "2026-12-24T18:00:00Z", "until": "2026-12-27T08:00:00Z"}]}},
  {"name": "feed", "kind": "websocket", "url": "wss://feed.example.net:8443/live?x=1,2",
   "websocket": {"ping_interval_s": 7.5, "pong_timeout_s": 3, "subprotocols": ["graphql-ws"],
                 "headers": {"Authorization": "Bearer a\"b"}}},
  {"name": "broker\nsecond line", "kind": "mqtt", "host": "mqtt.plant.internal", "port": 8884,
   "mqtt": {"version": "5", "transport": "wss", "path": "/ws", "keepalive_s": 30, "ping_timeout_s": 4.5,
            "client_id": "kw1", "username": "keepwatch", "password_env": "KW_PASS", "clean_start": false,
            "session_expiry_s": 600,
            "will": {"topic": "kw/status", "payload": "offline", "qos": 1, "retain": true},
            "watch": [{"topic": "devices/+/hb", "timeout_s": 45, "expect": "alive", "qos": 1},
                      {"topic": "plc/+/status", "will_payload": "dead", "retained_counts": true}]}}
]})";

// A valid endpoint, one that fails validation, one that is no object, and a repeated name.
inline const char *kJsonWithBadEndpoints = R"({"version": 1, "endpoints": [
    {"name": "ok", "kind": "tcp", "host": "h", "port": 1},
    {"name": "bad", "kind": "tcp", "host": "h", "port": 0},
    7,
    {"name": "ok", "kind": "listen", "port": 2}]})";
