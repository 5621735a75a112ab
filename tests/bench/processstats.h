#pragma once

#include <QList>
#include <QString>

#include <chrono>
#include <optional>

namespace kw::bench {

// CPU time a process or thread has used, from /proc/<pid>/stat (utime + stime).
struct CpuTime
{
    std::chrono::microseconds user{0};
    std::chrono::microseconds system{0};
    std::chrono::microseconds total() const { return user + system; }
};

struct ThreadCpu
{
    qint64 tid = 0;
    QString name; // /proc/.../comm, at most 15 characters
    CpuTime cpu;
    // Voluntary context switches (proc(5) status): how often the thread went
    // to sleep in poll() and was woken again.
    qint64 wakeups = 0;
};

struct MemoryUse
{
    double rssMb = 0;  // VmRSS
    double peakMb = 0; // VmHWM
};

// This process, from getrusage(RUSAGE_SELF): every thread, µs resolution.
CpuTime selfCpu();
// Another process (the peers), clock-tick resolution; nullopt when it is gone.
std::optional<CpuTime> processCpu(qint64 pid);
// Every thread of this process, by name.
QList<ThreadCpu> threadCpu();
MemoryUse selfMemory();
// Heap in use by this process's malloc (every arena and mmapped chunk: mallinfo2), in MB.
double heapInUseMb();
// Another process's VmRSS and VmHWM; nullopt when it is gone.
std::optional<MemoryUse> processMemory(qint64 pid);

// CPU used between two readings as percent of one core.
double cpuPercent(CpuTime before, CpuTime after, std::chrono::steady_clock::duration wall);

// Raises RLIMIT_NOFILE to the hard limit; returns the soft limit now in force.
qint64 raiseFileLimit();

QString cpuModel();
int onlineCpus();

} // namespace kw::bench
