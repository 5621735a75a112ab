#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

#include <chrono>

namespace kw {

// Times and durations as a person reads them in a table cell.
class TimeFormat
{
    Q_DECLARE_TR_FUNCTIONS(kw::TimeFormat)

public:
    // "just now", "42 s ago", "3 min ago", "2 h ago", "5 d ago"; a time in the
    // future reads "in 12 s". Empty for an invalid time.
    static QString relative(const QDateTime &then, const QDateTime &now);
    // The time between two instants in the same compact words: "47 s", "3 min", "2 h".
    static QString span(const QDateTime &from, const QDateTime &to);
    // Local wall clock with the date, for tooltips: "2026-11-21 19:02:03".
    static QString absolute(const QDateTime &time);
    // "850 ms", "12.3 s", "4 min 10 s", "2 h 5 min", "3 d 4 h".
    static QString duration(std::chrono::milliseconds span);
};

} // namespace kw
