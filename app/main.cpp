#include "appsupport.h"
#include "bundlecommand.h"
#include "commandline.h"
#include "headlessrunner.h"

#include <QCoreApplication>
#include <QStringList>

#include <cstdio>

#if defined(KEEPWATCH_HAVE_GUI)
#include "guirunner.h"
#include <QApplication>
#endif

namespace {

QStringList argumentsOf(int argc, char **argv)
{
    QStringList arguments;
    arguments.reserve(argc);
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    return arguments;
}

void describeApplication()
{
    QCoreApplication::setApplicationName(u"keepwatch"_qs);
    QCoreApplication::setOrganizationName(u"keepwatch"_qs);
    QCoreApplication::setApplicationVersion(QString::fromLatin1(KEEPWATCH_VERSION));
}

} // namespace

int main(int argc, char **argv)
{
    const kw::ParseResult parsed = kw::parseCommandLine(argumentsOf(argc, argv));
    if (!parsed.options) {
        kw::printError(parsed.error);
        return 2;
    }
    const kw::AppOptions &options = *parsed.options;
    using Mode = kw::AppOptions::Mode;

    switch (options.mode) {
    case Mode::Help:
        std::fputs(qUtf8Printable(kw::helpText()), stdout);
        return 0;
    case Mode::Version:
        std::printf("keepwatch %s\n", KEEPWATCH_VERSION);
        return 0;
    case Mode::Export: {
        QCoreApplication app(argc, argv);
        describeApplication();
        return kw::runExport(options);
    }
    case Mode::Bundle:
        return kw::runBundle(options, argc, argv); // creates its own (offscreen) application
    case Mode::Keepalive:
        return kw::runKeepalive(options);
    case Mode::Check:
        return kw::runCheck(options);
    case Mode::ProbeIdle: {
        QCoreApplication app(argc, argv);
        describeApplication();
        return kw::runProbeIdle(options.probeIdle);
    }
    case Mode::Headless: {
        QCoreApplication app(argc, argv);
        describeApplication();
        kw::HeadlessRunner runner(options);
        return runner.run();
    }
    case Mode::Gui:
        break;
    }

#if defined(KEEPWATCH_HAVE_GUI)
    if (!kw::guiPlatformAvailable()) {
        kw::printError(QCoreApplication::translate(
            "main", "no display to show the window on; run with --headless (--workspace FILE | --demo)"));
        return 2;
    }
    QApplication app(argc, argv);
    describeApplication();
    QApplication::setApplicationDisplayName(u"Keepwatch"_qs);
    // Wayland compositors match the window to io.keepwatch.Keepwatch.desktop (its icon) by this.
    QApplication::setDesktopFileName(u"io.keepwatch.Keepwatch"_qs);
    return kw::runGui(options);
#else
    kw::printError(QCoreApplication::translate(
        "main", "this build has no window; run with --headless (--workspace FILE | --demo)"));
    return 2;
#endif
}
