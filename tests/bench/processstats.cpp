#include "processstats.h"

#include <QDir>
#include <QFile>
#include <QThread>

#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

namespace kw::bench {

using namespace std::chrono;

namespace {

std::optional<CpuTime> readStat(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray text = file.readAll();
    // The command name is in parentheses and may hold spaces: fields are
    // counted from the last ')' (proc(5): utime is field 14, stime 15).
    const qsizetype close = text.lastIndexOf(')');
    if (close < 0)
        return std::nullopt;
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    if (fields.size() < 13)
        return std::nullopt;
    static const long ticks = ::sysconf(_SC_CLK_TCK);
    const auto toUs = [](const QByteArray &field) {
        return microseconds(field.toLongLong() * 1000000 / ticks);
    };
    return CpuTime{toUs(fields.at(11)), toUs(fields.at(12))};
}

microseconds fromTimeval(const timeval &tv)
{
    return seconds(tv.tv_sec) + microseconds(tv.tv_usec);
}

} // namespace

CpuTime selfCpu()
{
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return CpuTime{fromTimeval(usage.ru_utime), fromTimeval(usage.ru_stime)};
}

std::optional<CpuTime> processCpu(qint64 pid)
{
    return readStat(u"/proc/%1/stat"_qs.arg(pid));
}

QList<ThreadCpu> threadCpu()
{
    QList<ThreadCpu> threads;
    const QDir tasks(u"/proc/self/task"_qs);
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const std::optional<CpuTime> cpu = readStat(tasks.filePath(tid + u"/stat"));
        if (!cpu)
            continue;
        QFile comm(tasks.filePath(tid + u"/comm"));
        QString name;
        if (comm.open(QIODevice::ReadOnly))
            name = QString::fromUtf8(comm.readAll()).trimmed();
        qint64 wakeups = 0;
        QFile status(tasks.filePath(tid + u"/status"));
        if (status.open(QIODevice::ReadOnly)) {
            for (const QByteArray &line : status.readAll().split('\n')) {
                if (line.startsWith("voluntary_ctxt_switches:"))
                    wakeups = line.mid(line.indexOf(':') + 1).trimmed().toLongLong();
            }
        }
        threads.append(ThreadCpu{tid.toLongLong(), name, *cpu, wakeups});
    }
    return threads;
}

MemoryUse selfMemory()
{
    return processMemory(::getpid()).value_or(MemoryUse{});
}

double heapInUseMb()
{
    const struct mallinfo2 info = ::mallinfo2();
    return double(info.uordblks + info.hblkhd) / 1048576.0;
}

std::optional<MemoryUse> processMemory(qint64 pid)
{
    QFile file(u"/proc/%1/status"_qs.arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    MemoryUse memory;
    const auto kbToMb = [](const QByteArray &line) {
        return line.simplified().split(' ').value(1).toDouble() / 1024.0;
    };
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            memory.rssMb = kbToMb(line);
        else if (line.startsWith("VmHWM:"))
            memory.peakMb = kbToMb(line);
    }
    return memory;
}

double cpuPercent(CpuTime before, CpuTime after, steady_clock::duration wall)
{
    const double wallUs = double(duration_cast<microseconds>(wall).count());
    if (wallUs <= 0)
        return 0;
    return 100.0 * double((after.total() - before.total()).count()) / wallUs;
}

qint64 raiseFileLimit()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return -1;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
        ::getrlimit(RLIMIT_NOFILE, &limit);
    }
    return qint64(limit.rlim_cur);
}

QString cpuModel()
{
    QFile file(u"/proc/cpuinfo"_qs);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith("model name"))
            return QString::fromUtf8(line.mid(line.indexOf(':') + 1)).trimmed();
    }
    return {};
}

int onlineCpus()
{
    return QThread::idealThreadCount();
}

} // namespace kw::bench
