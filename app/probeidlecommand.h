#pragma once

#include "idlesearch.h"

#include <QString>
#include <QStringList>

namespace kw {

// `keepwatch probe-idle HOST:PORT [--max SECONDS] [--precision SECONDS] [--parallel N] [--json]`
struct ProbeIdleOptions
{
    QString host;
    quint16 port = 0;
    IdleSearchOptions search{};
    bool json = false;
};

// The arguments after "probe-idle". Empty on success, else one line naming the problem and the fix.
// `help` is set when --help was given.
QString parseProbeIdleArguments(const QStringList &arguments, ProbeIdleOptions *options, bool *help);

// Needs a QCoreApplication. Exit codes: 0 the search ended (a timeout found, or none up to --max),
// 1 it could not run (the name did not resolve, nothing listens, no route).
int runProbeIdle(const ProbeIdleOptions &options);

} // namespace kw
