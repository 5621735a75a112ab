#pragma once

#include <QObject>
#include <QString>

#include <chrono>
#include <random>
#include <string>
#include <vector>

class QTimer;

namespace kw {

class DemoMqttBroker;

// The devices behind the demo's MQTT broker. Each publishes a small JSON heartbeat,
// {"seq":N,"uptime_s":U}, retained and at QoS 1, on devices/<name>/heartbeat about every 5 s.
// Now and then one goes silent for longer than a 15 s watch timeout allows, and once in a while
// one drops off the network: the broker publishes its Will, "offline", on its topic, and the
// device comes back later with its sequence and uptime started again.
class DemoMqttDevices final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoMqttDevices)

public:
    struct Span
    {
        std::chrono::milliseconds min;
        std::chrono::milliseconds max;
    };
    struct Schedule
    {
        Span heartbeat{std::chrono::milliseconds(4500), std::chrono::milliseconds(5500)};
        // Between the end of one silence and the start of the next, and how long one lasts.
        Span silenceEvery{std::chrono::minutes(2), std::chrono::minutes(4)};
        Span silenceFor{std::chrono::seconds(40), std::chrono::seconds(70)};
        // Between one device coming back and the next dropping, and how long it stays away.
        Span dropEvery{std::chrono::minutes(4), std::chrono::minutes(7)};
        Span dropFor{std::chrono::seconds(20), std::chrono::seconds(40)};
    };

    // The Will payload the broker publishes for a device that drops.
    static constexpr std::string_view kWillPayload = "offline";

    DemoMqttDevices(DemoMqttBroker *broker, Schedule schedule, QObject *parent = nullptr);
    explicit DemoMqttDevices(DemoMqttBroker *broker, QObject *parent = nullptr);
    ~DemoMqttDevices() override;

    static QStringList names();
    static std::string topicOf(const QString &name);

    // Publishes every device's first heartbeat, so subscribers find retained messages at once,
    // and starts the clocks.
    void start();

Q_SIGNALS:
    void deviceSilenced(const QString &name);
    void deviceDropped(const QString &name);
    void deviceResumed(const QString &name);

private:
    enum class State { Publishing, Silent, Offline };
    struct Device
    {
        QString name;
        std::string topic;
        State state = State::Publishing;
        quint64 seq = 0;
        std::chrono::steady_clock::time_point bootedAt;
        QTimer *heartbeat = nullptr;
    };

    std::chrono::milliseconds pick(Span span);
    void publishHeartbeat(Device &device);
    // A device now publishing, picked at random; nullptr when none is.
    Device *pickPublishing();
    void silenceOne();
    void dropOne();
    void resume(Device &device);

    DemoMqttBroker *m_broker;
    Schedule m_schedule;
    std::vector<Device> m_devices;
    QTimer *m_silenceTimer = nullptr;
    QTimer *m_dropTimer = nullptr;
    std::mt19937 m_random{std::random_device{}()};
};

} // namespace kw
