#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <utility>

namespace kw::lab {

// A workspace file holding the given endpoint objects (JSON text each).
QByteArray workspaceJson(const QStringList &endpoints);

// One machine-readable line per measured detection, which tests/lab/run-report.sh collects:
//   LAB-RESULT scenario=<name> detection_ms=<n> bound_ms=<n> cause=<cause>
void reportMeasurement(const QString &scenario, qint64 detectionMs, qint64 boundMs, const QString &cause);
// The same for scenarios that measure something else: LAB-RESULT scenario=<name> key=value ...
void reportFields(const QString &scenario, const QList<std::pair<QString, QString>> &fields);

} // namespace kw::lab
