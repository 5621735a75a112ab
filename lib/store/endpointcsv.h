#pragma once

#include "endpointconfig.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace kw {

// The endpoint list as CSV (RFC 4180), one endpoint a row, for spreadsheets and inventories.
// docs/workspace.md ("Endpoints as CSV") documents it. The header names the columns; each column
// is a workspace key by its JSON path ("port", "keepalive.idle_s", "mqtt.will.topic"), so a row
// is the endpoint's JSON object flattened, and a row is checked by the workspace's own validator
// (kw::parseEndpoint). An empty cell leaves the key out (its default). Lists (tags, tls.alpn,
// websocket.subprotocols) are words separated by spaces, which no list item may contain; the
// nested lists mqtt.watch and websocket.headers are JSON text in their cell.

// One data row of an imported file (CSV, or an endpoint of a workspace JSON file).
struct ImportedEndpoint
{
    int row = 0;  // CSV: the record number as a spreadsheet shows it (the header is row 1);
                  // JSON: the endpoint's position in "endpoints", from 1
    int line = 0; // CSV: the line the record starts on (differs from `row` after quoted newlines)
    QString name; // as written, also when the row has errors
    QString kind;
    std::optional<EndpointConfig> endpoint;
    QStringList errors;   // "row 3, column port: expected an integer 1–65535, got \"x\""
    QStringList warnings; // unknown keys inside JSON cells, same form
};

struct EndpointCsvResult
{
    QList<ImportedEndpoint> rows;
    QStringList errors; // about the whole file (no header, unknown column, open quote at the end)
};

enum class CsvColumnType { Text, Integer, Number, Boolean, Words, Json };

struct CsvColumn
{
    QString path; // "keepalive.idle_s"
    CsvColumnType type;
};

// Every column the format knows, in the order an export writes them.
const QList<CsvColumn> &endpointCsvColumns();

// RFC 4180 records: fields separated by commas, records by CRLF or LF, a field in double quotes
// may hold commas, line breaks and doubled quotes. A UTF-8 byte order mark is skipped. `lines`
// (optional) receives the line each record starts on. False with a message on an unclosed quote or
// text after a closing quote.
bool parseCsvRecords(const QByteArray &data, QList<QStringList> *records, QList<int> *lines, QString *error);
QByteArray csvField(const QString &value);

// Never fails as a whole unless the header is unusable; each row carries its own errors.
EndpointCsvResult parseEndpointCsv(const QByteArray &data);

// The header (name, kind, and the other columns any of the endpoints uses) and one row each,
// CRLF line ends as RFC 4180 asks. `notCarried` (optional) receives "name: key" for keys CSV has
// no column for (keys this version does not know), which a JSON export keeps.
QByteArray endpointsToCsv(const QList<EndpointConfig> &endpoints, QStringList *notCarried = nullptr);

// The endpoints of a workspace JSON file one by one, so a bad endpoint is one bad row and the
// others can still be imported. Errors in `fileErrors` when the file itself is unusable.
QList<ImportedEndpoint> parseEndpointJson(const QByteArray &data, const QString &fileName,
                                          QStringList *fileErrors);

} // namespace kw
