#include "eventloginsert.h"

#include "jsonwriter.h"
#include "storelogging.h"

#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <array>
#include <charconv>
#include <vector>

#ifdef KW_HAVE_SQLITE3_API
#include <sqlite3.h>
#if __has_include(<dlfcn.h>)
#include <dlfcn.h>
#define KW_CAN_FIND_SQLITE_COPY 1
#endif
#endif

namespace kw::detail {

using namespace Qt::StringLiterals;

namespace {

const QString kColumnList =
    u"INTO events (ts, endpoint, kind, state, cause, detail, rtt_ms, source, data) VALUES "_s;

// A statement of several rows that can fail part way needs a statement journal, and SQLite copies
// every page the statement touches into it before changing it: with each row in another part of the
// (endpoint, ts) index, that was as much work as the inserts (sqlite3BtreeInsert 17 -> 36 samples
// in the engine thread). OR ROLLBACK needs none: a failed row ends the whole transaction, which is
// what append() does with a failed batch anyway, and SQLITE_FULL or an I/O error part way through a
// statement without a journal rolls the transaction back as well.
QString insertSql(int rows, bool orRollback)
{
    QString sql = (orRollback ? u"INSERT OR ROLLBACK "_s : u"INSERT "_s) + kColumnList;
    for (int r = 0; r < rows; ++r)
        sql += r == 0 ? u"(?,?,?,?,?,?,?,?,?)"_s : u",(?,?,?,?,?,?,?,?,?)"_s;
    return sql;
}

qint64 storedMSecs(const Event &event)
{
    if (event.ts.isValid())
        return event.ts.toMSecsSinceEpoch();
    qCWarning(lcStore) << "event without a timestamp for" << event.endpoint << "stored with the current time";
    return QDateTime::currentMSecsSinceEpoch();
}

// A tcpinfo sample's keys in the order QJsonObject keeps them (sorted), each with its field; taken
// from TcpInfoSample::addTo itself, so the names and their order have one source.
struct TcpInfoKey
{
    QByteArray prefix; // ,"probes": (the first without its comma)
    int field;         // TcpInfoSample::kFieldCount: tcp_state
};

const std::vector<TcpInfoKey> &tcpInfoKeys()
{
    static const std::vector<TcpInfoKey> keys = [] {
        TcpInfoSample all;
        for (std::size_t f = 0; f < TcpInfoSample::kFieldCount; ++f)
            all.set(TcpInfoSample::Field(f), 0u);
        all.tcpState = u"-"_s;
        QJsonObject object;
        all.addTo(object);
        std::vector<TcpInfoKey> out;
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            int field = int(TcpInfoSample::kFieldCount);
            for (std::size_t f = 0; f < TcpInfoSample::kFieldCount; ++f) {
                if (TcpInfoSample::keyOf(TcpInfoSample::Field(f)) == it.key())
                    field = int(f);
            }
            out.push_back({jsonScalar(it.key()) + ':', field});
        }
        return out;
    }();
    return keys;
}

bool isPlainText(const QString &text)
{
    return std::all_of(text.cbegin(), text.cend(), [](QChar c) {
        return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'_';
    });
}

QByteArray tcpInfoJson(const TcpInfoSample &sample)
{
    QByteArray json;
    json.reserve(192);
    for (const TcpInfoKey &key : tcpInfoKeys()) {
        const bool isState = key.field == int(TcpInfoSample::kFieldCount);
        if (isState ? sample.tcpState.isEmpty() : !(sample.present & (1u << key.field)))
            continue;
        json += json.isEmpty() ? '{' : ',';
        json += key.prefix;
        if (isState) {
            // The kernel's names are plain; anything else is escaped as QJsonDocument does.
            if (isPlainText(sample.tcpState))
                json += '"' + sample.tcpState.toLatin1() + '"';
            else
                json += jsonScalar(sample.tcpState);
        } else {
            // Whole numbers: QJsonDocument writes them in decimal, without exponent or fraction.
            std::array<char, 16> digits{};
            const auto end = std::to_chars(digits.data(), digits.data() + digits.size(),
                                           sample.values[std::size_t(key.field)])
                                 .ptr;
            json.append(digits.data(), end - digits.data());
        }
    }
    if (!json.isEmpty())
        json += '}';
    return json;
}

// Row by row through QSqlQuery: where the driver's SQLite is not the one linked here.
class QtInserter final : public EventInserter
{
public:
    explicit QtInserter(const QSqlDatabase &db) : m_db(db) {}

    bool isDirect() const override { return false; }

    bool insert(const QList<Event> &batch, SqlFailure *failure) override
    {
        if (!m_insert) {
            auto insert = std::make_unique<QSqlQuery>(m_db);
            if (!insert->prepare(insertSql(1, false))) {
                *failure = failureOf(insert->lastError());
                return false;
            }
            m_insert = std::move(insert);
        }
        QSqlQuery &q = *m_insert;
        const auto textOrNull = [](const QString &text) {
            return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
        };
        for (const Event &event : batch) {
            q.bindValue(0, storedMSecs(event));
            // Engine-wide events (an endpoint name of QString()) would bind NULL and fail the whole batch.
            q.bindValue(1, event.endpoint.isNull() ? u""_s : event.endpoint);
            q.bindValue(2, event.kindName());
            q.bindValue(3, textOrNull(event.stateName()));
            q.bindValue(4, textOrNull(event.causeName()));
            q.bindValue(5, textOrNull(event.detail));
            q.bindValue(6, event.rttMs ? QVariant(*event.rttMs) : QVariant(QMetaType::fromType<double>()));
            q.bindValue(7, textOrNull(event.source));
            const QByteArray data = eventDataJson(event);
            q.bindValue(8, data.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                          : QVariant(QString::fromUtf8(data)));
            if (!q.exec()) {
                *failure = failureOf(q.lastError());
                m_insert.reset(); // prepared again on the next try
                return false;
            }
        }
        q.finish();
        return true;
    }

private:
    QSqlDatabase m_db;
    std::unique_ptr<QSqlQuery> m_insert;
};

#ifdef KW_CAN_FIND_SQLITE_COPY

constexpr int kColumns = 9; // of kColumnList, bound in this order (bindRow())

// The connection's sqlite3 handle, when the Qt driver calls the very SQLite library this code links:
// a handle of another copy (Qt's own binaries build SQLite into the plugin) must not be passed to
// this one. The driver's vtable lies in the plugin; the plugin's sqlite3_step, as the dynamic
// linker resolves it for the plugin, must be the one called here.
sqlite3 *sharedHandle(const QSqlDatabase &db)
{
    const QSqlDriver *driver = db.driver();
    if (!driver)
        return nullptr;
    const QVariant handle = driver->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    sqlite3 *connection = *static_cast<sqlite3 *const *>(handle.constData());
    if (!connection)
        return nullptr;
    Dl_info info{};
    if (!dladdr(*reinterpret_cast<void *const *>(driver), &info) || !info.dli_fname)
        return nullptr;
    void *plugin = dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD);
    if (!plugin)
        return nullptr;
    void *const theirs = dlsym(plugin, "sqlite3_step");
    dlclose(plugin);
    return theirs == reinterpret_cast<void *>(&sqlite3_step) ? connection : nullptr;
}

// Through the SQLite C API, up to 64 rows a statement. Through QSqlQuery every bindValue() formats a
// placeholder name (":%1") and hashes it (14 % of an append in kw_bench_eventlogappend), every value
// is a QVariant, and every row is a statement of its own that opens the table and its indexes again.
class DirectInserter final : public EventInserter
{
public:
    explicit DirectInserter(sqlite3 *db) : m_db(db) {}
    ~DirectInserter() override { finalize(); }
    DirectInserter(const DirectInserter &) = delete;
    DirectInserter &operator=(const DirectInserter &) = delete;

    bool isDirect() const override { return true; }

    bool insert(const QList<Event> &batch, SqlFailure *failure) override
    {
        qsizetype at = 0;
        while (at < batch.size()) {
            std::size_t size = 0;
            while (kRows[size] > batch.size() - at)
                ++size;
            const int rows = kRows[size];
            sqlite3_stmt *statement = prepared(size, failure);
            if (!statement)
                return false;
            int rc = SQLITE_OK;
            for (int r = 0; r < rows && rc == SQLITE_OK; ++r)
                rc = bindRow(statement, r * kColumns, batch.at(at + r));
            if (rc == SQLITE_OK)
                rc = sqlite3_step(statement);
            if (rc != SQLITE_DONE) {
                *failure = {rc & 0xFF, QString::fromUtf8(sqlite3_errmsg(m_db))};
                finalize(); // prepared again on the next try
                m_keep.clear();
                return false;
            }
            sqlite3_reset(statement);
            m_keep.clear();
            at += rows;
        }
        return true;
    }

private:
    // A batch of 93 (the Monitor's at 10,000 endpoints) is 64 + 16 + 3 x 4 + 1 rows in 6 statements.
    // 64 rows are 576 parameters, within the 999 of SQLite before 3.32.
    static constexpr std::array<qsizetype, 4> kRows{64, 16, 4, 1};

    sqlite3_stmt *prepared(std::size_t size, SqlFailure *failure)
    {
        if (!m_statements[size]) {
            const QByteArray sql = insertSql(int(kRows[size]), true).toUtf8();
            if (sqlite3_prepare_v3(m_db, sql.constData(), int(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                   &m_statements[size], nullptr) != SQLITE_OK) {
                *failure = {sqlite3_errcode(m_db) & 0xFF, QString::fromUtf8(sqlite3_errmsg(m_db))};
                sqlite3_finalize(m_statements[size]);
                m_statements[size] = nullptr;
            }
        }
        return m_statements[size];
    }

    void finalize()
    {
        for (sqlite3_stmt *&statement : m_statements) {
            sqlite3_finalize(statement);
            statement = nullptr;
        }
    }

    // Text of the batch's own strings is bound in place (SQLITE_STATIC: the batch outlives the step).
    static int bindText(sqlite3_stmt *statement, int index, const QString &text)
    {
        if (text.isEmpty())
            return sqlite3_bind_null(statement, index);
        return sqlite3_bind_text16(statement, index, text.utf16(), int(text.size() * 2), SQLITE_STATIC);
    }

    int bindRow(sqlite3_stmt *statement, int base, const Event &event)
    {
        int rc = sqlite3_bind_int64(statement, base + 1, storedMSecs(event));
        // Engine-wide events have no endpoint: an empty text, not NULL, which would fail the batch.
        if (rc == SQLITE_OK)
            rc = event.endpoint.isEmpty() ? sqlite3_bind_text(statement, base + 2, "", 0, SQLITE_STATIC)
                                          : bindText(statement, base + 2, event.endpoint);
        // The kind's name is a literal's text (eventKindName): it outlives the temporary QString.
        if (rc == SQLITE_OK)
            rc = bindText(statement, base + 3, event.kindName());
        if (rc == SQLITE_OK) {
            if (event.state) {
                const std::string_view name = endpointStateName(*event.state); // a literal
                rc = sqlite3_bind_text(statement, base + 4, name.data(), int(name.size()), SQLITE_STATIC);
            } else {
                rc = sqlite3_bind_null(statement, base + 4);
            }
        }
        if (rc == SQLITE_OK) {
            const std::string cause = event.cause.name();
            rc = cause.empty() ? sqlite3_bind_null(statement, base + 5)
                               : sqlite3_bind_text(statement, base + 5, cause.data(), int(cause.size()),
                                                   SQLITE_TRANSIENT);
        }
        if (rc == SQLITE_OK)
            rc = bindText(statement, base + 6, event.detail);
        if (rc == SQLITE_OK)
            rc = event.rttMs ? sqlite3_bind_double(statement, base + 7, *event.rttMs)
                             : sqlite3_bind_null(statement, base + 7);
        if (rc == SQLITE_OK)
            rc = bindText(statement, base + 8, event.source);
        if (rc == SQLITE_OK) {
            QByteArray data = eventDataJson(event);
            if (data.isEmpty()) {
                rc = sqlite3_bind_null(statement, base + 9);
            } else {
                // Kept until the step; moving a QByteArray keeps its buffer where it is.
                m_keep.push_back(std::move(data));
                rc = sqlite3_bind_text(statement, base + 9, m_keep.back().constData(),
                                       int(m_keep.back().size()), SQLITE_STATIC);
            }
        }
        return rc;
    }

    sqlite3 *m_db;
    std::array<sqlite3_stmt *, kRows.size()> m_statements{};
    std::vector<QByteArray> m_keep;
};

#endif

} // namespace

SqlFailure failureOf(const QSqlError &error)
{
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok);
    const QString text = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    // Extended codes carry the primary one in the low byte.
    return {ok ? code & 0xFF : -1, text.isEmpty() ? u"unknown SQLite error"_s : text};
}

QByteArray eventDataJson(const Event &event)
{
    if (event.tcpInfo && event.data.isEmpty())
        return tcpInfoJson(*event.tcpInfo);
    const QJsonObject data = event.allData();
    if (data.isEmpty())
        return {};
    return QJsonDocument(data).toJson(QJsonDocument::Compact);
}

std::unique_ptr<EventInserter> EventInserter::create(const QSqlDatabase &db, bool direct)
{
#ifdef KW_CAN_FIND_SQLITE_COPY
    if (direct) {
        if (sqlite3 *handle = sharedHandle(db))
            return std::make_unique<DirectInserter>(handle);
        qCInfo(lcStore)
            << "the Qt SQLite driver uses another SQLite library; the event log writes through it";
    }
#else
    Q_UNUSED(direct)
#endif
    return std::make_unique<QtInserter>(db);
}

} // namespace kw::detail
