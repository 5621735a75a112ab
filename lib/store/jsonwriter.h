#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

#include <chrono>

namespace kw {

// One JSON value as compact text, escaped and formatted by QJsonDocument
// (numbers in their shortest round-trip form: 0.42, not 0.42000000000000004).
QByteArray jsonScalar(const QJsonValue &value);

// Indented JSON whose object keys follow `keyOrder` first (in that order),
// then the remaining keys alphabetically.
QByteArray writeJson(const QJsonObject &object, const QStringList &keyOrder);

// A duration as a number of seconds: whole seconds stay integers in the file, fractions are written as such.
QJsonValue secondsJson(std::chrono::milliseconds duration);

// Writes `value` when it differs from the default or the file already had the
// key, so a load/save round trip keeps what the user wrote and adds nothing.
void put(QJsonObject &out, const QString &key, const QJsonValue &value, bool isDefault);
// `out` with `nested` under `key`, or without the key when `nested` is empty and was not there.
QJsonObject putNested(QJsonObject out, const QString &key, const QJsonObject &nested);

} // namespace kw
