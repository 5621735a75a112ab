#pragma once

#include "clock.h"
#include "endpointconfig.h"
#include "event.h"
#include "snapshot.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QString>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace kw {

// The devices an MQTT session watches (workspace "mqtt.watch"): every topic that matches a watch
// filter is a device with a state of its own, judged only while the broker session is up.
//
//   Awaiting -- fresh message --> Up -- nothing fresh within timeout_s --> Silent
//       |                          ^ \-- its Will published ------------> Will
//       +-- timeout_s after the subscription, nothing fresh --> Silent    |
//                                   \-------- fresh message <-------------/
//
// A retained message is old by definition: it makes a device known (Awaiting) but not fresh,
// unless the watch says retained_counts. A message without the watch's `expect` bytes is counted
// but not fresh. While the broker is down nothing can be judged: every device goes back to
// Awaiting without an event, so a broker outage never reads as a fleet of silent devices.
//
// Cheap at 100,000 devices: one hash lookup per message, one linear sweep a second for the
// timeouts, and events batched per sweep (more than kEventsPerSweep changes of one kind become one
// summary event).
class DeviceWatch
{
    Q_DECLARE_TR_FUNCTIONS(kw::DeviceWatch)

public:
    static constexpr int kEventsPerSweep = 10;
    static constexpr qsizetype kPreviewBytes = 48;
    // The shared device table of the snapshot is rebuilt at most this often unless a state changed.
    static constexpr std::chrono::milliseconds kTableEvery{5000};

    using EventSink = std::function<void(Event event)>;

    DeviceWatch(QString endpoint, QList<MqttWatchConfig> rules, EventSink sink);

    bool isEmpty() const { return m_rules.isEmpty(); }
    const QList<MqttWatchConfig> &rules() const { return m_rules; }

    // The broker accepted the subscriptions at `now`: the timeouts of Awaiting devices start.
    void subscribed(TimePoint now);
    // The broker session ended: nothing is judged until subscribed() again.
    void brokerDown(TimePoint now);
    // A PUBLISH from the broker; false when no watch filter matches the topic.
    bool onMessage(std::string_view topic, std::string_view payload, bool retained, TimePoint now);
    // Timeouts and the events they raise; call every sweepInterval() while subscribed. A device
    // whose timeout passed is silent only if the broker was heard from after that (brokerHeardAt;
    // nullopt: no doubt about the broker): true when a device waits for that proof, so the caller
    // pings the broker rather than blame the device for a broker that went quiet.
    bool sweep(TimePoint now, std::optional<TimePoint> brokerHeardAt = std::nullopt);
    // A quarter of the shortest watch timeout, between 100 ms and 1 s: a device is found silent at
    // most that late.
    std::chrono::milliseconds sweepInterval() const;

    // Counts and (rate-limited) the shared table, into the MQTT part of a snapshot.
    void fill(MqttSnapshot &snapshot, TimePoint now, const QDateTime &wallNow) const;

    struct Counts
    {
        int awaiting = 0;
        int up = 0;
        int silent = 0;
        int will = 0;
    };
    Counts counts() const;
    qsizetype deviceCount() const { return qsizetype(m_devices.size()); }

private:
    using State = DeviceSnapshot::State;
    struct Device
    {
        QByteArray topic;  // UTF-8 as received: the hash key
        QString topicText; // the same, and the wildcard levels, made once for the table and events
        QString id;
        int rule = 0;
        State state = State::Awaiting;
        TimePoint since{};
        TimePoint lastFresh{};
        TimePoint lastMessage{};
        bool hasMessage = false;
        bool lastRetained = false;
        QByteArray preview;
        qint64 messages = 0;
    };
    struct Change
    {
        int device = 0;
        State from = State::Awaiting;
    };

    int ruleFor(std::string_view topic) const;
    void setState(int index, State state, TimePoint now);
    void flush(TimePoint now);
    Event deviceEvent(const Device &device, TimePoint now) const;
    QString idOf(const Device &device) const;

    QString m_endpoint;
    QList<MqttWatchConfig> m_rules;
    std::vector<QByteArray> m_filters; // the rules' topic filters in UTF-8
    EventSink m_sink;
    std::vector<Device> m_devices;
    QHash<QByteArray, int> m_index;
    bool m_subscribed = false;
    TimePoint m_subscribedAt{};
    std::vector<Change> m_changes; // since the last sweep
    Counts m_counts;

    mutable std::shared_ptr<const QList<DeviceSnapshot>> m_table;
    mutable TimePoint m_tableBuiltAt{};
    mutable bool m_tableStale = true;
};

} // namespace kw
