#include "eventlogfilterproxymodel.h"

#include "eventlogmodel.h"

namespace kw {

EventLogFilterProxyModel::EventLogFilterProxyModel(QObject *parent) : QSortFilterProxyModel(parent) {}

EventLogFilterProxyModel::~EventLogFilterProxyModel() = default;

void EventLogFilterProxyModel::setEndpoint(const QString &name)
{
    if (name == m_endpoint)
        return;
    m_endpoint = name;
    invalidateFilter();
}

void EventLogFilterProxyModel::setShowRtt(bool show)
{
    if (show == m_showRtt)
        return;
    m_showRtt = show;
    invalidateFilter();
}

bool EventLogFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_showRtt) {
        const QVariant kind = index.data(EventLogModel::KindRole);
        if (kind.isValid() &&
            (kind.value<EventKind>() == EventKind::Rtt || kind.value<EventKind>() == EventKind::TcpInfo))
            return false;
    }
    return m_endpoint.isEmpty() || index.data(EventLogModel::EndpointRole).toString() == m_endpoint;
}

} // namespace kw
