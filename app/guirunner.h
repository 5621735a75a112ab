#pragma once

namespace kw {

struct AppOptions;

// Whether Qt can open a window here (a display, or a platform plugin chosen
// explicitly through QT_QPA_PLATFORM).
bool guiPlatformAvailable();

// Loads the workspace (given, last used, or the demo), starts the engine and
// shows the main window. Returns the exit code.
int runGui(const AppOptions &options);

} // namespace kw
