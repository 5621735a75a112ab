#pragma once

#include "event.h"

#include <QAbstractTableModel>
#include <QList>

#include <deque>

namespace kw {

// The latest events, oldest first, in a bounded ring: once `capacity` is
// reached the oldest rows leave the view (they stay in the event log on disk).
// Batches are appended with one row insert each, so views keep their scroll
// position and selection.
class EventLogModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLogModel)

public:
    static constexpr int kDefaultCapacity = 10'000;

    enum Column {
        TimeColumn,
        EndpointColumn,
        KindColumn,
        StateColumn,
        CauseColumn,
        DetailColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        EndpointRole = Qt::UserRole + 1, // QString, any column
        KindRole,                        // kw::EventKind
        TimestampRole,                   // QDateTime (UTC)
        RttRole,                         // double ms, or invalid
    };
    Q_ENUM(Role)

    explicit EventLogModel(QObject *parent = nullptr);
    ~EventLogModel() override;

    void appendEvents(const QList<Event> &events);
    void clear();

    int capacity() const { return m_capacity; }
    void setCapacity(int capacity);
    // Events dropped from the view since the model was created or cleared.
    qint64 droppedCount() const { return m_dropped; }

    const Event &eventAt(int row) const { return m_events.at(size_t(row)); }
    void setDarkPalette(bool dark);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void dropOldest(int count);

    std::deque<Event> m_events;
    int m_capacity = kDefaultCapacity;
    qint64 m_dropped = 0;
    bool m_dark = false;
};

} // namespace kw
