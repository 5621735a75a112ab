#pragma once

#include "endpointhistory.h"
#include "event.h"
#include "snapshot.h"

#include <QAbstractItemModel>
#include <QCollator>
#include <QDateTime>
#include <QHash>
#include <QIcon>
#include <QList>

#include <array>
#include <bitset>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace kw {

// The endpoints of the latest engine snapshot, one row each, or grouped under
// their tags (an endpoint with two tags is a row in both groups). Each
// snapshot is diffed by name against the rows already shown: changed cells get
// dataChanged, new and gone endpoints get row inserts/removes, a reordered
// workspace gets row moves, and groups come and go the same way. The model is
// never reset for an update, so selections and persistent indexes held by
// views survive every refresh; only switching the grouping resets it.
//
// Each endpoint also keeps its recent past (EndpointHistory, bounded) from the
// events it is given and from the snapshots' state and since, which the
// StripColumn hands to StateStripDelegate.
class EndpointTableModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EndpointTableModel)

public:
    enum Column {
        NameColumn,
        KindColumn,
        TargetColumn,
        StateColumn,
        StripColumn, // beside the state: what led to it, at a glance
        CauseColumn,
        SinceColumn,
        UptimeColumn,
        ReconnectsColumn,
        RttColumn,
        TagsColumn,
        KeepaliveColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        NameRole = Qt::UserRole + 1, // QString endpoint name, any column; empty for a group
        StateRole,                   // int(kw::EndpointState), any column; a group's worst state
        StateNameRole,               // "up", "down", ... any column
        SortRole,                    // raw value of the cell for sorting
        FilterRole,                  // name, target, tags and state words, any column
        KindRole,                    // int(kw::EndpointKind); invalid for a group
        TagsRole,                    // QStringList
        StripRole,                   // kw::StateStrip, StripColumn
        GroupRole,                   // QString tag of a group row ("" untagged); invalid for endpoints
        GroupCountRole,              // int endpoints in a group row
    };
    Q_ENUM(Role)

    enum class Grouping {
        None,
        Tag,
    };
    Q_ENUM(Grouping)

    using Clock = std::function<QDateTime()>;

    explicit EndpointTableModel(QObject *parent = nullptr);
    ~EndpointTableModel() override;

    void applySnapshot(const SnapshotPtr &snapshot);
    SnapshotPtr snapshot() const { return m_snapshot; }
    // State changes and RTT samples for the strips; other kinds and unknown endpoints are ignored
    // (events that arrive before their endpoint's first snapshot are kept for it).
    void appendEvents(const QList<Event> &events);

    // Endpoints in workspace order, whatever the grouping (in Grouping::None also the model rows).
    int endpointCount() const { return int(m_order.size()); }
    const EndpointSnapshot *endpointAt(int ordinal) const;
    int rowOf(const QString &name) const; // that ordinal; -1 when not shown
    const EndpointSnapshot *endpoint(const QString &name) const;
    const EndpointHistory *history(const QString &name) const;
    // The first row showing that endpoint; invalid when none does.
    QModelIndex indexOf(const QString &name, int column = 0) const;
    // The endpoint of a row; nullptr for a group row.
    const EndpointSnapshot *endpointFor(const QModelIndex &index) const;
    // The history of a row's endpoint; nullptr for a group row.
    const EndpointHistory *historyFor(const QModelIndex &index) const;
    bool isGroup(const QModelIndex &index) const;
    QStringList tags() const; // every tag of the snapshot, sorted

    // What EndpointFilterProxyModel sorts endpoint rows by, kept per row so that a sort of 10,000 rows
    // (about 140,000 comparisons) works nothing out per comparison. The text columns (name, target,
    // cause, tags as shown, keepalive) by a collation key made once per change of the cell: numbers
    // in order ("ep-2" before "ep-10"), case ignored. Null for other columns and group rows.
    const QCollatorSortKey *textSortKey(const QModelIndex &index) const;
    // The strip column's key: drops within the window, counted once per snapshot, event batch or
    // refresh of relative times rather than per comparison. 0 for a group row.
    int recentDrops(const QModelIndex &index) const;
    static bool isTextColumn(int column);

    void setGrouping(Grouping grouping);
    Grouping grouping() const { return m_grouping; }

    // "3 min ago" and the strips' window are computed against this clock; tests pass a fixed one.
    void setClock(Clock clock);
    QDateTime now() const { return m_clock(); }
    // Re-emits the Since column and the strips so relative times stay true between snapshots.
    void refreshRelativeTimes();
    void setDarkPalette(bool dark);
    bool isDarkPalette() const { return m_dark; }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    using Columns = std::bitset<ColumnCount>;

    static constexpr int kTextColumns =
        5; // NameColumn, TargetColumn, CauseColumn, TagsColumn, KeepaliveColumn

    // An endpoint by name: its latest snapshot and its recent past.
    struct Entry
    {
        const EndpointSnapshot *e = nullptr; // into m_snapshot; nullptr while known from events only
        EndpointHistory history;
        quint64 seen = 0;    // the applySnapshot pass that last listed it
        bool listed = false; // has a row (in the latest snapshot)
        Columns changed;     // since the last signals
        // Sort keys, made when first asked for and dropped when the cell changes.
        mutable std::array<std::optional<QCollatorSortKey>, kTextColumns> textKeys;
        mutable int drops = 0;
        mutable quint64 dropsEpoch = 0; // m_epoch when `drops` was counted; 0: never
        // The strip as last drawn: made again when the history changed or a second has passed.
        mutable std::optional<StateStrip> strip;
        mutable qint64 stripSecond = 0;
    };
    // A row of the tree. An index points at its parent node, so a row needs
    // no per-row allocation other than its node, and persistent indexes stay
    // valid while rows move within a parent.
    struct Node
    {
        Node *parent = nullptr;
        Entry *entry = nullptr; // endpoint rows
        QString group;          // group rows: the tag, "" for untagged
        int groupCount = 0;
        std::array<int, 6> groupStates{}; // endpoints per state
        std::vector<std::unique_ptr<Node>> children;
    };

    const Node *nodeOf(const QModelIndex &index) const; // the root for an invalid index
    QModelIndex indexOfNode(const Node *node, int column = 0) const;
    int rowInParent(const Node *node) const;
    Entry *entryOf(const QString &name);

    // Brings parent's children to `wanted` (endpoints or group names) by removes, moves and
    // inserts, never a reset.
    template<typename Key, typename Same, typename Make>
    void syncChildren(Node *parent, const QList<Key> &wanted, Same same, Make make);
    void syncFlat();
    void syncGroups();
    void rebuildTree();
    void emitChanged();

    QVariant endpointData(const Entry &entry, int column, int role) const;
    QVariant groupData(const Node &group, int column, int role) const;
    QVariant displayData(const EndpointSnapshot &e, int column) const;
    QVariant toolTipData(const Entry &entry, int column) const;
    QVariant sortData(const EndpointSnapshot &e, int column) const;
    QString filterText(const EndpointSnapshot &e) const;
    QIcon stateDot(EndpointState state) const;
    const StateStrip &stripOf(const Entry &entry) const;
    // Before entry.e moves on to `next`: the keys of the cells that differ go; true when the tags do.
    static bool dropTextKeys(Entry &entry, const EndpointSnapshot &next);
    static int textKeySlot(int column); // index into Entry::textKeys; -1 for other columns
    static QString sortText(const EndpointSnapshot &e, int column);

    std::unordered_map<QString, std::unique_ptr<Entry>> m_entries;
    QList<Entry *> m_order; // workspace order
    Node m_root;
    mutable QHash<int, QIcon> m_dots; // per state and palette, painted once
    SnapshotPtr m_snapshot;
    Clock m_clock;
    quint64 m_pass = 0;  // applySnapshot calls
    quint64 m_epoch = 1; // snapshots, event batches and refreshes: when the drops in the window may differ
    mutable QDateTime m_dropsSince;
    mutable quint64 m_dropsSinceEpoch = 0;
    QCollator m_collator;
    static constexpr qsizetype kMaxSharedKeys = 4096;
    mutable QHash<QString, QCollatorSortKey> m_sharedKeys; // cause, tags and keepalive texts
    mutable std::optional<QStringList> m_tags;
    Grouping m_grouping = Grouping::None;
    bool m_dark = false;
};

} // namespace kw
