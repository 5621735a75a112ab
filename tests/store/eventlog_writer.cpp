// Appends batches of events to DATADIR/events.sqlite forever, printing the
// number of events committed after each batch, until it is killed.
#include "eventlog.h"

#include <QCoreApplication>
#include <QStringList>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 3) {
        std::fprintf(stderr, "usage: eventlog_writer DATADIR BATCH_SIZE\n");
        return 2;
    }
    QString error;
    const std::unique_ptr<kw::EventLog> log = kw::EventLog::open(args.at(1), &error);
    if (!log) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    const int batchSize = args.at(2).toInt();
    qint64 committed = 0;
    for (;;) {
        QList<kw::Event> batch;
        for (int i = 0; i < batchSize; ++i) {
            kw::Event event = kw::Event::rtt(u"writer"_s, double(committed + i) / 8.0, u"connect"_s);
            event.data.insert(u"seq"_s, committed + i);
            batch << event;
        }
        if (!log->append(batch, &error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
        committed += batchSize;
        std::printf("%lld\n", static_cast<long long>(committed));
        std::fflush(stdout);
    }
}
