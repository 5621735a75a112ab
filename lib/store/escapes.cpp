#include "escapes.h"

#include <QList>

#include <algorithm>

namespace kw {

using namespace Qt::StringLiterals;

QByteArray decodeEscapes(const QString &text, QString *error)
{
    QByteArray out;
    QString literal;
    const auto flush = [&] {
        out += literal.toUtf8();
        literal.clear();
    };
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return QByteArray();
    };
    if (error)
        error->clear();

    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c != u'\\') {
            literal += c;
            continue;
        }
        flush();
        const QString position = QString::number(i + 1);
        if (i + 1 >= text.size())
            return fail(u"a lone backslash at the end (character "_s + position +
                        u"); write \\\\ for a backslash"_s);
        const QChar e = text.at(++i);
        switch (e.unicode()) {
        case 'r':
            out += '\r';
            break;
        case 'n':
            out += '\n';
            break;
        case 't':
            out += '\t';
            break;
        case '\\':
            out += '\\';
            break;
        case 'x': {
            const QString hex = text.mid(i + 1, 2);
            bool ok = hex.size() == 2 && std::all_of(hex.cbegin(), hex.cend(), [](QChar h) {
                          return h.isDigit() || (h.toLower() >= u'a' && h.toLower() <= u'f');
                      });
            if (!ok) {
                return fail(u"escape \"\\x"_s + hex + u"\" at character "_s + position +
                            u" needs two hex digits, e.g. \\x00 or \\xFF"_s);
            }
            out += char(hex.toUInt(&ok, 16));
            i += 2;
            break;
        }
        default:
            return fail(u"unknown escape \"\\"_s + e + u"\" at character "_s + position +
                        u"; use \\r, \\n, \\t, \\\\ or \\xNN"_s);
        }
    }
    flush();
    return out;
}

QString encodeEscapes(const QByteArray &bytes)
{
    QString out;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const auto b = static_cast<unsigned char>(bytes.at(i));
        if (b == '\\') {
            out += u"\\\\"_s;
        } else if (b == '\r') {
            out += u"\\r"_s;
        } else if (b == '\n') {
            out += u"\\n"_s;
        } else if (b == '\t') {
            out += u"\\t"_s;
        } else if (b >= 0x20 && b < 0x7F) {
            out += QLatin1Char(char(b));
        } else {
            // Keep a valid, printable UTF-8 character readable; escape anything else.
            const int length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
            if (length > 0 && i + length <= bytes.size()) {
                const QByteArray sequence = bytes.mid(i, length);
                const QString decoded = QString::fromUtf8(sequence);
                if (!decoded.isEmpty() && decoded.toUtf8() == sequence &&
                    !decoded.contains(QChar::ReplacementCharacter) &&
                    QChar::isPrint(decoded.toUcs4().value(0))) {
                    out += decoded;
                    i += length - 1;
                    continue;
                }
            }
            out += u"\\x"_s + QString::number(b, 16).toUpper().rightJustified(2, u'0');
        }
    }
    return out;
}

} // namespace kw
