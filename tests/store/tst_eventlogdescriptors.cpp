// The event log when this process has no file descriptor left: what a workspace with more endpoints
// than RLIMIT_NOFILE allows does to it. POSIX only (Windows has no per-process descriptor limit).

#include "eventlog.h"

#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

int openDescriptors()
{
    int count = 0;
    for (int fd = 0; fd < 4096; ++fd)
        if (::fcntl(fd, F_GETFD) != -1)
            ++count;
    return count;
}

// Takes every descriptor the process may still open, as 3,000 endpoints' sockets do, and gives them
// back (and the limit) when it goes.
class DescriptorHog
{
public:
    DescriptorHog()
    {
        ::getrlimit(RLIMIT_NOFILE, &m_saved);
        // A low soft limit keeps the test quick whatever limit it was started with.
        rlimit low = m_saved;
        low.rlim_cur = rlim_t(openDescriptors() + 32);
        ::setrlimit(RLIMIT_NOFILE, &low);
        for (;;) {
            const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                m_error = errno;
                break;
            }
            m_held.push_back(fd);
        }
    }
    ~DescriptorHog()
    {
        for (int fd : m_held)
            ::close(fd);
        ::setrlimit(RLIMIT_NOFILE, &m_saved);
    }
    DescriptorHog(const DescriptorHog &) = delete;
    DescriptorHog &operator=(const DescriptorHog &) = delete;

    // EMFILE when every descriptor is taken.
    int error() const { return m_error; }

private:
    rlimit m_saved{};
    std::vector<int> m_held;
    int m_error = 0;
};

QList<kw::Event> batch(int size, int first = 0)
{
    QList<kw::Event> events;
    for (int i = 0; i < size; ++i) {
        kw::Event event =
            kw::Event::stateChange(u"db"_s, kw::EndpointState::Down, kw::Cause(kw::CauseCode::LocalLimit));
        event.ts = QDateTime::fromMSecsSinceEpoch(1795284000000 + first + i, Qt::UTC);
        events << event;
    }
    return events;
}

} // namespace

class TestEventLogDescriptors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void newLogWritesWithNoDescriptorLeft();
    void reopenedLogWritesWithNoDescriptorLeft();
    void openWithNoDescriptorLeftNamesTheCause();
};

void TestEventLogDescriptors::newLogWritesWithNoDescriptorLeft()
{
    // The reported failure: a log created at start, then every descriptor taken by sockets. SQLite used to
    // open -wal and -shm only at the first append, and every append failed.
    QTemporaryDir dir;
    QString error;
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    {
        DescriptorHog hog;
        QCOMPARE(hog.error(), EMFILE);
        for (int b = 0; b < 50; ++b)
            QVERIFY2(log->append(batch(100, b * 100), &error), qPrintable(error));
        QCOMPARE(log->count({}, &error), 5000);
        QCOMPARE(log->query({}, &error).size(), 5000);
    }
    QCOMPARE(log->count({}, &error), 5000);
}

void TestEventLogDescriptors::reopenedLogWritesWithNoDescriptorLeft()
{
    QTemporaryDir dir;
    QString error;
    {
        auto first = kw::EventLog::open(dir.path(), &error);
        QVERIFY2(first, qPrintable(error));
        QVERIFY2(first->append(batch(10), &error), qPrintable(error));
    }
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    DescriptorHog hog;
    QCOMPARE(hog.error(), EMFILE);
    QVERIFY2(log->append(batch(10, 10), &error), qPrintable(error));
    QCOMPARE(log->count({}, &error), 20);
}

void TestEventLogDescriptors::openWithNoDescriptorLeftNamesTheCause()
{
    // Load the SQLite plugin first, as the running monitor has: the failure to show is SQLite's.
    QTemporaryDir loaded;
    QString error;
    QVERIFY2(kw::EventLog::open(loaded.path(), &error), qPrintable(error));

    QTemporaryDir dir;
    std::unique_ptr<kw::EventLog> log;
    {
        DescriptorHog hog;
        QCOMPARE(hog.error(), EMFILE);
        log = kw::EventLog::open(dir.path(), &error);
    }
    QVERIFY(!log);
    QVERIFY2(error.contains(u"this process is out of file descriptors (this process may hold "_s),
             qPrintable(error));
    QVERIFY2(error.contains(u"RLIMIT_NOFILE soft "_s), qPrintable(error));
    QVERIFY2(error.contains(u"ulimit -n"_s), qPrintable(error));
    QVERIFY2(!error.contains(u"check the permissions"_s), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestEventLogDescriptors)
#include "tst_eventlogdescriptors.moc"
