// Every seed of fuzz_mqtt through the fuzzer's own entry function, so a regression a seed once caught
// fails the ordinary build's tests too, without clang. The seeds are also held to their names: one
// named for a packet decodes cleanly on the side that receives it, one named "malformed-" fails on
// every side, so a seed that no longer reaches the code it was written for is noticed.

#include "mqttfuzz.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace kw::mqtt;

class TestMqttCorpus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void replay_data();
    void replay();
};

void TestMqttCorpus::replay_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(QStringLiteral(KW_FUZZ_CORPUS_DIR) + u"/mqtt"_s);
    const QStringList files = dir.entryList(QDir::Files, QDir::Name);
    // An empty or missing corpus would make this test pass without replaying anything.
    QVERIFY2(files.size() >= 20, qPrintable(u"too few seeds in "_s + dir.path()));
    for (const QString &file : files)
        QTest::newRow(qPrintable(file)) << dir.filePath(file);
}

void TestMqttCorpus::replay()
{
    QFETCH(QString, path);
    QFile file(path);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.errorString()));
    const QByteArray input = file.readAll();
    QVERIFY(input.size() >= 2);
    const auto *data = reinterpret_cast<const std::uint8_t *>(input.constData());
    const std::string problem = fuzz::runMqttInput(data, std::size_t(input.size()));
    QVERIFY2(problem.empty(), problem.c_str());

    const std::string_view wire(input.constData() + 1, std::size_t(input.size() - 1));
    const std::uint32_t maxPacketSize = (data[0] & 0x80) ? 64 : kDefaultMaxPacketSize;
    int clean = 0;
    int failed = 0;
    QStringList errors;
    for (const Role role : {Role::Client, Role::Server}) {
        for (const std::optional<Version> version :
             {std::optional(Version::V311), std::optional(Version::V5), std::optional<Version>()}) {
            if (role == Role::Client && !version)
                continue;
            Decoder decoder(role, version, maxPacketSize);
            int packets = 0;
            decoder.feed(wire, [&](Packet &&) { ++packets; });
            if (decoder.error()) {
                ++failed;
                errors << QString::fromStdString(decoder.error()->message);
            } else if (packets > 0 && decoder.buffered() == 0) {
                ++clean;
            }
        }
    }
    if (QFileInfo(path).fileName().startsWith(u"malformed-"_s))
        QVERIFY2(failed == 5, qPrintable(u"a malformed seed decoded on some side"_s));
    else
        QVERIFY2(clean >= 1, qPrintable(u"no decoder reads this seed cleanly: "_s + errors.join(u" | "_s)));
}

QTEST_GUILESS_MAIN(TestMqttCorpus)
#include "tst_mqttcorpus.moc"
