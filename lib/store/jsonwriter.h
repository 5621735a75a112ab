#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

namespace kw {

// One JSON value as compact text, escaped and formatted by QJsonDocument
// (numbers in their shortest round-trip form: 0.42, not 0.42000000000000004).
QByteArray jsonScalar(const QJsonValue &value);

// Indented JSON whose object keys follow `keyOrder` first (in that order),
// then the remaining keys alphabetically.
QByteArray writeJson(const QJsonObject &object, const QStringList &keyOrder);

} // namespace kw
