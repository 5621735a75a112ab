#pragma once

#include "snapshot.h"

#include <QString>
#include <QWidget>

class QLineEdit;
class QTableView;

namespace kw {

class EndpointFilterProxyModel;
class EndpointTableModel;

// The endpoint table with its filter box. Sorting and filtering happen in a
// proxy; the source model is diffed per snapshot, so the selection stays put.
class EndpointPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EndpointPanel)

public:
    explicit EndpointPanel(QWidget *parent = nullptr);
    ~EndpointPanel() override;

    EndpointTableModel *model() const { return m_model; }
    EndpointFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    QLineEdit *filterEdit() const { return m_filter; }

    void applySnapshot(const SnapshotPtr &snapshot);
    QString selectedName() const; // empty when nothing is selected
    void selectName(const QString &name);
    // Fit the columns to the first rows that arrive (off once the user's
    // own column widths have been restored).
    void setAutoSizeColumns(bool enabled) { m_autoSize = enabled; }

Q_SIGNALS:
    void selectedNameChanged(const QString &name);
    void editRequested(const QString &name);

protected:
    void changeEvent(QEvent *event) override;

private:
    void emitSelectionIfChanged();

    EndpointTableModel *m_model = nullptr;
    EndpointFilterProxyModel *m_proxy = nullptr;
    QLineEdit *m_filter = nullptr;
    QTableView *m_table = nullptr;
    QString m_lastSelected;
    bool m_autoSize = true;
};

} // namespace kw
