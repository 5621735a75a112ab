// EndpointTableModel's sort keys: what EndpointFilterProxyModel compares endpoint rows by, kept per
// row and made again only when the cell changes. The structure is in endpointtablemodel.cpp.
#include "endpointtablemodel.h"

namespace kw {

bool EndpointTableModel::dropTextKeys(Entry &entry, const EndpointSnapshot &next)
{
    const EndpointSnapshot &e = *entry.e;
    if (e.target != next.target)
        entry.textKeys[size_t(textKeySlot(TargetColumn))].reset();
    if (e.cause != next.cause)
        entry.textKeys[size_t(textKeySlot(CauseColumn))].reset();
    if (e.keepalive != next.keepalive)
        entry.textKeys[size_t(textKeySlot(KeepaliveColumn))].reset();
    if (e.tags == next.tags)
        return false;
    entry.textKeys[size_t(textKeySlot(TagsColumn))].reset();
    return true;
}

bool EndpointTableModel::isTextColumn(int column)
{
    return textKeySlot(column) >= 0;
}

int EndpointTableModel::textKeySlot(int column)
{
    switch (column) {
    case NameColumn:
        return 0;
    case TargetColumn:
        return 1;
    case CauseColumn:
        return 2;
    case TagsColumn:
        return 3;
    case KeepaliveColumn:
        return 4;
    default:
        return -1;
    }
}

QString EndpointTableModel::sortText(const EndpointSnapshot &e, int column)
{
    switch (column) {
    case NameColumn:
        return e.name;
    case TargetColumn:
        return e.target;
    case CauseColumn:
        return e.cause;
    case TagsColumn:
        return e.tags.join(QStringLiteral(", ")); // as the cell shows them
    case KeepaliveColumn:
        return e.keepalive;
    default:
        return {};
    }
}

const QCollatorSortKey *EndpointTableModel::textSortKey(const QModelIndex &index) const
{
    const int slot = textKeySlot(index.column());
    if (slot < 0 || !index.isValid() || index.model() != this)
        return nullptr;
    const Entry *entry = nodeOf(index)->entry;
    if (!entry || !entry->e)
        return nullptr;
    std::optional<QCollatorSortKey> &key = entry->textKeys[size_t(slot)];
    if (key)
        return &*key;
    const QString text = sortText(*entry->e, index.column());
    if (index.column() == NameColumn || index.column() == TargetColumn) {
        key = m_collator.sortKey(text);
        return &*key;
    }
    // Causes, tag lists and keepalive lines repeat across endpoints: a collation key is made once per
    // distinct text (making one costs about as much as 5 comparisons), shared by the rows that show it.
    auto it = m_sharedKeys.constFind(text);
    if (it == m_sharedKeys.cend()) {
        if (m_sharedKeys.size() >= kMaxSharedKeys)
            m_sharedKeys.clear();
        it = m_sharedKeys.insert(text, m_collator.sortKey(text));
    }
    key = *it;
    return &*key;
}

int EndpointTableModel::recentDrops(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return 0;
    const Entry *entry = nodeOf(index)->entry;
    if (!entry)
        return 0;
    if (entry->dropsEpoch != m_epoch) {
        if (m_dropsSinceEpoch != m_epoch) {
            m_dropsSince = m_clock().addMSecs(-std::chrono::milliseconds(EndpointHistory::kWindow).count());
            m_dropsSinceEpoch = m_epoch;
        }
        entry->drops = entry->history.dropsSince(m_dropsSince);
        entry->dropsEpoch = m_epoch;
    }
    return entry->drops;
}

} // namespace kw
