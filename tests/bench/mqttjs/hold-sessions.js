// The mqtt.js side of kw_bench_mqtt (docs/benchmarks.md): holds N MQTT sessions to one broker in
// this one Node process, each configured like an MQTTX connection (protocol 5, keep alive 5 s,
// clean start, reconnect after 1 s), and reports on stdout:
//
//   up N                     once every client has had its CONNACK
//   status CONNECTED DROPS   every 5 s: clients connected now, connected clients that closed since
//                            the start (kw_bench_mqtt's Keepwatch holder prints the same)
//
//   node hold-sessions.js --host 127.0.0.1 --port P --sessions N [--keepalive 5]
//
// Runs until its standard input ends or SIGTERM; either ends every session with a DISCONNECT.
'use strict';

const mqtt = require('mqtt');

function option(name, fallback) {
    const at = process.argv.indexOf('--' + name);
    if (at < 0 || at + 1 >= process.argv.length)
        return fallback;
    return process.argv[at + 1];
}

const host = option('host', '127.0.0.1');
const port = Number(option('port', '1883'));
const sessions = Number(option('sessions', '1000'));
const keepalive = Number(option('keepalive', '5'));
if (!Number.isInteger(port) || !Number.isInteger(sessions) || sessions < 1) {
    console.error('hold-sessions.js: --port and --sessions must be positive integers');
    process.exit(2);
}

let connected = 0;
let drops = 0;
let everyoneUp = false;
const clients = [];

for (let i = 0; i < sessions; ++i) {
    const client = mqtt.connect({
        host,
        port,
        protocol: 'mqtt',
        protocolVersion: 5,
        keepalive,
        clean: true,
        reconnectPeriod: 1000,
        clientId: `mqttjs-${process.pid}-${i}`,
    });
    let isConnected = false;
    client.on('connect', () => {
        if (!isConnected) {
            isConnected = true;
            ++connected;
        }
        if (!everyoneUp && connected === sessions) {
            everyoneUp = true;
            console.log(`up ${connected}`);
        }
    });
    client.on('close', () => {
        if (isConnected) {
            isConnected = false;
            --connected;
            ++drops;
        }
    });
    // An error is followed by a close and a reconnect; without a listener Node would throw.
    client.on('error', () => {});
    clients.push(client);
}

setInterval(() => console.log(`status ${connected} ${drops}`), 5000);

function endSessions() {
    let open = clients.length;
    for (const client of clients)
        client.end(false, () => {
            if (--open === 0)
                process.exit(0);
        });
    setTimeout(() => process.exit(0), 3000).unref();
}
process.on('SIGTERM', endSessions);
process.stdin.on('end', endSessions);
process.stdin.resume();
