#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QStringList>

namespace kw {

class EndpointPanel;
class EventLogView;
class FleetReconnectChart;

// What a click on a bar of the fleet reconnect chart does to the window: the endpoint list shows only
// the endpoints that dropped then (with the list's chip saying so), and the event log their events
// within that bar's time. Clear on the chip gives the log its own filters back; so does any change to
// the log's filter bar, which rebuilds the log's query from its widgets.
class FleetFilter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FleetFilter)

public:
    // Connects the three; lives as long as `chart` (its parent).
    FleetFilter(FleetReconnectChart *chart, EndpointPanel *list, EventLogView *log);
    ~FleetFilter() override;

    void apply(const QDateTime &from, const QDateTime &to, const QString &cause,
               const QStringList &endpoints);
    void clear();
    bool isActive() const { return m_active; }

    // "dropped 10:30–10:45 with keepalive-timeout", as the list's chip continues "Showing 3 endpoints that".
    static QString label(const QDateTime &from, const QDateTime &to, const QString &cause);

private:
    EndpointPanel *m_list = nullptr;
    EventLogView *m_log = nullptr;
    bool m_active = false;
};

} // namespace kw
