#pragma once

#include <QString>
#include <QStringView>

namespace kw {

// CSV formula neutralisation (OWASP, "CSV Injection": https://owasp.org/www-community/attacks/CSV_Injection).
// A spreadsheet runs a cell that starts with =, +, -, @, a tab or a carriage return as a formula, so
// a text cell written for one (an endpoint name, an error message from a peer) gets a leading '
// there and is shown as text. docs/user-guide.md ("Exporting events") and docs/workspace.md
// ("Endpoints as CSV") document it. Only text columns are neutralised: a column that holds numbers
// (rtt_ms, port) keeps -3 as -3.

// True when a spreadsheet would take `text` for a formula.
bool startsLikeFormula(QStringView text);

// `text` with a leading ' when it starts like a formula, or with one or more ' followed by a
// formula lead: "=1+2" -> "'=1+2", "'=x" -> "''=x", "'plain" stays. The second case makes
// restoreFormula() its exact inverse, so the endpoint CSV's export/import round trip holds for
// every text.
QString neutraliseFormula(const QString &text);

// The inverse on import: one ' removed from text that is one or more ' followed by a formula lead
// ("'=1+2" -> "=1+2"); any other text stays as it is ("'plain", "it's").
QString restoreFormula(const QString &text);

} // namespace kw
