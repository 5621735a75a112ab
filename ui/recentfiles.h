#pragma once

#include <QString>
#include <QStringList>

class QSettings;

namespace kw {

// The workspace files opened or saved last, newest first, at most kMax, kept in QSettings under
// "workspace/recent". Paths are stored absolute, so the same file is listed once.
class RecentFiles final
{
public:
    static constexpr int kMax = 8;

    explicit RecentFiles(QSettings *settings) : m_settings(settings) {}

    QStringList paths() const;
    // Moves `path` to the front (adding it when new) and keeps the newest kMax.
    void add(const QString &path);
    void remove(const QString &path);
    void clear();
    // Drops the files that no longer exist; returns them, so the window can say so.
    QStringList prune();

private:
    void store(const QStringList &paths);

    QSettings *m_settings;
};

} // namespace kw
