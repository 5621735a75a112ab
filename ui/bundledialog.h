#pragma once

#include "bundlecontents.h"
#include "endpointconfig.h"

#include <QDateTime>
#include <QDialog>
#include <QJsonObject>
#include <QList>
#include <QPointer>
#include <QString>

#include <optional>
#include <utility>

class QComboBox;
class QDateTimeEdit;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace kw {

class Engine;
class HistoryReader;
struct EndpointSnapshot;

// Endpoint > Save incident bundle…: one endpoint over a time range as the zip `keepwatch bundle`
// writes. Reading the log and writing the zip run on the history reader's thread; only the
// timeline picture is drawn here (a widget can be drawn on no other thread), in a fraction of a
// second. The file appears only once it is complete.
class IncidentBundleDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IncidentBundleDialog)

public:
    // `endpoints`: the workspace's, offered in the list; `workspaceKeys`: workspaceWideKeys().
    IncidentBundleDialog(HistoryReader *reader, const QList<EndpointConfig> &endpoints,
                         const QJsonObject &workspaceKeys, const QString &workspacePath,
                         QWidget *parent = nullptr);
    ~IncidentBundleDialog() override;

    // The range offered first: 15 minutes either side of the last drop when there was one in the
    // last week, else the last hour; never past `now`.
    static std::pair<QDateTime, QDateTime> defaultRange(const QDateTime &lastDropAt, const QDateTime &now);

    void setEndpoint(const QString &name);
    QString endpoint() const;
    void setRange(const QDateTime &from, const QDateTime &to);
    QDateTime from() const;
    QDateTime to() const;
    void setPath(const QString &path);
    QString path() const;

    bool isRunning() const { return m_running; }
    QLabel *statusLabel() const { return m_status; }

public Q_SLOTS:
    void save();

Q_SIGNALS:
    // After every save that ran to its end or failed.
    void bundleSaved(bool ok, const QString &message);

private:
    void browse();
    void finish(bool ok, const QString &message);
    void writeBundle(IncidentEvidence evidence);

    QPointer<HistoryReader> m_reader;
    QList<EndpointConfig> m_endpoints;
    QJsonObject m_workspaceKeys;
    QString m_workspacePath;
    QComboBox *m_endpoint = nullptr;
    QDateTimeEdit *m_from = nullptr;
    QDateTimeEdit *m_to = nullptr;
    QLineEdit *m_path = nullptr;
    QPushButton *m_browse = nullptr;
    QLabel *m_status = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_save = nullptr;
    bool m_running = false;
};

// Opens the dialog for the selected endpoint (or the first) with defaultRange(); not modal.
IncidentBundleDialog *openIncidentBundleDialog(Engine *engine, HistoryReader *reader,
                                               const EndpointSnapshot *selected, QWidget *parent);

} // namespace kw
