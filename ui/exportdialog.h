#pragma once

#include "eventlog.h"
#include "export.h"

#include <QDateTime>
#include <QDialog>
#include <QList>
#include <QPointer>
#include <QStringList>

#include <atomic>
#include <memory>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QTimer;

namespace kw {

class HistoryReader;

// File > Export events…: the event log (not only what the pane shows) as CSV or JSON Lines, over
// a time range, for all or some endpoints and kinds, in the same bytes as `keepwatch export`. The
// export runs on the history reader's thread with a progress bar and Cancel; the file appears only
// once it is complete.
class ExportDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExportDialog)

public:
    enum class Range { LastHour, LastDay, LastWeek, Everything, Custom };
    Q_ENUM(Range)

    // `endpoints`: the names offered in the list (the workspace's).
    ExportDialog(HistoryReader *reader, const QStringList &endpoints, QWidget *parent = nullptr);
    ~ExportDialog() override;

    // Tests and callers set what a user would choose, without the file chooser.
    void setPath(const QString &path);
    QString path() const;
    void setFormat(ExportFormat format);
    ExportFormat format() const;
    // CSV only: text cells that start like a formula keep their leading ' (on) or are written as
    // stored (off, the "Raw cells" box checked), as `keepwatch export --csv-raw`.
    void setNeutraliseFormulas(bool on);
    bool neutraliseFormulas() const;
    void setRange(Range range);
    // Sets the range to Custom from `from` (inclusive) to `to` (exclusive).
    void setCustomRange(const QDateTime &from, const QDateTime &to);
    // Empty: all endpoints.
    void setSelectedEndpoints(const QStringList &names);
    void setKinds(const QList<EventKind> &kinds);

    // What Export reads; nullopt with the reason when a choice is missing.
    std::optional<EventQuery> query(QString *error = nullptr) const;

    bool isRunning() const { return m_running; }
    QProgressBar *progressBar() const { return m_progress; }
    QLabel *statusLabel() const { return m_status; }

public Q_SLOTS:
    void startExport();
    void cancelExport();
    // Esc and Cancel stop a running export first; Close closes.
    void reject() override;

Q_SIGNALS:
    // After every export that ran to its end or failed (not after a cancel).
    void exportFinished(bool ok, qint64 count, const QString &message);

private:
    void browse();
    void rangeChanged();
    void formatChanged();
    void updateProgress();
    void setRunning(bool running);
    void finish(bool ok, qint64 count, const QString &error);

    QPointer<HistoryReader> m_reader;
    QComboBox *m_format = nullptr;
    QCheckBox *m_csvRaw = nullptr;
    QLineEdit *m_path = nullptr;
    QPushButton *m_browse = nullptr;
    QComboBox *m_range = nullptr;
    QDateTimeEdit *m_from = nullptr;
    QDateTimeEdit *m_to = nullptr;
    QRadioButton *m_allEndpoints = nullptr;
    QRadioButton *m_someEndpoints = nullptr;
    QListWidget *m_endpoints = nullptr;
    QList<QCheckBox *> m_kinds;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_export = nullptr;
    QTimer *m_poll = nullptr;
    bool m_running = false;
    QString m_runningPath;
    // Shared with the export on the reader's thread.
    std::shared_ptr<std::atomic<qint64>> m_total;
    std::shared_ptr<std::atomic<qint64>> m_written;
};

} // namespace kw
