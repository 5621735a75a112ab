#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <chrono>
#include <functional>

namespace kw::bench {

class BenchBroker;

struct MqttBenchOptions
{
    QList<int> sessions;   // one holder run per count, e.g. {1000, 5000}
    bool keepwatch = true; // the Keepwatch holder (kw_bench_mqtt hold)
    bool mqttjs = false;   // mqtt.js (mqttjs/hold-sessions.js under node)
    std::chrono::seconds keepAlive{5};
    int devices = 0; // > 0: the device phase with this many device topics
    std::chrono::seconds devicePeriod{30};
    int publisherConnections = 4;
    QString watchTopic = QStringLiteral("devices/+/heartbeat");
    std::chrono::seconds watchTimeout{90};
    std::chrono::seconds connectTimeout{300};
    std::chrono::seconds settle{10};
    std::chrono::seconds measure{60};
    std::chrono::seconds cooldown{5}; // after a holder ends, before the next one starts
    QString broker;                   // mosquitto
    QString holder;                   // kw_bench_mqtt itself
    QString publisher;                // kw_bench_mqttpub
    QString node;
    QString mqttjsDir; // holds hold-sessions.js and node_modules/mqtt
    QString markdownPath;
    QString label;
};

// One holder keeping N sessions, measured from outside.
struct HoldResult
{
    QString holder; // "Keepwatch", "mqtt.js"
    int sessions = 0;
    double allUpS = -1; // process start -> every session connected
    double cpuPercent = 0;
    double rssMb = 0;
    double peakMb = 0;
    double brokerCpuPercent = 0;
    qint64 dropsInWindow = 0;
    int upAtEnd = 0;
    double loadAverage = 0; // the machine's 1-minute load at the window's end
};

struct DeviceResult
{
    int devices = 0;
    double messagesPerS = 0; // what the publisher sent in the window
    double allSeenS = -1;    // first publish -> every device Up in Keepwatch
    double cpuPercent = 0;
    double rssMb = 0;
    double peakMb = 0;
    double publisherCpuPercent = 0;
    double brokerCpuPercent = 0;
    int upAtEnd = 0;
    int silentMax = 0; // devices silent or with a Will at any point of the window
    double loadAverage = 0;
};

// kw_bench_mqtt's driver: one mosquitto, then each holder in turn (never two at once, so they do
// not compete for the two cores), then one Keepwatch session watching device topics that
// kw_bench_mqttpub publishes. See docs/benchmarks.md.
class MqttBench final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MqttBench)

public:
    explicit MqttBench(MqttBenchOptions options, QObject *parent = nullptr);
    ~MqttBench() override;

    // 0 on success; a message on stderr otherwise.
    int run();

private:
    // A child that reports in lines ("up N", "status C D", "devices U S A", "published N").
    struct Child
    {
        QProcess *process = nullptr;
        QByteArray partial;
        QHash<QByteArray, QList<QByteArray>> last; // first word -> the words of its latest line
        std::function<void(const QList<QByteArray> &)> onLine;
        bool endsWithStdin = true; // else it is ended with SIGTERM
    };

    bool startChild(Child &child, const QString &program, const QStringList &arguments, QString *error);
    void stopChild(Child &child);
    bool spinUntil(const std::function<bool()> &done, std::chrono::milliseconds timeout);
    void pause(std::chrono::seconds duration);

    bool holdRun(const QString &holder, int sessions, HoldResult *result, QString *error);
    bool deviceRun(DeviceResult *result, QString *error);
    void report(const QList<HoldResult> &holds, const DeviceResult *devices) const;
    QString markdown(const QList<HoldResult> &holds, const DeviceResult *devices) const;

    MqttBenchOptions m_options;
    BenchBroker *m_broker = nullptr;
};

} // namespace kw::bench
