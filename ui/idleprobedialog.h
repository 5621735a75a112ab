#pragma once

#include "idlesearch.h"

#include <QDialog>
#include <QString>
#include <QStringList>

#include <optional>

class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace kw {

class Engine;
class IdleProbeJob;

// Tools > Find path idle timeout…: `keepwatch probe-idle` from the window. The search runs on an
// IdleProbeJob's thread; the dialog shows its lines as they come, the result in words and the recommended
// keepalive and heartbeat, and, when opened on an endpoint and a timeout was found, applies the
// recommended keepalive to it through Engine::updateEndpoint. Closing the dialog cancels the search.
class IdleProbeDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IdleProbeDialog)

public:
    // `endpoint`: the selected endpoint's name (its host and port are filled in, Apply targets it), or
    // empty. `engine` may be null: then nothing can be applied.
    IdleProbeDialog(Engine *engine, const QString &endpoint, QWidget *parent = nullptr);
    ~IdleProbeDialog() override;

    // What a user would type, for tests and callers.
    void setTarget(const QString &host, quint16 port);
    void setOptions(const IdleSearchOptions &options);
    IdleSearchOptions options() const;

    bool isRunning() const;
    QStringList progressLines() const;
    QString resultText() const; // the result and recommendation in words; empty before one
    QString errorText() const;  // why the search could not start or run; empty otherwise
    bool canApply() const;

public Q_SLOTS:
    void startSearch();
    void cancelSearch();
    // Sets the recommended keepalive on the endpoint. False with errorText() set when the engine refused.
    bool applyRecommendation();

Q_SIGNALS:
    // After the search finished, failed or was cancelled.
    void searchEnded();

protected:
    void done(int result) override;

private:
    void onFinished(const IdleSearchResult &result);
    void onFailed(const QString &message);
    void setRunning(bool running);
    void showError(const QString &message);
    QString applyDescription() const;

    Engine *m_engine;
    QString m_endpoint;
    IdleProbeJob *m_job;
    std::optional<IdleSearchResult> m_result;

    QLineEdit *m_host = nullptr;
    QSpinBox *m_port = nullptr;
    QDoubleSpinBox *m_max = nullptr;
    QDoubleSpinBox *m_precision = nullptr;
    QSpinBox *m_parallel = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_apply = nullptr;
    QPushButton *m_close = nullptr;
    QListWidget *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_resultLabel = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace kw
