#pragma once

#include "idlesearch.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace kw {

// The words of an idle-timeout search, written once for `keepwatch probe-idle` and the window's
// "Find path idle timeout…" dialog (translation context "kw::ProbeIdle").
class ProbeIdle
{
    Q_DECLARE_TR_FUNCTIONS(kw::ProbeIdle)

public:
    // "12", "0.5", "1.25": seconds with no more digits than the value has.
    static QString secondsText(std::chrono::milliseconds value);
    // "Probing how long the path to … keeps an idle TCP connection: …"
    static QString introText(const QString &target, const IdleSearchOptions &options);
    // "bracket (5 s, 10 s]", or "bracket (600 s, ≥ 600 s]" while nothing died.
    static QString bracketText(const IdleSearch &search);
    // "  probe 3: idle 20 s (connected)"
    static QString probeStartedText(const IdleSearch &search, int id, bool reused);
    // "  probe 3: 20 s idle: silent-drop; bracket (10 s, 20 s]"
    static QString probeEndedText(const IdleSearch &search, int id);
    // "  probe 4: 40 s no longer needed, closed"
    static QString probeCancelledText(const IdleSearch &search, int id);
    // What the path does to idle connections; empty for none-found.
    static QString behaviourText(IdleBehaviour behaviour);
    // "Idle timeout: about …" or "No idle timeout up to …", then the behaviour when one was found.
    static QStringList resultLines(const IdleSearchResult &result);
    // The recommendation as the command prints it: a heading and the workspace keys to paste.
    static QStringList recommendationLines(const IdleSearchResult &result);
};

} // namespace kw
