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
class TerminalPrinter;

// `keepwatch --headless`: the engine without a window. Streams events as
// JSON lines (flushed per line) or human-readable state changes, stops on
// SIGINT/SIGTERM or when --duration ends, flushing the log before exit 0.
// Without --events on a terminal (or with KEEPWATCH_TERMINAL=1), the state changes
// are coloured lines and a one-line summary follows every minute and on SIGUSR1.
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
    void startTerminalPrinter();
    void installSignalHandlers();

    AppOptions m_options;
    std::unique_ptr<DemoPeers> m_demo;
    std::unique_ptr<Engine> m_engine;
    QFile m_out;
    bool m_jsonLines = false;
    std::unique_ptr<TerminalPrinter> m_printer; // stdout is a terminal and --events was not given
    QSocketNotifier *m_signalNotifier = nullptr;
};

} // namespace kw
