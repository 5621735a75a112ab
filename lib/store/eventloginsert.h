#pragma once

#include "event.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>

class QSqlDatabase;
class QSqlError;

namespace kw::detail {

// Why a write failed: SQLite's primary result code (-1 when there is none) and its words.
struct SqlFailure
{
    int code = -1;
    QString text;
};

SqlFailure failureOf(const QSqlError &error);

// The data column of an event: compact JSON of Event::allData(), byte for byte what
// QJsonDocument writes (keys sorted); empty when the event has no data, stored as NULL.
// A tcpinfo event's fields are written without a QJsonObject: building one per sample and its
// document was a fifth of what an append cost in kw_bench_eventlogappend.
QByteArray eventDataJson(const Event &event);

// The INSERTs of EventLog::append(), kept prepared across appends. Runs inside the caller's
// transaction; on false the caller rolls it back, and the statements are prepared again next time.
class EventInserter
{
public:
    // Through the SQLite library itself when the Qt driver uses the one this library links (checked
    // at run time, see eventloginsert.cpp) and `direct` allows it; through QSqlQuery otherwise.
    static std::unique_ptr<EventInserter> create(const QSqlDatabase &db, bool direct);
    virtual ~EventInserter() = default;

    virtual bool insert(const QList<Event> &batch, SqlFailure *failure) = 0;
    // True when rows go through the SQLite C API (multi-row statements), false through QSqlQuery.
    virtual bool isDirect() const = 0;
};

} // namespace kw::detail
