#include "bundlezip.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <zip.h>

namespace kw {

namespace {

// The translation context of this file's messages: lupdate files them under "kw::IncidentBundle", and
// Q_DECLARE_TR_FUNCTIONS looks them up under the same name.
class IncidentBundle
{
    Q_DECLARE_TR_FUNCTIONS(kw::IncidentBundle)
};

QString zipErrorText(zip_error_t *error)
{
    return QString::fromLocal8Bit(zip_error_strerror(error));
}

// The fix that goes with what libzip reports: a full disk, a folder that cannot be written.
QString writeFailure(const QString &path, int systemError, const QString &reason)
{
    if (systemError == ENOSPC)
        return IncidentBundle::tr(
                   "%1: cannot write: the disk is full (%2); free some space or choose another folder")
            .arg(path, reason);
    return IncidentBundle::tr("%1: cannot write: %2; choose a folder you can write to").arg(path, reason);
}

} // namespace

bool writeZipArchive(const QString &path, const QList<BundleEntry> &entries, QString *error)
{
    const QFileInfo target(path);
    if (target.isDir()) {
        *error = IncidentBundle::tr("%1: is a folder; give a file name such as %2")
                     .arg(path, QDir(path).filePath(QStringLiteral("incident.zip")));
        return false;
    }
    if (!target.absoluteDir().exists()) {
        *error = IncidentBundle::tr("%1: the folder %2 does not exist; create it or choose another one")
                     .arg(path, target.absolutePath());
        return false;
    }
    int code = 0;
    // ZIP_TRUNCATE: an older file at `path` is replaced, never read or appended to.
    zip_t *archive = zip_open(QFile::encodeName(path).constData(), ZIP_CREATE | ZIP_TRUNCATE, &code);
    if (!archive) {
        zip_error_t e;
        zip_error_init_with_code(&e, code);
        *error = writeFailure(path, zip_error_code_system(&e), zipErrorText(&e));
        zip_error_fini(&e);
        return false;
    }
    for (const BundleEntry &entry : entries) {
        // The bytes stay owned by `entries`, which outlives zip_close().
        zip_source_t *source =
            zip_source_buffer(archive, entry.data.constData(), zip_uint64_t(entry.data.size()), 0);
        if (!source || zip_file_add(archive, entry.name.toUtf8().constData(), source,
                                    ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
            if (source)
                zip_source_free(source);
            *error = IncidentBundle::tr("%1: cannot add %2: %3")
                         .arg(path, entry.name, zipErrorText(zip_get_error(archive)));
            zip_discard(archive);
            return false;
        }
    }
    if (zip_close(archive) < 0) {
        zip_error_t *e = zip_get_error(archive);
        *error = writeFailure(path, zip_error_code_system(e), zipErrorText(e));
        zip_discard(archive); // also removes libzip's temporary file
        return false;
    }
    return true;
}

std::optional<QList<BundleEntry>> readZipArchive(const QString &path, QString *error)
{
    int code = 0;
    zip_t *archive = zip_open(QFile::encodeName(path).constData(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
    if (!archive) {
        zip_error_t e;
        zip_error_init_with_code(&e, code);
        *error = IncidentBundle::tr("%1: not a readable zip archive: %2").arg(path, zipErrorText(&e));
        zip_error_fini(&e);
        return std::nullopt;
    }
    QList<BundleEntry> entries;
    const zip_int64_t count = zip_get_num_entries(archive, 0);
    for (zip_int64_t i = 0; i < count; ++i) {
        zip_stat_t stat;
        zip_stat_init(&stat);
        zip_file_t *file = nullptr;
        if (zip_stat_index(archive, zip_uint64_t(i), 0, &stat) == 0)
            file = zip_fopen_index(archive, zip_uint64_t(i), 0);
        if (!file) {
            *error = IncidentBundle::tr("%1: cannot read entry %2: %3")
                         .arg(path)
                         .arg(i)
                         .arg(zipErrorText(zip_get_error(archive)));
            zip_discard(archive);
            return std::nullopt;
        }
        BundleEntry entry{QString::fromUtf8(stat.name), QByteArray(qsizetype(stat.size), Qt::Uninitialized)};
        const zip_int64_t read = zip_fread(file, entry.data.data(), stat.size);
        zip_fclose(file);
        if (read != zip_int64_t(stat.size)) {
            *error = IncidentBundle::tr("%1: entry %2 is damaged").arg(path, entry.name);
            zip_discard(archive);
            return std::nullopt;
        }
        entries.append(std::move(entry));
    }
    zip_discard(archive);
    return entries;
}

} // namespace kw
