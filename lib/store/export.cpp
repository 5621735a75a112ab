#include "export.h"

#include "csvformula.h"
#include "jsonwriter.h"

#include <QJsonDocument>

#include <cmath>

namespace kw {

using namespace Qt::StringLiterals;

namespace {

// RFC 4180 section 2: a field with a comma, a double quote or a line break is
// enclosed in double quotes, and a double quote inside it is doubled.
QByteArray csvField(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    if (bytes.contains(',') || bytes.contains('"') || bytes.contains('\r') || bytes.contains('\n'))
        return '"' + bytes.replace("\"", "\"\"") + '"';
    return bytes;
}

} // namespace

std::optional<ExportFormat> exportFormatFromName(const QString &name)
{
    const QString lower = name.toLower();
    if (lower == u"csv"_s)
        return ExportFormat::Csv;
    if (lower == u"jsonl"_s || lower == u"ndjson"_s)
        return ExportFormat::Jsonl;
    return std::nullopt;
}

QByteArray csvHeader()
{
    return "ts,endpoint,kind,state,cause,detail,rtt_ms,source,data\r\n";
}

QByteArray toCsvRow(const Event &event, bool neutraliseFormulas)
{
    const auto text = [neutraliseFormulas](const QString &cell) {
        return csvField(neutraliseFormulas ? neutraliseFormula(cell) : cell);
    };
    // The same rounding and number form as the JSON line, so both exports agree.
    QByteArray rtt;
    if (event.rttMs && std::isfinite(*event.rttMs))
        rtt = jsonScalar(std::round(*event.rttMs * 1000.0) / 1000.0);
    const QByteArray data =
        event.data.isEmpty() ? QByteArray() : QJsonDocument(event.data).toJson(QJsonDocument::Compact);

    QByteArray row;
    row += csvField(formatTimestamp(event.ts)) + ',';
    row += text(event.endpoint) + ',';
    row += text(event.kindName()) + ',';
    row += text(event.stateName()) + ',';
    row += text(event.causeName()) + ',';
    row += text(event.detail) + ',';
    row += rtt + ',';
    row += text(event.source) + ',';
    row += text(QString::fromUtf8(data));
    row += "\r\n";
    return row;
}

bool exportEvents(const EventLog &log, const EventQuery &query, ExportFormat format, QIODevice &out,
                  QString *error, qint64 *count, const ExportOptions &options)
{
    qint64 written = 0;
    QString writeError;
    const auto write = [&out, &writeError](const QByteArray &bytes) {
        if (out.write(bytes) != bytes.size()) {
            writeError = u"cannot write the export: "_s + out.errorString() +
                         u"; check the output file and the free disk space"_s;
            return false;
        }
        return true;
    };

    if (count)
        *count = 0;
    if (!out.isWritable()) {
        if (error)
            *error = u"cannot write the export: the output is not open for writing"_s;
        return false;
    }
    if (format == ExportFormat::Csv && !write(csvHeader())) {
        if (error)
            *error = writeError;
        return false;
    }
    const bool read = log.forEach(
        query,
        [&](const Event &event) {
            const QByteArray line = format == ExportFormat::Csv ? toCsvRow(event, options.neutraliseFormulas)
                                                                : event.toJsonLine() + '\n';
            if (!write(line))
                return false;
            ++written;
            return true;
        },
        error);
    if (count)
        *count = written;
    if (!writeError.isEmpty()) {
        if (error)
            *error = writeError;
        return false;
    }
    return read;
}

} // namespace kw
