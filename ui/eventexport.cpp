#include "eventexport.h"

#include <QCoreApplication>
#include <QDir>
#include <QSaveFile>

namespace kw {

EventExportResult exportEventsToFile(const EventLog &log, const EventQuery &query, ExportFormat format,
                                     const ExportOptions &options, const QString &path,
                                     const std::atomic_bool &cancelled, std::atomic<qint64> *written,
                                     QString *error)
{
    EventExportResult result;
    const QString shown = QDir::toNativeSeparators(path);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QCoreApplication::translate("kw::EventExport",
                                             "Cannot write %1: %2. Choose a folder you can write to.")
                     .arg(shown, file.errorString());
        return result;
    }
    QString writeError;
    const auto write = [&](const QByteArray &bytes) {
        if (file.write(bytes) == bytes.size())
            return true;
        writeError =
            QCoreApplication::translate("kw::EventExport", "Cannot write %1: %2. Check the free disk space.")
                .arg(shown, file.errorString());
        return false;
    };
    if (format == ExportFormat::Csv && !write(csvHeader())) {
        *error = writeError;
        return result;
    }
    QString readError;
    const bool read = log.forEach(
        query,
        [&](const Event &event) {
            if (cancelled) {
                result.cancelled = true;
                return false;
            }
            if (!write(format == ExportFormat::Csv ? toCsvRow(event, options.neutraliseFormulas)
                                                   : event.toJsonLine() + '\n'))
                return false;
            ++result.count;
            if (written)
                written->store(result.count, std::memory_order_relaxed);
            return true;
        },
        &readError);
    // Without commit() QSaveFile removes its temporary file: nothing is left behind.
    if (result.cancelled || cancelled) {
        result.cancelled = true;
        file.cancelWriting();
        return result;
    }
    if (!writeError.isEmpty() || !read) {
        *error = writeError.isEmpty() ? readError : writeError;
        file.cancelWriting();
        return result;
    }
    if (!file.commit()) {
        *error = QCoreApplication::translate("kw::EventExport",
                                             "Cannot save %1: %2. Check the free space and permissions.")
                     .arg(shown, file.errorString());
        return result;
    }
    result.ok = true;
    return result;
}

} // namespace kw
