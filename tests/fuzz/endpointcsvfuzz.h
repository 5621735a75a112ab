#pragma once

// The body of fuzz_endpointcsv, shared with tests/store/tst_endpointcsv.cpp so that the seed corpus
// runs in every ordinary test run, not only under libFuzzer. Returns an empty string when every
// property held, else what broke:
//  - the records re-encoded field by field (csvField) read back as the same records;
//  - every row is an endpoint or has errors, never both; a file-level error means no rows;
//  - the endpoints that parsed, exported again, import as the same endpoints without errors, and
//    exporting those gives the same bytes.

#include "endpointcsv.h"

#include <QByteArray>
#include <QString>

#include <string>

namespace kw::fuzz {

inline std::string runEndpointCsvInput(const QByteArray &input)
{
    QList<QStringList> records;
    QList<int> lines;
    QString error;
    if (parseCsvRecords(input, &records, &lines, &error)) {
        if (lines.size() != records.size())
            return "a start line for every record";
        QByteArray again;
        for (const QStringList &record : std::as_const(records)) {
            for (qsizetype i = 0; i < record.size(); ++i)
                again += (i ? "," : "") + csvField(record.at(i));
            again += "\r\n";
        }
        QList<QStringList> back;
        if (!parseCsvRecords(again, &back, nullptr, &error) || back != records)
            return "csvField re-encodes records that read back the same";
    } else if (error.isEmpty()) {
        return "a failed read says why";
    }

    const EndpointCsvResult result = parseEndpointCsv(input);
    if (!result.errors.isEmpty() && !result.rows.isEmpty())
        return "a file-level error leaves no rows";
    QList<EndpointConfig> endpoints;
    for (const ImportedEndpoint &row : result.rows) {
        if (row.endpoint.has_value() == !row.errors.isEmpty())
            return "a row is an endpoint or has errors, not both";
        if (row.endpoint)
            endpoints << *row.endpoint;
    }
    if (endpoints.isEmpty())
        return {};
    const QByteArray exported = endpointsToCsv(endpoints);
    const EndpointCsvResult reimported = parseEndpointCsv(exported);
    if (!reimported.errors.isEmpty() || reimported.rows.size() != endpoints.size())
        return "an export imports with every row";
    QList<EndpointConfig> back;
    for (const ImportedEndpoint &row : reimported.rows) {
        if (!row.endpoint)
            return "an exported row imports: " + row.errors.join(u"; "_qs).toStdString();
        back << *row.endpoint;
    }
    if (back != endpoints)
        return "export/import keeps every endpoint";
    if (endpointsToCsv(back) != exported)
        return "exporting twice gives the same bytes";
    return {};
}

} // namespace kw::fuzz
