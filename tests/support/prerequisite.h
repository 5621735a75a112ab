#pragma once

#include "peerprocess.h"

#include <QByteArray>
#include <QTest>

// A test that needs root, a network namespace or a tool skips where it is missing, except under
// CI=true: there a missing prerequisite is a broken machine, and a skipped lab proves nothing.
#define KW_SKIP_OR_FAIL_UNDER_CI(reason)                                                                     \
    do {                                                                                                     \
        const QByteArray kwReason = QByteArray(reason);                                                      \
        if (kw::test::mustNotSkip())                                                                         \
            QFAIL(QByteArray(QByteArray("required under CI: ") + kwReason).constData());                     \
        QSKIP(kwReason.constData());                                                                         \
    } while (false)
