#pragma once

#include <QByteArray>
#include <QString>

namespace kw {

// Heartbeat payload escapes (workspace keys heartbeat.send / heartbeat.expect):
// \r \n \t \\ and \xNN (two hex digits); other text is taken as UTF-8.
// Anything else after a backslash is an error: then the result is empty and
// `error` says which escape and at which character (from 1).
QByteArray decodeEscapes(const QString &text, QString *error);

// Inverse of decodeEscapes: printable ASCII and printable UTF-8 characters stay
// readable, CR/LF/tab/backslash use their short escapes, other bytes \xNN.
QString encodeEscapes(const QByteArray &bytes);

} // namespace kw
