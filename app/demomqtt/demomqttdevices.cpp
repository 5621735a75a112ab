#include "demomqttdevices.h"

#include "demomqttbroker.h"
#include "mqttpacket.h"

#include <QStringList>
#include <QTimer>

namespace kw {

using namespace std::chrono;
using namespace Qt::StringLiterals;

DemoMqttDevices::DemoMqttDevices(DemoMqttBroker *broker, QObject *parent)
    : DemoMqttDevices(broker, Schedule{}, parent)
{}

DemoMqttDevices::DemoMqttDevices(DemoMqttBroker *broker, Schedule schedule, QObject *parent)
    : QObject(parent), m_broker(broker), m_schedule(schedule)
{
    const QStringList all = names();
    m_devices.resize(static_cast<std::size_t>(all.size()));
    for (std::size_t i = 0; i < m_devices.size(); ++i) {
        Device &device = m_devices[i];
        device.name = all[static_cast<qsizetype>(i)];
        device.topic = topicOf(device.name);
        device.heartbeat = new QTimer(this);
        device.heartbeat->setSingleShot(true);
        connect(device.heartbeat, &QTimer::timeout, this, [this, i] {
            Device &d = m_devices[i];
            if (d.state != State::Publishing)
                return;
            publishHeartbeat(d);
            d.heartbeat->start(pick(m_schedule.heartbeat));
        });
    }
    m_silenceTimer = new QTimer(this);
    m_silenceTimer->setSingleShot(true);
    connect(m_silenceTimer, &QTimer::timeout, this, &DemoMqttDevices::silenceOne);
    m_dropTimer = new QTimer(this);
    m_dropTimer->setSingleShot(true);
    connect(m_dropTimer, &QTimer::timeout, this, &DemoMqttDevices::dropOne);
}

DemoMqttDevices::~DemoMqttDevices() = default;

QStringList DemoMqttDevices::names()
{
    return {u"pump-1"_s, u"pump-2"_s, u"fan-1"_s, u"door-1"_s, u"meter-1"_s};
}

std::string DemoMqttDevices::topicOf(const QString &name)
{
    return "devices/" + name.toStdString() + "/heartbeat";
}

void DemoMqttDevices::start()
{
    const auto now = steady_clock::now();
    for (Device &device : m_devices) {
        // Devices that have been running for a while: hours to weeks of uptime.
        const seconds uptime = duration_cast<seconds>(pick({hours(2), hours(24 * 20)}));
        device.bootedAt = now - uptime;
        device.seq = static_cast<quint64>(uptime / seconds(5));
        publishHeartbeat(device);
        // Spread over one interval, so the devices do not beat in step.
        device.heartbeat->start(pick({milliseconds(200), m_schedule.heartbeat.max}));
    }
    m_silenceTimer->start(pick(m_schedule.silenceEvery));
    m_dropTimer->start(pick(m_schedule.dropEvery));
}

milliseconds DemoMqttDevices::pick(Span span)
{
    std::uniform_int_distribution<qint64> in(span.min.count(), std::max(span.min, span.max).count());
    return milliseconds(in(m_random));
}

void DemoMqttDevices::publishHeartbeat(Device &device)
{
    ++device.seq;
    const auto uptime = duration_cast<seconds>(steady_clock::now() - device.bootedAt);
    mqtt::Publish message;
    message.topic = device.topic;
    message.qos = 1;
    message.retain = true;
    message.payload =
        "{\"seq\":" + std::to_string(device.seq) + ",\"uptime_s\":" + std::to_string(uptime.count()) + '}';
    // 5.0 section 3.3.2.3.2 and 3.3.2.3.9; a 3.1.1 subscriber gets the payload alone.
    message.properties.payloadFormatIndicator = 1;
    message.properties.contentType = "application/json";
    m_broker->publish(message);
}

DemoMqttDevices::Device *DemoMqttDevices::pickPublishing()
{
    std::vector<Device *> candidates;
    for (Device &device : m_devices) {
        if (device.state == State::Publishing)
            candidates.push_back(&device);
    }
    if (candidates.empty())
        return nullptr;
    std::uniform_int_distribution<std::size_t> which(0, candidates.size() - 1);
    return candidates[which(m_random)];
}

// A device that hangs: still connected as far as the broker knows, but publishing nothing. Only
// the watch timeout notices (device-silent).
void DemoMqttDevices::silenceOne()
{
    Device *device = pickPublishing();
    if (!device) {
        m_silenceTimer->start(pick(m_schedule.silenceEvery));
        return;
    }
    device->state = State::Silent;
    device->heartbeat->stop();
    Q_EMIT deviceSilenced(device->name);
    QTimer::singleShot(pick(m_schedule.silenceFor), this, [this, device] {
        resume(*device);
        m_silenceTimer->start(pick(m_schedule.silenceEvery));
    });
}

// A device that loses its connection: the broker publishes its Will (3.1.1 section 3.1.2.5),
// retained like its heartbeats, so a subscriber arriving meanwhile learns it is offline.
void DemoMqttDevices::dropOne()
{
    Device *device = pickPublishing();
    if (!device) {
        m_dropTimer->start(pick(m_schedule.dropEvery));
        return;
    }
    device->state = State::Offline;
    device->heartbeat->stop();
    mqtt::Publish will;
    will.topic = device->topic;
    will.qos = 1;
    will.retain = true;
    will.payload = std::string(kWillPayload);
    m_broker->publish(will);
    Q_EMIT deviceDropped(device->name);
    QTimer::singleShot(pick(m_schedule.dropFor), this, [this, device] {
        resume(*device);
        m_dropTimer->start(pick(m_schedule.dropEvery));
    });
}

void DemoMqttDevices::resume(Device &device)
{
    if (device.state == State::Offline) {
        // Rebooted: its counters start again.
        device.seq = 0;
        device.bootedAt = steady_clock::now();
    }
    device.state = State::Publishing;
    publishHeartbeat(device);
    device.heartbeat->start(pick(m_schedule.heartbeat));
    Q_EMIT deviceResumed(device.name);
}

} // namespace kw
