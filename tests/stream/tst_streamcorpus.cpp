// Every seed of fuzz_wsframe and fuzz_httpupgrade through the same entry functions the fuzzers run,
// so a regression a seed once caught fails the ordinary build's tests too, without clang.

#include "streamfuzz.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

class TestStreamCorpus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void replay_data();
    void replay();
};

void TestStreamCorpus::replay_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("path");
    for (const QString &target : {u"wsframe"_s, u"httpupgrade"_s}) {
        const QDir dir(QStringLiteral(KW_FUZZ_CORPUS_DIR) + u'/' + target);
        const QStringList files = dir.entryList(QDir::Files, QDir::Name);
        // An empty or missing corpus would make this test pass without replaying anything.
        QVERIFY2(files.size() >= 5, qPrintable(u"too few seeds in "_s + dir.path()));
        for (const QString &file : files)
            QTest::newRow(qPrintable(target + u'/' + file)) << target << dir.filePath(file);
    }
}

void TestStreamCorpus::replay()
{
    QFETCH(QString, target);
    QFETCH(QString, path);
    QFile file(path);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.errorString()));
    const QByteArray input = file.readAll();
    const auto *data = reinterpret_cast<const std::uint8_t *>(input.constData());
    const std::string problem = target == u"wsframe"_s
                                    ? kw::stream::fuzz::runWsFrameInput(data, std::size_t(input.size()))
                                    : kw::stream::fuzz::runHttpUpgradeInput(data, std::size_t(input.size()));
    QVERIFY2(problem.empty(), problem.c_str());
}

QTEST_GUILESS_MAIN(TestStreamCorpus)
#include "tst_streamcorpus.moc"
