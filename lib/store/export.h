#pragma once

#include "eventlog.h"

#include <QByteArray>
#include <QIODevice>
#include <QString>

namespace kw {

enum class ExportFormat { Csv, Jsonl };

std::optional<ExportFormat> exportFormatFromName(const QString &name); // "csv", "jsonl"

struct ExportOptions
{
    // CSV only: text cells that a spreadsheet would run as a formula get a leading ' (csvformula.h).
    // Off with `keepwatch export --csv-raw` and the export dialog's "Raw cells" box.
    bool neutraliseFormulas = true;
};

// CSV: RFC 4180 (CRLF, quoted where needed), header
// ts,endpoint,kind,state,cause,detail,rtt_ms,source,data. JSONL: one
// Event::toJsonLine() per line. Streams from the log; memory stays flat.
bool exportEvents(const EventLog &log, const EventQuery &query, ExportFormat format, QIODevice &out,
                  QString *error, qint64 *count = nullptr, const ExportOptions &options = {});

QByteArray csvHeader();
// With trailing CRLF. The text columns (endpoint to detail, source, data) are neutralised unless
// `neutraliseFormulas` is false; ts (a time) and rtt_ms (a number) are written as they are.
QByteArray toCsvRow(const Event &event, bool neutraliseFormulas = true);

} // namespace kw
