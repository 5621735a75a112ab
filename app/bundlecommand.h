#pragma once

namespace kw {

struct AppOptions;

// `keepwatch bundle`: one endpoint's incident bundle from the event log of --data-dir, with the
// settings of --workspace when given. Creates the application itself: with the window built in, an
// offscreen QApplication (QT_QPA_PLATFORM=offscreen unless set), so the timeline is drawn by the
// window's own widget without a display. Exit 0 written, 1 failed, 2 bad input.
int runBundle(const AppOptions &options, int &argc, char **argv);

} // namespace kw
