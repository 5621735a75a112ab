#include "mqttholder.h"

#include "engine.h"
#include "workspace.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

#include <unistd.h>

namespace kw::bench {

using namespace std::chrono;

KeepwatchHolder::KeepwatchHolder(HolderOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options))
{}

KeepwatchHolder::~KeepwatchHolder() = default;

void KeepwatchHolder::print(const QByteArray &line)
{
    m_out.write(line + '\n');
}

int KeepwatchHolder::run()
{
    // The descriptor, unbuffered: the driver reads each line as it is written.
    m_out.open(fileno(stdout), QIODevice::WriteOnly | QIODevice::Unbuffered);

    Workspace workspace;
    for (int i = 0; i < m_options.sessions; ++i) {
        EndpointConfig config;
        config.name = u"mqtt%1"_qs.arg(i, 5, 10, QChar(u'0'));
        config.kind = EndpointKind::Mqtt;
        config.host = m_options.host;
        config.port = m_options.port;
        config.mqtt.version = MqttConfig::Version::V5;
        config.mqtt.keepAlive = m_options.keepAlive;
        config.mqtt.cleanStart = true;
        if (!m_options.watchTopic.isEmpty()) {
            MqttWatchConfig watch;
            watch.topic = m_options.watchTopic;
            watch.timeout = m_options.watchTimeout;
            config.mqtt.watch.append(watch);
        }
        workspace.endpoints.append(config);
    }

    QTemporaryDir dataDir;
    m_engine = std::make_unique<Engine>(EngineOptions{dataDir.path(), {}});
    connect(m_engine.get(), &Engine::eventsReady, this, &KeepwatchHolder::onEvents);
    if (!m_options.watchTopic.isEmpty())
        connect(m_engine.get(), &Engine::snapshotReady, this, &KeepwatchHolder::onSnapshot);
    QString error;
    if (!m_engine->start(workspace, &error)) {
        std::fprintf(stderr, "kw_bench_mqtt hold: %s\n", qPrintable(error));
        return 1;
    }

    QTimer status;
    connect(&status, &QTimer::timeout, this,
            [this] { print("status " + QByteArray::number(m_upCount) + ' ' + QByteArray::number(m_drops)); });
    status.start(seconds(5));

    // Standard input closed (or anything read): the driver is done with us.
    m_stdin = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
    connect(m_stdin, &QSocketNotifier::activated, this, [this] {
        char buffer[256];
        if (::read(STDIN_FILENO, buffer, sizeof buffer) <= 0) {
            m_stdin->setEnabled(false);
            QCoreApplication::quit();
        }
    });
    QCoreApplication::exec();
    m_engine->shutdown();
    return 0;
}

void KeepwatchHolder::onEvents(const QList<Event> &events)
{
    for (const Event &event : events) {
        if (event.kind != EventKind::State)
            continue;
        const bool up = event.state == EndpointState::Up || event.state == EndpointState::Suspect;
        bool &wasUp = m_up[event.endpoint];
        if (up == wasUp)
            continue;
        m_upCount += up ? 1 : -1;
        m_drops += up ? 0 : 1;
        wasUp = up;
    }
    if (!m_allUp && m_upCount == m_options.sessions) {
        m_allUp = true;
        print("up " + QByteArray::number(m_upCount));
    }
}

void KeepwatchHolder::onSnapshot(const SnapshotPtr &snapshot)
{
    int up = 0;
    int silent = 0;
    int awaiting = 0;
    for (const EndpointSnapshot &endpoint : snapshot->endpoints) {
        if (!endpoint.mqtt)
            continue;
        up += endpoint.mqtt->devicesUp;
        silent += endpoint.mqtt->devicesSilent + endpoint.mqtt->devicesWill;
        awaiting += endpoint.mqtt->devicesAwaiting;
    }
    const QByteArray line = "devices " + QByteArray::number(up) + ' ' + QByteArray::number(silent) + ' ' +
                            QByteArray::number(awaiting);
    if (line != m_lastDevices) {
        m_lastDevices = line;
        print(line);
    }
}

} // namespace kw::bench
