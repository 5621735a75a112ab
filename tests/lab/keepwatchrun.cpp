#include "keepwatchrun.h"

#include "event.h"
#include "labtopology.h"

#include <QFile>
#include <QJsonDocument>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace kw::lab {

QString keepwatchBinary()
{
    return QString::fromLocal8Bit(KEEPWATCH_BINARY);
}

QString labPeerBinary()
{
    return QString::fromLocal8Bit(KEEPWATCH_LABPEER_BINARY);
}

KeepwatchRun::KeepwatchRun(QObject *parent) : QObject(parent)
{
    m_followTimer.setInterval(20);
    connect(&m_followTimer, &QTimer::timeout, this, &KeepwatchRun::follow);
}

KeepwatchRun::~KeepwatchRun() = default;

bool KeepwatchRun::start(const LabTopology &topology, const QByteArray &workspaceJson, QString *error)
{
    if (!m_dir.isValid()) {
        *error = u"cannot create a temporary directory: "_s + m_dir.errorString();
        return false;
    }
    const QString workspace = m_dir.filePath(u"workspace.json"_s);
    QFile file(workspace);
    if (!file.open(QIODevice::WriteOnly) || file.write(workspaceJson) != workspaceJson.size()) {
        *error = u"cannot write "_s + workspace + u": "_s + file.errorString();
        return false;
    }
    file.close();
    m_stream.setFileName(m_dir.filePath(u"events.jsonl"_s));
    if (!m_stream.open(QIODevice::ReadWrite | QIODevice::Truncate)) {
        *error = u"cannot create "_s + m_stream.fileName() + u": "_s + m_stream.errorString();
        return false;
    }
    if (!m_process.start(topology.monitorNamespace(), keepwatchBinary(),
                         {u"--headless"_s, u"--workspace"_s, workspace, u"--data-dir"_s,
                          m_dir.filePath(u"data"_s), u"--events"_s, m_stream.fileName()},
                         error))
        return false;
    m_followTimer.start();
    return true;
}

bool KeepwatchRun::stop()
{
    const bool clean = m_process.stop();
    m_followTimer.stop();
    follow();
    return clean;
}

void KeepwatchRun::follow()
{
    m_partial += m_stream.readAll();
    qsizetype newline;
    while ((newline = m_partial.indexOf('\n')) >= 0) {
        const QByteArray line = m_partial.left(newline);
        m_partial.remove(0, newline + 1);
        parseLine(line);
    }
}

void KeepwatchRun::parseLine(const QByteArray &line)
{
    if (line.trimmed().isEmpty())
        return;
    QString error;
    const std::optional<Event> event = Event::fromJsonLine(line, &error);
    if (!event) {
        m_badLines.append(error.toUtf8());
        return;
    }
    const QJsonObject object = QJsonDocument::fromJson(line).object();
    // The reader keeps a cause it does not know as "network"; keepwatch must not write one.
    if (object.value(u"cause").toString() != event->causeName())
        m_badLines.append("cause not in the vocabulary, read as network, in line " + line);
    m_events.append(LabEvent{event->ts, event->endpoint, event->kind, event->state, event->cause,
                             event->detail, object, line});
}

QList<LabEvent> KeepwatchRun::states(const QString &endpoint) const
{
    QList<LabEvent> result;
    for (const LabEvent &event : m_events) {
        if (event.kind == EventKind::State && event.endpoint == endpoint)
            result.append(event);
    }
    return result;
}

std::optional<LabEvent> KeepwatchRun::firstState(const QString &endpoint, EndpointState state,
                                                 qsizetype from) const
{
    const QList<LabEvent> all = states(endpoint);
    for (qsizetype i = from; i < all.size(); ++i) {
        if (all.at(i).state == state)
            return all.at(i);
    }
    return std::nullopt;
}

qsizetype KeepwatchRun::countStates(const QString &endpoint, EndpointState state) const
{
    const QList<LabEvent> all = states(endpoint);
    return std::count_if(all.begin(), all.end(), [&state](const LabEvent &e) { return e.state == state; });
}

qsizetype KeepwatchRun::countRtt(const QString &endpoint, const QString &source) const
{
    return std::count_if(m_events.begin(), m_events.end(), [&](const LabEvent &e) {
        return e.kind == EventKind::Rtt && e.endpoint == endpoint &&
               e.json.value(u"source").toString() == source;
    });
}

QString KeepwatchRun::transcript() const
{
    QString text = u"keepwatch events:\n"_s;
    for (const LabEvent &event : m_events)
        text += QString::fromUtf8(event.line) + u'\n';
    for (const QByteArray &line : m_badLines)
        text += u"(bad line) "_s + QString::fromUtf8(line) + u'\n';
    const QByteArray err = m_process.errorOutput().trimmed();
    if (!err.isEmpty())
        text += u"keepwatch stderr:\n"_s + QString::fromUtf8(err) + u'\n';
    return text;
}

} // namespace kw::lab
