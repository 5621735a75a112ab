#pragma once

#include "event.h"
#include "export.h"

#include <QIODevice>
#include <QList>
#include <QString>

namespace kw {

// Writes the events the user sees in the log pane, in the same CSV and JSONL
// shapes as `keepwatch export`, so files from either path read the same.
// False with a message naming the device's error when a write fails.
bool writeEvents(const QList<Event> &events, ExportFormat format, QIODevice &out, QString *error);

} // namespace kw
