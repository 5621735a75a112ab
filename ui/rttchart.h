#pragma once

#include "endpointstate.h"
#include "event.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QPointF>
#include <QWidget>

#include <chrono>
#include <deque>
#include <functional>

class QChart;
class QChartView;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QScatterSeries;
class QTimer;
class QValueAxis;

namespace kw {

class StateTimeline;

// Live round-trip times of the selected endpoint over the last ten minutes.
// Samples of every endpoint are kept (bounded), so switching the selection
// shows history at once instead of an empty chart.
class RttChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RttChart)

public:
    static constexpr std::chrono::minutes kWindow{10};
    static constexpr int kMaxSamplesPerEndpoint = 4000;

    using Clock = std::function<QDateTime()>;

    explicit RttChart(QWidget *parent = nullptr);
    ~RttChart() override;

    void appendEvents(const QList<Event> &events);
    void setEndpoint(const QString &name);
    QString endpoint() const { return m_endpoint; }
    void forgetEndpoint(const QString &name);
    // The selected endpoint's state per the latest snapshot, for the strip.
    void setCurrentState(EndpointState state, const QDateTime &since);
    void setClock(Clock clock);

    // What is plotted now (x: ms since epoch, y: ms), for tests.
    QList<QPointF> points() const;
    // Runs of samples drawn as separate lines: an outage or a long silence
    // breaks the line instead of bridging it.
    int segmentCount() const;
    QChartView *view() const { return m_view; }
    StateTimeline *timeline() const { return m_timeline; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void refresh();
    void prune(std::deque<QPointF> &samples, qint64 oldestMs) const;
    void applyTheme();
    void alignTimeline();
    QLineSeries *segment(int index);

    QChartView *m_view = nullptr;
    QChart *m_chart = nullptr;
    QList<QLineSeries *> m_segments; // owned by m_chart
    QScatterSeries *m_downMarks = nullptr;
    QDateTimeAxis *m_timeAxis = nullptr;
    QValueAxis *m_rttAxis = nullptr;
    QLabel *m_empty = nullptr;
    StateTimeline *m_timeline = nullptr;
    QTimer *m_scroll = nullptr;
    Clock m_clock;
    QString m_endpoint;
    QHash<QString, std::deque<QPointF>> m_samples;
    QHash<QString, std::deque<qint64>> m_downs; // when each endpoint went down
};

} // namespace kw
