#pragma once

#include <QString>

namespace kw {

struct AppOptions;

// The data directory in effect: the one given, else the platform's
// application data directory (~/.local/share/keepwatch on Linux).
QString resolveDataDir(const QString &given);

// One line on stderr, prefixed "keepwatch: ".
void printError(const QString &message);
void printWarning(const QString &message);

int runExport(const AppOptions &options);
int runKeepalive(const AppOptions &options);
int runCheck(const AppOptions &options); // checkcommand.cpp

} // namespace kw
