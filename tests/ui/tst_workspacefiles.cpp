// The File menu's workspace commands on the real window over a real engine: opening a valid and
// a malformed workspace, the unsaved-changes question when closing (answered in the test),
// Save As, the recent files and the shortcuts of the window's actions.

#include "endpointpanel.h"
#include "endpointtablemodel.h"
#include "engine.h"
#include "mainwindow.h"
#include "recentfiles.h"
#include "workspace.h"
#include "workspacefiles.h"

#include <QAbstractButton>
#include <QAction>
#include <QFile>
#include <QFileDialog>
#include <QHash>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace kw;
using namespace Qt::StringLiterals;

namespace {

// Disabled: the window and the engine do everything but connect, so no peer is needed.
EndpointConfig endpoint(const QString &name, quint16 port = 9)
{
    EndpointConfig c;
    c.name = name;
    c.host = u"127.0.0.1"_s;
    c.port = port;
    c.enabled = false;
    return c;
}

Workspace workspaceOf(const QStringList &names)
{
    Workspace w;
    for (const QString &name : names)
        w.endpoints << endpoint(name);
    return w;
}

QStringList namesOf(const Engine &engine)
{
    QStringList names;
    for (const EndpointConfig &c : engine.workspace().endpoints)
        names << c.name;
    return names;
}

template<typename T>
T *waitForChild(QWidget *parent, const QString &name)
{
    T *found = nullptr;
    const bool appeared = QTest::qWaitFor(
        [&] {
            found = parent->findChild<T *>(name);
            return found && found->isVisible();
        },
        5000);
    return appeared ? found : nullptr;
}

void answer(QWidget *window, QMessageBox::StandardButton button)
{
    auto *box = waitForChild<QMessageBox>(window, u"unsavedPrompt"_s);
    QVERIFY(box);
    box->button(button)->click();
}

} // namespace

class TestWorkspaceFiles : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<MainWindow> m_window;

    // A window over a started engine on `workspace`, saved at `path` (empty: no file, as the demo).
    void open(const Workspace &workspace, const QString &path = {})
    {
        m_window.reset();
        m_engine.reset();
        m_settings = std::make_unique<QSettings>(m_dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
        m_settings->clear();
        m_engine = std::make_unique<Engine>(EngineOptions{QString(), path});
        QString error;
        QVERIFY2(m_engine->start(workspace, &error), qPrintable(error));
        m_window = std::make_unique<MainWindow>(m_engine.get(), m_settings.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }
    WorkspaceFiles *files() const { return m_window->findChild<WorkspaceFiles *>(); }
    QString write(const QString &name, const QByteArray &contents)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(contents) != contents.size())
            qFatal("cannot write the test file");
        return path;
    }

private Q_SLOTS:
    void cleanup()
    {
        m_window.reset();
        m_engine.reset();
    }

    void openingAValidWorkspaceSwapsTheEndpoints()
    {
        open(workspaceOf({u"kept"_s, u"dropped"_s}));
        Workspace other = workspaceOf({u"kept"_s, u"added"_s});
        const QString path = m_dir.filePath(u"other.json"_s);
        QString error;
        QVERIFY(saveWorkspace(path, other, &error));

        QVERIFY(files()->loadFile(path));
        QCOMPARE(namesOf(*m_engine), (QStringList{u"kept"_s, u"added"_s}));
        QCOMPARE(m_engine->options().workspacePath, path);
        QVERIFY(m_window->windowTitle().contains(path));
        QVERIFY2(m_window->statusBar()->currentMessage().contains(u"2 endpoints"),
                 qPrintable(m_window->statusBar()->currentMessage()));
        QCOMPARE(files()->recentFiles().paths(), QStringList{path});
        QCOMPARE(m_settings->value(u"workspace/last"_s).toString(), path);
        // The list follows the engine.
        QTRY_VERIFY(m_window->endpointPanel()->model()->rowOf(u"added"_s) >= 0);
        QTRY_VERIFY(m_window->endpointPanel()->model()->rowOf(u"dropped"_s) < 0);

        // Edits now go to the opened file at once.
        QVERIFY(m_engine->removeEndpoint(u"added"_s, &error));
        QCOMPARE(loadWorkspace(path).workspace->endpoints.size(), 1);
    }

    void aMalformedWorkspaceChangesNothing()
    {
        open(workspaceOf({u"a"_s, u"b"_s}));
        const QString path = write(u"broken.json"_s, "{\"version\": 1, \"endpoints\": [\n"
                                                     "{\"name\": \"x\", \"kind\": \"tcp\", \"host\": \"h\", "
                                                     "\"port\": 99999}]}");
        QVERIFY(!files()->loadFile(path));
        auto *box = waitForChild<QMessageBox>(m_window.get(), u"openWorkspaceError"_s);
        QVERIFY(box);
        QVERIFY2(box->text().contains(path), qPrintable(box->text()));
        // The loader's message names the file, the field and the range, and the box says what to do.
        QVERIFY2(box->informativeText().contains(u"endpoints[0].port"), qPrintable(box->informativeText()));
        QVERIFY2(box->informativeText().contains(u"Fix the file"), qPrintable(box->informativeText()));
        box->close();
        QCOMPARE(namesOf(*m_engine), (QStringList{u"a"_s, u"b"_s}));
        QVERIFY(m_engine->options().workspacePath.isEmpty());
        QVERIFY(files()->recentFiles().paths().isEmpty());
    }

    void closingUnsavedEditsAsks()
    {
        open(workspaceOf({u"demo"_s})); // no file, like the demo
        // Nothing edited: nothing to lose, so no question.
        QVERIFY(!files()->hasUnsavedChanges());
        QString error;
        QVERIFY(m_engine->addEndpoint(endpoint(u"mine"_s), &error));
        QVERIFY(files()->hasUnsavedChanges());
        QVERIFY(m_window->isWindowModified());
        QVERIFY2(m_window->findChild<QLabel *>(u"statusWorkspace"_s)->text().contains(u"Unsaved"),
                 qPrintable(m_window->findChild<QLabel *>(u"statusWorkspace"_s)->text()));

        // Cancel keeps the window open.
        QVERIFY(!m_window->close());
        answer(m_window.get(), QMessageBox::Cancel);
        QTest::qWait(50);
        QVERIFY(m_window->isVisible());

        // Save as…: the save dialog; the file written is the workspace, and then the window closes.
        QVERIFY(!m_window->close());
        answer(m_window.get(), QMessageBox::Save);
        auto *dialog = waitForChild<QFileDialog>(m_window.get(), u"saveWorkspaceDialog"_s);
        QVERIFY(dialog);
        const QString path = m_dir.filePath(u"saved-on-close.json"_s);
        dialog->selectFile(path);
        QVERIFY(QMetaObject::invokeMethod(dialog, "accept")); // protected in QFileDialog, a slot all the same
        QTRY_VERIFY(!m_window->isVisible());
        const WorkspaceResult saved = loadWorkspace(path);
        QVERIFY(saved.ok());
        QCOMPARE(saved.workspace->endpoints, m_engine->workspace().endpoints);
        QCOMPARE(m_engine->options().workspacePath, path);
    }

    void discardClosesWithoutSaving()
    {
        open(workspaceOf({u"demo"_s}));
        QString error;
        QVERIFY(m_engine->removeEndpoint(u"demo"_s, &error));
        QVERIFY(!m_window->close());
        answer(m_window.get(), QMessageBox::Discard);
        QTRY_VERIFY(!m_window->isVisible());
        QVERIFY(m_engine->options().workspacePath.isEmpty());
    }

    void openingAnotherAsksFirst()
    {
        open(workspaceOf({u"demo"_s}));
        QString error;
        QVERIFY(m_engine->addEndpoint(endpoint(u"mine"_s), &error));
        const QString path = m_dir.filePath(u"next.json"_s);
        QVERIFY(saveWorkspace(path, workspaceOf({u"next"_s}), &error));

        files()->openFile(path);
        answer(m_window.get(), QMessageBox::Cancel);
        QTest::qWait(50);
        QCOMPARE(namesOf(*m_engine), (QStringList{u"demo"_s, u"mine"_s}));

        files()->openFile(path);
        answer(m_window.get(), QMessageBox::Discard);
        QTRY_COMPARE(namesOf(*m_engine), QStringList{u"next"_s});
        QVERIFY(!files()->hasUnsavedChanges());
        QVERIFY(!m_window->isWindowModified());

        // File > New: empty, without a file; the opened file is left as it was.
        files()->newWorkspace(); // nothing unsaved: no question
        QVERIFY(m_engine->workspace().endpoints.isEmpty());
        QVERIFY(m_engine->options().workspacePath.isEmpty());
        QCOMPARE(loadWorkspace(path).workspace->endpoints.size(), 1);
    }

    void recentFilesKeepOrderAndPruneMissing()
    {
        open(Workspace{});
        RecentFiles &recent = files()->recentFiles();
        QStringList paths;
        for (int i = 0; i < 10; ++i)
            paths << write(u"ws%1.json"_s.arg(i), "{}");
        for (const QString &path : std::as_const(paths))
            recent.add(path);
        // Newest first, at most 8.
        QCOMPARE(recent.paths().size(), RecentFiles::kMax);
        QCOMPARE(recent.paths().first(), paths.at(9));
        QCOMPARE(recent.paths().last(), paths.at(2));
        // Opening one again moves it to the front, listed once.
        recent.add(paths.at(5));
        QCOMPARE(recent.paths().first(), paths.at(5));
        QCOMPARE(recent.paths().count(paths.at(5)), 1);
        QCOMPARE(recent.paths().size(), RecentFiles::kMax);

        QVERIFY(QFile::remove(paths.at(9)));
        QVERIFY(QFile::remove(paths.at(3)));
        files()->refreshRecentMenu();
        QVERIFY2(m_window->statusBar()->currentMessage().contains(u"ws9.json"),
                 qPrintable(m_window->statusBar()->currentMessage()));
        const QStringList expected{paths.at(5), paths.at(8), paths.at(7),
                                   paths.at(6), paths.at(4), paths.at(2)};
        QCOMPARE(recent.paths(), expected);
        QStringList shown;
        for (QAction *action : files()->recentMenu()->actions()) {
            if (!action->data().toString().isEmpty())
                shown << action->data().toString();
        }
        QCOMPARE(shown, expected);
        QVERIFY(files()->recentMenu()->actions().first()->text().startsWith(u"&1 ws5.json"));
        // Kept across windows: a new RecentFiles on the same settings reads the same list.
        QCOMPARE(RecentFiles(m_settings.get()).paths(), expected);
    }

    void shortcutsAreUniqueAndShown()
    {
        open(workspaceOf({u"a"_s}));
        QHash<QString, QString> owner;
        const QList<QAction *> actions = m_window->findChildren<QAction *>();
        QStringList expected{u"actionAdd"_s,
                             u"actionEdit"_s,
                             u"actionRemove"_s,
                             u"actionStart"_s,
                             u"actionStop"_s,
                             u"actionQuit"_s,
                             u"actionOpenWorkspace"_s,
                             u"actionSaveWorkspace"_s,
                             u"actionSaveWorkspaceAs"_s,
                             u"actionNewWorkspace"_s,
                             u"actionImportEndpoints"_s,
                             u"actionExportEndpoints"_s};
        const QStringList commands = expected; // in the menus and the toolbar: tooltips name their keys
        for (QAction *action : actions) {
            expected.removeAll(action->objectName());
            for (const QKeySequence &key : action->shortcuts()) {
                const QString text = key.toString(QKeySequence::PortableText);
                QVERIFY2(!owner.contains(text), qPrintable(text + u" is on "_s + owner.value(text) +
                                                           u" and "_s + action->objectName()));
                owner.insert(text, action->objectName());
            }
            if (commands.contains(action->objectName()) && !action->shortcut().isEmpty()) {
                QVERIFY2(action->toolTip().contains(action->shortcut().toString(QKeySequence::NativeText)),
                         qPrintable(action->objectName() + u": "_s + action->toolTip()));
            }
        }
        QVERIFY2(expected.isEmpty(), qPrintable(expected.join(u", "_s)));
        // Each File menu entry has its own mnemonic, so Alt+F then one letter picks exactly one.
        QHash<QChar, QString> mnemonics;
        for (QAction *action : m_window->findChild<QMenu *>(u"menuFile"_s)->actions()) {
            const qsizetype at = action->text().indexOf(u'&');
            if (action->isSeparator() || at < 0 || at + 1 >= action->text().size())
                continue;
            const QChar key = action->text().at(at + 1).toLower();
            QVERIFY2(!mnemonics.contains(key),
                     qPrintable(action->text() + u" and "_s + mnemonics.value(key)));
            mnemonics.insert(key, action->text());
        }
        QVERIFY(mnemonics.size() >= 10);
        QCOMPARE(owner.value(u"Ctrl+O"_s), u"actionOpenWorkspace"_s);
        QCOMPARE(owner.value(u"Ctrl+S"_s), u"actionSaveWorkspace"_s);
        QCOMPARE(owner.value(u"Ctrl+Shift+S"_s), u"actionSaveWorkspaceAs"_s);
        QCOMPARE(owner.value(u"Ctrl+Q"_s), u"actionQuit"_s);
        QCOMPARE(owner.value(u"Ins"_s), u"actionAdd"_s);
        QCOMPARE(owner.value(u"Del"_s), u"actionRemove"_s);
        QCOMPARE(owner.value(u"F2"_s), u"actionEdit"_s);
    }
};

QTEST_MAIN(TestWorkspaceFiles)
#include "tst_workspacefiles.moc"
