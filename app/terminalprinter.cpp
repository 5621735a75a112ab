#include "terminalprinter.h"

#include "enginelatenesstext.h"

#include <QIODevice>

#include <algorithm>

#if defined(Q_OS_WIN)
#include <io.h>
#include <windows.h>
#else
#include <unistd.h>
#endif

namespace kw {

using namespace std::chrono;

namespace {

constexpr qsizetype kNameWidth = 20;
constexpr qsizetype kTransitionWidth = 18;
constexpr qsizetype kCauseWidth = 18;
constexpr int kDownListed = 3; // the summary names this many of the endpoints that are down

const QString kArrow = u" \u2192 "_qs;
const QString kDot = u" \u00b7 "_qs;

// SGR parameters (ECMA-48 8.3.117): the state colours of ui/statestyle.cpp, as near as 8 colours get.
QLatin1StringView sgrFor(EndpointState state)
{
    switch (state) {
    case EndpointState::Up:
        return QLatin1StringView("32");
    case EndpointState::Suspect:
        return QLatin1StringView("33");
    case EndpointState::Down:
        return QLatin1StringView("1;31");
    case EndpointState::Waiting:
        return QLatin1StringView("31");
    case EndpointState::Connecting:
        return QLatin1StringView("36");
    case EndpointState::Disabled:
        break;
    }
    return QLatin1StringView("2");
}

QString padded(const QString &plain, const QString &shown, qsizetype width)
{
    return shown + QString(std::max<qsizetype>(0, width - plain.size()), u' ');
}

void chopTrailingSpaces(QString &line)
{
    qsizetype end = line.size();
    while (end > 0 && line.at(end - 1) == u' ')
        --end;
    line.truncate(end);
}

bool isOut(EndpointState state)
{
    return state == EndpointState::Down || state == EndpointState::Waiting ||
           state == EndpointState::Connecting;
}

} // namespace

TerminalPrinter::TerminalPrinter(QIODevice *out, Options options) : m_out(out), m_options(std::move(options))
{}

bool TerminalPrinter::isTerminal(FILE *stream)
{
#if defined(Q_OS_WIN)
    return _isatty(_fileno(stream)) != 0;
#else
    return ::isatty(fileno(stream)) == 1;
#endif
}

bool TerminalPrinter::colorWanted()
{
    if (!qEnvironmentVariableIsEmpty("NO_COLOR"))
        return false;
    if (qEnvironmentVariable("TERM") == u"dumb")
        return false;
#if defined(Q_OS_WIN)
    // A Windows console prints escape sequences as text unless asked to interpret them (Windows 10
    // 1511 and later: ENABLE_VIRTUAL_TERMINAL_PROCESSING); where it cannot, no colours.
    const HANDLE console = GetStdHandle(STD_OUTPUT_HANDLE);
    DWORD mode = 0;
    if (console == INVALID_HANDLE_VALUE || !GetConsoleMode(console, &mode))
        return false;
    constexpr DWORD kVirtualTerminal = 0x0004; // ENABLE_VIRTUAL_TERMINAL_PROCESSING, absent in old SDKs
    return (mode & kVirtualTerminal) || SetConsoleMode(console, mode | kVirtualTerminal);
#else
    return true;
#endif
}

void TerminalPrinter::write(const QString &line)
{
    m_out->write(line.toUtf8() + '\n');
}

QString TerminalPrinter::paint(const QString &text, EndpointState state) const
{
    if (!m_options.color)
        return text;
    return u"\x1b["_qs + sgrFor(state) + u'm' + text + u"\x1b[0m";
}

QString TerminalPrinter::dim(const QString &text) const
{
    return m_options.color ? u"\x1b[2m"_qs + text + u"\x1b[0m" : text;
}

QString TerminalPrinter::clock(const QDateTime &ts) const
{
    return ts.toTimeZone(m_options.zone).toString(u"HH:mm:ss"_qs);
}

QString TerminalPrinter::stateWord(EndpointState state) const
{
    // The names of the event stream and the exports, so a line reads the same as `--events`.
    return QString::fromLatin1(endpointStateName(state));
}

QString TerminalPrinter::age(milliseconds span)
{
    const auto s = duration_cast<seconds>(std::max(span, milliseconds(0))).count();
    if (s < 120)
        return tr("%1 s").arg(s);
    if (s < 2 * 3600)
        return tr("%1 min").arg(s / 60);
    if (s < 2 * 86400)
        return tr("%1 h").arg(s / 3600);
    return tr("%1 d").arg(s / 86400);
}

void TerminalPrinter::noteReconnect(const QDateTime &at)
{
    m_reconnects.push_back(at);
}

QString TerminalPrinter::alertLine(const Event &event) const
{
    const QString alert = event.data.value(u"alert").toString();
    const QString suppressed = event.data.value(u"suppressed").toString();
    if (alert.isEmpty() || suppressed.startsWith(u"below-"))
        return {};
    const EndpointState state = event.state.value_or(EndpointState::Down);
    QString line = dim(clock(event.ts)) + u"  " + event.endpoint.leftJustified(kNameWidth) + u"  ";
    const QString cause = event.causeName();
    if (suppressed.isEmpty()) {
        // The colour of what it announces: a Down or Reminder red, an Up green.
        const EndpointState shownAs = alert == u"up"                             ? EndpointState::Up
                                      : alert == u"down" || alert == u"reminder" ? EndpointState::Down
                                                                                 : state;
        const QString word = tr("alert %1").arg(alert);
        line += padded(word, paint(word, shownAs), kTransitionWidth) + u"  ";
        if (!cause.isEmpty())
            line += padded(cause, paint(cause, shownAs), kCauseWidth) + u"  ";
        line += event.detail;
    } else {
        const QString word = tr("held %1").arg(alert);
        QString rest = word.leftJustified(kTransitionWidth) + u"  ";
        if (!cause.isEmpty())
            rest += cause.leftJustified(kCauseWidth) + u"  ";
        line += dim(rest + event.detail);
    }
    chopTrailingSpaces(line);
    return line;
}

QString TerminalPrinter::eventLine(const Event &event)
{
    if (event.kind == EventKind::Alert)
        return alertLine(event);
    if (!event.state || (event.kind != EventKind::State && event.kind != EventKind::Device))
        return {};
    const EndpointState state = *event.state;
    QString suffix; // after the detail: how long an outage lasted

    QString transitionPlain;
    QString transitionShown;
    if (event.kind == EventKind::Device) {
        // A device's line names the device, so it never reads as the broker's own state.
        transitionPlain = tr("device %1").arg(stateWord(state));
        transitionShown = paint(transitionPlain, state);
    } else {
        Track &track = m_tracks[event.endpoint];
        if (track.out && isOut(state)) {
            if (state != EndpointState::Down)
                return {}; // the retry cycle: waiting, connecting
            if (event.causeName() == track.outCause) {
                ++track.failedAttempts;
                return {}; // the same failure again
            }
            track.outCause = event.causeName();
        } else if (state == EndpointState::Down) {
            track.outSince = event.ts;
            track.outCause = event.causeName();
            track.failedAttempts = 0;
            // Only a connection that was up can be reconnected; a first attempt that fails is not a drop.
            track.outFromUp = track.known &&
                              (track.printed == EndpointState::Up || track.printed == EndpointState::Suspect);
            track.out = true;
        } else if (track.out) {
            // Up, Suspect or Disabled: the outage is over.
            if (state != EndpointState::Disabled) {
                suffix = tr("down for %1").arg(age(milliseconds(track.outSince.msecsTo(event.ts))));
                if (track.failedAttempts == 1)
                    suffix += tr(", 1 more attempt failed");
                else if (track.failedAttempts > 1)
                    suffix += tr(", %1 more attempts failed").arg(track.failedAttempts);
                if (track.outFromUp)
                    noteReconnect(event.ts);
            }
            track.out = false;
        }
        if (track.known) {
            transitionPlain = stateWord(track.printed) + kArrow + stateWord(state);
            transitionShown =
                paint(stateWord(track.printed), track.printed) + kArrow + paint(stateWord(state), state);
        } else {
            transitionPlain = stateWord(state);
            transitionShown = paint(transitionPlain, state);
        }
        track.known = true;
        track.printed = state;
    }

    const QString cause = event.causeName();
    QString line = dim(clock(event.ts)) + u"  " + event.endpoint.leftJustified(kNameWidth) + u"  " +
                   padded(transitionPlain, transitionShown, kTransitionWidth) + u"  ";
    if (!cause.isEmpty())
        line += padded(cause, paint(cause, state), kCauseWidth) + u"  ";
    line += event.detail;
    if (!suffix.isEmpty())
        line += (event.detail.isEmpty() ? QString() : u"  "_qs) + dim(u'(' + suffix + u')');
    chopTrailingSpaces(line);
    return line;
}

void TerminalPrinter::printEvent(const Event &event)
{
    const QString line = eventLine(event);
    if (line.isEmpty())
        return;
    const QDate date = event.ts.toTimeZone(m_options.zone).date();
    if (date != m_lastDate) {
        // Lines carry the time of day only; the date is said once, whenever it changes.
        m_lastDate = date;
        write(dim(u"-- "_qs + date.toString(Qt::ISODate) + u" --"));
    }
    write(line);
}

void TerminalPrinter::printEvents(const QList<Event> &events)
{
    for (const Event &event : events)
        printEvent(event);
}

void TerminalPrinter::printSummary(const QDateTime &now)
{
    if (m_snapshot)
        write(summaryLine(*m_snapshot, now));
}

QString TerminalPrinter::summaryLine(const Snapshot &snapshot, const QDateTime &now)
{
    struct Out
    {
        QDateTime since;
        QString text;
    };
    int up = 0, suspect = 0, connecting = 0, disabled = 0;
    QList<Out> out;
    for (const EndpointSnapshot &endpoint : snapshot.endpoints) {
        switch (endpoint.state) {
        case EndpointState::Up:
            ++up;
            continue;
        case EndpointState::Suspect:
            ++suspect;
            continue;
        case EndpointState::Disabled:
            ++disabled;
            continue;
        case EndpointState::Connecting:
            if (endpoint.cause.isEmpty()) {
                ++connecting; // a first attempt, not an outage
                continue;
            }
            break;
        case EndpointState::Down:
        case EndpointState::Waiting:
            break;
        }
        // The outage began at the first Down this printer saw, not at the latest retry.
        const auto track = m_tracks.constFind(endpoint.name);
        QDateTime since =
            track != m_tracks.cend() && track->out ? track->outSince : endpoint.stats.lastDropAt;
        if (!since.isValid())
            since = endpoint.since;
        QString text = endpoint.name;
        if (!endpoint.cause.isEmpty())
            text += u' ' + endpoint.cause;
        if (since.isValid())
            text += u' ' + age(milliseconds(since.msecsTo(now)));
        out.append({since, text});
    }
    std::stable_sort(out.begin(), out.end(), [](const Out &a, const Out &b) { return a.since < b.since; });

    QStringList parts;
    parts << paint(tr("%1 up").arg(up), EndpointState::Up);
    if (suspect > 0)
        parts << paint(tr("%1 suspect").arg(suspect), EndpointState::Suspect);
    if (!out.isEmpty()) {
        QStringList named;
        for (qsizetype i = 0; i < std::min<qsizetype>(out.size(), kDownListed); ++i)
            named << out.at(i).text;
        if (out.size() > kDownListed)
            named << tr("+%1 more").arg(out.size() - kDownListed);
        parts << paint(tr("%1 down").arg(out.size()), EndpointState::Down) + u" (" + named.join(u", ") + u')';
    }
    if (connecting > 0)
        parts << paint(tr("%1 connecting").arg(connecting), EndpointState::Connecting);
    if (disabled > 0)
        parts << paint(tr("%1 disabled").arg(disabled), EndpointState::Disabled);

    const QDateTime windowStart = now.addSecs(-duration_cast<seconds>(m_options.reconnectWindow).count());
    while (!m_reconnects.empty() && m_reconnects.front() < windowStart)
        m_reconnects.pop_front();
    const auto reconnects = qsizetype(m_reconnects.size());
    const bool hour = m_options.reconnectWindow == minutes(60);
    if (reconnects == 1)
        parts << (hour ? tr("1 reconnect in the last hour")
                       : tr("1 reconnect in the last %1 min").arg(m_options.reconnectWindow.count()));
    else
        parts << (hour ? tr("%1 reconnects in the last hour").arg(reconnects)
                       : tr("%1 reconnects in the last %2 min")
                             .arg(reconnects)
                             .arg(m_options.reconnectWindow.count()));
    // The monitor's own load beside the fleet's figures, so RTTs in the lines above can be read.
    if (const QString lateness = engineLatenessText(snapshot); !lateness.isEmpty())
        parts << dim(lateness);
    return dim(clock(now)) + u"  " + parts.join(kDot);
}

} // namespace kw
