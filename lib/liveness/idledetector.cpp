#include "idledetector.h"

#include "endpointstate.h"

#include <algorithm>

namespace kw {

CauseCode idleCause(IdleKind kind)
{
    switch (kind) {
    case IdleKind::Reader:
        return CauseCode::ReaderIdle;
    case IdleKind::Writer:
        return CauseCode::WriterIdle;
    case IdleKind::All:
        return CauseCode::AllIdle;
    }
    return CauseCode::AllIdle;
}

std::chrono::milliseconds IdleParams::limit(IdleKind kind) const
{
    switch (kind) {
    case IdleKind::Reader:
        return reader;
    case IdleKind::Writer:
        return writer;
    case IdleKind::All:
        return all;
    }
    return all;
}

IdleDetector::IdleDetector(IdleParams params, TimePoint start) : m_params(params)
{
    restart(start);
}

void IdleDetector::restart(TimePoint start)
{
    m_lastRead = start;
    m_lastWrite = start;
    m_reader = {};
    m_writer = {};
    m_all = {};
}

void IdleDetector::noteRead(TimePoint at)
{
    m_lastRead = std::max(m_lastRead, at);
    m_reader = {};
    m_all = {};
}

void IdleDetector::noteWrite(TimePoint at)
{
    m_lastWrite = std::max(m_lastWrite, at);
    m_writer = {};
    m_all = {};
}

std::optional<TimePoint> IdleDetector::deadline(std::chrono::milliseconds idle, TimePoint activity,
                                                const Track &track) const
{
    if (idle.count() <= 0)
        return std::nullopt;
    // Netty re-arms its task `idle` after it fired and, when activity happened
    // meanwhile, `idle` after that activity: whichever is later.
    const TimePoint from = track.lastFired ? std::max(*track.lastFired, activity) : activity;
    return from + idle;
}

std::optional<TimePoint> IdleDetector::nextDeadline() const
{
    std::optional<TimePoint> next;
    auto consider = [&next](std::optional<TimePoint> candidate) {
        if (candidate && (!next || *candidate < *next))
            next = candidate;
    };
    consider(deadline(m_params.reader, m_lastRead, m_reader));
    consider(deadline(m_params.writer, m_lastWrite, m_writer));
    consider(deadline(m_params.all, std::max(m_lastRead, m_lastWrite), m_all));
    return next;
}

std::vector<IdleEvent> IdleDetector::poll(TimePoint now)
{
    std::vector<IdleEvent> events;
    auto check = [&](IdleKind kind, std::chrono::milliseconds idle, TimePoint activity, Track &track) {
        const auto due = deadline(idle, activity, track);
        if (!due || now < *due)
            return;
        events.push_back(
            {kind, track.first, std::chrono::duration_cast<std::chrono::milliseconds>(now - activity)});
        track.first = false;
        track.lastFired = now;
    };
    check(IdleKind::Reader, m_params.reader, m_lastRead, m_reader);
    check(IdleKind::Writer, m_params.writer, m_lastWrite, m_writer);
    check(IdleKind::All, m_params.all, std::max(m_lastRead, m_lastWrite), m_all);
    return events;
}

} // namespace kw
