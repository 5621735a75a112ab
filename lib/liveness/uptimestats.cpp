#include "uptimestats.h"

#include <algorithm>
#include <cstddef>

namespace kw {

namespace {

std::optional<std::chrono::milliseconds> meanOf(Duration total, int count)
{
    if (count <= 0)
        return std::nullopt;
    return std::chrono::duration_cast<std::chrono::milliseconds>(total / count);
}

std::optional<double> percent(Duration up, Duration counted)
{
    if (counted <= Duration::zero())
        return std::nullopt;
    // The ratio first: up == counted is then exactly 100 (100 * up / up need not be).
    const double value =
        100.0 * (std::chrono::duration<double>(up).count() / std::chrono::duration<double>(counted).count());
    return std::clamp(value, 0.0, 100.0);
}

} // namespace

UptimeStats::UptimeStats(TimePoint start, EndpointState initial)
    : m_start(start), m_state(initial), m_stateSince(start), m_category(Category::Excluded),
      m_categorySince(start)
{
    m_pending = !isVerdict(initial);
    m_category = categoryOf(initial);
    m_changes.push_back({start, m_category});
}

bool UptimeStats::isVerdict(EndpointState state)
{
    return state == EndpointState::Up || state == EndpointState::Suspect || state == EndpointState::Down;
}

UptimeStats::Category UptimeStats::categoryOf(EndpointState state) const
{
    switch (state) {
    case EndpointState::Up:
    case EndpointState::Suspect:
        return Category::Up;
    case EndpointState::Disabled:
        return Category::Excluded;
    case EndpointState::Connecting:
    case EndpointState::Waiting:
        // The first connect of a watch is not down time: only what follows a verdict is.
        return m_pending ? Category::Excluded : Category::Down;
    case EndpointState::Down:
        return Category::Down;
    }
    return Category::Down;
}

void UptimeStats::noteState(EndpointState state, TimePoint at, const Cause &cause)
{
    at = std::max(at, m_stateSince);
    if (!cause.isNone())
        m_lastCause = cause;
    if (state == EndpointState::Down && state != m_state) {
        m_lastDropCause = cause;
        m_lastDropAt = at;
    }
    if (state == m_state)
        return;
    m_state = state;
    m_stateSince = at;
    if (state == EndpointState::Disabled)
        m_pending = true;
    else if (isVerdict(state))
        m_pending = false;

    const Category next = categoryOf(state);
    if (next == m_category)
        return;

    const Duration spell = at - m_categorySince;
    if (m_category != Category::Excluded)
        m_countedTotal += spell;
    if (m_category == Category::Up)
        m_upTotal += spell;

    if (m_category == Category::Up && next == Category::Down) {
        ++m_failures;
        m_upSpellTotal += spell;
        ++m_upSpells;
        m_failedAt = at;
    } else if (next == Category::Up) {
        if (m_failedAt) {
            ++m_reconnects;
            m_repairTotal += at - *m_failedAt;
            ++m_repairs;
            m_failedAt.reset();
        }
    } else if (next == Category::Excluded) {
        // A user stop ends the repair story: the time spent stopped is not repair time.
        m_failedAt.reset();
    }

    m_category = next;
    m_categorySince = at;
    m_changes.push_back({at, next});
    prune(at);
}

void UptimeStats::prune(TimePoint now)
{
    // Keep the newest change at or before the retention horizon: it says what
    // the state was when the 24 h window opens.
    // The changes are a vector, not a std::deque: a deque's first block is 512 bytes for every
    // endpoint, where most endpoints hold one or two changes. The prefix goes in one erase.
    const TimePoint horizon = now - kRetention;
    std::size_t drop = 0;
    while (m_changes.size() - drop > 1 && m_changes[drop + 1].at <= horizon)
        ++drop;
    drop = std::max(drop, m_changes.size() > kMaxTransitions ? m_changes.size() - kMaxTransitions : 0);
    if (drop > 0)
        m_changes.erase(m_changes.begin(), m_changes.begin() + static_cast<std::ptrdiff_t>(drop));
}

std::optional<double> UptimeStats::uptimePercent(TimePoint now) const
{
    now = std::max(now, m_categorySince);
    Duration up = m_upTotal;
    Duration counted = m_countedTotal;
    const Duration current = now - m_categorySince;
    if (m_category != Category::Excluded)
        counted += current;
    if (m_category == Category::Up)
        up += current;
    return percent(up, counted);
}

std::optional<double> UptimeStats::uptimePercent(TimePoint now, Duration window) const
{
    now = std::max(now, m_categorySince);
    // Before the first remembered change nothing is known (start of watching,
    // or history dropped by the transition cap): the window shrinks to what is known.
    const TimePoint from = std::max(now - window, m_changes.front().at);
    Duration up{};
    Duration counted{};
    // Start at the change in force at `from`: the last one at or before it.
    const auto firstAfter = std::upper_bound(m_changes.begin(), m_changes.end(), from,
                                             [](TimePoint t, const Change &change) { return t < change.at; });
    const auto startIndex =
        static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, firstAfter - m_changes.begin() - 1));
    for (std::size_t i = startIndex; i < m_changes.size(); ++i) {
        const TimePoint begin = std::max(m_changes[i].at, from);
        const TimePoint end = i + 1 < m_changes.size() ? std::min(m_changes[i + 1].at, now) : now;
        if (end <= begin)
            continue;
        const Duration span = end - begin;
        if (m_changes[i].category != Category::Excluded)
            counted += span;
        if (m_changes[i].category == Category::Up)
            up += span;
    }
    return percent(up, counted);
}

std::optional<double> UptimeStats::uptime1hPercent(TimePoint now) const
{
    return uptimePercent(now, std::chrono::hours(1));
}

std::optional<double> UptimeStats::uptime24hPercent(TimePoint now) const
{
    return uptimePercent(now, std::chrono::hours(24));
}

std::optional<std::chrono::milliseconds> UptimeStats::mttr() const
{
    return meanOf(m_repairTotal, m_repairs);
}

std::optional<std::chrono::milliseconds> UptimeStats::mtbf() const
{
    return meanOf(m_upSpellTotal, m_upSpells);
}

} // namespace kw
