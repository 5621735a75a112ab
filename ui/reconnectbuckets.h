#pragma once

#include "event.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <atomic>
#include <chrono>
#include <limits>
#include <utility>

namespace kw {

class EventLog;

// Reconnects across every endpoint counted per time bucket and cause: what the fleet reconnect chart
// draws and what a click on one of its bars filters by. A reconnect is a state change to Down, except
// one the user asked for (cause "stopped"). Each bucket also keeps which endpoints dropped, per cause.
//
// Plain data with Qt Core only, so the history is counted on the history reader's thread and only
// the counts travel to the window; live events are added to the same object there.
//
// Buckets are aligned to multiples of `width` since the epoch (UTC), so a bar of 15 minutes always
// starts at :00, :15, :30 or :45 and a reload shows the same bars.
class ReconnectBuckets
{
public:
    struct CauseCount
    {
        QString cause; // "keepalive-timeout", "ws-close:1006"; empty for a drop that named none
        int drops = 0;
        bool operator==(const CauseCount &) const = default;
    };

    ReconnectBuckets() = default; // no buckets: counts nothing
    // `count` buckets of `width`, the last one holding `now`.
    ReconnectBuckets(const QDateTime &now, std::chrono::milliseconds width, int count);

    // Whether `event` is a reconnect at all (whatever its time).
    static bool isReconnect(const Event &event);

    // Counts `event` when it is a reconnect inside the range; true when it was counted.
    bool add(const Event &event);
    // Slides the range so that its last bucket holds `now`: older buckets are dropped, new ones
    // start empty. True when the buckets moved.
    bool advanceTo(const QDateTime &now);

    // Counts every reconnect `log` holds for the range; false with the reason in *error. Stops early,
    // returning true with what it counted so far, once `cancelled` turns true.
    bool countLog(const EventLog &log, const std::atomic_bool &cancelled, QString *error);

    int size() const { return int(m_buckets.size()); }
    bool isEmpty() const { return m_total == 0; }
    std::chrono::milliseconds width() const { return m_width; }
    QDateTime since() const;                // start of the first bucket (UTC)
    QDateTime until() const;                // end of the last bucket, exclusive
    QDateTime bucketStart(int index) const; // UTC
    QDateTime bucketEnd(int index) const;   // exclusive
    int indexOf(const QDateTime &ts) const; // -1 outside the range

    // The newest reconnect counted (UTC); invalid when none was. Everything the engine publishes is
    // in the log already (it writes each batch before it emits it), so a live event not newer than
    // this was counted by countLog() and must not be added again.
    QDateTime latest() const;

    int total() const { return m_total; }
    int total(int index) const;
    int count(int index, const QString &cause) const;
    int maxTotal() const; // the tallest bar
    // Every cause in the range, most drops first (ties by name).
    QList<CauseCount> causes() const;
    // The causes of one bucket, most drops first (ties by name).
    QList<CauseCount> causes(int index) const;
    // The endpoints that dropped in bucket `index`: with any cause, or with `cause`; sorted, each once.
    QStringList endpoints(int index) const;
    QStringList endpoints(int index, const QString &cause) const;
    // Every endpoint that dropped in the range, each once.
    int endpointCount() const;

private:
    struct Cell
    {
        int drops = 0;
        QSet<QString> endpoints;
    };
    struct Bucket
    {
        int total = 0;
        QHash<QString, Cell> byCause;
    };
    static QList<CauseCount> sorted(const QHash<QString, int> &counts);

    std::chrono::milliseconds m_width{0};
    qint64 m_firstMs = 0; // start of bucket 0, ms since the epoch
    QList<Bucket> m_buckets;
    int m_total = 0;
    qint64 m_latestMs = std::numeric_limits<qint64>::min();
};

} // namespace kw
