#pragma once

#include "snapshot.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QIcon>
#include <QList>

#include <functional>
#include <optional>

namespace kw {

// One row per endpoint of the latest engine snapshot. Each snapshot is diffed
// by name against the rows already shown: changed cells get dataChanged,
// new and gone endpoints get row inserts/removes, a reordered workspace gets
// row moves. The model is never reset for an update, so selections and
// persistent indexes held by views survive every refresh.
class EndpointTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EndpointTableModel)

public:
    enum Column {
        NameColumn,
        TargetColumn,
        StateColumn,
        CauseColumn,
        SinceColumn,
        ReconnectsColumn,
        RttColumn,
        UptimeColumn,
        KeepaliveColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        NameRole = Qt::UserRole + 1, // QString endpoint name, any column
        StateRole,                   // int(kw::EndpointState), any column
        StateNameRole,               // "up", "down", ... any column
        SortRole,                    // raw value of the cell for sorting
        FilterRole,                  // name, target and state words, any column
    };
    Q_ENUM(Role)

    using Clock = std::function<QDateTime()>;

    explicit EndpointTableModel(QObject *parent = nullptr);
    ~EndpointTableModel() override;

    void applySnapshot(const SnapshotPtr &snapshot);
    SnapshotPtr snapshot() const { return m_snapshot; }

    const EndpointSnapshot *endpointAt(int row) const;
    int rowOf(const QString &name) const;

    // "3 min ago" is computed against this clock; tests pass a fixed one.
    void setClock(Clock clock);
    // Re-emits the Since column so relative times stay true between snapshots.
    void refreshRelativeTimes();
    void setDarkPalette(bool dark);
    bool isDarkPalette() const { return m_dark; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant displayData(const EndpointSnapshot &e, int column) const;
    QVariant toolTipData(const EndpointSnapshot &e, int column) const;
    QVariant sortData(const EndpointSnapshot &e, int column) const;
    struct ChangedCells
    {
        int row;
        int firstColumn;
        int lastColumn;
    };
    // Stores `next`; returns the changed column range, if any.
    std::optional<ChangedCells> updateRow(int row, const EndpointSnapshot &next);

    QIcon stateDot(EndpointState state) const;

    QList<EndpointSnapshot> m_rows;
    mutable QHash<int, QIcon> m_dots; // per state and palette, painted once
    SnapshotPtr m_snapshot;
    Clock m_clock;
    bool m_dark = false;
};

} // namespace kw
