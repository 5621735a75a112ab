#pragma once

#include <QSortFilterProxyModel>
#include <QStringList>

namespace kw {

// Sorts the endpoint table by raw cell values (EndpointTableModel::SortRole:
// state by urgency, RTT as a number) and filters by the words typed in the
// filter box: every word must appear in the name, the target or the state.
class EndpointFilterProxyModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EndpointFilterProxyModel)

public:
    explicit EndpointFilterProxyModel(QObject *parent = nullptr);
    ~EndpointFilterProxyModel() override;

    void setFilterText(const QString &text);
    QString filterText() const { return m_text; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    QStringList m_words;
};

} // namespace kw
