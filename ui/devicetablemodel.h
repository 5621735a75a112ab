#pragma once

#include "snapshot.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QIcon>
#include <QList>
#include <QString>

#include <memory>
#include <vector>

namespace kw {

// The devices of one MQTT endpoint (MqttSnapshot::devices), in the order and under the filter the
// user chose. It sorts and filters itself instead of sitting under a QSortFilterProxyModel: the
// proxy compares QVariants, about 1.7 million of them to sort 100,000 devices, each time the engine
// publishes a new list; here the comparisons read the shared list directly. The model resets only
// when the list is a new one (a new shared_ptr); the same list with a later clock re-emits only the
// age columns, which a view repaints for its visible rows.
class DeviceTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeviceTableModel)

public:
    enum Column {
        StateColumn,
        IdColumn,
        TopicColumn,
        LastMessageColumn,
        SinceColumn,
        MessagesColumn,
        PreviewColumn, // last: payloads vary in width, so this one stretches
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        TopicRole = Qt::UserRole + 1, // QString, any column
        StateRole,                    // int(DeviceSnapshot::State), any column
        StateNameRole,                // "silent", as in events
    };
    Q_ENUM(Role)

    using DeviceList = std::shared_ptr<const QList<DeviceSnapshot>>;

    explicit DeviceTableModel(QObject *parent = nullptr);
    ~DeviceTableModel() override;

    // `now` dates "12 s ago". A list that is the one already shown only moves the clock.
    void setDevices(const DeviceList &devices, const QDateTime &now);
    DeviceList devices() const { return m_devices; }
    void setNow(const QDateTime &now);
    QDateTime now() const { return m_now; }

    // Case-insensitive words; a row is shown when each word is in its id, topic, state or preview.
    void setFilterText(const QString &text);
    QString filterText() const { return m_filter; }
    int totalCount() const { return m_devices ? int(m_devices->size()) : 0; }

    // The device shown at `row`; nullptr when out of range.
    const DeviceSnapshot *deviceAt(int row) const;
    int rowOfTopic(const QString &topic) const; // -1 when not shown
    Qt::SortOrder sortOrder() const { return m_order; }
    int sortColumn() const { return m_column; }

    void setDarkPalette(bool dark);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // Default: StateColumn descending, will and silent first, each group by topic.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    void rebuildRows(); // filter and sort into m_rows
    void relayout(QAbstractItemModel::LayoutChangeHint hint);
    bool accepts(const DeviceSnapshot &d) const;
    QVariant displayData(const DeviceSnapshot &d, int column) const;
    QIcon stateDot(DeviceSnapshot::State state) const;

    DeviceList m_devices;
    std::vector<int> m_rows; // indexes into *m_devices, in display order
    QDateTime m_now;
    QString m_filter;
    QStringList m_filterWords;
    int m_column = StateColumn;
    Qt::SortOrder m_order = Qt::DescendingOrder;
    bool m_dark = false;
    mutable QHash<int, QIcon> m_dots;
};

} // namespace kw
