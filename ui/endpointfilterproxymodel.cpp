#include "endpointfilterproxymodel.h"

#include "endpointtablemodel.h"

namespace kw {

EndpointFilterProxyModel::EndpointFilterProxyModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(EndpointTableModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setSortLocaleAware(true);
    // Re-sort and re-filter when a snapshot changes a state or an RTT.
    setDynamicSortFilter(true);
}

EndpointFilterProxyModel::~EndpointFilterProxyModel() = default;

void EndpointFilterProxyModel::setFilterText(const QString &text)
{
    if (text == m_text)
        return;
    // Qt 6.4 has no begin/endFilterChange; invalidateFilter() is the way.
    m_text = text;
    m_words = text.split(u' ', Qt::SkipEmptyParts);
    invalidateFilter();
}

bool EndpointFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_words.isEmpty())
        return true;
    const QString haystack =
        sourceModel()->index(sourceRow, 0, sourceParent).data(EndpointTableModel::FilterRole).toString();
    for (const QString &word : m_words) {
        if (!haystack.contains(word, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

} // namespace kw
