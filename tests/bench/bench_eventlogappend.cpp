// What EventLog::append costs per row: batches like the ones the Monitor flushes
// at 10,000 TCP endpoints (about 90 rows every 256 ms: heartbeat RTT and tcpinfo samples, a few state
// changes), appended to a new log in a temporary directory. Prints the appending thread's CPU time
// and the wall time per row, per round and the median of the rounds.
//
//   kw_bench_eventlogappend [BATCHES_PER_ROUND] [ROUNDS] [BATCH_SIZE]

#include "eventlog.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

using namespace kw;
using namespace Qt::StringLiterals;

namespace {

double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// The Monitor's mix: per endpoint one heartbeat RTT and one tcpinfo sample per spacing, so about as
// many of each, and now and then a state change with its cause.
QList<Event> batchOf(int count, const QDateTime &start, qint64 serial, const QList<QString> &names)
{
    QList<Event> batch;
    batch.reserve(count);
    for (int i = 0; i < count; ++i) {
        const qint64 n = serial + i;
        const QString &name = names.at(n % names.size());
        Event e;
        if (n % 25 == 0) {
            e = Event::stateChange(name, n % 50 == 0 ? EndpointState::Down : EndpointState::Up,
                                   n % 50 == 0 ? Cause(CauseCode::Reset) : Cause(),
                                   n % 50 == 0 ? u"connection reset by peer"_s : QString());
        } else if (n % 2 == 0) {
            e = Event::rtt(name, 0.2 + double(n % 97) / 10.0, u"heartbeat"_s);
        } else {
            e.endpoint = name;
            e.kind = EventKind::TcpInfo;
            e.rttMs = 0.3 + double(n % 89) / 10.0;
            e.source = u"tcpinfo"_s;
            TcpInfoSample &sample = e.tcpInfo.emplace();
            sample.set(TcpInfoSample::Probes, 0);
            sample.set(TcpInfoSample::Retransmits, 0);
            sample.set(TcpInfoSample::Unacked, std::uint32_t(n % 3));
            sample.set(TcpInfoSample::TotalRetrans, std::uint32_t(n % 7));
            sample.set(TcpInfoSample::RttVarUs, std::uint32_t(120 + n % 400));
            sample.set(TcpInfoSample::LastDataRecvMs, std::uint32_t(n % 5000));
            sample.set(TcpInfoSample::LastAckRecvMs, std::uint32_t(n % 5000));
            sample.tcpState = TcpInfoSample::stateText("ESTABLISHED");
        }
        e.ts = start.addMSecs(i);
        batch << e;
    }
    return batch;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int batches = args.size() > 1 ? args.at(1).toInt() : 1000;
    const int rounds = args.size() > 2 ? args.at(2).toInt() : 5;
    const int batchSize = args.size() > 3 ? args.at(3).toInt() : 93;
    if (batches <= 0 || rounds <= 0 || batchSize <= 0) {
        std::fprintf(stderr, "usage: kw_bench_eventlogappend [BATCHES_PER_ROUND] [ROUNDS] [BATCH_SIZE]\n");
        return 2;
    }

    QTemporaryDir temp;
    QString error;
    auto log = EventLog::open(temp.path(), &error);
    if (!log) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    QList<QString> names;
    for (int i = 0; i < 10000; ++i)
        names << u"endpoint-"_s + QString::number(i);

    // The batches are built before the clock starts: the Monitor hands append() events it already has.
    const QDateTime start = QDateTime::currentDateTimeUtc();
    qint64 serial = 0;
    std::vector<double> cpuPerRow, wallPerRow;
    for (int round = 0; round < rounds; ++round) {
        std::vector<QList<Event>> work;
        work.reserve(std::size_t(batches));
        for (int b = 0; b < batches; ++b) {
            work.push_back(batchOf(batchSize, start.addMSecs(serial), serial, names));
            serial += batchSize;
        }
        QElapsedTimer wall;
        wall.start();
        const double cpu0 = threadCpuSeconds();
        for (const QList<Event> &batch : work) {
            if (!log->append(batch, &error)) {
                std::fprintf(stderr, "%s\n", qPrintable(error));
                return 1;
            }
        }
        const double cpu = threadCpuSeconds() - cpu0;
        const double rows = double(batches) * batchSize;
        cpuPerRow.push_back(cpu * 1e6 / rows);
        wallPerRow.push_back(double(wall.nsecsElapsed()) / 1e3 / rows);
        std::printf("round %d: %d batches of %d rows: %.2f us CPU a row, %.2f us wall a row\n", round + 1,
                    batches, batchSize, cpuPerRow.back(), wallPerRow.back());
    }
    std::sort(cpuPerRow.begin(), cpuPerRow.end());
    std::sort(wallPerRow.begin(), wallPerRow.end());
    std::printf("median of %d rounds: %.2f us CPU a row, %.2f us wall a row (%lld rows in the log)\n", rounds,
                cpuPerRow[cpuPerRow.size() / 2], wallPerRow[wallPerRow.size() / 2], serial);
    return 0;
}
