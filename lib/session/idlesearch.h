#pragma once

#include "clock.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>
#include <vector>

namespace kw {

// What one idle probe saw when it wrote after its gap (or earlier, when the path spoke first).
enum class IdleProbeOutcome {
    Survived,   // the write was acknowledged or answered: the path still knew the connection
    SilentDrop, // the write was never acknowledged: a middlebox forgot the flow and drops its packets
    Reset,      // a RST came back (or arrived on its own while idle)
    Closed,     // a FIN arrived while idle: the peer or a proxy closes idle connections itself
};
QString idleProbeOutcomeName(IdleProbeOutcome outcome); // "survived", "silent-drop", "reset", "closed"

// What the path does to idle connections, as `probe-idle` reports it.
enum class IdleBehaviour { SilentDrop, Reset, Closed, NoneFound };
QString idleBehaviourName(IdleBehaviour behaviour); // "silent-drop", "reset", "closed", "none-found"

struct IdleSearchOptions
{
    std::chrono::milliseconds max{std::chrono::minutes(10)};      // the longest gap tried
    std::chrono::milliseconds precision{std::chrono::seconds(1)}; // the bracket is narrowed to this width
    int parallel = 4;                                             // connections idling at the same time
    // The first gap of the doubling series; unset: 5 s, or half of max when max is shorter than 10 s.
    std::optional<std::chrono::milliseconds> firstGap{};

    std::chrono::milliseconds effectiveFirstGap() const;
};

// Limits of the options, checked once for the command line and the tests: empty when valid, otherwise
// one message per bad option naming the value, the range and the fix.
QStringList validateIdleSearchOptions(const IdleSearchOptions &options);
inline constexpr std::chrono::milliseconds kMinIdleSearchMax{1000};
inline constexpr std::chrono::milliseconds kMaxIdleSearchMax{
    std::chrono::hours(3)}; // past RFC 5382's 2 h 4 min
inline constexpr std::chrono::milliseconds kMinIdleSearchPrecision{100};
inline constexpr int kMaxIdleSearchParallel = 32;

struct IdleProbeRecord
{
    int id = 0;
    std::chrono::milliseconds gap{0};
    std::optional<IdleProbeOutcome> outcome{}; // unset while running, or when cancelled
    // How long the connection had been idle when the outcome was seen: the gap, or less when a RST or FIN
    // arrived during it.
    std::chrono::milliseconds idle{0};
    bool cancelled = false; // stopped because its answer was no longer needed
    bool begun = false;     // connected; its gap started
    int retransmits = 0;   // the write was retransmitted this often before it was acknowledged (a lossy path)
    TimePoint startedAt{}; // when its gap last started
};

struct IdleSearchResult
{
    IdleBehaviour behaviour = IdleBehaviour::NoneFound;
    std::chrono::milliseconds longestSurvived{0};            // lower end of the bracket
    std::optional<std::chrono::milliseconds> shortestDied{}; // upper end; unset: none found up to max
    std::vector<IdleProbeRecord> probes{};
    Duration elapsed{};
    QString error{}; // set when the search could not run (no connection could be made)

    // The middle of the bracket when a timeout was found.
    std::optional<std::chrono::milliseconds> idleTimeout() const;
};

// Settings comfortably below what the search found, so a path that forgets idle flows never sees one
// idle that long: the first keepalive probe (and a heartbeat, and an MQTT keep alive) after at most 2/3
// of the longest idle that survived, later probes every 1/6 of it (one lost probe still refreshes the
// middlebox in time), 3 probes. With none found, the same rule over max: safe up to what was tested.
struct IdleRecommendation
{
    std::chrono::milliseconds basedOn{0}; // the longest idle that survived (max when none was found)
    std::chrono::seconds keepaliveIdle{1};
    std::chrono::seconds keepaliveInterval{1};
    int keepaliveCount = 3;
    std::chrono::seconds heartbeatInterval{1};
};
IdleRecommendation recommendForIdle(const IdleSearchResult &result);

// The search for a path's idle timeout, as pure logic over "probe this gap → survived / silent-drop /
// reset / closed": whoever owns the sockets (IdleProber) asks takeRequests() for gaps to try, reports when
// each probe's idle time begins and what it saw, and closes the probes takeCancels() names.
//
// The method: gaps double from the first gap up to max (one connection each, several at once); free
// connections meanwhile split the widest open interval of the bracket, so the bracket (longest gap that
// survived, shortest that died] narrows while the long gaps still run. Probes whose answer is already
// known (a gap at or past the shortest death, or at or below the longest survival) are cancelled, and what
// a cancelled probe would have said is ignored, so a result never contradicts the bracket. Done
// when the bracket is at most `precision` wide, or when max survived ("none-found").
class IdleSearch
{
    Q_DECLARE_TR_FUNCTIONS(kw::IdleSearch)

public:
    struct Request
    {
        int id = 0;
        std::chrono::milliseconds gap{0};
    };

    IdleSearch(const Clock &clock, const IdleSearchOptions &options);

    const IdleSearchOptions &options() const { return m_options; }

    // Probes to start now: at most `parallel` run at once. Empty when finished or nothing useful is left.
    std::vector<Request> takeRequests();
    // The probe's connection is up (or a reused one was handed to it): its gap starts now.
    void begun(int id);
    // The peer sent data during the gap: the path saw traffic, so the idle time starts again.
    void restarted(int id);
    // `retransmits`: how often the write was retransmitted before its acknowledgement (TCP_INFO), kept
    // for the report; the path carried it all the same.
    void report(int id, IdleProbeOutcome outcome, int retransmits = 0);
    // The probe could not connect. Before any probe connected this ends the search with `reason`; later
    // ones are retried until 2 × parallel have failed.
    void failed(int id, const QString &reason);
    // Running probes whose answer is no longer needed; the caller closes them without reporting.
    std::vector<int> takeCancels();

    bool finished() const { return m_finished; }
    std::chrono::milliseconds longestSurvived() const { return m_lo; }
    std::optional<std::chrono::milliseconds> shortestDied() const { return m_hi; }
    const IdleProbeRecord *probe(int id) const;
    int running() const;
    IdleSearchResult result() const;

private:
    IdleProbeRecord *find(int id);
    std::optional<std::chrono::milliseconds> nextGap() const;
    void settle();

    const Clock &m_clock;
    IdleSearchOptions m_options;
    TimePoint m_start;
    std::vector<IdleProbeRecord> m_probes;
    std::vector<int> m_cancels;
    std::vector<std::chrono::milliseconds> m_retries; // gaps whose connection failed, to try again
    std::chrono::milliseconds m_nextSeriesGap{0};
    bool m_seriesDone = false;
    std::chrono::milliseconds m_lo{0};
    std::optional<std::chrono::milliseconds> m_hi;
    std::optional<IdleProbeOutcome> m_hiOutcome;
    int m_failures = 0;
    bool m_anyBegun = false;
    bool m_finished = false;
    QString m_error;
    int m_nextId = 1;
};

} // namespace kw
