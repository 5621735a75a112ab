#include "eventexport.h"

#include <QCoreApplication>

namespace kw {

bool writeEvents(const QList<Event> &events, ExportFormat format, QIODevice &out, QString *error)
{
    const auto write = [&](const QByteArray &bytes) {
        if (out.write(bytes) == bytes.size())
            return true;
        if (error) {
            *error = QCoreApplication::translate("kw::EventExport", "Could not write the export: %1")
                         .arg(out.errorString());
        }
        return false;
    };

    if (format == ExportFormat::Csv && !write(csvHeader()))
        return false;
    for (const Event &event : events) {
        const QByteArray line =
            format == ExportFormat::Csv ? toCsvRow(event) : event.toJsonLine() + QByteArrayLiteral("\n");
        if (!write(line))
            return false;
    }
    return true;
}

} // namespace kw
