#pragma once

// What the session suites share: an engine context of real timers on the steady clock, and the
// events a session raised, filtered the way the assertions read them.

#include "connectspreader.h"
#include "enginetimers.h"
#include "event.h"
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

    static QList<Event> events(const QSignalSpy &spy, const QString &kind = {}, const QString &state = {})
    {
        QList<Event> result;
        for (const QList<QVariant> &args : spy) {
            const Event e = args.at(0).value<Event>();
            if ((kind.isEmpty() || e.kind == kind) && (state.isEmpty() || e.state == state))
                result.append(e);
        }
        return result;
    }
    static QList<Event> downs(const QSignalSpy &spy)
    {
        return events(spy, QStringLiteral("state"), QStringLiteral("down"));
    }
    static QList<Event> ups(const QSignalSpy &spy)
    {
        return events(spy, QStringLiteral("state"), QStringLiteral("up"));
    }

private:
    SteadyClock m_clock;
    std::unique_ptr<EngineTimers> m_timers;
    std::unique_ptr<ConnectSpreader> m_spreader;
    net::SystemDefaults m_defaults = net::readSystemDefaults();
};

} // namespace kw::test
