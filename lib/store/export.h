#pragma once

#include "eventlog.h"

#include <QByteArray>
#include <QIODevice>
#include <QString>

namespace kw {

enum class ExportFormat { Csv, Jsonl };

std::optional<ExportFormat> exportFormatFromName(const QString &name); // "csv", "jsonl"

// CSV: RFC 4180 (CRLF, quoted where needed), header
// ts,endpoint,kind,state,cause,detail,rtt_ms,source,data. JSONL: one
// Event::toJsonLine() per line. Streams from the log; memory stays flat.
bool exportEvents(const EventLog &log, const EventQuery &query, ExportFormat format, QIODevice &out,
                  QString *error, qint64 *count = nullptr);

QByteArray csvHeader();
QByteArray toCsvRow(const Event &event); // with trailing CRLF

} // namespace kw
