#pragma once

#include "event.h"
#include "snapshot.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QString>
#include <QTimeZone>

#include <chrono>
#include <cstdio>
#include <deque>

class QIODevice;

namespace kw {

// What `keepwatch --headless` prints on a terminal when --events is not given: one line per
// state change and, on demand, a one-line summary of the fleet.
//
//   12:40:03  db-replica            up → down        keepalive-timeout  no ACK for 3 keepalive probes
//   12:41:00  38 up · 1 suspect · 2 down (db-replica keepalive-timeout 57 s, cache reset 20 s) · ...
//
// A retry cycle is folded: while an endpoint stays down, its waiting and connecting steps and
// further failures with the same cause are not printed again (the summary keeps saying it is
// down); the line that says it is back carries how long it was down and how many attempts failed.
// Lines are written whole, one write per line, so nothing interleaves with stderr mid-line.
class TerminalPrinter
{
    Q_DECLARE_TR_FUNCTIONS(kw::TerminalPrinter)

public:
    struct Options
    {
        bool color = false;                           // ANSI SGR colours by state
        QTimeZone zone = QTimeZone::systemTimeZone(); // the wall clock the times are shown in
        std::chrono::minutes reconnectWindow{60};     // "… reconnects in the last hour"
    };

    TerminalPrinter(QIODevice *out, Options options);

    void printEvents(const QList<Event> &events);
    void printEvent(const Event &event);
    // Keeps the latest snapshot for the summary; nothing is printed.
    void setSnapshot(SnapshotPtr snapshot) { m_snapshot = std::move(snapshot); }
    // Prints the summary of the latest snapshot (nothing before the first one).
    void printSummary(const QDateTime &now);

    // The line printEvent() would print next for this event, without a newline; empty when the
    // event is folded or not a state change or an alert. Updates what the printer remembers of the endpoint.
    QString eventLine(const Event &event);
    QString summaryLine(const Snapshot &snapshot, const QDateTime &now);

    // Whether a stream is a terminal (isatty / _isatty).
    static bool isTerminal(FILE *stream);
    // Colour unless NO_COLOR is set to anything non-empty (no-color.org) or TERM is "dumb".
    static bool colorWanted();

private:
    struct Track
    {
        EndpointState printed = EndpointState::Disabled;
        bool known = false;
        bool out = false;       // between a Down and the next Up/Suspect/Disabled
        bool outFromUp = false; // the outage began with a drop, not with a first attempt failing
        QString outCause;
        QDateTime outSince;
        int failedAttempts = 0;
    };

    void write(const QString &line);
    QString paint(const QString &text, EndpointState state) const;
    QString dim(const QString &text) const;
    QString clock(const QDateTime &ts) const;
    QString stateWord(EndpointState state) const;
    // An "alert" event: announced ones in the colour of the state, held ones dim; the held
    // failed checks below down_after / up_after are left out like the retry cycle.
    QString alertLine(const Event &event) const;
    // "20 s", "3 min", "2 h", "4 d": the ages in a summary, whole units.
    static QString age(std::chrono::milliseconds span);
    void noteReconnect(const QDateTime &at);

    QIODevice *m_out;
    Options m_options;
    SnapshotPtr m_snapshot;
    QHash<QString, Track> m_tracks;
    std::deque<QDateTime> m_reconnects; // oldest first, within the window
    QDate m_lastDate;                   // a line with the date when it changes
};

} // namespace kw
