#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace kw {

// One file of an incident bundle: its name inside the zip and its bytes.
struct BundleEntry
{
    QString name;
    QByteArray data;
};

// Writes `entries` as a zip archive (deflate) to `path`, whole or not at all: libzip writes the
// archive to a temporary file beside `path` and renames it over `path` only once every byte is on
// disk, and removes the temporary file when anything fails, so a full disk leaves no half archive
// and an older file at `path` untouched. The error names the file and the fix.
bool writeZipArchive(const QString &path, const QList<BundleEntry> &entries, QString *error);

// Every entry of the archive at `path` in the order stored; nullopt with the reason on error.
std::optional<QList<BundleEntry>> readZipArchive(const QString &path, QString *error);

} // namespace kw
