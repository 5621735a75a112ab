#pragma once

#include "event.h"
#include "labprocess.h"

#include <QDateTime>
#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTimer>

#include <optional>

namespace kw::lab {

class LabTopology;

// One line of `keepwatch --events -`, read with Event::fromJsonLine: a kind or state the vocabulary does
// not know makes the line a bad one (shown in transcript()), so the lab checks the names keepwatch writes.
struct LabEvent
{
    QDateTime ts;
    QString endpoint;
    std::optional<EventKind> kind;
    std::optional<EndpointState> state;
    Cause cause;
    QString detail;
    QJsonObject json;
    QByteArray line;

    // As the line has it ("reset", "ws-close:1001"), for measurements and messages.
    QString causeName() const { return json.value(u"cause").toString(); }
};

// The real keepwatch binary, headless, inside the monitor namespace, writing its events as JSON lines.
// The workspace and data directory live in a temporary directory removed with this object.
// The stream goes to a file (`--events FILE`, written unbuffered) that this object follows: `--events -`
// into a pipe is block-buffered by stdio, so lines would arrive only in 4 KiB chunks or at exit.
class KeepwatchRun : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeepwatchRun)

public:
    explicit KeepwatchRun(QObject *parent = nullptr);
    ~KeepwatchRun() override;

    bool start(const LabTopology &topology, const QByteArray &workspaceJson, QString *error);
    // SIGTERM; true when keepwatch flushed its log and exited 0.
    bool stop();

    const QList<LabEvent> &events() const { return m_events; }
    // State events of one endpoint, in order.
    QList<LabEvent> states(const QString &endpoint) const;
    // The first state event of `endpoint` entering `state` at or after index `from` of states().
    std::optional<LabEvent> firstState(const QString &endpoint, EndpointState state,
                                       qsizetype from = 0) const;
    qsizetype countStates(const QString &endpoint, EndpointState state) const;
    // RTT events of `endpoint` measured by `source` ("heartbeat", "connect", "tcpinfo").
    qsizetype countRtt(const QString &endpoint, const QString &source) const;
    // The stream and keepwatch's standard error, for failure messages.
    QString transcript() const;

private:
    void follow();
    void parseLine(const QByteArray &line);

    QTemporaryDir m_dir;
    QFile m_stream;
    QTimer m_followTimer;
    QByteArray m_partial;
    LabProcess m_process;
    QList<LabEvent> m_events;
    QList<QByteArray> m_badLines;
};

// The keepwatch binary and the lab peer, as built next to the tests.
QString keepwatchBinary();
QString labPeerBinary();

} // namespace kw::lab
