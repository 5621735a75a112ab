#include "escapes.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

class TestEscapes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decodeEscapes_data();
    void decodeEscapes();
    void escapeRoundTrip_data();
    void escapeRoundTrip();
    void encodeEscapesReadable();
};

void TestEscapes::decodeEscapes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("error");

    QTest::newRow("plain") << u"PING"_s << QByteArray("PING") << QString();
    QTest::newRow("empty") << QString() << QByteArray() << QString();
    QTest::newRow("crlf") << u"PING\\r\\n"_s << QByteArray("PING\r\n") << QString();
    QTest::newRow("tab and backslash") << u"a\\tb\\\\c"_s << QByteArray("a\tb\\c") << QString();
    QTest::newRow("hex") << u"\\x00\\x7f\\xFF\\x0a"_s << QByteArray("\x00\x7f\xff\x0a", 4) << QString();
    QTest::newRow("utf-8 literal") << u"é"_s << QByteArray("\xc3\xa9") << QString();
    QTest::newRow("unknown") << u"a\\b"_s << QByteArray()
                             << u"unknown escape \"\\b\" at character 2; use \\r, \\n, \\t, \\\\ or \\xNN"_s;
    QTest::newRow("lone backslash")
        << u"ab\\"_s << QByteArray()
        << u"a lone backslash at the end (character 3); write \\\\ for a backslash"_s;
    QTest::newRow("hex one digit")
        << u"\\xA"_s << QByteArray()
        << u"escape \"\\xA\" at character 1 needs two hex digits, e.g. \\x00 or \\xFF"_s;
    QTest::newRow("hex not hex")
        << u"\\xg0"_s << QByteArray()
        << u"escape \"\\xg0\" at character 1 needs two hex digits, e.g. \\x00 or \\xFF"_s;
}

void TestEscapes::decodeEscapes()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, error);

    QString problem = u"stale"_s;
    QCOMPARE(kw::decodeEscapes(text, &problem), bytes);
    QCOMPARE(problem, error);
}

void TestEscapes::escapeRoundTrip_data()
{
    QTest::addColumn<QByteArray>("bytes");

    QByteArray every;
    for (int b = 0; b < 256; ++b)
        every += char(b);
    QTest::newRow("every byte") << every;
    QTest::newRow("crlf") << QByteArray("PING\r\n");
    QTest::newRow("backslash x") << QByteArray("\\x41");
    QTest::newRow("utf-8") << QByteArray("h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x98\x80");
    QTest::newRow("truncated utf-8") << QByteArray("\xe2\x9c");
    QTest::newRow("overlong utf-8") << QByteArray("\xc0\xaf");
    QTest::newRow("utf-8 control") << QByteArray("\xc2\x85");
}

void TestEscapes::escapeRoundTrip()
{
    QFETCH(QByteArray, bytes);
    const QString text = kw::encodeEscapes(bytes);
    QString error;
    QCOMPARE(kw::decodeEscapes(text, &error), bytes);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // Survives JSON as well.
    const QJsonObject json{{u"send"_s, text}};
    QCOMPARE(QJsonDocument::fromJson(QJsonDocument(json).toJson()).object().value(u"send"_s).toString(),
             text);
}

void TestEscapes::encodeEscapesReadable()
{
    QCOMPARE(kw::encodeEscapes("PING\r\n"), u"PING\\r\\n"_s);
    QCOMPARE(kw::encodeEscapes(QByteArray("\x00\x1b\x7f", 3)), u"\\x00\\x1B\\x7F"_s);
    QCOMPARE(kw::encodeEscapes("a\\b\t"), u"a\\\\b\\t"_s);
    QCOMPARE(kw::encodeEscapes("\xc3\xa9"), u"é"_s);
    QCOMPARE(kw::encodeEscapes("\xc3"), u"\\xC3"_s);
}

QTEST_GUILESS_MAIN(TestEscapes)
#include "tst_escapes.moc"
