#pragma once

#include "snapshot.h"

#include <QDateTime>
#include <QString>
#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;

namespace kw {

class DeviceTableModel;

// The devices an MQTT endpoint watches: a heading with the counts, a filter box and the table,
// silent and will first. Shown by the window for the selected endpoint when it watches devices.
class DevicePanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DevicePanel)

public:
    explicit DevicePanel(QWidget *parent = nullptr);
    ~DevicePanel() override;

    // Whether `e` has devices worth a table: an MQTT session with a watch list.
    static bool hasDevices(const EndpointSnapshot *e);

    // nullptr or an endpoint without devices empties the table.
    void showEndpoint(const EndpointSnapshot *e, const QDateTime &now);

    DeviceTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QLineEdit *filterEdit() const { return m_filter; }
    QString headingText() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateHeading();

    DeviceTableModel *m_model = nullptr;
    QLabel *m_heading = nullptr;
    QLabel *m_shown = nullptr;
    QLineEdit *m_filter = nullptr;
    QTableView *m_table = nullptr;
    QString m_endpoint;
    QString m_summary;
    bool m_trouble = false;
    QString m_currentTopic; // kept across a new device list, which resets the model
};

} // namespace kw
