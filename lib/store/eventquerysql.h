#pragma once

#include "eventlog.h"

#include <QString>
#include <QVariantList>

namespace kw::detail {

// An EventQuery as the WHERE clause of a SELECT on the events table, with its bound values in order.
struct WhereClause
{
    QString sql; // empty, or " WHERE ..."
    QVariantList values;
};

WhereClause whereClause(const EventQuery &query);

} // namespace kw::detail
