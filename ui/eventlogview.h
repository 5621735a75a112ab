#pragma once

#include "event.h"

#include <QList>
#include <QWidget>

class QCheckBox;
class QLabel;
class QTableView;

namespace kw {

class EventLogFilterProxyModel;
class EventLogModel;

// The event log pane: the newest events at the bottom (followed while the
// view is scrolled to the end), optionally only those of the endpoint
// selected in the table.
class EventLogView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLogView)

public:
    explicit EventLogView(QWidget *parent = nullptr);
    ~EventLogView() override;

    EventLogModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }

    void appendEvents(const QList<Event> &events);
    // The endpoint the "selected endpoint only" filter uses.
    void setSelectedEndpoint(const QString &name);
    void setOnlySelected(bool only);
    bool onlySelected() const;
    // RTT samples outnumber state changes by far; hiding them shows the story.
    void setShowRtt(bool show);
    bool showRtt() const;

    // What the view shows, oldest first: what Export… writes.
    QList<Event> visibleEvents() const;
    int visibleCount() const;

Q_SIGNALS:
    void visibleCountChanged(int count);

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyFilter();
    void updateSummary();

    EventLogModel *m_model = nullptr;
    EventLogFilterProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QCheckBox *m_onlySelected = nullptr;
    QCheckBox *m_showRtt = nullptr;
    QLabel *m_summary = nullptr;
    QString m_selected;
};

} // namespace kw
