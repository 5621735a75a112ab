#pragma once

#include "snapshot.h"
#include "systemdefaults.h"
#include "tcpkeepalivesettings.h"

#include <QDateTime>
#include <QHash>
#include <QWidget>

class QGridLayout;
class QLabel;
class QScrollArea;

namespace kw {

class WrappingLabel;

// Everything the snapshot says about the selected endpoint: its state and
// why, the keepalive settings read back from the socket with the detection
// bound they imply, its MQTT session and devices, and its reliability
// statistics. Values wrap (long tokens too) and the panel scrolls when they
// do not fit: nothing is ever clipped.
class EndpointDetails final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EndpointDetails)

public:
    // Field keys; each value label has objectName "details" + key ("detailsState").
    enum class Field {
        State,
        Cause,
        Detail,
        Since,
        NextAttempt,
        Target,
        Keepalive,
        KeepaliveAsked, // what the workspace asks, beside the system defaults it overrides
        Tls,
        Mqtt,          // version, transport, client id, session
        MqttKeepAlive, // requested and effective keep alive, ping timeout, last ping RTT
        BrokerLimits,
        Devices,
        WatchProblems,
        DetectionBound,
        Rtt,
        Uptime,
        Reconnects,
        Mttr,
        Mtbf,
        Flapping,
        LastDrop,
    };

    explicit EndpointDetails(QWidget *parent = nullptr);
    ~EndpointDetails() override;

    // nullptr shows the "select an endpoint" hint. `now` dates "3 min ago". `requested`: the
    // endpoint's workspace keepalive settings, shown beside the system defaults they override.
    void showEndpoint(const EndpointSnapshot *endpoint, const QDateTime &now,
                      const net::TcpKeepaliveSettings *requested = nullptr);
    // The defaults of the machine the engine runs on (the engine's own reading of them).
    void setSystemDefaults(const net::SystemDefaults &defaults) { m_systemDefaults = defaults; }
    // The engine's own lateness (enginelatenesstext.h), shown after the RTT so a person can tell
    // the network's latency from the monitor's load; applied by the next showEndpoint().
    void setEngineLateness(const QString &text, const QString &toolTip)
    {
        m_engineLateness = text;
        m_engineLatenessToolTip = toolTip;
    }
    QString fieldText(Field field) const;

    QScrollArea *scrollArea() const { return m_scroll; }
    // Tall enough for every row unscrolled (at the body's preferred width), MQTT rows included.
    QSize sizeHint() const override;

protected:
    void changeEvent(QEvent *event) override;

private:
    // A value beside its caption; `span` 3 takes the row's remaining columns.
    WrappingLabel *addField(Field field, const QString &key, const QString &label, int row, int column,
                            int span = 1);
    void setField(Field field, const QString &text, const QString &toolTip = {});
    void setFieldVisible(Field field, bool visible);
    void showMqtt(const EndpointSnapshot &e, const QDateTime &now);

    QLabel *m_title = nullptr;
    QLabel *m_hint = nullptr;
    QScrollArea *m_scroll = nullptr;
    QWidget *m_body = nullptr;
    QGridLayout *m_grid = nullptr;
    QHash<Field, WrappingLabel *> m_values;
    QHash<Field, QLabel *> m_captions;
    net::SystemDefaults m_systemDefaults;
    QString m_engineLateness;
    QString m_engineLatenessToolTip;
    bool m_dark = false;
};

} // namespace kw
