#include "bundletimeline.h"

#include "endpointtimeline.h"

#include <QAbstractButton>
#include <QBuffer>
#include <QCoreApplication>
#include <QPixmap>

namespace kw {

QByteArray renderTimelinePng(const QString &endpoint, const QList<Event> &events, const QDateTime &from,
                             const QDateTime &to, const QSize &size, QString *error)
{
    EndpointTimeline timeline;
    timeline.setAttribute(Qt::WA_DontShowOnScreen);
    // "Now" is the end of the range: the widget draws up to its present and never past it.
    timeline.setClock([to] { return to; });
    timeline.setEndpoint(endpoint);
    timeline.appendEvents(events);
    // The picture is for reading, not for clicking: the range buttons, Live and Export are hidden.
    for (QAbstractButton *button : timeline.findChildren<QAbstractButton *>())
        button->hide();
    timeline.resize(size);
    // Never shown: grab() lays the widget out and draws it (showing it would only add warnings offscreen).
    timeline.setRange(EndpointTimeline::Range::OneHour);
    const qint64 spanMs = from.msecsTo(to);
    const qint64 hourMs = EndpointTimeline::rangeSpan(EndpointTimeline::Range::OneHour).count();
    timeline.zoom(double(spanMs) / double(hourMs), to.toMSecsSinceEpoch());
    // Layout, then the refresh the widget queues once the chart knows its plot area.
    for (int i = 0; i < 3; ++i)
        QCoreApplication::processEvents();
    const QPixmap pixmap = timeline.grab();
    if (pixmap.isNull()) {
        *error = QCoreApplication::translate("kw::IncidentBundle", "the timeline could not be drawn");
        return {};
    }
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (!pixmap.save(&buffer, "PNG")) {
        *error =
            QCoreApplication::translate("kw::IncidentBundle", "the timeline could not be encoded as PNG");
        return {};
    }
    return png;
}

} // namespace kw
