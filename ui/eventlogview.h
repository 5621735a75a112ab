#pragma once

#include "event.h"
#include "eventlog.h"

#include <QList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace kw {

class EventLogModel;
class HistoryReader;

// The event log pane: the whole log, read lazily (EventLogModel), the newest events at the bottom
// (followed while the view is scrolled to the end). Filters by endpoint, kind, state, cause and time
// become terms of the log query; "Selected endpoint only" narrows to the endpoint selected in the
// table. Ctrl+C copies the selected rows as tab-separated text.
class EventLogView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLogView)

public:
    explicit EventLogView(QWidget *parent = nullptr);
    ~EventLogView() override;

    EventLogModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }

    // Null or a reader without a log: live events only.
    void setHistoryReader(HistoryReader *reader);

    void appendEvents(const QList<Event> &events);
    // The endpoint the "selected endpoint only" filter uses.
    void setSelectedEndpoint(const QString &name);
    void setOnlySelected(bool only);
    bool onlySelected() const;
    // RTT samples outnumber state changes by far; hiding them shows the story.
    void setShowRtt(bool show);
    bool showRtt() const;

    // The query the filters make (the model's filter).
    EventQuery query() const;
    int visibleCount() const;

    // The rows as Copy writes them: one line each, cells separated by tabs.
    static QString rowsText(const QList<Event> &events);
    // Copies the selected rows to the clipboard; rows not read yet are read first (at most
    // kMaxCopyRows), then copied() is emitted with the text.
    void copySelectedRows();
    static constexpr int kMaxCopyRows = 100'000;

Q_SIGNALS:
    void visibleCountChanged(int count);
    void copied(const QString &text);

protected:
    void changeEvent(QEvent *event) override;

private:
    QWidget *createFilterBar();
    void applyFilter();
    void updateSummary();

    EventLogModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QCheckBox *m_onlySelected = nullptr;
    QCheckBox *m_showRtt = nullptr;
    QLineEdit *m_endpoint = nullptr;
    QComboBox *m_kind = nullptr;
    QComboBox *m_state = nullptr;
    QComboBox *m_cause = nullptr;
    QComboBox *m_range = nullptr;
    QTimer *m_typing = nullptr;
    QLabel *m_summary = nullptr;
    QString m_selected;
    bool m_follow = true; // the view was at the end when rows came
};

} // namespace kw
