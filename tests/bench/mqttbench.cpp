#include "mqttbench.h"

#include "benchbroker.h"
#include "processstats.h"

#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <optional>

namespace kw::bench {

using namespace std::chrono;
using Clock = steady_clock;

namespace {

// Room for a holder's sessions, its event log, and the reconnects of a session whose old socket is
// still closing.
constexpr unsigned long kChildDescriptors = 65536;

const QString kKeepwatch = QStringLiteral("Keepwatch");
const QString kMqttJs = QStringLiteral("mqtt.js");

double secondsSince(Clock::time_point from)
{
    return duration<double>(Clock::now() - from).count();
}

QString fixed(double value, int decimals = 1)
{
    return QString::number(value, 'f', decimals);
}

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

// /proc/loadavg: how busy the rest of the machine was (2 cores: above 2, something waited).
double loadAverage()
{
    QFile file(u"/proc/loadavg"_qs);
    return file.open(QIODevice::ReadOnly) ? file.readAll().split(' ').value(0).toDouble() : -1;
}

qint64 word(const QList<QByteArray> &words, qsizetype at)
{
    return words.value(at).toLongLong();
}

} // namespace

MqttBench::MqttBench(MqttBenchOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options))
{}

MqttBench::~MqttBench()
{
    delete m_broker;
}

bool MqttBench::spinUntil(const std::function<bool()> &done, milliseconds timeout)
{
    const Clock::time_point deadline = Clock::now() + timeout;
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(20);
    connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done() || Clock::now() >= deadline)
            loop.quit();
    });
    poll.start();
    if (!done())
        loop.exec();
    return done();
}

void MqttBench::pause(seconds duration)
{
    spinUntil([] { return false; }, duration);
}

bool MqttBench::startChild(Child &child, const QString &program, const QStringList &arguments, QString *error)
{
    child.process = new QProcess(this);
    child.process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.process->setChildProcessModifier([] { raiseChildFileLimit(kChildDescriptors); });
    connect(child.process, &QProcess::readyReadStandardOutput, this, [&child] {
        child.partial += child.process->readAllStandardOutput();
        qsizetype end;
        while ((end = child.partial.indexOf('\n')) >= 0) {
            const QList<QByteArray> words = child.partial.left(end).trimmed().split(' ');
            child.partial.remove(0, end + 1);
            if (words.isEmpty() || words.first().isEmpty())
                continue;
            child.last.insert(words.first(), words);
            if (child.onLine)
                child.onLine(words);
        }
    });
    child.process->start(program, arguments);
    if (!child.process->waitForStarted(10000)) {
        *error = program + u": cannot start: "_qs + child.process->errorString();
        return false;
    }
    return true;
}

void MqttBench::stopChild(Child &child)
{
    if (!child.process)
        return;
    QProcess *process = child.process;
    // Both holders end their sessions with a DISCONNECT when their standard input closes.
    if (child.endsWithStdin)
        process->closeWriteChannel();
    else
        process->terminate();
    if (!spinUntil([process] { return process->state() == QProcess::NotRunning; }, seconds(20))) {
        process->kill();
        spinUntil([process] { return process->state() == QProcess::NotRunning; }, seconds(5));
    }
    process->disconnect(this);
    process->deleteLater();
    child.process = nullptr;
}

bool MqttBench::holdRun(const QString &holder, int sessions, HoldResult *result, QString *error)
{
    result->holder = holder;
    result->sessions = sessions;
    const QString host = u"127.0.0.1"_qs;
    const QString port = QString::number(m_broker->port());
    const QString keepAlive = QString::number(m_options.keepAlive.count());
    QString program;
    QStringList arguments;
    if (holder == kKeepwatch) {
        program = m_options.holder;
        arguments = {u"hold"_qs,
                     u"--host"_qs,
                     host,
                     u"--port"_qs,
                     port,
                     u"--sessions"_qs,
                     QString::number(sessions),
                     u"--keepalive"_qs,
                     keepAlive};
    } else {
        program = m_options.node;
        arguments = {QDir(m_options.mqttjsDir).filePath(u"hold-sessions.js"_qs),
                     u"--host"_qs,
                     host,
                     u"--port"_qs,
                     port,
                     u"--sessions"_qs,
                     QString::number(sessions),
                     u"--keepalive"_qs,
                     keepAlive};
    }
    out() << "\n== " << holder << ": " << sessions << " MQTT 5 sessions, keep alive " << keepAlive
          << " s ==" << Qt::endl;

    Child child;
    const Clock::time_point started = Clock::now();
    if (!startChild(child, program, arguments, error))
        return false;
    const auto stopped = [&child] { return child.process->state() == QProcess::NotRunning; };
    if (!spinUntil([&] { return child.last.contains("up") || stopped(); }, m_options.connectTimeout) ||
        !child.last.contains("up")) {
        const QList<QByteArray> status = child.last.value("status");
        *error = holder + u": only "_qs + QString::number(word(status, 1)) + u" of "_qs +
                 QString::number(sessions) + u" sessions connected after "_qs +
                 QString::number(m_options.connectTimeout.count()) + u" s"_qs +
                 (stopped() ? u" (it exited)"_qs : QString());
        stopChild(child);
        return false;
    }
    result->allUpS = secondsSince(started);
    out() << "all " << sessions << " up after " << fixed(result->allUpS, 2) << " s; settling "
          << m_options.settle.count() << " s" << Qt::endl;
    pause(m_options.settle);

    const qint64 pid = child.process->processId();
    // The first status line after the settling marks the window's start: drops are counted between
    // two status lines, 5 s apart, so the window is a whole number of them.
    child.last.remove("status");
    spinUntil([&] { return child.last.contains("status"); }, seconds(10));
    const qint64 dropsBefore = word(child.last.value("status"), 2);
    const std::optional<CpuTime> before = processCpu(pid);
    const std::optional<CpuTime> brokerBefore = processCpu(m_broker->pid());
    const Clock::time_point from = Clock::now();
    out() << "measuring " << m_options.measure.count() << " s" << Qt::endl;
    pause(m_options.measure);
    const Clock::duration wall = Clock::now() - from;
    const std::optional<CpuTime> after = processCpu(pid);
    const std::optional<CpuTime> brokerAfter = processCpu(m_broker->pid());
    const std::optional<MemoryUse> memory = processMemory(pid);
    result->loadAverage = loadAverage();
    child.last.remove("status");
    spinUntil([&] { return child.last.contains("status"); }, seconds(10));
    const QList<QByteArray> status = child.last.value("status");
    stopChild(child);
    if (!before || !after || !memory || !brokerBefore || !brokerAfter) {
        *error = holder + u" or the broker exited during the measurement"_qs;
        return false;
    }
    result->cpuPercent = cpuPercent(*before, *after, wall);
    result->brokerCpuPercent = cpuPercent(*brokerBefore, *brokerAfter, wall);
    result->rssMb = memory->rssMb;
    result->peakMb = memory->peakMb;
    result->upAtEnd = int(word(status, 1));
    result->dropsInWindow = word(status, 2) - dropsBefore;
    out() << "  CPU:    " << fixed(result->cpuPercent, 2) << " % of one core (broker "
          << fixed(result->brokerCpuPercent, 2) << " %)\n  RSS:    " << fixed(result->rssMb) << " MB (peak "
          << fixed(result->peakMb) << " MB)\n"
          << "  up at the end: " << result->upAtEnd << ", drops in the window: " << result->dropsInWindow
          << Qt::endl;
    pause(m_options.cooldown);
    return true;
}

bool MqttBench::deviceRun(DeviceResult *result, QString *error)
{
    const int devices = m_options.devices;
    result->devices = devices;
    const QString port = QString::number(m_broker->port());
    out() << "\n== Keepwatch: one MQTT 5 session watching " << devices << " devices (" << m_options.watchTopic
          << ", timeout " << m_options.watchTimeout.count() << " s), each publishing every "
          << m_options.devicePeriod.count() << " s ==" << Qt::endl;

    Child holder;
    int silent = 0;
    int up = 0;
    holder.onLine = [&](const QList<QByteArray> &words) {
        if (words.first() == "devices") {
            up = int(word(words, 1));
            silent = std::max(silent, int(word(words, 2)));
        }
    };
    if (!startChild(holder, m_options.holder,
                    {u"hold"_qs, u"--host"_qs, u"127.0.0.1"_qs, u"--port"_qs, port, u"--sessions"_qs, u"1"_qs,
                     u"--keepalive"_qs, QString::number(m_options.keepAlive.count()), u"--watch"_qs,
                     m_options.watchTopic, u"--watch-timeout"_qs,
                     QString::number(m_options.watchTimeout.count())},
                    error))
        return false;
    if (!spinUntil([&] { return holder.last.contains("up"); }, seconds(30))) {
        *error = u"Keepwatch: the watching session did not come up within 30 s"_qs;
        stopChild(holder);
        return false;
    }

    Child publisher;
    publisher.endsWithStdin = false;
    if (!startChild(publisher, m_options.publisher,
                    {u"--host"_qs, u"127.0.0.1"_qs, u"--port"_qs, port, u"--devices"_qs,
                     QString::number(devices), u"--period"_qs,
                     QString::number(m_options.devicePeriod.count()), u"--connections"_qs,
                     QString::number(m_options.publisherConnections)},
                    error)) {
        stopChild(holder);
        return false;
    }
    const auto fail = [&](const QString &message) {
        *error = message;
        stopChild(publisher);
        stopChild(holder);
        return false;
    };
    if (!spinUntil([&] { return publisher.last.contains("connected"); }, seconds(30)))
        return fail(u"kw_bench_mqttpub: not connected within 30 s"_qs);
    const Clock::time_point firstPublish = Clock::now();
    if (!spinUntil([&] { return up >= devices; }, m_options.devicePeriod * 4 + m_options.connectTimeout))
        return fail(u"Keepwatch saw only "_qs + QString::number(up) + u" of "_qs + QString::number(devices) +
                    u" devices"_qs);
    result->allSeenS = secondsSince(firstPublish);
    out() << "all " << devices << " devices up " << fixed(result->allSeenS, 1)
          << " s after the first publish; settling " << m_options.settle.count() << " s" << Qt::endl;
    pause(m_options.settle);

    silent = 0;
    const qint64 pid = holder.process->processId();
    const qint64 publisherPid = publisher.process->processId();
    const std::optional<CpuTime> before = processCpu(pid);
    const std::optional<CpuTime> publisherBefore = processCpu(publisherPid);
    const std::optional<CpuTime> brokerBefore = processCpu(m_broker->pid());
    const qint64 publishedBefore = word(publisher.last.value("published"), 1);
    const Clock::time_point publishedBeforeAt = Clock::now();
    out() << "measuring " << m_options.measure.count() << " s" << Qt::endl;
    pause(m_options.measure);
    const Clock::duration wall = Clock::now() - publishedBeforeAt;
    const std::optional<CpuTime> after = processCpu(pid);
    const std::optional<CpuTime> publisherAfter = processCpu(publisherPid);
    const std::optional<CpuTime> brokerAfter = processCpu(m_broker->pid());
    const std::optional<MemoryUse> memory = processMemory(pid);
    result->loadAverage = loadAverage();
    const qint64 publishedAfter = word(publisher.last.value("published"), 1);
    result->upAtEnd = up;
    result->silentMax = silent;
    stopChild(publisher);
    stopChild(holder);
    if (!before || !after || !memory || !publisherBefore || !publisherAfter || !brokerBefore ||
        !brokerAfter) {
        *error = u"Keepwatch, the publisher or the broker exited during the measurement"_qs;
        return false;
    }
    const double wallS = duration<double>(wall).count();
    result->cpuPercent = cpuPercent(*before, *after, wall);
    result->publisherCpuPercent = cpuPercent(*publisherBefore, *publisherAfter, wall);
    result->brokerCpuPercent = cpuPercent(*brokerBefore, *brokerAfter, wall);
    result->rssMb = memory->rssMb;
    result->peakMb = memory->peakMb;
    // The publisher reports its count once a second: the rate is good to about 1/60.
    result->messagesPerS = double(publishedAfter - publishedBefore) / wallS;
    out() << "  Keepwatch CPU: " << fixed(result->cpuPercent, 2) << " % of one core, RSS "
          << fixed(result->rssMb) << " MB (peak " << fixed(result->peakMb) << " MB)\n"
          << "  publisher CPU: " << fixed(result->publisherCpuPercent, 2) << " %, "
          << fixed(result->messagesPerS, 0) << " messages/s\n"
          << "  broker CPU:    " << fixed(result->brokerCpuPercent, 2) << " %\n"
          << "  devices up at the end: " << result->upAtEnd << ", silent at most: " << result->silentMax
          << Qt::endl;
    return true;
}

int MqttBench::run()
{
    QString error;
    if (m_options.mqttjs && !QFileInfo::exists(QDir(m_options.mqttjsDir).filePath(u"node_modules/mqtt"_qs))) {
        std::fprintf(stderr,
                     "%s: mqtt.js is not installed; run `cmake --build <build dir> --target kw_bench_mqttjs` "
                     "(npm ci) first, or leave out --mqttjs\n",
                     qPrintable(m_options.mqttjsDir));
        return 1;
    }
    m_broker = new BenchBroker(m_options.broker);
    if (!m_broker->start(&error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    out() << "kw_bench_mqtt: mosquitto " << m_broker->version() << " on 127.0.0.1:" << m_broker->port()
          << " (RLIMIT_NOFILE " << m_broker->fileLimit() << "), " << onlineCpus() << " cores, " << cpuModel()
          << Qt::endl;

    QList<HoldResult> holds;
    for (const int sessions : std::as_const(m_options.sessions)) {
        for (const QString &holder : {kKeepwatch, kMqttJs}) {
            if ((holder == kKeepwatch && !m_options.keepwatch) || (holder == kMqttJs && !m_options.mqttjs))
                continue;
            HoldResult result;
            if (!holdRun(holder, sessions, &result, &error)) {
                std::fprintf(stderr, "%s\n", qPrintable(error));
                return 1;
            }
            holds.append(result);
        }
    }
    DeviceResult devices;
    if (m_options.devices > 0 && !deviceRun(&devices, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    m_broker->stop();

    const DeviceResult *deviceResult = m_options.devices > 0 ? &devices : nullptr;
    report(holds, deviceResult);
    if (!m_options.markdownPath.isEmpty()) {
        QFile file(m_options.markdownPath);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text)) {
            std::fprintf(stderr, "%s: cannot append the results: %s\n", qPrintable(m_options.markdownPath),
                         qPrintable(file.errorString()));
            return 1;
        }
        file.write(markdown(holds, deviceResult).toUtf8());
    }
    return 0;
}

void MqttBench::report(const QList<HoldResult> &holds, const DeviceResult *devices) const
{
    out() << "\n" << markdown(holds, devices);
    out().flush();
}

QString MqttBench::markdown(const QList<HoldResult> &holds, const DeviceResult *devices) const
{
    QString text;
    QTextStream s(&text);
    const QString run =
        m_options.label.isEmpty() ? QDateTime::currentDateTimeUtc().toString(Qt::ISODate) : m_options.label;
    if (!holds.isEmpty()) {
        s << "| sessions | holder | run | all up after | CPU % of one core | RSS / peak MB | broker CPU % "
             "| drops in window | load avg |\n";
        s << "|---:|---|---|---:|---:|---:|---:|---:|---:|\n";
        for (const HoldResult &r : holds) {
            s << "| " << r.sessions << " | " << r.holder << " | " << run << " | " << fixed(r.allUpS, 2)
              << " s | " << fixed(r.cpuPercent, 2) << " | " << fixed(r.rssMb, 0) << " / "
              << fixed(r.peakMb, 0) << " | " << fixed(r.brokerCpuPercent, 2) << " | " << r.dropsInWindow
              << " | " << fixed(r.loadAverage, 2) << " |\n";
        }
        // Keepwatch against mqtt.js at the same count; the targets are 0.25 (memory) and 0.5 (CPU).
        bool header = false;
        for (const HoldResult &kw : holds) {
            if (kw.holder != kKeepwatch)
                continue;
            for (const HoldResult &js : holds) {
                if (js.holder != kMqttJs || js.sessions != kw.sessions)
                    continue;
                if (!header) {
                    s << "\n| sessions | run | RSS Keepwatch / mqtt.js (target ≤ 0.25) "
                         "| CPU Keepwatch / mqtt.js (target ≤ 0.5) |\n|---:|---|---:|---:|\n";
                    header = true;
                }
                s << "| " << kw.sessions << " | " << run << " | " << fixed(kw.rssMb / js.rssMb, 2) << " | "
                  << (js.cpuPercent > 0 ? fixed(kw.cpuPercent / js.cpuPercent, 2) : u"–"_qs) << " |\n";
            }
        }
    }
    if (devices) {
        const DeviceResult &r = *devices;
        s << "\n| devices | run | messages/s | all seen after | Keepwatch CPU % | Keepwatch RSS / peak MB "
             "| publisher CPU % | broker CPU % | silent in window | load avg |\n";
        s << "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
        s << "| " << r.devices << " | " << run << " | " << fixed(r.messagesPerS, 0) << " | "
          << fixed(r.allSeenS, 1) << " s | " << fixed(r.cpuPercent, 2) << " | " << fixed(r.rssMb, 0) << " / "
          << fixed(r.peakMb, 0) << " | " << fixed(r.publisherCpuPercent, 2) << " | "
          << fixed(r.brokerCpuPercent, 2) << " | " << r.silentMax << " | " << fixed(r.loadAverage, 2)
          << " |\n";
    }
    s.flush();
    return text;
}

} // namespace kw::bench
