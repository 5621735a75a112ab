#include "unprivileged.h"
#include "workspace.h"
#include "workspacejson.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#ifdef Q_OS_UNIX
#include <csignal>
#include <sys/resource.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using kw::WorkspaceResult;
using namespace kw::test;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace

class TestWorkspaceFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void saveAndLoad();
    void saveKeepsPermissionsAndSymlink();
    void saveRefusesInvalidFileOnDisk();
    void saveRefusesInvalidWorkspace();
    void saveKeepsOriginalWhenDirectoryReadOnly();
    void saveKeepsOriginalWhenWriteFails();
    void saveIntoMissingDirectory();
    void loadMissingFile();
    void connectSpreadKey_data();
    void connectSpreadKey();
    void connectSpreadRoundTrip();
};

void TestWorkspaceFile::saveAndLoad()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ws.json"_s);
    const WorkspaceResult parsed = kw::parseWorkspace(fileWith({baseEndpoint(), listenEndpoint()}), kFile);
    QVERIFY(parsed.ok());

    QString error;
    QVERIFY2(kw::saveWorkspace(path, *parsed.workspace, &error), qPrintable(error));
    const WorkspaceResult loaded = kw::loadWorkspace(path);
    QVERIFY2(loaded.ok(), qPrintable(loaded.errors.join(u'\n')));
    QCOMPARE(loaded.workspace->endpoints, parsed.workspace->endpoints);

    // Saving over a valid file replaces it and leaves no temporary files behind.
    kw::Workspace changed = *loaded.workspace;
    changed.endpoints.removeFirst();
    QVERIFY2(kw::saveWorkspace(path, changed, &error), qPrintable(error));
    QCOMPARE(kw::loadWorkspace(path).workspace->endpoints, changed.endpoints);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{u"ws.json"_s});
}

void TestWorkspaceFile::saveKeepsPermissionsAndSymlink()
{
#ifdef Q_OS_UNIX
    QTemporaryDir dir;
    const QString real = dir.filePath(u"real.json"_s);
    const QString link = dir.filePath(u"ws.json"_s);
    QVERIFY(writeAll(real, fileWith({baseEndpoint()})));
    const QFile::Permissions ownerOnly = QFile::ReadOwner | QFile::WriteOwner;
    QVERIFY(QFile::setPermissions(real, ownerOnly));
    QVERIFY(QFile::link(real, link));

    const WorkspaceResult parsed = kw::parseWorkspace(fileWith({listenEndpoint()}), kFile);
    QString error;
    QVERIFY2(kw::saveWorkspace(link, *parsed.workspace, &error), qPrintable(error));
    // The link still points at the real file, which now holds the new content
    // and keeps its owner-only permissions.
    QVERIFY(QFileInfo(link).isSymLink());
    QCOMPARE(kw::loadWorkspace(real).workspace->endpoints, parsed.workspace->endpoints);
    const QFile::Permissions groupAndOther = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup |
                                             QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
    QCOMPARE(QFile::permissions(real) & (ownerOnly | groupAndOther), ownerOnly);
#else
    QSKIP("POSIX permissions and symlinks");
#endif
}

void TestWorkspaceFile::saveRefusesInvalidFileOnDisk()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"ws.json"_s);
    const QByteArray handEdited = withKey("port", R"("abc")");
    QVERIFY(writeAll(path, handEdited));

    const WorkspaceResult parsed = kw::parseWorkspace(fileWith({baseEndpoint()}), kFile);
    QString error;
    QVERIFY(!kw::saveWorkspace(path, *parsed.workspace, &error));
    QCOMPARE(error, path + u": not saved: the file on disk does not pass validation ("_s + path +
                        u": endpoints[0].port: expected an integer 1–65535, got \"abc\"); fix it or move it "
                        "away, then save again"_s);
    QCOMPARE(readAll(path), handEdited);
}

void TestWorkspaceFile::saveRefusesInvalidWorkspace()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"ws.json"_s);
    kw::Workspace workspace;
    kw::EndpointConfig c;
    c.name = u"db"_s;
    c.host = u"db.internal"_s;
    c.port = 5432;
    workspace.endpoints = {c, c};
    QString error;
    QVERIFY(!kw::saveWorkspace(path, workspace, &error));
    QCOMPARE(error,
             path + u": not saved: the workspace is not valid: "_s + path +
                 u": endpoints[1].name: \"db\" is already the name of endpoints[0]; names must be unique"_s);
    QVERIFY(!QFile::exists(path));
}

void TestWorkspaceFile::saveKeepsOriginalWhenDirectoryReadOnly()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"ws.json"_s);
    const QByteArray original = fileWith({baseEndpoint()});
    QVERIFY(writeAll(path, original));

    const WorkspaceResult parsed = kw::parseWorkspace(fileWith({listenEndpoint()}), kFile);
    QString error;
    bool saved = false;
    {
        // Root ignores directory permissions: the save runs as nobody, who owns the directory and
        // the file.
        const kw::test::AsUnprivilegedUser user({dir.path(), path});
        QVERIFY2(user.error().isEmpty(), qPrintable(user.error()));
        QVERIFY(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::ExeOwner));
        saved = kw::saveWorkspace(path, *parsed.workspace, &error);
        QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    QVERIFY(!saved);
    QVERIFY2(error.startsWith(path + u": not saved: cannot write in "_s), qPrintable(error));
    QVERIFY2(error.endsWith(u"; check that the directory exists and is writable"_s), qPrintable(error));
    QCOMPARE(readAll(path), original);
}

void TestWorkspaceFile::saveKeepsOriginalWhenWriteFails()
{
#ifdef Q_OS_UNIX
    // A file size limit makes the write fail part-way, for root too, the way a
    // full disk does.
    QTemporaryDir dir;
    const QString path = dir.filePath(u"ws.json"_s);
    const QByteArray original = fileWith({baseEndpoint()});
    QVERIFY(writeAll(path, original));

    QJsonArray many;
    for (int i = 0; i < 50; ++i) {
        QJsonObject endpoint = baseEndpoint();
        endpoint.insert(u"name"_s, QString(u"db-"_s + QString::number(i)));
        many.append(endpoint);
    }
    const WorkspaceResult parsed = kw::parseWorkspace(fileWith(many), kFile);
    QVERIFY(parsed.ok());

    rlimit saved{};
    QVERIFY(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
    const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = saved;
    small.rlim_cur = 1024;
    QVERIFY(::setrlimit(RLIMIT_FSIZE, &small) == 0);
    QString error;
    const bool ok = kw::saveWorkspace(path, *parsed.workspace, &error);
    ::setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, previousHandler);

    QVERIFY(!ok);
    QVERIFY2(error.startsWith(path + u": not saved (the previous file is unchanged): "_s), qPrintable(error));
    QVERIFY2(error.endsWith(u"; check the free disk space"_s), qPrintable(error));
    QCOMPARE(readAll(path), original);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{u"ws.json"_s});
#else
    QSKIP("needs RLIMIT_FSIZE");
#endif
}

void TestWorkspaceFile::saveIntoMissingDirectory()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"missing/ws.json"_s);
    QString error;
    QVERIFY(!kw::saveWorkspace(path, kw::Workspace{}, &error));
    QVERIFY2(error.startsWith(path + u": not saved: cannot write in "_s), qPrintable(error));
    QVERIFY(!QFile::exists(path));
}

void TestWorkspaceFile::loadMissingFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"nope.json"_s);
    const WorkspaceResult result = kw::loadWorkspace(path);
    QVERIFY(!result.ok());
    QCOMPARE(result.errors.size(), 1);
    QVERIFY2(result.errors.first().startsWith(path + u": cannot open: "_s),
             qPrintable(result.errors.first()));

    const WorkspaceResult directory = kw::loadWorkspace(dir.path());
    QCOMPARE(directory.errors,
             QStringList{dir.path() + u": is a directory; give the path of a workspace .json file"_s});
}

void TestWorkspaceFile::connectSpreadKey_data()
{
    QTest::addColumn<QByteArray>("spread");
    QTest::addColumn<QString>("message"); // empty: valid
    QTest::newRow("all four") << QByteArray(R"({"first_connect_burst": 20, "first_connect_per_second": 50,
                                               "reconnect_burst": 10, "reconnect_per_second": 2.5})")
                              << QString();
    QTest::newRow("zero burst")
        << QByteArray(R"({"first_connect_burst": 0})")
        << u"connect_spread.first_connect_burst: expected an integer 1–100000 connects that may start at the "
           "same instant, got 0"_s;
    QTest::newRow("fractional burst") << QByteArray(R"({"reconnect_burst": 2.5})")
                                      << u"connect_spread.reconnect_burst: expected an integer 1–100000"_s;
    QTest::newRow("zero rate") << QByteArray(R"({"reconnect_per_second": 0})")
                               << u"connect_spread.reconnect_per_second: expected connects per second after "
                                  "the burst, a number 0.1–1000000, got 0"_s;
    QTest::newRow("text rate") << QByteArray(R"({"first_connect_per_second": "fast"})")
                               << u"connect_spread.first_connect_per_second: expected connects per second "
                                  "after the burst, a number 0.1–1000000, got \"fast\""_s;
    QTest::newRow("not an object") << QByteArray(R"(100)") << u"connect_spread: expected an object"_s;
}

void TestWorkspaceFile::connectSpreadKey()
{
    QFETCH(QByteArray, spread);
    QFETCH(QString, message);
    const QByteArray json = R"({"version": 1, "endpoints": [], "connect_spread": )" + spread + "}";
    const WorkspaceResult result = kw::parseWorkspace(json, u"ws.json"_s);
    if (message.isEmpty()) {
        QVERIFY2(result.ok(), qPrintable(result.errors.join(u"\n"_s)));
        QVERIFY(result.warnings.isEmpty());
        const kw::ConnectSpread resolved = kw::resolveConnectSpread(result.workspace->connectSpread);
        QCOMPARE(resolved.firstConnectPerHost, (kw::SpreaderParams{20, 50.0}));
        QCOMPARE(resolved.reconnect, (kw::SpreaderParams{10, 2.5}));
        return;
    }
    QVERIFY(!result.ok());
    QCOMPARE(result.errors.size(), 1);
    QVERIFY2(result.errors.first().startsWith(u"ws.json: "_s + message), qPrintable(result.errors.first()));
}

void TestWorkspaceFile::connectSpreadRoundTrip()
{
    // Unset: the defaults of the engine (100 at once, then 500 a second), and no key written.
    const WorkspaceResult plain = kw::parseWorkspace(R"({"version": 1, "endpoints": []})", u"ws.json"_s);
    QVERIFY(plain.ok());
    QVERIFY(plain.workspace->connectSpread.isEmpty());
    QCOMPARE(kw::resolveConnectSpread(plain.workspace->connectSpread), kw::ConnectSpread{});
    QCOMPARE(kw::ConnectSpread{}.firstConnectPerHost, (kw::SpreaderParams{100, 500.0}));
    QCOMPARE(kw::ConnectSpread{}.reconnect, (kw::SpreaderParams{100, 500.0}));
    QVERIFY(!kw::workspaceToJsonObject(*plain.workspace).contains(u"connect_spread"_s));

    // Set keys, one unknown among them: what is written back reads the same, the unknown key kept
    // (with its warning).
    const WorkspaceResult set = kw::parseWorkspace(
        R"({"version": 1, "endpoints": [], "connect_spread": {"reconnect_per_second": 50, "future": 1}})",
        u"ws.json"_s);
    QVERIFY(set.ok());
    QCOMPARE(set.warnings.size(), 1);
    QVERIFY2(set.warnings.first().contains(u"connect_spread.future"_s), qPrintable(set.warnings.first()));
    kw::Workspace edited = *set.workspace;
    edited.connectSpread.firstBurst = 7;
    const QByteArray written = kw::workspaceToJson(edited);
    const WorkspaceResult again = kw::parseWorkspace(written, u"ws.json"_s);
    QVERIFY2(again.ok(), qPrintable(again.errors.join(u"\n"_s)));
    QVERIFY(again.workspace->connectSpread == edited.connectSpread);
    QCOMPARE(again.workspace->connectSpread.firstBurst, 7);
    QCOMPARE(again.workspace->connectSpread.reconnectPerSecond, 50.0);
    QVERIFY(!again.workspace->connectSpread.reconnectBurst);
    QCOMPARE(again.workspace->connectSpread.raw.value(u"future"_s).toInt(), 1);
}

QTEST_GUILESS_MAIN(TestWorkspaceFile)
#include "tst_workspacefile.moc"
