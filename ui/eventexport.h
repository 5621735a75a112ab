#pragma once

#include "eventlog.h"
#include "export.h"

#include <QString>

#include <atomic>

namespace kw {

struct EventExportResult
{
    bool ok = false;
    bool cancelled = false;
    qint64 count = 0; // events written
};

// Writes the events `query` selects to `path` in the shapes of `keepwatch export` (csvHeader(),
// toCsvRow(), Event::toJsonLine() from lib/store/export.h), so a file from the window and one from
// the command line are the same bytes. Runs on the history reader's thread; checks `cancelled`
// between events and counts them into `written` for a progress bar. The file is written under a
// temporary name and renamed only once complete: a cancelled or failed export leaves no file.
// `options`: as for exportEvents() (CSV formula neutralisation on unless turned off).
EventExportResult exportEventsToFile(const EventLog &log, const EventQuery &query, ExportFormat format,
                                     const ExportOptions &options, const QString &path,
                                     const std::atomic_bool &cancelled, std::atomic<qint64> *written,
                                     QString *error);

} // namespace kw
