#pragma once

#include <QFile>
#include <QString>
#include <QStringList>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <cstring>
#include <unistd.h>
#endif

namespace kw::test {

// Root passes every permission check, so under root (as CI runs) a test of "this user may not write
// here" runs its check as an unprivileged user instead: the real and effective ids drop to nobody
// (65534) for the object's lifetime, so access(2) answers for nobody too, and come back when it
// ends (the saved set-user-ID stays root). The files and directories the check works on are given
// to that user first, as they would belong to the user the application runs as. Not root: nothing
// changes.
class AsUnprivilegedUser
{
public:
    static constexpr unsigned kNobody = 65534;

    explicit AsUnprivilegedUser(const QStringList &owned)
    {
#ifdef Q_OS_UNIX
        if (::geteuid() != 0)
            return;
        for (const QString &path : owned) {
            if (::chown(QFile::encodeName(path).constData(), kNobody, kNobody) != 0) {
                m_error = path + QStringLiteral(": chown to nobody failed: ") +
                          QString::fromLocal8Bit(std::strerror(errno));
                return;
            }
        }
        m_dropped = true;
        if (::setresgid(kNobody, kNobody, 0) != 0 || ::setresuid(kNobody, kNobody, 0) != 0) {
            m_error = QStringLiteral("cannot take the ids of nobody: ") +
                      QString::fromLocal8Bit(std::strerror(errno));
            restore();
        }
#else
        Q_UNUSED(owned);
#endif
    }
    ~AsUnprivilegedUser()
    {
        restore();
    }
    AsUnprivilegedUser(const AsUnprivilegedUser &) = delete;
    AsUnprivilegedUser &operator=(const AsUnprivilegedUser &) = delete;

    // Empty when the check runs as a user that permissions bind.
    QString error() const
    {
        return m_error;
    }

private:
    void restore()
    {
#ifdef Q_OS_UNIX
        if (!m_dropped)
            return;
        m_dropped = false;
        // Back to root: the user id first, since only root may set the group id back. The saved
        // set-user-ID is root, so neither can fail.
        (void)!::setresuid(0, 0, 0);
        (void)!::setresgid(0, 0, 0);
#endif
    }

    bool m_dropped = false;
    QString m_error;
};

} // namespace kw::test
