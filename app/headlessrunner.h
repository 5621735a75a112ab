#pragma once

#include "commandline.h"
#include "event.h"

#include <QFile>
#include <QObject>

#include <memory>

class QSocketNotifier;

namespace kw {

class DemoPeers;
class Engine;

// `keepwatch --headless`: the engine without a window. Streams events as
// JSON lines (flushed per line) or human-readable state changes, stops on
// SIGINT/SIGTERM or when --duration ends, flushing the log before exit 0.
class HeadlessRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeadlessRunner)

public:
    explicit HeadlessRunner(AppOptions options, QObject *parent = nullptr);
    ~HeadlessRunner() override;

    // Returns the process exit code.
    int run();

private:
    void onEvents(const QList<Event> &events);
    bool openEventsOutput(QString *error);
    void installSignalHandlers();

    AppOptions m_options;
    std::unique_ptr<DemoPeers> m_demo;
    std::unique_ptr<Engine> m_engine;
    QFile m_out;
    bool m_jsonLines = false;
    QSocketNotifier *m_signalNotifier = nullptr;
};

} // namespace kw
