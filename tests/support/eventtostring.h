#pragma once

// QCOMPARE prints its operands through toString(), found by argument-dependent lookup. Without these a
// failed comparison of a cause, kind or state would print nothing but "Compared values are not the
// same"; with them it prints the names the event log uses. Header-only, for the suites that link kw_store.

#include "event.h"

#include <QByteArray>

namespace kw {

inline char *toString(EventKind kind)
{
    return qstrdup(eventKindName(kind).toUtf8().constData());
}

inline char *toString(const std::optional<EventKind> &kind)
{
    return qstrdup(kind ? eventKindName(*kind).toUtf8().constData() : "(no kind)");
}

inline char *toString(EndpointState state)
{
    return qstrdup(std::string(endpointStateName(state)).c_str());
}

inline char *toString(const std::optional<EndpointState> &state)
{
    return qstrdup(state ? std::string(endpointStateName(*state)).c_str() : "(no state)");
}

inline char *toString(const Cause &cause)
{
    return qstrdup(cause.isNone() ? "(no cause)" : cause.name().c_str());
}

} // namespace kw
