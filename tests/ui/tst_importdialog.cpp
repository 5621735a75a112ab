// Endpoint import and export: the preview model (checked by QAbstractItemModelTester), taken names
// resolved per row by each choice and never silently, rows with errors shown and left out, the
// dialog's Action editor, and files written by Export read back by Import on a real engine.

#include "endpointcsv.h"
#include "endpointtransfer.h"
#include "engine.h"
#include "importdialog.h"
#include "importpreviewmodel.h"
#include "workspace.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QMainWindow>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace kw;
using namespace Qt::StringLiterals;
using Choice = ImportPreviewModel::Choice;

namespace {

EndpointConfig endpoint(const QString &name, const QString &host = u"old.internal"_s)
{
    EndpointConfig c;
    c.name = name;
    c.host = host;
    c.port = 9;
    c.enabled = false; // nothing connects in this test
    return c;
}

// Row 2: new. Row 3: taken by the workspace. Row 4: an error. Row 5: taken by row 2.
// Row 6: taken by the workspace, whose "db-2" is taken too. Row 7: "db-3" named in the file.
const QByteArray kCsv = "name,kind,host,port,enabled\r\n"
                        "fresh,tcp,new.internal,10,false\r\n"
                        "db,tcp,new.internal,11,false\r\n"
                        "broken,tcp,new.internal,70000,false\r\n"
                        "fresh,tcp,other.internal,12,false\r\n"
                        "cache,tcp,new.internal,13,false\r\n"
                        "cache-3,tcp,new.internal,14,false\r\n";
const QStringList kTaken{u"db"_s, u"cache"_s, u"cache-2"_s};

int rowNamed(const ImportPreviewModel &model, int fileRow)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, ImportPreviewModel::RowColumn).data().toInt() == fileRow)
            return row;
    }
    return -1;
}

QStringList namesOf(const QList<EndpointConfig> &endpoints)
{
    QStringList names;
    for (const EndpointConfig &e : endpoints)
        names << e.name;
    return names;
}

} // namespace

class TestImportDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void previewShowsWhatWillHappen()
    {
        ImportPreviewModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRows(parseEndpointCsv(kCsv).rows, kTaken);
        QCOMPARE(model.rowCount(), 6);

        QCOMPARE(model.choice(rowNamed(model, 2)), Choice::Import);
        QCOMPARE(model.choice(rowNamed(model, 3)), Choice::Undecided);
        QCOMPARE(model.takenBy(rowNamed(model, 3)), u"the workspace"_s);
        QCOMPARE(model.choice(rowNamed(model, 5)), Choice::Undecided);
        QCOMPARE(model.takenBy(rowNamed(model, 5)), u"row 2"_s);
        QCOMPARE(model.choice(rowNamed(model, 7)), Choice::Import);

        // The bad row: its message with row and column, and no way to import it.
        const int broken = rowNamed(model, 4);
        QCOMPARE(model.choice(broken), Choice::NotImportable);
        const QString status = model.index(broken, ImportPreviewModel::StatusColumn).data().toString();
        QVERIFY2(status.startsWith(u"column port: expected an integer"), qPrintable(status));
        const QString whole =
            model.index(broken, ImportPreviewModel::StatusColumn).data(Qt::ToolTipRole).toString();
        QVERIFY2(whole.startsWith(u"row 4, column port: "), qPrintable(whole));
        QVERIFY(!(model.flags(model.index(broken, ImportPreviewModel::ActionColumn)) & Qt::ItemIsEditable));
        QVERIFY(!model.setChoice(broken, Choice::Import));
        QCOMPARE(model.errorCount(), 1);

        // Taken names are never resolved silently: no import until each has a choice.
        QCOMPARE(model.undecidedCount(), 3);
        QVERIFY(!model.canImport());
        QVERIFY(model.index(rowNamed(model, 3), ImportPreviewModel::StatusColumn)
                    .data()
                    .toString()
                    .contains(u"taken by the workspace"));
        // Replace is offered against the workspace only: an earlier row of the file is not replaced.
        const QVariantList fromFile =
            model.index(rowNamed(model, 5), 0).data(ImportPreviewModel::ChoicesRole).toList();
        QCOMPARE(fromFile, (QVariantList{int(Choice::Skip), int(Choice::Rename)}));
        QVERIFY(!model.setChoice(rowNamed(model, 5), Choice::Replace));
    }

    void eachChoiceDoesWhatItSays_data()
    {
        QTest::addColumn<int>("choice");
        QTest::addColumn<QStringList>("added");
        QTest::addColumn<QStringList>("replaced");
        QTest::addColumn<QStringList>("workspace");
        QTest::newRow("skip") << int(Choice::Skip) << QStringList{u"fresh"_s, u"cache-3"_s} << QStringList{}
                              << QStringList{u"db"_s, u"cache"_s, u"cache-2"_s, u"fresh"_s, u"cache-3"_s};
        QTest::newRow("replace") << int(Choice::Replace) << QStringList{u"fresh"_s, u"cache-3"_s}
                                 << QStringList{u"db"_s, u"cache"_s}
                                 << QStringList{u"db"_s, u"cache"_s, u"cache-2"_s, u"fresh"_s, u"cache-3"_s};
        // Free of every name in the workspace and the file: cache-2 is taken, cache-3 is in the file.
        QTest::newRow("rename") << int(Choice::Rename)
                                << QStringList{u"fresh"_s, u"db-2"_s, u"cache-4"_s, u"cache-3"_s}
                                << QStringList{}
                                << QStringList{u"db"_s,   u"cache"_s,   u"cache-2"_s, u"fresh"_s,
                                               u"db-2"_s, u"cache-4"_s, u"cache-3"_s};
    }
    void eachChoiceDoesWhatItSays()
    {
        QFETCH(int, choice);
        QFETCH(QStringList, added);
        QFETCH(QStringList, replaced);
        QFETCH(QStringList, workspace);

        Workspace current;
        for (const QString &name : kTaken)
            current.endpoints << endpoint(name);
        Engine engine(EngineOptions{});
        QString error;
        QVERIFY(engine.start(current, &error));

        ImportDialog dialog(u"endpoints.csv"_s, parseEndpointCsv(kCsv).rows, kTaken);
        ImportPreviewModel *model = dialog.model();
        QVERIFY(!dialog.importButton()->isEnabled());
        for (const int fileRow : {3, 6})
            QVERIFY(model->setChoice(rowNamed(*model, fileRow), Choice(choice)));
        // The repeat of "fresh" within the file: skipped, or renamed for the rename case.
        QVERIFY(model->setChoice(rowNamed(*model, 5),
                                 Choice(choice) == Choice::Rename ? Choice::Rename : Choice::Skip));
        if (Choice(choice) == Choice::Rename) {
            QCOMPARE(model->renamedTo(rowNamed(*model, 5)), u"fresh-2"_s);
            added.insert(2, u"fresh-2"_s);
            workspace.insert(5, u"fresh-2"_s);
            QVERIFY(model->index(rowNamed(*model, 3), ImportPreviewModel::ActionColumn)
                        .data()
                        .toString()
                        .contains(u"db-2"));
        }
        QVERIFY(dialog.importButton()->isEnabled());
        QCOMPARE(namesOf(model->toAdd()), added);
        QCOMPARE(namesOf(model->toReplace()), replaced);

        QVERIFY2(dialog.apply(&engine, &error), qPrintable(error));
        QStringList names = namesOf(engine.workspace().endpoints);
        QCOMPARE(names, workspace);
        // Replace took the file's settings; the others kept theirs.
        const QString dbHost = engine.workspace().find(u"db"_s)->host;
        QCOMPARE(dbHost, Choice(choice) == Choice::Replace ? u"new.internal"_s : u"old.internal"_s);
        QCOMPARE(engine.workspace().find(u"fresh"_s)->port, 10);
        QVERIFY(!engine.workspace().find(u"broken"_s));
        QVERIFY(!dialog.resultText().isEmpty());
    }

    void actionEditorAndBulkButtons()
    {
        ImportDialog dialog(u"endpoints.csv"_s, parseEndpointCsv(kCsv).rows, kTaken);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        ImportPreviewModel *model = dialog.model();
        QVERIFY2(dialog.summary()->text().contains(u"3 names taken"), qPrintable(dialog.summary()->text()));

        // The Action cell's editor offers the row's choices; picking one applies it.
        const QModelIndex cell = model->index(rowNamed(*model, 3), ImportPreviewModel::ActionColumn);
        dialog.table()->setCurrentIndex(cell);
        dialog.table()->edit(cell);
        auto *box = dialog.table()->findChild<QComboBox *>(u"importChoiceEditor"_s);
        QVERIFY(box);
        QCOMPARE(box->count(), 3);
        QVERIFY(!box->accessibleName().isEmpty());
        const int replace = box->findData(int(Choice::Replace));
        QVERIFY(replace >= 0);
        box->setCurrentIndex(replace);
        Q_EMIT box->activated(replace);
        QTRY_COMPARE(model->choice(cell.row()), Choice::Replace);

        QVERIFY(!dialog.importButton()->isEnabled());
        dialog.findChild<QPushButton *>(u"importSkipAllTaken"_s)->click();
        QCOMPARE(model->undecidedCount(), 0);
        QCOMPARE(model->choice(cell.row()), Choice::Skip); // "all" means all, the one chosen too
        QVERIFY(dialog.importButton()->isEnabled());
        QVERIFY2(dialog.importButton()->text().contains(u"2"), qPrintable(dialog.importButton()->text()));
        dialog.findChild<QPushButton *>(u"importRenameAllTaken"_s)->click();
        QCOMPARE(model->importCount(), 5);
        QCOMPARE(model->errorCount(), 1);
    }

    void exportThenImportThroughTheWindow_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("csv") << u"endpoints.csv"_s;
        QTest::newRow("json") << u"endpoints.json"_s;
    }
    void exportThenImportThroughTheWindow()
    {
        QFETCH(QString, file);
        QTemporaryDir dir;
        Workspace current;
        current.endpoints = {endpoint(u"a"_s), endpoint(u"b, with comma"_s), endpoint(u"c"_s)};
        current.endpoints[1].tags = {u"prod"_s, u"db"_s};
        current.endpoints[2].keepalive.idle = std::chrono::seconds(30);
        Engine engine(EngineOptions{});
        QString error;
        QVERIFY(engine.start(current, &error));
        QMainWindow window;
        EndpointTransfer transfer(&engine, &window);

        // The selected ones only.
        const QString path = dir.filePath(file);
        QString note;
        QVERIFY2(transfer.exportTo(path, {u"b, with comma"_s, u"c"_s}, &error, &note), qPrintable(error));
        QVERIFY2(note.contains(u"2 endpoints"), qPrintable(note));
        if (file.endsWith(u".json"))
            QVERIFY(loadWorkspace(path).ok()); // a valid workspace

        // Imported into the same workspace: both names are taken, nothing happens by itself.
        ImportDialog *dialog = transfer.importFile(path);
        QVERIFY(dialog);
        QCOMPARE(dialog->model()->rowCount(), 2);
        QCOMPARE(dialog->model()->undecidedCount(), 2);
        dialog->findChild<QPushButton *>(u"importRenameAllTaken"_s)->click();
        dialog->accept();
        QCOMPARE(namesOf(engine.workspace().endpoints),
                 (QStringList{u"a"_s, u"b, with comma"_s, u"c"_s, u"b, with comma-2"_s, u"c-2"_s}));
        EndpointConfig copy = *engine.workspace().find(u"b, with comma-2"_s);
        copy.name = u"b, with comma"_s;
        QCOMPARE(copy, current.endpoints[1]);
        QCOMPARE(engine.workspace().find(u"c-2"_s)->keepalive.idle, std::chrono::seconds(30));
    }

    void aFileWithoutEndpointsSaysWhy()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"bad.csv"_s);
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write("name,kind,hots\r\na,tcp,h\r\n");
        out.close();
        Engine engine(EngineOptions{});
        QString error;
        QVERIFY(engine.start(Workspace{}, &error));
        QMainWindow window;
        EndpointTransfer transfer(&engine, &window);
        QVERIFY(!transfer.importFile(path));
        auto *box = window.findChild<QMessageBox *>(u"transferError"_s);
        QVERIFY(box);
        QVERIFY2(box->informativeText().contains(u"\"hots\": not a column"),
                 qPrintable(box->informativeText()));
        QVERIFY(engine.workspace().endpoints.isEmpty());
    }
};

QTEST_MAIN(TestImportDialog)
#include "tst_importdialog.moc"
