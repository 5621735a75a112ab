#include "endpointcsv.h"

#include "csvformula.h"
#include "workspace.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QLocale>
#include <QRegularExpression>
#include <QSet>

#include <cmath>
#include <functional>

namespace kw {

using namespace Qt::StringLiterals;

namespace {

// The prefix parseEndpoint() puts before each message; replaced by "row N, column ...".
const QString kWhere = u"row"_s;

QString cellText(const QJsonValue &value, CsvColumnType type)
{
    switch (type) {
    case CsvColumnType::Words: {
        QStringList words;
        for (const QJsonValue &item : value.toArray())
            words << item.toString();
        return words.join(u' ');
    }
    case CsvColumnType::Json:
        return QString::fromUtf8(value.isArray()
                                     ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                                     : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    default:
        break;
    }
    if (value.isBool())
        return value.toBool() ? u"true"_s : u"false"_s;
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (d == std::floor(d) && std::abs(d) < 9007199254740992.0) // 2^53: exact as an integer
            return QString::number(qint64(d));
        return QString::number(d, 'g', QLocale::FloatingPointShortest);
    }
    return value.toString();
}

// Text, word and JSON cells are neutralised on export and restored on import (csvformula.h), so a
// spreadsheet shows "=1+2" as text and importing an exported file gives back the same endpoints.
// Numbers and booleans are neither: a negative number in a number column is a number.
bool holdsText(CsvColumnType type)
{
    return type == CsvColumnType::Text || type == CsvColumnType::Words || type == CsvColumnType::Json;
}

// The JSON value a cell stands for. Text that does not fit the column's type is passed on as a
// string, so the validator's message says what was expected and what was there.
std::optional<QJsonValue> cellValue(const QString &text, CsvColumnType type, QString *problem)
{
    switch (type) {
    case CsvColumnType::Text:
        return QJsonValue(text);
    case CsvColumnType::Integer: {
        bool ok = false;
        if (const qint64 i = text.trimmed().toLongLong(&ok); ok)
            return QJsonValue(i);
        [[fallthrough]];
    }
    case CsvColumnType::Number: {
        bool ok = false;
        if (const double d = text.trimmed().toDouble(&ok); ok)
            return QJsonValue(d);
        return QJsonValue(text);
    }
    case CsvColumnType::Boolean: {
        const QString t = text.trimmed().toLower();
        if (t == u"true" || t == u"yes" || t == u"on" || t == u"1")
            return QJsonValue(true);
        if (t == u"false" || t == u"no" || t == u"off" || t == u"0")
            return QJsonValue(false);
        return QJsonValue(text);
    }
    case CsvColumnType::Words:
        return QJsonValue(
            QJsonArray::fromStringList(text.split(QRegularExpression(u"\\s+"_s), Qt::SkipEmptyParts)));
    case CsvColumnType::Json: {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError) {
            *problem = u"not JSON ("_s + error.errorString() +
                       u"); write the value as in a workspace file, e.g. [{\"topic\": \"devices/+/hb\"}]"_s;
            return std::nullopt;
        }
        return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
    }
    }
    return std::nullopt;
}

void insertAt(QJsonObject &object, const QStringList &path, qsizetype at, const QJsonValue &value)
{
    const QString &key = path.at(at);
    if (at == path.size() - 1) {
        object.insert(key, value);
        return;
    }
    QJsonObject nested = object.value(key).toObject();
    insertAt(nested, path, at + 1, value);
    object.insert(key, nested);
}

const CsvColumn *columnOf(const QString &path)
{
    for (const CsvColumn &column : endpointCsvColumns()) {
        if (column.path == path)
            return &column;
    }
    return nullptr;
}

// "row.keepalive.idle_s: expected ..." -> "row 3, column keepalive.idle_s: expected ...". Paths
// inside a JSON cell (mqtt.watch[0].topic) are named by their column and the rest of the path.
QString rowMessage(const QString &message, int row)
{
    const QString prefix = u"row "_s + QString::number(row);
    if (!message.startsWith(kWhere))
        return prefix + u": "_s + message;
    const QString rest = message.mid(kWhere.size());
    if (!rest.startsWith(u'.'))
        return prefix + rest;
    const qsizetype colon = rest.indexOf(u": "_s);
    const QString path = rest.mid(1, colon < 0 ? -1 : colon - 1);
    const QString problem = colon < 0 ? QString() : rest.mid(colon + 2);
    QString column;
    for (const CsvColumn &c : endpointCsvColumns()) {
        if ((path == c.path || path.startsWith(c.path + u'.') || path.startsWith(c.path + u'[')) &&
            c.path.size() > column.size())
            column = c.path;
    }
    if (column.isEmpty())
        return prefix + u", "_s + path + u": "_s + problem;
    const QString inside = path.mid(column.size());
    return prefix + u", column "_s + column + (inside.isEmpty() ? QString() : u" ("_s + inside + u')') +
           u": "_s + problem;
}

} // namespace

const QList<CsvColumn> &endpointCsvColumns()
{
    using T = CsvColumnType;
    static const QList<CsvColumn> columns{
        {u"name"_s, T::Text},
        {u"kind"_s, T::Text},
        {u"host"_s, T::Text},
        {u"port"_s, T::Integer},
        {u"bind"_s, T::Text},
        {u"url"_s, T::Text},
        {u"enabled"_s, T::Boolean},
        {u"tags"_s, T::Words},
        {u"keepalive.enabled"_s, T::Boolean},
        {u"keepalive.idle_s"_s, T::Integer},
        {u"keepalive.interval_s"_s, T::Integer},
        {u"keepalive.count"_s, T::Integer},
        {u"keepalive.user_timeout_ms"_s, T::Integer},
        {u"heartbeat.interval_s"_s, T::Number},
        {u"heartbeat.send"_s, T::Text},
        {u"heartbeat.expect"_s, T::Text},
        {u"heartbeat.misses"_s, T::Integer},
        {u"heartbeat.timeout_ms"_s, T::Integer},
        {u"idle.reader_s"_s, T::Integer},
        {u"idle.writer_s"_s, T::Integer},
        {u"idle.all_s"_s, T::Integer},
        {u"idle.action"_s, T::Text},
        {u"reconnect.initial_ms"_s, T::Integer},
        {u"reconnect.max_ms"_s, T::Integer},
        {u"reconnect.multiplier"_s, T::Number},
        {u"reconnect.jitter"_s, T::Number},
        {u"reconnect.min_connect_timeout_ms"_s, T::Integer},
        {u"tls.enabled"_s, T::Boolean},
        {u"tls.ca_file"_s, T::Text},
        {u"tls.cert_file"_s, T::Text},
        {u"tls.key_file"_s, T::Text},
        {u"tls.peer_name"_s, T::Text},
        {u"tls.insecure"_s, T::Boolean},
        {u"tls.alpn"_s, T::Words},
        {u"tls.warn_expiry_days"_s, T::Integer},
        {u"websocket.ping_interval_s"_s, T::Number},
        {u"websocket.pong_timeout_s"_s, T::Number},
        {u"websocket.subprotocols"_s, T::Words},
        {u"websocket.headers"_s, T::Json},
        {u"mqtt.version"_s, T::Text},
        {u"mqtt.transport"_s, T::Text},
        {u"mqtt.path"_s, T::Text},
        {u"mqtt.keepalive_s"_s, T::Integer},
        {u"mqtt.ping_timeout_s"_s, T::Number},
        {u"mqtt.client_id"_s, T::Text},
        {u"mqtt.username"_s, T::Text},
        {u"mqtt.password_env"_s, T::Text},
        {u"mqtt.clean_start"_s, T::Boolean},
        {u"mqtt.session_expiry_s"_s, T::Integer},
        {u"mqtt.will.topic"_s, T::Text},
        {u"mqtt.will.payload"_s, T::Text},
        {u"mqtt.will.qos"_s, T::Integer},
        {u"mqtt.will.retain"_s, T::Boolean},
        {u"mqtt.watch"_s, T::Json},
        {u"alert.down_after"_s, T::Integer},
        {u"alert.down_after_s"_s, T::Integer},
        {u"alert.up_after"_s, T::Integer},
        {u"alert.resend_every_s"_s, T::Integer},
        {u"alert.mute_until"_s, T::Text},
        {u"alert.maintenance"_s, T::Json},
        {u"alert.flap_high"_s, T::Number},
        {u"alert.flap_low"_s, T::Number},
    };
    return columns;
}

bool parseCsvRecords(const QByteArray &data, QList<QStringList> *records, QList<int> *lines, QString *error)
{
    QString text = QString::fromUtf8(data);
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    QStringList fields;
    QString field;
    bool inQuotes = false;
    bool afterQuote = false; // a quoted field was just closed: only a separator may follow
    int line = 1;
    int recordLine = 1;
    int quoteLine = 1;
    const auto fail = [error](int at, const QString &problem) {
        if (error)
            *error = u"line "_s + QString::number(at) + u": "_s + problem;
        return false;
    };
    const auto endRecord = [&] {
        fields << field;
        field.clear();
        afterQuote = false;
        records->append(fields);
        if (lines)
            lines->append(recordLine);
        fields.clear();
        ++line;
        recordLine = line;
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (inQuotes) {
            if (c == u'"') {
                if (i + 1 < text.size() && text.at(i + 1) == u'"') {
                    field += u'"';
                    ++i;
                } else {
                    inQuotes = false;
                    afterQuote = true;
                }
            } else {
                if (c == u'\n')
                    ++line;
                field += c;
            }
            continue;
        }
        if (c == u',') {
            fields << field;
            field.clear();
            afterQuote = false;
        } else if (c == u'\r' || c == u'\n') {
            if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n')
                ++i;
            endRecord();
        } else if (afterQuote) {
            return fail(line, u"text after the closing quote of a field; a quote inside a quoted field is "
                              u"written twice (\"\")"_s);
        } else if (c == u'"') {
            if (!field.isEmpty()) {
                return fail(line, u"a quote inside a field that does not start with one; put the whole "
                                  u"field in quotes and write the quote twice (\"\")"_s);
            }
            inQuotes = true;
            quoteLine = line;
        } else {
            field += c;
        }
    }
    if (inQuotes)
        return fail(quoteLine, u"a quoted field starts here and is never closed; add the closing quote"_s);
    if (!field.isEmpty() || !fields.isEmpty() || afterQuote)
        endRecord();
    return true;
}

QByteArray csvField(const QString &value)
{
    // A leading byte order mark is quoted too, or the reader would take it for the file's.
    static const QRegularExpression special(u"[\",\\r\\n]|^\\s|\\s$|^\\x{FEFF}"_s);
    if (!value.contains(special))
        return value.toUtf8();
    QString quoted = value;
    quoted.replace(u"\""_s, u"\"\""_s);
    return '"' + quoted.toUtf8() + '"';
}

EndpointCsvResult parseEndpointCsv(const QByteArray &data)
{
    EndpointCsvResult result;
    QList<QStringList> records;
    QList<int> lines;
    QString error;
    if (!parseCsvRecords(data, &records, &lines, &error)) {
        result.errors << error;
        return result;
    }
    qsizetype headerIndex = 0;
    while (headerIndex < records.size() && records.at(headerIndex).join(QString()).trimmed().isEmpty())
        ++headerIndex;
    if (headerIndex == records.size()) {
        result.errors << u"the file is empty; the first row names the columns, e.g. name,kind,host,port"_s;
        return result;
    }

    QList<const CsvColumn *> columns;
    QHash<QString, int> seen;
    const QStringList header = records.at(headerIndex);
    for (qsizetype i = 0; i < header.size(); ++i) {
        const QString path = header.at(i).trimmed();
        const QString where = u"header, column "_s + QString::number(i + 1) + u' ';
        const CsvColumn *column = columnOf(path);
        if (path.isEmpty())
            result.errors << where + u"has no name; name it or delete the column"_s;
        else if (!column)
            result.errors << where + u"\""_s + path +
                                 u"\": not a column Keepwatch knows (is it misspelt?); the columns are "_s +
                                 [] {
                                     QStringList names;
                                     for (const CsvColumn &c : endpointCsvColumns())
                                         names << c.path;
                                     return names.join(u", "_s);
                                 }();
        else if (seen.contains(path))
            result.errors << where + u"\""_s + path + u"\" is also column "_s +
                                 QString::number(seen.value(path)) + u"; keep one"_s;
        seen.insert(path, int(i + 1));
        columns << column;
    }
    if (!result.errors.isEmpty())
        return result;
    const qsizetype nameColumn = header.indexOf(u"name"_s);
    const qsizetype kindColumn = header.indexOf(u"kind"_s);

    for (qsizetype r = headerIndex + 1; r < records.size(); ++r) {
        const QStringList &fields = records.at(r);
        if (fields.join(QString()).trimmed().isEmpty())
            continue; // a blank line
        ImportedEndpoint row;
        row.row = int(r + 1);
        row.line = lines.at(r);
        row.name = nameColumn >= 0 ? fields.value(nameColumn).trimmed() : QString();
        row.kind = kindColumn >= 0 ? fields.value(kindColumn).trimmed() : QString();
        if (fields.size() > columns.size()) {
            row.errors << u"row "_s + QString::number(row.row) + u": "_s + QString::number(fields.size()) +
                              u" fields, but the header names "_s + QString::number(columns.size()) +
                              u" columns; quote fields that contain a comma"_s;
            result.rows << row;
            continue;
        }
        QJsonObject object;
        for (qsizetype i = 0; i < fields.size(); ++i) {
            const QString text = holdsText(columns.at(i)->type) ? restoreFormula(fields.at(i)) : fields.at(i);
            if (text.isEmpty())
                continue;
            QString problem;
            const std::optional<QJsonValue> value = cellValue(text, columns.at(i)->type, &problem);
            if (!value) {
                row.errors << u"row "_s + QString::number(row.row) + u", column "_s + columns.at(i)->path +
                                  u": "_s + problem;
                continue;
            }
            insertAt(object, columns.at(i)->path.split(u'.'), 0, *value);
        }
        if (row.errors.isEmpty()) {
            EndpointResult parsed = parseEndpoint(object, kWhere);
            for (const QString &message : std::as_const(parsed.errors))
                row.errors << rowMessage(message, row.row);
            for (const QString &message : std::as_const(parsed.warnings))
                row.warnings << rowMessage(message, row.row);
            row.endpoint = std::move(parsed.endpoint);
        }
        result.rows << row;
    }
    return result;
}

QByteArray endpointsToCsv(const QList<EndpointConfig> &endpoints, QStringList *notCarried)
{
    const QList<CsvColumn> &all = endpointCsvColumns();
    QList<QHash<QString, QString>> cells;
    QSet<QString> used{u"name"_s, u"kind"_s};
    for (const EndpointConfig &endpoint : endpoints) {
        QHash<QString, QString> row;
        const std::function<void(const QJsonObject &, const QString &)> walk = [&](const QJsonObject &object,
                                                                                   const QString &prefix) {
            for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
                const QString path = prefix + it.key();
                if (const CsvColumn *column = columnOf(path)) {
                    const QString text = cellText(it.value(), column->type);
                    row.insert(path, holdsText(column->type) ? neutraliseFormula(text) : text);
                    used.insert(path);
                } else if (it.value().isObject()) {
                    walk(it.value().toObject(), path + u'.');
                } else if (notCarried) {
                    notCarried->append(endpoint.name + u": "_s + path);
                }
            }
        };
        walk(endpointToJson(endpoint), QString());
        cells << row;
    }

    QList<const CsvColumn *> columns;
    for (const CsvColumn &column : all) {
        if (used.contains(column.path))
            columns << &column;
    }
    const auto writeRow = [&columns](QByteArray &out, const std::function<QString(const CsvColumn &)> &cell) {
        for (qsizetype i = 0; i < columns.size(); ++i) {
            if (i > 0)
                out += ',';
            out += csvField(cell(*columns.at(i)));
        }
        out += "\r\n";
    };
    QByteArray out;
    writeRow(out, [](const CsvColumn &column) { return column.path; });
    for (const QHash<QString, QString> &row : std::as_const(cells))
        writeRow(out, [&row](const CsvColumn &column) { return row.value(column.path); });
    return out;
}

QList<ImportedEndpoint> parseEndpointJson(const QByteArray &data, const QString &fileName,
                                          QStringList *fileErrors)
{
    QByteArray json = data;
    if (json.startsWith("\xEF\xBB\xBF"))
        json.remove(0, 3);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    const QJsonObject top = document.object();
    const QJsonValue version = top.value(u"version"_s);
    const bool usable = parseError.error == QJsonParseError::NoError && document.isObject() &&
                        top.value(u"endpoints"_s).isArray() &&
                        (!version.isDouble() || version.toDouble() <= Workspace::kVersion);
    if (!usable) {
        // The workspace loader's own message (line and column, the newer version, ...).
        QStringList errors = parseWorkspace(data, fileName).errors;
        if (errors.isEmpty())
            errors << fileName + u": not a workspace file"_s;
        if (fileErrors)
            *fileErrors = errors;
        return {};
    }
    QList<ImportedEndpoint> rows;
    const QJsonArray array = top.value(u"endpoints"_s).toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        ImportedEndpoint row;
        row.row = int(i + 1);
        const QString where = u"endpoints["_s + QString::number(i) + u']';
        const QJsonValue item = array.at(i);
        if (!item.isObject()) {
            row.errors << where + u": expected an object, got "_s +
                              (item.isArray() ? u"an array"_s : u"a single value"_s);
            rows << row;
            continue;
        }
        row.name = item.toObject().value(u"name"_s).toString();
        row.kind = item.toObject().value(u"kind"_s).toString();
        EndpointResult parsed = parseEndpoint(item.toObject(), where);
        row.errors = parsed.errors;
        row.warnings = parsed.warnings;
        row.endpoint = std::move(parsed.endpoint);
        rows << row;
    }
    return rows;
}

} // namespace kw
