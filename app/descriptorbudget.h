#pragma once

#include <QString>

namespace kw {

struct Workspace;

// At start of a headless or GUI run: raises the soft open-file limit to the hard limit, then, when the
// workspace still needs more descriptors than that, warns with one line on stderr and an info event in
// the event log (dataDir), naming the limit and how to raise it. Returns the warning, empty when the
// limit is enough (or the OS has none).
QString checkDescriptorBudget(const Workspace &workspace, const QString &dataDir);

} // namespace kw
