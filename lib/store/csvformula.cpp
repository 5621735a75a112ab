#include "csvformula.h"

namespace kw {

namespace {

bool isFormulaLead(QChar c)
{
    return c == u'=' || c == u'+' || c == u'-' || c == u'@' || c == u'\t' || c == u'\r';
}

// One or more ' followed by a formula lead: what neutraliseFormula() produces, and so what
// restoreFormula() takes one ' from.
bool quotedFormula(QStringView text)
{
    qsizetype i = 0;
    while (i < text.size() && text.at(i) == u'\'')
        ++i;
    return i > 0 && i < text.size() && isFormulaLead(text.at(i));
}

} // namespace

bool startsLikeFormula(QStringView text)
{
    return !text.isEmpty() && isFormulaLead(text.front());
}

QString neutraliseFormula(const QString &text)
{
    if (startsLikeFormula(text) || quotedFormula(text))
        return u'\'' + text;
    return text;
}

QString restoreFormula(const QString &text)
{
    return quotedFormula(text) ? text.mid(1) : text;
}

} // namespace kw
