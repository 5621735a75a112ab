#pragma once

#include "endpointstate.h"
#include "event.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QWidget>

#include <chrono>
#include <deque>
#include <functional>
#include <optional>

namespace kw {

// A strip of state colours for one endpoint over a time window, drawn under
// the RTT chart and aligned with its time axis: outages, backoff waits and
// reconnects read at a glance next to the latency they explain.
class StateTimeline final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StateTimeline)

public:
    struct Span
    {
        QDateTime from;
        QDateTime to;
        EndpointState state;
    };

    using Clock = std::function<QDateTime()>;

    explicit StateTimeline(QWidget *parent = nullptr);
    ~StateTimeline() override;

    void appendEvents(const QList<Event> &events);
    void setEndpoint(const QString &name);
    // What the latest snapshot says; fills the window when no change is known.
    void setCurrentState(EndpointState state, const QDateTime &since);
    void forgetEndpoint(const QString &name);
    void setClock(Clock clock);
    void setWindow(std::chrono::milliseconds window);
    // Pixel columns of the chart's plot area, so both share one time axis.
    void setPlotRange(int left, int right);

    // The coloured spans of the window, oldest first.
    QList<Span> spans() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    struct Change
    {
        qint64 ms;
        EndpointState state;
    };

    QHash<QString, std::deque<Change>> m_changes;
    QString m_endpoint;
    std::optional<EndpointState> m_current;
    QDateTime m_currentSince;
    Clock m_clock;
    std::chrono::milliseconds m_window{std::chrono::minutes(10)};
    int m_left = 0;
    int m_right = -1;
};

} // namespace kw
