#include "devicewatch.h"

#include "mqtttopic.h"
#include "sessiontext.h"

#include <QJsonArray>

#include <algorithm>

namespace kw {

using namespace std::chrono;

namespace {

std::string_view view(const QByteArray &bytes)
{
    return {bytes.constData(), std::size_t(bytes.size())};
}

QByteArrayView bytesOf(std::string_view text)
{
    return {text.data(), qsizetype(text.size())};
}

// The start of a payload as a person can read it: printable ASCII and UTF-8 kept, control bytes
// shown as '.', an ellipsis when cut.
QString printable(const QByteArray &preview, bool cut)
{
    QString text = QString::fromUtf8(preview);
    for (QChar &c : text) {
        if (c.unicode() < 0x20 || c == QChar(0x7f))
            c = u'.';
    }
    if (cut)
        text += u'…';
    return text;
}

QDateTime wallAt(TimePoint at, TimePoint now, const QDateTime &wallNow)
{
    return wallNow.addMSecs(-duration_cast<milliseconds>(now - at).count());
}

} // namespace

DeviceWatch::DeviceWatch(QString endpoint, QList<MqttWatchConfig> rules, EventSink sink)
    : m_endpoint(std::move(endpoint)), m_rules(std::move(rules)), m_sink(std::move(sink))
{
    for (const MqttWatchConfig &rule : m_rules)
        m_filters.push_back(rule.topic.toUtf8());
}

int DeviceWatch::ruleFor(std::string_view topic) const
{
    for (std::size_t i = 0; i < m_filters.size(); ++i) {
        if (mqtt::topicMatches(view(m_filters[i]), topic))
            return int(i);
    }
    return -1;
}

void DeviceWatch::subscribed(TimePoint now)
{
    m_subscribed = true;
    m_subscribedAt = now;
    for (Device &device : m_devices) {
        if (device.state == State::Awaiting)
            device.since = now;
    }
    m_tableStale = true;
}

void DeviceWatch::brokerDown(TimePoint now)
{
    m_subscribed = false;
    m_changes.clear();
    for (std::size_t i = 0; i < m_devices.size(); ++i) {
        if (m_devices[i].state != State::Awaiting)
            setState(int(i), State::Awaiting, now);
    }
    m_changes.clear(); // not the devices' doing: no events
}

bool DeviceWatch::onMessage(std::string_view topic, std::string_view payload, bool retained, TimePoint now)
{
    const QByteArrayView key = bytesOf(topic);
    auto found = m_index.constFind(key.toByteArray());
    int index = -1;
    if (found != m_index.constEnd()) {
        index = *found;
    } else {
        const int rule = ruleFor(topic);
        if (rule < 0)
            return false;
        Device device;
        device.topic = key.toByteArray();
        device.topicText = QString::fromUtf8(device.topic);
        device.rule = rule;
        const std::string levels = mqtt::wildcardLevels(view(m_filters[std::size_t(rule)]), topic);
        device.id = levels.empty() ? device.topicText : QString::fromStdString(levels);
        device.since = m_subscribed ? now : TimePoint{};
        index = int(m_devices.size());
        m_devices.push_back(std::move(device));
        m_index.insert(m_devices.back().topic, index);
        ++m_counts.awaiting;
        m_tableStale = true;
    }
    Device &device = m_devices[std::size_t(index)];
    const MqttWatchConfig &rule = m_rules.at(device.rule);
    device.hasMessage = true;
    device.lastMessage = now;
    device.lastRetained = retained;
    device.preview =
        QByteArray(payload.data(), qsizetype(std::min(payload.size(), std::size_t(kPreviewBytes) + 1)));
    ++device.messages;

    const QByteArrayView body = bytesOf(payload);
    if (!rule.willPayload.isEmpty() && body.contains(rule.willPayload) && !retained) {
        if (device.state != State::Will)
            setState(index, State::Will, now);
        return true;
    }
    if (retained && !rule.retainedCounts)
        return true; // known, not fresh
    if (!rule.expect.isEmpty() && !body.contains(rule.expect))
        return true;
    device.lastFresh = now;
    if (device.state != State::Up)
        setState(index, State::Up, now);
    return true;
}

void DeviceWatch::setState(int index, State state, TimePoint now)
{
    Device &device = m_devices[std::size_t(index)];
    const auto count = [this](State s) -> int & {
        switch (s) {
        case State::Awaiting:
            return m_counts.awaiting;
        case State::Up:
            return m_counts.up;
        case State::Silent:
            return m_counts.silent;
        case State::Will:
            return m_counts.will;
        }
        return m_counts.awaiting;
    };
    --count(device.state);
    ++count(state);
    // Awaiting -> Up is a device being found, not news; every other change is.
    if (!(device.state == State::Awaiting && state == State::Up))
        m_changes.push_back({index, device.state});
    device.state = state;
    device.since = now;
    m_tableStale = true;
}

bool DeviceWatch::sweep(TimePoint now, std::optional<TimePoint> brokerHeardAt)
{
    bool needProof = false;
    if (m_subscribed) {
        for (std::size_t i = 0; i < m_devices.size(); ++i) {
            Device &device = m_devices[i];
            const milliseconds timeout = m_rules.at(device.rule).timeout;
            TimePoint deadline;
            if (device.state == State::Up)
                deadline = device.lastFresh + timeout;
            else if (device.state == State::Awaiting)
                deadline = std::max(device.since, m_subscribedAt) + timeout;
            else
                continue;
            if (now < deadline)
                continue;
            // Only a broker heard from after the deadline can say the device was silent: before
            // that, the silence may be the broker's own (a hung broker delivers nothing).
            if (brokerHeardAt && *brokerHeardAt < deadline) {
                needProof = true;
                continue;
            }
            setState(int(i), State::Silent, now);
        }
    }
    flush(now);
    return needProof;
}

milliseconds DeviceWatch::sweepInterval() const
{
    milliseconds shortest = seconds(4);
    for (const MqttWatchConfig &rule : m_rules)
        shortest = std::min(shortest, rule.timeout);
    return std::clamp(shortest / 4, milliseconds(100), milliseconds(1000));
}

QString DeviceWatch::idOf(const Device &device) const
{
    return device.id;
}

Event DeviceWatch::deviceEvent(const Device &device, TimePoint now) const
{
    const MqttWatchConfig &rule = m_rules.at(device.rule);
    const QString id = idOf(device);
    const QString &topic = device.topicText;
    Event event;
    event.endpoint = m_endpoint;
    event.kind = EventKind::Device;
    event.data = QJsonObject{{u"device"_qs, topic}, {u"id"_qs, id}, {u"watch"_qs, rule.topic}};
    if (device.hasMessage) {
        event.data.insert(u"last_message_age_ms"_qs, msValue(now - device.lastMessage));
        event.data.insert(u"preview"_qs, printable(device.preview.left(kPreviewBytes),
                                                   device.preview.size() > kPreviewBytes));
    }
    switch (device.state) {
    case State::Silent: {
        event.state = EndpointState::Down;
        event.cause = CauseCode::DeviceSilent;
        const QString last =
            device.hasMessage
                ? tr("last message %1 ago").arg(formatDuration(toMilliseconds(now - device.lastMessage)))
                : tr("no message since the subscription");
        event.detail = tr("%1 silent: nothing fresh on %2 for %3 (%4)")
                           .arg(id, topic, formatDuration(rule.timeout), last);
        break;
    }
    case State::Will:
        event.state = EndpointState::Down;
        event.cause = CauseCode::DeviceWill;
        event.detail = tr("%1 offline: the broker published its Will on %2 (\"%3\")")
                           .arg(id, topic, printable(device.preview.left(kPreviewBytes), false));
        break;
    case State::Up:
    case State::Awaiting:
        event.state = EndpointState::Up;
        event.detail = tr("%1 publishing again on %2").arg(id, topic);
        break;
    }
    return event;
}

void DeviceWatch::flush(TimePoint now)
{
    if (m_changes.empty())
        return;
    // Group by the state reached; a device that changed twice within one sweep is reported once,
    // in the state it is in now.
    std::vector<int> byState[4];
    QHash<int, bool> reported;
    for (const Change &change : m_changes) {
        if (reported.contains(change.device))
            continue;
        reported.insert(change.device, true);
        const Device &device = m_devices[std::size_t(change.device)];
        if (device.state == change.from)
            continue; // back where it was
        byState[int(device.state)].push_back(change.device);
    }
    m_changes.clear();
    for (int s = 0; s < 4; ++s) {
        const std::vector<int> &changed = byState[s];
        if (changed.empty())
            continue;
        if (int(changed.size()) <= kEventsPerSweep) {
            for (const int index : changed)
                m_sink(deviceEvent(m_devices[std::size_t(index)], now));
            continue;
        }
        Event summary = deviceEvent(m_devices[std::size_t(changed.front())], now);
        QStringList ids;
        QJsonArray topics;
        for (std::size_t i = 0; i < changed.size() && i < std::size_t(kEventsPerSweep); ++i) {
            const Device &device = m_devices[std::size_t(changed[i])];
            ids << idOf(device);
            topics.append(device.topicText);
        }
        const QString more = tr("%1, … (%2 more)").arg(ids.join(u", ")).arg(changed.size() - ids.size());
        const auto state = State(s);
        // More than kEventsPerSweep: always a plural.
        const qsizetype n = qsizetype(changed.size());
        summary.detail = state == State::Silent ? tr("%1 devices silent: %2").arg(n).arg(more)
                         : state == State::Will
                             ? tr("%1 devices offline (Will published): %2").arg(n).arg(more)
                             : tr("%1 devices publishing again: %2").arg(n).arg(more);
        summary.data = QJsonObject{{u"devices"_qs, int(changed.size())}, {u"topics"_qs, topics}};
        m_sink(summary);
    }
}

DeviceWatch::Counts DeviceWatch::counts() const
{
    return m_counts;
}

void DeviceWatch::fill(MqttSnapshot &snapshot, TimePoint now, const QDateTime &wallNow) const
{
    snapshot.devicesAwaiting = m_counts.awaiting;
    snapshot.devicesUp = m_counts.up;
    snapshot.devicesSilent = m_counts.silent;
    snapshot.devicesWill = m_counts.will;
    const bool due = !m_table || (m_tableStale && now - m_tableBuiltAt >= seconds(1)) ||
                     now - m_tableBuiltAt >= kTableEvery;
    if (due) {
        // Silent, will, awaiting, up; within each, in the order first seen. No sort by name: at
        // 100,000 devices that was a third of the session's time, and the window sorts anyway.
        auto table = std::make_shared<QList<DeviceSnapshot>>();
        table->reserve(qsizetype(m_devices.size()));
        for (const State wanted : {State::Silent, State::Will, State::Awaiting, State::Up}) {
            for (const Device &device : m_devices) {
                if (device.state != wanted)
                    continue;
                DeviceSnapshot d;
                d.topic = device.topicText;
                d.id = device.id;
                d.watch = m_rules.at(device.rule).topic;
                d.state = device.state;
                d.since = device.since == TimePoint{} ? QDateTime() : wallAt(device.since, now, wallNow);
                if (device.hasMessage) {
                    d.lastMessage = wallAt(device.lastMessage, now, wallNow);
                    d.preview =
                        printable(device.preview.left(kPreviewBytes), device.preview.size() > kPreviewBytes);
                }
                d.lastRetained = device.lastRetained;
                d.messages = device.messages;
                table->append(std::move(d));
            }
        }
        m_table = std::move(table);
        m_tableBuiltAt = now;
        m_tableStale = false;
    }
    snapshot.devices = m_table;
}

} // namespace kw
