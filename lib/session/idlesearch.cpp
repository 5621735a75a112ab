#include "idlesearch.h"

#include <QCoreApplication>

#include <algorithm>

namespace kw {

using std::chrono::milliseconds;

namespace {

QString seconds(milliseconds value)
{
    return QString::number(double(value.count()) / 1000.0, 'g', 6);
}

} // namespace

QString idleProbeOutcomeName(IdleProbeOutcome outcome)
{
    switch (outcome) {
    case IdleProbeOutcome::Survived:
        return u"survived"_qs;
    case IdleProbeOutcome::SilentDrop:
        return u"silent-drop"_qs;
    case IdleProbeOutcome::Reset:
        return u"reset"_qs;
    case IdleProbeOutcome::Closed:
        return u"closed"_qs;
    }
    return u"survived"_qs;
}

QString idleBehaviourName(IdleBehaviour behaviour)
{
    switch (behaviour) {
    case IdleBehaviour::SilentDrop:
        return u"silent-drop"_qs;
    case IdleBehaviour::Reset:
        return u"reset"_qs;
    case IdleBehaviour::Closed:
        return u"closed"_qs;
    case IdleBehaviour::NoneFound:
        break;
    }
    return u"none-found"_qs;
}

milliseconds IdleSearchOptions::effectiveFirstGap() const
{
    if (firstGap)
        return std::min(*firstGap, max);
    return std::min(milliseconds(5000), max / 2);
}

QStringList validateIdleSearchOptions(const IdleSearchOptions &options)
{
    QStringList problems;
    if (options.max < kMinIdleSearchMax || options.max > kMaxIdleSearchMax)
        problems
            << IdleSearch::tr(
                   "--max %1 s is out of range: give %2–%3 s (3 h covers RFC 5382's minimum of 2 h 4 min)")
                   .arg(seconds(options.max), seconds(kMinIdleSearchMax), seconds(kMaxIdleSearchMax));
    if (options.precision < kMinIdleSearchPrecision || options.precision > options.max)
        problems << IdleSearch::tr(
                        "--precision %1 s is out of range: give %2 s up to --max (%3 s); the default is 1 s")
                        .arg(seconds(options.precision), seconds(kMinIdleSearchPrecision),
                             seconds(options.max));
    if (options.parallel < 1 || options.parallel > kMaxIdleSearchParallel)
        problems << IdleSearch::tr("--parallel %1 is out of range: give 1–%2 connections; the default is 4")
                        .arg(options.parallel)
                        .arg(kMaxIdleSearchParallel);
    if (options.firstGap && (*options.firstGap < kMinIdleSearchPrecision || *options.firstGap > options.max))
        problems << IdleSearch::tr("the first gap %1 s is out of range: give %2 s up to --max (%3 s)")
                        .arg(seconds(*options.firstGap), seconds(kMinIdleSearchPrecision),
                             seconds(options.max));
    return problems;
}

std::optional<milliseconds> IdleSearchResult::idleTimeout() const
{
    if (!shortestDied)
        return std::nullopt;
    return longestSurvived + (*shortestDied - longestSurvived) / 2;
}

IdleRecommendation recommendForIdle(const IdleSearchResult &result)
{
    using std::chrono::seconds;
    IdleRecommendation recommendation;
    recommendation.basedOn = result.longestSurvived;
    const auto wholeSeconds = [](milliseconds value) {
        return std::max(seconds(1), std::chrono::duration_cast<seconds>(value));
    };
    recommendation.keepaliveIdle = wholeSeconds(result.longestSurvived * 2 / 3);
    recommendation.keepaliveInterval = wholeSeconds(result.longestSurvived / 6);
    recommendation.keepaliveCount = 3;
    recommendation.heartbeatInterval = recommendation.keepaliveIdle;
    return recommendation;
}

IdleSearch::IdleSearch(const Clock &clock, const IdleSearchOptions &options)
    : m_clock(clock), m_options(options), m_start(clock.now()), m_nextSeriesGap(options.effectiveFirstGap())
{
    m_options.parallel = std::max(1, m_options.parallel);
    m_options.precision = std::max(milliseconds(1), m_options.precision);
}

IdleProbeRecord *IdleSearch::find(int id)
{
    const auto it =
        std::find_if(m_probes.begin(), m_probes.end(), [id](const IdleProbeRecord &r) { return r.id == id; });
    return it == m_probes.end() ? nullptr : &*it;
}

const IdleProbeRecord *IdleSearch::probe(int id) const
{
    return const_cast<IdleSearch *>(this)->find(id);
}

int IdleSearch::running() const
{
    return int(std::count_if(m_probes.begin(), m_probes.end(),
                             [](const IdleProbeRecord &r) { return !r.outcome && !r.cancelled; }));
}

std::optional<milliseconds> IdleSearch::nextGap() const
{
    const milliseconds upper = m_hi.value_or(m_options.max);
    std::vector<milliseconds> points{m_lo, upper};
    for (const IdleProbeRecord &r : m_probes) {
        if (!r.outcome && !r.cancelled && r.gap > m_lo && r.gap < upper)
            points.push_back(r.gap);
    }
    std::sort(points.begin(), points.end());
    milliseconds widest{0};
    milliseconds from{0};
    for (std::size_t i = 1; i < points.size(); ++i) {
        if (points[i] - points[i - 1] > widest) {
            widest = points[i] - points[i - 1];
            from = points[i - 1];
        }
    }
    // Splitting an interval no wider than the precision cannot narrow the answer any further.
    if (widest <= m_options.precision)
        return std::nullopt;
    return from + widest / 2;
}

std::vector<IdleSearch::Request> IdleSearch::takeRequests()
{
    std::vector<Request> requests;
    while (!m_finished && running() < m_options.parallel) {
        std::optional<milliseconds> gap;
        if (!m_retries.empty()) {
            gap = m_retries.back();
            m_retries.pop_back();
        } else if (!m_hi && !m_seriesDone) {
            // Doubling until max (max itself included once): a short timeout shows up early.
            gap = m_nextSeriesGap;
            if (*gap >= m_options.max) {
                gap = m_options.max;
                m_seriesDone = true;
            } else {
                m_nextSeriesGap = *gap * 2;
            }
        } else {
            gap = nextGap();
        }
        if (!gap)
            break;
        IdleProbeRecord record;
        record.id = m_nextId++;
        record.gap = *gap;
        record.startedAt = m_clock.now();
        m_probes.push_back(record);
        requests.push_back({record.id, record.gap});
    }
    return requests;
}

void IdleSearch::begun(int id)
{
    if (IdleProbeRecord *r = find(id)) {
        r->begun = true;
        r->startedAt = m_clock.now();
        m_anyBegun = true;
    }
}

void IdleSearch::restarted(int id)
{
    if (IdleProbeRecord *r = find(id))
        r->startedAt = m_clock.now();
}

void IdleSearch::report(int id, IdleProbeOutcome outcome, int retransmits)
{
    IdleProbeRecord *r = find(id);
    if (!r || r->outcome || r->cancelled)
        return;
    r->outcome = outcome;
    r->retransmits = retransmits;
    r->idle = r->gap;
    if (outcome != IdleProbeOutcome::Survived) {
        // A RST or FIN during the gap says the flow died after that much idle time, not after the gap.
        const milliseconds idleFor = std::chrono::duration_cast<milliseconds>(m_clock.now() - r->startedAt);
        r->idle = std::clamp(idleFor, milliseconds(0), r->gap);
    }
    settle();
}

void IdleSearch::failed(int id, const QString &reason)
{
    const auto it =
        std::find_if(m_probes.begin(), m_probes.end(), [id](const IdleProbeRecord &r) { return r.id == id; });
    if (it == m_probes.end() || it->outcome || it->cancelled)
        return;
    const milliseconds gap = it->gap;
    m_probes.erase(it);
    ++m_failures;
    if (!m_anyBegun || m_failures > 2 * m_options.parallel) {
        m_error = reason;
        m_finished = true;
        for (IdleProbeRecord &r : m_probes) {
            if (!r.outcome && !r.cancelled) {
                r.cancelled = true;
                m_cancels.push_back(r.id);
            }
        }
        return;
    }
    // Try the same gap again on a new connection: a lost series gap (max above all) would leave a hole.
    m_retries.push_back(gap);
}

void IdleSearch::settle()
{
    m_hi.reset();
    m_hiOutcome.reset();
    for (const IdleProbeRecord &r : m_probes) {
        if (r.outcome && *r.outcome != IdleProbeOutcome::Survived && (!m_hi || r.idle < *m_hi)) {
            m_hi = r.idle;
            m_hiOutcome = r.outcome;
        }
    }
    // Probes at or past the shortest death are cancelled, so every survival lies below it.
    m_lo = milliseconds(0);
    for (const IdleProbeRecord &r : m_probes) {
        if (r.outcome == IdleProbeOutcome::Survived)
            m_lo = std::max(m_lo, r.gap);
    }
    if (m_hi) {
        m_finished = *m_hi - m_lo <= m_options.precision;
    } else {
        m_finished = m_lo >= m_options.max;
    }
    for (IdleProbeRecord &r : m_probes) {
        if (r.outcome || r.cancelled)
            continue;
        if (m_finished || r.gap <= m_lo || (m_hi && r.gap >= *m_hi)) {
            r.cancelled = true;
            m_cancels.push_back(r.id);
        }
    }
}

std::vector<int> IdleSearch::takeCancels()
{
    std::vector<int> cancels;
    cancels.swap(m_cancels);
    return cancels;
}

IdleSearchResult IdleSearch::result() const
{
    IdleSearchResult result;
    result.longestSurvived = m_lo;
    result.shortestDied = m_hi;
    result.probes = m_probes;
    result.elapsed = m_clock.now() - m_start;
    result.error = m_error;
    if (m_hiOutcome) {
        switch (*m_hiOutcome) {
        case IdleProbeOutcome::Reset:
            result.behaviour = IdleBehaviour::Reset;
            break;
        case IdleProbeOutcome::Closed:
            result.behaviour = IdleBehaviour::Closed;
            break;
        case IdleProbeOutcome::SilentDrop:
        case IdleProbeOutcome::Survived:
            result.behaviour = IdleBehaviour::SilentDrop;
            break;
        }
    }
    return result;
}

} // namespace kw
