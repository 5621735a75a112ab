#pragma once

#include "event.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QSize>
#include <QString>

namespace kw {

// An endpoint's timeline over [from, to) as PNG bytes, drawn by the window's own timeline widget
// (EndpointTimeline) off screen, from `events` (IncidentEvidence::timelineEvents(): the change
// before the range, then the range's changes and samples). Needs a QApplication; runs on its thread
// and takes a fraction of a second. Empty bytes with the reason in *error when nothing could be drawn.
QByteArray renderTimelinePng(const QString &endpoint, const QList<Event> &events, const QDateTime &from,
                             const QDateTime &to, const QSize &size, QString *error);

inline constexpr QSize kBundleTimelineSize{1400, 560};

} // namespace kw
