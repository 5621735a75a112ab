#include "recentfiles.h"

#include <QFileInfo>
#include <QSettings>

namespace kw {

namespace {
const QString kRecentKey = QStringLiteral("workspace/recent");
}

QStringList RecentFiles::paths() const
{
    return m_settings->value(kRecentKey).toStringList().mid(0, kMax);
}

void RecentFiles::add(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList list = paths();
    list.removeAll(absolute);
    list.prepend(absolute);
    store(list.mid(0, kMax));
}

void RecentFiles::remove(const QString &path)
{
    QStringList list = paths();
    if (list.removeAll(QFileInfo(path).absoluteFilePath()) > 0)
        store(list);
}

void RecentFiles::clear()
{
    m_settings->remove(kRecentKey);
}

QStringList RecentFiles::prune()
{
    QStringList kept;
    QStringList missing;
    for (const QString &path : paths())
        (QFileInfo(path).isFile() ? kept : missing) << path;
    if (!missing.isEmpty())
        store(kept);
    return missing;
}

void RecentFiles::store(const QStringList &paths)
{
    m_settings->setValue(kRecentKey, paths);
}

} // namespace kw
