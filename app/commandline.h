#pragma once

#include "event.h"
#include "export.h"
#include "keepalive.h"
#include "metricsserver.h"
#include "probeidlecommand.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace kw {

// What the command line asked for. Parsed before any QCoreApplication exists,
// because the answer decides whether a GUI application is created at all.
struct AppOptions
{
    enum class Mode { Gui, Headless, Export, Bundle, Keepalive, Check, ProbeIdle, Version, Help };

    Mode mode = Mode::Gui;
    QString workspacePath;
    QString dataDir; // empty: the platform's application data directory
    bool demo = false;
    std::optional<double> durationSeconds;
    QString eventsTarget; // "-" for stdout, else a file path; empty: human-readable states on stdout
    std::optional<MetricsAddress> metrics; // --metrics [ADDR:]PORT (headless and window)

    // export and bundle (bundle: exportEndpoint, since, until, outputPath, workspacePath)
    ExportFormat exportFormat = ExportFormat::Csv;
    QString exportEndpoint;
    std::optional<QDateTime> since;
    std::optional<QDateTime> until;
    QString outputPath;  // empty or "-": stdout
    bool csvRaw = false; // --csv-raw: CSV cells as stored, without formula neutralisation

    // check: --strict fails on lint warnings (exit 1); --json prints one JSON object
    bool checkStrict = false;
    bool checkJson = false;

    // keepalive: as given; idle, interval or count imply SO_KEEPALIVE on (TcpKeepaliveSettings::normalized)
    net::TcpKeepaliveSettings keepalive;

    // probe-idle HOST:PORT [--max S] [--precision S] [--parallel N] [--json] (probeidlecommand.h)
    ProbeIdleOptions probeIdle;
};

struct ParseResult
{
    std::optional<AppOptions> options;
    QString error; // one line naming the problem and the fix
};

ParseResult parseCommandLine(const QStringList &arguments);
QString helpText();

} // namespace kw
