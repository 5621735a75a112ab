#pragma once

#include "event.h"
#include "snapshot.h"

#include <QFile>
#include <QHash>
#include <QObject>
#include <QString>

#include <chrono>
#include <memory>

class QSocketNotifier;

namespace kw {
class Engine;
}

namespace kw::bench {

struct HolderOptions
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 1883;
    int sessions = 1;
    std::chrono::seconds keepAlive{5};
    // Set: every session watches this filter ("devices/+/heartbeat") and reports its devices.
    QString watchTopic;
    std::chrono::seconds watchTimeout{90};
};

// The Keepwatch side of kw_bench_mqtt, run as its own process (`kw_bench_mqtt hold ...`) so that its
// CPU and memory are measured from outside exactly like mqtt.js's: the engine the headless
// `keepwatch` runs, with its event log in a temporary data directory, holding N MQTT endpoints.
// It speaks the line protocol of mqttjs/hold-sessions.js on stdout:
//
//   up N                         once every session is Up
//   status CONNECTED DROPS       every 5 s: sessions Up now, Up sessions that went down since the start
//   devices UP SILENT AWAITING   (with a watch) on every snapshot whose device counts changed
//
// and ends its sessions and exits when its standard input closes.
class KeepwatchHolder final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeepwatchHolder)

public:
    explicit KeepwatchHolder(HolderOptions options, QObject *parent = nullptr);
    ~KeepwatchHolder() override;

    // Runs until standard input closes; 0 then, 1 when the engine would not start.
    int run();

private:
    void onEvents(const QList<Event> &events);
    void onSnapshot(const SnapshotPtr &snapshot);
    void print(const QByteArray &line);

    HolderOptions m_options;
    std::unique_ptr<Engine> m_engine;
    QSocketNotifier *m_stdin = nullptr;
    QFile m_out;
    QHash<QString, bool> m_up;
    int m_upCount = 0;
    qint64 m_drops = 0;
    bool m_allUp = false;
    QByteArray m_lastDevices;
};

} // namespace kw::bench
