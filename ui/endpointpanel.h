#pragma once

#include "event.h"
#include "snapshot.h"

#include <QDateTime>
#include <QList>
#include <QSet>
#include <QString>
#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QToolButton;
class QTreeView;

namespace kw {

class EndpointFilterProxyModel;
class EndpointTableModel;
class StateStripDelegate;

// The endpoint list with its filter bar: words, state, kind and tag filters,
// the grouping, and a chip for a set of names handed in by another view (the
// fleet reconnect chart's bar). Sorting and filtering happen in a proxy; the
// source model is diffed per snapshot, so the selection and the scroll
// position stay put.
class EndpointPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EndpointPanel)

public:
    explicit EndpointPanel(QWidget *parent = nullptr);
    ~EndpointPanel() override;

    EndpointTableModel *model() const { return m_model; }
    EndpointFilterProxyModel *proxy() const { return m_proxy; }
    QTreeView *table() const { return m_table; }
    QLineEdit *filterEdit() const { return m_filter; }
    QComboBox *stateFilter() const { return m_state; }
    QComboBox *kindFilter() const { return m_kind; }
    QComboBox *tagFilter() const { return m_tag; }
    QComboBox *groupBox() const { return m_group; }
    QWidget *nameFilterChip() const { return m_chip; }
    QLabel *nameFilterText() const { return m_chipText; }
    // Mute alerts for 1 hour / until tomorrow 08:00, Unmute: they act on the selected endpoint
    // through alertMuteRequested.
    const QList<QAction *> &alertActions() const { return m_alertActions; }

    void applySnapshot(const SnapshotPtr &snapshot);
    void appendEvents(const QList<Event> &events);
    QString selectedName() const; // empty when nothing (or a group) is selected
    void selectName(const QString &name);
    // Show only these endpoints, with a chip reading "Showing 3 endpoints that <label> — Clear".
    void setNameFilter(const QSet<QString> &names, const QString &label);
    void clearNameFilter();
    // Fit the columns to the first rows that arrive (off once the user's
    // own column widths have been restored).
    void setAutoSizeColumns(bool enabled) { m_autoSize = enabled; }

Q_SIGNALS:
    void selectedNameChanged(const QString &name);
    void editRequested(const QString &name);
    // The list's context menu: mute the endpoint's alerts until `until` (alert.mute_until), or
    // unmute it when `until` is invalid. The window applies it through the engine.
    void alertMuteRequested(const QString &name, const QDateTime &until);
    // The chip's Clear was pressed (or clearNameFilter() called): a chart can drop its highlight.
    void nameFilterCleared();

protected:
    void changeEvent(QEvent *event) override;

private:
    void emitSelectionIfChanged();
    void fitColumns();
    void updateTagChoices();
    void updateChip();
    void applyGrouping();
    void expandGroups(int first, int last);

    EndpointTableModel *m_model = nullptr;
    EndpointFilterProxyModel *m_proxy = nullptr;
    QLineEdit *m_filter = nullptr;
    QComboBox *m_state = nullptr;
    QComboBox *m_kind = nullptr;
    QComboBox *m_tag = nullptr;
    QComboBox *m_group = nullptr;
    QWidget *m_chip = nullptr;
    QLabel *m_chipText = nullptr;
    QToolButton *m_chipClear = nullptr;
    QTreeView *m_table = nullptr;
    StateStripDelegate *m_strip = nullptr;
    QStringList m_tags;
    QList<QAction *> m_alertActions;
    QString m_lastSelected;
    bool m_autoSize = true;
};

} // namespace kw
