#pragma once

// What the session suites share: an engine context of real timers on the steady clock, and the
// events a session raised, filtered the way the assertions read them.

#include "connectspreader.h"
#include "enginetimers.h"
#include "event.h"
#include "eventtostring.h"
#include "sessioncontext.h"
#include "systemdefaults.h"

#include <QSignalSpy>

#include <memory>

namespace kw::test {

class SessionKit
{
public:
    SessionKit()
        : m_timers(std::make_unique<EngineTimers>(m_clock)), m_spreader(std::make_unique<ConnectSpreader>())
    {
        qRegisterMetaType<Event>();
    }

    SessionContext context() { return SessionContext{*m_timers, *m_spreader, m_defaults}; }

    // Every event, or those of one kind (and of one state).
    static QList<Event> events(const QSignalSpy &spy, std::optional<EventKind> kind = {},
                               std::optional<EndpointState> state = {})
    {
        QList<Event> result;
        for (const QList<QVariant> &args : spy) {
            const Event e = args.at(0).value<Event>();
            if ((!kind || e.kind == kind) && (!state || e.state == state))
                result.append(e);
        }
        return result;
    }
    static QList<Event> downs(const QSignalSpy &spy)
    {
        return events(spy, EventKind::State, EndpointState::Down);
    }
    static QList<Event> ups(const QSignalSpy &spy)
    {
        return events(spy, EventKind::State, EndpointState::Up);
    }

private:
    SteadyClock m_clock;
    std::unique_ptr<EngineTimers> m_timers;
    std::unique_ptr<ConnectSpreader> m_spreader;
    net::SystemDefaults m_defaults = net::readSystemDefaults();
};

} // namespace kw::test
