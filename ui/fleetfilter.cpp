#include "fleetfilter.h"

#include "endpointpanel.h"
#include "eventlogmodel.h"
#include "eventlogview.h"
#include "fleetreconnectchart.h"

#include <QSet>

namespace kw {

FleetFilter::FleetFilter(FleetReconnectChart *chart, EndpointPanel *list, EventLogView *log)
    : QObject(chart), m_list(list), m_log(log)
{
    setObjectName(QStringLiteral("fleetFilter"));
    connect(chart, &FleetReconnectChart::bucketActivated, this, &FleetFilter::apply);
    connect(list, &EndpointPanel::nameFilterCleared, this, &FleetFilter::clear);
}

FleetFilter::~FleetFilter() = default;

QString FleetFilter::label(const QDateTime &from, const QDateTime &to, const QString &cause)
{
    const QDateTime localFrom = from.toLocalTime();
    const QDateTime localTo = to.toLocalTime();
    const QString format =
        localFrom.date() == QDate::currentDate() ? QStringLiteral("HH:mm") : QStringLiteral("ddd HH:mm");
    return tr("dropped %1–%2 with %3")
        .arg(localFrom.toString(format), localTo.toString(QStringLiteral("HH:mm")),
             FleetReconnectChart::causeLabel(cause));
}

void FleetFilter::apply(const QDateTime &from, const QDateTime &to, const QString &cause,
                        const QStringList &endpoints)
{
    m_active = true;
    m_list->setNameFilter(QSet<QString>(endpoints.cbegin(), endpoints.cend()), label(from, to, cause));
    // Every kind of those endpoints' events in the bar's time, so what led to the drop and the
    // reconnect after it are there too; the log's other filters (kind, state) still apply.
    EventQuery query = m_log->query();
    query.endpoint.clear();
    query.endpoints = endpoints;
    query.since = from;
    query.until = to;
    m_log->model()->setFilter(query);
}

void FleetFilter::clear()
{
    if (!m_active)
        return;
    m_active = false;
    m_log->model()->setFilter(m_log->query());
}

} // namespace kw
