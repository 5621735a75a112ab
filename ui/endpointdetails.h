#pragma once

#include "snapshot.h"

#include <QDateTime>
#include <QHash>
#include <QWidget>

class QGridLayout;
class QLabel;

namespace kw {

// Everything the snapshot says about the selected endpoint: its state and
// why, the keepalive settings read back from the socket with the detection
// bound they imply, and its reliability statistics.
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
        Tls,
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

    // nullptr shows the "select an endpoint" hint. `now` dates "3 min ago".
    void showEndpoint(const EndpointSnapshot *endpoint, const QDateTime &now);
    QString fieldText(Field field) const;

private:
    QLabel *addField(Field field, const QString &key, const QString &label, int row, int column);
    void setField(Field field, const QString &text, const QString &toolTip = {});

    QLabel *m_title = nullptr;
    QLabel *m_hint = nullptr;
    QWidget *m_body = nullptr;
    QGridLayout *m_grid = nullptr;
    QHash<Field, QLabel *> m_values;
    QHash<Field, QLabel *> m_captions;
    bool m_dark = false;
};

} // namespace kw
