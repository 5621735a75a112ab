#include "commandline.h"

#include <QCoreApplication>
#include <QTimeZone>

#include <cmath>
#include <limits>

namespace kw {

// The translation context of this file's messages: lupdate files them under "kw::CommandLine", and
// Q_DECLARE_TR_FUNCTIONS looks them up under the same name.
class CommandLine
{
    Q_DECLARE_TR_FUNCTIONS(kw::CommandLine)
};

namespace {

struct Cursor
{
    const QStringList &args;
    qsizetype index = 1;

    bool atEnd() const { return index >= args.size(); }
    QString next() { return args.at(index++); }
};

// "--name=value" or "--name value".
bool takeValue(Cursor &cursor, const QString &argument, const QString &name, QString *value, QString *error)
{
    const QString withEquals = name + u'=';
    if (argument.startsWith(withEquals)) {
        *value = argument.mid(withEquals.size());
        return true;
    }
    if (cursor.atEnd()) {
        *error = CommandLine::tr("%1 needs a value").arg(name);
        return false;
    }
    *value = cursor.next();
    return true;
}

std::optional<QDateTime> parseTime(const QString &text)
{
    if (const auto ts = parseTimestamp(text))
        return ts;
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (t.isValid())
        return t.toUTC();
    const QDate date = QDate::fromString(text, Qt::ISODate);
    if (date.isValid())
        return QDateTime(date, QTime(0, 0), Qt::UTC);
    return std::nullopt;
}

bool parseInteger(const QString &text, long long min, long long max, long long *out)
{
    bool ok = false;
    const long long value = text.toLongLong(&ok);
    if (!ok || value < min || value > max)
        return false;
    *out = value;
    return true;
}

using KeepaliveField = net::TcpKeepaliveIssue::Field;

// Whole seconds or milliseconds a std::chrono count holds with room to spare; anything inside reaches
// the validator, which names the real range.
constexpr long long kMinTime = -(1LL << 53);
constexpr long long kMaxTime = 1LL << 53;

QString keepaliveFlag(KeepaliveField field)
{
    switch (field) {
    case KeepaliveField::Idle:
        return u"--idle"_qs;
    case KeepaliveField::Interval:
        return u"--interval"_qs;
    case KeepaliveField::Count:
        return u"--count"_qs;
    case KeepaliveField::UserTimeout:
        return u"--user-timeout"_qs;
    case KeepaliveField::Enabled:
        break;
    }
    return u"keepalive"_qs; // no flag sets it: SO_KEEPALIVE follows from the timings
}

} // namespace

QString helpText()
{
    return CommandLine::tr(R"(Usage:
  keepwatch [--workspace FILE] [--data-dir DIR] [--demo] [--metrics [ADDR:]PORT]
      Start the window. Without --workspace, open the last-used workspace, or the
      demo workspace when there is none.
  keepwatch --headless (--workspace FILE | --demo) [--data-dir DIR]
            [--duration SECONDS] [--events FILE|-]
      Run without a window until SIGINT/SIGTERM or the duration ends.
      --events - streams one JSON object per line to stdout.
      --metrics [ADDR:]PORT (here or with the window) serves Prometheus metrics
      at http://ADDR:PORT/metrics; ADDR is 127.0.0.1 unless given ([::1] for IPv6).
  keepwatch export [--data-dir DIR] --format csv|jsonl [--endpoint NAME]
            [--since T] [--until T] [-o FILE] [--csv-raw]
      Write the event log (T: 2026-11-21T18:00:00Z or 2026-11-21). CSV text cells
      that a spreadsheet would run as a formula get a leading '; --csv-raw keeps
      them as stored.
  keepwatch bundle --endpoint NAME --since T [--until T] -o FILE.zip
            [--workspace FILE] [--data-dir DIR]
      Write one endpoint's incident bundle: its events, settings (no secrets),
      the system defaults, TCP_INFO samples, a timeline PNG and a summary.
  keepwatch keepalive [--idle S] [--interval S] [--count N] [--user-timeout MS]
      Show the system keepalive defaults, the effective settings, the detection
      bounds and the commands that change the system defaults.
  keepwatch check --workspace FILE [--strict] [--json]
      Validate a workspace file without connecting anywhere, then lint its
      keepalive and heartbeat settings (reason and fix for each finding).
      Exit code 0 when valid, warnings or not; 1 with warnings and --strict;
      2 when invalid. --json prints one JSON object.
  keepwatch probe-idle HOST:PORT [--max SECONDS] [--precision SECONDS]
            [--parallel N] [--json]
      Find how long the path to HOST:PORT keeps an idle TCP connection (NAT,
      firewall, load balancer), whether it then drops silently or resets, and
      the keepalive and heartbeat settings to use. Default --max 600, precision
      1 s, 4 connections. --json: one JSON object as the last line of stdout.
      Exit code 0 when the search ended (found or none up to --max), 1 when it
      could not connect.
  keepwatch --version | --help

Exit codes: 0 success, 1 runtime failure, 2 bad arguments or invalid workspace.
)");
}

ParseResult parseCommandLine(const QStringList &arguments)
{
    ParseResult result;
    AppOptions options;
    Cursor cursor{arguments};
    QString error;

    if (!cursor.atEnd()) {
        const QString first = arguments.at(1);
        if (first == u"export") {
            options.mode = AppOptions::Mode::Export;
            ++cursor.index;
        } else if (first == u"bundle") {
            options.mode = AppOptions::Mode::Bundle;
            ++cursor.index;
        } else if (first == u"keepalive") {
            options.mode = AppOptions::Mode::Keepalive;
            ++cursor.index;
        } else if (first == u"check") {
            options.mode = AppOptions::Mode::Check;
            ++cursor.index;
        } else if (first == u"probe-idle") {
            // Its own options, parsed in probeidlecommand.cpp.
            bool help = false;
            options.mode = AppOptions::Mode::ProbeIdle;
            result.error = parseProbeIdleArguments(arguments.mid(2), &options.probeIdle, &help);
            if (help)
                options.mode = AppOptions::Mode::Help;
            if (result.error.isEmpty())
                result.options = options;
            return result;
        }
    }
    const bool exporting = options.mode == AppOptions::Mode::Export;
    const bool bundling = options.mode == AppOptions::Mode::Bundle;
    const bool keepalive = options.mode == AppOptions::Mode::Keepalive;
    const bool checking = options.mode == AppOptions::Mode::Check;
    bool formatGiven = false;

    const auto fail = [&result](const QString &message) {
        result.error = message;
        return result;
    };

    while (!cursor.atEnd()) {
        const QString arg = cursor.next();
        QString value;
        const auto is = [&arg](const char *name) {
            const QString n = QString::fromLatin1(name);
            return arg == n || arg.startsWith(n + u'=');
        };
        const auto take = [&](const char *name) {
            return takeValue(cursor, arg, QString::fromLatin1(name), &value, &error);
        };
        // --since T / --until T of export and bundle; false with the message in `error`.
        const auto takeTime = [&] {
            const bool since = is("--since");
            if (!take(since ? "--since" : "--until"))
                return false;
            const std::optional<QDateTime> t = parseTime(value);
            if (!t) {
                error = CommandLine::tr(
                            "%1: expected a time like 2026-11-21T18:00:00Z or a date like 2026-11-21, "
                            "got \"%2\"")
                            .arg(since ? u"--since"_qs : u"--until"_qs, value);
                return false;
            }
            (since ? options.since : options.until) = t;
            return true;
        };

        if (arg == u"--help" || arg == u"-h") {
            options.mode = AppOptions::Mode::Help;
        } else if (arg == u"--version" || arg == u"-v") {
            options.mode = AppOptions::Mode::Version;
        } else if (is("--data-dir") && !keepalive) {
            if (!take("--data-dir"))
                return fail(error);
            options.dataDir = value;
        } else if (bundling) {
            if (is("--endpoint") || is("--workspace") || is("-o") || is("--output")) {
                const char *name = is("--endpoint")    ? "--endpoint"
                                   : is("--workspace") ? "--workspace"
                                   : is("-o")          ? "-o"
                                                       : "--output";
                if (!take(name))
                    return fail(error);
                (is("--endpoint")    ? options.exportEndpoint
                 : is("--workspace") ? options.workspacePath
                                     : options.outputPath) = value;
            } else if (is("--since") || is("--until")) {
                if (!takeTime())
                    return fail(error);
            } else {
                return fail(CommandLine::tr("bundle: unknown option \"%1\" (see keepwatch --help)").arg(arg));
            }
        } else if (exporting) {
            if (is("--format")) {
                if (!take("--format"))
                    return fail(error);
                const auto format = exportFormatFromName(value);
                if (!format)
                    return fail(CommandLine::tr("--format: expected csv or jsonl, got \"%1\"").arg(value));
                options.exportFormat = *format;
                formatGiven = true;
            } else if (is("--endpoint")) {
                if (!take("--endpoint"))
                    return fail(error);
                options.exportEndpoint = value;
            } else if (is("--since") || is("--until")) {
                if (!takeTime())
                    return fail(error);
            } else if (is("-o") || is("--output")) {
                if (!take(is("-o") ? "-o" : "--output"))
                    return fail(error);
                options.outputPath = value;
            } else if (arg == u"--csv-raw") {
                options.csvRaw = true;
            } else {
                return fail(CommandLine::tr("export: unknown option \"%1\" (see keepwatch --help)").arg(arg));
            }
        } else if (keepalive) {
            long long number = 0;
            if (is("--idle") || is("--interval")) {
                const bool idle = is("--idle");
                const char *name = idle ? "--idle" : "--interval";
                if (!take(name))
                    return fail(error);
                // Only the syntax here; the range is the validator's, checked once all are read.
                const net::TcpKeepaliveRange range =
                    net::tcpKeepaliveRange(idle ? KeepaliveField::Idle : KeepaliveField::Interval);
                if (!parseInteger(value, kMinTime, kMaxTime, &number))
                    return fail(CommandLine::tr("%1: expected whole seconds %2–%3, got \"%4\"")
                                    .arg(QString::fromLatin1(name))
                                    .arg(range.min)
                                    .arg(range.max)
                                    .arg(value));
                (idle ? options.keepalive.idle : options.keepalive.interval) = std::chrono::seconds(number);
            } else if (is("--count")) {
                if (!take("--count"))
                    return fail(error);
                const net::TcpKeepaliveRange range = net::tcpKeepaliveRange(KeepaliveField::Count);
                if (!parseInteger(value, std::numeric_limits<int>::min(), std::numeric_limits<int>::max(),
                                  &number))
                    return fail(CommandLine::tr("--count: expected a probe count %1–%2, got \"%3\"")
                                    .arg(range.min)
                                    .arg(range.max)
                                    .arg(value));
                options.keepalive.count = int(number);
            } else if (is("--user-timeout")) {
                if (!take("--user-timeout"))
                    return fail(error);
                const net::TcpKeepaliveRange range = net::tcpKeepaliveRange(KeepaliveField::UserTimeout);
                if (!parseInteger(value, kMinTime, kMaxTime, &number))
                    return fail(CommandLine::tr("--user-timeout: expected milliseconds %1–%2, got \"%3\"")
                                    .arg(range.min)
                                    .arg(range.max)
                                    .arg(value));
                options.keepalive.userTimeout = std::chrono::milliseconds(number);
            } else {
                return fail(
                    CommandLine::tr("keepalive: unknown option \"%1\" (see keepwatch --help)").arg(arg));
            }
        } else if (checking && (arg == u"--strict" || arg == u"--json")) {
            (arg == u"--strict" ? options.checkStrict : options.checkJson) = true;
        } else if (checking && !is("--workspace")) {
            return fail(CommandLine::tr("check: unknown option \"%1\" (see keepwatch --help)").arg(arg));
        } else if (arg == u"--headless") {
            options.mode = AppOptions::Mode::Headless;
        } else if (arg == u"--demo") {
            options.demo = true;
        } else if (is("--workspace")) {
            if (!take("--workspace"))
                return fail(error);
            options.workspacePath = value;
        } else if (is("--duration")) {
            if (!take("--duration"))
                return fail(error);
            bool ok = false;
            const double seconds = value.toDouble(&ok);
            if (!ok || !std::isfinite(seconds) || seconds <= 0)
                return fail(CommandLine::tr("--duration: expected a positive number of seconds, got \"%1\"")
                                .arg(value));
            options.durationSeconds = seconds;
        } else if (is("--events")) {
            if (!take("--events"))
                return fail(error);
            options.eventsTarget = value;
        } else if (is("--metrics")) {
            if (!take("--metrics"))
                return fail(error);
            options.metrics = parseMetricsAddress(value, &error);
            if (!options.metrics)
                return fail(error);
        } else {
            return fail(CommandLine::tr("unknown argument \"%1\" (see keepwatch --help)").arg(arg));
        }
    }

    if (options.mode == AppOptions::Mode::Help || options.mode == AppOptions::Mode::Version) {
        result.options = options;
        return result;
    }
    if (checking && options.workspacePath.isEmpty())
        return fail(CommandLine::tr("check: --workspace FILE is required"));
    if (exporting && !formatGiven)
        return fail(CommandLine::tr("export: --format csv|jsonl is required"));
    if (bundling && (options.exportEndpoint.isEmpty() || !options.since || options.outputPath.isEmpty()))
        return fail(CommandLine::tr("bundle: --endpoint NAME, --since T and -o FILE.zip are required"));
    if (bundling && options.until && *options.until <= *options.since)
        return fail(CommandLine::tr("bundle: the range is empty; --since must be before --until"));
    if (exporting && options.csvRaw && options.exportFormat != ExportFormat::Csv)
        return fail(CommandLine::tr("export: --csv-raw applies to --format csv only; drop it or use csv"));
    if (options.mode == AppOptions::Mode::Headless && options.workspacePath.isEmpty() && !options.demo)
        return fail(CommandLine::tr("--headless needs --workspace FILE or --demo"));
    if (!options.workspacePath.isEmpty() && options.demo)
        return fail(CommandLine::tr("--workspace and --demo exclude each other; give one"));
    if (options.mode == AppOptions::Mode::Gui && (options.durationSeconds || !options.eventsTarget.isEmpty()))
        return fail(CommandLine::tr("--duration and --events apply to --headless runs; add --headless"));
    if (keepalive) {
        // The same validator, and the same words, as the workspace loader and the endpoint dialog.
        QStringList problems;
        for (const net::TcpKeepaliveIssue &issue : net::validateTcpKeepalive(options.keepalive))
            problems << keepaliveFlag(issue.field) + u": "_qs + QString::fromStdString(issue.message);
        if (!problems.isEmpty())
            return fail(problems.join(u"; "_qs));
    }
    result.options = options;
    return result;
}

} // namespace kw
