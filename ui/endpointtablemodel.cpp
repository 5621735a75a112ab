#include "endpointtablemodel.h"

#include "statestyle.h"

#include <QGuiApplication>
#include <QLocale>
#include <QMap>
#include <QSet>

#include <algorithm>
#include <array>
#include <utility>

namespace kw {

namespace {
std::array<int, 4> deviceCounts(const EndpointSnapshot &e)
{
    if (!e.mqtt)
        return {};
    return {e.mqtt->devicesUp, e.mqtt->devicesSilent, e.mqtt->devicesWill, e.mqtt->devicesAwaiting};
}

// Which columns show something that differs between two snapshots of the same
// endpoint. Tooltips count: a new detection bound changes the keepalive cell.
std::bitset<EndpointTableModel::ColumnCount> changedColumns(const EndpointSnapshot &a,
                                                            const EndpointSnapshot &b)
{
    std::bitset<EndpointTableModel::ColumnCount> changed;
    if (a.kind != b.kind)
        changed.set(EndpointTableModel::NameColumn)
            .set(EndpointTableModel::KindColumn)
            .set(EndpointTableModel::TargetColumn);
    if (a.target != b.target)
        changed.set(EndpointTableModel::TargetColumn);
    if (a.state != b.state || a.detail != b.detail || a.nextAttempt != b.nextAttempt ||
        a.enabled != b.enabled || deviceCounts(a) != deviceCounts(b) || a.peers != b.peers)
        changed.set(EndpointTableModel::StateColumn);
    if (a.cause != b.cause || a.detail != b.detail)
        changed.set(EndpointTableModel::CauseColumn);
    if (a.since != b.since)
        changed.set(EndpointTableModel::SinceColumn);
    if (a.stats.reconnects != b.stats.reconnects || a.stats.flapping != b.stats.flapping)
        changed.set(EndpointTableModel::ReconnectsColumn);
    if (a.lastRttMs != b.lastRttMs || a.lastRttSource != b.lastRttSource)
        changed.set(EndpointTableModel::RttColumn);
    if (a.stats.uptimePending != b.stats.uptimePending ||
        a.stats.uptimeSessionPercent != b.stats.uptimeSessionPercent ||
        a.stats.uptime1hPercent != b.stats.uptime1hPercent ||
        a.stats.uptime24hPercent != b.stats.uptime24hPercent)
        changed.set(EndpointTableModel::UptimeColumn);
    if (a.tags != b.tags)
        changed.set(EndpointTableModel::TagsColumn);
    if (a.keepalive != b.keepalive || a.detectionBound != b.detectionBound)
        changed.set(EndpointTableModel::KeepaliveColumn);
    // The state tints the whole row (background, greyed text when disabled).
    if (a.state != b.state)
        changed.set();
    return changed;
}

// Group rows list tags in order, with the untagged endpoints last.
bool groupBefore(const QString &a, const QString &b)
{
    if (a.isEmpty() != b.isEmpty())
        return b.isEmpty();
    return QString::compare(a, b, Qt::CaseInsensitive) < 0;
}
} // namespace

EndpointTableModel::EndpointTableModel(QObject *parent)
    : QAbstractItemModel(parent), m_clock([] { return QDateTime::currentDateTimeUtc(); }),
      m_dark(StateStyle::isDark(QGuiApplication::palette()))
{
    // Names and targets in the order a person expects: "ep-2" before "ep-10", case ignored. The C
    // locale's collation knows no numbers, so it borrows English's there.
    if (QLocale().language() == QLocale::C)
        m_collator = QCollator(QLocale(QLocale::English, QLocale::UnitedStates));
    m_collator.setNumericMode(true);
    m_collator.setCaseSensitivity(Qt::CaseInsensitive);
}

EndpointTableModel::~EndpointTableModel() = default;

void EndpointTableModel::setClock(Clock clock)
{
    m_clock = std::move(clock);
    for (Entry *entry : std::as_const(m_order))
        entry->strip.reset();
    refreshRelativeTimes();
}

void EndpointTableModel::refreshRelativeTimes()
{
    ++m_epoch;
    if (m_order.isEmpty())
        return;
    // Strips not drawn for a while are let go: memory for the rows in view, not for all of them.
    const qint64 second = m_clock().toMSecsSinceEpoch() / 1000;
    for (Entry *entry : std::as_const(m_order)) {
        if (entry->strip && second - entry->stripSecond > 2)
            entry->strip.reset();
    }
    // "3 min ago" ages and the strips slide left. QSortFilterProxyModel (6.4) looks at every row of
    // a dataChanged range whatever its roles, and re-sorts them when the range holds the sort column:
    // so the range leaves out the state column, the one most often sorted by (at 10,000 rows that
    // check was the window's longest stall). The state's tooltip ("next attempt in 12 s") is asked
    // for when shown, so it needs no signal.
    static_assert(StateColumn + 1 == StripColumn && StripColumn < SinceColumn);
    const auto refresh = [this](const QModelIndex &parent, int rows) {
        if (rows > 0)
            Q_EMIT dataChanged(index(0, StripColumn, parent), index(rows - 1, SinceColumn, parent),
                               {Qt::DisplayRole, Qt::ToolTipRole, StripRole});
    };
    if (m_grouping == Grouping::None) {
        refresh({}, int(m_root.children.size()));
        return;
    }
    for (int g = 0; g < int(m_root.children.size()); ++g)
        refresh(index(g, 0), int(m_root.children[size_t(g)]->children.size()));
}

void EndpointTableModel::setDarkPalette(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    const QList<int> roles{Qt::DecorationRole, Qt::ForegroundRole, Qt::BackgroundRole, StripRole};
    const auto repaint = [&](const QModelIndex &parent, int rows) {
        if (rows > 0)
            Q_EMIT dataChanged(index(0, 0, parent), index(rows - 1, ColumnCount - 1, parent), roles);
    };
    repaint({}, int(m_root.children.size()));
    if (m_grouping == Grouping::Tag) {
        for (int g = 0; g < int(m_root.children.size()); ++g)
            repaint(index(g, 0), int(m_root.children[size_t(g)]->children.size()));
    }
}

EndpointTableModel::Entry *EndpointTableModel::entryOf(const QString &name)
{
    const auto it = m_entries.find(name);
    return it == m_entries.end() ? nullptr : it->second.get();
}

void EndpointTableModel::applySnapshot(const SnapshotPtr &snapshot)
{
    // Rows point into the snapshot, which is immutable: nothing is copied per endpoint. The one
    // before stays alive until the diff against it is done.
    const SnapshotPtr previous = std::exchange(m_snapshot, snapshot);
    static const QList<EndpointSnapshot> kNone;
    const QList<EndpointSnapshot> &next = snapshot ? snapshot->endpoints : kNone;
    ++m_pass;
    ++m_epoch;

    // 1. The entries: changed columns noted, history seeded from state and since.
    QList<Entry *> order;
    order.reserve(next.size());
    for (qsizetype i = 0; i < next.size(); ++i) {
        const EndpointSnapshot &e = next.at(i);
        // Most snapshots list the endpoints of the one before in the same order: the entry in the
        // same place is found without hashing the name.
        Entry *entry = i < m_order.size() && m_order.at(i)->e && m_order.at(i)->e->name == e.name
                           ? m_order.at(i)
                           : entryOf(e.name);
        if (!entry) {
            auto made = std::make_unique<Entry>();
            entry = made.get();
            m_entries.emplace(e.name, std::move(made));
        } else if (entry->seen == m_pass) {
            continue; // a name twice in one snapshot: the first one is shown
        }
        const bool hadRow = entry->listed;
        // A row the engine kept at the same revision changed in nothing: no cell to compare.
        const bool sameRevision = hadRow && e.revision != 0 && e.revision == entry->e->revision;
        const bool newState =
            !hadRow || (!sameRevision && (entry->e->state != e.state || entry->e->since != e.since));
        if (hadRow && !sameRevision) {
            const Columns changed = changedColumns(*entry->e, e);
            // The tag list is worked out again only when tags changed, not on every state change
            // (which marks every column).
            if (changed.any() && dropTextKeys(*entry, e))
                m_tags.reset();
            entry->changed |= changed;
        }
        entry->e = &e;
        entry->seen = m_pass;
        entry->listed = true;
        if (newState && e.since.isValid() && entry->history.addState(e.since, e.state)) {
            entry->strip.reset();
            if (hadRow)
                entry->changed.set(StripColumn);
        }
        order.append(entry);
    }

    // 2. The rows: removes, moves and inserts, never a reset. Most snapshots keep the order.
    const bool sameOrder = order == m_order;
    if (!sameOrder)
        m_tags.reset();
    m_order = std::move(order);
    if (m_grouping == Grouping::None) {
        if (!sameOrder)
            syncFlat();
    } else {
        syncGroups();
    }

    // 3. Entries not in this snapshot have no row left (nor do those known from events only).
    if (qsizetype(m_entries.size()) != m_order.size()) {
        for (auto it = m_entries.begin(); it != m_entries.end();) {
            if (it->second->seen == m_pass)
                ++it;
            else
                it = m_entries.erase(it);
        }
    }
    emitChanged();
}

void EndpointTableModel::appendEvents(const QList<Event> &events)
{
    bool any = false;
    for (const Event &event : events) {
        if (event.kind != EventKind::State && event.kind != EventKind::Rtt)
            continue;
        Entry *entry = entryOf(event.endpoint);
        if (!entry) {
            // History replayed at start may come before the first snapshot; after it, a name the
            // snapshot does not know is a listener's peer or an endpoint already removed.
            if (m_snapshot)
                continue;
            auto made = std::make_unique<Entry>();
            entry = made.get();
            m_entries.emplace(event.endpoint, std::move(made));
        }
        const bool changed = event.kind == EventKind::State
                                 ? event.state && entry->history.addState(event.ts, *event.state)
                                 : event.rttMs && entry->history.addRtt(event.ts, *event.rttMs);
        if (changed)
            entry->strip.reset();
        if (changed && entry->listed) {
            entry->changed.set(StripColumn);
            any = true;
        }
    }
    if (any) {
        ++m_epoch;
        emitChanged();
    }
}

template<typename Key, typename KeyOf, typename Make>
void EndpointTableModel::syncChildren(Node *parent, const QList<Key> &wanted, KeyOf keyOf, Make make)
{
    const QModelIndex parentIndex = indexOfNode(parent);
    auto &kids = parent->children;
    const QSet<Key> keep(wanted.cbegin(), wanted.cend());

    // 1. Gone rows, removed in contiguous runs from the bottom up.
    for (int row = int(kids.size()) - 1; row >= 0;) {
        if (keep.contains(keyOf(*kids[size_t(row)]))) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && !keep.contains(keyOf(*kids[size_t(first - 1)])))
            --first;
        beginRemoveRows(parentIndex, first, row);
        kids.erase(kids.begin() + first, kids.begin() + row + 1);
        endRemoveRows();
        row = first - 1;
    }

    // 2. Walk the wanted order: keep, move up or insert. Rows above i are final.
    for (int i = 0; i < int(wanted.size()); ++i) {
        const Key &key = wanted.at(i);
        if (i < int(kids.size()) && keyOf(*kids[size_t(i)]) == key)
            continue;
        int found = -1;
        for (int j = i + 1; j < int(kids.size()); ++j) {
            if (keyOf(*kids[size_t(j)]) == key) {
                found = j;
                break;
            }
        }
        if (found >= 0) {
            beginMoveRows(parentIndex, found, found, parentIndex, i);
            std::unique_ptr<Node> node = std::move(kids[size_t(found)]);
            kids.erase(kids.begin() + found);
            kids.insert(kids.begin() + i, std::move(node));
            endMoveRows();
        } else {
            beginInsertRows(parentIndex, i, i);
            std::unique_ptr<Node> node = make(key);
            node->parent = parent;
            kids.insert(kids.begin() + i, std::move(node));
            endInsertRows();
        }
    }
}

void EndpointTableModel::syncFlat()
{
    syncChildren(
        &m_root, m_order, [](const Node &n) { return n.entry; },
        [](Entry *entry) {
            auto node = std::make_unique<Node>();
            node->entry = entry;
            return node;
        });
}

void EndpointTableModel::syncGroups()
{
    QMap<QString, QList<Entry *>> members;
    for (Entry *entry : std::as_const(m_order)) {
        if (entry->e->tags.isEmpty())
            members[QString()].append(entry);
        QSet<QString> seen;
        for (const QString &tag : entry->e->tags) {
            if (!tag.isEmpty() && !seen.contains(tag)) {
                seen.insert(tag);
                members[tag].append(entry);
            }
        }
    }
    QStringList groups = members.keys();
    std::sort(groups.begin(), groups.end(), groupBefore);
    syncChildren(
        &m_root, groups, [](const Node &n) { return n.group; },
        [](const QString &tag) {
            auto node = std::make_unique<Node>();
            node->group = tag;
            return node;
        });
    for (int g = 0; g < int(m_root.children.size()); ++g) {
        Node *group = m_root.children[size_t(g)].get();
        const QList<Entry *> &wanted = members[group->group];
        syncChildren(
            group, wanted, [](const Node &n) { return n.entry; },
            [](Entry *entry) {
                auto node = std::make_unique<Node>();
                node->entry = entry;
                return node;
            });
        std::array<int, 6> states{};
        for (const Entry *entry : wanted)
            ++states[size_t(entry->e->state)];
        if (states != group->groupStates || group->groupCount != int(wanted.size())) {
            group->groupStates = states;
            group->groupCount = int(wanted.size());
            Q_EMIT dataChanged(index(g, 0), index(g, ColumnCount - 1));
        }
    }
}

void EndpointTableModel::emitChanged()
{
    // One dataChanged per run of adjacent rows that changed in the same
    // columns: a snapshot that moves every RTT costs one signal, and a
    // state change stays its own range (the proxy re-sorts only that).
    const auto emitRuns = [this](const Node &parent, const QModelIndex &parentIndex) {
        const int rows = int(parent.children.size());
        int row = 0;
        while (row < rows) {
            const Columns changed = parent.children[size_t(row)]->entry->changed;
            if (changed.none()) {
                ++row;
                continue;
            }
            int last = row;
            while (last + 1 < rows && parent.children[size_t(last + 1)]->entry->changed == changed)
                ++last;
            int first = 0;
            while (!changed.test(size_t(first)))
                ++first;
            int lastColumn = ColumnCount - 1;
            while (!changed.test(size_t(lastColumn)))
                --lastColumn;
            // A strip that only gained a sample is no reason to re-sort or re-filter.
            const QList<int> roles = first == StripColumn && lastColumn == StripColumn
                                         ? QList<int>{StripRole, Qt::ToolTipRole}
                                         : QList<int>{};
            Q_EMIT dataChanged(index(row, first, parentIndex), index(last, lastColumn, parentIndex), roles);
            row = last + 1;
        }
    };
    if (m_grouping == Grouping::None) {
        emitRuns(m_root, {});
    } else {
        for (int g = 0; g < int(m_root.children.size()); ++g)
            emitRuns(*m_root.children[size_t(g)], index(g, 0));
    }
    for (Entry *entry : std::as_const(m_order))
        entry->changed.reset();
}

void EndpointTableModel::setGrouping(Grouping grouping)
{
    if (grouping == m_grouping)
        return;
    // A user's choice, not a snapshot: the only reset. EndpointPanel re-selects by name.
    beginResetModel();
    m_grouping = grouping;
    m_root.children.clear();
    endResetModel();
    for (Entry *entry : std::as_const(m_order))
        entry->changed.reset();
    if (m_grouping == Grouping::None)
        syncFlat();
    else
        syncGroups();
}

const EndpointSnapshot *EndpointTableModel::endpointAt(int ordinal) const
{
    if (ordinal < 0 || ordinal >= m_order.size())
        return nullptr;
    return m_order.at(ordinal)->e;
}

int EndpointTableModel::rowOf(const QString &name) const
{
    const auto it = m_entries.find(name);
    if (it == m_entries.end() || !it->second->listed)
        return -1;
    return int(m_order.indexOf(it->second.get()));
}

const EndpointSnapshot *EndpointTableModel::endpoint(const QString &name) const
{
    const auto it = m_entries.find(name);
    return it == m_entries.end() || !it->second->listed ? nullptr : it->second->e;
}

const EndpointHistory *EndpointTableModel::history(const QString &name) const
{
    const auto it = m_entries.find(name);
    return it == m_entries.end() ? nullptr : &it->second->history;
}

QModelIndex EndpointTableModel::indexOf(const QString &name, int column) const
{
    const auto it = m_entries.find(name);
    if (it == m_entries.end() || !it->second->listed)
        return {};
    const Entry *entry = it->second.get();
    const auto find = [&](const Node &parent, const QModelIndex &parentIndex) -> QModelIndex {
        for (int row = 0; row < int(parent.children.size()); ++row) {
            if (parent.children[size_t(row)]->entry == entry)
                return index(row, column, parentIndex);
        }
        return {};
    };
    if (m_grouping == Grouping::None)
        return find(m_root, {});
    for (int g = 0; g < int(m_root.children.size()); ++g) {
        if (const QModelIndex found = find(*m_root.children[size_t(g)], index(g, 0)); found.isValid())
            return found;
    }
    return {};
}

QStringList EndpointTableModel::tags() const
{
    // Asked after every snapshot (the tag filter's choices): worked out again only when an
    // endpoint came, went or changed its tags.
    if (m_tags)
        return *m_tags;
    QSet<QString> all;
    for (const Entry *entry : m_order) {
        for (const QString &tag : entry->e->tags)
            all.insert(tag);
    }
    all.remove(QString());
    QStringList sorted(all.cbegin(), all.cend());
    std::sort(sorted.begin(), sorted.end(), groupBefore);
    m_tags = sorted;
    return sorted;
}

const EndpointTableModel::Node *EndpointTableModel::nodeOf(const QModelIndex &index) const
{
    if (!index.isValid())
        return &m_root;
    const auto *parent = static_cast<const Node *>(index.constInternalPointer());
    return parent->children[size_t(index.row())].get();
}

int EndpointTableModel::rowInParent(const Node *node) const
{
    if (!node->parent)
        return -1;
    const auto &siblings = node->parent->children;
    for (int row = 0; row < int(siblings.size()); ++row) {
        if (siblings[size_t(row)].get() == node)
            return row;
    }
    return -1;
}

QModelIndex EndpointTableModel::indexOfNode(const Node *node, int column) const
{
    if (node == &m_root || !node->parent)
        return {};
    return createIndex(rowInParent(node), column, node->parent);
}

const EndpointSnapshot *EndpointTableModel::endpointFor(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return nullptr;
    const Node *node = nodeOf(index);
    return node->entry ? node->entry->e : nullptr;
}

const EndpointHistory *EndpointTableModel::historyFor(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return nullptr;
    const Node *node = nodeOf(index);
    return node->entry ? &node->entry->history : nullptr;
}

bool EndpointTableModel::isGroup(const QModelIndex &index) const
{
    return index.isValid() && index.model() == this && !nodeOf(index)->entry;
}

QModelIndex EndpointTableModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    return createIndex(row, column, nodeOf(parent));
}

QModelIndex EndpointTableModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const auto *parent = static_cast<const Node *>(child.constInternalPointer());
    if (parent == &m_root)
        return {};
    return createIndex(rowInParent(parent), 0, parent->parent);
}

int EndpointTableModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int EndpointTableModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool EndpointTableModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

} // namespace kw
