#pragma once

#include <QSortFilterProxyModel>
#include <QString>

namespace kw {

// What the event log pane shows of the ring: optionally one endpoint only
// (exact name), optionally without the periodic samples ("rtt", "tcpinfo")
// that would otherwise bury the state changes.
class EventLogFilterProxyModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLogFilterProxyModel)

public:
    explicit EventLogFilterProxyModel(QObject *parent = nullptr);
    ~EventLogFilterProxyModel() override;

    // Empty: every endpoint.
    void setEndpoint(const QString &name);
    QString endpoint() const { return m_endpoint; }
    void setShowRtt(bool show);
    bool showRtt() const { return m_showRtt; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_endpoint;
    bool m_showRtt = true;
};

} // namespace kw
