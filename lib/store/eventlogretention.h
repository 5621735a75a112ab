#pragma once

#include "eventlog.h"
#include "logjson.h"

#include <QDateTime>
#include <QString>

namespace kw {

// What one EventLogPruner::step() did.
struct PruneStep
{
    qint64 removed = 0;       // events, in one transaction
    int batchRows = 0;        // the batch size this step asked for
    qint64 releasedPages = 0; // free pages handed back to the file system
    bool more = false;        // work is left: call step() again soon
    bool failed = false;
    QString error;
};

// Applies a LogRetention to an EventLog one small step at a time, so that a large backlog (a
// first run over an old log, a lowered limit) never holds the log's writer for long: each step
// is at most one DELETE of kBatchRows rows and one incremental_vacuum of kReleasePages pages. In
// order, a step removes:
//  1. rtt and tcpinfo samples older than keepSamples (oldest first, through the (kind, ts) index);
//  2. every other kind (state, alert, keepalive, info, device) older than keep;
//  3. while the pages in use exceed maxBytes: the oldest samples, and once none are left the
//     oldest events of any kind, until the pages in use are at kShrinkTo of maxBytes.
// The caller (LogRetentionTimer on the engine thread) calls step() again soon while `more`, and
// rarely otherwise. Not thread-safe; uses the log's connection, so the log's thread.
class EventLogPruner
{
public:
    // Rows per DELETE: at most kBatchRows, fewer while a batch takes longer than kTargetStepMs
    // (measured: 1,000 rows cost 30-75 ms on a busy 2-core machine, mostly the scattered pages
    // of the (endpoint, ts) index), so that a step never holds the engine thread for long.
    static constexpr int kBatchRows = 1000;
    static constexpr int kMinBatchRows = 50;
    static constexpr qint64 kTargetStepMs = 15;
    static constexpr qint64 kReleasePages = 256; // 1 MB of 4 KB pages
    // Free pages kept for the next appends instead of being handed back and grown again.
    static constexpr qint64 kKeepFreePages = 256;
    static constexpr double kShrinkTo = 0.95;

    EventLogPruner(EventLog &log, const LogRetention &retention);

    const LogRetention &retention() const { return m_retention; }
    void setRetention(const LogRetention &retention);

    // One step at wall-clock time `now` (UTC; the events' own time base).
    PruneStep step(const QDateTime &now);

private:
    qint64 removeSamples(const std::optional<QDateTime> &before, QString *error);
    qint64 remove(const EventPrune &prune, QString *error);

    EventLog &m_log;
    LogRetention m_retention;
    bool m_shrinking = false; // over maxBytes: removing until kShrinkTo
    bool m_rttFirst = true;   // which sample kind goes first, alternating
    int m_batchRows = kBatchRows;
};

} // namespace kw
