#pragma once

#include "endpointconfig.h"
#include "endpointstate.h"

#include <QList>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QStringList>

#include <optional>

namespace kw {

class EndpointTableModel;

// Sorts the endpoint list by raw cell values (EndpointTableModel::SortRole:
// state by urgency, RTT as a number) and filters it. Every filter set must
// match: the words typed in the filter box (each in the name, target, kind,
// tags or state), the states, the kind, the tag, and a set of names handed in
// by another view ("the endpoints that dropped at 10:41"). In a grouped list a
// group shows while one of its endpoints does.
class EndpointFilterProxyModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EndpointFilterProxyModel)

public:
    explicit EndpointFilterProxyModel(QObject *parent = nullptr);
    ~EndpointFilterProxyModel() override;

    void setSourceModel(QAbstractItemModel *model) override;

    void setFilterText(const QString &text);
    QString filterText() const { return m_text; }
    // Empty: any state.
    void setStateFilter(const QList<EndpointState> &states);
    QList<EndpointState> stateFilter() const;
    void setKindFilter(std::optional<EndpointKind> kind);
    std::optional<EndpointKind> kindFilter() const { return m_kind; }
    void setTagFilter(const QString &tag); // empty: any tag
    QString tagFilter() const { return m_tag; }
    // Only these endpoints; `label` says why, for the chip that shows it ("dropped at 10:41").
    void setNameFilter(const QSet<QString> &names, const QString &label);
    void clearNameFilter();
    bool hasNameFilter() const { return m_hasNames; }
    QSet<QString> nameFilter() const { return m_names; }
    QString nameFilterLabel() const { return m_namesLabel; }

    bool isFiltering() const;
    // Endpoint rows that pass, in any group (an endpoint in two groups counts once).
    int acceptedEndpointCount() const;

Q_SIGNALS:
    void filtersChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void refilter();

    EndpointTableModel *m_model = nullptr;
    QString m_text;
    QStringList m_words;
    quint32 m_states = 0; // bit per EndpointState; 0: any
    std::optional<EndpointKind> m_kind;
    QString m_tag;
    QSet<QString> m_names;
    QString m_namesLabel;
    bool m_hasNames = false;
};

} // namespace kw
